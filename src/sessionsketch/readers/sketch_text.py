"""Finished sketches as text: Markdown, converted text (a PDF turned to Markdown), and the
layout-free core every sketch reader shares.

A reader turns its file into :class:`Block` s (a paragraph, a heading or a page rule, in
reading order, with the page it sits on); :func:`sketch_from_blocks` does the rest for
every format: it drops the page furniture (running headings, conference line and URL,
disclaimer, rules), finds the disclaimer once, reads the metadata block, and rejoins body
paragraphs that a page break cut in two.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from sessionsketch.analysis.names import SUFFIXES, fold
from sessionsketch.data import words
from sessionsketch.files import check_text_input, decode_text
from sessionsketch.model import (
    DEFAULT_DISCLAIMER,
    DEFAULT_LABEL,
    Metadata,
    Paragraph,
    PersonRef,
    Sentence,
    Sketch,
)
from sessionsketch.readers import sketch_reader
from sessionsketch.text import split_sentences, word_count

log = logging.getLogger("sessionsketch")


@dataclass
class Block:
    """One paragraph of a laid-out sketch: its lines, what it is, where it sits."""

    lines: list[str]
    kind: str = "para"  # "para", "heading", "rule" or "furniture" (a running header/footer)
    page: int = 1
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return join_lines(self.lines)


# ----------------------------------------------------------------------------- text helpers

_HYPHEN_END = re.compile(r"(\w)[-‐]$")
_DASH_END = re.compile(r"\w[—–]$")
_DASH_START = re.compile(r"[—–]\w")


_LAST_WORD = re.compile(r"(\w+)[-‐]$")
_FIRST_WORD = re.compile(r"\w+")


def _compound(before: str, after: str) -> bool:
    """Whether a line-end hyphen is the word's own ("long-" / "term", "multi-" / "agency":
    "longterm" and "multiagency" are no words, "term" and "agency" are) rather than one
    hyphenation put in ("consul-" / "ting": "consulting" is a word)."""
    from sessionsketch.analysis.mentions import is_common_word  # the word list loads on first use

    head, tail = _LAST_WORD.search(before), _FIRST_WORD.match(after)
    if head is None or tail is None or not head.group(1).islower():
        return False  # "Row-" / "lands": a name is hyphenated only where it was broken
    joined = head.group(1) + tail.group(0)
    # "multi-" / "agency": a prefix need not be a word of its own; the joined form being none is
    # what tells a compound from a word hyphenated to fit the line
    return not is_common_word(joined, 1) and is_common_word(tail.group(0), 1)


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines into one paragraph, undoing hyphenation at line ends."""
    out: list[str] = []  # lines and the spaces between them, joined once: linear in the text
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and _HYPHEN_END.search(out[-1]) and line[:1].islower():
            # U+2010 at a line end is the hyphen a typesetter puts in (WeasyPrint's, Word's
            # optional hyphen): "of‐" / "fence" is "offence", whether or not the word list
            # knows the British spelling; a hyphen-minus may be the word's own
            if out[-1].endswith("‐") or not _compound(out[-1], line):
                out[-1] = out[-1][:-1]
        elif out and _HYPHEN_END.search(out[-1]) and line[:1].isupper():
            out[-1] = out[-1][:-1] + "-"  # a hyphenated name broken at its hyphen: "Ste-" / "Marie"
        elif out and (_DASH_END.search(out[-1]) or (_DASH_START.match(line) and out[-1][-1:].isalnum())):
            pass  # a closed-up dash at a line break: "care—" / "obviously", "care" / "—obviously"
        elif out:
            out.append(" ")
        out.append(line)
    return "".join(out)


# Neither a link nor an autolink spans its own opening character, so an unclosed one costs
# one scan to the next opening, not to the end of the line ("[[[[…" stays linear).
_LINK_RE = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*)[^()]*\)")
_AUTOLINK_RE = re.compile(r"<(https?://[^<>\s]+)>")
#: An entity or numeric character reference ("&amp;", "&#60;", "&#x3C;").
_CHAR_REF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


