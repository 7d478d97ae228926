"""Pieces the transcript readers share: speaker labels, timestamps, merging cues into turns.

Not a reader itself (it registers nothing). A *cue* is one labelled stretch of
speech as a format writes it — a caption cue, a diarised segment, a ``Name:`` line
with its continuation lines; consecutive cues by the same speaker merge into one
:class:`~sessionsketch.model.Turn`.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sessionsketch.data import phrases, words
from sessionsketch.errors import UserError
from sessionsketch.model import Transcript, Turn

log = logging.getLogger("sessionsketch")

UNIDENTIFIED = "Unidentified speaker"
"""The label given to speech whose speaker the input does not name (an ``audience`` role)."""

_PARTICLES = r"(?:de|da|del|della|der|den|di|du|la|le|van|von|bin|binti|al|el|ibn|of|the|y|for|and)"
_NAME_WORD = r"(?:[A-Z\u00C0-\u00DE][\w'’.\-]*+|" + _PARTICLES + r")"
_PAREN = r"\((?:[^()]++|\([^()]*+\))*+\)"
LABEL = rf"{_NAME_WORD}(?:[ \t]++{_NAME_WORD}){{0,7}}(?:[ \t]*+{_PAREN}){{0,2}}"
"""A speaker label: up to eight capitalised words (particles allowed), then up to two
parentheticals, each of which may itself hold one: ``The Chair (Hon. Anthony Rota (Nipissing,
Lib.))``, Hansard's ``Ada Quill (Imaginary West) (Lab)``."""

LABEL_LINE = re.compile(rf"^[ \t]*+(?P<label>{LABEL})[ \t]*+:[ \t]*+(?P<text>.*)$")
"""``Name: text`` / ``NAME (Affiliation): text``."""

BRACKET_LINE = re.compile(r"^[ \t]*+(?:-[ \t]*+)?\[(?P<label>[^\[\]]{1,80})\][ \t]*+:?+[ \t]*+(?P<text>.*)$")
"""``[Name] text`` as subtitles write it."""

NOT_LABELS = frozenset(
    {
        "note",
        "notes",
        "nb",
        "ps",
        "re",
        "subject",
        "date",
        "time",
        "location",
        "venue",
        "http",
        "https",
        "title",
        "source",
        "question",
        "answer",
        "q",
        "a",
        "warning",
        "transcript",
        "summary",
        "agenda",
    }
)
"""Words that end in a colon at the start of a line without being speakers."""


@dataclass
class Cue:
    """One labelled stretch of speech; ``add`` appends a continuation line (linear time)."""

    label: str
    text: str
    start: float | None = None
    end: float | None = None
    more: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.more.append(text)

    def full_text(self) -> str:
        return " ".join([self.text, *self.more]) if self.more else self.text


class Label(NamedTuple):
    """A speaker label read from the start of a line, and how sure the reader is of it."""

    label: str
    text: str
    sure: bool
    why: str = ""


_LOOSE_LINE = re.compile(r"^[ \t]*+(?:-[ \t]*+)?(?P<label>[^:\n]{1,48}?)[ \t]*+:(?:[ \t]++(?P<text>.*))?$")
_LOOSE_WORD = re.compile(r"^[\w'’.\-+()#]+$")
_NUMBERED = re.compile(
    r"^(?:speaker|spk|participant|guest|user|caller|attendee|interpreter|unknown[ _\-]speaker|unknown)"
    r"(?:[ _\-]?\d+)?$",
    re.IGNORECASE,
)
_QUESTION_NUMBER = re.compile(r"^[ \t]*+\d{1,4}\.[ \t]++(?=[A-Z])")
_PHONE = re.compile(r"^\+?[\d \t().\-]{7,24}$")


