"""Selection: which of a speaker's sentences carry the points a reader wants.

A logistic model fitted on people's summaries of real meetings (QMSum: committee hearings,
design-team and research meetings), shipped as ``data/selector.json`` and trained by
``bench/train_selector.py``, which anyone can rerun. The features are ones that carry
across meetings rather than words of one meeting: how specific a sentence is (numbers,
names, rare words), whether it answers the question just put, commitments and decisions,
contrast, hedging and filler, the speaker's role, where it sits in the turn, its length,
and — as two of the features, not the whole score — its TF-IDF centrality in the speaker's
turns and in the session.

Inference is a dot product and a logistic function in plain Python: importing
scikit-learn costs about 2 s, more than a whole draft of a 20k-word meeting.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from sessionsketch.errors import UserError

if TYPE_CHECKING:
    from sessionsketch.model import Transcript

__all__ = [
    "FEATURES",
    "Selector",
    "SelectorError",
    "centroid",
    "dot",
    "feature_rows",
    "load_model",
    "load_selector",
    "parse_model",
]

MODEL_FILE = "selector.json"

#: The features, in the order the model's coefficients follow.
FEATURES: tuple[str, ...] = (
    "centre_speaker",  # TF-IDF cosine to the speaker's own centroid
    "centre_session",  # … and to the whole session's
    "log_words",
    "over_40",
    "position",  # sentence index in its turn / sentences in the turn
    "first_in_turn",
    "log_turn_words",
    "turn_share",  # the turn's words / the speaker's mean turn
    "numbers",  # digits and number words (min 3)
    "proper",  # capitalised words not first in the sentence, per word
    "mean_idf",
    "max_idf",
    "question",
    "question_by_asker",
    "i_words",
    "we_words",
    "you_words",
    "filler",
    "hedge",
    "commitment",
    "contrast",
    "negation",
    "stop_share",
    "after_question",  # the turn comes straight after another speaker's question
    "answer_overlap",  # … and shares words with it
    "asker",  # the speaker puts questions rather than answers them
    "speaker_share",  # the speaker's share of the words spoken
    "meeting_position",  # turn index / turns
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*|\d[\d,.]*")
_NUMBER_WORDS = frozenset(
    [
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "fifteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "percent",
        "per",
        "cent",
        "half",
        "quarter",
        "third",
        "dozen",
    ]
)
_FILLER = frozenset(
    [
        "um",
        "uh",
        "erm",
        "er",
        "mm",
        "hmm",
        "yeah",
        "yep",
        "okay",
        "ok",
        "like",
        "mean",
        "know",
        "sort",
        "kind",
        "well",
        "actually",
        "basically",
    ]
)
_HEDGE = frozenset(
    ["think", "guess", "maybe", "perhaps", "probably", "possibly", "suppose", "might", "presumably"]
)
_COMMIT = frozenset(
    [
        "will",
        "going",
        "decided",
        "decide",
        "decision",
        "agreed",
        "agree",
        "must",
        "should",
        "need",
        "needs",
        "plan",
        "planned",
        "propose",
        "proposed",
        "recommend",
        "recommendation",
        "committed",
        "commit",
        "ensure",
        "target",
        "budget",
    ]
)
_CONTRAST = frozenset(["but", "however", "although", "though", "whereas", "yet", "despite"])
_NEGATION = frozenset(["not", "no", "never", "nothing", "none", "neither", "nor", "cannot", "n't"])
_I = frozenset(["i", "me", "my", "mine", "myself"])
_WE = frozenset(["we", "us", "our", "ours", "ourselves"])
_YOU = frozenset(["you", "your", "yours", "yourself", "yourselves"])


class SelectorError(UserError):
    """The fitted model is missing or unreadable: the installation is broken."""


@dataclass(frozen=True)
class Selector:
    """A fitted logistic model over :data:`FEATURES` (standardised)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, row: Sequence[float]) -> float:
        z = self.intercept
        for x, m, s, w in zip(row, self.mean, self.scale, self.coef, strict=True):
            z += w * (x - m) / s
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self, **extra: object) -> str:
        body = {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            **extra,
        }
        return json.dumps(body, indent=1) + "\n"


def parse_selector(text: str, where: str = MODEL_FILE) -> Selector:
    """A :class:`Selector` from its JSON; :class:`SelectorError` if it is not a usable model."""
    return parse_model(text, where, FEATURES, "selection")


