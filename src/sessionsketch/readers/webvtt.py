"""WebVTT captions: Teams ``<v Name>`` voice tags, Zoom ``Name: text`` cues, YouTube captions.

A cue's first line that begins with a label starts that speaker's turn, whatever the
label's case or shape (``yuki wang:``, ``Speaker 1:``, ``SPEAKER_00:``, ``iPhone:``);
``>>`` marks a change of speaker as live captioners write it. YouTube's captions repeat
each line in the next cue (and tag every word with its time): in a file with those tags,
a line that repeats the line before it is read once.
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
    cue_line,
    head_text,
    merge_cues,
    normal_label,
    timed_blocks,
    warn_if_unlabelled,
)

# bounded, and stopping at the next "<", so a run of "<v <v <v" is read in linear time
_VOICE = re.compile(r"<v(?:\.[\w.\-]{0,80})?[ \t]+(?P<name>[^<>\n]{1,200})>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>\n]{0,400}>")
_ROLLING = re.compile(r"<c[.>]|<\d{1,2}:\d\d[:.]")


def _sniff(data: bytes, path: Path) -> float:
    return 1.0 if head_text(data, 64).lstrip("\ufeff \n").startswith("WEBVTT") else 0.0


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub("", text)).strip()


@transcript_reader(
    "vtt", extensions=("vtt",), sniff=_sniff, description="WebVTT: Teams <v Name>, Zoom Name: text, YouTube"
)
def read_webvtt(data: bytes, path: Path) -> Transcript:
    text = decode_text(data, path)
    if not text.lstrip("\ufeff \n").startswith("WEBVTT"):
        raise UserError("not a WebVTT file (the first line must be 'WEBVTT')", path, 1)
    rolling = bool(_ROLLING.search(text))
    cues: list[Cue] = []
    label = UNIDENTIFIED
    last_line = ""
    for block in timed_blocks(text, path, "."):
        body = "\n".join(block.lines)
        voices = list(_VOICE.finditer(body))
        if voices:
            lead = _plain(body[: voices[0].start()])
            if lead:
                cues.append(Cue(label, lead, block.start, block.end))
            for i, v in enumerate(voices):
                stop = voices[i + 1].start() if i + 1 < len(voices) else len(body)
                label = normal_label(v.group("name"))
                cues.append(Cue(label, _plain(body[v.end() : stop]), block.start, block.end))
            continue
        for offset, line in enumerate(block.lines):
            plain = _plain(line)
            if not plain:
                continue
            if rolling:
                if plain == last_line:
                    continue  # YouTube repeats the previous line at the top of each cue
                last_line = plain
            label = cue_line(
                plain, label, offset == 0, block.start, block.end, path, block.line + 1 + offset, cues
            )
    if not cues:
        raise UserError("no cues found in the WebVTT file", path)
    warn_if_unlabelled(cues, path)
    return merge_cues(cues, path)
