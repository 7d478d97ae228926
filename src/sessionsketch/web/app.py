"""The FastAPI application: the rapporteur's workbench and the public archive.

Server-rendered Jinja2 pages (autoescaped) with plain forms and a little JavaScript,
and a JSON API for the same data (``/openapi.json``, shown as a plain page at ``/docs``:
no script from a CDN, nothing inline, under the app's own Content-Security-Policy). Every route calls the same
library functions as the CLI; nothing here drafts, parses, checks or renders itself.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sessionsketch import __version__
from sessionsketch.archive import Archive, NotFound
from sessionsketch.cluster import Remote
from sessionsketch.errors import UserError
from sessionsketch.web import imports, public, workbench
from sessionsketch.web.pages import HERE, make_templates, render, wants_json
from sessionsketch.web.security import LoginLimiter, trusted_networks
from sessionsketch.web.uploads import ParseLimits

DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024


class UploadLimit:
    """ASGI middleware: refuse request bodies larger than ``limit`` bytes with 413."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(self.limit)(scope, receive, send)
            return
        seen = 0
        limit = self.limit

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _BodyTooLarge:
            await _too_large(limit)(scope, receive, send)


SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """ASGI middleware: a strict Content-Security-Policy (no inline script) and friends on every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _BodyTooLarge(Exception):
    pass


def _too_large(limit: int) -> Response:
    return JSONResponse(
        {"detail": f"upload too large: the limit is {limit / 1024 / 1024:.0f} MB"}, status_code=413
    )


def create_app(
    archive: Archive,
    *,
    secure_cookies: bool = True,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    secret_key: str | None = None,
    parse_limits: ParseLimits | None = None,
    trusted_proxies: tuple[str, ...] | list[str] = (),
    mark_interrupted_imports: bool = True,
    scheduler: str | None = None,
) -> FastAPI:
    """The web app over ``archive``. The cookie-signing key is kept in the archive's settings.

    ``parse_limits``: the time and memory one upload's parse may take (see ``uploads``).
    ``trusted_proxies``: addresses or networks whose ``X-Forwarded-For`` names the client.
    ``mark_interrupted_imports``: imports left "running" by a stopped server are marked failed
    (a server starting; ``serve --workers N`` does it once, before the workers start).
    ``scheduler``: a Dask scheduler's address; the workbench's drafts run on that cluster
    (``cluster.Remote``), so the server's processes only wait for them.
    """
    remote = Remote(scheduler) if scheduler else None

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if remote is not None:
            remote.close()

    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        title="sessionsketch",
        version=__version__,
        description="The rapporteur's workbench and a searchable archive of session sketches: "
        "who said what, where and when. Reading is public; writes need a login and a CSRF token "
        "(the `X-CSRF-Token` header; get it from `GET /api/me`).",
    )
    key = secret_key or archive.set_setting("session_secret", secrets.token_urlsafe(48), overwrite=False)
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie="sessionsketch",
        max_age=14 * 24 * 3600,
        same_site="lax",
        https_only=secure_cookies,
    )
    app.add_middleware(UploadLimit, limit=max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    app.state.archive = archive
    app.state.remote = remote
    app.state.login_limiter = LoginLimiter(archive)
    app.state.templates = make_templates()
    app.state.max_upload_bytes = max_upload_bytes
    app.state.parse_limits = parse_limits or ParseLimits()
    app.state.trusted_proxies = trusted_networks(trusted_proxies)
    if mark_interrupted_imports:
        archive.fail_interrupted_imports()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 401 and request.method == "GET" and not wants_json(request):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        page = render(
            request, "error.html", {"status": exc.status_code, "message": exc.detail}, exc.status_code
        )
        page.headers.update(exc.headers or {})  # Retry-After, WWW-Authenticate
        return page

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        )
        if wants_json(request):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        return render(request, "error.html", {"status": 422, "message": problems}, 422)

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return render(request, "error.html", {"status": 400, "message": str(exc)}, 400)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=404)
        return render(request, "error.html", {"status": 404, "message": str(exc)}, 404)

    @app.get("/docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        return render(request, "api_docs.html", {"api": app.openapi(), "groups": _operations(app.openapi())})

    app.include_router(public.router)
    app.include_router(workbench.router)
    app.include_router(imports.router)
    return app


def _operations(api: dict) -> list[tuple[str, list[dict]]]:
    """The OpenAPI operations grouped by tag, for the ``/docs`` page."""
    groups: dict[str, list[dict]] = {}
    for path, methods in api.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p.get("name"),
                    "where": p.get("in"),
                    "required": p.get("required", False),
                    "description": p.get("description") or "",
                }
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {})
            for media in body.values():
                ref = media.get("schema", {}).get("$ref", "")
                schema = api.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[-1], {})
                required = set(schema.get("required", []))
                for name, prop in schema.get("properties", {}).items():
                    params.append(
                        {
                            "name": name,
                            "where": "form",
                            "required": name in required,
                            "description": prop.get("description") or "",
                        }
                    )
            groups.setdefault((op.get("tags") or ["other"])[0], []).append(
                {
                    "id": op.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": params,
                }
            )
    return sorted(groups.items())


#: ``serve --workers N`` passes its settings to each worker process in this variable (JSON).
SERVE_SETTINGS_ENV = "SESSIONSKETCH_SERVE_SETTINGS"


def app_from_environment() -> FastAPI:
    """The app for one worker process of ``serve --workers N``."""
    import json
    import os

    from sessionsketch.archive import open_archive
    from sessionsketch.web.uploads import die_with_parent, warm_parser

    settings = json.loads(os.environ[SERVE_SETTINGS_ENV])
    # a worker ends with its supervisor, even one killed by SIGKILL (and at once if it already has)
    die_with_parent(settings.get("supervisor") or os.getppid())
    archive = open_archive(settings["data"], settings["database"])
    warm_parser(background=True)
    return create_app(
        archive,
        secure_cookies=settings["secure_cookies"],
        max_upload_bytes=settings["max_upload_bytes"],
        parse_limits=ParseLimits(**settings.get("parse_limits", {})),
        trusted_proxies=settings.get("trusted_proxies", ()),
        mark_interrupted_imports=False,  # done once by `serve`, before the workers started
        scheduler=settings.get("scheduler"),
    )
