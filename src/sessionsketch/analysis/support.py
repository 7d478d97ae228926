"""How well a speaker's own turns support a sentence written about them.

A sketch says "Knapper noted that the two countries have made a conscious choice";
the transcript has Knapper saying "I think our two countries have made a conscious
choice". :class:`SupportScorer` compares the two after putting them in the same
shape: reporting frames ("noted that", "he said", "according to") and pronouns are
dropped, participants' names are dropped (the sketch names its subject, the speaker
does not name themself), words are stemmed. It then scores the sentence against
every sentence (and every pair of adjacent sentences) of every turn with TF-IDF over
stemmed content words and their bigrams, blended with character n-grams so that
paraphrases with different word endings still meet.

The scorer is fitted once per transcript; scoring a sentence is one sparse product.
The LLM engine's evidence gate, the ``support`` check and the workbench all use it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from sessionsketch.model import Transcript, Turn
from sessionsketch.analysis.names import HONORIFICS, fold
from sessionsketch.text import split_sentences


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: A sentence whose speaker's best score reaches this is supported by the transcript.
SUPPORTED = 0.25

#: Weight of the word (stem) similarity; the rest goes to character n-grams.
WORD_WEIGHT = 0.6

REPORTING_VERBS: frozenset[str] = _word_set(
    """
    say said says saying tell told tells note noted notes noting add added adds adding
    argue argued argues arguing suggest suggested suggests suggesting state stated states
    explain explained explains emphasise emphasised emphasize emphasized stress stressed
    point pointed out observe observed remark remarked contend contended maintain maintained
    assert asserted claim claimed warn warned acknowledge acknowledged agree agreed
    insist insisted highlight highlighted underline underlined underscored underscore
    urge urged mention mentioned describe described conclude concluded express expressed
    raise raised propose proposed recommend recommended caution cautioned counter countered
    believe believes believed think thinks thought feel feels felt view views opinion
    according perspective reply replied respond responded answer answered ask asked
    question questioned comment commented observation also likewise further furthermore
    went go goes going continue continued continues
    """
)
"""Words of a reporting frame, dropped before scoring ("Kim noted that ...")."""

PRONOUNS: frozenset[str] = _word_set(
    """
    i me my mine myself we us our ours ourselves you your yours yourself yourselves
    he him his himself she her hers herself they them their theirs themselves it its itself
    one
    """
)
"""Personal pronouns: first person in the transcript is third person in the sketch."""

FILLERS: frozenset[str] = _word_set(
    "okay ok yes yeah um uh er erm well right really just actually sort kind lot things thing"
)


@dataclass(frozen=True)
class Support:
    """The best support a speaker's turns give a sentence.

    ``score`` is 0..1; ``turn`` is the transcript turn index (None when the speaker
    has no turns); ``[start, end)`` is the character span of the supporting sentence
    (or pair of adjacent sentences) in that turn's text.
    """

    score: float
    turn: int | None
    start: int
    end: int


@dataclass(frozen=True)
class _Unit:
    turn: int
    speaker: str | None
    start: int
    end: int


_STOP = frozenset(ENGLISH_STOP_WORDS) | PRONOUNS | REPORTING_VERBS | FILLERS
_HONORIFIC_WORDS = frozenset(w for h in HONORIFICS for w in h.split())


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a folded word."""
    return _stemmer().stemWord(word)


def _terms(content_words: list[str]) -> list[str]:
    """Stems and stem bigrams of a unit's content words: the word features."""
    stems = [stem(w) for w in content_words]
    return stems + [f"{a} {b}" for a, b in pairwise(stems)]


