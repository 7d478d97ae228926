"""The institute's outline: the session title, then one line per sentence with its speaker."""

from __future__ import annotations

from sessionsketch.model import Sketch, Transcript
from sessionsketch.writers import sketch_writer
from sessionsketch.writers.styles import Style


@sketch_writer("outline", ("outline", "otl"), "text/plain; charset=utf-8")
def write_outline(sketch: Sketch, style: Style, transcript: Transcript | None = None) -> bytes:
    lines = [f"= {sketch.metadata.session or 'Untitled'} ="]
    lines += [f"- [{s.speaker or 'framing'}] {s.text}" for s in sketch.sentences]
    return ("\n".join(lines) + "\n").encode("utf-8")
