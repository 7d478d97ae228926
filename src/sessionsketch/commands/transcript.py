"""``sessionsketch transcript``: the normalised transcript with resolved speakers."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from sessionsketch.commands.common import optional_programme, unresolved_table
from sessionsketch.errors import UserError
from sessionsketch.pipeline import read_transcript, unresolved_labels
from sessionsketch.readers.programme import load_speaker_map


def register(app: typer.Typer) -> None:
    @app.command("transcript")
    def transcript_cmd(
        file: Path = typer.Argument(
            ..., help="Transcript: text, captions, VTT, SRT, QMSum or WhisperX JSON."
        ),
        programme: Path | None = typer.Option(None, "--programme", "-p", help="Programme YAML/JSON."),
        speaker_map: Path | None = typer.Option(
            None, "--speaker-map", "-m", help="YAML/JSON mapping of labels (SPEAKER_00) to names."
        ),
        fmt: str = typer.Option("text", "--format", "-f", help="Output: text or json."),
        input_format: str | None = typer.Option(None, "--input-format", help="Force the transcript format."),
    ) -> None:
        """Print the transcript with every speaker label resolved to a participant."""
        if fmt not in ("text", "json"):
            raise UserError(f"--format must be 'text' or 'json', not '{fmt}'")
        prog = optional_programme(programme)
        smap = load_speaker_map(speaker_map)
        tr = read_transcript(file, prog, smap, input_format)
        if fmt == "json":
            typer.echo(json.dumps(tr.to_dict(), ensure_ascii=False, indent=2))
            return
        out = Console(highlight=False, soft_wrap=True)
        for t in tr.turns:
            who = t.speaker_name or f"[red]{t.label}[/red] (unresolved)"
            when = f" [dim]{_clock(t.start)}[/dim]" if t.start is not None else ""
            out.print(f"[bold]{t.index}. {who}[/bold]{when}", markup=True)
            out.print(t.text, markup=False)
            out.print()
        if tr.unresolved:
            unresolved_table(unresolved_labels(tr))


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}"
