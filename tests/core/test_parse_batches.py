"""The parser takes texts in batches bounded by characters as well as count (issue 16 §3).

spaCy's memory grows with the tokens of a batch (about 16 KB a token): 256 sentences of 400
words at once took +209 MB. Batches are cut at ``syntax._BATCH_CHARS`` characters (and
still at most ``syntax._BATCH_TEXTS`` texts); a parse must not depend on its batch.
"""

from __future__ import annotations

import json

import pytest
from tests.conftest import EXAMPLES

from sessionsketch.analysis import syntax
from sessionsketch.text import split_sentences


def test_batches_keep_order_and_bounds() -> None:
    texts = ["a" * n for n in (5, 19_990, 20, 20_001, 3, 7_000, 7_000, 7_000, 0, 1)] + ["b"] * 600
    batches = list(syntax._batches(texts))
    assert [t for b in batches for t in b] == texts
    for b in batches:
        assert 1 <= len(b) <= syntax._BATCH_TEXTS
        assert len(b) == 1 or sum(map(len, b)) <= syntax._BATCH_CHARS
    # a text longer than the cap is a batch of its own; short texts fill a batch to 256
    assert ["a" * 20_001] in batches
    assert max(len(b) for b in batches) == syntax._BATCH_TEXTS
    assert list(syntax._batches([])) == []


def _signature(doc) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, str(t.morph), t.is_sent_start) for t in doc]


def test_a_parse_does_not_depend_on_its_batch() -> None:
    if not syntax.available():
        pytest.skip("no spaCy model installed")
    turns = json.loads((EXAMPLES / "welsh-education-committee" / "transcript.json").read_text())
    texts: list[str] = []
    for turn in turns["meeting_transcripts"][:60]:
        content = " ".join(turn["content"].split())
        texts += [s.text for s in split_sentences(content)] + [content]
    texts = list(dict.fromkeys(texts))
    assert sum(map(len, texts)) > 3 * syntax._BATCH_CHARS  # several batches of different sizes
    batched = syntax._run(texts)
    pipeline = syntax.nlp()
    assert [_signature(d) for d in batched] == [_signature(pipeline(t)) for t in texts]
