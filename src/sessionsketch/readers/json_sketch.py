"""Sketch JSON, the model's own serialisation (what ``draft -o x.json`` writes)."""

from __future__ import annotations

import json
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Sketch
from sessionsketch.readers import sketch_reader


def _sniff(data: bytes, path: Path) -> float:
    head = data[:2048].lstrip()
    if not head.startswith(b"{"):
        return 0.0
    return 0.9 if (b'"metadata"' in data[:65536] or b'"paragraphs"' in data[:65536]) else 0.1


@sketch_reader("json", extensions=("json",), sniff=_sniff, description="sessionsketch sketch JSON")
def read_sketch_json(data: bytes, path: Path) -> Sketch:
    try:
        doc = json.loads(decode_text(data, path))
    except json.JSONDecodeError as exc:
        raise UserError(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
    try:
        return Sketch.from_dict(doc)
    except (TypeError, ValueError, KeyError) as exc:
        raise UserError(f"not a sketch: {exc}", path) from None
