"""The selection model (engines/selection.py) and the speech cleaner it reads through."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import pytest

from sessionsketch.engines.selection import (
    FEATURES,
    Selector,
    SelectorError,
    load_selector,
    parse_selector,
)
from sessionsketch.text import clean_speech


def test_the_shipped_model_loads_and_matches_the_features() -> None:
    sel = load_selector()
    assert sel.features == FEATURES
    assert len(sel.coef) == len(FEATURES)
    body = json.loads(resources.files("sessionsketch.data").joinpath("selector.json").read_text())
    assert body["meetings"] > 100  # fitted on the three QMSum training folders
    assert "cross_validated" in body


def test_probability_is_a_logistic_of_the_standardised_row() -> None:
    sel = Selector(("a", "b"), (1.0, 0.0), (2.0, 1.0), (1.0, -1.0), 0.5)
    assert sel.probability([1.0, 0.0]) == pytest.approx(1 / (1 + 2.718281828459045**-0.5))
    assert sel.probability([101.0, 0.0]) > 0.99
    assert sel.probability([1.0, 100.0]) < 0.01


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        '{"features": ["x"], "mean": [0], "scale": [1], "coef": [1], "intercept": 0}',  # other features
        json.dumps({"features": list(FEATURES)}),  # coefficients missing
    ],
)
def test_a_corrupt_model_is_a_one_line_user_error_naming_the_package(text: str) -> None:
    with pytest.raises(SelectorError) as err:
        parse_selector(text, "selector.json")
    message = str(err.value)
    assert "\n" not in message and "reinstall" in message and "sessionsketch" in message


@pytest.mark.parametrize("model", ["selector.json", "acceptability.json"])
def test_a_missing_model_stops_draft_with_exit_2_and_one_line(tmp_path, model: str) -> None:
    """The CLI with a model file gone: one line naming the package, exit 2, no traceback."""
    transcript = tmp_path / "t.txt"
    transcript.write_text(
        "Ada Quill: The ferry timetable will change in May, and the new boats carry forty cars.\n"
        "Bo Reed: Why were the islands not consulted on the timetable before it was agreed?\n",
        encoding="utf-8",
    )
    code = (
        "import sys, importlib.resources as r\n"
        "from sessionsketch.engines import selection\n"
        "real = r.files\n"
        "class Missing:\n"
        f"    def read_text(self, *a, **k): raise FileNotFoundError({model!r})\n"
        "class Gone:\n"
        "    def __init__(self, p): self.p = p\n"
        f"    def joinpath(self, *a): return Missing() if str(a[-1]) == {model!r} else self.p.joinpath(*a)\n"
        "selection.resources = type('R', (), {'files': staticmethod(lambda pkg: Gone(real(pkg)))})\n"
        "from sessionsketch.__main__ import main\n"
        f"sys.argv = ['sessionsketch', 'draft', {str(transcript)!r}, '-o', {str(tmp_path / 'out.md')!r}]\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if model in line]
    assert lines and "reinstall" in lines[0]
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out.md").exists()


def test_the_acceptability_model_loads_and_prefers_what_an_editor_prints() -> None:
    """The shipped model of editors' BAD marks: a long quotation is riskier than a short
    reported sentence that condenses its turn, and a fragment is riskier than the same
    sentence whole."""
    from sessionsketch.engines.acceptability import FEATURES as ACCEPT_FEATURES
    from sessionsketch.engines.acceptability import acceptability_row, load_acceptability

    model = load_acceptability()
    assert model.features == ACCEPT_FEATURES
    body = json.loads(resources.files("sessionsketch.data").joinpath("acceptability.json").read_text())
    assert body["trained_on"] > 1000 and body["cv"]["model"] > body["cv"]["length"]
    turn = (
        "Well, you know, I think, and I've said this before, that the ferry timetable will change in May "
        "because the new boats carry forty cars and we have been talking to the islands about it for months."
    )
    reported = (
        "Ada Quill said that the ferry timetable will change in May because the new boats carry forty cars."
    )
    quoted = f"Ada Quill said: “{turn}”"
    risk = [model.probability(acceptability_row(t, [turn], 0.5, ())) for t in (reported, quoted)]
    assert risk[0] < risk[1]
    whole = model.probability(acceptability_row(reported, [turn], 0.5, ()))
    cut = model.probability(acceptability_row(reported, [turn], 0.5, ("editor.fragment",)))
    assert whole < cut


@pytest.mark.parametrize(
    ("said", "clean"),
    [
        ("{vocalsound} I think uh we should go .", "I think we should go."),
        ("the the point , uh, is that we we go. Mm-hmm .", "the point, is that we go."),
        ("Um, so, yes.", "So, yes."),
        ("good ideas . Uh changeable casings", "good ideas. Changeable casings"),
        ("A clean sentence stays as it is.", "A clean sentence stays as it is."),
        # a phrase said twice running is a restart; a word said twice with a comma is emphasis
        ("I understand I understand how hard it has been.", "I understand how hard it has been."),
        ("We need to, we need to plan ahead.", "We need to plan ahead."),
        ("It was very, very carefully done.", "It was very, very carefully done."),
        ("{gap} {vocalsound}", ""),
        # letters spelled out as AMI's transcribers write them
        ("the P_C_B_ and the L_C_D_s are cheap", "the PCB and the LCDs are cheap"),
        # a word begun and abandoned goes; short words and units stay
        ("Without th further ado, we start at 3 pm.", "Without further ado, we start at 3 pm."),
        ("We sort out what f what else to do.", "We sort out what else to do."),
    ],
)
def test_clean_speech_drops_hesitations_annotations_and_repeats(said: str, clean: str) -> None:
    out, offsets = clean_speech(said)
    assert out == clean
    assert len(offsets) == len(out) + 1
    # every word of the clean text is the transcript's own, where the offsets say
    for word_start in [i for i, ch in enumerate(out) if ch.isalpha() and (i == 0 or out[i - 1] == " ")]:
        assert said[offsets[word_start]].lower() == out[word_start].lower()


def test_clean_speech_is_linear_on_long_runs() -> None:
    """A line of 200,000 spaces, hesitations or commas is cleaned in one pass (no regex backtracking)."""
    for said in (" " * 200_000, "uh " * 70_000, " ," * 100_000, "{" * 100_000):
        out, offsets = clean_speech(said)
        assert len(offsets) == len(out) + 1


def test_a_transcript_with_nothing_to_report_is_refused_not_drafted_empty(tmp_path, capsys) -> None:
    """Greetings and thanks only: exit 2, one line that says so, no file (never an empty body with 0)."""
    from sessionsketch.cli import run

    transcript = tmp_path / "t.txt"
    transcript.write_text("Ada Quill: Yes.\nBo Reed: Okay, thanks.\n", encoding="utf-8")
    out = tmp_path / "out.md"
    assert run(["draft", str(transcript), "-o", str(out)]) == 2
    assert "nothing to draft" in capsys.readouterr().err
    assert not out.exists()


def test_the_editor_gate_drops_what_checks_editor_rules_flag(tmp_path) -> None:
    """The engine runs check's editor rules on each point (``editor_gate``, on by default): a
    draft then holds no sentence those rules flag, read with the sketch before it as check reads it."""
    from sessionsketch.analysis.resolve import infer_programme, resolve_transcript
    from sessionsketch.checks.editor import editor_problems
    from sessionsketch.engines import DraftOptions, get_engine
    from sessionsketch.engines.extractive import EDITOR_GATE_RULES
    from sessionsketch.pipeline import read_transcript

    path = tmp_path / "t.txt"
    path.write_text(
        "Ada Quill: What will the ferry timetable look like in May?\n"
        "Bram Teller: The new boats carry forty cars, and the crossings will run every hour from May. "
        "That is the end of that. We have been clear with the islands about it. "
        "The harbour at Westholm needs a new ramp before the summer, and the council has set aside "
        "two million pounds for it.\n",
        encoding="utf-8",
    )
    transcript = read_transcript(path)
    programme = infer_programme(transcript)
    resolve_transcript(transcript, programme)
    sketch = get_engine("extractive").draft(programme, programme.session, transcript, DraftOptions())
    body = [s for p in sketch.paragraphs for s in p.sentences if s.evidence and s.speaker]
    assert body
    turns = {t.index: t.text for t in transcript.turns}
    before: list[str] = []
    for s in body:
        found = editor_problems(s.text, before, [turns[e.turn][e.start : e.end] for e in s.evidence])
        assert not [r for r, _ in found if r in EDITOR_GATE_RULES], (s.text, found)
        before.append(s.text)


def test_the_gate_drops_a_question_left_in_the_spoken_order(tmp_path) -> None:
    """ "Ada Quill asked what has been the board's role in the survey" is check's
    editor.question-order: the gate leaves such a question out rather than print it."""
    from sessionsketch.analysis import syntax
    from sessionsketch.analysis.resolve import infer_programme, resolve_transcript
    from sessionsketch.checks.editor import inverted_question
    from sessionsketch.engines import DraftOptions, get_engine
    from sessionsketch.pipeline import read_transcript

    assert inverted_question(syntax.parse("Ada Quill asked what has been the board's role in the survey."))
    path = tmp_path / "t.txt"
    path.write_text(
        "Ada Quill: What has been the harbour board's role in the leak survey of the island towns?\n"
        "Bram Teller: The harbour board paid for the survey, and its engineers walked every main on the "
        "three islands over two summers. They found that one pipe in five loses water before it reaches a tap.\n"
        "Ada Quill: Will the board publish the survey for every island?\n"
        "Bram Teller: The board will publish the whole survey in May, island by island, with the costs of "
        "each repair.\n",
        encoding="utf-8",
    )
    transcript = read_transcript(path)
    programme = infer_programme(transcript)
    resolve_transcript(transcript, programme)
    sketch = get_engine("extractive").draft(programme, programme.session, transcript, DraftOptions())
    text = " ".join(s.text for p in sketch.paragraphs for s in p.sentences)
    assert "Teller" in text  # the witness is reported
    assert "what has been" not in text, text