#: A backslash escape (CommonMark lets any ASCII punctuation character be escaped) or a
#: character reference: literal text. Anything else in a line may be markup.
_LITERAL_RE = re.compile(r"\\([!-/:-@\[-`{-~])|" + _CHAR_REF.pattern)
#: Stands in a literal character while markup is looked for: neither a word character, nor
#: white space, nor markup. The characters themselves are kept beside it, never replaced.
_MASK = "\x00"

#: A line being unmarked: its characters, and the same characters with each literal one
#: (escaped or a reference) replaced by :data:`_MASK`, where markup is looked for. The two
#: strings have the same length and are cut at the same places, a slice at a time.
Marked = tuple[str, str]


def _tokens(line: str) -> Marked:
    """The line's characters and its mask: ``\\*`` is a literal star, ``&amp;`` a literal
    ampersand (masked); every other character may be markup (itself in the mask)."""
    if "\\" not in line and "&" not in line:  # nothing can be literal
        return line, line
    text: list[str] = []
    mask: list[str] = []
    at = 0
    for m in _LITERAL_RE.finditer(line):
        text.append(line[at : m.start()])
        mask.append(line[at : m.start()])
        literal = m.group(1) if m.group(1) is not None else html.unescape(m.group(0))
        text.append(literal)
        mask.append(_MASK * len(literal))
        at = m.end()
    if not at:  # nothing literal: the line is its own mask
        return line, line
    text.append(line[at:])
    mask.append(line[at:])
    return "".join(text), "".join(mask)


def _without(marked: Marked, pattern: re.Pattern[str], keep: int | None = None, needs: str = "") -> Marked:
    """``marked`` with every match of ``pattern`` (found in the mask, so never on a literal
    character) replaced by its group ``keep`` (or removed). ``needs``: characters one of
    which every match contains; a mask without any is not searched."""
    text, mask = marked
    if needs and not any(c in mask for c in needs):
        return marked
    if text is mask:  # nothing literal: one substitution does it
        out = pattern.sub(rf"\g<{keep}>" if keep is not None else "", text)
        return out, out
    text_out: list[str] = []
    mask_out: list[str] = []
    at = 0
    for m in pattern.finditer(mask):
        text_out.append(text[at : m.start()])
        mask_out.append(mask[at : m.start()])
        if keep is not None:
            text_out.append(text[m.start(keep) : m.end(keep)])
            mask_out.append(mask[m.start(keep) : m.end(keep)])
        at = m.end()
    if not at:
        return marked
    text_out.append(text[at:])
    mask_out.append(mask[at:])
    return "".join(text_out), "".join(mask_out)


