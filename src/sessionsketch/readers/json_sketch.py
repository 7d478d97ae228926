"""Sketch JSON, the model's own serialisation (what ``draft -o x.json`` writes).

A sentence that carries a ``speaker`` key (a name or null) keeps it exactly: ``parse``
attributes only the sentences whose speaker the file does not record.
"""

from __future__ import annotations

from pathlib import Path

from sessionsketch.analysis.attribute import RECORDED_IN_FILE
from sessionsketch.errors import UserError
from sessionsketch.files import load_json
from sessionsketch.model import Sketch
from sessionsketch.readers import sketch_reader


def _sniff(data: bytes, path: Path) -> float:
    head = data[:2048].lstrip()
    if not head.startswith(b"{"):
        return 0.0
    return 0.9 if (b'"metadata"' in data[:65536] or b'"paragraphs"' in data[:65536]) else 0.1


@sketch_reader("json", extensions=("json",), sniff=_sniff, description="sessionsketch sketch JSON")
def read_sketch_json(data: bytes, path: Path) -> Sketch:
    doc = load_json(data, path)  # also refuses JSON nested too deeply to read
    try:
        sketch = Sketch.from_dict(doc)
    except (TypeError, ValueError, KeyError) as exc:
        raise UserError(f"not a sketch: {exc}", path) from None
    for para, raw_para in zip(sketch.paragraphs, doc.get("paragraphs") or [], strict=False):
        for sent, raw in zip(para.sentences, raw_para.get("sentences") or [], strict=False):
            if "speaker" in raw:  # recorded, even as null: the file says who, parse keeps it
                sent.why, sent.confidence = RECORDED_IN_FILE, 1.0
    return sketch
