"""What every route uses: the archive, the page renderer, the HTML-or-JSON choice, and the
``{name:id}`` path parameter.

The app (``web/app.py``) includes the routers (``public``, ``workbench``, ``imports``);
the routers import these helpers from here, never from the app, so there is no cycle (and
the ``id`` convertor is registered before any router writes a path with it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.convertors import Convertor, register_url_convertor

from sessionsketch.archive import Archive
from sessionsketch.web.security import csrf_token, current_user

HERE = Path(__file__).parent

#: The largest id a database row can have (SQLite's and PostgreSQL's 64-bit integers).
MAX_ID = 2**63 - 1


class IdConvertor(Convertor[int]):
    """``{sketch_id:id}``: an id or a position in a path, as digits that fit a 64-bit integer.

    Anything else (a minus sign, 2⁶³ or more, which the database cannot take and once
    gave a 500) matches no route, so it is a 404 like any other missing thing (issue 30
    §6, §11). Eighteen digits: every id below 10¹⁸, all well inside the range.
    """

    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        if not 0 <= int(value) <= MAX_ID:
            raise ValueError(f"id out of range: {value}")
        return str(int(value))


register_url_convertor("id", IdConvertor())


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
