"""Diarised ASR JSON in the WhisperX shape.

``{"segments": [{"start": 0.0, "end": 4.2, "text": "...", "speaker": "SPEAKER_00"}]}``
(or the bare list of segments). Labels stay as the diariser wrote them; a speaker
map (``--speaker-map`` or the programme's ``speaker_map``) names them at resolution.
Plain whisper / faster-whisper output has no ``speaker`` on any segment: it is refused
with a line that says so and how to add speakers, rather than read as one voice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sessionsketch.errors import UserError
from sessionsketch.files import load_json
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import UNIDENTIFIED, Cue, head_text, merge_cues


def _sniff(data: bytes, path: Path) -> float:
    head = head_text(data).lstrip("\ufeff \n")
    if not head.startswith(("{", "[")):
        return 0.0
    if '"segments"' in head and '"start"' in head:
        return 0.9
    if head.startswith("[") and '"start"' in head and '"text"' in head:
        return 0.8
    return 0.0


def _seconds(value: Any, where: str, path: Path) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UserError(f"{where} must be a number of seconds, not {json.dumps(value)[:30]}", path)
    return float(value)


@transcript_reader(
    "whisperx",
    extensions=("json",),
    sniff=_sniff,
    description="WhisperX diarised JSON (whisper without speakers is explained)",
)
def read_whisperx(data: bytes, path: Path) -> Transcript:
    doc = load_json(data, path)
    segments = doc.get("segments") if isinstance(doc, dict) else doc
    if not isinstance(segments, list):
        raise UserError("not WhisperX JSON: expected 'segments', a list of {start, end, text, speaker}", path)
    if segments and not any(isinstance(seg, dict) and seg.get("speaker") is not None for seg in segments):
        raise UserError(
            "whisper output without speakers: the file has no speaker turns. Diarise it first "
            "(WhisperX with --diarize adds a 'speaker' to each segment), then name the labels "
            "with --speaker-map",
            path,
        )
    cues: list[Cue] = []
    for i, seg in enumerate(segments):
        if not isinstance(seg, dict) or not isinstance(seg.get("text"), str):
            raise UserError(f"segments[{i}] needs 'text' (and 'start', 'end', 'speaker')", path)
        speaker = seg.get("speaker")
        label = str(speaker).strip() if speaker is not None and str(speaker).strip() else UNIDENTIFIED
        cues.append(
            Cue(
                label,
                seg["text"],
                _seconds(seg.get("start"), f"segments[{i}].start", path),
                _seconds(seg.get("end"), f"segments[{i}].end", path),
            )
        )
    return merge_cues(cues, path)
