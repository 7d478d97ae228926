"""A fictional panel (invented people, an invented harbour forum) for the CLI tests."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

PANEL = """\
Ms. Ada Quill (Harbour Board): Good morning and welcome to the harbour water forum. I call Bram Teller first.
Bram Teller: Thank you. We measured the leaks in all twelve towns last winter, and one pipe in five loses water before it reaches a tap.
Bram Teller: The worst losses are in the oldest districts, where the mains were laid before the war and nobody has mapped them since.
Ada Quill: Should the towns publish those figures every month?
Bram Teller: Yes, every month, and street by street, because residents cannot judge the repairs without the data.
Cleo Marsh: I disagree that monthly publication is affordable for the small towns, which have no staff to prepare the figures.
Cleo Marsh: A quarterly report would cost a third as much and would still show whether the repairs are working.
Ms. Ada Quill (Harbour Board): Thank you both. With that I close the meeting.
"""

PROGRAMME = """\
conference: Harbour Water Forum
session:
  title: Leaks and open data
  moderator: Ada Quill, Harbour Board
  speakers:
    - Bram Teller, Institute of Imaginary Pipes
    - Cleo Marsh, Small Towns Association
"""


@pytest.fixture
def panel(tmp_path: Path) -> tuple[Path, Path]:
    """(programme.yaml, transcript.txt) of the fictional panel."""
    prog = tmp_path / "programme.yaml"
    prog.write_text(PROGRAMME, encoding="utf-8")
    tr = tmp_path / "forum.txt"
    tr.write_text(PANEL, encoding="utf-8")
    return prog, tr


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """``stdin(data)`` makes ``data`` (bytes or text) standard input."""

    def give(data: bytes | str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))

    return give
