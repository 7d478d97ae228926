"""The server backend: PostgreSQL, full-text search with a tsvector column ranked by ts_rank."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sessionsketch.archive.repository import Archive
from sessionsketch.errors import UserError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0, created_at TEXT);
CREATE TABLE IF NOT EXISTS sketches (
    id BIGSERIAL PRIMARY KEY, status TEXT NOT NULL, title TEXT,
    sketch_json TEXT, published_json TEXT, programme_json TEXT, session_slug TEXT, transcript_json TEXT, transcript_name TEXT,
    speaker_map_json TEXT, source_key TEXT UNIQUE, content_hash TEXT,
    conference TEXT, year INTEGER, session_title TEXT, date TEXT,
    version INTEGER NOT NULL DEFAULT 1, published_version INTEGER,
    created_by TEXT, updated_by TEXT, created_at TEXT, updated_at TEXT, published_at TEXT);
CREATE INDEX IF NOT EXISTS sketches_conference ON sketches (conference);
CREATE TABLE IF NOT EXISTS sentences (
    id BIGSERIAL PRIMARY KEY, sketch_id BIGINT NOT NULL REFERENCES sketches (id),
    paragraph INTEGER NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL,
    speaker TEXT, speaker_key TEXT, affiliation TEXT, conference TEXT, year INTEGER, session_title TEXT,
    tsv tsvector GENERATED ALWAYS AS (
        to_tsvector('english', text || ' ' || COALESCE(speaker, ''))) STORED);
CREATE INDEX IF NOT EXISTS sentences_sketch ON sentences (sketch_id);
CREATE INDEX IF NOT EXISTS sentences_speaker ON sentences (speaker_key);
CREATE INDEX IF NOT EXISTS sentences_tsv ON sentences USING GIN (tsv);
CREATE TABLE IF NOT EXISTS appearances (
    sketch_id BIGINT NOT NULL REFERENCES sketches (id), name TEXT NOT NULL, name_key TEXT NOT NULL,
    affiliation TEXT, role TEXT, conference TEXT, year INTEGER, date TEXT);
CREATE INDEX IF NOT EXISTS appearances_name ON appearances (name_key);
CREATE INDEX IF NOT EXISTS appearances_sketch ON appearances (sketch_id);
CREATE TABLE IF NOT EXISTS imports (
    id BIGSERIAL PRIMARY KEY, status TEXT NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL,
    failed INTEGER NOT NULL, log_json TEXT NOT NULL, created_by TEXT, created_at TEXT, updated_at TEXT)
"""

_SCHEMA_LOCK = threading.Lock()


class PostgresArchive(Archive):
    """The archive in a PostgreSQL database (one connection per thread, autocommit reads)."""

    SCHEMA = tuple(s.strip() for s in _SCHEMA.split(";\n") if s.strip())
    backend = "postgresql"

    def __init__(self, url: str):
        super().__init__()
        self.url = url

    def _connect(self) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        try:
            return psycopg.connect(self.url, autocommit=True, row_factory=dict_row, connect_timeout=10)
        except psycopg.OperationalError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "connection failed"
            raise UserError(f"cannot connect to the database: {first}", _redact(self.url)) from None

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    @contextmanager
    def _write(self) -> Iterator[Any]:
        with self._borrow() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur

    def init(self) -> Archive:
        with _SCHEMA_LOCK, self._write() as cur:
            # one schema creation at a time, even across processes
            cur.execute("SELECT pg_advisory_xact_lock(73217)")
            for statement in self.SCHEMA:
                cur.execute(statement)
        return self

    def _match(self, terms: list[str]) -> tuple[str, str, str, list[Any]]:
        return (
            "sentences s, plainto_tsquery('english', ?) AS q",
            "s.tsv @@ q",
            "ts_rank(s.tsv, q) DESC",
            [" ".join(terms)],
        )


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
