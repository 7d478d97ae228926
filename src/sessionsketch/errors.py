"""Errors a user can cause, reported as one line: ``file:line: message``."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input (bad file, unknown speaker, wrong flag).

    The CLI prints it as one line and exits with status 2; it never shows a traceback.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"
