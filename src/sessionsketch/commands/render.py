"""``sessionsketch render``: publish a sketch (JSON or Markdown) as md, html, pdf, docx or json."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from sessionsketch.commands.common import (
    diarisation_option,
    emit,
    from_option,
    is_stdio,
    legacy_format_option,
    optional_programme,
    pick_format,
    single_speaker_option,
    stdin_once,
    to_option,
)
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
        sketch_file: Path = typer.Argument(
            ..., metavar="SKETCH", help="Sketch JSON (or Markdown, DOCX...); '-' is standard input."
        ),
        out: Path | None = typer.Option(
            None,
            "--output",
            "-o",
            help="Output file; its extension picks the format unless --to ('-': standard output).",
        ),
        to: str | None = to_option(f"{', '.join(formats())} (default: the extension of -o, else md)"),
        from_: str | None = from_option("sketch"),
        style: str = typer.Option(
            DEFAULT_STYLE,
            "--style",
            help=f"Style name ({', '.join(available_styles())}) or a style folder.",
        ),
        transcript: Path | None = typer.Option(
            None, "--transcript", "-t", help="Transcript: HTML output shows the turns each sentence rests on."
        ),
        transcript_from: str | None = typer.Option(
            None, "--transcript-from", metavar="FORMAT", help="Format of the --transcript, if not detected."
        ),
        single_speaker: str | None = single_speaker_option(),
        diarisation: Path | None = diarisation_option(),
        programme: Path | None = typer.Option(
            None, "--programme", "-p", help="Programme, to resolve the transcript's speakers."
        ),
        speaker_map: Path | None = typer.Option(
            None, "--speaker-map", help="Transcript label → name (YAML)."
        ),
        legacy_fmt: str | None = legacy_format_option("--to"),
    ) -> None:
        """Render a sketch in a house style: Markdown, HTML, PDF, Word or JSON.

        Without -o the sketch is printed as Markdown (or --to html/json); -o - --to pdf
        writes a binary format to standard output.
        """
        stdin_once(sketch_file, transcript, programme, speaker_map, diarisation)
        fmt = pick_format(to, "--to", legacy_fmt, "--format")
        loaded_style = load_style(style)  # an unknown style fails before any work
        to_stdout = out is None or is_stdio(out)
        writer = find_writer(fmt) if fmt else (find_writer("md") if to_stdout else writer_for(out))
        if out is None and not writer.printable:
            raise UserError(
                f"{writer.name} is not printable; write it to a file with -o OUT.{writer.extension} "
                "(or to standard output with -o -)"
            )
        sketch = read_sketch(sketch_file, from_)
        if (from_ or sketch_file.suffix.lower().lstrip(".")) == "json":  # the text readers warn themselves
            missing = missing_fields(sketch)
            if missing:
                log.warning("%s: not in this sketch, left out: %s", sketch_file, ", ".join(missing))
        tr = None
        if transcript is not None:
            tr = read_transcript(
                transcript,
                optional_programme(programme),
                load_speaker_map(speaker_map),
                transcript_from,
                single_speaker=single_speaker,
                diarisation=diarisation,
            )
        if to_stdout:
            emit(render_bytes(sketch, writer.name, loaded_style, tr), None)
            return
        write_sketch(sketch, out, writer.name, loaded_style, tr)
        log.info("wrote %s", out)
