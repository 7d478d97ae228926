"""The server backend: PostgreSQL, full-text search with a tsvector column ranked by ts_rank."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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
