"""YouTube's SubViewer captions (``.sbv``): ``0:00:01.000,0:00:04.000`` then the text.

Cues are separated by blank lines; a cue that begins with a label (``Ada Quill:``,
``>> BRAM:``, ``Speaker 1:``) starts that speaker's turn, others continue the current one.
"""

from __future__ import annotations

import re
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import (
    UNIDENTIFIED,
    Cue,
    cue_line,
    head_text,
    merge_cues,
    parse_clock,
    warn_if_unlabelled,
)

_TIMING = re.compile(r"^[ \t]*+(?P<a>\d{1,3}:\d\d:\d\d\.\d{1,3}),(?P<b>\d{1,3}:\d\d:\d\d\.\d{1,3})[ \t]*+$")


def _sniff(data: bytes, path: Path) -> float:
    first = next((ln for ln in head_text(data).lstrip("\ufeff").split("\n") if ln.strip()), "")
    return 0.9 if _TIMING.match(first) else 0.0


@transcript_reader("sbv", extensions=("sbv",), sniff=_sniff, description="YouTube SubViewer captions")
def read_sbv(data: bytes, path: Path) -> Transcript:
    text = decode_text(data, path)
    cues: list[Cue] = []
    label = UNIDENTIFIED
    start = end = None
    offset = -1  # the line's place in its cue; -1 outside a cue
    for number, line in enumerate(text.split("\n"), 1):
        m = _TIMING.match(line)
        if m:
            start, end = parse_clock(m.group("a")), parse_clock(m.group("b"))
            offset = 0
            continue
        plain = line.strip().lstrip("\ufeff")
        if not plain:
            offset = -1
            continue
        if offset < 0:
            raise UserError(
                f"text outside a cue: '{plain[:40]}' (expected a '0:00:01.000,0:00:04.000' line)",
                path,
                number,
            )
        label = cue_line(plain, label, offset == 0, start, end, path, number, cues)
        offset += 1
    if not cues:
        raise UserError("no captions found (expected '0:00:01.000,0:00:04.000' lines)", path)
    warn_if_unlabelled(cues, path)
    return merge_cues(cues, path)
