"""Search and the pages built on it: the sentence index, full-text queries, people, conferences.

:class:`SearchIndex` is the part of :class:`~sessionsketch.archive.repository.Archive`
that indexes a published sketch (sentences and appearances) and answers queries; the
backends provide ``_match`` (FTS5 with bm25, or PostgreSQL's tsvector).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sessionsketch.analysis.names import core_name
from sessionsketch.archive.query import STOP_WORDS, Query, QuerySyntaxError, parse_query, search_terms
from sessionsketch.archive.records import PUBLISHED, Facet, SearchFilters, SearchHit, SearchResult
from sessionsketch.data import words as word_list
from sessionsketch.model import Sketch

__all__ = ["STOP_WORDS", "QuerySyntaxError", "SearchIndex", "parse_query", "search_terms"]


_CONTRACTION = re.compile(r"['’]")
#: Fillers of speech, never what sets a person's statements apart.
_SPEECH_WORDS = word_list("report_fillers") | word_list("support_fillers") | word_list("stop_words")
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")


def _timeline(appearances: list[dict[str, Any]], per_sketch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per year and conference: the sessions a person took part in (in the block or given a
    sentence) and the sentences attributed to them."""
    sessions: dict[tuple[Any, Any], set[int]] = {}
    said: dict[tuple[Any, Any], int] = {}
    for a in appearances:
        sessions.setdefault((a["year"], a["conference"]), set()).add(int(a["sketch_id"]))
    for r in per_sketch:
        where = (r["year"], r["conference"])
        sessions.setdefault(where, set()).add(int(r["sketch_id"]))
        said[where] = said.get(where, 0) + int(r["n"])
    rows = [
        {"year": y, "conference": c, "sessions": len(ids), "sentences": said.get((y, c), 0)}
        for (y, c), ids in sessions.items()
    ]
    return sorted(rows, key=lambda x: (x["year"] is None, x["year"] or 0, x["conference"] or ""))


def public_transcript_key(sketch_id: int) -> str:
    """The setting that says a sketch was published with its transcript ("1"), so that the public
    sketch page shows the turns each sentence rests on. Without it, the transcript stays in the workbench."""
    return f"public_transcript:{int(sketch_id)}"


#: How many of the other sketches a folded sentence appears in are named ("also in …").
ALSO_IN_SHOWN = 5
#: A match of more sentences than this is ranked, folded and counted by facet over its WINDOW
#: most recently published sentences (the highest ids), not over all of them: ranking and
#: counting every sentence of a broad word (40,000 of 500,000) took 50–700 ms under load, and
#: the page says which sentences the results and counts are of.
WINDOW = 250
#: The sentences of a match larger than the window are counted exactly up to this many
#: ("5,000+" beyond). SQLite counts them from FTS5's lists when no filter is set (with a filter
#: only "more than WINDOW" is known); PostgreSQL counts them with the filters too, unless its
#: planner expects the match to reach the cap (then only "more than WINDOW" is known).
COUNT_CAP = 5_000


