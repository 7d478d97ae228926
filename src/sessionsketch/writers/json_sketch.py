"""Sketch JSON: the model's own serialisation."""

from __future__ import annotations

import json

from sessionsketch.model import Sketch, Transcript
from sessionsketch.writers import sketch_writer
from sessionsketch.writers.styles import Style


@sketch_writer("json", ("json",), "application/json")
def write_json(sketch: Sketch, style: Style, transcript: Transcript | None = None) -> bytes:
    return (json.dumps(sketch.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