_BULLET = re.compile(r"^\s*(?:[-+]|\d+[.)])\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_STRONG = re.compile(r"\*\*|__")
_EMPHASIS = re.compile(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_STAR_BULLET = re.compile(r"^\s*\*\s+")


def unmark(line: str) -> str:
    """Markdown inline markup removed: emphasis, links, list bullets, quotes; escapes and
    character references (``\\*``, ``\\<``, ``&amp;``) become the characters they stand for.

    The line is read with its mask first (:func:`_tokens`): an escaped or referenced
    character is literal text, so an escaped ``*`` or ``[`` is never emphasis or a link.
    Each pattern is one pass over the whole line (a substitution, or slices of the line and
    its mask), never a step per character in Python: linear, and fast on a long paragraph.
    """
    marked = _tokens(line)
    marked = _without(marked, _LINK_RE, keep=1, needs="[")
    marked = _without(marked, _AUTOLINK_RE, keep=1, needs="<")
    marked = _without(marked, _BULLET)  # the three anchored patterns try the start only
    marked = _without(marked, _QUOTE)
    marked = _without(marked, _STRONG, needs="*_")
    marked = _without(marked, _EMPHASIS, needs="*_")
    marked = _without(marked, _STAR_BULLET)
    return marked[0].strip()


def plain(line: str) -> str:
    """A line of a format without inline markup (PDF, DOCX, HTML text), as it is."""
    return line.strip()


_END_PUNCT = re.compile(r"[.!?…:;][\"'”’)\]*_]*$")
_DISCLAIMER_HINT = re.compile(r"views expressed|do not necessarily|may not necessarily|summar", re.I)


def _is_disclaimer(text: str) -> bool:
    t = text.lstrip("*\\ †‡").strip()
    if not t:
        return False
    if fuzz.ratio(t.lower(), DEFAULT_DISCLAIMER.lower()) >= 80:
        return True
    return (
        text.lstrip().startswith(("*", "\\*", "†"))
        and bool(_DISCLAIMER_HINT.search(t))
        and word_count(t) < 60
    )


#: A footnote mark opening a footer line: "* The views expressed ...".
_FOOTNOTE_MARK = re.compile(r"[*†‡]\s")
#: The Markdown writers' disclaimer: an italic paragraph opened by an escaped star, "*\\* ...*".
_MD_FOOTNOTE = re.compile(r"([*_])\\\*\s.*\1", re.S)
#: "Page 2 of 3" set on the same line as a footer note (PDF text runs them together).
_PAGE_AT_EDGE = re.compile(
    r"^\s*page\s+\d+(?:\s*(?:/|of)\s*\d+)?\s+|\s+page\s+\d+(?:\s*(?:/|of)\s*\d+)?\s*$", re.I
)


def _without_page_numbers(lines: list[str]) -> list[str]:
    """Footer lines without the page numbers printed in or beside them."""
    out = []
    for line in lines:
        line = " ".join(line.split())
        if _PAGE_NUMBER.match(line):
            continue
        line = _PAGE_AT_EDGE.sub("", line)
        if line.strip():
            out.append(line)
    return out


def _clean_disclaimer(text: str) -> str:
    return text.lstrip("*\\ †‡").strip().strip("*_ ").strip()


def _is_prose(text: str) -> bool:
    return word_count(text) >= 12 and bool(re.search(r"[.!?…][\"'”’)]*$", text.strip()))


_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d+(?:\s*(?:/|of)\s*\d+)?$|^[-–—]\s*\d+\s*[-–—]$", re.I)
_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", re.I)

# ----------------------------------------------------------------------------- metadata

_LABELS: dict[str, str] = {
    "conference": "conference",
    "event": "conference",
    "theme": "theme",
    "url": "url",
    "website": "url",
    "web": "url",
    "session": "session",
    "session title": "session",
    "panel": "session",
    "title": "session",
    "date time": "datetime",
    "date and time": "datetime",
    "date": "date",
    "time": "time",
    "rapporteur": "rapporteur",
    "rapporteurs": "rapporteur",
    "moderator": "moderator",
    "moderators": "moderator",
    "chair": "moderator",
    "chair moderator": "moderator",  # the IGF report's "Chair/Moderator:"
    "speaker": "speakers",
    "speakers": "speakers",
    "panelist": "speakers",
    "panelists": "speakers",
    "panellists": "speakers",
    "discussants": "speakers",
    "members": "participants",
    "committee members": "participants",
    "participants": "participants",
    "questioners": "participants",
    "witnesses": "participants",
    "session sketch": "body",
    "sketch": "body",
    "summary": "body",
}
_LABEL_RE = re.compile(r"^([A-Za-z][A-Za-z /&]{1,30}?)\s*:\s*(.*)$")


def table_row_line(cells: list[str]) -> str:
    """A table row as one line: "Session | X" → "Session: X"; "Name | Affiliation" → "Name, Affiliation"."""
    cells = [c.strip() for c in cells if c and c.strip()]
    if not cells:
        return ""
    head = unmark(cells[0]).rstrip(":").strip()
    if len(cells) > 1 and _LABELS.get(fold(head)):
        return f"{head}: {', '.join(cells[1:])}"
    return ", ".join(cells)


def _label(line: str) -> tuple[str, str] | None:
    m = _LABEL_RE.match(line)
    if not m:
        return None
    key = _LABELS.get(fold(m.group(1)).replace(" and ", " ").strip()) or _LABELS.get(fold(m.group(1)))
    return (key, m.group(2).strip()) if key else None


_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_FORMS = [
    re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})"),
    re.compile(r"(?P<day>\d{1,2})[./](?P<mnum>\d{1,2})[./](?P<year>\d{4})"),
]
_TIME = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?"
_TIME_RANGE = re.compile(
    r"(?<![\d-])" + _TIME + r"\s*(?:[-–—]|to|until)\s*" + _TIME + r"(?![\d])",
    re.I,
)
_ONE_TIME = re.compile(
    r"(?<![\d-])(\d{1,2})[:.h](\d{2})\s*(a\.?m\.?|p\.?m\.?)?|(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)", re.I
)


