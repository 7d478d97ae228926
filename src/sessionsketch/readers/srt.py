"""SubRip (SRT) subtitles whose cues begin with ``NAME:`` or ``[Name]``.

Cue indices may be missing; a cue that names nobody continues the previous speaker.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import UNIDENTIFIED, Cue, head_text, merge_cues, split_label, timed_blocks

_SRT_TIMING = re.compile(r"^\s*\d{1,3}:\d\d:\d\d[,.]\d{1,3}\s*-->", re.MULTILINE)
_TAG = re.compile(r"</?(?:i|b|u|font)[^>]*>|\{\\[^}]*\}", re.IGNORECASE)


def _sniff(data: bytes, path: Path) -> float:
    head = head_text(data)
    if head.lstrip("\ufeff \n").startswith("WEBVTT"):
        return 0.0
    return 0.9 if _SRT_TIMING.search(head) else 0.0


@transcript_reader("srt", extensions=("srt",), sniff=_sniff, description="SRT subtitles, NAME: or [Name]")
def read_srt(data: bytes, path: Path) -> Transcript:
    text = decode_text(data, path)
    cues: list[Cue] = []
    label = UNIDENTIFIED
    for block in timed_blocks(text, path, ","):
        for line in block.lines:
            plain = html.unescape(_TAG.sub("", line)).strip()
            parts = split_label(plain.lstrip("- ")) if plain else None
            if parts:
                label = parts[0]
                cues.append(Cue(label, parts[1], block.start, block.end))
            elif plain:
                cues.append(Cue(label, plain, block.start, block.end))
    if not cues:
        raise UserError("no subtitle cues found (expected '00:00:01,000 --> 00:00:04,000' lines)", path)
    return merge_cues(cues, path)
