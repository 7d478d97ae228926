"""Personal names: folding, honorifics and post-nominals, role labels, fuzzy matching.

One place for the name logic that speaker resolution (transcripts), attribution
(reading sketches back) and the ``names`` check all need.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from sessionsketch.data import phrases

if TYPE_CHECKING:  # model imports names (Person's family name); names only names the type
    from sessionsketch.model import Person

HONORIFICS: tuple[str, ...] = phrases("honorifics")
"""Titles that may precede a name (folded: lower case, no punctuation)."""

SUFFIXES: tuple[str, ...] = phrases("suffixes")
"""Post-nominals that may follow a name (folded)."""

ROLE_WORDS: dict[str, str] = {
    label.strip(): role.strip() for label, _, role in (line.partition("=") for line in phrases("role_labels"))
}
"""Speaker labels that name a role rather than a person (folded) → role."""

_HONORIFIC_RE = re.compile(r"^(?:(?:" + "|".join(re.escape(h) for h in HONORIFICS) + r")\s+)+")
_SUFFIX_WORDS = frozenset(SUFFIXES)


def _without_suffixes(folded: str) -> str:
    r"""``folded`` without its trailing run of post-nominals (never its first word): what
    ``(?:\s+(?:am|ms|…))+$`` removed, in one pass from the end. That pattern, tried at
    every space, was quadratic on a long run of post-nominals in a label (issue 30 §2)."""
    words = folded.split(" ")
    end = len(words)
    while end > 1 and words[end - 1] in _SUFFIX_WORDS:
        end -= 1
    return " ".join(words[:end])


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Lower-case, strip accents, turn punctuation (hyphens too) into single spaces.

    ``fold("Sydney A. Seiler") == "sydney a seiler"``;
    ``fold("Kim Sung-han") == "kim sung han"``; ``fold("Zoë") == "zoe"``.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").casefold()
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=65_536)
def strip_titles(folded: str) -> str:
    """Remove leading honorifics and trailing post-nominals from a folded name."""
    prev = None
    out = folded
    while prev != out:
        prev = out
        out = _HONORIFIC_RE.sub("", out)
        stripped = _without_suffixes(out)
        # never strip a name down to nothing ("Ms" alone is a name of sorts)
        if stripped.strip():
            out = stripped
    return out.strip()


def drop_initials(folded: str) -> str:
    """Drop single-letter middle words: "sydney a seiler" -> "sydney seiler"."""
    words = folded.split()
    if len(words) <= 2:
        return folded
    kept = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]
    return " ".join(kept)


@lru_cache(maxsize=65_536)
def core_name(text: str) -> str:
    """Fold a name and remove titles and initials: the key names are compared on."""
    return drop_initials(strip_titles(fold(text)))


def role_of_label(label: str) -> str | None:
    """The role a label names when it names a role ("Moderator", "The Chair"), else None."""
    f = fold(label)
    return ROLE_WORDS.get(f) or ROLE_WORDS.get(strip_titles(f))


@dataclass
class NameMatch:
    person: Person
    score: float  # 0..100
    kind: str  # "exact", "alias", "initials", "family", "given", "fuzzy"


def match_name(
    text: str,
    people: list[Person],
    fuzzy_threshold: float = 85.0,
    allow_family: bool = True,
) -> NameMatch | None:
    """Find the participant a written name denotes, or None.

    Exact forms win over fuzzy ones. A family name alone matches only when exactly one
    participant has it. A fuzzy match (rapidfuzz ratio on the folded core name) must
    reach ``fuzzy_threshold`` and clearly beat the runner-up; callers report fuzzy
    matches as warnings. To match many names against the same people, build one
    :class:`NameIndex` and call its ``match``: this builds one per call.
    """
    return NameIndex(people).match(text, fuzzy_threshold, allow_family)


#: how sure each exact kind of match is, and its rank when one person matches in two ways
_EXACT_KINDS = {"exact": (100.0, 0), "alias": (100.0, 1), "initials": (99.0, 2)}


class NameIndex:
    """The participants' names, folded once, looked up by key: matching a name costs the
    same however many people there are (except a fuzzy match, which compares with each).

    ``NameIndex(people).match(text)`` is :func:`match_name` ``(text, people)``; an index
    is built in one pass over the people, so resolving many labels (20,000 distinct
    ``Speaker N`` labels) is linear, not labels x people.
    """

    def __init__(self, people: list[Person]) -> None:
        self.people = list(people)
        # key -> [(person's place, kind)] in the people's order, one entry per person
        self._exact: dict[str, list[tuple[int, str]]] = {}
        self._family: dict[str, list[int]] = {}
        self._given: dict[str, list[int]] = {}
        self._cores: list[str] = []
        for i, p in enumerate(self.people):
            full = core_name(p.name)
            self._cores.append(full)
            forms: dict[str, str] = {}
            given = p.given_name
            fam = fold(p.family_name)
            if given:
                for key in (f"{fold(given)} {fam}", f"{fam} {fold(given)}"):
                    forms[key] = "initials"
            for alias in p.aliases:
                forms[core_name(alias)] = "alias"
            forms[full] = "exact"
            forms[strip_titles(fold(p.name))] = "exact"
            for key, kind in forms.items():
                if key:
                    self._exact.setdefault(key, []).append((i, kind))
            self._family.setdefault(fam, []).append(i)
            if given:
                first = fold(given).split()
                if first:
                    self._given.setdefault(first[0], []).append(i)

    def match(self, text: str, fuzzy_threshold: float = 85.0, allow_family: bool = True) -> NameMatch | None:
        """The participant ``text`` denotes, or None (see :func:`match_name`)."""
        key = core_name(text)
        if not key:
            return None
        exact = [
            NameMatch(self.people[i], _EXACT_KINDS[kind][0], kind) for i, kind in self._exact.get(key, ())
        ]
        if len({m.person.name for m in exact}) == 1:
            return exact[0]
        if len(exact) > 1:
            return None  # ambiguous: never guess between two people
        if allow_family and " " not in key:
            fam = self._family.get(key, [])
            if len(fam) == 1:
                return NameMatch(self.people[fam[0]], 95.0, "family")
            if len(fam) > 1:
                return None
            giv = self._given.get(key, [])
            if len(giv) == 1 and len(key) > 2:
                return NameMatch(self.people[giv[0]], 80.0, "given")
        if not self.people or fuzzy_threshold > 100:
            return None  # no score reaches the threshold: nothing to compare
        best_score, best, runner = -1.0, None, 0.0
        for core, p in zip(self._cores, self.people, strict=True):
            score = fuzz.ratio(key, core)
            if score > best_score:
                best_score, best, runner = score, p, max(runner, best_score)
            elif score > runner:
                runner = score
        if best is not None and best_score >= fuzzy_threshold and best_score - runner >= 5:
            return NameMatch(best, float(best_score), "fuzzy")
        return None