def parse_date(text: str) -> tuple[dt.date | None, str]:
    """The first date written in ``text`` and the text with it removed."""
    for pattern in _DATE_FORMS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            month = int(g["mnum"]) if g.get("mnum") else _MONTHS.get(g["month"].lower())
            if not month:
                continue
            try:
                date = dt.date(int(g["year"]), month, int(g["day"]))
            except ValueError:
                continue
            return date, text[: m.start()] + " " + text[m.end() :]
    return None, text


def _hhmm(hour: str, minute: str | None, ampm: str | None, default_ampm: str | None = None) -> str | None:
    h, mi = int(hour), int(minute or 0)
    mark = (ampm or default_ampm or "").lower().replace(".", "")
    if mark == "pm" and h < 12:
        h += 12
    elif mark == "am" and h == 12:
        h = 0
    if h > 23 or mi > 59:
        return None
    return f"{h:02d}:{mi:02d}"


def parse_times(text: str) -> tuple[str | None, str | None]:
    """Start and end ("HH:MM") from "13:00-14:30", "1:00 pm - 2:30 pm", "1-2:30 p.m."."""
    m = _TIME_RANGE.search(text)
    if m:
        h1, m1, a1, h2, m2, a2 = m.groups()
        if m1 or m2 or a1 or a2:
            end = _hhmm(h2, m2, a2)
            # "1:00-2:30 pm": the first time takes the second's am/pm unless that makes it later
            start = _hhmm(h1, m1, a1, a2 if not a1 else None)
            if start and end and start > end and not a1:
                start = _hhmm(h1, m1, None)
            return start, end
    m1 = _ONE_TIME.search(text)
    if m1:
        if m1.group(1):
            return _hhmm(m1.group(1), m1.group(2), m1.group(3)), None
        return _hhmm(m1.group(4), None, m1.group(5)), None
    return None, None


_SUFFIX_SET = {s for s in SUFFIXES}


def split_person(text: str) -> PersonRef | None:
    """ "Name, Affiliation" split at the first comma after the name.

    Post-nominals after a comma stay with the name ("John Smith, Jr., Brookings" →
    "John Smith, Jr." of "Brookings"); the affiliation keeps its own commas.
    """
    text = text.strip().strip(";").strip()
    if not text:
        return None
    parts = [p.strip() for p in text.split(",")]
    name = parts[0]
    rest = parts[1:]
    while rest and fold(rest[0]) in _SUFFIX_SET:
        name = f"{name}, {rest.pop(0)}"
    # found with str methods and a one-character search, not a backtracking pattern:
    # a long line of brackets or dashes costs one pass
    if not rest and name.endswith((")", "]")):  # "Name (Affiliation)"
        opening = max(name.rfind("("), name.rfind("["))
        inner = name[opening + 1 : -1]
        if opening > 0 and inner.strip() and not any(c in inner for c in ")]"):
            name, rest = name[:opening], [inner.strip()]
    if not rest:
        m = re.search(r"\s[–—-]\s", name)  # "Name – Affiliation"
        if m and name[: m.start()].strip() and name[m.end() :].strip():
            name, rest = name[: m.start()], [name[m.end() :].strip()]
    affiliation = ", ".join(p for p in rest if p) or None
    return PersonRef(name=name.strip(), affiliation=affiliation)


def _looks_like_person(text: str) -> bool:
    if _label(text) or word_count(text) > 25 or not text.strip():
        return False
    name = text.split(",")[0].strip()
    words = name.split()
    # a capital, or a letter of a script without case (Hangul, kanji: "Park Ha-eun 박하은"),
    # or a particle of a family name ("Chris d'Entremont", "Ursula von der Leyen")
    return 1 <= len(words) <= 6 and all(
        w[:1].isupper()
        or (w[:1].isalpha() and not w[:1].islower())
        or w[:1] in "(\"'"
        or w in _NAME_PARTICLES
        or re.match(r"[a-z]{1,2}['’][A-Z]", w) is not None
        for w in words
    )


_NAME_PARTICLES = words("name_particles")


