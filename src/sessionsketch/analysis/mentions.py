"""Participants' names in running text: the one name-mention finder.

The ``names`` check (misspelt names), ``coverage``, ``unattributed`` and the attribution
of sentences when a sketch is read back (:mod:`sessionsketch.analysis.attribute`) all
find names with :class:`NameFinder`. A sketch may write a participant's full name, the
name without a middle initial, the family name alone or with an honorific ("Kim",
"Dr Kim"); a run of capitalised words close to one of those forms is a misspelling
("near"); names nowhere near a participant (Kim Jong-un, Donald Trump) are other
people and are not mentions at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from sessionsketch import data
from sessionsketch.analysis.names import core_name, fold, strip_titles
from sessionsketch.data import phrases
from sessionsketch.model import Person

# scikit-learn's list, read from a data file: importing scikit-learn costs about 2 s
ENGLISH_STOP_WORDS = data.words("english_stop_words")

#: A capitalised word used this often in English (pyspellchecker's counts) is a word, not a typo...
COMMON_WORD_COUNT = 100
#: ...even as the subject of a reporting verb ("Post noted", "Davis said") if used this often.
VERY_COMMON_WORD_COUNT = 2000

#: A multi-word name this close (rapidfuzz ratio) to a participant's is a misspelling.
NEAR_RATIO = 80.0

_TOKEN_RE = re.compile(r"[^\s:;/—–]+[:;/—–]?")  # "Bibeau:as", "research—Suzy" are two words
REPORTING_VERBS = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases("name_frame_verbs"))
"""Verbs of a reporting frame: the word before "noted that" is somebody's name."""
_FRAME_RE = re.compile(rf"^(?:[’']s)?\s+(?:also\s+|likewise\s+|further\s+)?(?:{REPORTING_VERBS})\b")
_LEAD = "\"'“‘(["
_TRAIL = "\"'”’)],;:!?.*_/"
_POSSESSIVE_RE = re.compile(r"[’']s$")
_INITIAL_RE = re.compile(r"^[A-Z]\.$")
#: A family name opened by an elided particle: d'Entremont, l'Heureux, O'Neill.
_PARTICLE_RE = re.compile(r"^[a-z]{1,2}['’][A-Z]")


@dataclass(frozen=True)
class Mention:
    """A name written in a text: ``person`` is who it denotes.

    ``kind`` is "exact" for a legitimate form and "near" for a misspelling, in which
    case ``right`` is the same form spelt as the programme spells it. A form two
    participants share ("Davies" for Steve and Suzy Davies) is a mention whose ``person``
    is None and whose ``candidates`` are the people it may denote.
    """

    start: int
    end: int
    written: str
    person: Person | None
    kind: str
    right: str | None = None
    candidates: tuple[Person, ...] = ()


def _display_forms(person: Person) -> dict[str, str]:
    """Folded legitimate forms of ``person`` → the form as the programme would write it."""
    words = person.name.split()
    no_initials = " ".join(w for w in words if not _INITIAL_RE.match(w) and not re.fullmatch(r"[A-Z]", w))
    out: dict[str, str] = {}
    candidates = [person.name, no_initials, person.family_name, *person.aliases]
    if person.given_name:
        candidates += [
            f"{person.given_name} {person.family_name}",
            f"{person.family_name} {person.given_name}",
        ]
    for display in candidates:
        key = strip_titles(fold(display))
        if key and key not in out:
            out[key] = display
    return out


@lru_cache(maxsize=1)
def _english() -> Any:
    from spellchecker import SpellChecker

    return SpellChecker(distance=1).word_frequency


def is_common_word(word: str, count: int = COMMON_WORD_COUNT) -> bool:
    """True for an English word ("China", "Bank", "Post"), which no typo of a name is taken for."""
    return _english()[word.lower()] >= count


