"""Word lists the analysis reads, kept as data files (as sumy keeps its stop words).

``data/words/NAME.txt`` holds one list: words or phrases separated by white space or
new lines; ``#`` starts a comment. :func:`words` reads one as a frozen set (cached), so
a list is edited in one place and every module that needs it reads the same file.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def words(name: str) -> frozenset[str]:
    """The words of ``data/words/<name>.txt`` (lower case as written; comments dropped)."""
    return frozenset(w for line in _lines(name) for w in line.split())


@cache
def phrases(name: str) -> tuple[str, ...]:
    """The lines of ``data/words/<name>.txt``, one phrase each (comments and blanks dropped)."""
    return tuple(line for line in _lines(name) if line)


def _lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("words", f"{name}.txt").read_text(encoding="utf-8")
    return [line.split("#", 1)[0].strip() for line in text.splitlines()]
