"""The embedded backend: one SQLite file, full-text search with FTS5 ranked by bm25."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sessionsketch.archive.query import _TOKEN_CHARS, Query, _token_stem, mark
from sessionsketch.archive.records import MARK_END, MARK_START, SNIPPET_WORDS
from sessionsketch.archive.repository import Archive
from sessionsketch.archive.schema import TABLES

_SCHEMA = (
    TABLES.format(id="INTEGER PRIMARY KEY AUTOINCREMENT", ref="INTEGER", sentence_extra="")
    + """
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5 (
    text, speaker, content='sentences', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_vocab USING fts5vocab(sentences_fts, 'row');
CREATE TRIGGER IF NOT EXISTS sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
CREATE TRIGGER IF NOT EXISTS sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts (sentences_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
END;
"""
)


def _dict_row(cursor: sqlite3.Cursor, row: tuple) -> dict[str, Any]:
    return {d[0]: v for d, v in zip(cursor.description, row, strict=True)}


class SQLiteArchive(Archive):
    """The archive in ``DIR/archive.sqlite3`` (WAL mode; a small pool of connections)."""

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

    def _match(self, query: Query) -> tuple[str, str, str, list[Any]]:
        return (
            "sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid",
            "sentences_fts MATCH ?",
            "sentences_fts.rank",  # FTS5's rank is bm25(), computed faster
            [query.fts5()],
        )

    def _marked(self, query: Query, texts: dict[int, str]) -> dict[int, tuple[str, str]]:
        # marked in Python as the porter tokenizer reads words: FTS5's highlight() would run the
        # match again for each sentence of the page (a doclist walk per row)
        return {i: mark(text, query, MARK_START, MARK_END, SNIPPET_WORDS) for i, text in texts.items()}

    def _document_frequencies(self, words: list[str]) -> tuple[dict[str, int], int]:
        # FTS5's own vocabulary: how many sentences hold each (porter-stemmed) term
        parts = {w: [_token_stem(t, "porter") for t in _TOKEN_CHARS.findall(w)] for w in words}
        stems = sorted({t for ts in parts.values() for t in ts})
        found = {
            r["term"]: int(r["doc"])
            for r in self._rows(
                f"SELECT term, doc FROM sentences_vocab WHERE term IN ({', '.join('?' for _ in stems)})",
                stems,
            )
        }
        total = self._row("SELECT COUNT(*) AS n FROM sentences")
        return (
            {w: min((found.get(t, 0) for t in ts), default=0) for w, ts in parts.items()},
            int(total["n"]) if total else 0,
        )

    def _beside_match(self, column: str) -> str:
        return "+" + column  # the unary + keeps SQLite from driving the query by the column's index

    def _id_list(self, column: str) -> str:
        return f"GROUP_CONCAT({column})"
