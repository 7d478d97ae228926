"""What the archive stores and returns: records, search hits, filters, import jobs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from sessionsketch.model import Sketch

DRAFT = "draft"
PUBLISHED = "published"


class StaleVersion(Exception):
    """A save based on an old version: someone else saved in between."""

    def __init__(self, current: SketchRecord):
        super().__init__(f"version {current.version} was saved by {current.updated_by or 'someone else'}")
        self.current = current


class NotFound(LookupError):
    pass


@dataclass
class SketchRecord:
    """One row of the archive: a workbench draft or a published/imported sketch."""

    id: int
    status: str
    title: str | None
    version: int
    sketch: Sketch | None  # the working copy (the workbench edits this)
    published: Sketch | None = None  # what the archive shows, as last published
    programme: dict[str, Any] | None = None
    session_slug: str | None = None
    transcript: list[dict[str, Any]] | None = None  # turns as read: label, text, start, end
    transcript_name: str | None = None
    speaker_map: dict[str, str] = field(default_factory=dict)
    source_key: str | None = None
    owner: str | None = None
    content_hash: str | None = None
    conference: str | None = None
    year: int | None = None
    session_title: str | None = None
    date: str | None = None
    published_version: int | None = None
    created_by: str | None = None
    updated_by: str | None = None
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def is_workbench(self) -> bool:
        return self.programme is not None

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "title": self.title,
            "conference": self.conference,
            "year": self.year,
            "session": self.session_title,
            "date": self.date,
            "version": self.version,
            "updated_at": self.updated_at,
        }


#: What the backends put around a matched word (control characters a sentence never holds).
MARK_START, MARK_END = "\x02", "\x03"
#: Sentences longer than this many words are shown as a snippet around the match.
SNIPPET_WORDS = 32


def marked_parts(marked: str) -> list[tuple[str, bool]]:
    """``"a \x02b\x03 c"`` → ``[("a ", False), ("b", True), (" c", False)]``."""
    parts: list[tuple[str, bool]] = []
    for i, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", marked)):
        if piece:
            parts.append((piece, i % 2 == 1))
    return parts


def _html(parts: list[tuple[str, bool]]) -> str:
    from html import escape

    return "".join(f"<mark>{escape(t)}</mark>" if hit else escape(t) for t, hit in parts)


@dataclass
class SearchHit:
    sentence: str
    speaker: str | None
    affiliation: str | None
    sketch_id: int
    paragraph: int
    position: int
    session: str | None
    conference: str | None
    year: int | None
    marked: str | None = None  # the sentence with matched words between MARK_START and MARK_END
    snippet: str | None = None  # the same, cut to about SNIPPET_WORDS words around the match
    also_in: list[dict[str, Any]] = field(default_factory=list)  # other sketches with the same sentence
    copies: int = 1  # how many times the sentence is published (this one included)

    @property
    def anchor(self) -> str:
        return f"p{self.paragraph}-s{self.position}"

    @property
    def link(self) -> str:
        return f"/sketches/{self.sketch_id}#{self.anchor}"

    @property
    def parts(self) -> list[tuple[str, bool]]:
        """The whole sentence as (text, matched) pieces."""
        return marked_parts(self.marked) if self.marked else [(self.sentence, False)]

    @property
    def snippet_parts(self) -> list[tuple[str, bool]] | None:
        """A snippet around the match when the sentence is long (else None: show it whole)."""
        if not self.snippet or len(self.sentence.split()) <= SNIPPET_WORDS:
            return None
        return marked_parts(self.snippet)

    def to_dict(self) -> dict[str, Any]:
        snippet = self.snippet_parts
        return {
            "sentence": self.sentence,
            "speaker": self.speaker,
            "affiliation": self.affiliation,
            "sketch_id": self.sketch_id,
            "paragraph": self.paragraph,
            "position": self.position,
            "session": self.session,
            "conference": self.conference,
            "year": self.year,
            "link": self.link,
            "highlight": _html(self.parts),
            "snippet": _html(snippet) if snippet else None,
            "copies": self.copies,
            "also_in": [{**a, "link": f"/sketches/{a['sketch_id']}"} for a in self.also_in],
        }


@dataclass
class Facet:
    value: str
    count: int


@dataclass
class SearchResult:
    """One page of a search: hits, whether more follow, the total and the facets."""

    query: str
    understood: str  # the query as read, in the search box's syntax
    terms: list[str]
    hits: list[SearchHit]
    has_more: bool
    total: int | None  # distinct sentences matched (None when not counted)
    facets: dict[str, list[Facet]] | None = None
    #: A large match is ranked and counted by facet over its ``window`` most recently published
    #: sentences (None: over all of them); ``total`` is then None and ``matched`` says how many
    #: sentences match, every copy counted — or more than that when ``matched_more``.
    window: int | None = None
    matched: int | None = None
    matched_more: bool = False

    @property
    def matched_label(self) -> str | None:
        """How many sentences a bounded match holds, as the page shows it ("10,000+")."""
        if self.matched is None:
            return None
        return f"{self.matched:,}" + ("+" if self.matched_more else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "understood": self.understood,
            "terms": self.terms,
            "total": self.total,
            "window": self.window,
            "matched": self.matched,
            "matched_more": self.matched_more,
            "has_more": self.has_more,
            "hits": [h.to_dict() for h in self.hits],
            "facets": (
                {k: [asdict(x) for x in v] for k, v in self.facets.items()}
                if self.facets is not None
                else None
            ),
        }


@dataclass
class SearchFilters:
    speaker: str | None = None
    affiliation: str | None = None
    conference: str | None = None
    year: int | None = None
    session: str | None = None
    sketch_id: int | None = None


@dataclass
class ImportJob:
    id: int
    status: str  # "running", "done"
    total: int
    done: int
    failed: int
    log: list[dict[str, Any]]
    created_by: str | None
    created_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k not in ("created_by", "created_at")}


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def year_of(sketch: Sketch) -> int | None:
    if sketch.metadata.date:
        return sketch.metadata.date.year
    m = re.search(r"\b(19|20)\d\d\b", sketch.metadata.conference or "")
    return int(m.group(0)) if m else None


def title_of(sketch: Sketch) -> str:
    md = sketch.metadata
    return md.session or md.conference or "Untitled session"


def loads(text: Any) -> Any:
    if text is None:
        return None
    return json.loads(text)


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)
