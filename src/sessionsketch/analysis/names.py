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
_SUFFIX_RE = re.compile(r"(?:\s+(?:" + "|".join(re.escape(s) for s in SUFFIXES) + r"))+$")


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
        stripped = _SUFFIX_RE.sub("", out)
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
    matches as warnings.
    """
    key = core_name(text)
    if not key:
        return None
    exact: list[NameMatch] = []
    for p in people:
        full = core_name(p.name)
        if key == full or key == strip_titles(fold(p.name)):
            exact.append(NameMatch(p, 100.0, "exact"))
        elif any(key == core_name(a) for a in p.aliases):
            exact.append(NameMatch(p, 100.0, "alias"))
        else:
            given = p.given_name
            fam = fold(p.family_name)
            if given and key in (f"{fold(given)} {fam}", f"{fam} {fold(given)}"):
                exact.append(NameMatch(p, 99.0, "initials"))
    if len({m.person.name for m in exact}) == 1:
        return exact[0]
    if len(exact) > 1:
        return None  # ambiguous: never guess between two people
    if allow_family and " " not in key:
        fam = [p for p in people if fold(p.family_name) == key]
        if len(fam) == 1:
            return NameMatch(fam[0], 95.0, "family")
        if len(fam) > 1:
            return None
        giv = [p for p in people if p.given_name and fold(p.given_name).split()[0] == key]
        if len(giv) == 1 and len(key) > 2:
            return NameMatch(giv[0], 80.0, "given")
    scored = sorted(
        ((fuzz.ratio(key, core_name(p.name)), p) for p in people),
        key=lambda sp: -sp[0],
    )
    if not scored:
        return None
    best_score, best = scored[0]
    runner = scored[1][0] if len(scored) > 1 else 0.0
    if best_score >= fuzzy_threshold and best_score - runner >= 5:
        return NameMatch(best, float(best_score), "fuzzy")
    return None
