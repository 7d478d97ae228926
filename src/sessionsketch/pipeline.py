"""What the CLI and the web app both do: read and resolve, draft, parse, check.

The flow is readers → model → analysis → engines and checks → writers. Readers only
read (``readers.read_transcript_file``, ``readers.read_sketch``); this module adds the
analysis a command needs on top — speakers resolved against the programme, sentences
attributed — and drafts one session or a whole conference. ``cli.py``, ``commands/``
and ``web/`` call these functions and only present what comes back.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sessionsketch.analysis.attribute import attribute_sketch, canonical_metadata
from sessionsketch.analysis.resolve import infer_programme, resolve_transcript
from sessionsketch.data import words
from sessionsketch.engines import DraftOptions, DraftReport, draft_with_report
from sessionsketch.errors import UserError
from sessionsketch.files import read_text, write_atomic
from sessionsketch.model import DEFAULT_DISCLAIMER, Paragraph, Sentence, Sketch
from sessionsketch.readers import read_sketch, read_transcript_file, readers
from sessionsketch.readers.programme import (
    find_session,
    load_programme,
    load_speaker_map,
    pick_session,
    slug_key,
)
from sessionsketch.readers.whisperx import read_with_speakers
from sessionsketch.text import split_sentences, word_count
from sessionsketch.writers import find_writer, render_bytes, write_sketch

if TYPE_CHECKING:
    from sessionsketch.cluster import Pool
    from sessionsketch.model import Person, Programme, Session, Transcript

log = logging.getLogger("sessionsketch")

__all__ = [
    "DraftRequest",
    "UnresolvedSpeakers",
    "draft_conference",
    "draft_one",
    "draft_session",
    "looks_english",
    "match_transcripts",
    "parse_sketch",
    "plain_sketch",
    "read_sketch",
    "read_transcript",
    "sketch_extensions",
    "sketch_for_check",
    "sketch_json",
    "transcript_programme",
    "unresolved_labels",
]


# --------------------------------------------------------------------------- reading


def read_transcript(
    path: str | Path,
    programme: Programme | None = None,
    speaker_map: dict[str, str] | None = None,
    fmt: str | None = None,
    *,
    single_speaker: str | None = None,
    diarisation: str | Path | None = None,
) -> Transcript:
    """Read a transcript in any registered format and resolve its speakers.

    This is the one entry point for "a transcript given by the user" (``-`` is standard
    input). Whisper JSON without speakers is read with the speakers given:
    ``single_speaker`` (one name for all of it) or ``diarisation`` (an RTTM file joined by
    time overlap). Without a programme, a programme is inferred from the transcript's
    labels. Unresolved labels are listed in ``Transcript.unresolved``; callers decide
    whether that is an error.
    """
    from sessionsketch import audio  # a recording is transcribed first (docs/audio.md)

    if single_speaker is not None or diarisation is not None:
        raw = read_with_speakers(path, fmt, single_speaker, diarisation)
    elif fmt is None and audio.is_recording(path):
        raw = audio.read_recording(path, programme)
    else:
        raw = read_transcript_file(path, fmt)
    return resolve_transcript(raw, programme, speaker_map)


def transcript_programme(transcript: Transcript, speaker_map: dict[str, str] | None = None) -> Programme:
    """The programme a transcript's labels imply (no programme file), its turns resolved
    against it: labels that name one person merged, the chair guessed from what the turns do."""
    programme = infer_programme(transcript, speaker_map)
    resolve_transcript(transcript, programme, speaker_map)
    return programme


def parse_sketch(path: str | Path, programme: Programme | None = None, fmt: str | None = None) -> Sketch:
    """Read a finished sketch and attribute every sentence (``sessionsketch parse``).

    Participants are the people of the programme's session the sketch names (by title),
    else of its first session, when a programme is given — their canonical names replace
    the block's spellings; without a programme, the sketch's metadata block.
    """
    sketch = read_sketch(path, fmt)
    people = None
    if programme is not None and programme.sessions:
        named = find_session(programme, sketch.metadata.session) if sketch.metadata.session else None
        people = (named or programme.session).people
    if people:
        sketch.metadata = canonical_metadata(sketch.metadata, people)
    return attribute_sketch(sketch, people)


def sketch_extensions() -> set[str]:
    """File extensions some sketch reader claims (what a folder parse or import picks up)."""
    return {ext for r in readers("sketch").values() for ext in r.extensions}


def sketch_json(sketch: Sketch) -> str:
    """The sketch as sketch JSON (the ``json`` writer's output)."""
    return render_bytes(sketch, "json").decode("utf-8")


# --------------------------------------------------------------------------- checking


def plain_sketch(text: str, people: list[Person] | None = None) -> Sketch:
    """A sketch whose body is the prose paragraphs of ``text`` (no block read), attributed."""
    paragraphs = []
    for block in text.split("\n\n"):
        prose = " ".join(block.split())
        if word_count(prose) < 12 or "](http" in prose or prose.startswith(("#", "**", "[", "---", "|")):
            continue
        if prose.lstrip("*_\\ ").lower().startswith(DEFAULT_DISCLAIMER[:20].lower()):
            continue
        paragraphs.append(Paragraph([Sentence(s.text) for s in split_sentences(prose)]))
    return attribute_sketch(Sketch(paragraphs=paragraphs, disclaimer=None), people)


@dataclass
class CheckInput:
    """A sketch to check, the text it was read from (Markdown, text) and whether only its body was read."""

    sketch: Sketch
    text: str | None
    body_only: bool


def sketch_for_check(path: Path, programme: Programme | None, fmt: str | None = None) -> CheckInput:
    """The sketch ``check`` lints: parsed (read + attributed), or, for a text file no sketch
    reader claims, its prose paragraphs as the body so the names and language rules still run."""
    text_reader = readers("sketch")["text"]  # Markdown and plain text
    as_text = fmt == "text" or (fmt is None and path.suffix.lower().lstrip(".") in text_reader.extensions)
    text = read_text(path) if as_text and str(path) != "-" else None
    try:
        return CheckInput(parse_sketch(path, programme, fmt), text, False)
    except UserError:
        if text is None or fmt is not None:
            raise
    log.warning("%s: no sketch reader for this file; checking its paragraphs as plain text", path)
    return CheckInput(plain_sketch(text, programme.session.people if programme else None), text, True)


# --------------------------------------------------------------------------- drafting


def looks_english(text: str, sample_words: int = 3000) -> bool:
    """Whether a transcript reads as English (share of common English function words)."""
    toks = re.findall(r"[^\W\d_]+", text[: sample_words * 8].lower())[:sample_words]
    if len(toks) < 20:
        return True
    common = words("english_function_words")
    return sum(1 for t in toks if t in common) / len(toks) >= 0.12


def unresolved_labels(transcript: Transcript) -> list[tuple[str, int, int | None]]:
    """Each label that matches no one: (label, number of turns, index of its first turn)."""
    out = []
    for label in transcript.unresolved:
        turns = [t.index for t in transcript.turns if t.label == label]
        out.append((label, len(turns), turns[0] if turns else None))
    return out


class UnresolvedSpeakers(UserError):
    """Speaker labels that match no one on the programme; ``labels`` as :func:`unresolved_labels`."""

    def __init__(self, transcript: Transcript, path: str | Path | None) -> None:
        self.labels = unresolved_labels(transcript)
        super().__init__(
            f"{len(self.labels)} speaker label(s) match no one on the programme "
            f"({', '.join(label for label, _, _ in self.labels[:5])}{', …' if len(self.labels) > 5 else ''}); "
            "add them to --speaker-map or pass --allow-unresolved",
            path,
        )


def draft_session(
    programme: Programme,
    session: Session,
    transcript: Transcript,
    engine: str = "extractive",
    options: DraftOptions | None = None,
    allow_unresolved: bool = False,
) -> Sketch:
    """Draft one session from its resolved transcript; the engine's report is logged.

    A transcript without turns, or (unless ``allow_unresolved``) with labels that match no
    one, is a user error, and so is one from which no point could be drafted (an empty
    sketch is never written); a transcript that does not read as English is warned about.
    """
    where = transcript.source or "transcript"
    if transcript.unresolved and not allow_unresolved:
        raise UnresolvedSpeakers(transcript, where)
    if not transcript.turns:
        raise UserError("the transcript has no turns", where)
    if not looks_english(" ".join(t.text for t in transcript.turns[:200])):
        log.warning("%s: the text does not look English; the engine is tuned for English", where)
    sketch, report = draft_with_report(programme, transcript, session, engine, options)
    log_report(report)
    body = report.figures.get("body_sentences")
    if body == 0 or (body is None and not any(s.evidence for s in sketch.sentences)):
        # never an empty sketch with exit status 0: an opening and a disclaimer around nothing
        # (automatic captions have no full stops; greetings and thanks give no point)
        words = sum(len(t.text.split()) for t in transcript.turns)
        ended = sum(t.text.count(".") + t.text.count("?") + t.text.count("!") for t in transcript.turns)
        why = (
            " (it has no sentence punctuation, as automatic captions have none)"
            if words and not ended
            else ""
        )
        raise UserError(
            f"nothing to draft: no sentence in the transcript's {words} words gives a point{why}; "
            "nothing was written",
            where,
        )
    return sketch


def log_report(report: DraftReport) -> None:
    """An engine's report as log lines: notes are warnings, the summary and details information."""
    for note in report.notes:
        log.warning("%s", note)
    for line in [*([report.summary] if report.summary else []), *report.details]:
        log.info("%s", line)


@dataclass(frozen=True)
class DraftRequest:
    """One ``draft`` of one session from files: what the CLI's flags say."""

    programme: Path | None  # None: the participants are inferred from the transcript's labels
    transcript: Path
    out: Path | None = None  # None: the sketch comes back as bytes (Markdown unless ``fmt``)
    session: str | None = None  # number, slug or title; None: the first
    words: int | None = None
    include_moderator: bool = False
    unattributed: bool = False
    engine: str = "extractive"
    allow_unresolved: bool = False
    speaker_map: Path | None = None
    fmt: str | None = None  # output format when not the extension of ``out``
    extra: dict[str, Any] = field(default_factory=dict)  # engine settings (the LLM's)
    transcript_format: str | None = None  # a transcript reader's name; None: detected
    single_speaker: str | None = None  # whisper JSON without speakers: one voice
    diarisation: Path | None = None  # whisper JSON without speakers: an RTTM file

    def options(self) -> DraftOptions:
        return DraftOptions(
            words=self.words,
            include_moderator=self.include_moderator,
            unattributed=self.unattributed,
            extra=dict(self.extra),
        )


def draft_one(request: DraftRequest) -> bytes | None:
    """Draft one session; write ``request.out`` (atomic) or return the sketch's bytes.

    Without a programme the participants are inferred from the transcript's labels
    (:func:`transcript_programme`), and the log says who they were taken to be.
    """
    smap = load_speaker_map(request.speaker_map)
    how = {
        "fmt": request.transcript_format,
        "single_speaker": request.single_speaker,
        "diarisation": request.diarisation,
    }
    if request.programme is None:
        if request.session is not None:
            raise UserError("--session needs a programme")
        transcript = read_transcript(request.transcript, None, smap, **how)
        sub = transcript_programme(transcript, smap)
        session = sub.session
        log.info("%s", inferred_note(sub, request.transcript))
    else:
        programme = load_programme(request.programme)
        session = pick_session(programme, request.session, request.programme)
        sub = replace(programme, sessions=[session] + [s for s in programme.sessions if s is not session])
        transcript = read_transcript(request.transcript, sub, smap, **how)
    sketch = draft_session(
        sub, session, transcript, request.engine, request.options(), request.allow_unresolved
    )
    if request.out is None:
        return render_bytes(sketch, request.fmt or "md", transcript=transcript)
    write_sketch(sketch, request.out, request.fmt, transcript=transcript)
    return None


def inferred_note(programme: Programme, transcript: str | Path) -> str:
    """One line saying that the participants were inferred, and who they were taken to be."""
    session = programme.session
    people = [f"{p.name} ({p.role})" for p in session.moderators] + [p.name for p in session.speakers]
    shown = ", ".join(people[:8]) + (f" and {len(people) - 8} more" if len(people) > 8 else "")
    return (
        f"{transcript}: no programme; participants inferred from the speaker labels: {shown or 'none'} "
        f"(write one to edit with 'sessionsketch programme init {transcript} -o programme.yaml')"
    )


def match_transcripts(programme: Programme, folder: Path) -> list[tuple[Session, Path]]:
    """Pair each session with the transcript in ``folder`` named by its number or slug."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    pairs = []
    for s in programme.sessions:
        keys = {k for k in (s.slug, slug_key(s.title or "")) if k}
        number = str(s.number) if s.number is not None else None
        hit = None
        for f in files:
            stem = slug_key(f.stem)
            nums = re.findall(r"\d+", stem)
            if any(stem == k or k in stem for k in keys) or (number and nums and nums[-1] == number):
                hit = f
                break
        if hit is None:
            log.warning("%s: no transcript for session %s", folder, number or s.title)
            continue
        pairs.append((s, hit))
    return pairs


#: DraftRequest's input files: each travels to the task as bytes (``cluster.ship``)
_DRAFT_INPUTS = ("programme", "transcript", "speaker_map", "diarisation")


def draft_task(paths: dict[str, Path], request: DraftRequest) -> bytes:
    """One session of a folder on a worker: ``request`` with its input files at ``paths``,
    drafted to the sketch's bytes (the client writes them)."""
    local = replace(request, **paths, out=None)
    return draft_one(local) or b""  # out=None: the sketch's bytes come back


def draft_conference(
    request: DraftRequest,
    out_dir: Path,
    fmt: str,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    pool: Pool | None = None,
) -> list[Path]:
    """Draft every session with a transcript in the folder ``request.transcript`` into
    ``out_dir``, each session a task on ``pool`` (:mod:`sessionsketch.cluster`; default: a
    local process pool of ``workers``); ``progress(done, total)`` is called as each session
    is done. Each sketch is written here, atomically, as its task's bytes arrive; the
    sessions that failed are logged, one line each, and then are a user error."""
    from sessionsketch import cluster

    writer = find_writer(fmt)
    if request.programme is None:
        raise UserError(
            "a transcript folder needs a programme to match transcripts to sessions", request.transcript
        )
    programme = load_programme(request.programme)
    pairs = match_transcripts(programme, request.transcript)
    if not pairs:
        raise UserError("no transcript in the folder matches a session by number or slug", request.transcript)
    out_dir.mkdir(parents=True, exist_ok=True)
    shared = {
        name: cluster.ship(getattr(request, name))
        for name in _DRAFT_INPUTS
        if name != "transcript" and getattr(request, name) is not None
    }
    tasks = []
    for s, path in pairs:
        name = s.slug or (f"session-{s.number}" if s.number is not None else slug_key(s.title or path.stem))
        key = str(s.number) if s.number is not None else (s.slug or slug_key(s.title or ""))
        dest = out_dir / f"{name}.{writer.extension}"
        job = replace(request, transcript=path, out=dest, session=key, fmt=writer.name)
        tasks.append(
            cluster.Task(str(path), draft_task, {**shared, "transcript": cluster.ship(path)}, (job,))
        )
    written: list[Path] = []

    def write(task: cluster.Task, data: bytes) -> None:
        dest = task.args[0].out
        write_atomic(dest, data)
        written.append(dest)

    own = pool is None
    pool = pool or cluster.LocalPool(workers or min(len(tasks), os.cpu_count() or 1))
    try:
        report = cluster.run_tasks(pool, tasks, write, progress)
    finally:
        if own:
            pool.close()
    if report.failures:
        cluster.log_failures(report)
        raise UserError(
            f"{len(report.failures)} of {report.total} sessions failed (listed above); "
            f"the other {report.done} were written",
            out_dir,
        )
    return sorted(written)
