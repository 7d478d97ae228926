"""The editor's linter: rules that read a sketch and report findings.

Each rule family is a module in this package whose functions are registered with
:func:`rule`; a rule takes a :class:`Context` (the sketch, its programme, its
transcript, where each sentence sits in the source file) and yields
:class:`Finding` objects. :func:`run_checks` runs every rule that applies;
:func:`apply_fixes` applies the safe fixes (name spellings) to a sketch, and
:func:`fix_text` applies them to the text of a Markdown or plain-text sketch in place.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sessionsketch.model import REPORTED_ROLES, Person, Programme, Sketch, Transcript

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Location:
    """Where a finding is: the file, its line (or page), the paragraph and sentence.

    ``paragraph`` and ``sentence`` are 0-based indices into the sketch body; a
    finding about the metadata block has neither.
    """

    file: str | None = None
    line: int | None = None
    page: int | None = None
    paragraph: int | None = None
    sentence: int | None = None

    def __str__(self) -> str:
        where = self.file or "<sketch>"
        if self.line is not None:
            where += f":{self.line}"
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph + 1}")
        if self.sentence is not None:
            parts.append(f"sentence {self.sentence + 1}")
        return where + (f" ({', '.join(parts)})" if parts else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "page": self.page,
            "paragraph": self.paragraph,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Fix:
    """A safe replacement: the words ``old`` become ``new`` where the finding points."""

    old: str
    new: str

    def to_dict(self) -> dict[str, str]:
        return {"old": self.old, "new": self.new}


@dataclass(frozen=True)
class Finding:
    rule: str  # "names.misspelt", "support.misattributed", ...
    severity: str  # "error" | "warning" | "info"
    message: str
    suggestion: str | None = None
    location: Location = field(default_factory=Location)
    fix: Fix | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
            "location": self.location.to_dict(),
            "fix": self.fix.to_dict() if self.fix else None,
        }


@dataclass(frozen=True)
class Passage:
    """One sentence of the body and where it is."""

    text: str
    paragraph: int
    sentence: int
    location: Location
    speaker: str | None = None


class Context:
    """Everything a rule may look at, computed once per run."""

    def __init__(
        self,
        sketch: Sketch,
        programme: Programme | None = None,
        transcript: Transcript | None = None,
        unattributed: bool = False,
        source: str | Path | None = None,
        source_text: str | None = None,
    ) -> None:
        self.sketch = sketch
        self.programme = programme
        self.transcript = transcript
        self.unattributed = unattributed
        self.file = str(source) if source is not None else None
        if source_text is None and source is not None and Path(source).suffix.lower() in (".md", ".txt"):
            from sessionsketch.files import read_text

            source_text = read_text(source)
        self.source_text = source_text
        self.passages = list(self._passages())

    # ---------------------------------------------------------------- people

    @cached_property
    def people(self) -> list[Person]:
        """Everyone on the programme (rapporteur included), else everyone in the block."""
        if self.programme is not None:
            return list(self.programme.session.people)
        meta = self.sketch.metadata
        out = []
        if meta.rapporteur:
            out.append(Person(meta.rapporteur.name, meta.rapporteur.affiliation, role="rapporteur"))
        if meta.moderator:
            out.append(Person(meta.moderator.name, meta.moderator.affiliation, role="moderator"))
        out.extend(Person(p.name, p.affiliation) for p in meta.speakers)
        return out

    @cached_property
    def reported(self) -> list[Person]:
        """The participants a sketch reports on (speakers, discussants, witnesses...)."""
        return [p for p in self.people if p.role in REPORTED_ROLES]

    @cached_property
    def transcript_words(self) -> frozenset[str]:
        """Every folded word of the transcript (empty without one)."""
        if self.transcript is None:
            return frozenset()
        from sessionsketch.analysis.names import fold

        return frozenset(w for t in self.transcript.turns for w in fold(t.text).split())

    @cached_property
    def scorer(self) -> Any:
        from sessionsketch.analysis.support import scorer_for

        assert self.transcript is not None
        return scorer_for(self.transcript)

    # ---------------------------------------------------------------- places

    def _passages(self) -> Iterator[Passage]:
        cursor = 0
        for i, para in enumerate(self.sketch.paragraphs):
            for j, sent in enumerate(para.sentences):
                line, page, cursor = self._find(sent.text, cursor)
                loc = Location(self.file, line, page, i, j)
                yield Passage(sent.text, i, j, loc, sent.speaker or para.speaker)

    def _find(self, text: str, cursor: int) -> tuple[int | None, int | None, int]:
        """The line and page where ``text`` starts in the source text, after ``cursor``."""
        if not self.source_text:
            return None, None, cursor
        head = text.split()[:8]
        if not head:
            return None, None, cursor
        pattern = re.compile(r"\s+".join(re.escape(w) for w in head))
        m = pattern.search(self.source_text, cursor) or pattern.search(self.source_text)
        if not m:
            return None, None, cursor
        before = self.source_text[: m.start()]
        page = before.count("\f") + 1 if "\f" in self.source_text else None
        return before.count("\n") + 1, page, m.end()

    def block_location(self, words: str | None = None) -> Location:
        """The place of the metadata block, or of ``words`` in the source when given."""
        line = None
        if words and self.source_text:
            idx = self.source_text.find(words)
            if idx >= 0:
                line = self.source_text.count("\n", 0, idx) + 1
        return Location(self.file, line)


Rule = Callable[[Context], Iterable[Finding]]


@dataclass
class RuleSpec:
    name: str
    check: Rule
    needs_transcript: bool = False
    unattributed_only: bool = False
    attributed_only: bool = False
    description: str = ""


_RULES: dict[str, RuleSpec] = {}
_LOADED = False


def rule(
    name: str,
    needs_transcript: bool = False,
    unattributed_only: bool = False,
    attributed_only: bool = False,
) -> Callable[[Rule], Rule]:
    """Register a rule family function under ``name``."""

    def deco(fn: Rule) -> Rule:
        _RULES[name] = RuleSpec(
            name,
            fn,
            needs_transcript,
            unattributed_only,
            attributed_only,
            (fn.__doc__ or "").strip().split("\n")[0],
        )
        return fn

    return deco


def rules() -> dict[str, RuleSpec]:
    global _LOADED
    if not _LOADED:
        _LOADED = True
        for mod in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{mod.name}")
    return dict(_RULES)


_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def run_checks(
    sketch: Sketch,
    programme: Programme | None = None,
    transcript: Transcript | None = None,
    unattributed: bool = False,
    source: str | Path | None = None,
    source_text: str | None = None,
    only: Iterable[str] | None = None,
) -> list[Finding]:
    """Every finding of every rule that applies, in the order of the sketch.

    ``source`` is the file the sketch was read from (for locations; a Markdown or text
    file is read to give line numbers). Rules that need a transcript run only with one;
    the ``unattributed`` rule runs only for Chatham House sketches, and the rules about
    who said what only for attributed ones.
    """
    ctx = Context(sketch, programme, transcript, unattributed, source, source_text)
    wanted = set(only) if only is not None else None
    findings: list[Finding] = []
    for spec in rules().values():
        if wanted is not None and spec.name not in wanted:
            continue
        if spec.needs_transcript and transcript is None:
            continue
        if spec.unattributed_only and not unattributed:
            continue
        if spec.attributed_only and unattributed:
            continue
        findings.extend(spec.check(ctx))
    return sorted(findings, key=_sort_key)


def _sort_key(f: Finding) -> tuple[int, int, int, int, str]:
    loc = f.location
    return (
        -1 if loc.paragraph is None else loc.paragraph,
        loc.sentence or 0,
        loc.line or 0,
        _ORDER.get(f.severity, 9),
        f.rule,
    )


def at_least_warning(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in ("error", "warning")]


def _word_re(old: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(old) + r"(?![\w-])")


def replace_words(text: str, old: str, new: str) -> str:
    """``text`` with whole-word occurrences of ``old`` replaced by ``new``."""
    return _word_re(old).sub(new, text)


def apply_fixes(sketch: Sketch, findings: Iterable[Finding]) -> Sketch:
    """A copy of ``sketch`` with every finding's safe fix applied.

    A fix located at a sentence changes that sentence; a fix without a sentence (the
    metadata block) changes the names and affiliations in the block.
    """
    out = Sketch.from_dict(sketch.to_dict())
    for para_out, para_in in zip(out.paragraphs, sketch.paragraphs, strict=True):
        for s_out, s_in in zip(para_out.sentences, para_in.sentences, strict=True):
            s_out.confidence, s_out.why = s_in.confidence, s_in.why
    meta = out.metadata
    for f in findings:
        if f.fix is None:
            continue
        loc = f.location
        if loc.paragraph is not None and loc.sentence is not None:
            try:
                sent = out.paragraphs[loc.paragraph].sentences[loc.sentence]
            except IndexError:
                continue
            sent.text = replace_words(sent.text, f.fix.old, f.fix.new)
            continue
        for ref in meta.people:
            if ref.name == f.fix.old:
                ref.name = f.fix.new
            elif ref.affiliation == f.fix.old:
                ref.affiliation = f.fix.new
    return out


def fix_text(text: str, findings: Iterable[Finding]) -> tuple[str, int]:
    """Apply the safe fixes to the text of a Markdown or plain-text sketch in place.

    Only the words a fix names change (on the finding's line when it has one),
    so everything else in the file — layout, emphasis, page furniture — is kept.
    Returns the new text and the number of replacements made.
    """
    lines = text.split("\n")
    count = 0
    for f in findings:
        if f.fix is None:
            continue
        pattern = _word_re(f.fix.old)
        line = (f.location.line or 0) - 1
        made = 0
        for i in [line] if 0 <= line < len(lines) else []:
            lines[i], made = pattern.subn(f.fix.new, lines[i])
        if not made:  # the sentence runs on to later lines, or no line was known
            for i, text_line in enumerate(lines):
                lines[i], n = pattern.subn(f.fix.new, text_line)
                made += n
        count += made
    return "\n".join(lines), count
