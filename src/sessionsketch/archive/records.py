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

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "link": f"/sketches/{self.sketch_id}#p{self.paragraph}-s{self.position}"}


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
