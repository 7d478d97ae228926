"""Rule ``style``: the mechanical defects of a draft (issue 12), and the gate the engines call.

The defect sentences below are quoted from an earlier machine draft of the bundled
example (issue 12): they are defect strings, nobody's words. The other sentences are about
the fictional panel of ``conftest.py`` or are plain test prose.
"""

from __future__ import annotations

import pytest

from sessionsketch.analysis import syntax
from sessionsketch.checks import run_checks
from sessionsketch.checks.style import MAX_WORDS, RULES, sentence_problems
from sessionsketch.model import Paragraph, Sentence, Sketch

from ..conftest import SHARED

pytestmark = pytest.mark.skipif(not syntax.available(), reason="no spaCy English model installed")

WELSH = [
    "Lynne Neagle",
    "Kirsty Williams",
    "Steve Davies",
    "Huw Morris",
    "Suzy Davies",
    "Hefin David",
    "Dawn Bowden",
    "Sian Gwenllian",
    "Janet Finch-Saunders",
]
PANEL = ["Ivo Brandt", "Ada Quill", "Bram Otterly", "Tan Weiming", "Nell Farrow"]


def rules_of(text: str, previous: str | None = None, names: list[str] = PANEL) -> list[str]:
    return [rule for rule, _ in sentence_problems(text, previous, names)]


# ---------------------------------------------------------------- issue 12's defect strings


@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        (
            "Williams also noted that Williams was clear that a return to normal was not imminent, "
            "and therefore Williams was not in a position to give a date.",
            {"style.name-twice"},
        ),
        (
            "David noted that could David also asks: they said that guiding principle No. 3 would be "
            "having the confidence of parents.",
            {"style.name-twice", "style.verb-mismatch", "style.dangling-pronoun"},
        ),
        (
            "Davies also said that Otherwise, this scramble was going to potentially negatively affect "
            "their universities.",
            {"style.capital-after-that", "style.dangling-pronoun"},
        ),
        (
            "Dawn Bowden warned that it was encouraging to hear they talk about the ongoing safeguarding "
            "of children.",
            {"style.verb-mismatch", "style.dangling-pronoun"},
        ),
        (
            "Gwenllian asked how many school staff had been tested for COVID because they may had "
            "experienced symptoms and so on.",
            {"style.modal-had"},
        ),
        (
            "Janet Finch-Saunders said that Finch-Saunders thought it was something at this end; "
            "Finch-Saunders was glad to hear it wasn't.",
            {"style.name-twice"},
        ),
    ],
)
def test_issue_12_defects_are_flagged(defect: str, expected: set[str]) -> None:
    assert set(rules_of(defect, names=WELSH)) == expected


# ---------------------------------------------------------------- one rule at a time


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Quill said that Ada Quill had doubled the ferry timetable.", "style.name-twice"),
        ("Otterly said that Otterly wants a subsidy scheme.", "style.name-twice"),
        ("Quill said that Director Ada Quill wants more ferries.", "style.name-twice"),
        ("Quill said that The harbour compact is working.", "style.capital-after-that"),
        ("Tan argued that It will not hold past 2040.", "style.capital-after-that"),
        ("Otterly said the fishermen would had a better season.", "style.modal-had"),
        ("Tan said the wall did had a crack.", "style.modal-had"),
        ("Quill said that we have doubled lighthouse trade.", "style.first-person"),
        ("Otterly said that our fishermen are hurting.", "style.first-person"),
        ("I think the marsh is shrinking.", "style.first-person"),
        ("Tan told the board that you cannot hold the sea back.", "style.second-person"),
        ("Quill said your ferries run all winter.", "style.second-person"),
        ("The ferry timetable in the winter months.", "style.no-main-verb"),
        ("Because the harbour tariffs are too high.", "style.no-main-verb"),
        ("Which is why the marsh is shrinking.", "style.no-main-verb"),
        ("Otherwise, the harbour would close.", "style.leading-connective"),
        ("That said, the marsh is shrinking.", "style.leading-connective"),
        ("Therefore the towns will trade more.", "style.leading-connective"),
        ("So, the sea wall will not hold.", "style.leading-connective"),
        ("And the tariffs hurt fishermen.", "style.leading-connective"),
        ("Can I ask about the sea wall first?", "style.procedure"),
        ("Otterly said my question is about the tariffs.", "style.procedure"),
        ("Thank you, Chair, the harbour is busy.", "style.procedure"),
        ("Over to you for the herring season.", "style.procedure"),
        ("Brandt moved to the next question on tariffs.", "style.procedure"),
        ("Otterly asked that the tariffs were hurting fishermen.", "style.verb-mismatch"),
        ("Quill noted that could the towns trade more?", "style.verb-mismatch"),
        ("Tan warned that it was encouraging to see the marsh mapped.", "style.verb-mismatch"),
        ("They said the harbour would close.", "style.dangling-pronoun"),
        ("Their boats are small.", "style.dangling-pronoun"),
        ("Quill said that they had doubled trade since 2025.", "style.dangling-pronoun"),
    ],
)
def test_each_rule_fires(text: str, rule: str) -> None:
    assert rule in rules_of(text)


