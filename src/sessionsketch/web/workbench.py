"""The rapporteur's workbench: create a session, upload a transcript, map labels, draft,
edit sentence by sentence with the evidence beside it, check, fix, export, publish.

Every route here needs a login; every write also needs the CSRF token. A session is its
creator's: they may share it with named editors or with the whole team (``/sharing``);
anyone else gets 403 on every route. Writes that could overwrite someone's work (drafting,
replacing the transcript, mapping labels, editing, choosing the session, accepting a fix,
publishing) carry the ``version`` the page showed and are refused with 409 when someone
saved since. Forms work without JavaScript; ``static/workbench.js``
saves edits as they are made (JSON).
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sessionsketch.archive import StaleVersion
from sessionsketch.archive.charts import fairness_chart, fairness_view, sketch_fairness
from sessionsketch.archive.search import public_transcript_key
from sessionsketch.errors import UserError
from sessionsketch.model import Sketch
from sessionsketch.pipeline import draft_session
from sessionsketch.readers import readers
from sessionsketch.readers.programme import pick_session, programme_from_dict
from sessionsketch.web import security
from sessionsketch.web.exports import export_response
from sessionsketch.web.pages import archive_of, render, wants_json
from sessionsketch.web.uploads import parse_upload, safe_name, safe_suffix, save_upload
from sessionsketch.web.workspace import (
    Workspace,
    open_workspace,
    programme_document,
    read_uploaded_transcript,
    reanchor_evidence,
    revise_sentence,
    stored_turns,
)
from sessionsketch.writers import formats

router = APIRouter(tags=["workbench"], dependencies=[Depends(security.editor)])
WRITE = [Depends(security.csrf_protect)]


def _back(sketch_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/workbench/{sketch_id}{anchor}", status_code=303)


def _allowed(request: Request, sketch_id: int) -> None:
    """403 unless the logged-in user owns the session, is one of its editors, or it is the team's."""
    user = security.current_user(request)
    if not user or not archive_of(request).may_edit(sketch_id, user):
        raise HTTPException(
            403, f"session {sketch_id} is not shared with you: ask its owner to add you as an editor"
        )


def _workspace(request: Request, sketch_id: int) -> Workspace:
    _allowed(request, sketch_id)
    return open_workspace(archive_of(request).get(sketch_id))


# ---------------------------------------------------------------------- findings


def _findings(ws: Workspace) -> list[Any]:
    from sessionsketch.checks import run_checks

    assert ws.record.sketch is not None
    return run_checks(ws.record.sketch, programme=ws.programme, transcript=ws.transcript)


def finding_place(finding: Any) -> tuple[int, int] | None:
    """The (paragraph, sentence) a finding points at, when it points at one."""
    loc = getattr(finding, "location", None)
    if loc is None:
        return None
    if isinstance(loc, dict):
        p, s = loc.get("paragraph"), loc.get("sentence")
    else:  # the check area's Location(file, line, page, paragraph, sentence)
        p, s = getattr(loc, "paragraph", None), getattr(loc, "sentence", None)
    if isinstance(p, int) and isinstance(s, int):
        return p, s
    return None


def finding_view(index: int, finding: Any) -> dict[str, Any]:
    place = finding_place(finding)
    return {
        "index": index,
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "location": str(finding.location) if finding.location is not None else None,
        "place": place,
        "anchor": f"p{place[0]}-s{place[1]}" if place else None,
        "fixable": finding.fix is not None,
    }


# ---------------------------------------------------------------------- pages


@router.get("/workbench", include_in_schema=False)
def workbench_list(request: Request) -> Response:
    user = security.current_user(request)
    return render(request, "workbench_list.html", {"records": archive_of(request).workbench_list(user)})