def _loose_kind(label: str) -> str | None:
    """How a label the strict pattern refused looks: "sure", "name" (a bare name), or None (prose)."""
    words_ = label.split()
    if not 1 <= len(words_) <= 5 or label.casefold().strip(" .") in NOT_LABELS:
        return None
    if _PHONE.match(label) and sum(ch.isdigit() for ch in label) >= 7:
        return "sure"  # a dial-in participant: "+44 20 7946 0000"
    if not all(_LOOSE_WORD.match(w) for w in words_) or label.endswith((".", "-")):
        return None
    if not any(ch.isalpha() for ch in label):
        return None
    if _NUMBERED.match(label):
        return "sure"  # "Speaker 1", "SPEAKER_00", "Unknown Speaker", "Guest"
    folded = [w.casefold().strip("'’.-()#") for w in words_]
    devices = words("transcript_devices")
    if any(w.rstrip("0123456789") in devices for w in folded):
        return "sure"  # "iPhone", "Galaxy S21", "Conference Room 2"
    if any(w in words("transcript_label_stopwords") for w in folded):
        return None
    return "name"


def read_label(line: str, cue_start: bool = False, mid_sentence: bool = False) -> Label | None:
    """The speaker label at the start of ``line``, or None when the line has none.

    A capitalised ``Name:`` / ``NAME (Affiliation):`` / ``[Name]`` is sure. So are numbered
    and device labels in any case (``Speaker 1``, ``SPEAKER_00``, ``iPhone``) and dial-in
    numbers. A bare lower-case or mixed label (``yuki wang:``) is sure at the start of a
    caption cue, where services put labels, and unsure elsewhere: the reader then keeps
    the line as a turn of its own and warns, rather than gluing it onto the previous
    speaker. Prose (``so the point is: ...``) is no label.

    ``mid_sentence`` says the line before stopped in the middle of a sentence (wrapped
    text): a label there is unsure whatever its shape ("…our messages to the Westminster /
    Government: we need a deal"), and a single lower-case word (``clear:``) is prose.
    """
    parts = split_label(line)
    if parts:
        if mid_sentence and not cue_start:
            return Label(parts[0], parts[1], False, "the line before stops mid-sentence")
        return Label(parts[0], parts[1], True)
    q = _QUESTION_NUMBER.match(line)
    if q:  # Hansard's numbered questions: "1. Ada Quill (Imaginary West) (Lab): What steps…"
        parts = split_label(line[q.end() :])
        if parts and "(" in parts[0]:
            return Label(parts[0], parts[1], True)
    m = _LOOSE_LINE.match(line)
    if not m:
        return None
    label = " ".join(m.group("label").split())
    kind = _loose_kind(label)
    if kind is None:
        return None
    text = (m.group("text") or "").strip()
    if kind == "sure" or cue_start:
        return Label(label, text, True)
    if mid_sentence and any(w[:1].islower() for w in label.split()):
        return None  # "…absolutely / clear: we are working…", "…to / support Canadians: more…"
    return Label(label, text, False, "a label that is not a capitalised name")


def warn_unsure(path: Path, number: int | None, found: Label) -> None:
    """Log that ``found`` was kept as a turn of its own because its label is uncertain."""
    where = f"{path}:{number}" if number else str(path)
    log.warning(
        "%s: '%s:' read as a new speaker (%s); the line is kept as a turn of its own, "
        "not joined to the previous speaker; check it",
        where,
        found.label,
        found.why or "uncertain label",
    )


def is_footer(line: str) -> bool:
    """Whether ``line`` is a transcription service's footer ("Transcribed by https://otter.ai")."""
    folded = line.strip().casefold()
    return bool(folded) and any(folded.startswith(f.casefold()) for f in phrases("transcript_footers"))


def head_text(data: bytes, size: int = 8192) -> str:
    """The start of ``data`` as text, for sniffing (never raises; honours BOMs)."""
    head = data[:size]
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(enc, errors="ignore").replace("\r\n", "\n")
    if b"\x00" in head:
        return ""
    return head.decode("utf-8", errors="ignore").replace("\r\n", "\n")


def split_label(line: str) -> tuple[str, str] | None:
    """``"NAME (Affiliation): text"`` → (label, text), or None when the line has no label."""
    m = LABEL_LINE.match(line)
    if (
        m
        and m.group("label").strip(" .").casefold() not in NOT_LABELS
        and "://" not in line[: m.end("label") + 3]
    ):
        return " ".join(m.group("label").split()), m.group("text").strip()
    m = BRACKET_LINE.match(line)
    if m and m.group("label").strip() and not _stage_direction(m.group("label")):
        return " ".join(m.group("label").split()), m.group("text").strip()
    return None


