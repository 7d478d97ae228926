"""SubRip (SRT) subtitles whose cues begin with ``NAME:`` or ``[Name]``.

Cue indices may be missing; a cue that names nobody continues the previous speaker. A
label at the start of a cue starts a turn whatever its case or shape (``yuki wang:``,
``Speaker 1:``); an uncertain label later in a cue starts one too, with a warning.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import (
    UNIDENTIFIED,
    Cue,
    head_text,
    merge_cues,
    normal_label,
    read_label,
    timed_blocks,
    warn_if_unlabelled,
    warn_unsure,
)
from sessionsketch.readers.webvtt import headerless_vtt

_SRT_TIMING = re.compile(r"^[^\S\n]*+\d{1,3}:\d\d:\d\d[,.]\d{1,3}[^\S\n]*+-->", re.MULTILINE)
# bounded and stopping at the next "<" or "{", so runs of "<b <b <b" are read in linear time
_TAG = re.compile(r"</?(?:i|b|u|font)\b[^<>\n]{0,400}>|\{\\[^{}\n]{0,400}\}", re.IGNORECASE)


def _sniff(data: bytes, path: Path) -> float:
    head = head_text(data)
    if head.lstrip("\ufeff \n").startswith("WEBVTT") or headerless_vtt(head):
        return 0.0
    return 0.9 if _SRT_TIMING.search(head) else 0.0


@transcript_reader("srt", extensions=("srt",), sniff=_sniff, description="SRT subtitles, NAME: or [Name]")
def read_srt(data: bytes, path: Path) -> Transcript:
    text = decode_text(data, path)
    cues: list[Cue] = []
    label = UNIDENTIFIED
    blocks = timed_blocks(text, path, ",")
    for block in blocks:
        for offset, line in enumerate(block.lines):
            plain = html.unescape(_TAG.sub("", line)).strip()
            found = read_label(plain.lstrip("- "), cue_start=offset == 0) if plain else None
            if found:
                if not found.sure:
                    warn_unsure(path, block.line + 1 + offset, found)
                label = normal_label(found.label)
                cues.append(Cue(label, found.text, block.start, block.end))
            elif plain:
                cues.append(Cue(label, plain, block.start, block.end))
    if not cues and blocks:
        raise UserError("no speech found in the transcript (no subtitle cue holds any text)", path)
    if not cues:
        raise UserError("no subtitle cues found (expected '00:00:01,000 --> 00:00:04,000' lines)", path)
    warn_if_unlabelled(cues, path)
    return merge_cues(cues, path)