def test_too_long() -> None:
    long = "Quill said that " + " ".join(["lighthouse trade has doubled"] * 14) + "."
    assert "style.too-long" in rules_of(long)
    assert rules_of("Quill said that lighthouse trade has doubled since 2025.") == []
    exact = "Quill said " + " ".join(["trade"] * (MAX_WORDS - 2)) + "."
    assert "style.too-long" not in rules_of(exact)


@pytest.mark.parametrize(
    "good",
    [
        "Ada Quill noted that the two towns have made a conscious choice to take the compact further.",
        "Quill added that lighthouse trade has doubled since 2025.",
        "Tan Weiming said that Bram Otterly had a point about the tariffs.",  # two people, once each
        "Quill said that Tan was right about the marsh.",  # a name after "that"
        "Otterly said that EU rules do not apply to the harbour.",  # an acronym after "that"
        "Otterly noted that Tan Weiming's maps show the marsh shrinking.",
        "Quill said the marsh is “the thing we cannot lose”.",  # first person inside quotes
        "Quill put it plainly: 'We'll keep the ferries running all winter.'",
        "The towns' fleets replied 'we can' to the board.",
        "Quill noted that the changes that we have seen in the harbour are real.",  # the general "we"
        "Otterly asked whether the subsidy would come before the herring season.",
        "Otterly asked that the subsidy be paid before the herring season.",  # a request
        "Tan said that could be a problem for the marsh towns.",  # "that" is the subject
        "The fishermen said they would need help before the season.",
        "However, the sea wall will not hold past 2040.",
        "So far, lighthouse trade has doubled.",
        "The two issues go hand-in-hand.",
        "Otterly argued that harbour tariffs are hurting fishermen.",  # a name the tagger reads as -ly
        "As the ferries stopped, the harbour emptied.",
        "The main worry as the harbour master was to keep the ferries running.",  # a mis-parsed "as"
        "Quill stated that Flying Start helps the youngest children in the towns.",  # a programme's name
    ],
)
def test_good_sentences_are_not_flagged(good: str) -> None:
    assert rules_of(good) == []


def test_but_at_a_paragraph_start_or_before_a_comma() -> None:
    assert "style.leading-connective" in rules_of("But the harbour is busy.")
    assert "style.leading-connective" in rules_of("But, the harbour is busy.", "Trade has doubled.")
    assert rules_of("But the harbour is busy.", "Trade has doubled since 2025.") == []


def test_they_finds_its_antecedent_in_the_sentence_before() -> None:
    alone = "Quill said that they had doubled trade since 2025."
    assert "style.dangling-pronoun" in rules_of(alone)
    assert rules_of(alone, "The two towns made a conscious choice to trade more.") == []
    assert rules_of(alone, "The council made a choice.") == []


def test_names_shared_by_two_people_are_told_apart() -> None:
    assert rules_of("Steve Davies agreed with Suzy Davies about the hubs.", names=WELSH) == []
    assert "style.name-twice" in rules_of("Steve Davies said that Steve Davies agreed.", names=WELSH)
    # someone else's name that shares a word is not a mention
    korea = ["Kim Sung-han", "Marc Knapper"]
    assert rules_of("Kim Sung-han said that Kim Jong-un wants sanctions relief.", names=korea) == []


def test_every_rule_id_is_documented_and_known() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "check.md").read_text(encoding="utf-8")
    for rule_id in RULES:
        assert f"`{rule_id}`" in doc, rule_id


