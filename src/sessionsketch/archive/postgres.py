"""The server backend: PostgreSQL, full-text search with a tsvector column ranked by ts_rank."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sessionsketch.archive.query import _TOKEN_CHARS, Query, _token_stem
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
CREATE INDEX IF NOT EXISTS sentences_tsv ON sentences USING GIN (tsv);
CREATE INDEX IF NOT EXISTS sentences_year ON sentences (year)
"""
)

_SCHEMA_LOCK = threading.Lock()
#: Distinctive words compare a person with about this many sentences of the archive, sampled
#: afresh every VOCABULARY_SECONDS.
VOCABULARY_SAMPLE = 50_000
VOCABULARY_SECONDS = 600
#: A match the planner expects to hold more than this share of the count cap is not counted
#: (read newest first, "more than WINDOW"): counting it would likely hit the cap and then walk.
BROAD = 0.8


class PostgresArchive(Archive):
    """The archive in a PostgreSQL database (a small pool of connections, autocommit reads)."""

    SCHEMA = tuple(s.strip() for s in _SCHEMA.split(";\n") if s.strip())
    backend = "postgresql"
    # The ids of a match, up to the cap, are read once from the GIN index (and a filter's index
    # beside it) in the search's statement: their number is the count, exact with the filters
    # too, and their WINDOW newest are ranked, found again by id. Walking the primary key
    # backwards for the newest checks about WINDOW * sentences / matched rows instead (45 ms for
    # 1,000 of 4,000 matches), which is left for matches larger than the cap.
    count_in_statement = True

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self._vocabulary: tuple[float, dict[str, int], int, float] | None = None

    def _connect(self) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        try:
            conn = psycopg.connect(self.url, autocommit=True, row_factory=dict_row, connect_timeout=10)
        except psycopg.OperationalError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "connection failed"
            raise UserError(f"cannot connect to the database: {first}", _redact(self.url)) from None
        # psycopg prepares a statement run five times; PostgreSQL then may plan it once for any
        # parameters, and a search's plan depends on how many sentences its words match (a
        # generic plan took 150 ms for a word and a year that a plan of their own answers in 5)
        conn.execute("SET plan_cache_mode = force_custom_plan")
        # the archive is read from memory or SSD: at the default cost of a random page (4) the
        # planner walked the primary key backwards past 130,000 sentences to find the newest
        # 1,000 of a 4,000-sentence match (45 ms) rather than read those 4,000 (10 ms)
        conn.execute("SET random_page_cost = 1.1")
        # a search is a few milliseconds of work among many at once: parallel workers only add
        # their start-up to every one of them
        conn.execute("SET max_parallel_workers_per_gather = 0")
        return conn

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

    def _match(self, query: Query, speakers: list[str] | None = None) -> tuple[str, str, str, list[Any]]:
        return (
            "sentences s, to_tsquery('english', ?) AS q",
            "s.tsv @@ q",
            "-ts_rank(s.tsv, q)",
            [query.tsquery()],
        )

    def _clearly_broad(self, source: str, where: list[str], params: list[Any]) -> bool:
        # the planner's estimate of the match (from the GIN statistics, planning only): counting
        # a broad word to the cap reads that many rows of the table (10 ms) only to say "5,000+",
        # and then the newest are walked for anyway (5-10 ms)
        row = self._row(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {source} WHERE {' AND '.join(where)}", params)
        if not row:
            return False
        plan = next(iter(row.values()))
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return float(plan[0]["Plan"].get("Plan Rows", 0)) > BROAD * self.count_cap

    def _marked(self, query: Query, texts: dict[int, str]) -> dict[int, tuple[str, str]]:
        ids = list(texts)
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

    def _document_frequencies(self, words: list[str]) -> tuple[dict[str, int], int]:
        # ts_stat over a sample of the archive's pages, kept for a few minutes: exact counts would
        # read every sentence of every word
        now = time.monotonic()
        cached = self._vocabulary
        if cached is None or now - cached[0] > VOCABULARY_SECONDS:
            row = self._row("SELECT COUNT(*) AS n FROM sentences")
            total = int(row["n"]) if row else 0
            percent = 100.0 if total <= VOCABULARY_SAMPLE else max(0.5, 100.0 * VOCABULARY_SAMPLE / total)
            sample = f"SELECT tsv FROM sentences TABLESAMPLE SYSTEM ({percent:.2f})"
            counted = self._row(f"SELECT COUNT(*) AS n FROM ({sample}) AS x")
            seen = max(1, int(counted["n"]) if counted else 1)
            stats = {
                r["word"]: int(r["ndoc"]) for r in self._rows("SELECT word, ndoc FROM ts_stat(?)", [sample])
            }
            cached = self._vocabulary = (now, stats, total, total / seen)
        _, stats, total, scale = cached
        parts = {w: [_token_stem(t, "english") for t in _TOKEN_CHARS.findall(w)] for w in words}
        return {
            w: round(min((stats.get(t, 0) for t in ts), default=0) * scale) for w, ts in parts.items()
        }, total

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
