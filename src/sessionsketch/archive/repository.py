"""The archive: sketches (drafts in the workbench and published ones), their attributed
sentences, the people who appear in them, users and import jobs.

One repository, two backends. :class:`Archive` holds every query; a backend
(:mod:`.sqlite`, :mod:`.postgres`) supplies the connection, the schema, transactions
and the full-text search clause. SQL is written once with ``?`` placeholders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import queue
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from typing import Any

from sessionsketch.model import Sketch
from sessionsketch.analysis.names import core_name, fold
from sessionsketch.text import words

#: Words a question carries that say nothing about its topic ("what did Zhu Feng say about ...");
#: with scikit-learn's English stop words, they are left out of a search unless nothing else is left.
QUESTION_WORDS = frozenset(
    [
        "say",
        "said",
        "says",
        "saying",
        "think",
        "thought",
        "thinks",
        "argue",
        "argued",
        "argues",
        "mention",
        "mentioned",
        "talk",
        "talked",
        "speak",
        "spoke",
        "view",
        "views",
        "did",
        "does",
        "doing",
        "tell",
        "told",
    ]
)
#: Words scikit-learn counts as stop words that are topics in a session ("the bill", "fire safety").
TOPIC_WORDS = frozenset(
    ["bill", "fire", "system", "interest", "amount", "detail", "mill", "serious", "sincere", "empty"]
)


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (frozenset(ENGLISH_STOP_WORDS) - TOPIC_WORDS) | QUESTION_WORDS


STOP_WORDS = _stop_words()

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


def search_terms(query: str) -> list[str]:
    """The words of a query that carry its topic, folded, question words dropped."""
    every = list(dict.fromkeys(words(fold(query))))
    terms = [w for w in every if w not in STOP_WORDS] or every
    return terms[:16]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _year(sketch: Sketch) -> int | None:
    if sketch.metadata.date:
        return sketch.metadata.date.year
    m = re.search(r"\b(19|20)\d\d\b", sketch.metadata.conference or "")
    return int(m.group(0)) if m else None


def _title(sketch: Sketch) -> str:
    md = sketch.metadata
    return md.session or md.conference or "Untitled session"


def _loads(text: Any) -> Any:
    if text is None:
        return None
    return json.loads(text)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


#: The tables both backends share; ``{id}`` and ``{ref}`` are the backend's key types.
TABLES = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id {id}, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0, created_at TEXT);
CREATE TABLE IF NOT EXISTS sketches (
    id {id}, status TEXT NOT NULL, title TEXT,
    sketch_json TEXT, published_json TEXT, programme_json TEXT, session_slug TEXT, transcript_json TEXT,
    transcript_name TEXT, speaker_map_json TEXT, source_key TEXT UNIQUE, content_hash TEXT,
    conference TEXT, year INTEGER, session_title TEXT, date TEXT,
    version INTEGER NOT NULL DEFAULT 1, published_version INTEGER,
    created_by TEXT, updated_by TEXT, created_at TEXT, updated_at TEXT, published_at TEXT);
CREATE INDEX IF NOT EXISTS sketches_conference ON sketches (conference);
CREATE TABLE IF NOT EXISTS sentences (
    id {id}, sketch_id {ref} NOT NULL REFERENCES sketches (id),
    paragraph INTEGER NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL,
    speaker TEXT, speaker_key TEXT, affiliation TEXT, conference TEXT, year INTEGER, session_title TEXT{sentence_extra});
CREATE INDEX IF NOT EXISTS sentences_sketch ON sentences (sketch_id);
CREATE INDEX IF NOT EXISTS sentences_speaker ON sentences (speaker_key);
CREATE TABLE IF NOT EXISTS appearances (
    sketch_id {ref} NOT NULL REFERENCES sketches (id), name TEXT NOT NULL, name_key TEXT NOT NULL,
    affiliation TEXT, role TEXT, conference TEXT, year INTEGER, date TEXT);
CREATE INDEX IF NOT EXISTS appearances_name ON appearances (name_key);
CREATE INDEX IF NOT EXISTS appearances_sketch ON appearances (sketch_id);
CREATE TABLE IF NOT EXISTS imports (
    id {id}, status TEXT NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL,
    failed INTEGER NOT NULL, log_json TEXT NOT NULL, created_by TEXT, created_at TEXT, updated_at TEXT);
CREATE TABLE IF NOT EXISTS login_failures (
    name TEXT NOT NULL, address TEXT NOT NULL, failed_at DOUBLE PRECISION NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_who ON login_failures (name, address, failed_at);
CREATE INDEX IF NOT EXISTS login_failures_when ON login_failures (failed_at);
"""