_QUOTED = re.compile(r"“([^“”]{2,})”|\"([^\"]{2,})\"|‘([^‘’]{2,})’(?!\w)")


def split_conference(text: str) -> tuple[str | None, str | None]:
    """'Asan Plenum 2019: “Korea’s Choice”' → ("Asan Plenum 2019", "Korea’s Choice")."""
    text = text.strip()
    m = _QUOTED.search(text)
    if m:
        name = (text[: m.start()] + text[m.end() :]).strip().rstrip(":–—-,").strip()
        theme = next(g for g in m.groups() if g is not None)
        return (name or None), theme.strip()
    if ":" in text:
        name, theme = text.split(":", 1)
        return name.strip() or None, theme.strip() or None
    return text or None, None


# ----------------------------------------------------------------------------- the core


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", fold(text))


#: Block labels under which each line is a person ("Name, Affiliation").
_PERSON_ROLES = ("speakers", "participants", "rapporteur", "moderator")
#: ...and those that list several people (the others take one).
_LIST_ROLES = ("speakers", "participants")


class SketchAssembler:
    """Reads laid-out blocks in order — title area, metadata block, body — into a sketch.

    One block at a time (:meth:`add`): page furniture and the disclaimer are set aside,
    headings kept as the title area's lines (repeated later, they are running heads), the
    metadata block read line by line until the body starts, then body paragraphs kept.
    """

    def __init__(self, blocks: list[Block], markdown: bool = False) -> None:
        self.clean: Callable[[str], str] = unmark if markdown else plain
        self.markdown = markdown
        self.meta = Metadata()
        self.disclaimer: str | None = None
        self.heading_seen: set[str] = set()
        self.head_norms: set[str] = set()  # lines of the title area: repeated later = furniture
        self.role: str | None = None  # the label whose people the following lines list
        self.body_started = False
        self.body: list[Block] = []
        self.fallback_title: str | None = None
        self.label_text = fold(DEFAULT_LABEL)
        #: how often each paragraph line occurs: a short line on every page is a running line
        self.counts: dict[str, int] = {}
        for b in blocks:
            if b.kind == "para":
                for line in b.lines:
                    key = _norm(self.clean(line))
                    self.counts[key] = self.counts.get(key, 0) + 1

    # ------------------------------------------------------------------ blocks

    def add(self, b: Block) -> None:
        if b.kind == "rule":
            return
        lines = _without_page_numbers(b.lines) if b.kind == "furniture" else b.lines
        raw_text = " ".join(lines)
        text = self.clean(join_lines(lines))
        if not text:
            return
        if self._is_footnote(b, raw_text, text):
            self.disclaimer = self.disclaimer or _clean_disclaimer(text)
        elif b.kind == "furniture":
            return
        elif b.kind == "heading":
            self._heading(text)
        elif self.body_started:
            self._body_block(b, text)
        else:
            self._head_block(b, text)

    def _is_footnote(self, b: Block, raw_text: str, text: str) -> bool:
        return (
            (b.kind == "furniture" and _FOOTNOTE_MARK.match(text) is not None)  # a footer note "* ..."
            or (self.markdown and _MD_FOOTNOTE.fullmatch(raw_text.strip()) is not None)
            or _is_disclaimer(raw_text)
            or _is_disclaimer(text)
        )

    def _heading(self, text: str) -> None:
        key = fold(text)
        if self.body_started and (key in self.heading_seen or key == self.label_text):
            return
        self.heading_seen.add(key)
        if key == self.label_text or key.endswith(self.label_text):
            return
        if not self.body_started and self.fallback_title is None and self.meta.session is None:
            self.fallback_title = text
        self.head_norms.add(_norm(text))

    def _body_block(self, b: Block, text: str) -> None:
        line_norms = [_norm(line) for line in map(self.clean, b.lines) if line]
        if _PAGE_NUMBER.match(text) or all(n in self.head_norms for n in line_norms):
            return
        lab = _label(text)
        if lab and lab[0] == "body" and not lab[1]:
            return
        if not _is_prose(text) and self.counts.get(_norm(text), 0) > 1:
            return  # a running line repeated on every page
        self.body.append(b)

    def _start_body(self, b: Block) -> None:
        self.body_started = True
        self.body.append(b)

    def _lists_people(self, b: Block) -> bool:
        """Every line of the block is a person under a people label (a block of names)."""
        lines = [x for x in (self.clean(x) for x in b.lines) if x]
        return self.role in _PERSON_ROLES and bool(lines) and all(_looks_like_person(x) for x in lines)

    def _head_block(self, b: Block, text: str) -> None:
        """A block of the title area or the metadata block, read line by line."""
        meta = self.meta
        has_meta = meta.speakers or meta.session or meta.conference
        labelled = any(_label(self.clean(x)) for x in b.lines)  # metadata lines run together
        if (
            _is_prose(text)
            and (has_meta or len(b.lines) > 1 or word_count(text) > 25)
            and not labelled
            and not self._lists_people(b)
        ):
            self._start_body(b)
            return
        wrapped = b.extra.get("wrapped") or set()
        lines = [self.clean(x) for x in b.lines]
        for index, line in enumerate(lines):
            while index + 1 in wrapped and index + 1 < len(lines) and self.role in _PERSON_ROLES:
                # a person's line the layout wrapped ("…, Welsh" / "Government"): one person
                index += 1
                line = join_lines([line, lines[index]])
                lines[index] = ""
            if line and self._head_line(b, index, line):
                return

    def _head_line(self, b: Block, index: int, line: str) -> bool:
        """Read one line of the title area or block; True when the body starts here."""
        meta = self.meta
        if fold(line).startswith(self.label_text) and not _label(line):
            # "Session Sketch — Conference 2031: “Theme”": a running header; keep what follows the label
            line = re.sub(r"^\W*" + re.escape(DEFAULT_LABEL) + r"[\s—–|:-]*", "", line, flags=re.I)
        if not line or _PAGE_NUMBER.match(line):
            return False
        lab = _label(line)
        if lab:
            key, value = lab
            if key == "body":
                self.body_started = True
                rest = ([value] if value else []) + b.lines[index + 1 :]
                if rest:  # the body begins in the same block as its label
                    self.body.append(Block(rest, page=b.page, extra=b.extra))
                return True
            self.role = key
            if value:
                _set_meta(meta, key, value)
                if key not in _PERSON_ROLES:
                    self.role = None
            return False
        if self.role in _PERSON_ROLES and _looks_like_person(line):
            _set_meta(meta, self.role, line)
            if self.role not in _LIST_ROLES:
                self.role = None
            return False
        if _is_prose(line) and (meta.speakers or meta.session or len(b.lines) == 1):
            self._start_body(b)
            return True
        if meta.url is None and _URL_RE.match(line.strip()):
            meta.url = line.strip()
            self.head_norms.add(_norm(line))
            return False
        if meta.conference is None and meta.session is None and not meta.speakers:
            meta.conference, meta.theme = split_conference(line)
            self.head_norms.add(_norm(line))
            return False
        name, theme = split_conference(line)
        if name == meta.conference and theme and not meta.theme:  # the header gave no theme
            meta.theme = theme
            self.head_norms.add(_norm(line))
            return False
        sentence_like = word_count(line) >= 6 and re.search(r"[.!?…][\"'”’)]*$", line)
        if _is_prose(line) or word_count(line) > 25 or (sentence_like and (meta.speakers or meta.session)):
            self._start_body(b)
            return True
        return False

    # ------------------------------------------------------------------ result

    def sketch(self) -> Sketch:
        if self.meta.session is None and self.fallback_title:
            self.meta.session = self.fallback_title
        return Sketch(
            metadata=self.meta, paragraphs=_paragraphs(self.body, self.clean), disclaimer=self.disclaimer
        )


