"""analysis/tfidf.py reproduces the two scikit-learn vectorizers the support scorer used."""

from __future__ import annotations

import pytest

from sessionsketch.analysis.support import _terms
from sessionsketch.analysis.tfidf import Tfidf, char_wb_ngrams

text = pytest.importorskip("sklearn.feature_extraction.text", reason="scikit-learn is the reference")

# a fictional hearing's content words (what the scorer feeds the vectorizers)
DOCS = [
    ["ferry", "timetable", "winter", "every", "day", "islands"],
    ["harbour", "tariffs", "small", "boats", "published", "spring", "herring", "season"],
    ["ferry", "ferry", "boats", "carry", "forty", "cars", "ramp", "westholm"],
    ["council", "set", "aside", "two", "million", "pounds", "ramp"],
    ["islands", "consulted", "timetable", "agreed"],
    ["a"],
]
QUERIES = [["ferry", "winter", "timetable"], ["ramp", "pounds"], ["nothing", "shared"], []]


def test_char_wb_ngrams_match_scikit_learns_analyzer() -> None:
    analyzer = text.TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).build_analyzer()
    for words in [*DOCS, *QUERIES, ["Westholm  Harbour"], ["ab"]]:
        doc = " ".join(words)
        assert char_wb_ngrams(doc) == analyzer(doc)


@pytest.mark.parametrize("kind", ["word", "char"])
def test_the_matrices_are_scikit_learns(kind: str) -> None:
    if kind == "word":
        ref = text.TfidfVectorizer(analyzer=_terms, sublinear_tf=True)
        ours = Tfidf(_terms)
        fit, queries = DOCS, QUERIES
    else:
        ref = text.TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        ours = Tfidf(char_wb_ngrams)
        fit, queries = [" ".join(d) for d in DOCS], [" ".join(q) for q in QUERIES]
    ref.fit(fit)
    ours.fit(fit)
    assert ours.vocabulary == ref.vocabulary_
    assert abs(ours.transform(fit) - ref.transform(fit)).max() < 1e-12
    assert abs(ours.transform(queries) - ref.transform(queries)).max() < 1e-12
    sims_ref = (ref.transform(fit) @ ref.transform(queries).T).toarray()
    sims_ours = (ours.transform(fit) @ ours.transform(queries).T).toarray()
    assert abs(sims_ref - sims_ours).max() < 1e-12