@router.post(
    "/workbench", summary="Create a session from the form or an uploaded programme", dependencies=WRITE
)
async def workbench_create(
    request: Request,
    user: str = Depends(security.editor),
    programme_file: UploadFile | None = File(None),
    conference: str = Form("", max_length=300),
    theme: str = Form("", max_length=300),
    url: str = Form("", max_length=300),
    title: str = Form("", max_length=300),
    date: str = Form("", max_length=20),
    start: str = Form("", max_length=10),
    end: str = Form("", max_length=10),
    rapporteur: str = Form("", max_length=300),
    moderator: str = Form("", max_length=300),
    speakers: str = Form("", max_length=10000),
    session: str = Form(
        "", max_length=300, description="Which session of an uploaded programme: its number or slug."
    ),
) -> Response:
    if programme_file is not None and programme_file.filename:
        shown = safe_name(programme_file.filename)
        with tempfile.TemporaryDirectory() as tmp:
            path = await save_upload(request, programme_file, Path(tmp) / "programme")
            doc = await parse_upload(
                request, shown, programme_document, path, shown, safe_suffix(programme_file.filename)
            )
    else:
        fields: dict[str, Any] = {
            "title": title or None,
            "date": date or None,
            "start": start or None,
            "end": end or None,
            "speakers": [line.strip() for line in speakers.splitlines() if line.strip()],
        }
        if rapporteur.strip():
            fields["rapporteur"] = rapporteur.strip()
        if moderator.strip():
            fields["moderator"] = moderator.strip()
        doc = {"conference": {"name": conference or None, "theme": theme or None, "url": url or None}}
        doc["session"] = fields
    source = programme_file.filename if programme_file and programme_file.filename else "form"
    programme = programme_from_dict(doc, source)
    # the session named on the form (as `draft --session` names it), else the first until one is chosen
    chosen = pick_session(programme, session.strip(), Path(source)) if session.strip() else programme.session
    sketch_id = archive_of(request).create_workbench(
        doc, chosen.title or programme.conference.name, chosen.slug, user
    )
    if wants_json(request):
        return JSONResponse({"id": sketch_id, "url": f"/workbench/{sketch_id}"}, status_code=201)
    return _back(sketch_id, "#session" if len(programme.sessions) > 1 and not session.strip() else "")


@router.get("/workbench/{sketch_id:id}", include_in_schema=False)
def workbench_page(request: Request, sketch_id: int, check: bool = False) -> Response:
    ws = _workspace(request, sketch_id)
    return render(request, "workbench.html", _page_context(ws, check))


def _page_context(ws: Workspace, check: bool, conflict: dict[str, Any] | None = None) -> dict[str, Any]:
    findings: list[dict[str, Any]] | None = None
    by_sentence: dict[str, list[dict[str, Any]]] = {}
    if check and ws.record.sketch is not None:
        findings = [finding_view(i, f) for i, f in enumerate(_findings(ws))]
        for f in findings:
            if f["anchor"]:
                by_sentence.setdefault(f["anchor"], []).append(f)
    turns = []
    if ws.transcript is not None:
        turns = [
            {"index": t.index, "label": t.label, "speaker": t.speaker_name, "text": t.text}
            for t in ws.transcript.turns
        ]
    return {
        "ws": ws,
        "record": ws.record,
        "sketch": ws.record.sketch,
        "turns": turns,
        "unresolved": ws.transcript.unresolved if ws.transcript else [],
        "participants": ws.participant_names,
        "findings": findings,
        "findings_by_sentence": by_sentence,
        "conflict": conflict,
        "formats": formats(),
        "transcript_formats": sorted(readers("transcript").values(), key=lambda r: r.name),
        "fairness": fairness_view(ws.session, ws.transcript, ws.record.sketch),
    }