class NameFinder:
    """Finds participants' names — right or nearly right — in running text."""

    def __init__(self, people: list[Person], known_words: frozenset[str] = frozenset()) -> None:
        """``known_words``: folded words known to be spelt right (a transcript's words)."""
        self.people = people
        self.known_words = known_words
        self.forms: dict[str, tuple[Person, str]] = {}
        sharing: dict[str, list[Person]] = {}
        for p in people:
            for key, display in _display_forms(p).items():
                if p not in sharing.setdefault(key, []):
                    sharing[key].append(p)
                self.forms.setdefault(key, (p, display))
        #: forms two participants share → who may be meant
        self.ambiguous: dict[str, tuple[Person, ...]] = {
            k: tuple(v) for k, v in sharing.items() if len(v) > 1
        }
        self.multi = {k: v for k, v in self.forms.items() if " " in k}
        self.name_words = frozenset(w for key in self.forms for w in key.split())
        self.family = {k: v for k, v in self.forms.items() if v[0].family_name == v[1]}

    # ------------------------------------------------------------------ tokens

    @staticmethod
    def _runs(text: str) -> Iterator[list[tuple[str, int, int]]]:
        """Runs of capitalised words (with their spans), split at punctuation."""
        run: list[tuple[str, int, int]] = []
        for m in _TOKEN_RE.finditer(text):
            if run and "\n" in text[run[-1][2] : m.start()]:
                yield run
                run = []
            raw = m.group()
            start = m.start()
            lead = len(raw) - len(raw.lstrip(_LEAD))
            word = raw[lead:]
            core = _POSSESSIVE_RE.sub("", word)
            if _INITIAL_RE.match(core):
                stripped = core
            else:
                stripped = core.rstrip(_TRAIL)
                stripped = _POSSESSIVE_RE.sub("", stripped)
            breaks_after = stripped != core or core != word
            capital = bool(stripped) and (stripped[0].isupper() or _PARTICLE_RE.match(stripped) is not None)
            if lead or not capital:
                if run:
                    yield run
                run = []
                if not capital:
                    continue
            s = start + lead
            run.append((stripped, s, s + len(stripped)))
            if breaks_after:
                yield run
                run = []
        if run:
            yield run

    # ------------------------------------------------------------------ matching

    def _exact(self, key: str) -> tuple[Person, str] | None:
        if key in self.ambiguous:
            return None
        return self.forms.get(key)

    def _near_multi(self, key: str) -> tuple[Person, str] | None:
        if len(key) < 6:
            return None
        scored = sorted(
            ((fuzz.ratio(key, form), form) for form in self.multi),
            key=lambda sf: -sf[0],
        )
        if not scored or scored[0][0] < NEAR_RATIO:
            return None
        best_score, best = scored[0]
        first, right_first = key.split()[0], best.split()[0]
        if (
            first not in self.name_words
            and (is_common_word(first) or first in self.known_words)
            and not (right_first.startswith(first) or OSA.distance(first, right_first) <= 1)
        ):
            return None  # "Like Bessette", "Let Bessette": a word before a name, not "Jan" for "Janet"
        person = self.multi[best][0]
        rivals = [s for s, f in scored[1:] if self.multi[f][0] is not person]
        if rivals and best_score - rivals[0] < 5:
            return None
        return self.multi[best]

    def _near_single(self, key: str, written: str, subject: bool) -> tuple[Person, str] | None:
        """A family name misspelt. As the subject of a reporting verb ("Knaper noted")
        the word is surely a name, so two edits count even in a short name."""
        if len(key) < 4 or (key in ENGLISH_STOP_WORDS and key not in self.name_words):
            return None
        if written[:2].isupper() or any(c.isdigit() for c in written):
            return None  # an acronym (SMEs, NATO) or a date (June3), not a name
        hits = []
        for form, target in self.family.items():
            if len(form) < 4 or form[0] != key[0]:
                continue
            allowed = (1 if len(form) <= 4 else 2) + (1 if subject else 0)
            d = OSA.distance(key, form, score_cutoff=allowed)
            if 0 < d <= allowed:
                hits.append((d, target))
        if not hits:
            return None
        closest = min(d for d, _ in hits)
        spellings = {t[1] for d, t in hits if d == closest}  # two Davieses share one spelling
        common = VERY_COMMON_WORD_COUNT if subject else COMMON_WORD_COUNT
        if len(spellings) != 1 or all(
            w in self.known_words or is_common_word(w, common) for w in key.split()
        ):  # the transcript's words first: the English word list takes 0.15 s to load
            return None
        return next(t for d, t in hits if d == closest)

    def mentions(self, text: str) -> Iterator[Mention]:
        """Every participant name in ``text``, right ("exact") or nearly right ("near")."""
        for run in self._runs(text):
            i, n = 0, len(run)
            while i < n:
                step, found = 1, None
                for size in range(min(4, n - i), 0, -1):
                    words = run[i : i + size]
                    written = text[words[0][1] : words[-1][2]]
                    key = core_name(written)
                    if not key or any(
                        w.lower() in ENGLISH_STOP_WORDS and fold(w) not in self.name_words
                        for w, _, _ in words
                    ):
                        continue
                    if key in self.ambiguous:  # a form two participants share: right, but whose?
                        found = Mention(
                            words[0][1], words[-1][2], written, None, "exact", candidates=self.ambiguous[key]
                        )
                        step = size
                        break
                    exact = self._exact(key) or self._exact(strip_titles(fold(written)))
                    if exact and size == 1 and " " not in key and i + 1 < n:
                        # "Kim Jong-un": a family name run on into a name that is not
                        # the participant's is somebody else's
                        step, found = n - i, None
                        break
                    if exact:
                        found = Mention(words[0][1], words[-1][2], written, exact[0], "exact")
                    elif (
                        size > 1
                        and (words[0][0][:2].isupper() or not strip_titles(fold(words[0][0])))
                        and self._exact(core_name(text[words[1][1] : words[-1][2]]))
                    ):
                        continue  # "MP Paul-Hus": a name with a word before it, not a misspelling
                    else:
                        subject = bool(_FRAME_RE.match(text[words[-1][2] :]))
                        near = self._near_multi(key) if size > 1 else self._near_single(key, written, subject)
                        if near:
                            right = self._respell(written, near[1])
                            found = Mention(words[0][1], words[-1][2], written, near[0], "near", right)
                    if found:
                        step = size
                        break
                if found:
                    yield found
                i += step

    @staticmethod
    def _respell(written: str, right: str) -> str:
        """``right``, keeping any honorific ``written`` starts with ("Dr Knaper" → "Dr Knapper")."""
        lead: list[str] = []
        for word in written.split():
            if not fold(word) or strip_titles(fold(word) + " x") != "x":
                break
            lead.append(word)
        return " ".join([*lead, right])