def _stage_direction(label: str) -> bool:
    """``[Laughter.]``, ``[Inaudible]``, ``[correction: …]``: a transcriber's note, not a speaker."""
    label = label.strip()
    if not label or label.endswith((".", "!", "?")) or ":" in label:
        return True
    first = label.split()[0].casefold().strip("'’.,;()")
    return first in words("transcript_stage_directions")


_CLOCK = re.compile(r"^(?:(?P<h>\d{1,3}):)?(?P<m>[0-5]?\d):(?P<s>[0-5]?\d)(?:[.,](?P<f>\d{1,3}))?$")


def parse_clock(text: str) -> float | None:
    """``01:02:03.500`` / ``02:03,5`` / ``1:02:03`` → seconds, or None when it is not a time."""
    m = _CLOCK.match(text.strip())
    if not m:
        return None
    h = int(m.group("h") or 0)
    frac = m.group("f") or "0"
    return h * 3600 + int(m.group("m")) * 60 + int(m.group("s")) + int(frac) / 10 ** len(frac)


def merge_cues(cues: list[Cue], path: Path) -> Transcript:
    """Consecutive cues by the same speaker → one turn; start of the first, end of the last.

    Texts are collected in lists and joined once, so merging is linear in the input.
    """
    turns: list[Turn] = []
    parts: list[list[str]] = []
    for cue in cues:
        text = " ".join(cue.full_text().split())
        if not text:
            continue
        if turns and turns[-1].label == cue.label:
            last = turns[-1]
            parts[-1].append(text)
            if cue.end is not None:
                last.end = cue.end
            if last.start is None:
                last.start = cue.start
            continue
        turns.append(Turn(index=len(turns), label=cue.label, text="", start=cue.start, end=cue.end))
        parts.append([text])
    if not turns:
        raise UserError("no speech found in the transcript", path)
    for turn, texts in zip(turns, parts, strict=True):
        turn.text = " ".join(texts)
    return Transcript(turns=turns)


@dataclass
class TimedBlock:
    """One subtitle cue: its times, its text lines, the line its timing is on."""

    start: float
    end: float
    lines: list[str]
    line: int


_TIMING = re.compile(r"^\s*+(?P<a>\S+)\s*+-->\s*+(?P<b>\S++)(?P<rest>.*)$")


def timed_blocks(text: str, path: Path, decimal: str) -> list[TimedBlock]:
    """The cues of a WebVTT (``decimal="."``) or SRT (``decimal=","``) file.

    Anything between cues that is not followed by a timing line (a WebVTT header,
    ``NOTE`` and ``STYLE`` blocks, cue identifiers, SRT indices, present or not) is
    skipped. A timing line that cannot be read is an error naming its line; one that
    uses the other format's decimal mark is read, with one warning. In WebVTT only an
    empty line ends a cue (YouTube puts a line of one space inside its cues); in SRT a
    line of white space does too.
    """
    blocks: list[TimedBlock] = []
    current: TimedBlock | None = None
    wrong_mark = 0
    for number, line in enumerate(text.split("\n"), 1):
        if "-->" in line:
            m = _TIMING.match(line)
            start = parse_clock(m.group("a")) if m else None
            end = parse_clock(m.group("b")) if m else None
            if start is None or end is None:
                raise UserError(
                    f"broken cue timing '{line.strip()[:60]}' (expected 00:01:02{decimal}500 --> 00:01:05{decimal}000)",
                    path,
                    number,
                )
            other = "," if decimal == "." else "."
            if other in m.group("a") + m.group("b"):
                wrong_mark += 1
            if end < start:
                log.warning("%s:%d: cue ends before it starts; keeping its start time", path, number)
                end = start
            if current is not None and current.lines and current.lines[-1].strip().isdigit():
                current.lines.pop()  # an SRT index with no blank line before it
            current = TimedBlock(start, end, [], number)
            blocks.append(current)
        elif not line or (decimal == "," and not line.strip()):
            current = None
        elif current is not None and line.strip():
            current.lines.append(line)
    if wrong_mark:
        log.warning(
            "%s: %d cue timing(s) use '%s' for fractions of a second; read anyway",
            path,
            wrong_mark,
            "," if decimal == "." else ".",
        )
    return blocks


