"""``sessionsketch render``: publish a sketch (JSON or Markdown) as md, html, pdf, docx or json."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer

from sessionsketch.commands.common import load_speaker_map, optional_programme
from sessionsketch.errors import UserError
from sessionsketch.readers import read_sketch, read_transcript
from sessionsketch.readers.sketch_text import missing_fields
from sessionsketch.writers import FORMATS, format_of, load_style, normalise_format, render_bytes, write_sketch
from sessionsketch.writers.styles import DEFAULT_STYLE, available_styles

log = logging.getLogger("sessionsketch")

_TEXT_FORMATS = ("md", "html", "json")


def register(app: typer.Typer) -> None:
    @app.command("render")
    def render_cmd(
        sketch_file: Path = typer.Argument(..., metavar="SKETCH", help="Sketch JSON (or Markdown, DOCX...)."),
        out: Path | None = typer.Option(
            None,
            "--output",
            "-o",
            help=f"Output file; its extension picks the format ({', '.join(FORMATS)}).",
        ),
        style: str = typer.Option(
            DEFAULT_STYLE,
            "--style",
            help=f"Style name ({', '.join(available_styles())}) or a style folder.",
        ),
        transcript: Path | None = typer.Option(
            None, "--transcript", "-t", help="Transcript: HTML output shows the turns each sentence rests on."
        ),
        programme: Path | None = typer.Option(
            None, "--programme", "-p", help="Programme, to resolve the transcript's speakers."
        ),
        speaker_map: Path | None = typer.Option(
            None, "--speaker-map", help="Transcript label → name (YAML)."
        ),
        fmt: str | None = typer.Option(
            None, "--format", "-f", help="Without -o: md, html or json on standard output (default md)."
        ),
    ) -> None:
        """Render a sketch in a house style: Markdown, HTML, PDF, Word or JSON.

        Without -o the sketch is printed as Markdown (or --format html/json).
        """
        loaded_style = load_style(style)  # an unknown style fails before any work
        key = normalise_format(fmt) if fmt else (format_of(out) if out is not None else None)
        if out is None and key is not None and key not in _TEXT_FORMATS:
            raise UserError(f"{key} is not printable; write it to a file with -o OUT.{key}")
        sketch = read_sketch(sketch_file)
        if sketch_file.suffix.lower() == ".json":  # the text readers warn themselves
            missing = missing_fields(sketch)
            if missing:
                log.warning("%s: not in this sketch, left out: %s", sketch_file, ", ".join(missing))
        tr = None
        if transcript is not None:
            tr = read_transcript(transcript, optional_programme(programme), load_speaker_map(speaker_map))
        if out is None:
            sys.stdout.buffer.write(render_bytes(sketch, key or "md", loaded_style, tr))
            sys.stdout.flush()
            return
        write_sketch(sketch, out, key, loaded_style, tr)
        log.info("wrote %s", out)
