"""``sessionsketch render``: publish a sketch (JSON or Markdown) as md, html, pdf, docx or json."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer

from sessionsketch.commands.common import optional_programme
from sessionsketch.errors import UserError
from sessionsketch.pipeline import read_sketch, read_transcript
from sessionsketch.readers.programme import load_speaker_map
from sessionsketch.readers.sketch_text import missing_fields
from sessionsketch.writers import find_writer, formats, load_style, render_bytes, write_sketch, writer_for
from sessionsketch.writers.styles import DEFAULT_STYLE, available_styles

log = logging.getLogger("sessionsketch")


def register(app: typer.Typer) -> None:
    @app.command("render")
    def render_cmd(
        sketch_file: Path = typer.Argument(..., metavar="SKETCH", help="Sketch JSON (or Markdown, DOCX...)."),
        out: Path | None = typer.Option(
            None,
            "--output",
            "-o",
            help=f"Output file; its extension picks the format ({', '.join(formats())}).",
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
        writer = find_writer(fmt) if fmt else (writer_for(out) if out is not None else find_writer("md"))
        if out is None and not writer.printable:
            raise UserError(
                f"{writer.name} is not printable; write it to a file with -o OUT.{writer.extension}"
            )
        sketch = read_sketch(sketch_file)
        if sketch_file.suffix.lower() == ".json":  # the text readers warn themselves
            missing = missing_fields(sketch)
            if missing:
                log.warning("%s: not in this sketch, left out: %s", sketch_file, ", ".join(missing))
        tr = None
        if transcript is not None:
            tr = read_transcript(transcript, optional_programme(programme), load_speaker_map(speaker_map))
        if out is None:
            sys.stdout.buffer.write(render_bytes(sketch, writer.name, loaded_style, tr))
            sys.stdout.flush()
            return
        write_sketch(sketch, out, writer.name, loaded_style, tr)
        log.info("wrote %s", out)
