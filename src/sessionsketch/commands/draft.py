"""``sessionsketch draft``: programme + transcript → a session sketch.

``draft TRANSCRIPT`` alone infers the participants from the speaker labels. With a
transcript folder and ``-o OUT_DIR`` it drafts every session of a multi-session
programme in parallel, matching each session to a transcript by number or slug. The
work is :mod:`sessionsketch.pipeline`'s; this module reads the flags and shows progress.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress

from sessionsketch.cluster import open_pool
from sessionsketch.commands.common import (
    diarisation_option,
    emit,
    from_option,
    is_stdio,
    legacy_format_option,
    pick_format,
    scheduler_option,
    single_speaker_option,
    stdin_once,
    to_option,
    unresolved_table,
)
from sessionsketch.errors import UserError
from sessionsketch.pipeline import DraftRequest, UnresolvedSpeakers, draft_conference, draft_one
from sessionsketch.writers import find_writer, writer_for


def llm_extra(
    engine: str, endpoint: str | None, model: str | None, fallback: bool, explain: bool
) -> dict[str, object]:
    """The LLM flags as engine settings; a user error when they are given to another engine."""
    given = {
        k: v
        for k, v in (("endpoint", endpoint), ("model", model), ("fallback", fallback), ("explain", explain))
        if v
    }
    if given and engine != "llm":
        flags = ", ".join(f"--{k}" for k in given)
        raise UserError(f"{flags}: only for --engine llm (the engine is '{engine}')")
    if engine == "llm":
        from sessionsketch.engines.llm.settings import load_settings

        load_settings(given)  # a bad endpoint (flag, environment or config) fails before any work
    return given


def register(app: typer.Typer) -> None:
    @app.command("draft")
    def draft_cmd(
        programme: Path | None = typer.Argument(
            None,
            metavar="PROGRAMME",
            help="Programme YAML/JSON; leave it out to infer the participants from the transcript.",
            show_default=False,
        ),
        transcript: Path | None = typer.Argument(
            None,
            metavar="TRANSCRIPT",
            help="Transcript file ('-': standard input), or a folder of them (one per session).",
            show_default=False,
        ),
        out: Path | None = typer.Option(
            None,
            "--output",
            "-o",
            help="Sketch file (its extension picks the format unless --to), '-' for standard output, "
            "or a folder.",
        ),
        to: str | None = to_option("md, html, pdf, docx or json (default: the extension of -o, else md)"),
        from_: str | None = from_option("transcript"),
        words: int | None = typer.Option(None, "--words", "-w", min=20, help="Total length in words."),
        include_moderator: bool = typer.Option(
            False, "--include-moderator", help="Report the moderator too."
        ),
        unattributed: bool = typer.Option(
            False, "--unattributed", help="Chatham House: no names, affiliations or identifying roles."
        ),
        engine: str = typer.Option("extractive", "--engine", "-e", help="Drafting engine."),
        allow_unresolved: bool = typer.Option(
            False, "--allow-unresolved", help="Draft even if some labels match no one."
        ),
        speaker_map: Path | None = typer.Option(
            None, "--speaker-map", "-m", help="YAML/JSON mapping of labels (SPEAKER_00) to names."
        ),
        single_speaker: str | None = single_speaker_option(),
        diarisation: Path | None = diarisation_option(),
        session: str | None = typer.Option(None, "--session", "-s", help="Session number or slug."),
        legacy_fmt: str | None = legacy_format_option("--to"),
        jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="With a folder: parallel workers."),
        scheduler: str | None = scheduler_option(),
        endpoint: str | None = typer.Option(
            None,
            "--endpoint",
            help="--engine llm: OpenAI-compatible base URL, or 'ollama' (default: $OPENAI_BASE_URL).",
        ),
        model: str | None = typer.Option(
            None, "--model", help="--engine llm: model name (default: $OPENAI_MODEL)."
        ),
        fallback: bool = typer.Option(
            False, "--fallback", help="--engine llm: endpoint down → draft with the embedded engine."
        ),
        explain: bool = typer.Option(
            False, "--explain", help="--engine llm: list the sentences the evidence gate rejected, and why."
        ),
    ) -> None:
        """Draft an attributed, evidence-linked session sketch from a transcript.

        Without a programme the participants come from the speaker labels (said on stderr).
        """
        if programme is None:
            raise typer.BadParameter(
                "give a transcript (and, before it, a programme)", param_hint="TRANSCRIPT"
            )
        if transcript is None:
            programme_file, transcript = None, programme
        else:
            programme_file = programme
        stdin_once(programme_file, transcript, speaker_map, diarisation)
        fmt = pick_format(to, "--to", legacy_fmt, "--format")
        writer = find_writer(fmt) if fmt else None  # an unknown format fails before any work
        extra = llm_extra(engine, endpoint, model, fallback, explain)
        request = DraftRequest(
            programme=programme_file,
            transcript=transcript,
            out=None if is_stdio(out) else out,
            session=session,
            words=words,
            include_moderator=include_moderator,
            unattributed=unattributed,
            engine=engine,
            allow_unresolved=allow_unresolved,
            speaker_map=speaker_map,
            fmt=writer.name if writer else None,
            extra=extra,
            transcript_format=from_,
            single_speaker=single_speaker,
            diarisation=diarisation,
        )
        if transcript.is_dir():
            if out is None or is_stdio(out):
                raise typer.BadParameter("a transcript folder needs -o OUT_DIR", param_hint="--output")
            with open_pool(scheduler, jobs) as pool, Progress(transient=False) as progress:
                task = progress.add_task("drafting", total=None)
                written = draft_conference(
                    request,
                    out,
                    writer.name if writer else "md",
                    jobs,
                    lambda done, total: progress.update(task, completed=done, total=total),
                    pool,
                )
            for p in written:
                typer.echo(str(p))
            return
        if out is not None and not is_stdio(out) and writer is None:
            writer_for(out)  # an unknown extension fails before any work
        if out is None and writer is not None and not writer.printable:
            raise UserError(
                f"{writer.name} is not printable; write it to a file with -o OUT.{writer.extension} "
                "(or to standard output with -o -)"
            )
        try:
            data = draft_one(request)
        except UnresolvedSpeakers as exc:
            unresolved_table(exc.labels)
            raise
        if data is not None:
            emit(data, None)
