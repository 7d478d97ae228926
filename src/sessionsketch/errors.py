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


def caused_by_interrupt(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt is among the causes (or the context) of ``exc``: a Ctrl-C
    while a C extension initialises comes back as "ImportError: initialization failed"
    raised from it."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


_interrupts = 0  # Ctrl-Cs received since start-up (see interrupt_handler)


def interrupt_handler(signum: int, frame: object) -> None:
    """SIGINT as Python's default handler takes it (KeyboardInterrupt), remembered: a Ctrl-C
    that lands inside a library which swallows the exception (a C extension's start-up turns
    it into an ImportError that an ``except ImportError`` fallback then catches) still stops
    the command at its next :func:`check_interrupted`."""
    global _interrupts
    _interrupts += 1
    raise KeyboardInterrupt


def check_interrupted() -> None:
    """Raise KeyboardInterrupt if a Ctrl-C came (even one something swallowed)."""
    if _interrupts:
        raise KeyboardInterrupt