class Archive:
    """Storage and search. Subclasses provide ``_connect``, ``SCHEMA``, ``_write`` and ``_match``."""

    SCHEMA: tuple[str, ...] = ()
    backend = "?"

    #: Connections kept open and shared by the threads that serve requests (warm page caches).
    pool_size = 4

    def __init__(self) -> None:
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._conns: list[Any] = []
        self._conns_lock = threading.Lock()

    # ------------------------------------------------------------------ plumbing

    def _connect(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    @contextmanager
    def _borrow(self) -> Iterator[Any]:
        """A connection for one statement or transaction, from the pool (opened on demand)."""
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = None
            with self._conns_lock:
                if len(self._conns) < self.pool_size:
                    conn = self._connect()
                    self._conns.append(conn)
            if conn is None:
                conn = self._idle.get(timeout=120)
        try:
            yield conn
        finally:
            self._idle.put(conn)

    def _sql(self, sql: str) -> str:
        return sql

    @contextmanager
    def _write(self) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    def _rows(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]:
        with self._borrow() as conn:
            cur = conn.cursor()
            cur.execute(self._sql(sql), tuple(params))
            return list(cur.fetchall())

    def _row(self, sql: str, params: tuple | list = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _exec(self, cur: Any, sql: str, params: tuple | list = ()) -> Any:
        cur.execute(self._sql(sql), tuple(params))
        return cur

    def _insert(self, cur: Any, sql: str, params: tuple | list) -> int:
        """Run an INSERT ... RETURNING id and return the id."""
        cur.execute(self._sql(sql + " RETURNING id"), tuple(params))
        row = cur.fetchone()
        return int(row["id"])

    def init(self) -> Archive:
        with self._write() as cur:
            for statement in self.SCHEMA:
                self._exec(cur, statement)
        return self

    def close(self) -> None:
        with self._conns_lock:
            for conn in self._conns:
                with suppress(Exception):
                    conn.close()
            self._conns.clear()
        self._idle = queue.LifoQueue()

    # ------------------------------------------------------------------ settings

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self._row("SELECT value FROM settings WHERE key = ?", (key,))
        return row["value"] if row else default

    def set_setting(self, key: str, value: str, overwrite: bool = True) -> str:
        """Store ``value`` under ``key``; with ``overwrite=False`` keep an existing value. Returns the stored value."""
        with self._write() as cur:
            if overwrite:
                self._exec(
                    cur,
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            else:
                self._exec(
                    cur,
                    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                    (key, value),
                )
        stored = self.setting(key)
        assert stored is not None
        return stored

    # ------------------------------------------------------------------ users

    def add_user(self, name: str, password_hash: str, is_admin: bool = False) -> None:
        with self._write() as cur:
            self._exec(
                cur,
                "INSERT INTO users (name, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, is_admin = excluded.is_admin",
                (name, password_hash, 1 if is_admin else 0, _now()),
            )

    def user(self, name: str) -> dict[str, Any] | None:
        return self._row("SELECT name, password_hash, is_admin FROM users WHERE name = ?", (name,))

    def set_password_hash(self, name: str, password_hash: str) -> None:
        with self._write() as cur:
            self._exec(cur, "UPDATE users SET password_hash = ? WHERE name = ?", (password_hash, name))

    def user_count(self) -> int:
        row = self._row("SELECT COUNT(*) AS n FROM users")
        return int(row["n"]) if row else 0

    # ------------------------------------------------------------------ failed logins

    def login_failures(self, name: str, address: str, since: float) -> list[float]:
        """When (seconds since the epoch, oldest first) ``name`` failed to log in from ``address`` after ``since``."""
        rows = self._rows(
            "SELECT failed_at FROM login_failures WHERE name = ? AND address = ? AND failed_at > ? "
            "ORDER BY failed_at",
            (name, address, since),
        )
        return [float(r["failed_at"]) for r in rows]

    def record_login_failure(self, name: str, address: str, at: float, forget_before: float) -> None:
        """Note a failed login; failures from before ``forget_before`` (anyone's) are forgotten."""
        with self._write() as cur:
            self._exec(cur, "DELETE FROM login_failures WHERE failed_at < ?", (forget_before,))
            self._exec(
                cur,
                "INSERT INTO login_failures (name, address, failed_at) VALUES (?, ?, ?)",
                (name, address, at),
            )

    def clear_login_failures(self, name: str, address: str) -> None:
        with self._write() as cur:
            self._exec(cur, "DELETE FROM login_failures WHERE name = ? AND address = ?", (name, address))

    # ------------------------------------------------------------------ sketches

    def _record(self, row: dict[str, Any]) -> SketchRecord:
        sketch_doc = _loads(row["sketch_json"])
        return SketchRecord(
            id=int(row["id"]),
            status=row["status"],
            title=row["title"],
            version=int(row["version"]),
            sketch=Sketch.from_dict(sketch_doc) if sketch_doc else None,
            published=Sketch.from_dict(_loads(row["published_json"])) if row["published_json"] else None,
            programme=_loads(row["programme_json"]),
            session_slug=row["session_slug"],
            transcript=_loads(row["transcript_json"]),
            transcript_name=row["transcript_name"],
            speaker_map=_loads(row["speaker_map_json"]) or {},
            source_key=row["source_key"],
            content_hash=row["content_hash"],
            conference=row["conference"],
            year=row["year"],
            session_title=row["session_title"],
            date=row["date"],
            published_version=row["published_version"],
            created_by=row["created_by"],
            updated_by=row["updated_by"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    def get(self, sketch_id: int) -> SketchRecord:
        row = self._row("SELECT * FROM sketches WHERE id = ?", (sketch_id,))
        if row is None:
            raise NotFound(f"no sketch {sketch_id}")
        return self._record(row)

    def create_workbench(
        self, programme: dict[str, Any], title: str | None, session_slug: str | None, user: str | None
    ) -> int:
        now = _now()
        with self._write() as cur:
            return self._insert(
                cur,
                "INSERT INTO sketches (status, title, programme_json, session_slug, speaker_map_json, version, "
                "created_by, updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
                (DRAFT, title, _dumps(programme), session_slug, "{}", user, user, now, now),
            )

    def update_workbench(self, sketch_id: int, user: str | None, **fields: Any) -> int:
        """Set workbench fields (programme, session_slug, transcript, transcript_name,
        speaker_map, sketch) and bump the version. Returns the new version."""
        columns = {
            "programme": ("programme_json", _dumps),
            "session_slug": ("session_slug", None),
            "transcript": ("transcript_json", _dumps),
            "transcript_name": ("transcript_name", None),
            "speaker_map": ("speaker_map_json", _dumps),
            "sketch": ("sketch_json", lambda s: _dumps(s.to_dict()) if s is not None else None),
            "title": ("title", None),
        }
        sets, params = [], []
        for name, value in fields.items():
            col, conv = columns[name]
            sets.append(f"{col} = ?")
            params.append(conv(value) if conv and value is not None else value)
        with self._write() as cur:
            row = self._exec(
                cur,
                f"UPDATE sketches SET {', '.join(sets)}, version = version + 1, updated_by = ?, updated_at = ? "
                "WHERE id = ? RETURNING version",
                (*params, user, _now(), sketch_id),
            ).fetchone()
        if row is None:
            raise NotFound(f"no sketch {sketch_id}")
        return int(row["version"])

    def save_sketch(self, sketch_id: int, sketch: Sketch, expected_version: int, user: str | None) -> int:
        """Save an edited sketch if nobody saved since ``expected_version``; return the new version.

        Raises :class:`StaleVersion` (carrying the current record) when the stored version differs.
        """
        with self._write() as cur:
            row = self._exec(
                cur,
                "UPDATE sketches SET sketch_json = ?, version = version + 1, updated_by = ?, updated_at = ? "
                "WHERE id = ? AND version = ? RETURNING version",
                (_dumps(sketch.to_dict()), user, _now(), sketch_id, expected_version),
            ).fetchone()
        if row is None:
            raise StaleVersion(self.get(sketch_id))
        return int(row["version"])

    def workbench_list(self) -> list[SketchRecord]:
        rows = self._rows(
            "SELECT * FROM sketches WHERE programme_json IS NOT NULL ORDER BY updated_at DESC, id DESC LIMIT 500"
        )
        return [self._record(r) for r in rows]

    def published(self, conference: str | None = None, limit: int = 200) -> list[SketchRecord]:
        if conference is None:
            rows = self._rows(
                "SELECT * FROM sketches WHERE status = ? ORDER BY date DESC, id DESC LIMIT ?",
                (PUBLISHED, limit),
            )
        else:
            rows = self._rows(
                "SELECT * FROM sketches WHERE status = ? AND conference = ? ORDER BY date, session_title, id LIMIT ?",
                (PUBLISHED, conference, limit),
            )
        return [self._record(r) for r in rows]

    def publish(
        self,
        sketch: Sketch,
        *,
        sketch_id: int | None = None,
        source_key: str | None = None,
        source_hash: str | None = None,
        user: str | None = None,
    ) -> tuple[int, str]:
        """Put a sketch into the searchable archive, in one transaction.

        ``sketch_id`` publishes a workbench draft; ``source_key`` (an imported file's
        name) updates the sketch imported earlier under that key instead of adding
        another. Returns ``(id, "created" | "updated" | "unchanged")``.
        """
        md = sketch.metadata
        doc = _dumps(sketch.to_dict())
        digest = source_hash or content_hash(doc.encode())
        now = _now()
        year = _year(sketch)
        date = md.date.isoformat() if md.date else None
        with self._write() as cur:
            if sketch_id is None and source_key is not None:
                row = self._exec(
                    cur, "SELECT id, content_hash FROM sketches WHERE source_key = ?", (source_key,)
                ).fetchone()
                if row is not None:
                    if row["content_hash"] == digest:
                        return int(row["id"]), "unchanged"
                    sketch_id = int(row["id"])
            if sketch_id is None:
                action = "created"
                sketch_id = self._insert(
                    cur,
                    "INSERT INTO sketches (status, title, sketch_json, published_json, source_key, content_hash, conference, year, "
                    "session_title, date, version, published_version, created_by, updated_by, created_at, "
                    "updated_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?)",
                    (
                        PUBLISHED,
                        _title(sketch),
                        doc,
                        doc,
                        source_key,
                        digest,
                        md.conference,
                        year,
                        md.session,
                        date,
                        user,
                        user,
                        now,
                        now,
                        now,
                    ),
                )
            else:
                action = "updated"
                row = self._exec(
                    cur,
                    "UPDATE sketches SET status = ?, title = COALESCE(title, ?), sketch_json = ?, published_json = ?, "
                    "content_hash = ?, "
                    "conference = ?, year = ?, session_title = ?, date = ?, version = version + 1, "
                    "published_version = version + 1, updated_by = ?, updated_at = ?, published_at = ? "
                    "WHERE id = ? RETURNING id",
                    (
                        PUBLISHED,
                        _title(sketch),
                        doc,
                        doc,
                        digest,
                        md.conference,
                        year,
                        md.session,
                        date,
                        user,
                        now,
                        now,
                        sketch_id,
                    ),
                ).fetchone()
                if row is None:
                    raise NotFound(f"no sketch {sketch_id}")
            self._index(cur, sketch_id, sketch, year)
        return sketch_id, action

    def _index(self, cur: Any, sketch_id: int, sketch: Sketch, year: int | None) -> None:
        md = sketch.metadata
        self._exec(cur, "DELETE FROM sentences WHERE sketch_id = ?", (sketch_id,))
        self._exec(cur, "DELETE FROM appearances WHERE sketch_id = ?", (sketch_id,))
        roles = [("rapporteur", md.rapporteur), ("moderator", md.moderator)] + [
            ("speaker", p) for p in md.speakers
        ]
        affiliation: dict[str, str | None] = {}
        people = []
        date = md.date.isoformat() if md.date else None
        for role, ref in roles:
            if ref is None:
                continue
            key = core_name(ref.name)
            affiliation.setdefault(key, ref.affiliation)
            people.append((sketch_id, ref.name, key, ref.affiliation, role, md.conference, year, date))
        if people:
            cur.executemany(
                self._sql(
                    "INSERT INTO appearances (sketch_id, name, name_key, affiliation, role, conference, year, date) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                people,
            )
        rows = []
        for p_index, paragraph in enumerate(sketch.paragraphs):
            for s_index, sentence in enumerate(paragraph.sentences):
                speaker = sentence.speaker
                key = core_name(speaker) if speaker else None
                rows.append(
                    (
                        sketch_id,
                        p_index,
                        s_index,
                        sentence.text,
                        speaker,
                        key,
                        affiliation.get(key) if key else None,
                        md.conference,
                        year,
                        md.session,
                    )
                )
        if rows:
            cur.executemany(
                self._sql(
                    "INSERT INTO sentences (sketch_id, paragraph, position, text, speaker, speaker_key, affiliation, "
                    "conference, year, session_title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                rows,
            )

    def delete(self, sketch_id: int) -> None:
        with self._write() as cur:
            self._exec(cur, "DELETE FROM sentences WHERE sketch_id = ?", (sketch_id,))
            self._exec(cur, "DELETE FROM appearances WHERE sketch_id = ?", (sketch_id,))
            self._exec(cur, "DELETE FROM sketches WHERE id = ?", (sketch_id,))

    # ------------------------------------------------------------------ search and pages

    def _match(self, terms: list[str]) -> tuple[str, str, str, list[Any]]:  # pragma: no cover - abstract
        """``(from_clause, where_clause, order_clause, params)`` for a full-text match of ``terms``."""
        raise NotImplementedError

    def search(
        self, query: str = "", filters: SearchFilters | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[list[SearchHit], bool]:
        """Attributed sentences matching ``query`` (all its topic words) and ``filters``, best first.

        Returns the hits and whether more follow.
        """
        f = filters or SearchFilters()
        terms = search_terms(query)
        where: list[str] = []
        params: list[Any] = []
        if terms:
            source, match, order, match_params = self._match(terms)
            where.append(match)
            params.extend(match_params)
        else:
            source, order = "sentences s", "s.sketch_id DESC, s.paragraph, s.position"
        if f.speaker:
            where.append("s.speaker_key = ?")
            params.append(core_name(f.speaker))
        for column, value in (
            ("s.affiliation", f.affiliation),
            ("s.conference", f.conference),
            ("s.session_title", f.session),
        ):
            if value:
                where.append(f"LOWER({column}) LIKE ?")
                params.append(f"%{value.strip().lower()}%")
        if f.year:
            where.append("s.year = ?")
            params.append(int(f.year))
        if f.sketch_id:
            where.append("s.sketch_id = ?")
            params.append(int(f.sketch_id))
        if not terms and not where:
            where.append("s.speaker IS NOT NULL")
            order = "s.id DESC"  # the newest sentences, without sorting the whole archive
        sql = (
            "SELECT s.text, s.speaker, s.affiliation, s.sketch_id, s.paragraph, s.position, s.session_title, "
            f"s.conference, s.year FROM {source} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ? OFFSET ?"
        )
        rows = self._rows(sql, [*params, limit + 1, offset])
        hits = [
            SearchHit(
                sentence=r["text"],
                speaker=r["speaker"],
                affiliation=r["affiliation"],
                sketch_id=int(r["sketch_id"]),
                paragraph=int(r["paragraph"]),
                position=int(r["position"]),
                session=r["session_title"],
                conference=r["conference"],
                year=r["year"],
            )
            for r in rows[:limit]
        ]
        return hits, len(rows) > limit

    def person(self, name: str, limit: int = 100, offset: int = 0) -> dict[str, Any] | None:
        """What the archive holds about one person: appearances, affiliations, and one page
        (``limit`` from ``offset``) of the sentences attributed to them, with their ``total``."""
        key = core_name(name)
        appearances = self._rows(
            "SELECT a.name, a.affiliation, a.role, a.conference, a.year, a.date, a.sketch_id, k.session_title "
            "FROM appearances a JOIN sketches k ON k.id = a.sketch_id WHERE a.name_key = ? "
            "ORDER BY a.year, a.date, a.sketch_id",
            (key,),
        )
        said = self._rows(
            "SELECT COUNT(*) AS n, MIN(speaker) AS speaker FROM sentences WHERE speaker_key = ?", (key,)
        )[0]
        total = int(said["n"] or 0)
        if not appearances and not total:
            return None
        hits, more = self.search("", SearchFilters(speaker=name), limit=limit, offset=offset)
        names = [a["name"] for a in appearances] or [said["speaker"]]
        affiliations: list[dict[str, Any]] = []
        for a in appearances:
            if a["affiliation"] and not any(
                x["affiliation"] == a["affiliation"] and x["year"] == a["year"] for x in affiliations
            ):
                affiliations.append(
                    {"affiliation": a["affiliation"], "year": a["year"], "conference": a["conference"]}
                )
        return {
            "name": max(set(names), key=names.count),
            "key": key,
            "affiliations": affiliations,
            "appearances": [dict(a) for a in appearances],
            "sentences": [h.to_dict() for h in hits],
            "total": total,
            "has_more": more,
        }

    def people(self, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT name_key, MIN(name) AS name, COUNT(DISTINCT sketch_id) AS sessions FROM appearances "
            "GROUP BY name_key ORDER BY MIN(name) LIMIT ?",
            (limit,),
        )
        return [{"name": r["name"], "sessions": int(r["sessions"])} for r in rows]

    def conferences(self) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT conference, MIN(year) AS first_year, MAX(year) AS last_year, COUNT(*) AS sessions "
            "FROM sketches WHERE status = ? AND conference IS NOT NULL GROUP BY conference ORDER BY conference",
            (PUBLISHED,),
        )
        return [
            {
                "conference": r["conference"],
                "first_year": r["first_year"],
                "last_year": r["last_year"],
                "sessions": int(r["sessions"]),
            }
            for r in rows
        ]

    def counts(self) -> dict[str, int]:
        row = self._row(
            "SELECT (SELECT COUNT(*) FROM sketches WHERE status = ?) AS sketches, "
            "(SELECT COUNT(*) FROM sentences) AS sentences",
            (PUBLISHED,),
        )
        assert row is not None
        return {"sketches": int(row["sketches"]), "sentences": int(row["sentences"])}

    # ------------------------------------------------------------------ import jobs

    def start_import(self, total: int, user: str | None) -> int:
        now = _now()
        with self._write() as cur:
            return self._insert(
                cur,
                "INSERT INTO imports (status, total, done, failed, log_json, created_by, created_at, updated_at) "
                "VALUES ('running', ?, 0, 0, '[]', ?, ?, ?)",
                (total, user, now, now),
            )

    def record_import(self, job_id: int, entry: dict[str, Any], failed: bool) -> None:
        with self._write() as cur:
            row = self._exec(cur, "SELECT log_json FROM imports WHERE id = ?", (job_id,)).fetchone()
            log = _loads(row["log_json"]) if row else []
            log.append(entry)
            self._exec(
                cur,
                "UPDATE imports SET done = done + 1, failed = failed + ?, log_json = ?, updated_at = ?, "
                "status = CASE WHEN done + 1 >= total THEN 'done' ELSE status END WHERE id = ?",
                (1 if failed else 0, _dumps(log), _now(), job_id),
            )

    def finish_import(self, job_id: int) -> None:
        with self._write() as cur:
            self._exec(
                cur, "UPDATE imports SET status = 'done', updated_at = ? WHERE id = ?", (_now(), job_id)
            )

    def import_job(self, job_id: int) -> ImportJob:
        row = self._row("SELECT * FROM imports WHERE id = ?", (job_id,))
        if row is None:
            raise NotFound(f"no import {job_id}")
        return ImportJob(
            id=int(row["id"]),
            status=row["status"],
            total=int(row["total"]),
            done=int(row["done"]),
            failed=int(row["failed"]),
            log=_loads(row["log_json"]) or [],
            created_by=row["created_by"],
            created_at=row["created_at"],
        )