@router.get(
    "/api/workbench/{sketch_id:id}", summary="A workbench session: programme, transcript, sketch, version"
)
def api_workbench(request: Request, sketch_id: int) -> dict[str, Any]:
    ws = _workspace(request, sketch_id)
    r = ws.record
    return {
        **r.summary(),
        "sharing": archive_of(request).sharing(sketch_id),
        "session_slug": ws.session.slug,
        "sessions": [
            {
                "slug": s.slug,
                "number": s.number,
                "title": s.title,
                "date": s.date.isoformat() if s.date else None,
            }
            for s in ws.sessions
        ],
        "programme": r.programme,
        "transcript": ws.transcript.to_dict() if ws.transcript else None,
        "speaker_map": r.speaker_map,
        "sketch": r.sketch.to_dict() if r.sketch else None,
    }


@router.post(
    "/workbench/{sketch_id:id}/session",
    summary="Choose which session of the programme this is (before it is drafted)",
    dependencies=WRITE,
)
async def choose_session(
    request: Request,
    sketch_id: int,
    user: str = Depends(security.editor),
    session: str = Form(..., max_length=300, description="The session's number or slug."),
    version: int = Form(...),
) -> Response:
    ws = _workspace(request, sketch_id)
    if version != ws.record.version:
        return _stale(request, ws, StaleVersion(ws.record))
    programme = dataclasses.replace(ws.programme, sessions=ws.sessions)
    chosen = pick_session(programme, session.strip(), Path("programme"))
    if chosen.slug != ws.session.slug:
        if ws.record.sketch is not None:
            raise HTTPException(
                400,
                f"the sketch was drafted for “{ws.session.title or ws.session.slug}”; "
                "to draft another session, create a new one from the same programme",
            )
        # labels mapped to people who are not in the chosen session are forgotten
        people = {p.name for p in chosen.participants}
        speaker_map = {label: name for label, name in ws.record.speaker_map.items() if name in people}
        try:  # over the version checked above only: a save in between is not overwritten (issue 30 §11)
            archive_of(request).update_workbench(
                sketch_id,
                user,
                version,
                session_slug=chosen.slug,
                title=chosen.title or programme.conference.name,
                speaker_map=speaker_map,
            )
        except StaleVersion as exc:
            return _stale(request, ws, exc)
    if wants_json(request):
        return JSONResponse(api_workbench(request, sketch_id))
    return _back(sketch_id)


# ---------------------------------------------------------------------- transcript and labels


@router.post(
    "/workbench/{sketch_id:id}/transcript", summary="Upload the session's transcript", dependencies=WRITE
)
async def upload_transcript(
    request: Request,
    sketch_id: int,
    user: str = Depends(security.editor),
    transcript: UploadFile = File(...),
    format: str = Form("", max_length=40),
    version: int = Form(..., description="The version the page showed; a newer one refuses the upload."),
) -> Response:
    ws = _workspace(request, sketch_id)
    if version != ws.record.version:
        return _stale(request, ws, StaleVersion(ws.record))
    name = Path(transcript.filename or "transcript").name
    with tempfile.TemporaryDirectory() as tmp:
        path = await save_upload(request, transcript, Path(tmp) / f"transcript{safe_suffix(name)}")
        tr = await parse_upload(
            request,
            name,
            read_uploaded_transcript,
            path,
            name,
            ws.programme,
            ws.record.speaker_map,
            format or None,
        )
    if not tr.turns:
        raise UserError("no speaker turns found in the transcript", name)
    fields: dict[str, Any] = {"transcript": stored_turns(tr), "transcript_name": name}
    moved = dropped = 0
    if ws.record.sketch is not None and ws.transcript is not None:
        # the sketch's evidence follows its words into the new transcript, or is dropped
        fields["sketch"], moved, dropped = await run_in_threadpool(
            reanchor_evidence, ws.record.sketch, ws.transcript, tr
        )
    try:
        version = archive_of(request).update_workbench(sketch_id, user, expected_version=version, **fields)
    except StaleVersion as exc:
        return _stale(request, ws, exc)
    if wants_json(request):
        return JSONResponse(
            {
                "version": version,
                "turns": len(tr.turns),
                "unresolved": tr.unresolved,
                "evidence_moved": moved,
                "evidence_dropped": dropped,
            }
        )
    return _back(sketch_id, "#speakers")


