"""The embedded backend: one SQLite file, full-text search with FTS5 ranked by bm25."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sessionsketch.analysis.names import core_name
from sessionsketch.archive.query import _TOKEN_CHARS, Query, _token_stem, mark
from sessionsketch.archive.records import MARK_END, MARK_START, SNIPPET_WORDS, SearchFilters
from sessionsketch.archive.repository import Archive
from sessionsketch.archive.schema import TABLES

_SCHEMA = (
    TABLES.format(id="INTEGER PRIMARY KEY AUTOINCREMENT", ref="INTEGER", sentence_extra="")
    + """
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5 (
    text, speaker, content='sentences', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
CREATE INDEX IF NOT EXISTS sentences_speaker_name ON sentences (speaker_key, speaker);
CREATE INDEX IF NOT EXISTS sentences_affiliation_speaker ON sentences (affiliation, speaker);
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_vocab USING fts5vocab(sentences_fts, 'row');
CREATE TRIGGER IF NOT EXISTS sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
CREATE TRIGGER IF NOT EXISTS sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts (sentences_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
END;
"""
)


#: A speaker or affiliation filter narrows the full-text match by at most this many names.
MAX_SPEAKERS = 40
_WORDY = re.compile(r"[^\W_]")


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

    def _match(self, query: Query, speakers: list[str] | None = None) -> tuple[str, str, str, list[Any]]:
        expression = query.fts5()
        if speakers:
            # the speaker column of the index holds each sentence's speaker as stored: a phrase of
            # the whole name finds every sentence by them (FTS5 intersects the lists, instead of
            # reading every sentence of a broad word to check its speaker; the filter still does)
            names = " OR ".join('"' + name.replace('"', '""') + '"' for name in speakers)
            expression = f"({expression}) AND speaker : ({names})"
        return (
            "sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid",
            "sentences_fts MATCH ?",
            "sentences_fts.rank",  # FTS5's rank is bm25(), computed faster
            [expression],
        )

    def _speakers_filtered(self, f: SearchFilters) -> list[str] | None:
        if f.speaker:
            rows = self._rows(
                "SELECT DISTINCT speaker AS v FROM sentences WHERE speaker_key = ? LIMIT ?",
                (core_name(f.speaker), MAX_SPEAKERS + 1),
            )
        elif f.affiliation:
            values = self._filter_values("SELECT DISTINCT affiliation AS v FROM appearances", f.affiliation)
            if not values or len(values) > MAX_SPEAKERS:
                return None
            rows = self._rows(
                f"SELECT DISTINCT speaker AS v FROM sentences WHERE affiliation IN ({', '.join('?' for _ in values)}) "
                "LIMIT ?",
                (*values, MAX_SPEAKERS + 1),
            )
        else:
            return None
        names = [r["v"] for r in rows]
        # a name without a letter or digit has no words in the index to find it by
        if not names or len(names) > MAX_SPEAKERS or not all(name and _WORDY.search(name) for name in names):
            return None
        return names

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

    def _match_id(self) -> str:
        return "sentences_fts.rowid"

    def _count_match(
        self, query: Query, source: str, where: list[str], params: list[Any], filtered: bool
    ) -> tuple[int, tuple[str, list[Any]] | None] | None:
        if filtered:
            return None  # each match would be joined to its sentence to check the filters
        # from the index's lists alone (no sentence is read): about 1 ms for 5,000 matches
        expression = query.fts5()
        row = self._row(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM sentences_fts WHERE sentences_fts MATCH ? LIMIT ?)",
            (expression, self.count_cap + 1),
        )
        n = int(row["n"]) if row else 0
        if n <= self.window or n > self.count_cap:
            return n, None
        edge = self._row(
            "SELECT rowid AS id FROM sentences_fts WHERE sentences_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (expression, self.window - 1),
        )
        # FTS5 reads a rowid range of its lists: only the newest WINDOW are read again
        return n, ("sentences_fts.rowid >= ?", [int(edge["id"])]) if edge else None

    def _beside_match(self, column: str) -> str:
        return "+" + column  # the unary + keeps SQLite from driving the query by the column's index

    def _id_list(self, column: str) -> str:
        return f"GROUP_CONCAT({column})"
