"""Who may write, and proof that a write came from our own form: login and CSRF.

Reading the archive is public. Every route that changes something depends on
:func:`editor` (a logged-in user, from the signed session cookie) and on
:func:`csrf_protect` (the session's CSRF token, sent back as the ``csrf_token`` form
field or the ``X-CSRF-Token`` header).
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=401, detail="log in to do this")


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def current_user(request: Request) -> str | None:
    return request.session.get("user")


def editor(request: Request) -> str:
    """Dependency: the logged-in user's name, or 401."""
    user = current_user(request)
    if not user:
        raise LoginRequired()
    return user


async def csrf_protect(request: Request) -> None:
    """Dependency: refuse a write without the session's CSRF token (403)."""
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(str(expected), str(sent)):
        raise HTTPException(
            status_code=403, detail="missing or wrong CSRF token; reload the page and try again"
        )


def login(request: Request, user: str) -> None:
    """Start a fresh session for ``user`` (new CSRF token, so an old one cannot be replayed)."""
    request.session.clear()
    request.session["user"] = user
    request.session["csrf"] = secrets.token_urlsafe(32)


def logout(request: Request) -> None:
    request.session.clear()
