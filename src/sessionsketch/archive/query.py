"""The search box's syntax: words, "quoted phrases", ``OR``, ``-word`` and ``prefix*``.

:func:`parse_query` turns what a user typed into a :class:`Query` — groups that must all
match (each group one clause or several joined by ``OR``) and clauses that must not —
which each backend writes in its own language (:meth:`Query.fts5` for SQLite's FTS5,
:meth:`Query.tsquery` for PostgreSQL's ``to_tsquery``), so both accept exactly the same
syntax. Plain words keep the natural-language behaviour the archive always had: "what
did Zhu Feng say about the alliance" looks for ``zhu feng alliance`` (question and stop
words are dropped unless nothing else is left). A query that cannot be read raises
:class:`QuerySyntaxError`, one line saying what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sessionsketch.analysis.names import fold
from sessionsketch.data import words as word_list
from sessionsketch.errors import UserError

#: At most this many groups (and as many exclusions) are searched for; the rest of a long query is ignored.
MAX_GROUPS = 16
#: A prefix needs this many letters before the ``*``.
MIN_PREFIX = 2

_TOKEN_RE = re.compile(r'(-?)"([^"]*)("?)(\*?)|(\S+)')
_WORD_RE = re.compile(r"\w+")


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (frozenset(ENGLISH_STOP_WORDS) - word_list("topic_words")) | word_list("question_words")


STOP_WORDS = _stop_words()


def _shared_start(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _stem(prefix: str, algorithm: str) -> str:
    """The prefix as the index holds the words it starts: "educat" → "educ" (education, educator).

    The stems of the prefix and of the prefix plus "e" are tried ("happy" → "happi": "happ");
    the shortest part they share with what was typed wins (the second dropping at most three letters).
    """
    stemmer = _stemmer(algorithm)
    own = _shared_start(prefix, stemmer.stemWord(prefix))
    with_e = _shared_start(prefix, stemmer.stemWord(prefix + "e"))
    fitting = [prefix, *(c for c in (own,) if len(c) >= MIN_PREFIX)]
    fitting += [c for c in (with_e,) if len(c) >= max(MIN_PREFIX, len(prefix) - 3)]
    return min(fitting, key=len)


class QuerySyntaxError(UserError):
    """A search query that cannot be read (an unclosed quote, a dangling OR, only exclusions)."""


@dataclass(frozen=True)
class Clause:
    """One word, one prefix (``word*``) or one phrase (several words in order)."""

    words: tuple[str, ...]
    prefix: bool = False

    def _prefixed(self, stemmer: str) -> list[str]:
        """The words, the last one stemmed as the index stems its words when it is a prefix:
        the index holds "educ" for "education", which "educat*" would never match."""
        if not self.prefix:
            return list(self.words)
        return [*self.words[:-1], _stem(self.words[-1], stemmer)]

    def fts5(self) -> str:
        quoted = '"' + " ".join(self._prefixed("porter")) + '"'  # FTS5's porter tokenizer
        return quoted + "*" if self.prefix else quoted

    def tsquery(self) -> str:
        parts = [f"'{w}'" for w in self._prefixed("english")]  # PostgreSQL's english (Snowball)
        if self.prefix:
            parts[-1] += ":*"
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"

    def show(self) -> str:
        text = " ".join(self.words)
        text = f'"{text}"' if len(self.words) > 1 else text
        return text + "*" if self.prefix else text


@dataclass
class Query:
    """What to find: every group in ``must`` (a group is one clause or alternatives), none of ``exclude``."""

    must: list[list[Clause]] = field(default_factory=list)
    exclude: list[Clause] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.must)

    @property
    def terms(self) -> list[str]:
        """The words searched for (folded), in order, once each."""
        return list(dict.fromkeys(w for group in self.must for c in group for w in c.words))

    def fts5(self) -> str:
        groups = [
            group[0].fts5() if len(group) == 1 else "(" + " OR ".join(c.fts5() for c in group) + ")"
            for group in self.must
        ]
        expression = " AND ".join(groups)
        if self.exclude:
            expression = f"({expression})" + "".join(f" NOT {c.fts5()}" for c in self.exclude)
        return expression

    def tsquery(self) -> str:
        groups = [
            group[0].tsquery() if len(group) == 1 else "(" + " | ".join(c.tsquery() for c in group) + ")"
            for group in self.must
        ]
        return " & ".join(groups + [f"!{c.tsquery()}" for c in self.exclude])

    def show(self) -> str:
        """The query as it was understood, in the search box's own syntax."""
        parts = [" OR ".join(c.show() for c in group) for group in self.must]
        return " ".join(parts + ["-" + c.show() for c in self.exclude])


