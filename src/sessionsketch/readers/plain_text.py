"""Plain-text transcripts: ``Name: text`` or ``NAME (Affiliation): text``, continuation lines."""

from __future__ import annotations

import logging
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import Cue, head_text, merge_cues, split_label

log = logging.getLogger("sessionsketch")


def _sniff(data: bytes, path: Path) -> float:
    lines = [ln for ln in head_text(data).split("\n") if ln.strip()][:200]
    if not lines:
        return 0.0
    labelled = sum(1 for ln in lines if split_label(ln))
    if labelled == 0:
        return 0.0
    # a plain-text transcript is the fallback for any text with speaker labels
    return 0.2 + 0.4 * min(1.0, 3 * labelled / len(lines))


@transcript_reader("text", extensions=("txt", "text"), sniff=_sniff, description="Plain text, Name: text")
def read_plain_text(data: bytes, path: Path) -> Transcript:
    """Read ``Name: text`` lines; unlabelled lines continue the previous speaker's turn."""
    text = decode_text(data, path)
    cues: list[Cue] = []
    preamble = 0
    for line in text.split("\n"):
        if not line.strip():
            continue
        parts = split_label(line)
        if parts:
            cues.append(Cue(parts[0], parts[1]))
        elif cues:
            cues[-1].text += " " + line.strip()
        else:
            preamble += 1
    if not cues:
        raise UserError("no speaker labels found (expected lines like 'Name: what they said')", path, 1)
    if preamble:
        log.warning("%s: %d line(s) before the first speaker label were left out", path, preamble)
    return merge_cues(cues, path)
