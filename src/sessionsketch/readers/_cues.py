"""Pieces the transcript readers share: speaker labels, timestamps, merging cues into turns.

Not a reader itself (it registers nothing). A *cue* is one labelled stretch of
speech as a format writes it — a caption cue, a diarised segment, a ``Name:`` line
with its continuation lines; consecutive cues by the same speaker merge into one
:class:`~sessionsketch.model.Turn`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.model import Transcript, Turn

UNIDENTIFIED = "Unidentified speaker"
"""The label given to speech whose speaker the input does not name (an ``audience`` role)."""

_PARTICLES = r"(?:de|da|del|della|der|den|di|du|la|le|van|von|bin|binti|al|el|ibn|of|the|y)"
_NAME_WORD = r"(?:[A-Z\u00C0-\u00DE][\w'’.\-]*|" + _PARTICLES + r")"
_PAREN = r"\((?:[^()]|\([^()]*\))*\)"
LABEL = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,7}}(?:[ \t]*{_PAREN})?"
"""A speaker label: up to eight capitalised words (particles allowed), then an optional
parenthetical that may itself hold one: ``The Chair (Hon. Anthony Rota (Nipissing, Lib.))``."""

LABEL_LINE = re.compile(rf"^[ \t]*(?P<label>{LABEL})[ \t]*:[ \t]*(?P<text>.*)$")
"""``Name: text`` / ``NAME (Affiliation): text``."""

BRACKET_LINE = re.compile(r"^[ \t]*(?:-[ \t]*)?\[(?P<label>[^\[\]]{1,80})\][ \t]*:?[ \t]*(?P<text>.*)$")
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
    label: str
    text: str
    start: float | None = None
    end: float | None = None


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
    if m and m.group("label").strip():
        return " ".join(m.group("label").split()), m.group("text").strip()
    return None


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
    """Consecutive cues by the same speaker → one turn; start of the first, end of the last."""
    turns: list[Turn] = []
    for cue in cues:
        text = " ".join(cue.text.split())
        if not text:
            continue
        if turns and turns[-1].label == cue.label:
            last = turns[-1]
            last.text = f"{last.text} {text}"
            if cue.end is not None:
                last.end = cue.end
            if last.start is None:
                last.start = cue.start
            continue
        turns.append(Turn(index=len(turns), label=cue.label, text=text, start=cue.start, end=cue.end))
    if not turns:
        raise UserError("no speech found in the transcript", path)
    return Transcript(turns=turns)


@dataclass
class TimedBlock:
    """One subtitle cue: its times, its text lines, the line its timing is on."""

    start: float
    end: float
    lines: list[str]
    line: int


_TIMING = re.compile(r"^\s*(?P<a>\S+)\s*-->\s*(?P<b>\S+)(?P<rest>.*)$")


def timed_blocks(text: str, path: Path, decimal: str) -> list[TimedBlock]:
    """The cues of a WebVTT (``decimal="."``) or SRT (``decimal=","``) file.

    Anything between cues that is not followed by a timing line (a WebVTT header,
    ``NOTE`` and ``STYLE`` blocks, cue identifiers, SRT indices, present or not) is
    skipped. A timing line that cannot be read is an error naming its line; one that
    uses the other format's decimal mark is read, with one warning.
    """
    import logging

    log = logging.getLogger("sessionsketch")
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
        elif not line.strip():
            current = None
        elif current is not None:
            current.lines.append(line)
    if wrong_mark:
        log.warning(
            "%s: %d cue timing(s) use '%s' for fractions of a second; read anyway",
            path,
            wrong_mark,
            "," if decimal == "." else ".",
        )
    return blocks
