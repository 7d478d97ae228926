"""Live captions as conference captioners write them: ``>>NAME: text``.

``>>`` marks a change of speaker; lines without it continue the current speaker. A
``>>`` with no name is speech the captioner could not attribute.
"""

from __future__ import annotations

from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import (
    SPEAKER_CHANGE,
    UNIDENTIFIED,
    Cue,
    head_text,
    merge_cues,
    normal_label,
    read_label,
)


def _sniff(data: bytes, path: Path) -> float:
    lines = [ln for ln in head_text(data).split("\n") if ln.strip()][:200]
    if not lines:
        return 0.0
    changes = sum(1 for ln in lines if SPEAKER_CHANGE.match(ln))
    return 0.8 if changes and changes * 5 >= len(lines) else 0.0


@transcript_reader(
    "captions", extensions=("txt", "cap"), sniff=_sniff, description="Live captions, >>NAME: text"
)
def read_captions(data: bytes, path: Path) -> Transcript:
    text = decode_text(data, path)
    cues: list[Cue] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        m = SPEAKER_CHANGE.match(line)
        if m:
            rest = line[m.end() :]
            # ">>" says the speaker changed, so a label after it is sure in any case or shape
            found = read_label(rest, cue_start=True)
            cues.append(
                Cue(normal_label(found.label), found.text) if found else Cue(UNIDENTIFIED, rest.strip())
            )
        elif cues:
            cues[-1].add(line.strip())
    if not cues:
        raise UserError("no caption speaker changes ('>>NAME: text') found", path, 1)
    return merge_cues(cues, path)
