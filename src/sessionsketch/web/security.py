"""Who may write, and proof that a write came from our own form: login and CSRF.

Reading the archive is public. Every route that changes something depends on
:func:`editor` (a logged-in user, from the signed session cookie) and on
:func:`csrf_protect` (the session's CSRF token, sent back as the ``csrf_token`` form
field or the ``X-CSRF-Token`` header). Failed logins are limited per user name and
address (:class:`LoginLimiter`).
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import HTTPException, Request

from sessionsketch.archive import Archive

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


@dataclass
class LoginLimiter:
    """At most ``max_failures`` failed logins per user name and client address in ``window`` seconds.

    The failures are kept in the archive, so every worker process of ``serve --workers N``
    (and a restarted server) counts the same ones. While a name and address are over the
    limit, logging in is refused without looking at the password, even a right one.
    """

    archive: Archive
    max_failures: int = 5
    window: float = 15 * 60
    clock: Callable[[], float] = field(default=time.time)

    def retry_after(self, name: str, address: str) -> int | None:
        """Seconds until ``name`` may try again from ``address``; None when it may try now."""
        now = self.clock()
        failures = self.archive.login_failures(name, address, now - self.window)
        if len(failures) < self.max_failures:
            return None
        # free again when the oldest failure that keeps the count at the limit leaves the window
        return max(1, math.ceil(failures[-self.max_failures] + self.window - now))

    def failed(self, name: str, address: str) -> None:
        now = self.clock()
        self.archive.record_login_failure(name, address, now, forget_before=now - self.window)

    def succeeded(self, name: str, address: str) -> None:
        self.archive.clear_login_failures(name, address)


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy on this machine, uvicorn takes
    it from X-Forwarded-For)."""
    return request.client.host if request.client else "unknown"
