"""What every route uses: the archive, the page renderer, and the HTML-or-JSON choice.

The app (``web/app.py``) includes the routers (``public``, ``workbench``, ``imports``);
the routers import these helpers from here, never from the app, so there is no cycle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from sessionsketch.archive import Archive
from sessionsketch.web.security import csrf_token, current_user

HERE = Path(__file__).parent


def wants_json(request: Request) -> bool:
    """True for API clients (Accept: application/json, or a path under /api/)."""
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def archive_of(request: Request) -> Archive:
    return request.app.state.archive


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """A page, with the user and the CSRF token every form carries."""
    templates: Jinja2Templates = request.app.state.templates
    base = {"user": current_user(request), "csrf_token": csrf_token(request)}
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)
