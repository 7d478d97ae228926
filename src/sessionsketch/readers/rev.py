"""Rev transcripts: the JSON (``monologues`` of ``elements``) and the text export.

JSON: ``{"monologues": [{"speaker": 0, "speaker_info": {"name": "Ada Quill"}, "elements":
[{"type": "text", "value": "Hello", "ts": 0.5, "end_ts": 0.9}, {"type": "punct", "value":
"."}]}]}``; a monologue's text is its elements' values joined, its times the first ``ts``
and the last ``end_ts``; its label the speaker's name when Rev has one (``speaker_info``'s
``name`` or ``display_name``, or the top-level ``speakers`` list), else ``Speaker 0``. Text: ``Speaker 0    00:00:00
text`` on one line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sessionsketch.errors import UserError
from sessionsketch.files import load_json
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import Cue, head_text, merge_cues, normal_label
from sessionsketch.readers.plain_text import read_lines


def _sniff_json(data: bytes, path: Path) -> float:
    head = head_text(data).lstrip("\ufeff \n")
    return 0.95 if head.startswith("{") and '"monologues"' in head else 0.0


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _name(info: Any) -> str:
    """The name in a ``speaker_info`` (or ``speakers`` entry): ``name``, else ``display_name``
    (the Rev.ai SDK's ``SpeakerInfo``, which Rev's human transcripts fill)."""
    if isinstance(info, dict):
        for key in ("name", "display_name"):
            if isinstance(info.get(key), str) and info[key].strip():
                return info[key].strip()
    return ""


@transcript_reader("rev", extensions=("json",), sniff=_sniff_json, description="Rev JSON (monologues)")
def read_rev_json(data: bytes, path: Path) -> Transcript:
    doc = load_json(data, path)
    monologues = doc.get("monologues") if isinstance(doc, dict) else None
    if not isinstance(monologues, list):
        raise UserError("not Rev JSON: expected 'monologues', a list of {speaker, elements}", path)
    names: dict[str, str] = {}
    for s in doc.get("speakers") or []:
        if isinstance(s, dict) and _name(s):
            names[str(s.get("id"))] = _name(s)
    cues: list[Cue] = []
    for i, mono in enumerate(monologues):
        if not isinstance(mono, dict) or not isinstance(mono.get("elements"), list):
            raise UserError(f"monologues[{i}] needs 'elements' (a list of text and punct)", path)
        speaker = mono.get("speaker")
        label = _name(mono.get("speaker_info")) or names.get(str(speaker), "")
        if not label:
            label = (
                f"Speaker {speaker}" if isinstance(speaker, int | str) and str(speaker).strip() else "Unknown"
            )
        parts: list[str] = []
        start = end = None
        for el in mono["elements"]:
            if not isinstance(el, dict) or not isinstance(el.get("value"), str):
                continue
            parts.append(el["value"])
            if el.get("type") == "text":
                ts, end_ts = _number(el.get("ts")), _number(el.get("end_ts"))
                if start is None and ts is not None:
                    start = ts
                if end_ts is not None:
                    end = end_ts
        cues.append(Cue(normal_label(label), "".join(parts), start, end))
    return merge_cues(cues, path)


_TEXT_LINE = re.compile(
    r"^[ \t]*+[^\t:\[\]\n]{1,80}?(?:\t|[ ]{2})[ \t]*+\d{1,2}:\d\d:\d\d(?:\t|[ ]{2})", re.MULTILINE
)


def _sniff_text(data: bytes, path: Path) -> float:
    text = head_text(data)
    lines = sum(1 for ln in text.split("\n") if ln.strip())
    found = len(_TEXT_LINE.findall(text))
    return 0.85 if found and found * 3 >= lines else 0.0


@transcript_reader("rev-text", extensions=("txt",), sniff=_sniff_text, description="Rev text export")
def read_rev_text(data: bytes, path: Path) -> Transcript:
    return read_lines(data, path, what="speakers ('Speaker 0    00:00:00    text')")
