"""The public archive: search, people, conferences, sketches — as pages and as JSON; and logging in."""

from __future__ import annotations

import io
import math
import threading
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sessionsketch.archive import PUBLISHED, NotFound, SearchFilters
from sessionsketch.archive.charts import Bar, Stack, grouped_bars, stacked_bars
from sessionsketch.archive.query import QuerySyntaxError
from sessionsketch.archive.search import (
    ANONYMOUS_EXPORT_LIMIT,
    EXPORT_LIMIT,
    export_hits,
    export_record,
    public_transcript_key,
    write_csv,
)
from sessionsketch.archive.users import authenticate
from sessionsketch.web import security
from sessionsketch.web.exports import export_response
from sessionsketch.web.pages import archive_of, render, wants_json

router = APIRouter()

PAGE_SIZE = 20
#: Sentences on one page of a person (the page and the API page through the rest).
PERSON_PAGE_SIZE = 100


def _filters(
    speaker: str | None = Query(None, description="Only sentences attributed to this person."),
    affiliation: str | None = Query(
        None, description="The speaker's affiliation: the one named exactly, else every one containing this."
    ),
    conference: str | None = Query(
        None, description="The conference named exactly, else every one whose name contains this."
    ),
    year: str | None = Query(None, pattern=r"^(\d{4})?$", description="Year of the session (YYYY)."),
    session: str | None = Query(
        None, description="The session title named exactly, else every one containing this."
    ),
) -> SearchFilters:
    return SearchFilters(
        speaker=speaker or None,
        affiliation=affiliation or None,
        conference=conference or None,
        year=int(year) if year else None,
        session=session or None,
    )


