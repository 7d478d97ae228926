"""A transcription written as WhisperX JSON, WebVTT or SRT, chosen by the output's extension.

The JSON is what ``readers/whisperx.py`` reads (segments with start, end, text, speaker and
words), plus ``speakers`` (how each voice was named) and ``transcription`` (model, embedder,
how the number of speakers was chosen). VTT cues carry the speaker as a voice tag
(``<v Dana Holt>``), SRT cues as ``Name: text`` — both as the project's readers read them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sessionsketch.errors import UserError

FORMATS = ("json", "vtt", "srt")


def format_for(path: str | Path | None) -> str:
    if path is None or str(path) == "-":
        return "json"
    ext = Path(str(path)).suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise UserError(f"a transcript is written as .json, .vtt or .srt, not '.{ext}'", path)
    return ext


def _clock(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def render(doc: dict[str, Any], fmt: str) -> str:
    segments = doc["segments"]
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if fmt == "vtt":
        lines = ["WEBVTT", ""]
        for seg in segments:
            voice = str(seg["speaker"]).replace(">", "")
            lines += [
                f"{_clock(seg['start'], '.')} --> {_clock(seg['end'], '.')}",
                f"<v {voice}>{seg['text']}",
                "",
            ]
        return "\n".join(lines)
    if fmt == "srt":
        lines = []
        for i, seg in enumerate(segments, 1):
            lines += [
                str(i),
                f"{_clock(seg['start'], ',')} --> {_clock(seg['end'], ',')}",
                f"{seg['speaker']}: {seg['text']}",
                "",
            ]
        return "\n".join(lines)
    raise ValueError(fmt)