# --------------------------------------------------------------------------- line-based transcripts

_TIME = r"\d{1,2}:\d\d(?::\d\d)?(?:[.,]\d{1,3})?"
_BRACKET_HEADER = re.compile(rf"^[ \t]*+\[(?P<label>[^\[\]]{{1,80}})\][ \t]++(?P<time>{_TIME})[ \t]*+$")
"""Zoom's saved captions: ``[Ada Quill] 10:02:31`` on its own line, the text below."""
_NAME_TIME_HEADER = re.compile(rf"^[ \t]*+(?P<label>[^\t:\[\]]{{1,80}}?)[ \t]++(?P<time>{_TIME})[ \t]*+$")
"""Otter and Teams: ``Ada Quill  0:34`` on its own line (paragraph), the text below."""
_NAME_TIME_TEXT = re.compile(
    rf"^[ \t]*+(?P<label>[^\t:\[\]]{{1,80}}?)(?:\t|[ ]{{2}})[ \t]*+(?P<time>{_TIME})(?:\t|[ ]{{2}})[ \t]*+(?P<text>\S.*)$"
)
"""Rev's text export: ``Speaker 0    00:00:00    text`` on one line."""
_TIME_ONLY = re.compile(
    rf"^[ \t]*+[\[(]?(?P<time>{_TIME}|\d{{1,2}}:\d{{1,2}}:\d{{1,2}}(?:\.\d{{1,3}})?)[\])]?"
    r"(?:[ \t]*+-->[ \t]*+\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d{1,3})?)?[ \t]*+$"
)
"""A time on a line of its own (Google Meet writes one every few minutes; older Teams
transcripts a ``0:0:0.0 --> 0:0:3.760`` range before the name)."""
_LABEL_ONLY = re.compile(rf"^[ \t]*+(?P<label>{LABEL})[ \t]*+$")

UNKNOWN_LABELS = frozenset({"unknown speaker", "unknown", "unidentified speaker", "unidentified"})
"""Labels services give speech they could not attribute; read as :data:`UNIDENTIFIED`."""


def label_like(label: str) -> bool:
    """Whether ``label`` (from a header line) looks like a speaker label at all."""
    label = label.strip()
    if not label or len(label) > 80:
        return False
    return bool(re.fullmatch(LABEL, label)) or _loose_kind(" ".join(label.split())) is not None


def normal_label(label: str) -> str:
    label = " ".join(label.split())
    return UNIDENTIFIED if label.casefold() in UNKNOWN_LABELS else label


def _header(line: str) -> tuple[str, str, float | None] | None:
    """(label, text, start) when ``line`` is a speaker header with a time, else None."""
    for rx in (_BRACKET_HEADER, _NAME_TIME_TEXT, _NAME_TIME_HEADER):
        m = rx.match(line)
        if m and (rx is _BRACKET_HEADER or label_like(m.group("label"))):
            text = m.group("text").strip() if "text" in rx.groupindex else ""
            return normal_label(m.group("label")), text, parse_clock(m.group("time").replace(",", "."))
    return None


_SENTENCE_ENDS = (".", "!", "?", "…", '"', "”", "'", "’", ")", "]", ":", "-", "—")