@dataclass
class _Token:
    clause: Clause | None
    negated: bool = False
    is_or: bool = False
    plain: bool = False  # a bare word: the natural-language stop-word rule applies


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for m in _TOKEN_RE.finditer(text):
        negated, phrase, closed, star, bare = m.groups()
        if bare is not None:
            if bare == "OR":
                out.append(_Token(None, is_or=True))
                continue
            if '"' in bare:
                raise QuerySyntaxError(f"a quote in the middle of {bare!r}: put quotes around a whole phrase")
            negated = "-" if bare.startswith("-") else ""
            bare = bare.lstrip("-")
            star = "*" if bare.endswith("*") else ""
            bare = bare.rstrip("*")
            if "*" in bare:
                raise QuerySyntaxError(f"'*' only at the end of a word, as in educat* (not {bare + star!r})")
            found = _WORD_RE.findall(fold(bare))
        else:
            if not closed:
                raise QuerySyntaxError('a quote is not closed: end the phrase with "')
            found = _WORD_RE.findall(fold(phrase))
        if not found:
            if star:
                raise QuerySyntaxError(f"'*' needs at least {MIN_PREFIX} letters before it, as in educat*")
            continue  # punctuation only, or an empty phrase
        if star and len(found[-1]) < MIN_PREFIX:
            raise QuerySyntaxError(
                f"'*' needs at least {MIN_PREFIX} letters before it, as in educat* (not {found[-1]}*)"
            )
        out.append(
            _Token(
                Clause(tuple(found), prefix=bool(star)),
                negated=bool(negated),
                plain=bare is not None and not star and len(found) == 1,
            )
        )
    return out


def parse_query(text: str) -> Query:
    """Read a query typed into the search box; raises :class:`QuerySyntaxError` when it cannot."""
    tokens = _tokens(text or "")
    query = Query()
    plain_groups: list[int] = []  # indexes into query.must of single bare words
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.is_or:
            raise QuerySyntaxError("OR needs something to find on each side, as in tariffs OR fees")
        if token.negated:
            assert token.clause is not None
            query.exclude.append(token.clause)
            i += 1
            continue
        group = [token.clause]
        plain = token.plain
        while i + 1 < len(tokens) and tokens[i + 1].is_or:
            following = tokens[i + 2] if i + 2 < len(tokens) else None
            if following is None or following.is_or or following.negated:
                raise QuerySyntaxError("OR needs something to find on each side, as in tariffs OR fees")
            group.append(following.clause)
            plain = False
            i += 2
        if plain:
            plain_groups.append(len(query.must))
        query.must.append([c for c in group if c is not None])
        i += 1
    if query.exclude and not query.must:
        raise QuerySyntaxError("only words to leave out: add a word to find, as in alliance -tariffs")
    # natural language: bare stop and question words are dropped, unless nothing else is left
    stop = {i for i in plain_groups if query.must[i][0].words[0] in STOP_WORDS}
    if stop and len(stop) < len(query.must):
        query.must = [g for i, g in enumerate(query.must) if i not in stop]
    # the same bare word twice is searched for once
    seen: set[tuple[Clause, ...]] = set()
    unique = []
    for group in query.must:
        key = tuple(group)
        if key not in seen:
            seen.add(key)
            unique.append(group)
    query.must = unique[:MAX_GROUPS]
    query.exclude = list(dict.fromkeys(query.exclude))[:MAX_GROUPS]
    return query


