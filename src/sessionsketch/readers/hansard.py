"""Parliamentary records as text, Hansard style: ``Ada Quill (Imaginary West) (Lab): text``.

A numbered question (``1. Ada Quill (Imaginary West) (Lab): What steps…``) starts a turn
like any other label; unlabelled paragraphs continue the speaker.
"""

from __future__ import annotations

import re
from pathlib import Path

from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import head_text
from sessionsketch.readers.plain_text import read_lines

_MEMBER = re.compile(
    r"^[ \t]*+(?:\d{1,4}\.[ \t]++)?[A-Z][^:\n]{0,80}\([^()\n]{1,80}\)[ \t]*+\([^()\n]{1,40}\):", re.MULTILINE
)


def _sniff(data: bytes, path: Path) -> float:
    return 0.7 if _MEMBER.search(head_text(data)) else 0.0


@transcript_reader(
    "hansard", extensions=("txt",), sniff=_sniff, description="Hansard text, Name (Seat) (Party):"
)
def read_hansard(data: bytes, path: Path) -> Transcript:
    return read_lines(data, path, what="speakers ('Name (Constituency) (Party): text')")