# ---------------------------------------------------------------- the registered rule


def _sketch(*paragraphs: tuple[str, list[str]]) -> Sketch:
    return Sketch(paragraphs=[Paragraph([Sentence(t, who) for t in texts], who) for who, texts in paragraphs])


def test_the_rule_reports_warnings_with_locations(programme) -> None:
    sketch = _sketch(
        ("Ada Quill", ["Ada Quill noted that trade has doubled.", "Quill said that Quill was clear."]),
        ("Bram Otterly", ["They said the tariffs hurt."]),
    )
    found = run_checks(sketch, programme=programme, only=["style"])
    got = [(f.rule, f.severity, f.location.paragraph, f.location.sentence) for f in found]
    assert got == [
        ("style.name-twice", "warning", 0, 1),
        ("style.dangling-pronoun", "warning", 1, 0),
    ]
    assert all(f.suggestion for f in found)


def test_without_a_programme_the_block_names_are_used(sketch) -> None:
    sketch.paragraphs[0].sentences[1].text = "Quill added that Ada Quill doubled trade."
    found = run_checks(sketch, only=["style"])
    assert [(f.rule, f.location.sentence) for f in found] == [("style.name-twice", 1)]


def test_pronoun_context_stays_inside_a_paragraph(programme) -> None:
    sketch = _sketch(
        ("Ada Quill", ["The two towns made a conscious choice.", "Quill said that they trade more."]),
        ("Bram Otterly", ["Otterly said that they want a subsidy."]),
    )
    found = run_checks(sketch, programme=programme, only=["style"])
    assert [(f.rule, f.location.paragraph) for f in found] == [("style.dangling-pronoun", 1)]


# ---------------------------------------------------------------- negative controls


def _style_findings(path) -> tuple[int, list]:  # type: ignore[no-untyped-def]
    from sessionsketch.readers import read_sketch

    sketch = read_sketch(path)
    return len(sketch.sentences), run_checks(sketch, only=["style"], source=path)


def test_the_reference_sketch_is_clean(reference_txt) -> None:
    n, found = _style_findings(reference_txt)
    assert n == 42
    assert len(found) <= 2, [(f.rule, f.message) for f in found]


def test_the_exemplar_is_clean() -> None:
    path = SHARED / "exemplars" / "welsh-education-committee.md"
    if not path.exists():
        pytest.skip("../shared/exemplars is not present")
    n, found = _style_findings(path)
    assert n == 20
    assert len(found) <= 1, [(f.rule, f.message) for f in found]


# ---------------------------------------------------------------- bench/style.py's measures


def _bench_style():  # type: ignore[no-untyped-def]
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "style.py"
    spec = importlib.util.spec_from_file_location("bench_style", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_measures_name_led_sentences_and_balance(programme, transcript) -> None:
    bench = _bench_style()
    sketch = _sketch(
        (
            "Ada Quill",
            [
                "Ada Quill noted that the two towns have made a conscious choice.",  # name-led
                "On trade, Quill said that lighthouse trade has doubled.",  # topic-led
                "The ferry timetable now runs all winter.",  # plain
            ],
        ),
        ("Bram Otterly", ["Otterly also argued that harbour tariffs are hurting fishermen."]),  # name-led
        ("Tan Weiming", ["Tan warned that the sea wall will not hold past 2040."]),  # name-led
    )
    got = bench.measure(sketch, programme, transcript)
    assert got["sentences"] == 5 and got["speaker_sentences"] == 5
    assert got["name_led"] == 3
    assert got["findings"] == 0 and got["by_rule"] == {}
    shares = {b["speaker"]: (b["sketch"], b["transcript"]) for b in got["balance"]}
    assert set(shares) == {"Ada Quill", "Bram Otterly", "Tan Weiming"}  # the moderator is not reported
    assert sum(s for s, _ in shares.values()) == pytest.approx(100, abs=0.2)
    assert sum(t for _, t in shares.values()) == pytest.approx(100, abs=0.2)
    assert shares["Ada Quill"][0] > shares["Ada Quill"][1]  # three sentences for one turn
    overall = bench.summary([got])
    assert overall["name_led_pct"] == 60.0 and overall["per_100"] == 0.0
    assert overall["max_words"] == 12
