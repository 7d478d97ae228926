"""What a rule may look at: the sketch, its programme and transcript, where each sentence is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from sessionsketch.checks.findings import Location
from sessionsketch.model import REPORTED_ROLES, Person, Programme, Sketch, Transcript


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
        *,
        source: str | Path | None = None,  # the file it was read from, for locations
        source_text: str | None = None,
        programme: Programme | None = None,
        transcript: Transcript | None = None,
        unattributed: bool = False,
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
