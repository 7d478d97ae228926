"""WebVTT captions with ``<v Name>`` voice tags (or cues that begin ``NAME:``)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import UNIDENTIFIED, Cue, head_text, merge_cues, split_label, timed_blocks

_VOICE = re.compile(r"<v(?:\.[\w.\-]+)?[ \t]+(?P<name>[^>]+)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def _sniff(data: bytes, path: Path) -> float:
    return 1.0 if head_text(data, 64).lstrip("\ufeff \n").startswith("WEBVTT") else 0.0


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub("", text)).strip()


@transcript_reader("vtt", extensions=("vtt",), sniff=_sniff, description="WebVTT with <v Name> voice tags")
def read_webvtt(data: bytes, path: Path) -> Transcript:
    text = decode_text(data, path)
    if not text.lstrip("\ufeff \n").startswith("WEBVTT"):
        raise UserError("not a WebVTT file (the first line must be 'WEBVTT')", path, 1)
    cues: list[Cue] = []
    label = UNIDENTIFIED
    for block in timed_blocks(text, path, "."):
        body = "\n".join(block.lines)
        voices = list(_VOICE.finditer(body))
        if voices:
            lead = _plain(body[: voices[0].start()])
            if lead:
                cues.append(Cue(label, lead, block.start, block.end))
            for i, v in enumerate(voices):
                stop = voices[i + 1].start() if i + 1 < len(voices) else len(body)
                label = " ".join(v.group("name").split())
                cues.append(Cue(label, _plain(body[v.end() : stop]), block.start, block.end))
            continue
        for line in block.lines:
            parts = split_label(_plain(line))
            if parts:
                label = parts[0]
                cues.append(Cue(label, parts[1], block.start, block.end))
            else:
                cues.append(Cue(label, _plain(line), block.start, block.end))
    if not cues:
        raise UserError("no cues found in the WebVTT file", path)
    return merge_cues(cues, path)
