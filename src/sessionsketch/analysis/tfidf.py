"""TF-IDF vectors as scikit-learn's ``TfidfVectorizer`` makes them, without importing it.

``check``'s support scorer (:mod:`.support`) compares each sketch sentence with every
transcript unit by word and character n-gram TF-IDF. Importing ``sklearn.feature_extraction``
cost 1.4 s of a 5 s ``check`` run on the reference machine (scipy.sparse alone: 0.2 s), for
two vectorizers this module reproduces: ``TfidfVectorizer(analyzer=callable,
sublinear_tf=True)`` and ``TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
sublinear_tf=True)`` — smooth idf ``ln((1 + n) / (1 + df)) + 1``, ``1 + ln(tf)``, rows
scaled to unit length, the vocabulary in sorted order. ``tests/check/test_tfidf.py`` holds
it to scikit-learn's matrices where scikit-learn is installed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix

__all__ = ["Tfidf", "char_wb_ngrams"]

_WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, low: int = 3, high: int = 5) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with a space (scikit-learn's
    ``char_wb``, on lower-cased text): a word shorter than ``n`` gives itself once."""
    text = _WHITE_SPACES.sub(" ", text.lower())
    grams: list[str] = []
    if (low, high) != (3, 5):
        for word in text.split():
            grams += _word_ngrams(word, low, high)
        return grams
    cache = _GRAMS
    for word in text.split():
        got = cache.get(word)
        if got is None:
            got = _word_ngrams(word, low, high)
            if len(cache) >= _GRAMS_SIZE:
                cache.clear()
            cache[word] = got
        grams += got
    return grams


#: The (3, 5) n-grams of each word seen (a transcript says the same words again and again).
_GRAMS: dict[str, list[str]] = {}
_GRAMS_SIZE = 200_000


def _word_ngrams(word: str, low: int, high: int) -> list[str]:
    w = f" {word} "
    size = len(w)
    grams: list[str] = []
    for n in range(low, high + 1):
        offset = 0
        grams.append(w[offset : offset + n])
        while offset + n < size:
            offset += 1
            grams.append(w[offset : offset + n])
        if offset == 0:  # the whole padded word was shorter than n
            break
    return grams


class Tfidf:
    """A fitted vocabulary and idf; :meth:`transform` gives unit-length rows (CSR)."""

    def __init__(self, analyzer: Callable[[Any], Sequence[str]]) -> None:
        self.analyzer = analyzer
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0)

    def fit(self, docs: Iterable[Any]) -> Tfidf:
        df: Counter[str] = Counter()
        n = 0
        for doc in docs:
            df.update(set(self.analyzer(doc)))
            n += 1
        terms = sorted(df)
        self.vocabulary = {t: i for i, t in enumerate(terms)}
        self.idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float64)
        return self

    def transform(self, docs: Iterable[Any]) -> csr_matrix:
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        vocab = self.vocabulary
        idf = self.idf.tolist()  # Python floats: the same products as numpy's, without its indexing
        logs: dict[int, float] = {}
        for doc in docs:
            # counted by term first (in C), then mapped: the same counts as by column
            counts = {vocab[f]: k for f, k in Counter(self.analyzer(doc)).items() if f in vocab}
            cols = sorted(counts)
            row = []
            for c in cols:
                k = counts[c]
                lg = logs.get(k)
                if lg is None:
                    lg = logs[k] = 1.0 + math.log(k)
                row.append(lg * idf[c])
            values = np.array(row, dtype=np.float64)
            norm = math.sqrt(float(np.dot(values, values))) if cols else 0.0
            if norm > 0.0:
                values /= norm
            indices.extend(cols)
            data.extend(values.tolist())
            indptr.append(len(indices))
        return csr_matrix(
            (
                np.array(data, dtype=np.float64),
                np.array(indices, dtype=np.int32),
                np.array(indptr, dtype=np.int32),
            ),
            shape=(len(indptr) - 1, len(vocab)),
        )