class SupportScorer:
    """Scores sentences against one transcript's turns, speaker by speaker.

    >>> scorer = SupportScorer(transcript)            # fit once
    >>> scorer.support("Knapper noted that ...", "Marc Knapper").score
    >>> scorer.ranking("Knapper noted that ...")[0]   # (best speaker, Support)
    """

    def __init__(self, transcript: Transcript, cache_size: int = 512) -> None:
        self.transcript = transcript
        self._turns: dict[int, Turn] = {t.index: t for t in transcript.turns}
        self._names = self._name_words(transcript)
        self._units: list[_Unit] = []
        unit_words: list[list[str]] = []  # content words of each unit
        single_words: list[list[str]] = []  # of each single sentence: the IDF is fitted on these
        for turn in transcript.turns:
            spans = split_sentences(turn.text)
            name = turn.speaker_name
            words = [self._content_words(span.text) for span in spans]
            for i, span in enumerate(spans):
                self._units.append(_Unit(turn.index, name, span.start, span.end))
                unit_words.append(words[i])
                single_words.append(words[i])
                if i + 1 < len(spans):
                    self._units.append(_Unit(turn.index, name, span.start, spans[i + 1].end))
                    unit_words.append(words[i] + words[i + 1])
        self.speakers: list[str] = sorted({u.speaker for u in self._units if u.speaker})
        self._by_speaker: dict[str, np.ndarray] = {
            s: np.array([i for i, u in enumerate(self._units) if u.speaker == s], dtype=np.int64)
            for s in self.speakers
        }
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._word = TfidfVectorizer(analyzer=_terms, sublinear_tf=True)
        self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self._fitted = any(single_words)
        if self._fitted:
            self._word.fit(single_words)
            self._char.fit([" ".join(w) for w in single_words])
            self._word_units = self._word.transform(unit_words)
            self._char_units = self._char.transform([" ".join(w) for w in unit_words])

    # ------------------------------------------------------------------ normalising

    @staticmethod
    def _name_words(transcript: Transcript) -> frozenset[str]:
        words: set[str] = set()
        for turn in transcript.turns:
            if turn.speaker is not None:
                for raw in [turn.speaker.name, *turn.speaker.aliases]:
                    words.update(fold(raw).split())
        return frozenset(w for w in words if w not in _HONORIFIC_WORDS)

    def _content_words(self, text: str) -> list[str]:
        """Folded words with reporting frames, pronouns, stop words and names removed."""
        return [
            w
            for w in fold(text).split()
            if (w.isdigit() or (len(w) > 1 and w not in _STOP)) and w not in self._names
        ]

    # ------------------------------------------------------------------ scoring

    def similarities(self, text: str) -> np.ndarray:
        """The sentence's similarity (0..1) to every transcript unit, in unit order."""
        cached = self._cache.get(text)
        if cached is not None:
            self._cache.move_to_end(text)
            return cached
        if not self._fitted or not self._content_words(text):
            sims = np.zeros(len(self._units))
        else:
            content = self._content_words(text)
            w = (self._word_units @ self._word.transform([content]).T).toarray().ravel()
            c = (self._char_units @ self._char.transform([" ".join(content)]).T).toarray().ravel()
            sims = np.clip(WORD_WEIGHT * w + (1.0 - WORD_WEIGHT) * c, 0.0, 1.0)
        self._cache[text] = sims
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return sims

    def _best(self, sims: np.ndarray, rows: np.ndarray) -> Support:
        if rows.size == 0:
            return Support(0.0, None, 0, 0)
        i = int(rows[int(np.argmax(sims[rows]))])
        u = self._units[i]
        return Support(round(float(sims[i]), 4), u.turn, u.start, u.end)

    def support(self, text: str, speaker_name: str) -> Support:
        """How well ``speaker_name``'s own turns support ``text`` (best turn and span)."""
        rows = self._by_speaker.get(speaker_name, np.zeros(0, dtype=np.int64))
        return self._best(self.similarities(text), rows)

    def ranking(self, text: str) -> list[tuple[str, Support]]:
        """Every speaker with their best support for ``text``, best first."""
        sims = self.similarities(text)
        ranked = [(s, self._best(sims, rows)) for s, rows in self._by_speaker.items()]
        return sorted(ranked, key=lambda sr: (-sr[1].score, sr[0]))

    def quote(self, support: Support) -> str:
        """The transcript words a support points at ("" when it points at nothing)."""
        if support.turn is None or support.turn not in self._turns:
            return ""
        return self._turns[support.turn].text[support.start : support.end]


_SCORERS: OrderedDict[str, SupportScorer] = OrderedDict()
_SCORERS_LOCK = threading.Lock()


def scorer_for(transcript: Transcript, keep: int = 4) -> SupportScorer:
    """A scorer for ``transcript``, reused while the same turns are checked again."""
    digest = hashlib.sha256()
    for t in transcript.turns:
        digest.update(f"{t.index}\x00{t.speaker_name}\x00{t.text}\x01".encode())
    key = digest.hexdigest()
    with _SCORERS_LOCK:
        if key in _SCORERS:
            _SCORERS.move_to_end(key)
            return _SCORERS[key]
    scorer = SupportScorer(transcript)
    with _SCORERS_LOCK:
        _SCORERS[key] = scorer
        while len(_SCORERS) > keep:
            _SCORERS.popitem(last=False)
    return scorer
