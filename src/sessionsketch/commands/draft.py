"""``sessionsketch draft``: programme + transcript → a session sketch.

With a transcript folder and ``-o OUT_DIR`` it drafts every session of a multi-session
programme in parallel, matching each session to a transcript by number or slug. The
work is :mod:`sessionsketch.pipeline`'s; this module reads the flags and shows progress.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress

from sessionsketch.commands.common import unresolved_table
from sessionsketch.errors import UserError
from sessionsketch.pipeline import DraftRequest, UnresolvedSpeakers, draft_conference, draft_one
from sessionsketch.writers import find_writer, formats, writer_for


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
    return given


def register(app: typer.Typer) -> None:
    @app.command("draft")
    def draft_cmd(
        programme: Path = typer.Argument(..., help="Programme YAML/JSON."),
        transcript: Path = typer.Argument(
            ..., help="Transcript file, or a folder of them (one per session)."
        ),
        out: Path | None = typer.Option(
            None,
            "--output",
            "-o",
            help="Sketch file (its extension picks the format: .md .html .pdf .docx .json), or a folder.",
        ),
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
        session: str | None = typer.Option(None, "--session", "-s", help="Session number or slug."),
        fmt: str = typer.Option("md", "--format", "-f", help="With a folder: output format of each sketch."),
        jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="With a folder: parallel workers."),
        endpoint: str | None = typer.Option(
            None,
            "--endpoint",
            help="--engine llm: OpenAI-compatible base URL (e.g. http://127.0.0.1:8080/v1).",
        ),
        model: str | None = typer.Option(None, "--model", help="--engine llm: model name."),
        fallback: bool = typer.Option(
            False, "--fallback", help="--engine llm: endpoint down → draft with the embedded engine."
        ),
        explain: bool = typer.Option(
            False, "--explain", help="--engine llm: list the sentences the evidence gate rejected, and why."
        ),
    ) -> None:
        """Draft an attributed, evidence-linked session sketch from a transcript."""
        extra = llm_extra(engine, endpoint, model, fallback, explain)
        request = DraftRequest(
            programme=programme,
            transcript=transcript,
            out=out,
            session=session,
            words=words,
            include_moderator=include_moderator,
            unattributed=unattributed,
            engine=engine,
            allow_unresolved=allow_unresolved,
            speaker_map=speaker_map,
            extra=extra,
        )
        if transcript.is_dir():
            if out is None:
                raise typer.BadParameter("a transcript folder needs -o OUT_DIR", param_hint="--output")
            try:
                find_writer(fmt)
            except UserError:
                raise typer.BadParameter(f"one of {', '.join(formats())}", param_hint="--format") from None
            with Progress(transient=False) as progress:
                task = progress.add_task("drafting", total=None)
                written = draft_conference(
                    request,
                    out,
                    fmt,
                    jobs,
                    lambda done, total: progress.update(task, completed=done, total=total),
                )
            for p in written:
                typer.echo(str(p))
            return
        if out is not None:
            writer_for(out)  # an unknown extension fails before any work
        try:
            data = draft_one(request)
        except UnresolvedSpeakers as exc:
            unresolved_table(exc.labels)
            raise
        if data is not None:
            typer.echo(data.decode("utf-8"), nl=False)