def parse_model(text: str, where: str, features: tuple[str, ...], what: str) -> Selector:
    """A fitted logistic model over ``features`` from its JSON (the selection model, the
    acceptability model); :class:`SelectorError` if it is not a usable one."""
    try:
        body = json.loads(text)
        sel = Selector(
            tuple(body["features"]),
            tuple(float(x) for x in body["mean"]),
            tuple(float(x) or 1.0 for x in body["scale"]),
            tuple(float(x) for x in body["coef"]),
            float(body["intercept"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise SelectorError(
            f"{where}: the fitted {what} model is corrupt ({exc.__class__.__name__}); "
            "reinstall the sessionsketch package (pip install --force-reinstall sessionsketch)"
        ) from None
    if sel.features != features or not (len(sel.mean) == len(sel.scale) == len(sel.coef) == len(features)):
        raise SelectorError(
            f"{where}: the fitted {what} model does not match this version's features; "
            "reinstall the sessionsketch package (pip install --force-reinstall sessionsketch)"
        )
    return sel


@cache
def load_selector() -> Selector:
    """The shipped model (read once)."""
    return load_model(MODEL_FILE, FEATURES, "selection")


def load_model(name: str, features: tuple[str, ...], what: str) -> Selector:
    """A fitted model shipped in ``sessionsketch/data``; :class:`SelectorError` (one line, exit 2,
    naming the package to reinstall) if it is missing or corrupt."""
    ref = resources.files("sessionsketch.data").joinpath(name)
    try:
        text = ref.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        raise SelectorError(
            f"{name}: the fitted {what} model is missing from the sessionsketch package; "
            "reinstall it (pip install --force-reinstall sessionsketch)"
        ) from None
    return parse_model(text, str(ref), features, what)


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    """The dot product of two sparse vectors (the engine's TF-IDF cosine on unit vectors)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def centroid(vectors: Iterable[dict[str, float]]) -> dict[str, float]:
    """The unit-length sum of sparse vectors."""
    acc: dict[str, float] = {}
    for v in vectors:
        for t, x in v.items():
            acc[t] = acc.get(t, 0.0) + x
    norm = math.sqrt(sum(x * x for x in acc.values())) or 1.0
    return {t: x / norm for t, x in acc.items()}


def feature_rows(
    per: dict[str, list],  # type: ignore[type-arg]
    transcript: Transcript,
    asking: set[str],
    idf: dict[str, float],
    spoken: dict[str, int],
    turn_vectors: dict[int, dict[str, float]],
) -> dict[tuple[int, int], list[float]]:
    """One row of :data:`FEATURES` per candidate (keyed by ``(turn, start)``).

    ``per`` maps each speaker to their candidates (objects with ``text``, ``words``,
    ``turn``, ``start``, ``vector``, ``position`` and ``sentences``); ``turn_vectors`` are
    the TF-IDF vectors of whole turns, for the overlap of an answer with its question.
    """
    turns = transcript.turns
    n_turns = max(1, len(turns))
    max_idf = max(idf.values(), default=1.0) or 1.0
    total_spoken = sum(spoken.values()) or 1
    turn_words: dict[int, int] = {}
    speaker_turns: dict[str, list[int]] = {}
    for t in turns:
        turn_words[t.index] = len(t.text.split())
        if t.speaker is not None:
            speaker_turns.setdefault(t.speaker.name, []).append(turn_words[t.index])
    by_index = {t.index: i for i, t in enumerate(turns)}
    session_centre = centroid(c.vector for cands in per.values() for c in cands)
    rows: dict[tuple[int, int], list[float]] = {}
    for name, cands in per.items():
        if not cands:
            continue
        centre = centroid(c.vector for c in cands)
        lens = speaker_turns.get(name) or [1]
        mean_turn = sum(lens) / len(lens) or 1.0
        asker = 1.0 if name in asking else 0.0
        share = spoken.get(name, 0) / total_spoken
        for c in cands:
            toks = _WORD.findall(c.text)
            low = [t.lower().replace("’", "'") for t in toks]
            n = max(1, len(low))
            numbers = sum(1 for t in low if t[0].isdigit() or t in _NUMBER_WORDS)
            proper = sum(1 for t in toks[1:] if t[0].isupper() and t != "I")
            idfs = [idf.get(t, 0.0) for t in c.vector]
            i = by_index.get(c.turn, 0)
            prev = turns[i - 1] if i > 0 else None
            after_q = (
                prev is not None
                and prev.speaker is not None
                and turns[i].speaker is not None
                and prev.speaker.name != turns[i].speaker.name
                and prev.text.rstrip().endswith("?")
            )
            overlap = dot(c.vector, turn_vectors.get(prev.index, {})) if after_q and prev else 0.0
            is_q = 1.0 if c.text.rstrip().endswith("?") else 0.0
            tw = turn_words.get(c.turn, c.words)
            rows[c.key] = [
                dot(c.vector, centre),
                dot(c.vector, session_centre),
                math.log1p(c.words),
                1.0 if c.words > 40 else 0.0,
                c.position / max(1, c.sentences),
                1.0 if c.position == 0 else 0.0,
                math.log1p(tw),
                min(5.0, tw / mean_turn),
                float(min(3, numbers)),
                proper / n,
                (sum(idfs) / len(idfs) / max_idf) if idfs else 0.0,
                (max(idfs) / max_idf) if idfs else 0.0,
                is_q,
                is_q * asker,
                sum(1 for t in low if t in _I) / n,
                sum(1 for t in low if t in _WE) / n,
                sum(1 for t in low if t in _YOU) / n,
                sum(1 for t in low if t in _FILLER) / n,
                sum(1 for t in low if t in _HEDGE) / n,
                sum(1 for t in low if t in _COMMIT) / n,
                1.0 if any(t in _CONTRAST for t in low) else 0.0,
                1.0 if any(t in _NEGATION or t.endswith("n't") for t in low) else 0.0,
                (n - len(c.vector)) / n,
                1.0 if after_q else 0.0,
                overlap,
                asker,
                share,
                i / n_turns,
            ]
    return rows
