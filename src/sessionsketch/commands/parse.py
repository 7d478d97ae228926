"""``sessionsketch parse``: read finished sketches back into sketch JSON, sentence by sentence."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from sessionsketch.commands.common import (
    emit,
    from_option,
    is_stdio,
    legacy_format_option,
    optional_programme,
    pick_format,
    stdin_once,
    to_option,
)
from sessionsketch.errors import UserError
from sessionsketch.files import write_atomic
from sessionsketch.model import Programme, Sketch
from sessionsketch.pipeline import parse_sketch, sketch_extensions, sketch_json

log = logging.getLogger("sessionsketch")


def write_json(dest: Path, sketch: Sketch) -> None:
    """Write the sketch JSON atomically; a destination that cannot be written is a user error."""
    try:
        write_atomic(dest, sketch_json(sketch))
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", dest) from None


def explain_lines(sketch: Sketch) -> list[str]:
    """One line per sentence: where, who, how sure, why."""
    out = []
    for pi, para in enumerate(sketch.paragraphs, 1):
        for si, sent in enumerate(para.sentences, 1):
            conf = f"{sent.confidence:.2f}" if sent.confidence is not None else "  - "
            words = sent.text.split()
            start = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
            out.append(f"¶{pi}.{si}  {sent.speaker or '(nobody)'}  {conf}  {start}  — {sent.why or ''}")
    return out


def _parse_folder(folder: Path, programme: Programme | None, out: Path | None, fmt: str | None) -> int:
    exts = sketch_extensions()
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower().lstrip(".") in exts)
    if out is not None and out.suffix:
        raise UserError("with a folder, -o names a folder to write one JSON per sketch", out)
    if not files:
        raise UserError("no sketch files (md, txt, pdf, docx, html, json) in this folder", folder)
    results: list[dict[str, object]] = []
    failed = 0
    console = Console(stderr=True)
    with Progress(
        TextColumn("parsing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=len(files))
        for path in files:
            progress.update(task, description=path.name)
            try:
                sketch = parse_sketch(path, programme, fmt)
            except UserError as exc:
                failed += 1
                log.error("%s", exc)
            else:
                if out is not None:
                    rel = path.relative_to(folder)
                    write_json(out / rel.with_name(rel.name + ".json"), sketch)
                else:
                    results.append({"source": str(path), "sketch": sketch.to_dict()})
            progress.advance(task)
    if out is None:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=2))
    console.print(f"parsed {len(files) - failed} of {len(files)} sketch file(s)", highlight=False)
    return failed


def register(app: typer.Typer) -> None:
    @app.command("parse")
    def parse_cmd(
        source: Path = typer.Argument(
            ...,
            metavar="FILE",
            help="Sketch (PDF, DOCX, Markdown, text, HTML, JSON) or a folder of them; '-' is standard input.",
        ),
        programme: Path | None = typer.Option(
            None, "--programme", "-p", help="Programme YAML/JSON: canonical names of the participants."
        ),
        out: Path | None = typer.Option(
            None, "--output", "-o", help="Write the sketch JSON here ('-' or none: standard output)."
        ),
        from_: str | None = from_option("sketch"),
        to: str | None = to_option("json (sketch JSON, with who each sentence is about)"),
        explain: bool = typer.Option(False, "--explain", help="Print why each sentence got its speaker."),
        legacy_fmt: str | None = legacy_format_option("--from (the input format)"),
    ) -> None:
        """Read a finished sketch back: metadata, paragraphs, and who each sentence reports on."""
        fmt = pick_format(from_, "--from", legacy_fmt, "--format")
        if to is not None and to.lower() != "json":
            raise UserError(
                f"parse writes sketch JSON, not '{to}'; to convert a sketch: sessionsketch render FILE --to {to}"
            )
        stdin_once(source, programme)
        prog = optional_programme(programme)
        if source.is_dir():
            if _parse_folder(source, prog, None if is_stdio(out) else out, fmt):
                raise typer.Exit(2)
            return
        sketch = parse_sketch(source, prog, fmt)
        if explain:
            err = Console(stderr=True, highlight=False, soft_wrap=True)
            for line in explain_lines(sketch):
                err.print(line, markup=False)
        if out is not None and not is_stdio(out):
            write_json(out, sketch)
        else:
            emit(sketch_json(sketch), None)