class SearchIndex:
    """Indexing and search over the archive's connections (``_rows``, ``_exec``, ``_sql``)."""

    #: :data:`WINDOW` and :data:`COUNT_CAP` of this archive (a test sets them small).
    window = WINDOW
    count_cap = COUNT_CAP
    #: The backend counts a match and bounds it in the search's own statement (else it counts
    #: first, with :meth:`_count_match`).
    count_in_statement = False

    def _index(self, cur: Any, sketch_id: int, sketch: Sketch, year: int | None) -> None:
        md = sketch.metadata
        self._exec(cur, "DELETE FROM sentences WHERE sketch_id = ?", (sketch_id,))
        self._exec(cur, "DELETE FROM appearances WHERE sketch_id = ?", (sketch_id,))
        roles = (
            [("rapporteur", md.rapporteur), ("moderator", md.moderator)]
            + [("speaker", p) for p in md.speakers]
            + [("participant", p) for p in md.participants]
        )
        affiliation: dict[str, str | None] = {}
        people = []
        date = md.date.isoformat() if md.date else None
        for role, ref in roles:
            if ref is None:
                continue
            key = core_name(ref.name)
            if role == "participant" and key in affiliation:
                continue  # already in the block as a speaker
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

    # ------------------------------------------------------------------ backend hooks

    def _match(
        self, query: Query, speakers: list[str] | None = None
    ) -> tuple[str, str, str, list[Any]]:  # pragma: no cover - abstract
        """``(from_clause, where_clause, rank_expression, params)`` for a full-text match of ``query``;
        a lower rank is a better match. ``speakers``: the sentences searched are by one of these
        (as stored; a filter on the sentences checks it exactly), which a backend may use to narrow
        the match inside its index."""
        raise NotImplementedError

    def _speakers_filtered(self, f: SearchFilters) -> list[str] | None:
        """The stored speaker names a speaker or affiliation filter leaves (None: any speaker, or
        more than a few dozen), read from an index, for :meth:`_match` to narrow the match by."""
        return None

    def _marked(self, query: Query, texts: dict[int, str]) -> dict[int, tuple[str, str]]:  # pragma: no cover
        """For the sentences ``texts`` (id → text, all matching ``query``): id → (the text with every
        matched word between ``MARK_START`` and ``MARK_END``, a snippet of about ``SNIPPET_WORDS``
        words around the match)."""
        raise NotImplementedError

    def _id_list(self, column: str) -> str:  # pragma: no cover - abstract
        """An aggregate listing ``column`` of a group, comma-separated (GROUP_CONCAT, string_agg)."""
        raise NotImplementedError

    def _clearly_broad(self, source: str, where: list[str], params: list[Any]) -> bool:
        """Whether the planner expects the match to reach the cap (it is then read newest first
        and not counted; the estimate only chooses the way, it is never shown)."""
        return False

    def _match_id(self) -> str:
        """A matched sentence's id as the match reads it (SQLite: the full-text index's rowid,
        which FTS5 walks newest first, and within a range, without reading the other rows)."""
        return "s.id"

    # ------------------------------------------------------------------ filters

    def _filter_values(self, sql: str, value: str, limit: int = 1000) -> list[str]:
        """The stored values a filter names: the one it names exactly (ignoring case), else every
        value containing it. Matched in Python, so '%' and '_' are only characters."""
        wanted = value.strip().casefold()
        values = [r["v"] for r in self._rows(sql) if r["v"]]
        exact = [v for v in values if v.casefold() == wanted]
        return exact or [v for v in values if wanted in v.casefold()][:limit]

    def _beside_match(self, column: str) -> str:
        """``column`` as a filter next to a full-text match (SQLite: not through its index, so that
        the match drives the query instead of being run once per row of the filter's index)."""
        return column

    def _filter_clauses(self, f: SearchFilters, with_match: bool = False) -> tuple[list[str], list[Any]]:
        """WHERE clauses on indexed columns of ``sentences s`` for ``f``."""
        where: list[str] = []
        params: list[Any] = []
        col = self._beside_match if with_match else (lambda c: c)
        if f.speaker:
            where.append(f"{col('s.speaker_key')} = ?")
            params.append(core_name(f.speaker))
        for column, value, sql in (
            ("s.affiliation", f.affiliation, "SELECT DISTINCT affiliation AS v FROM appearances"),
            (
                "s.conference",
                f.conference,
                f"SELECT DISTINCT conference AS v FROM sketches WHERE status = '{PUBLISHED}'",
            ),
            (
                "session_title",
                f.session,
                f"SELECT DISTINCT session_title AS v FROM sketches WHERE status = '{PUBLISHED}'",
            ),
        ):
            if not value:
                continue
            values = self._filter_values(sql, value)
            if not values:
                where.append("1 = 0")
                continue
            marks = ", ".join("?" for _ in values)
            if column == "session_title":  # through the sketches, to the sentences by their sketch
                where.append(
                    f"{col('s.sketch_id')} IN (SELECT id FROM sketches WHERE session_title IN ({marks}))"
                )
            else:
                where.append(f"{col(column)} IN ({marks})")
            params.extend(values)
        if f.year:
            if with_match:
                where.append(f"{col('s.year')} = ?")
            else:  # the sentences of that year's sketches, by the sketch index
                where.append(
                    f"s.sketch_id IN (SELECT id FROM sketches WHERE year = ? AND status = '{PUBLISHED}')"
                )
            params.append(int(f.year))
        if f.sketch_id:
            where.append(f"{col('s.sketch_id')} = ?")
            params.append(int(f.sketch_id))
        return where, params

    # ------------------------------------------------------------------ search

    def search(
        self, query: str = "", filters: SearchFilters | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[list[SearchHit], bool]:
        """Attributed sentences matching ``query`` and ``filters``, best first (every copy of a sentence
        published twice). Returns the hits and whether more follow. A query that cannot be read finds nothing."""
        try:
            result = self.find(
                query, filters, limit=limit, offset=offset, facets=False, fold=False, bounded=False
            )
        except QuerySyntaxError:
            return [], False
        return result.hits, result.has_more

    def find(
        self,
        query: str = "",
        filters: SearchFilters | None = None,
        *,
        limit: int = 20,
        offset: int = 0,
        facets: bool = True,
        fold: bool = True,
        highlight: bool = True,
        facet_size: int = 8,
        bounded: bool = True,
    ) -> SearchResult:
        """One page of what matches ``query`` (the search box's syntax, :mod:`.query`) and ``filters``.

        With ``fold`` the same sentence by the same speaker published in several sketches is one hit
        that says where else it appears (``also_in``); ``facets`` counts the matching sentences by
        speaker, affiliation, conference and year in the same statement as the page (over a
        materialised match, not a scan per facet); ``highlight`` marks the matched words.

        With ``bounded`` (the search page, the API) a match of more than :data:`WINDOW` sentences
        is ranked, folded and counted by facet over its ``WINDOW`` most recently published
        sentences: the result says so (``window``), has no exact ``total`` but ``matched``
        (sentences, every copy counted, exact up to :data:`COUNT_CAP`, ``matched_more`` beyond).
        Without it (exports, :meth:`search`) every matching sentence is ranked.
        Raises :class:`QuerySyntaxError` for a query that cannot be read.
        """
        f = filters or SearchFilters()
        parsed = parse_query(query)
        where, params = self._filter_clauses(f, with_match=bool(parsed))
        filtered = bool(where)
        if parsed:
            source, match, rank, match_params = self._match(parsed, self._speakers_filtered(f))
            where.insert(0, match)
            params[:0] = match_params
        elif not where:
            return self._newest(limit, offset, parsed)
        else:
            source, rank = "sentences s", "-s.sketch_id"
        bounded = bounded and bool(parsed)
        matched: int | None = None
        matched_more = False
        window: int | None = None
        mode = "whole"  # every sentence of the match is ranked and counted
        if bounded and self.count_in_statement and self._clearly_broad(source, where, params):
            mode = "newest"  # not counted: the newest read first, "more than WINDOW"
        elif bounded and self.count_in_statement:
            mode = "counted"  # counted and bounded in the statement itself (PostgreSQL)
        elif bounded:
            counted = self._count_match(parsed, source, where, params, filtered)
            if counted is None:  # not counted (SQLite with a filter): read newest first
                mode = "newest"
            else:
                # counted first, up to the cap: a match that fits the window is ranked and counted
                # whole; for one that does not, the count gives the id its newest WINDOW sentences
                # start at, and only they are read
                matched, newest = counted
                matched_more = matched > self.count_cap
                matched = min(matched, self.count_cap)
                if matched_more:
                    mode = "newest"
                elif newest is not None and matched > self.window:
                    window = self.window
                    where.append(newest[0])
                    params.extend(newest[1])
        build = dict(
            source=source,
            where=where,
            params=params,
            match_params=match_params if parsed else [],
            rank=rank,
            fold=fold,
            facets=facets,
            facet_size=facet_size,
            limit=limit,
            offset=offset,
        )
        rows = self._rows(*self._statement(mode, **build))
        if mode == "counted":
            n = next(int(r["copies"]) for r in rows if r["kind"] == "counted")
            matched, matched_more = min(n, self.count_cap), n > self.count_cap
            if matched_more:  # the ids counted are not the newest: read the newest instead
                mode = "newest"
                rows = self._rows(*self._statement(mode, **build))
            elif n > self.window:
                window = self.window
        if mode == "newest" and next(int(r["copies"]) for r in rows if r["kind"] == "read") > self.window:
            window = self.window
            if matched is None:  # not counted further: more than the window
                matched, matched_more = self.window, True
        page = sorted((r for r in rows if r["kind"] == "hit"), key=lambda r: (r["rank"], r["id"]))
        total: int | None = next(int(r["copies"]) for r in rows if r["kind"] == "total")
        if window:
            total = None
        else:
            matched, matched_more = None, False
        hits = self._hits(parsed, page[:limit], highlight)
        facet_lists: dict[str, list[Facet]] | None = None
        if facets:
            facet_lists = {k: [] for k in ("speaker", "affiliation", "conference", "year")}
            for r in rows:
                if r["kind"] in facet_lists:
                    facet_lists[r["kind"]].append(Facet(r["label"], int(r["copies"])))
            for k, items in facet_lists.items():
                items.sort(key=lambda x: (-x.count, x.value if k != "year" else -int(x.value)))
        return SearchResult(
            query=query,
            understood=parsed.show(),
            terms=parsed.terms,
            hits=hits,
            has_more=len(page) > limit,
            total=total,
            facets=facet_lists,
            window=window,
            matched=matched,
            matched_more=matched_more,
        )

    def _statement(
        self,
        mode: str,
        *,
        source: str,
        where: list[str],
        params: list[Any],
        match_params: list[Any],
        rank: str,
        fold: bool,
        facets: bool,
        facet_size: int,
        limit: int,
        offset: int,
    ) -> tuple[str, list[Any]]:
        """The one statement of a search page: the match (``mode``: ``whole``; ``newest``, its
        WINDOW + 1 newest read newest first; ``counted``, its ids counted up to the cap and the
        WINDOW newest of them read), folded, paged, counted, and counted by each facet."""
        group = "speaker_key, text" if fold else "id"
        columns = "s.id, s.sketch_id, s.speaker, s.speaker_key, s.text, s.affiliation, s.conference, s.year"
        condition = " AND ".join(where)
        window = int(self.window)
        if mode == "newest":
            # FTS5 and the primary key read the match newest first and stop: only these are
            # ranked, and the one past the window says that the match is larger than it
            head = f"""
WITH w AS MATERIALIZED (
    SELECT {columns}, {rank} AS rank
    FROM {source} WHERE {condition} ORDER BY {self._match_id()} DESC LIMIT {window + 1}),
m AS MATERIALIZED (SELECT * FROM w ORDER BY id DESC LIMIT {window}),"""
            values = list(params)
        elif mode == "counted":
            # one read of the index (and a filter's index beside it) for up to the cap of ids;
            # their number is the count and their WINDOW newest are ranked, found again by id
            # (none when there are more: those ids are not the newest, and the newest are read next)
            head = f"""
WITH c AS MATERIALIZED (SELECT s.id FROM {source} WHERE {condition} LIMIT {int(self.count_cap) + 1}),
k AS MATERIALIZED (SELECT id FROM c ORDER BY id DESC LIMIT {window}),
m AS MATERIALIZED (
    SELECT {columns}, {rank} AS rank FROM {source}
    WHERE s.id IN (SELECT id FROM k) AND (SELECT COUNT(*) FROM c) <= {int(self.count_cap)}),"""
            values = [*params, *match_params]
        else:
            head = f"""
WITH m AS MATERIALIZED (
    SELECT {columns}, {rank} AS rank
    FROM {source} WHERE {condition}),"""
            values = list(params)
        statement = (
            head
            + f"""
g AS MATERIALIZED (
    SELECT MIN(id) AS id, MIN(rank) AS rank, COUNT(*) AS copies, {self._id_list("sketch_id")} AS sketches
    FROM m GROUP BY {group})
SELECT 'hit' AS kind, id, rank, copies, sketches, NULL AS value, NULL AS label FROM (
    SELECT * FROM g ORDER BY rank, id LIMIT ? OFFSET ?) AS page
UNION ALL SELECT 'total', NULL, NULL, COUNT(*), NULL, NULL, NULL FROM g"""
        )
        if mode == "newest":
            statement += "\nUNION ALL SELECT 'read', NULL, NULL, COUNT(*), NULL, NULL, NULL FROM w"
        elif mode == "counted":
            statement += "\nUNION ALL SELECT 'counted', NULL, NULL, COUNT(*), NULL, NULL, NULL FROM c"
        values += [limit + 1, offset]
        if facets:
            for kind, value, label in (
                ("speaker", "speaker_key", "MIN(speaker)"),
                ("affiliation", "affiliation", "affiliation"),
                ("conference", "conference", "conference"),
                ("year", "CAST(year AS TEXT)", "CAST(year AS TEXT)"),
            ):
                statement += f"""
UNION ALL SELECT * FROM (
    SELECT '{kind}', CAST(NULL AS BIGINT), CAST(NULL AS REAL), COUNT(*) AS n, CAST(NULL AS TEXT),
           {value}, {label} FROM m
    WHERE {value} IS NOT NULL GROUP BY {value} ORDER BY n DESC, {value} LIMIT {int(facet_size)}) AS f_{kind}"""
        return statement, values

    def _count_match(
        self, parsed: Query, source: str, where: list[str], params: list[Any], filtered: bool
    ) -> tuple[int, tuple[str, list[Any]] | None] | None:  # pragma: no cover - abstract
        """``(n, newest)`` for the sentences matching ``parsed`` (``where`` over ``source``, with
        the filters if ``filtered``): how many, every copy counted, exactly up to :data:`COUNT_CAP`
        (``COUNT_CAP + 1``: more), and, when they are more than :data:`WINDOW` but not more than the
        cap, a condition (SQL, params) that keeps the ``WINDOW`` newest of them. None when the
        backend cannot count them cheaply."""
        raise NotImplementedError

    def _newest(self, limit: int, offset: int, parsed: Query) -> SearchResult:
        """No words and no filters: the newest attributed sentences, without sorting the archive."""
        rows = self._rows(
            "SELECT id FROM sentences WHERE speaker IS NOT NULL ORDER BY id DESC LIMIT ? OFFSET ?",
            [limit + 1, offset],
        )
        page = [{"id": r["id"], "copies": 1, "sketches": None} for r in rows]
        return SearchResult(
            query="",
            understood="",
            terms=[],
            hits=self._hits(parsed, page[:limit], False),
            has_more=len(rows) > limit,
            total=None,
            facets=None,
        )

    def _hits(self, parsed: Query, page: list[dict[str, Any]], highlight: bool) -> list[SearchHit]:
        """The page's sentences in the page's order, marked and with the other sketches they appear in."""
        ids = [int(r["id"]) for r in page]
        if not ids:
            return []
        found = {
            int(r["id"]): r
            for r in self._rows(
                "SELECT id, text, speaker, affiliation, sketch_id, paragraph, position, session_title, "
                f"conference, year FROM sentences WHERE id IN ({', '.join('?' for _ in ids)})",
                ids,
            )
        }
        marks = self._marked(parsed, {i: r["text"] for i, r in found.items()}) if highlight and parsed else {}
        others: dict[int, list[int]] = {}
        for r in page:
            sketch_ids = sorted({int(x) for x in str(r["sketches"] or "").split(",") if x.strip()})
            if len(sketch_ids) > 1:
                own = int(found[int(r["id"])]["sketch_id"]) if int(r["id"]) in found else None
                others[int(r["id"])] = [x for x in sketch_ids if x != own]
        sessions: dict[int, dict[str, Any]] = {}
        shown = sorted({x for xs in others.values() for x in xs[:ALSO_IN_SHOWN]})
        if shown:
            for r in self._rows(
                "SELECT id, session_title, conference, year FROM sketches "
                f"WHERE id IN ({', '.join('?' for _ in shown)})",
                shown,
            ):
                sessions[int(r["id"])] = {
                    "sketch_id": int(r["id"]),
                    "session": r["session_title"],
                    "conference": r["conference"],
                    "year": r["year"],
                }
        hits = []
        for r in page:
            row = found.get(int(r["id"]))
            if row is None:  # deleted between the two statements
                continue
            marked, snippet = marks.get(int(r["id"]), (None, None))
            also = others.get(int(r["id"]), [])
            hits.append(
                SearchHit(
                    sentence=row["text"],
                    speaker=row["speaker"],
                    affiliation=row["affiliation"],
                    sketch_id=int(row["sketch_id"]),
                    paragraph=int(row["paragraph"]),
                    position=int(row["position"]),
                    session=row["session_title"],
                    conference=row["conference"],
                    year=row["year"],
                    marked=marked,
                    snippet=snippet,
                    also_in=[sessions[x] for x in also[:ALSO_IN_SHOWN] if x in sessions],
                    copies=int(r["copies"] or 1),
                )
            )
        return hits

    def person(self, name: str, limit: int = 100, offset: int = 0) -> dict[str, Any] | None:
        """What the archive holds about one person: appearances, affiliations over time, a timeline
        (sessions and sentences per year and conference), the words that set their statements apart,
        and one page (``limit`` from ``offset``) of the sentences attributed to them, newest session
        first, with their ``total``."""
        key = core_name(name)
        appearances = self._rows(
            "SELECT a.name, a.affiliation, a.role, a.conference, a.year, a.date, a.sketch_id, k.session_title "
            "FROM appearances a JOIN sketches k ON k.id = a.sketch_id WHERE a.name_key = ? "
            "ORDER BY a.year, a.date, a.sketch_id",
            (key,),
        )
        # how many sentences they have in each sketch, newest session first (the index on
        # speaker_key and sketch_id answers it without reading a sentence)
        per_sketch = self._rows(
            "SELECT x.sketch_id, x.n, k.date, k.year, k.conference FROM ("
            "SELECT sketch_id, COUNT(*) AS n FROM sentences WHERE speaker_key = ? GROUP BY sketch_id) AS x "
            "JOIN sketches k ON k.id = x.sketch_id ORDER BY k.date DESC, k.year DESC, x.sketch_id DESC",
            (key,),
        )
        total = sum(int(r["n"]) for r in per_sketch)
        if not appearances and not total:
            return None
        sentences = self._person_page(key, per_sketch, limit, offset)
        names = [a["name"] for a in appearances] or [sentences[0]["speaker"] if sentences else name]
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
            "timeline": _timeline(appearances, per_sketch),
            "distinctive": self.distinctive_words(key) if total else [],
            "sentences": sentences,
            "total": total,
            "has_more": offset + limit < total,
        }

    def _person_page(
        self, key: str, per_sketch: list[dict[str, Any]], limit: int, offset: int
    ) -> list[dict[str, Any]]:
        """Sentences ``offset`` to ``offset + limit`` of a person, in the order of ``per_sketch``
        (newest session first), each sketch's in the order of the sketch: only the sketches the
        page covers are read."""
        wanted: list[tuple[int, int, int]] = []  # (sketch id, first, last) of the page's sentences
        start = 0
        for r in per_sketch:
            n = int(r["n"])
            lo, hi = max(offset, start), min(offset + limit, start + n)
            if lo < hi:
                wanted.append((int(r["sketch_id"]), lo - start, hi - start))
            start += n
            if start >= offset + limit:
                break
        if not wanted:
            return []
        dates = {int(r["sketch_id"]): r["date"] for r in per_sketch}
        rows = self._rows(
            "SELECT text, speaker, affiliation, sketch_id, paragraph, position, session_title, conference, year "
            f"FROM sentences WHERE speaker_key = ? AND sketch_id IN ({', '.join('?' for _ in wanted)}) "
            "ORDER BY sketch_id, paragraph, position",
            [key, *(w[0] for w in wanted)],
        )
        by_sketch: dict[int, list[dict[str, Any]]] = {}
        for r in rows:
            by_sketch.setdefault(int(r["sketch_id"]), []).append(r)
        out = []
        for sketch_id, first, last in wanted:
            for r in by_sketch.get(sketch_id, [])[first:last]:
                hit = SearchHit(
                    sentence=r["text"],
                    speaker=r["speaker"],
                    affiliation=r["affiliation"],
                    sketch_id=sketch_id,
                    paragraph=int(r["paragraph"]),
                    position=int(r["position"]),
                    session=r["session_title"],
                    conference=r["conference"],
                    year=r["year"],
                )
                out.append({**hit.to_dict(), "date": dates.get(sketch_id)})
        return out

    def _document_frequencies(self, words: list[str]) -> tuple[dict[str, int], int]:  # pragma: no cover
        """(word → how many sentences of the archive hold it, the number of sentences)."""
        raise NotImplementedError

    def distinctive_words(self, key: str, top: int = 12, sample: int = 1000) -> list[dict[str, Any]]:
        """The words that set a person's statements apart: TF-IDF of their (latest ``sample``)
        sentences against the whole archive's sentences. Stop words and contractions are left out."""
        rows = self._rows(
            "SELECT text FROM sentences WHERE speaker_key = ? ORDER BY id DESC LIMIT ?", (key, sample)
        )
        counts: dict[str, int] = {}
        for r in rows:
            for word in set(_WORD.findall(r["text"].casefold())):
                if len(word) > 2 and word not in STOP_WORDS and not _CONTRACTION.search(word):
                    counts[word] = counts.get(word, 0) + 1
        own = set(core_name(key).split())
        candidates = [
            w
            for w, n in sorted(counts.items(), key=lambda kv: -kv[1])
            if n >= 2 and w not in own and w not in _SPEECH_WORDS
        ][:200]
        if not candidates:
            return []
        frequency, total = self._document_frequencies(candidates)
        said = max(1, len(rows))
        scored = []
        for word in candidates:
            df = max(frequency.get(word, 0), counts[word])
            # how often they use the word (tf) times how much more often than the archive does
            lift = (counts[word] / said) / ((1 + df) / (1 + total))
            if lift > 1:
                scored.append((counts[word] * math.log(lift), word))
        scored.sort(reverse=True)
        return [
            {"word": w, "sentences": counts[w], "archive": frequency.get(w, 0), "score": round(score, 2)}
            for score, w in scored[:top]
        ]

    def conference_speakers(self, conference: str, top: int = 10) -> list[dict[str, Any]]:
        """Who spoke most in one conference's published sketches (sentences attributed)."""
        rows = self._rows(
            "SELECT MIN(speaker) AS speaker, COUNT(*) AS n, COUNT(DISTINCT sketch_id) AS k FROM sentences "
            "WHERE conference = ? AND speaker_key IS NOT NULL GROUP BY speaker_key "
            "ORDER BY COUNT(*) DESC, MIN(speaker) LIMIT ?",
            (conference, top),
        )
        return [{"speaker": r["speaker"], "sentences": int(r["n"]), "sessions": int(r["k"])} for r in rows]

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

    def stats(self, top: int = 10) -> dict[str, Any]:
        """What the archive holds, for ``archive stats``: totals, sketches and sentences by year,
        the people quoted most."""
        totals = self._row(
            "SELECT (SELECT COUNT(*) FROM sketches WHERE status = ?) AS sketches, "
            "(SELECT COUNT(*) FROM sentences) AS sentences, "
            "(SELECT COUNT(*) FROM sentences WHERE speaker_key IS NOT NULL) AS attributed, "
            "(SELECT COUNT(DISTINCT name_key) FROM appearances) AS people, "
            "(SELECT COUNT(DISTINCT conference) FROM sketches WHERE status = ?) AS conferences",
            (PUBLISHED, PUBLISHED),
        )
        assert totals is not None
        sketches_by_year = {
            r["year"]: int(r["n"])
            for r in self._rows(
                "SELECT year, COUNT(*) AS n FROM sketches WHERE status = ? GROUP BY year", (PUBLISHED,)
            )
        }
        sentences_by_year = {
            r["year"]: int(r["n"])
            for r in self._rows("SELECT year, COUNT(*) AS n FROM sentences GROUP BY year")
        }
        years = [
            {"year": y, "sketches": sketches_by_year.get(y, 0), "sentences": sentences_by_year.get(y, 0)}
            for y in sorted(set(sketches_by_year) | set(sentences_by_year), key=lambda y: (y is None, y))
        ]
        speakers = self._rows(
            "SELECT MIN(speaker) AS speaker, COUNT(*) AS sentences, COUNT(DISTINCT sketch_id) AS sketches "
            "FROM sentences WHERE speaker_key IS NOT NULL GROUP BY speaker_key "
            "ORDER BY COUNT(*) DESC, MIN(speaker) LIMIT ?",
            (top,),
        )
        return {
            **{
                k: int(totals[k] or 0)
                for k in ("sketches", "sentences", "attributed", "people", "conferences")
            },
            "years": years,
            "speakers": [
                {"speaker": r["speaker"], "sentences": int(r["sentences"]), "sketches": int(r["sketches"])}
                for r in speakers
            ],
        }

    def published_sketches(self, batch: int = 200) -> Iterator[dict[str, Any]]:
        """Every published sketch, oldest id first, as its sketch JSON with the archive's id and dates."""
        last = 0
        while True:
            rows = self._rows(
                "SELECT id, published_json, source_name, conference, year, session_title, published_at "
                "FROM sketches WHERE status = ? AND id > ? AND published_json IS NOT NULL ORDER BY id LIMIT ?",
                (PUBLISHED, last, batch),
            )
            for r in rows:
                yield {
                    "id": int(r["id"]),
                    "source": r["source_name"],
                    "conference": r["conference"],
                    "year": r["year"],
                    "session": r["session_title"],
                    "published_at": r["published_at"],
                    "sketch": json.loads(r["published_json"]),
                }
            if len(rows) < batch:
                return
            last = int(rows[-1]["id"])

    def counts(self) -> dict[str, int]:
        row = self._row(
            "SELECT (SELECT COUNT(*) FROM sketches WHERE status = ?) AS sketches, "
            "(SELECT COUNT(*) FROM sentences) AS sentences",
            (PUBLISHED,),
        )
        assert row is not None
        return {"sketches": int(row["sketches"]), "sentences": int(row["sentences"])}