def cues_from_lines(lines: list[str], path: Path, name_alone: bool = False) -> list[Cue]:
    """Cues from the lines (or paragraphs) of a line-based transcript.

    Understands, in any mix: ``Name: text`` lines; header lines with a time and the text
    below (``[Name] 10:02:31``, ``Name  0:34``) or beside (``Name    00:00:00    text``);
    times on lines of their own, which become the next turn's start; and, with
    ``name_alone``, a name on a line of its own with the text below (Google Meet, Otter
    without times). Service footers are not speech; lines before the first speaker are
    left out with one warning. A label the reader is unsure of starts a turn of its own
    with a warning naming the line: text is never joined to the previous speaker on a guess.
    """
    cues: list[Cue] = []
    preamble = 0
    pending: float | None = None
    started = False
    after_break = True  # the previous line was blank (or a header): a name alone may follow
    counts: dict[str, int] = {}
    if name_alone:
        for line in lines:
            m = _LABEL_ONLY.match(line)
            if m:
                key = " ".join(m.group("label").split())
                counts[key] = counts.get(key, 0) + 1
    open_sentence = False  # the last text line stopped mid-sentence (the next may wrap it)
    after_time = False  # the last line was a time: a name alone after it is the speaker
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            after_break = True
            open_sentence = False
            continue
        if is_footer(stripped):
            continue
        t = _TIME_ONLY.match(line)
        if t:
            pending = parse_clock(t.group("time").replace(",", "."))
            started = True
            after_break = True
            after_time = True
            continue
        head = _header(line)
        if head:
            cues.append(Cue(head[0], head[1], head[2] if head[2] is not None else pending))
            pending, started, after_break = None, True, False  # the text comes next, not a name
            continue
        found = read_label(line, mid_sentence=open_sentence)
        if found:
            if not found.sure:
                warn_unsure(path, number, found)
            cues.append(Cue(normal_label(found.label), found.text, pending))
            pending, started, after_break = None, True, False
            open_sentence = bool(found.text) and not found.text.endswith(_SENTENCE_ENDS)
            continue
        alone = _LABEL_ONLY.match(line) if name_alone and started and after_break else None
        if alone and _name_alone_ok(stripped):
            label = " ".join(alone.group("label").split())
            cue = Cue(normal_label(label), "", pending)
            if counts.get(label, 0) < 2 and not _NUMBERED.match(label) and not after_time:
                warn_unsure(path, number, Label(label, "", False, "a name alone on its line, seen once"))
            cues.append(cue)
            pending, after_break, after_time = None, False, False
            continue
        after_break = after_time = False
        if name_alone and not started and stripped.casefold() in {"transcript", "transcription"}:
            started = True
            continue
        if cues:
            cues[-1].add(stripped)
            open_sentence = not stripped.endswith(_SENTENCE_ENDS)
        else:
            preamble += 1
    if preamble and cues:
        log.warning("%s: %d line(s) before the first speaker were left out", path, preamble)
    return cues


def _name_alone_ok(line: str) -> bool:
    """Whether a capitalised line on its own may be a name rather than a short reply ("Yes")."""
    ws = line.split()
    if len(ws) > 6 or line.endswith((".", "!", "?", ",")):
        return False
    stop = words("transcript_label_stopwords")
    return not any(w.casefold().strip("'’.-()") in stop for w in ws)


def warn_if_unlabelled(cues: list[Cue], path: Path) -> None:
    """One warning when no cue names a speaker (captions without labels)."""
    if cues and all(c.label == UNIDENTIFIED for c in cues):
        log.warning(
            "%s: no speaker labels found; all speech is given to '%s' (add labels, or name "
            "the speaker with a speaker map)",
            path,
            UNIDENTIFIED,
        )


#: A live-caption speaker change: ">>" (or ">>>") at the start of a line.
SPEAKER_CHANGE = re.compile(r"^\s*+>>++\s*+")


def cue_line(
    plain: str,
    label: str,
    first: bool,
    start: float | None,
    end: float | None,
    path: Path,
    line: int,
    cues: list[Cue],
) -> str:
    """One caption line into ``cues``; returns the speaker label in force after it.

    A ">>" or a label starts a new speaker (``first``: the line opens its cue); a ">>"
    with no label is an unidentified speaker; other lines continue the current one.
    """
    change = SPEAKER_CHANGE.match(plain)
    if change:
        plain = plain[change.end() :]
    found = read_label(plain, cue_start=first or bool(change))
    if found:
        if not found.sure:
            warn_unsure(path, line, found)
        label = normal_label(found.label)
        cues.append(Cue(label, found.text, start, end))
        return label
    if change:
        label = UNIDENTIFIED
    cues.append(Cue(label, plain, start, end))
    return label
