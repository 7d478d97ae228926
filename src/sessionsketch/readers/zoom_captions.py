"""Zoom's saved meeting captions (``.txt``): ``[Ada Quill] 10:02:31`` then the text below.

The time becomes the turn's start (seconds since midnight, as Zoom writes the clock).
"""

from __future__ import annotations

import re
from pathlib import Path

from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import head_text
from sessionsketch.readers.plain_text import read_lines

_HEADER = re.compile(r"^[ \t]*+\[[^\[\]\n]{1,80}\][ \t]++\d{1,2}:\d\d:\d\d[ \t]*+$", re.MULTILINE)


def _sniff(data: bytes, path: Path) -> float:
    text = head_text(data)
    lines = sum(1 for ln in text.split("\n") if ln.strip())
    headers = len(_HEADER.findall(text))
    return 0.85 if headers and headers * 4 >= lines else 0.0


@transcript_reader("zoom-captions", extensions=("txt",), sniff=_sniff, description="Zoom saved captions")
def read_zoom_captions(data: bytes, path: Path) -> Transcript:
    return read_lines(data, path, what="caption headers ('[Name] 10:02:31')")
