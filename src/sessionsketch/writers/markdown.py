"""Markdown in the style's ``sketch.md.j2``: the reference's structure, readable as text."""

from __future__ import annotations

import re

from sessionsketch.model import Sketch, Transcript
from sessionsketch.writers import sketch_writer
from sessionsketch.writers.styles import Style
from sessionsketch.writers.view import sketch_view


@sketch_writer("md", ("md", "markdown", "txt"), "text/markdown; charset=utf-8")
def write_markdown(sketch: Sketch, style: Style, transcript: Transcript | None = None) -> bytes:
    text = style.render("sketch.md.j2", sketch_view(sketch, style, transcript), autoescape=False)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return text.encode("utf-8")
