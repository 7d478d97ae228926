"""Who may write, and proof that a write came from our own form: login and CSRF.

Reading the archive is public. Every route that changes something depends on
:func:`editor` (a logged-in user, from the signed session cookie) and on
:func:`csrf_protect` (the session's CSRF token, sent back as the ``csrf_token`` form
field or the ``X-CSRF-Token`` header). Failed logins are limited per user name and
address (:class:`LoginLimiter`); the address is the connection's, or the one a proxy named
in the configuration (``serve --trusted-proxy``) passes in ``X-Forwarded-For``.

The session cookie is signed, so the server keeps no sessions; instead each user has a
*session generation* in the archive, written into the cookie at login. Logging out, a new
password and ``sessionsketch user revoke NAME`` bump it, which ends every session signed
with the old one (a captured cookie stops working at once, not after 14 days).
"""

from __future__ import annotations

import ipaddress
import math
import secrets
import time
from collections.abc import Callable, Iterable
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
    """The logged-in user, if the session is still current (its generation is the user's)."""
    user = request.session.get("user")
    if not user:
        return None
    checked = getattr(request.state, "session_user", None)
    if checked is not None:
        return checked or None
    archive: Archive = request.app.state.archive
    generation = archive.session_generation(user)
    if generation is None or request.session.get("generation") != generation:
        request.session.clear()  # ended by a logout, a new password or `user revoke`
        request.state.session_user = ""
        return None
    request.state.session_user = user
    return user


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
    archive: Archive = request.app.state.archive
    request.session.clear()
    request.session["user"] = user
    request.session["generation"] = archive.session_generation(user)
    request.session["csrf"] = secrets.token_urlsafe(32)
    request.state.session_user = user


def logout(request: Request) -> None:
    """End the session, and every other session of the same user (a copy of the cookie included)."""
    user = current_user(request)
    if user:
        archive: Archive = request.app.state.archive
        archive.end_sessions(user)
    request.session.clear()
    request.state.session_user = ""


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
        return self._wait(failures, now)

    def attempt(self, name: str, address: str) -> int | None:
        """Claim one login attempt: None when the password may be checked (the attempt already
        counts as a failure; :meth:`succeeded` clears it), else the seconds to wait.

        Counting and recording are one transaction, so 16 wrong logins at once check the
        password ``max_failures`` times, not 16.
        """
        now = self.clock()
        failures = self.archive.claim_login_attempt(name, address, now, now - self.window, self.max_failures)
        return None if failures is None else self._wait(failures, now)

    def _wait(self, failures: list[float], now: float) -> int:
        # free again when the oldest failure that keeps the count at the limit leaves the window
        return max(1, math.ceil(failures[-self.max_failures] + self.window - now))

    def failed(self, name: str, address: str) -> None:
        now = self.clock()
        self.archive.record_login_failure(name, address, now, forget_before=now - self.window)

    def succeeded(self, name: str, address: str) -> None:
        self.archive.clear_login_failures(name, address)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(proxies: Iterable[str]) -> tuple[Network, ...]:
    """The proxies named in the configuration (addresses or networks: ``10.0.0.1``, ``10.0.0.0/8``)."""
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy.strip(), strict=False))
        except ValueError:
            from sessionsketch.errors import UserError

            raise UserError(f"--trusted-proxy: '{proxy}' is not an address or a network") from None
    return tuple(networks)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request: Request) -> str:
    """The client's address: the connection's, unless it comes from a proxy named in the
    configuration; then the nearest address in ``X-Forwarded-For`` that is not such a proxy.
    Anyone else's ``X-Forwarded-For`` is ignored (any local process could send one)."""
    address = request.client.host if request.client else "unknown"
    networks: tuple[Network, ...] = getattr(request.app.state, "trusted_proxies", ())
    if not networks or not _is_trusted(address, networks):
        return address
    forwarded = [
        a.strip() for a in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if a.strip()
    ]
    for hop in reversed(forwarded):
        if not _is_trusted(hop, networks):
            return hop
    return forwarded[0] if forwarded else address
