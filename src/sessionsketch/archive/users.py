"""Users of the workbench: names and argon2 password hashes, kept in the archive."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sessionsketch.archive.repository import Archive
from sessionsketch.errors import UserError

_HASHER = PasswordHasher()
_NAME_RE = re.compile(r"^[\w.@+-]{1,64}$")
MIN_PASSWORD_LENGTH = 8


def add_user(archive: Archive, name: str, password: str, is_admin: bool = False) -> None:
    """Create a user (or set a new password for an existing one)."""
    if not _NAME_RE.match(name):
        raise UserError(f"'{name}' is not a user name (letters, digits, . @ + - _; at most 64)")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    archive.add_user(name, _HASHER.hash(password), is_admin)


def authenticate(archive: Archive, name: str, password: str) -> bool:
    """True when ``password`` is the user's; rehashes with current parameters when needed."""
    user = archive.user(name)
    if user is None:
        # spend the same time as a real check, so a name's existence does not show
        _HASHER.hash(password)
        return False
    try:
        _HASHER.verify(user["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return False
    if _HASHER.check_needs_rehash(user["password_hash"]):
        archive.set_password_hash(name, _HASHER.hash(password))
    return True
