"""The embedded backend: one SQLite file, full-text search with FTS5 ranked by bm25."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sessionsketch.archive.repository import Archive

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0, created_at TEXT);
CREATE TABLE IF NOT EXISTS sketches (
    id INTEGER PRIMARY KEY AUTOINCREMENT, status TEXT NOT NULL, title TEXT,
    sketch_json TEXT, published_json TEXT, programme_json TEXT, session_slug TEXT, transcript_json TEXT, transcript_name TEXT,
    speaker_map_json TEXT, source_key TEXT UNIQUE, content_hash TEXT,
    conference TEXT, year INTEGER, session_title TEXT, date TEXT,
    version INTEGER NOT NULL DEFAULT 1, published_version INTEGER,
    created_by TEXT, updated_by TEXT, created_at TEXT, updated_at TEXT, published_at TEXT);
CREATE INDEX IF NOT EXISTS sketches_conference ON sketches (conference);
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY, sketch_id INTEGER NOT NULL REFERENCES sketches (id),
    paragraph INTEGER NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL,
    speaker TEXT, speaker_key TEXT, affiliation TEXT, conference TEXT, year INTEGER, session_title TEXT);
CREATE INDEX IF NOT EXISTS sentences_sketch ON sentences (sketch_id);
CREATE INDEX IF NOT EXISTS sentences_speaker ON sentences (speaker_key);
CREATE TABLE IF NOT EXISTS appearances (
    sketch_id INTEGER NOT NULL REFERENCES sketches (id), name TEXT NOT NULL, name_key TEXT NOT NULL,
    affiliation TEXT, role TEXT, conference TEXT, year INTEGER, date TEXT);
CREATE INDEX IF NOT EXISTS appearances_name ON appearances (name_key);
CREATE INDEX IF NOT EXISTS appearances_sketch ON appearances (sketch_id);
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT, status TEXT NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL,
    failed INTEGER NOT NULL, log_json TEXT NOT NULL, created_by TEXT, created_at TEXT, updated_at TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5 (
    text, speaker, content='sentences', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
CREATE TRIGGER IF NOT EXISTS sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts (sentences_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
END;
"""


def _dict_row(cursor: sqlite3.Cursor, row: tuple) -> dict[str, Any]:
    return {d[0]: v for d, v in zip(cursor.description, row, strict=True)}


class SQLiteArchive(Archive):
    """The archive in ``DIR/archive.sqlite3`` (WAL mode; one connection per thread)."""

    backend = "sqlite"

    def __init__(self, path: str | Path):
        super().__init__()
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        conn.row_factory = _dict_row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MB of pages per connection
        conn.execute("PRAGMA mmap_size = 1073741824")  # read the file through the page cache
        return conn

    def init(self) -> Archive:
        with self._borrow() as conn:
            conn.executescript(_SCHEMA)
        return self

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        with self._borrow() as conn:
            cur = conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _match(self, terms: list[str]) -> tuple[str, str, str, list[Any]]:
        expression = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        return (
            "sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid",
            "sentences_fts MATCH ?",
            "sentences_fts.rank",  # FTS5's rank is bm25(), computed faster
            [expression],
        )
