"""``sessionsketch transcript``: the normalised transcript with resolved speakers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from sessionsketch.commands.common import (
    diarisation_option,
    emit,
    from_option,
    is_stdio,
    legacy_format_option,
    one_of,
    optional_programme,
    pick_format,
    single_speaker_option,
    stdin_once,
    to_option,
    unresolved_table,
)
from sessionsketch.pipeline import read_transcript, unresolved_labels
from sessionsketch.readers.programme import load_speaker_map


def register(app: typer.Typer) -> None:
    @app.command("transcript")
    def transcript_cmd(
        file: Path = typer.Argument(
            ..., help="Transcript in any format (docs/formats.md); '-' is standard input."
        ),
        programme: Path | None = typer.Option(None, "--programme", "-p", help="Programme YAML/JSON."),
        speaker_map: Path | None = typer.Option(
            None, "--speaker-map", "-m", help="YAML/JSON mapping of labels (SPEAKER_00) to names."
        ),
        from_: str | None = from_option("transcript"),
        to: str | None = to_option("text or json (default text)"),
        out: Path | None = typer.Option(
            None, "--output", "-o", help="Write here ('-' or none: standard output)."
        ),
        single_speaker: str | None = single_speaker_option(),
        diarisation: Path | None = diarisation_option(),
        legacy_fmt: str | None = legacy_format_option("--to"),
        input_format: str | None = typer.Option(
            None, "--input-format", hidden=True, help="Deprecated: use --from."
        ),
    ) -> None:
        """Print the transcript with every speaker label resolved to a participant."""
        fmt = one_of(pick_format(to, "--to", legacy_fmt, "--format") or "text", "--to", ("text", "json"))
        reader = pick_format(from_, "--from", input_format, "--input-format")
        stdin_once(file, programme, speaker_map, diarisation)
        prog = optional_programme(programme)
        smap = load_speaker_map(speaker_map)
        tr = read_transcript(file, prog, smap, reader, single_speaker=single_speaker, diarisation=diarisation)
        if fmt == "json":
            emit(json.dumps(tr.to_dict(), ensure_ascii=False, indent=2) + "\n", out)
            return
        to_file = out is not None and not is_stdio(out)
        console = Console(
            highlight=False, soft_wrap=True, record=to_file, file=io.StringIO() if to_file else None
        )
        for t in tr.turns:
            who = t.speaker_name or f"[red]{escape(t.label)}[/red] (unresolved)"
            when = f" [dim]{_clock(t.start)}[/dim]" if t.start is not None else ""
            console.print(f"[bold]{t.index}. {who}[/bold]{when}", markup=True)
            console.print(t.text, markup=False)
            console.print()
        if to_file:
            emit(console.export_text(), out)
        if tr.unresolved:
            unresolved_table(unresolved_labels(tr))


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}"
