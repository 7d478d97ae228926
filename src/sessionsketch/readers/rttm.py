"""RTTM: who spoke when, as pyannote's speaker diarisation writes it.

One ``SPEAKER`` line per stretch of speech (NIST RTTM, as ``pyannote.audio``'s
``Annotation.write_rttm`` writes it)::

    SPEAKER harbour-panel 1 0.520 6.180 <NA> <NA> SPEAKER_00 <NA> <NA>

type, file id, channel, onset (seconds), duration, two unused fields, the speaker label,
two more unused fields. An RTTM file holds no words, so it is not a transcript on its own:
:func:`read_rttm` reads it for ``--diarisation``, which joins its speakers to a whisper
JSON's segments or words by time overlap (:mod:`sessionsketch.readers.whisperx`). Given
where a transcript is expected, the ``rttm`` reader says so in one line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text, read_bytes
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import head_text


@dataclass(frozen=True)
class SpeakerTurn:
    """One stretch of one speaker's voice, in seconds from the start of the recording."""

    start: float
    end: float
    speaker: str


def parse_rttm(text: str, path: str | Path | None = None) -> list[SpeakerTurn]:
    """The ``SPEAKER`` lines of an RTTM text, in order of onset.

    Other RTTM line types (``SPKR-INFO``, ``LEXEME`` …) and ``;;`` comments are skipped. A
    malformed ``SPEAKER`` line, or lines for more than one recording, is a user error naming
    the line.
    """
    turns: list[SpeakerTurn] = []
    files: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields or fields[0].startswith(";;") or fields[0] != "SPEAKER":
            continue
        if len(fields) < 8:
            raise UserError(
                f"an RTTM SPEAKER line has 10 fields (type, file, channel, onset, duration, "
                f"<NA>, <NA>, speaker, <NA>, <NA>), this one {len(fields)}",
                path,
                number,
            )
        try:
            onset, duration = float(fields[3]), float(fields[4])
        except ValueError:
            raise UserError(
                f"onset and duration must be seconds, not '{fields[3]}' and '{fields[4]}'", path, number
            ) from None
        if not (math.isfinite(onset) and math.isfinite(duration)) or onset < 0 or duration < 0:
            raise UserError(f"onset {fields[3]} and duration {fields[4]} cannot be negative", path, number)
        files.setdefault(fields[1], number)
        if len(files) > 1:
            raise UserError(
                f"this RTTM file holds more than one recording ({', '.join(files)}); "
                "give the lines of this transcript's recording only",
                path,
                number,
            )
        turns.append(SpeakerTurn(onset, onset + duration, fields[7]))
    if not turns:
        raise UserError("no SPEAKER lines: not an RTTM diarisation", path)
    return sorted(turns, key=lambda t: (t.start, t.end))


def read_rttm(path: str | Path) -> list[SpeakerTurn]:
    """Read an RTTM file (``-`` is standard input)."""
    return parse_rttm(decode_text(read_bytes(path), path), path)


def _sniff(data: bytes, path: Path) -> float:
    lines = [ln.split() for ln in head_text(data).splitlines() if ln.strip()]
    speaker = [f for f in lines if f and f[0] == "SPEAKER"]
    if not speaker or len(speaker) < len(lines) // 2:
        return 0.0
    return 0.95 if all(len(f) >= 8 for f in speaker) else 0.0


@transcript_reader(
    "rttm",
    extensions=("rttm",),
    sniff=_sniff,
    description="pyannote RTTM (who spoke when, no words): explained, read with --diarisation",
)
def read_rttm_as_transcript(data: bytes, path: Path) -> None:
    """An RTTM file where a transcript is expected: one line saying what to do with it."""
    turns = parse_rttm(decode_text(data, path), path)
    speakers = sorted({t.speaker for t in turns})
    raise UserError(
        f"an RTTM diarisation ({len(turns)} stretches, {len(speakers)} speakers) says who spoke when "
        "but holds no words; give the transcript (whisper JSON) and this file with --diarisation",
        path,
    )
