"""Search and the pages built on it: the sentence index, full-text queries, people, conferences.

:class:`SearchIndex` is the part of :class:`~sessionsketch.archive.repository.Archive`
that indexes a published sketch (sentences and appearances) and answers queries; the
backends provide ``_match`` (FTS5 with bm25, or PostgreSQL's tsvector).
"""

from __future__ import annotations

from typing import Any

from sessionsketch.analysis.names import core_name, fold
from sessionsketch.archive.records import PUBLISHED, SearchFilters, SearchHit
from sessionsketch.data import words as word_list
from sessionsketch.model import Sketch
from sessionsketch.text import words


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (frozenset(ENGLISH_STOP_WORDS) - word_list("topic_words")) | word_list("question_words")


STOP_WORDS = _stop_words()


def search_terms(query: str) -> list[str]:
    """The words of a query that carry its topic, folded, question words dropped."""
    every = list(dict.fromkeys(words(fold(query))))
    terms = [w for w in every if w not in STOP_WORDS] or every
    return terms[:16]


class SearchIndex:
    """Indexing and search over the archive's connections (``_rows``, ``_exec``, ``_sql``)."""

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