@router.post(
    "/workbench/{sketch_id:id}/speakers", summary="Map transcript labels to participants", dependencies=WRITE
)
async def map_speakers(
    request: Request,
    sketch_id: int,
    user: str = Depends(security.editor),
    version: int = Form(..., description="The version the page showed; a newer one refuses the mapping."),
) -> Response:
    ws = _workspace(request, sketch_id)
    if version != ws.record.version:
        return _stale(request, ws, StaleVersion(ws.record))
    form = await request.form()
    labels = [v for v in form.getlist("label") if isinstance(v, str)]
    people = [v for v in form.getlist("person") if isinstance(v, str)]
    if len(labels) != len(people):
        raise HTTPException(400, "every label needs a person (or none)")
    allowed = set(ws.participant_names)
    mapping = dict(ws.record.speaker_map)
    for label, person in zip(labels, people, strict=True):
        if not person:
            mapping.pop(label, None)
            continue
        if person not in allowed:
            raise HTTPException(400, f"'{person}' is not a participant of this session")
        mapping[label] = person
    try:
        version = archive_of(request).update_workbench(
            sketch_id, user, expected_version=version, speaker_map=mapping
        )
    except StaleVersion as exc:
        return _stale(request, ws, exc)
    if wants_json(request):
        return JSONResponse({"version": version, "speaker_map": mapping})
    return _back(sketch_id, "#speakers")


# ---------------------------------------------------------------------- draft, edit, check, fix


@router.post(
    "/workbench/{sketch_id:id}/draft", summary="Draft the sketch from the transcript", dependencies=WRITE
)
async def draft(
    request: Request,
    sketch_id: int,
    user: str = Depends(security.editor),
    version: int = Form(..., description="The version the page showed; a newer one refuses the draft."),
) -> Response:
    ws = _workspace(request, sketch_id)
    if ws.transcript is None:
        raise HTTPException(400, "upload a transcript first")
    if version != ws.record.version:
        return _stale(request, ws, StaleVersion(ws.record))
    # labels left unmapped are the rapporteur's choice here: their turns are left out
    # on the Dask cluster when the server has one (serve --scheduler): this process only waits
    remote = request.app.state.remote
    call = remote.call if remote is not None else _here
    sketch = await run_in_threadpool(
        call, draft_session, ws.programme, ws.session, ws.transcript, allow_unresolved=True
    )
    try:
        version = archive_of(request).save_sketch(sketch_id, sketch, version, user)
    except StaleVersion as exc:
        return _stale(request, ws, exc)
    if wants_json(request):
        return JSONResponse({"version": version, "sketch": sketch.to_dict()})
    return _back(sketch_id, "#editor")


