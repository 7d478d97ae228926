"""``sessionsketch draft``: programme + transcript → a session sketch.

With a transcript folder and ``-o OUT_DIR`` it drafts every session of a multi-session
programme in parallel, matching each session to a transcript by number or slug.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path

import typer

from sessionsketch.errors import UserError

log = logging.getLogger("sessionsketch")

FORMATS = ("md", "html", "pdf", "docx", "json")
_ENGLISH_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "to",
        "in",
        "is",
        "that",
        "it",
        "for",
        "on",
        "with",
        "as",
        "was",
        "are",
        "be",
        "this",
        "have",
        "not",
        "but",
        "we",
        "they",
        "you",
        "i",
    ]
)


def looks_english(text: str, sample_words: int = 3000) -> bool:
    """Whether a transcript reads as English (share of common English function words)."""
    toks = re.findall(r"[^\W\d_]+", text[: sample_words * 8].lower())[:sample_words]
    if len(toks) < 20:
        return True
    return sum(1 for t in toks if t in _ENGLISH_WORDS) / len(toks) >= 0.12


def draft_one(
    programme_path: Path,
    transcript_path: Path,
    out: Path | None,
    session_key: str | None,
    words: int | None,
    include_moderator: bool,
    unattributed: bool,
    engine: str,
    allow_unresolved: bool,
    speaker_map_path: Path | None,
    fmt: str | None = None,
    extra: dict | None = None,  # type: ignore[type-arg]
) -> bytes | None:
    """Draft one session; write ``out`` (atomic) or return the Markdown bytes.

    ``extra`` goes to the engine as ``DraftOptions.extra`` (the LLM engine's settings).
    """
    from sessionsketch.commands.common import load_speaker_map
    from sessionsketch.engines import DraftOptions, draft_sketch
    from sessionsketch.readers.programme import load_programme, pick_session
    from sessionsketch.readers import read_transcript

    programme = load_programme(programme_path)
    session = pick_session(programme, session_key, programme_path)
    sub = replace(programme, sessions=[session] + [s for s in programme.sessions if s is not session])
    smap = load_speaker_map(speaker_map_path)
    transcript = read_transcript(transcript_path, sub, smap)
    if transcript.unresolved and not allow_unresolved:
        _unresolved_table(transcript)
        raise UserError(
            f"{len(transcript.unresolved)} speaker label(s) match no one on the programme; "
            "add them to --speaker-map or pass --allow-unresolved",
            transcript_path,
        )
    if not transcript.turns:
        raise UserError("the transcript has no turns", transcript_path)
    if not looks_english(" ".join(t.text for t in transcript.turns[:200])):
        log.warning("%s: the text does not look English; the engine is tuned for English", transcript_path)
    options = DraftOptions(
        words=words, include_moderator=include_moderator, unattributed=unattributed, extra=dict(extra or {})
    )
    sketch = draft_sketch(sub, transcript, session, engine, options)
    if out is None:
        return render(sketch, "md", transcript)
    write(sketch, out, fmt, transcript)
    return None


def render(sketch, fmt: str, transcript=None) -> bytes:  # type: ignore[no-untyped-def]
    from sessionsketch.writers import render_bytes

    return render_bytes(sketch, fmt, transcript=transcript)


def write(sketch, out: Path, fmt: str | None, transcript=None) -> None:  # type: ignore[no-untyped-def]
    """Write ``sketch`` to ``out`` in the format its extension (or ``fmt``) names (atomic)."""
    from sessionsketch.writers import write_sketch

    write_sketch(sketch, out, fmt, transcript=transcript)


def _unresolved_table(transcript) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Unresolved speaker labels")
    table.add_column("label")
    table.add_column("turns", justify="right")
    table.add_column("first turn", justify="right")
    for label in transcript.unresolved:
        turns = [t.index for t in transcript.turns if t.label == label]
        table.add_row(label, str(len(turns)), str(turns[0]) if turns else "")
    Console(stderr=True).print(table)


def match_transcripts(programme, folder: Path) -> list[tuple[object, Path]]:  # type: ignore[no-untyped-def]
    """Pair each session with the transcript in ``folder`` named by its number or slug."""
    from sessionsketch.readers.programme import slug_key

    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    pairs = []
    for s in programme.sessions:
        keys = {k for k in (s.slug, slug_key(s.title or "")) if k}
        number = str(s.number) if s.number is not None else None
        hit = None
        for f in files:
            stem = slug_key(f.stem)
            nums = re.findall(r"\d+", stem)
            if any(k and (stem == k or k in stem) for k in keys) or (number and nums and nums[-1] == number):
                hit = f
                break
        if hit is None:
            log.warning("%s: no transcript for session %s", folder, number or s.title)
            continue
        pairs.append((s, hit))
    return pairs


def _draft_job(args: tuple) -> tuple[str, str | None]:  # type: ignore[type-arg]
    """Draft one session in a worker; a user error comes back as its one-line text."""
    try:
        draft_one(*args)
    except UserError as exc:
        return str(args[2]), str(exc)
    return str(args[2]), None


def draft_conference(
    programme_path: Path, folder: Path, out_dir: Path, fmt: str, workers: int | None, **kw: object
) -> list[Path]:
    """Draft every session with a transcript in ``folder`` into ``out_dir`` in parallel."""
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from rich.progress import Progress

    from sessionsketch.readers.programme import load_programme, slug_key

    programme = load_programme(programme_path)
    pairs = match_transcripts(programme, folder)
    if not pairs:
        raise UserError("no transcript in the folder matches a session by number or slug", folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = []
    for s, path in pairs:
        name = s.slug or (f"session-{s.number}" if s.number is not None else slug_key(s.title or path.stem))
        key = str(s.number) if s.number is not None else (s.slug or slug_key(s.title or ""))
        dest = out_dir / f"{name}.{fmt}"
        jobs.append(
            (
                programme_path,
                path,
                dest,
                key,
                kw["words"],
                kw["include_moderator"],
                kw["unattributed"],
                kw["engine"],
                kw["allow_unresolved"],
                kw["speaker_map"],
                fmt,
                kw.get("extra"),
            )
        )
    done: list[Path] = []
    n = workers or min(len(jobs), os.cpu_count() or 1)
    with Progress(transient=False) as progress, ProcessPoolExecutor(max_workers=n) as pool:
        task = progress.add_task("drafting", total=len(jobs))
        futures = [pool.submit(_draft_job, j) for j in jobs]
        errors = []
        for fut in as_completed(futures):
            dest, error = fut.result()
            if error is None:
                done.append(Path(dest))
            else:
                errors.append(error)
            progress.advance(task)
    if errors:
        for error in errors[1:]:
            log.error("%s", error)
        raise UserError(errors[0])
    return sorted(done)


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
            None, "--output", "-o", help="Sketch file (.md .html .pdf .docx .json), or a folder."
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
        if transcript.is_dir():
            if out is None:
                raise typer.BadParameter("a transcript folder needs -o OUT_DIR", param_hint="--output")
            if fmt not in FORMATS:
                raise typer.BadParameter(f"one of {', '.join(FORMATS)}", param_hint="--format")
            written = draft_conference(
                programme,
                transcript,
                out,
                fmt,
                jobs,
                words=words,
                include_moderator=include_moderator,
                unattributed=unattributed,
                engine=engine,
                allow_unresolved=allow_unresolved,
                speaker_map=speaker_map,
                extra=extra,
            )
            for p in written:
                typer.echo(str(p))
            return
        if out is not None and out.suffix.lower().lstrip(".") not in FORMATS:
            raise UserError(
                f"cannot tell the output format from '{out.suffix}' (use {', '.join(FORMATS)})", out
            )
        data = draft_one(
            programme,
            transcript,
            out,
            session,
            words,
            include_moderator,
            unattributed,
            engine,
            allow_unresolved,
            speaker_map,
            extra=extra,
        )
        if data is not None:
            typer.echo(data.decode("utf-8"), nl=False)
