"""Plain-text transcripts: ``Name: text`` or ``NAME (Affiliation): text``, continuation lines.

Labels in any shape start a turn: ``Speaker 1:``, ``SPEAKER_00:``; a label the reader is
not sure of (``yuki wang:`` in running text) starts one too, with a warning naming the
line, so no line is ever joined to the previous speaker on a guess. A time on a line of
its own becomes the next turn's start.
"""

from __future__ import annotations

from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import cues_from_lines, head_text, merge_cues, read_label


def labelled_share(data: bytes) -> tuple[int, int]:
    """(lines with a sure speaker label, non-blank lines) in the head of ``data``."""
    lines = [ln for ln in head_text(data).split("\n") if ln.strip()][:200]
    labelled = 0
    for ln in lines:
        found = read_label(ln)
        labelled += bool(found and found.sure)
    return labelled, len(lines)


def _sniff(data: bytes, path: Path) -> float:
    labelled, total = labelled_share(data)
    if labelled == 0:
        return 0.0
    # a plain-text transcript is the fallback for any text with speaker labels
    return 0.2 + 0.4 * min(1.0, 3 * labelled / total)


def read_lines(data: bytes, path: Path, name_alone: bool = False, what: str = "speaker labels") -> Transcript:
    """Any line-based transcript (see :func:`~sessionsketch.readers._cues.cues_from_lines`)."""
    text = decode_text(data, path)
    cues = cues_from_lines(text.split("\n"), path, name_alone=name_alone)
    if not cues:
        raise UserError(f"no {what} found", path, 1)
    return merge_cues(cues, path)


@transcript_reader("text", extensions=("txt", "text"), sniff=_sniff, description="Plain text, Name: text")
def read_plain_text(data: bytes, path: Path) -> Transcript:
    """Read ``Name: text`` lines; unlabelled lines continue the previous speaker's turn."""
    return read_lines(data, path, what="speaker labels (expected lines like 'Name: what they said')")