def _search(request: Request, q: str, filters: SearchFilters, page: int) -> dict[str, Any]:
    """One page of results with facets; a query that cannot be read gives ``error`` and no hits."""
    try:
        result = archive_of(request).find(q, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    except QuerySyntaxError as exc:
        return {"query": q, "error": str(exc), "terms": [], "page": page, "has_more": False, "hits": []}
    return {**result.to_dict(), "page": page, "error": None, "result": result}


def _filter_params(filters: SearchFilters) -> dict[str, Any]:
    return {
        k: v
        for k, v in (
            ("speaker", filters.speaker),
            ("affiliation", filters.affiliation),
            ("conference", filters.conference),
            ("year", filters.year),
            ("session", filters.session),
        )
        if v
    }


def _published(request: Request, sketch_id: int) -> Any:
    """A published sketch; a draft and a missing id get the same answer (drafts stay unseen)."""
    try:
        record = archive_of(request).get(sketch_id)
    except NotFound:
        record = None
    if record is None or record.status != PUBLISHED or record.published is None:
        raise NotFound(f"no published sketch {sketch_id}")
    return record


# ---------------------------------------------------------------------- pages


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    archive = archive_of(request)
    return render(
        request,
        "index.html",
        {
            "counts": archive.counts(),
            "conferences": archive.conferences(),
            "recent": archive.published(limit=10),
        },
    )


@router.get("/search", include_in_schema=False)
def search_page(
    request: Request,
    q: str = Query("", max_length=500),
    page: int = Query(1, ge=1, le=500),
    filters: SearchFilters = Depends(_filters),
) -> Response:
    result = _search(request, q, filters, page)
    params = {"q": q, **_filter_params(filters)} if q else _filter_params(filters)
    return render(
        request,
        "search.html",
        {
            "result": result,
            "filters": filters,
            "q": q,
            "params": params,
            "export_limit": _export_limit(request),
        },
    )


#: Exports running at once in one server process; one more is refused (429) rather than queued.
EXPORTS_AT_ONCE = 2
_exports = threading.BoundedSemaphore(EXPORTS_AT_ONCE)


def _export_limit(request: Request) -> int:
    """Rows an export may have: the search page's window when nobody is logged in, else ``EXPORT_LIMIT``."""
    return EXPORT_LIMIT if security.current_user(request) else ANONYMOUS_EXPORT_LIMIT


@router.get(
    "/search/export.{fmt}",
    summary="Download the results of a search as CSV or JSON (logged in: up to 10,000; "
    "anonymous: the best of the newest 250, as the search page ranks them)",
)
def search_export(
    request: Request,
    fmt: str,
    q: str = Query("", max_length=500),
    filters: SearchFilters = Depends(_filters),
) -> Response:
    if fmt not in ("csv", "json"):
        raise HTTPException(404, "export as csv or json")
    archive = archive_of(request)
    base = str(request.base_url).rstrip("/")
    limit = _export_limit(request)
    if not _exports.acquire(blocking=False):
        raise HTTPException(
            429, "other exports are running; try again in a moment", headers={"Retry-After": "5"}
        )
    try:
        hits = export_hits(archive, q, filters, limit=limit, bounded=limit < EXPORT_LIMIT)
        records = [export_record(h, base) for h in hits]
    except QuerySyntaxError as exc:
        raise HTTPException(400, str(exc)) from None
    finally:
        _exports.release()
    headers = {"Content-Disposition": f'attachment; filename="search.{fmt}"', "X-Export-Limit": str(limit)}
    if fmt == "json":
        body = {"query": q, "filters": _filter_params(filters), "limit": limit, "hits": records}
        return JSONResponse(body, headers=headers)
    out = io.StringIO()
    write_csv(records, out)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/people", include_in_schema=False)
def people_page(request: Request) -> Response:
    return render(request, "people.html", {"people": archive_of(request).people()})


def _person(request: Request, name: str, page: int) -> dict[str, Any] | None:
    """A person with one page of what they said (``PERSON_PAGE_SIZE`` sentences, newest session first)."""
    person = archive_of(request).person(name, limit=PERSON_PAGE_SIZE, offset=(page - 1) * PERSON_PAGE_SIZE)
    if person is not None:
        person.update(page=page, per_page=PERSON_PAGE_SIZE)
    return person


def _by_session(sentences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive sentences of one sketch as one group (the page is ordered by session)."""
    groups: list[dict[str, Any]] = []
    for s in sentences:
        if not groups or groups[-1]["sketch_id"] != s["sketch_id"]:
            groups.append(
                {k: s.get(k) for k in ("sketch_id", "session", "conference", "year", "date")} | {"hits": []}
            )
        groups[-1]["hits"].append(s)
    return groups


def _timeline_charts(person: dict[str, Any]) -> dict[str, Any]:
    years = sorted({t["year"] for t in person["timeline"] if t["year"] is not None})
    if years:
        years = list(range(years[0], years[-1] + 1))  # a year without sessions is a gap, not nothing

    def stacks(field: str) -> list[Stack]:
        return [
            Stack(
                str(y),
                {t["conference"] or "no conference": t[field] for t in person["timeline"] if t["year"] == y},
            )
            for y in years
        ]

    name = person["name"]
    return {
        "sentences": stacked_bars(
            stacks("sentences"), f"Sentences attributed to {name} per year", "sentences"
        ),
        "sessions": stacked_bars(
            stacks("sessions"), f"Sessions {name} took part in per year", "sessions", height=140
        ),
    }


@router.get("/people/{name:path}", include_in_schema=False)
def person_page(request: Request, name: str, page: int = Query(1, ge=1)) -> Response:
    person = _person(request, name, page)
    if person is None:
        raise NotFound(f"nobody called '{name}' in the archive")
    person["groups"] = _by_session(person["sentences"])
    return render(request, "person.html", {"person": person, "charts": _timeline_charts(person)})


@router.get("/conferences", include_in_schema=False)
def conferences_page(request: Request) -> Response:
    return render(request, "conferences.html", {"conferences": archive_of(request).conferences()})


@router.get("/conferences/{name:path}", include_in_schema=False)
def conference_page(request: Request, name: str) -> Response:
    archive = archive_of(request)
    sketches = archive.published(conference=name, limit=2000)
    if not sketches:
        raise NotFound(f"no conference '{name}' in the archive")
    counts: dict[int | None, int] = {}
    for r in sketches:
        counts[r.year] = counts.get(r.year, 0) + 1
    known = sorted(y for y in counts if y is not None)
    span = list(range(known[0], known[-1] + 1)) if known else []
    by_year = [Bar(str(y), [counts.get(y, 0)]) for y in span] + (
        [Bar("no year", [counts[None]])] if None in counts else []
    )
    speakers = archive.conference_speakers(name)
    charts = {
        "years": grouped_bars(by_year, ["sessions"], f"Published sessions of {name} per year", percent=False),
        "speakers": grouped_bars(
            [Bar(s["speaker"], [s["sentences"]]) for s in speakers],
            ["sentences"],
            f"Who spoke most at {name}",
            percent=False,
        ),
    }
    return render(
        request,
        "conference.html",
        {
            "conference": name,
            "sketches": sketches,
            "speakers": speakers,
            "by_year": [{"label": b.label, "count": int(b.values[0])} for b in by_year],
            "charts": charts,
        },
    )


@router.get("/sketches/{sketch_id:id}", include_in_schema=False)
def sketch_page(request: Request, sketch_id: int) -> Response:
    record = _published(request, sketch_id)
    return render(
        request,
        "sketch.html",
        {"record": record, "sketch": record.published, "turns": _published_turns(request, record)},
    )


def _published_turns(request: Request, record: Any) -> list[dict[str, Any]] | None:
    """The transcript's turns (speakers resolved as in the workbench) when the rapporteur published
    the transcript with the sketch; else None."""
    if not record.is_workbench or not record.transcript:
        return None
    if archive_of(request).setting(public_transcript_key(record.id)) != "1":
        return None
    from sessionsketch.web.workspace import open_workspace

    transcript = open_workspace(record).transcript
    if transcript is None:
        return None
    return [
        {"index": t.index, "speaker": t.speaker_name or t.label, "text": t.text} for t in transcript.turns
    ]


@router.get(
    "/sketches/{sketch_id:id}/export/{fmt}", summary="Download a published sketch (pdf, docx, html, md, json)"
)
async def sketch_export(request: Request, sketch_id: int, fmt: str) -> Response:
    record = _published(request, sketch_id)
    return await run_in_threadpool(export_response, record.published, fmt, f"sketch-{sketch_id}", None)


# ---------------------------------------------------------------------- login


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/workbench"


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", include_in_schema=False, dependencies=[Depends(security.csrf_protect)])
async def login_submit(
    request: Request,
    name: str = Form(..., max_length=64),
    password: str = Form(..., max_length=1024),
    next: str | None = Form(None),
) -> Response:
    limiter: security.LoginLimiter = request.app.state.login_limiter
    address = security.client_address(request)
    wait = await run_in_threadpool(limiter.attempt, name, address)  # counted as a failure until it succeeds
    if wait is not None:
        return _too_many_logins(request, next, wait)
    ok = await run_in_threadpool(authenticate, archive_of(request), name, password)
    if not ok:
        return render(
            request, "login.html", {"next": _safe_next(next), "error": "wrong user name or password"}, 401
        )
    await run_in_threadpool(limiter.succeeded, name, address)
    security.login(request, name)
    return RedirectResponse(_safe_next(next), status_code=303)


def _too_many_logins(request: Request, next: str | None, wait: int) -> Response:
    minutes = max(1, math.ceil(wait / 60))
    detail = (
        f"too many failed logins for this user name from your address; try again in "
        f"{minutes} minute{'s' if minutes != 1 else ''}"
    )
    headers = {"Retry-After": str(wait)}
    if wants_json(request):
        return JSONResponse({"detail": detail, "retry_after": wait}, status_code=429, headers=headers)
    response = render(request, "login.html", {"next": _safe_next(next), "error": detail}, 429)
    response.headers.update(headers)
    return response


@router.post("/logout", include_in_schema=False, dependencies=[Depends(security.csrf_protect)])
def logout_submit(request: Request) -> Response:
    security.logout(request)
    return RedirectResponse("/", status_code=303)


# ---------------------------------------------------------------------- JSON API


@router.get("/api/me", tags=["session"], summary="The logged-in user and the CSRF token for write calls")
def api_me(request: Request) -> dict[str, Any]:
    return {"user": security.current_user(request), "csrf_token": security.csrf_token(request)}


@router.get("/api/search", tags=["archive"], summary="Full-text search over attributed sentences")
def api_search(
    request: Request,
    q: str = Query(
        "",
        max_length=500,
        description="Words to find, e.g. 'what did Zhu Feng say about the alliance'; \"a phrase\", "
        "`OR`, `-word` (leave out), `prefix*`.",
    ),
    page: int = Query(1, ge=1, le=500),
    filters: SearchFilters = Depends(_filters),
) -> JSONResponse:
    result = _search(request, q, filters, page)
    if result["error"]:
        return JSONResponse({"detail": result["error"]}, status_code=400)
    result.pop("result")
    return JSONResponse(result)


@router.get("/api/people", tags=["archive"], summary="Everyone who appears in a published sketch")
def api_people(request: Request) -> list[dict[str, Any]]:
    return archive_of(request).people()


@router.get(
    "/api/people/{name:path}", tags=["archive"], summary="A person: affiliations over time and sentences"
)
def api_person(
    request: Request,
    name: str,
    page: int = Query(
        1, ge=1, description=f"{PERSON_PAGE_SIZE} sentences a page; `has_more` says if more follow."
    ),
) -> dict[str, Any]:
    person = _person(request, name, page)
    if person is None:
        raise HTTPException(404, f"nobody called '{name}' in the archive")
    return person


@router.get("/api/conferences", tags=["archive"], summary="Conferences in the archive")
def api_conferences(request: Request) -> list[dict[str, Any]]:
    return archive_of(request).conferences()


@router.get(
    "/api/conferences/{name:path}", tags=["archive"], summary="The published sessions of one conference"
)
def api_conference(request: Request, name: str) -> dict[str, Any]:
    sketches = archive_of(request).published(conference=name, limit=2000)
    if not sketches:
        raise HTTPException(404, f"no conference '{name}' in the archive")
    return {"conference": name, "sessions": [r.summary() for r in sketches]}


@router.get("/api/sketches", tags=["archive"], summary="Published sketches, newest first")
def api_sketches(request: Request, limit: int = Query(100, ge=1, le=1000)) -> list[dict[str, Any]]:
    return [r.summary() for r in archive_of(request).published(limit=limit)]


@router.get(
    "/api/sketches/{sketch_id:id}", tags=["archive"], summary="One published sketch in the sketch JSON shape"
)
def api_sketch(request: Request, sketch_id: int) -> dict[str, Any]:
    try:
        record = _published(request, sketch_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    return {**record.summary(), "sketch": record.published.to_dict()}