def _here(fn: Any, *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


def _conflict(exc: StaleVersion, p: int | None, s: int | None) -> dict[str, Any]:
    current = exc.current
    sentence = None
    if current.sketch is not None and p is not None and s is not None and p < len(current.sketch.paragraphs):
        sentences = current.sketch.paragraphs[p].sentences
        if s < len(sentences):
            sentence = sentences[s].to_dict()
    return {
        "detail": f"not saved: {current.updated_by or 'someone else'} saved version {current.version} "
        "after you opened this page. Their version is shown; copy your change over it and save again.",
        "version": current.version,
        "updated_by": current.updated_by,
        "updated_at": current.updated_at,
        "paragraph": p,
        "position": s,
        "sentence": sentence,
    }


@router.post(
    "/workbench/{sketch_id:id}/sentences/{p:id}/{s:id}",
    summary="Change one sentence's text or speaker (refused with 409 when the version is stale)",
    dependencies=WRITE,
)
async def edit_sentence(
    request: Request,
    sketch_id: int,
    p: int,
    s: int,
    user: str = Depends(security.editor),
    text: str = Form(..., max_length=5000),
    speaker: str = Form("", max_length=300),
    version: int = Form(...),
) -> Response:
    archive = archive_of(request)
    ws = _workspace(request, sketch_id)
    sketch = ws.record.sketch
    if sketch is None or p >= len(sketch.paragraphs) or s >= len(sketch.paragraphs[p].sentences):
        raise HTTPException(404, f"no sentence {p}.{s} in this sketch")
    if not text.strip():
        raise HTTPException(400, "a sentence cannot be empty")
    if speaker and speaker not in ws.participant_names:
        raise HTTPException(400, f"'{speaker}' is not a participant of this session")
    if version != ws.record.version:
        return _stale(request, ws, StaleVersion(ws.record), p, s)
    revised, supported = await run_in_threadpool(
        revise_sentence, sketch.paragraphs[p].sentences[s], text, speaker or None, ws.transcript
    )
    sketch.paragraphs[p].sentences[s] = revised
    try:
        new_version = archive.save_sketch(sketch_id, sketch, version, user)
    except StaleVersion as exc:
        return _stale(request, ws, exc, p, s)
    if wants_json(request):
        return JSONResponse(
            {
                "version": new_version,
                "sentence": revised.to_dict(),
                "supported": supported,
                "message": "saved" if supported else "saved — not supported by the transcript",
            }
        )
    return _back(sketch_id, f"#p{p}-s{s}")


def _stale(
    request: Request, ws: Workspace, exc: StaleVersion, p: int | None = None, s: int | None = None
) -> Response:
    conflict = _conflict(exc, p, s)
    if wants_json(request):
        return JSONResponse(conflict, status_code=409)
    fresh = open_workspace(exc.current)
    return render(request, "workbench.html", _page_context(fresh, False, conflict), 409)


@router.post(
    "/workbench/{sketch_id:id}/fixes", summary="Accept one finding's suggested fix", dependencies=WRITE
)
async def accept_fix(
    request: Request,
    sketch_id: int,
    user: str = Depends(security.editor),
    finding: int = Form(..., ge=0),
    version: int = Form(...),
) -> Response:
    from sessionsketch.checks import apply_fixes

    ws = _workspace(request, sketch_id)
    if ws.record.sketch is None:
        raise HTTPException(400, "draft the sketch first")
    if version != ws.record.version:
        return _stale(request, ws, StaleVersion(ws.record))
    findings = await run_in_threadpool(_findings, ws)
    if finding >= len(findings) or findings[finding].fix is None:
        raise HTTPException(400, "that finding has no fix (run the check again)")
    fixed: Sketch = await run_in_threadpool(apply_fixes, ws.record.sketch, [findings[finding]])
    try:
        new_version = archive_of(request).save_sketch(sketch_id, fixed, version, user)
    except StaleVersion as exc:
        return _stale(request, ws, exc)
    if wants_json(request):
        return JSONResponse({"version": new_version, "sketch": fixed.to_dict()})
    return RedirectResponse(f"/workbench/{sketch_id}?check=1#findings", status_code=303)


@router.get("/api/workbench/{sketch_id:id}/findings", summary="Run check on the working sketch")
def api_findings(request: Request, sketch_id: int) -> dict[str, Any]:
    ws = _workspace(request, sketch_id)
    if ws.record.sketch is None:
        raise HTTPException(400, "draft the sketch first")
    return {
        "version": ws.record.version,
        "findings": [finding_view(i, f) for i, f in enumerate(_findings(ws))],
    }


# ---------------------------------------------------------------------- export and publish


@router.get(
    "/workbench/{sketch_id:id}/fairness.svg",
    summary="The fairness chart (shares of the transcript and of the sketch) as an SVG file",
)
def fairness_svg(request: Request, sketch_id: int) -> Response:
    ws = _workspace(request, sketch_id)
    chart = fairness_chart(sketch_fairness(ws.session, ws.transcript, ws.record.sketch))
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + str(chart),
        media_type="image/svg+xml",
        headers={"Content-Disposition": f'attachment; filename="fairness-{sketch_id}.svg"'},
    )