# ---------------------------------------------------------------------- exports

#: The columns of a search exported as CSV (the JSON export has the same keys, and ``also_in`` as a list).
EXPORT_COLUMNS = (
    "sentence",
    "speaker",
    "affiliation",
    "session",
    "conference",
    "year",
    "sketch_id",
    "link",
    "copies",
    "also_in",
)
#: At most this many hits are exported at once.
EXPORT_LIMIT = 10_000


#: An anonymous export is the search page's own query (its ``WINDOW`` newest matches, ranked):
#: on a 100,000-sentence archive ``th*`` exported whole took 12 s, and four at once 29 s.
ANONYMOUS_EXPORT_LIMIT = WINDOW


def export_hits(
    index: SearchIndex,
    query: str,
    filters: SearchFilters | None,
    limit: int = EXPORT_LIMIT,
    bounded: bool = False,
) -> Iterator[SearchHit]:
    """Every hit of a search (each sentence once, best first), up to ``limit``, a page at a time.

    ``bounded``: one query, bounded as the search page's is (a broad match is ranked over its
    newest sentences), for at most ``limit`` hits — what anonymous exports get.
    """
    if bounded:
        result = index.find(query, filters, limit=limit, facets=False, highlight=False, bounded=True)
        yield from result.hits
        return
    offset, step = 0, 500
    while offset < limit:
        result = index.find(
            query,
            filters,
            limit=min(step, limit - offset),
            offset=offset,
            facets=False,
            highlight=False,
            bounded=False,
        )
        yield from result.hits
        if not result.has_more:
            return
        offset += step


def export_record(hit: SearchHit, base_url: str = "") -> dict[str, Any]:
    return {
        "sentence": hit.sentence,
        "speaker": hit.speaker,
        "affiliation": hit.affiliation,
        "session": hit.session,
        "conference": hit.conference,
        "year": hit.year,
        "sketch_id": hit.sketch_id,
        "link": base_url + hit.link,
        "copies": hit.copies,
        "also_in": [base_url + f"/sketches/{a['sketch_id']}" for a in hit.also_in],
    }


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = str(value)
    # a spreadsheet must not read a sentence as a formula
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """The export records as CSV with a header line; returns how many rows were written."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    n = 0
    for record in records:
        writer.writerow([_csv_cell(record[c]) for c in EXPORT_COLUMNS])
        n += 1
    return n
