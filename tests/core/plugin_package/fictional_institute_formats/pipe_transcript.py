"""Transcripts written ``NAME | what they said``, one turn a line."""

from __future__ import annotations

from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript, Turn
from sessionsketch.readers import transcript_reader


def _sniff(data: bytes, path: Path) -> float:
    lines = [line for line in data[:4096].splitlines() if line.strip()]
    return 0.95 if lines and all(b" | " in line for line in lines[:5]) else 0.0


@transcript_reader("pipe", extensions=("pipe",), sniff=_sniff, description="NAME | text, one turn a line")
def read_pipe(data: bytes, path: Path) -> Transcript:
    turns = []
    for number, line in enumerate(decode_text(data, path).splitlines(), 1):
        if not line.strip():
            continue
        label, sep, text = line.partition(" | ")
        if not sep:
            raise UserError("a turn is 'NAME | text'", path, number)
        turns.append(Turn(index=len(turns), label=label.strip(), text=text.strip()))
    return Transcript(turns=turns)
