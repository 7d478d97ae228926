"""Acceptability: how likely a strict editor is to strike a drafted sentence.

A logistic model fitted on the editor audits of this project's drafts (``../shared/AUDIT.md``;
the graded sentences are kept in ``bench/data/editor/``): every body sentence of every
audited draft, labelled BAD (restructure, condense or delete) or not by an editor who knew
nothing of the engine. The features are what an editor reacts to and what carries across
meetings, not words of one meeting: the sentence's length, how much of it is the
transcript's wording, a quotation, words that point back ("this", "they"), a first person
left over, figures, a question, and the findings of ``check``'s editor rules (a fragment, a
referent, a meaning changed, a qualification left out, verbatim). Shipped as
``data/acceptability.json`` and trained by ``bench/train_acceptability.py``, which reports its
figures cross-validated by meeting.

The draft engine reads it as a factor on each point's worth, so that of two points about as
salient the one an editor would print is taken first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import cache

from sessionsketch.engines.selection import Selector, load_model

__all__ = ["FEATURES", "acceptability_row", "load_acceptability"]

MODEL_FILE = "acceptability.json"

#: The features, in the order the model's coefficients follow.
FEATURES: tuple[str, ...] = (
    "log_words",
    "words_le_12",
    "words_13_16",
    "words_26_30",
    "words_31_40",
    "words_over_40",
    "copied",  # share of the sentence's words in runs copied from its evidence
    "quote",
    "pointing",  # "this", "these", "those" (at most 3)
    "pronouns",  # "it", "they", "them", "their" (at most 3)
    "first_person",  # "I", "we", "our" outside a quotation
    "group_named",  # "the government", "the committee": an institution for someone's "we"
    "numbers",
    "commas",  # per word
    "also",
    "asked",
    "hypothetical",  # would, could, might
    "negation",
    "according",  # "According to X, …"
    "compression",  # the sentence's words / its evidence's words (at most 2)
    "rule_fragment",
    "rule_referent",
    "rule_meaning",
    "rule_qualification",
    "rule_verbatim",
)

#: ``check``'s editor rules the model reads (each a feature).
RULES: tuple[str, ...] = (
    "editor.fragment",
    "editor.referent",
    "editor.meaning",
    "editor.qualification",
    "editor.verbatim",
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*|\d[\d,.]*")
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_POINTING = frozenset({"this", "these", "those"})
_PRONOUNS = frozenset({"it", "they", "them", "their", "theirs"})
_FIRST = frozenset({"i", "we", "our", "us", "my", "me", "ours"})
_GROUP = re.compile(
    r"\bthe (?:\w+ )?(?:government|committee|department|ministry|council|organisation|team)\b", re.I
)
_HYPOTHETICAL = frozenset({"would", "could", "might"})
_NEGATION = frozenset({"not", "no", "never", "nothing", "none", "cannot", "n't"})
_ASKED = re.compile(r"\basked (?:whether|if|how|what|when|why|who|which|where|about)\b|^Asked\b", re.I)


def acceptability_row(text: str, evidence: Sequence[str], copied: float, rules: Iterable[str]) -> list[float]:
    """One row of :data:`FEATURES` for a drafted sentence, the transcript words it rests on,
    the share of it copied from them (``checks.editor.copied_share``) and the editor rules
    it breaks (their ids)."""
    toks = _WORD.findall(text)
    low = [t.lower().replace("’", "'") for t in toks]
    n = max(1, len(low))
    outside = [t.lower() for t in _WORD.findall(_QUOTED.sub(" ", text))]
    source = sum(len(e.split()) for e in evidence) or n
    found = set(rules)
    return [
        math.log1p(n),
        1.0 if n <= 12 else 0.0,
        1.0 if 13 <= n <= 16 else 0.0,
        1.0 if 26 <= n <= 30 else 0.0,
        1.0 if 31 <= n <= 40 else 0.0,
        1.0 if n > 40 else 0.0,
        copied,
        1.0 if ("“" in text or '"' in text) else 0.0,
        float(min(3, sum(1 for t in low if t in _POINTING))),
        float(min(3, sum(1 for t in low if t in _PRONOUNS))),
        1.0 if any(t in _FIRST for t in outside) else 0.0,
        1.0 if _GROUP.search(text) else 0.0,
        1.0 if any(t[0].isdigit() for t in low) else 0.0,
        text.count(",") / n,
        1.0 if "also" in low else 0.0,
        1.0 if _ASKED.search(text) else 0.0,
        1.0 if any(t in _HYPOTHETICAL for t in low) else 0.0,
        1.0 if any(t in _NEGATION or t.endswith("n't") for t in low) else 0.0,
        1.0 if text.startswith("According to") else 0.0,
        min(2.0, n / source),
        *(1.0 if rule in found else 0.0 for rule in RULES),
    ]


@cache
def load_acceptability() -> Selector:
    """The shipped model (read once); :class:`SelectorError` if it is missing or corrupt."""
    return load_model(MODEL_FILE, FEATURES, "acceptability")