def search_terms(text: str) -> list[str]:
    """The words of a query that carry its topic, folded, question words dropped.

    A query that cannot be read has no terms (the search itself says why).
    """
    try:
        return parse_query(text).terms
    except QuerySyntaxError:
        return []


# ---------------------------------------------------------------------- highlighting

_TOKEN_CHARS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=4)
def _stemmer(algorithm: str) -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer(algorithm)


@lru_cache(maxsize=131072)
def _token_stem(token: str, algorithm: str) -> str:
    folded = _fold_token(token)
    return _stemmer(algorithm).stemWord(folded) or folded


@lru_cache(maxsize=131072)
def _fold_token(token: str) -> str:
    return fold(token).replace(" ", "")


def mark(
    text: str, query: Query, start: str, end: str, snippet_words: int, algorithm: str = "porter"
) -> tuple[str, str]:
    """``text`` with the words ``query`` matches between ``start`` and ``end``, and a snippet of
    about ``snippet_words`` words around the first match (``…`` where it is cut).

    Words are compared as the index compares them (folded, stemmed with ``algorithm``), so the
    marks fall where the full-text match found the words; it reads one sentence, never the index.
    """
    tokens = [
        (m.start(), m.end(), _token_stem(m.group(0), algorithm), _fold_token(m.group(0)))
        for m in _TOKEN_CHARS.finditer(text)
    ]
    clauses = [c for group in query.must for c in group]
    spans: list[tuple[int, int]] = []
    for clause in clauses:
        wanted = [_token_stem(w, algorithm) for w in clause.words]
        for i in range(len(tokens) - len(wanted) + 1):
            ok = True
            for k, stem in enumerate(wanted):
                _, _, token_stem, folded = tokens[i + k]
                last = k == len(wanted) - 1
                if clause.prefix and last:
                    prefix = clause._prefixed(algorithm)[-1]
                    ok = token_stem.startswith(prefix) or folded.startswith(clause.words[-1])
                else:
                    ok = token_stem == stem
                if not ok:
                    break
            if ok:
                spans.append((i, i + len(wanted) - 1))
    covered = sorted({k for a, b in spans for k in range(a, b + 1)})
    # join neighbouring marked words of one phrase into one mark
    runs: list[tuple[int, int]] = []
    phrase_links = {(a + j) for a, b in spans for j in range(b - a)}  # token j links to j+1
    for k in covered:
        if runs and runs[-1][1] == k - 1 and (k - 1) in phrase_links:
            runs[-1] = (runs[-1][0], k)
        else:
            runs.append((k, k))
    out, at = [], 0
    for a, b in runs:
        out += [text[at : tokens[a][0]], start, text[tokens[a][0] : tokens[b][1]], end]
        at = tokens[b][1]
    out.append(text[at:])
    marked = "".join(out)
    if len(tokens) <= snippet_words:
        return marked, marked
    first = runs[0][0] if runs else 0
    lo = max(0, min(first - snippet_words // 4, len(tokens) - snippet_words // 2))
    hi = min(len(tokens), lo + snippet_words // 2)
    pieces, at = [], tokens[lo][0]
    for a, b in runs:
        if b < lo or a >= hi:
            continue
        pieces += [text[at : tokens[a][0]], start, text[tokens[a][0] : tokens[min(b, hi - 1)][1]], end]
        at = tokens[min(b, hi - 1)][1]
    pieces.append(text[at : tokens[hi - 1][1]])
    snippet = ("… " if lo > 0 else "") + "".join(pieces) + (" …" if hi < len(tokens) else "")
    return marked, snippet
