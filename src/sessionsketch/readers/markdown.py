"""Transcripts written in Markdown: podcast transcripts, Google Meet notes, Hansard pasted in.

A speaker's turn starts with a bold label, the colon inside or outside the bold:
``**Ada Quill:** text``, ``**Ada Quill**: text``, ``__Ada Quill:__``, Hansard's
``**Ada Quill (Imaginary West) (Lab):**``; paragraphs without one continue the turn (in a
file with bold labels, a plain ``Word:`` inside a paragraph is prose, not a speaker). A
file without bold labels is read as plain text (``Name: text`` lines).

A heading ends the turn: text after it
without a label (a list of action items under "## Next steps") is left out with a
warning giving how many lines, never given to the last speaker.

Not speech: YAML front matter (``---`` … ``---`` at the top: ``layout``, ``tags``,
``categories`` are never speakers), headings, horizontal rules, HTML comments, and a
label whose text is only times (the Changelog's ``**Break:** \\[01:33\\] to \\[03:00\\]``).
Markdown's backslash escapes are undone (``\\[laughs\\]`` is ``[laughs]``), links keep
their text, and a time in brackets (``\\[00:04:19.13\\]``) is not words: the first one in
a turn is its start.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import (
    NOT_LABELS,
    Cue,
    cues_from_lines,
    head_text,
    label_like,
    merge_cues,
    normal_label,
    parse_clock,
    read_label,
)

log = logging.getLogger("sessionsketch")

# "**Name:** text", "**Name**: text", "__Name:__ text", after an optional list marker; the
# label stops at the first "*", "_" or ":", so the match is bounded and linear
_BOLD_LABEL = re.compile(
    r"^[ \t]*(?:[-+][ \t]+)?(?P<mark>\*\*|__)(?P<label>[^*_:\n]{1,160}?)[ \t]*"
    r"(?::[ \t]*(?P=mark)|(?P=mark)[ \t]*:)[ \t]*(?P<text>.*)$"
)
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_RULE = re.compile(r"^[ \t]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_TIME = re.compile(r"\\?\[[ \t]*(?P<time>(?:\d{1,2}:)?\d{1,2}:\d\d(?:[.,]\d{1,3})?)[ \t]*\\?\]")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_LINK = re.compile(r"\[(?P<text>[^\[\]\n]{0,300})\]\([^()\s]{0,500}\)")
_QUESTION_NUMBER = re.compile(r"^\d{1,4}\.[ \t]+(?=[A-Z])")  # Hansard's "1. Ada Quill (…) (Lab):"
_EMPHASIS = re.compile(r"\*\*|__")
_BREAK_REST = re.compile(r"^[ \t]*(?:to|-|–|—|until)?[ \t]*$", re.IGNORECASE)


def _bold_label(line: str) -> tuple[str, str] | None:
    """(label, text) when ``line`` opens with a bold speaker label."""
    m = _BOLD_LABEL.match(line)
    if not m:
        return None
    label = _QUESTION_NUMBER.sub("", " ".join(m.group("label").split()), count=1)
    if label.casefold().strip(" .") in NOT_LABELS or not label_like(label):
        return None
    return label, m.group("text")


def _body_lines(text: str) -> tuple[list[str], int]:
    """The lines after any YAML front matter, and how many lines the front matter took."""
    lines = text.split("\n")
    if lines and lines[0].lstrip("\ufeff").rstrip() == "---":
        for i in range(1, len(lines)):
            if _FRONT_MATTER_END.match(lines[i]):
                return lines[i + 1 :], i + 1
    return lines, 0


def _clean(text: str) -> tuple[str, float | None]:
    """Markdown text as words: links to their text, escapes undone, emphasis and times
    removed; with the first time in it, if any."""
    first = _TIME.search(text)
    start = parse_clock(first.group("time").replace(",", ".")) if first else None
    text = _TIME.sub(" ", text)
    text = _LINK.sub(lambda m: m.group("text"), text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return " ".join(text.split()), start


def _not_speech(line: str) -> bool:
    stripped = line.strip()
    return bool(_HEADING.match(line) or _RULE.match(line) or stripped.startswith("<!--"))


def _sniff(data: bytes, path: Path) -> float:
    text = head_text(data)
    body, skipped = _body_lines(text)
    bold = sum(1 for ln in body[:400] if _bold_label(ln))
    if bold >= 2 or (bold == 1 and len([ln for ln in body[:400] if ln.strip()]) <= 4):
        return 0.85
    if skipped and any((found := read_label(ln)) and found.sure for ln in body[:400]):
        return 0.65  # front matter, then "Name: text" lines: above the plain-text reader
    return 0.0


@transcript_reader(
    "markdown",
    extensions=("md", "markdown"),
    sniff=_sniff,
    description="Markdown transcript, **Name:** text (front matter skipped)",
)
def read_markdown(data: bytes, path: Path) -> Transcript:
    text = decode_text(data, path)
    lines, skipped = _body_lines(text)
    if not any(_bold_label(ln) for ln in lines):
        # the front matter's lines kept blank, so warnings name the file's own lines
        kept = [""] * skipped + ["" if _not_speech(ln) else _clean(ln)[0] for ln in lines]
        cues = cues_from_lines(kept, path)
        if not cues:
            raise UserError("no speakers found (expected '**Name:** text' or 'Name: text' lines)", path)
        return merge_cues(cues, path)
    cues: list[Cue] = []
    outside = 0  # lines of text before the first speaker, or after a heading
    open_turn = False  # a heading ends the turn: what follows it is not the last speaker's
    in_comment = False
    for line in lines:
        if in_comment or line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if not line.strip():
            continue
        if _not_speech(line):
            open_turn = open_turn and not _HEADING.match(line)
            continue
        found = _bold_label(line)
        if found:
            words, start = _clean(found[1])
            if start is not None and _BREAK_REST.match(_TIME.sub(" ", found[1])):
                continue  # "**Break:** \[01:33\] to \[03:00\]": a pause, not speech
            cues.append(Cue(normal_label(found[0]), words, start))
            open_turn = True
            continue
        words, _ = _clean(line)
        if open_turn:
            cues[-1].add(words)
        elif words:
            outside += 1
    if outside:
        log.warning(
            "%s: %d line(s) outside any speaker's turn (before the first label, or after a heading) "
            "were left out",
            path,
            outside,
        )
    if skipped:
        log.info("%s: front matter (%d lines) skipped", path, skipped)
    return merge_cues(cues, path)