@router.get(
    "/workbench/{sketch_id:id}/export/{fmt}",
    summary="Download the working sketch in any output format (pdf, docx, html, md, json...)",
)
async def export(request: Request, sketch_id: int, fmt: str) -> Response:
    ws = _workspace(request, sketch_id)
    if ws.record.sketch is None:
        raise HTTPException(400, "draft the sketch first")
    return await run_in_threadpool(
        export_response, ws.record.sketch, fmt, f"sketch-{sketch_id}", ws.transcript
    )


@router.post(
    "/workbench/{sketch_id:id}/publish", summary="Publish the sketch to the archive", dependencies=WRITE
)
def publish(
    request: Request,
    sketch_id: int,
    user: str = Depends(security.editor),
    with_transcript: bool = Form(
        False, description="Publish the transcript too: each sentence then links to the turns it rests on."
    ),
    version: int = Form(..., description="The version the page showed; a newer one refuses to publish."),
) -> Response:
    ws = _workspace(request, sketch_id)
    record = ws.record
    if record.sketch is None:
        raise HTTPException(400, "draft the sketch first")
    if version != record.version:
        return _stale(request, ws, StaleVersion(record))
    archive = archive_of(request)
    try:
        # the version is claimed first, atomically (only if nobody saved since the page was
        # shown), so what is published is the version the publisher saw, never an older one
        # over someone's newer edit
        archive.update_workbench(sketch_id, user, expected_version=version, sketch=record.sketch)
    except StaleVersion as exc:
        return _stale(request, ws, exc)
    archive.publish(record.sketch, sketch_id=sketch_id, user=user)
    archive.set_setting(
        public_transcript_key(sketch_id), "1" if with_transcript and record.transcript else "0"
    )
    if wants_json(request):
        return JSONResponse(
            {"id": sketch_id, "url": f"/sketches/{sketch_id}", "version": archive.get(sketch_id).version}
        )
    return RedirectResponse(f"/sketches/{sketch_id}", status_code=303)


# ---------------------------------------------------------------------- sharing


def _sharing_context(request: Request, sketch_id: int, error: str | None = None) -> dict[str, Any]:
    archive = archive_of(request)
    record = archive.get(sketch_id)
    return {
        "record": record,
        "sharing": archive.sharing(sketch_id),
        "users": [u for u in archive.user_names() if u != record.created_by],
        "error": error,
    }


def _owner_only(request: Request, sketch_id: int) -> None:
    _allowed(request, sketch_id)
    owner = archive_of(request).sharing(sketch_id)["owner"]
    if owner is not None and security.current_user(request) != owner:
        raise HTTPException(403, f"only {owner}, who created session {sketch_id}, can change who may edit it")


@router.get("/workbench/{sketch_id:id}/sharing", include_in_schema=False)
def sharing_page(request: Request, sketch_id: int) -> Response:
    _allowed(request, sketch_id)
    return render(request, "sharing.html", _sharing_context(request, sketch_id))


@router.post(
    "/workbench/{sketch_id:id}/sharing",
    summary="Who besides its creator may open and edit a session: named editors, or the whole team",
    dependencies=WRITE,
)
async def set_sharing(
    request: Request,
    sketch_id: int,
    editors: list[str] = Form([], description="User names of the editors (repeat the field)."),
    team: bool = Form(False, description="Everyone who can log in may edit."),
) -> Response:
    _owner_only(request, sketch_id)
    archive = archive_of(request)
    names = sorted({e.strip() for e in editors if e.strip()})
    known = set(archive.user_names())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise HTTPException(400, f"no user {', '.join(repr(n) for n in unknown)}")
    archive.set_sharing(sketch_id, team, names)
    if wants_json(request):
        return JSONResponse(archive.sharing(sketch_id))
    return RedirectResponse(f"/workbench/{sketch_id}/sharing", status_code=303)