def sketch_from_blocks(
    blocks: list[Block], path: Path | None = None, warn: bool = True, markdown: bool = False
) -> Sketch:
    """Build a sketch from laid-out blocks in reading order (furniture still in them).

    ``markdown``: the lines are Markdown, whose inline markup and escapes are taken off
    (:func:`unmark`); the lines of other formats are text as it is.
    """
    assembler = SketchAssembler(blocks, markdown)
    for b in blocks:
        assembler.add(b)
    sketch = assembler.sketch()
    if warn:
        missing = missing_fields(sketch)
        if missing:
            log.warning("%s: not found in this sketch: %s", path or "input", ", ".join(missing))
    return sketch


def missing_fields(sketch: Sketch) -> list[str]:
    m = sketch.metadata
    out = []
    for name, value in (
        ("conference", m.conference),
        ("session", m.session),
        ("date", m.date),
        ("time", m.start),
        ("rapporteur", m.rapporteur),
        ("moderator", m.moderator),
        ("speakers", m.speakers),
        ("body", sketch.paragraphs),
    ):
        if not value:
            out.append(name)
    return out


def _set_meta(meta: Metadata, key: str, value: str) -> None:
    value = value.strip()
    if key == "conference":
        name, theme = split_conference(value)
        meta.conference = name
        meta.theme = meta.theme or theme
    elif key == "theme":
        meta.theme = value.strip("“”\"'‘’ ")
    elif key == "url":
        meta.url = value
    elif key == "session":
        meta.session = value
    elif key in ("datetime", "date", "time"):
        date, rest = parse_date(value)
        if date:
            meta.date = date
        start, end = parse_times(rest)
        if start:
            meta.start, meta.end = start, end
    elif key in ("rapporteur", "moderator"):
        person = split_person(value)
        if person and getattr(meta, key) is None:
            setattr(meta, key, person)
    elif key in _LIST_ROLES:
        for part in value.split(";"):  # "A, Affiliation; B, Affiliation" or one person
            person = split_person(part)
            if person:
                getattr(meta, key).append(person)


