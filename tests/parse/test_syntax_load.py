"""The parser loaded from a blank tokenizer (``syntax._tokenizer_config``) is the model's own."""

from __future__ import annotations

import pytest

from sessionsketch.analysis import syntax

pytestmark = pytest.mark.skipif(not syntax.available(), reason="no spaCy English model installed")

TEXTS = [
    "Ms Quill said the harbour compact (signed in 2025) covers both towns — and the ferries, too.",
    "Can't the board publish the tariffs before 1 May? E-mail us at board@example.org.",
    "The U.K. and the E.U. haven't agreed; it's 9:30 a.m. and the fees are £4.50/hour.",
]


def test_the_tokenizer_is_the_models() -> None:
    import importlib

    nlp = syntax.nlp()
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == syntax._TOKENIZER
    for name in syntax.MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        reference = module.load(exclude=list(syntax._EXCLUDE), disable=list(syntax._LATER))
        break
    else:
        pytest.skip("the model is not an importable package")
    # the vocabulary aside: the shared parser's grows with every text parsed in the session
    assert nlp.tokenizer.to_bytes(exclude=["vocab"]) == reference.tokenizer.to_bytes(exclude=["vocab"])
    assert nlp.pipe_names == reference.pipe_names
    for text in TEXTS:
        ours, theirs = nlp(text), reference(text)
        assert [(t.text, t.tag_, t.dep_, t.head.i) for t in ours] == [
            (t.text, t.tag_, t.dep_, t.head.i) for t in theirs
        ]
