"""The server backend: PostgreSQL, full-text search with a tsvector column ranked by ts_rank."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sessionsketch.archive.query import Query
from sessionsketch.archive.records import MARK_END, MARK_START, SNIPPET_WORDS
from sessionsketch.archive.repository import Archive
from sessionsketch.archive.schema import TABLES
from sessionsketch.errors import UserError

_SCHEMA = (
    TABLES.format(
        id="BIGSERIAL PRIMARY KEY",
        ref="BIGINT",
        sentence_extra=",\n    tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text || ' ' || COALESCE(speaker, ''))) STORED",
    )
    + """
CREATE INDEX IF NOT EXISTS sentences_tsv ON sentences USING GIN (tsv)
"""
)

_SCHEMA_LOCK = threading.Lock()


class PostgresArchive(Archive):
    """The archive in a PostgreSQL database (a small pool of connections, autocommit reads)."""

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

    def _match(self, query: Query) -> tuple[str, str, str, list[Any]]:
        return (
            "sentences s, to_tsquery('english', ?) AS q",
            "s.tsv @@ q",
            "-ts_rank(s.tsv, q)",
            [query.tsquery()],
        )

    def _marked(self, query: Query, ids: list[int]) -> dict[int, tuple[str, str]]:
        # ts_headline reads only the page's sentences (it re-parses each text)
        whole = f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true"
        cut = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS // 2 + 4}, "
            f'MinWords={SNIPPET_WORDS // 4}, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
        )
        rows = self._rows(
            "SELECT s.id, s.text, ts_headline('english', s.text, q, ?) AS marked, "
            "ts_headline('english', s.text, q, ?) AS snippet "
            "FROM sentences s, to_tsquery('english', ?) AS q WHERE s.id = ANY(?)",
            [whole, cut, query.tsquery(), ids],
        )
        out = {}
        for r in rows:
            snippet = r["snippet"] or ""
            plain = snippet.replace(MARK_START, "").replace(MARK_END, "").strip()
            if plain and not r["text"].startswith(plain[:20]):
                snippet = "… " + snippet
            if plain and not r["text"].rstrip().endswith(plain[-20:]):
                snippet += " …"
            out[int(r["id"])] = (r["marked"], snippet)
        return out

    def _id_list(self, column: str) -> str:
        return f"string_agg(CAST({column} AS TEXT), ',')"


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