def _paragraphs(body: list[Block], clean: Callable[[str], str]) -> list[Paragraph]:
    """Body blocks to paragraphs, rejoining a paragraph cut by a page break."""
    texts: list[str] = []
    for b in body:
        text = clean(b.text) if b.kind == "para" else b.text
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            continue
        if texts and (not _END_PUNCT.search(texts[-1]) or b.extra.get("continues")):
            texts[-1] = join_lines([texts[-1], text])
        else:
            texts.append(text)
    return [Paragraph([Sentence(s.text) for s in split_sentences(t)]) for t in texts]


# ----------------------------------------------------------------------------- Markdown / text


def markdown_blocks(text: str) -> list[Block]:
    """Blocks of Markdown or converted text: blank lines separate, '#' heads, '---' rules."""
    blocks: list[Block] = []
    current: list[str] = []
    page = 1

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append(Block(current, "para", page))
            current = []

    for raw in text.split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
        elif re.fullmatch(r"(?:-{3,}|\*{3,}|_{3,}|\f)", stripped) or "\f" in stripped:
            flush()
            blocks.append(Block([], "rule", page))
            page += 1
        elif stripped.startswith("|") and stripped.endswith("|"):  # a pipe-table row
            if not re.fullmatch(r"[|:\-\s]+", stripped):
                flush()
                line = table_row_line(stripped.strip("|").split("|"))
                if line:
                    blocks.append(Block([line], "para", page))
        elif m := re.match(r"^#{1,6}\s+(.*?)\s*#*$", stripped):
            flush()
            blocks.append(Block([m.group(1)], "heading", page))
        elif re.fullmatch(r"=+|-+", stripped) and current:  # setext heading
            title = current.pop()
            flush()
            blocks.append(Block([title], "heading", page))
        else:
            current.append(stripped)
    flush()
    return blocks


def _sniff_text(data: bytes, path: Path) -> float:
    head = data[:8192]
    if b"\x00" in head or head.lstrip().startswith((b"{", b"%PDF", b"PK", b"<")):
        return 0.0
    try:
        sample = head.decode("utf-8", errors="ignore").lower()
    except Exception:
        return 0.0
    score = 0.05
    if "session sketch" in sample:
        score += 0.5
    if re.search(r"(rapporteur|speakers|moderator)\s*:", sample.replace("*", "")):
        score += 0.3
    return min(score, 0.9)


@sketch_reader(
    "text",
    extensions=("md", "markdown", "txt", "text"),
    sniff=_sniff_text,
    description="Markdown or converted text of a finished sketch",
)
def read_sketch_text(data: bytes, path: Path) -> Sketch:
    check_text_input(data, path)  # an empty file is an error, not a sketch with nothing in it
    return sketch_from_blocks(markdown_blocks(decode_text(data, path)), path, markdown=True)
