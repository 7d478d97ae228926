"""Rule ``editor`` (issue 29): a sentence read against its evidence and the sketch before it.

Every sentence and turn below is about the fictional panel of ``conftest.py`` or is plain
test prose: nobody's words.
"""

from __future__ import annotations

import pytest

from sessionsketch.analysis import syntax
from sessionsketch.checks import run_checks
from sessionsketch.checks.editor import RULES, SUGGESTIONS, copied_share, editor_problems, reply_problem
from sessionsketch.model import Evidence, Paragraph, Sentence, Sketch, Transcript, Turn

from ..conftest import EXAMPLES, SHARED
from .conftest import MODERATOR, OTTERLY, QUILL, TAN

pytestmark = pytest.mark.skipif(not syntax.available(), reason="no spaCy English model installed")

PANEL = ["Ivo Brandt", "Ada Quill", "Bram Otterly", "Tan Weiming", "Nell Farrow"]


def rules_of(text: str, previous: list[str] = (), evidence: list[str] = (), **kw) -> list[str]:  # type: ignore[assignment]
    return [r for r, _ in editor_problems(text, list(previous), list(evidence), names=PANEL, **kw)]


def test_every_rule_has_a_suggestion() -> None:
    assert set(SUGGESTIONS) == set(RULES)


# ---------------------------------------------------------------- verbatim

TURN = (
    "Well, what we have done over the last two years is to put the harbour compact in place across both towns, "
    "and we have made sure that every small boat that lands herring in the northern ports can apply for the "
    "subsidy scheme before the season opens in the spring."
)


def test_a_long_sentence_in_the_turns_own_words_is_verbatim() -> None:
    lifted = (
        "Quill said that what the towns have done over the last two years is to put the harbour compact in place "
        "across both towns, and they have made sure that every small boat that lands herring in the northern "
        "ports can apply for the subsidy scheme."
    )
    assert copied_share(lifted, [TURN]) > 0.8
    assert "editor.verbatim" in rules_of(lifted, evidence=[TURN])


def test_a_condensed_sentence_is_not_verbatim() -> None:
    condensed = (
        "Quill said the harbour compact now covers both towns and that herring boats in the north may apply "
        "for the subsidy before the season."
    )
    assert "editor.verbatim" not in rules_of(condensed, evidence=[TURN])


def test_a_short_lifted_sentence_is_not_verbatim() -> None:
    assert "editor.verbatim" not in rules_of(
        "Quill said the compact is in place across both towns.", evidence=[TURN]
    )


def test_a_quoted_first_person_sentence_is_verbatim() -> None:
    assert "editor.verbatim" in rules_of("Otterly said: “We need it before the herring season opens.”")
    assert "editor.verbatim" not in rules_of("Otterly called the tariffs “hurting fishermen in the north”.")


def test_please_belongs_to_speech() -> None:
    assert "editor.verbatim" in rules_of("Otterly asked whether the board could please publish the tariffs.")


# ---------------------------------------------------------------- fragments


@pytest.mark.parametrize(
    "text",
    [
        "Tan said that the ferry {disfmarker} runs all winter.",
        "Tan said that uh the ferry runs all winter.",
        "Tan said the ferry runs to the northern ports and.",
        "The board is building the resources needed to bring those into, in particular.",
        "Asked whether the ferry runs in winter, Tan replied that if that was rolled out across the board.",
        "Otterly is talking about the tariffs and that are still not paid in the north.",
        "Tan said that the button to man manipulate the display is small.",
        "In reply, Tan said that him talk broadly about the ferry.",
        # a word begun and abandoned, with no whole word after it to say it again
        "Without th further ado, Tan said the ferry runs all winter.",
        "Tan said the team will sort out what f what else the ferry needs.",
        "Tan said that o other ferries run all winter.",
        "Tan replied that the board has put in place many provisions Mr. Ivo Quill: Madam Chair Hon. Ada Tan: like free moorings.",
        "Tan said: “Th the ferry runs, w we checked.”",
    ],
)
def test_fragments(text: str) -> None:
    assert "editor.fragment" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Tan said that the ferry runs all winter.",
        "Quill said the towns had got the subsidy they asked for.",
        "Otterly asked whether the needs of small boats are catered for.",
        "There is nothing in the compact to worry about, Quill said.",
        "Quill said that if the tariffs rise, the boats will stay in port.",
        "Quill said the new newsletter is out.",
        "Quill would let her go.",
        # short words English has, and abbreviations in capitals
        "Quill said the ferry is ok and the TV in the UK lounge is on.",
    ],
)
def test_whole_clauses_are_no_fragments(text: str) -> None:
    assert "editor.fragment" not in rules_of(text)


# ---------------------------------------------------------------- referents


def test_a_demonstrative_needs_its_noun_earlier() -> None:
    text = "Quill said that the towns are actioning the recommendations of that review."
    assert "editor.referent" in rules_of(text, previous=["Quill described the harbour compact."])
    earlier = ["Quill described the review of the harbour compact."]
    assert "editor.referent" not in rules_of(text, previous=earlier)


def test_a_demonstrative_of_time_needs_nothing() -> None:
    assert "editor.referent" not in rules_of("Quill said that lighthouse trade doubled this year.")


def test_a_place_in_the_room() -> None:
    assert "editor.referent" in rules_of("Otterly said that here is an image of the new quay.")
    assert "editor.referent" not in rules_of("Otterly said that boats from Kelby moor there in winter.")


def test_an_ordinal_with_nothing_before() -> None:
    assert "editor.referent" in rules_of("Otterly said that the second is that the tariffs hurt fishermen.")


def test_a_demonstrative_pronoun_points_at_nothing() -> None:
    assert "editor.referent" in rules_of("Otterly said that is the end of that.")


def test_a_demonstrative_subject_takes_up_the_sentence_before() -> None:
    previous = ["Quill said the two towns will merge their harbour boards."]
    assert "editor.referent" not in rules_of("That is where the savings begin.", previous=previous)
    found = [
        r for r, _ in editor_problems("That is where the savings begin.", previous, [], paragraph_start=True)
    ]
    assert "editor.referent" in found
    assert "editor.referent" not in rules_of("In this sense, the compact is a merger.", previous=previous)


def test_them_meant_something_else_in_the_turn() -> None:
    turn = "Herring crews have told us about the tariffs. The board will keep working with them."
    text = "Otterly said the board will keep working with them."
    span = turn.index("The board")
    found = rules_of(
        text, previous=["Quill said single parents need help."], evidence=[turn[span:]], before=turn[:span]
    )
    assert "editor.referent" in found
    ok = rules_of(
        text, previous=["Quill said herring crews need help."], evidence=[turn[span:]], before=turn[:span]
    )
    assert "editor.referent" not in ok


def test_an_institution_for_a_generic_we() -> None:
    turn = "If we look at the figures for the northern ports, we see a different trend."
    text = (
        "Tan said that if the board looks at the figures for the northern ports, it sees a different trend."
    )
    assert "editor.referent" in rules_of(text, evidence=[turn])


# ---------------------------------------------------------------- meaning


def test_negation_lost() -> None:
    turn = "The board will not publish the tariffs for small boats this spring."
    assert "editor.meaning" in rules_of(
        "Otterly said the board will publish the tariffs for small boats.", evidence=[turn]
    )
    kept = "Otterly said the board will not publish the tariffs for small boats."
    assert "editor.meaning" not in rules_of(kept, evidence=[turn])


def test_negation_above_the_verb_counts() -> None:
    turn = "I'm not in a position to give a date for the new ferry timetable."
    assert "editor.meaning" not in rules_of(
        "Tan could give no date for the new ferry timetable.", evidence=[turn]
    )


def test_hypothetical_as_fact() -> None:
    turn = "If the subsidy came through, the crews would buy new nets for the small boats."
    assert "editor.meaning" in rules_of(
        "Otterly said the crews buy new nets for the small boats.", evidence=[turn]
    )
    kept = "Otterly said the crews would buy new nets for the small boats if the subsidy came through."
    assert "editor.meaning" not in rules_of(kept, evidence=[turn])


def test_past_belief_as_fact() -> None:
    turn = "I thought I knew a lot about harbour tariffs, and it turns out I know nothing."
    assert "editor.meaning" in rules_of("Quill knew a lot about harbour tariffs.", evidence=[turn])


def test_question_as_claim() -> None:
    turn = "Will the board publish the tariffs before the herring season?"
    assert "editor.meaning" in rules_of("Otterly said the board will publish the tariffs.", evidence=[turn])
    asked = "Otterly asked whether the board will publish the tariffs before the herring season."
    assert "editor.meaning" not in rules_of(asked, evidence=[turn])


def test_qualification_dropped() -> None:
    turn = "The reserves look large, but all of them are restricted to the new quay."
    span = "The reserves look large"
    found = rules_of("Quill said the reserves look large.", evidence=[span], after=turn[len(span) :])
    assert "editor.qualification" in found
    assert "editor.qualification" not in rules_of(
        "Quill said the reserves look large.", evidence=[span], after="."
    )


def test_someone_elses_words_reported_as_the_speakers() -> None:
    turn = "Let me quote the harbour master. Ivy Dunn said, I think this is vital. Not every boat needs the subsidy."
    span = "Not every boat needs the subsidy"
    text = "Quill argued that not every boat needs the subsidy."
    found = rules_of(text, evidence=[span], before=turn[: turn.index(span)])
    assert "editor.meaning" in found
    own = "As we have said, not every boat needs the subsidy."
    assert "editor.meaning" not in rules_of(text, evidence=[span], before=own[: own.index("not")])


# ---------------------------------------------------------------- replies


def _exchange() -> Transcript:
    return Transcript(
        turns=[
            Turn(0, "Ivo Brandt", "Will the ferry timetable run all winter?", MODERATOR),
            Turn(1, "Tan Weiming", "Yes, the ferry runs all winter, every day.", TAN),
            Turn(
                2,
                "Bram Otterly",
                "And when will the board publish the harbour tariffs for small boats?",
                OTTERLY,
            ),
            Turn(
                3,
                "Tan Weiming",
                "The tariffs will be published in the spring, before the herring season.",
                TAN,
            ),
            Turn(4, "Ivo Brandt", "Will the ferry timetable really run all winter, then?", MODERATOR),
            Turn(5, "Tan Weiming", "Every day of the winter, yes.", TAN),
        ]
    )


def test_reply_problem() -> None:
    t = _exchange()
    assert reply_problem(t, [0], [1], "Tan Weiming") is None
    assert "turn 2" in (reply_problem(t, [0], [3], "Tan Weiming") or "")
    assert "before the question" in (reply_problem(t, [2], [1], "Tan Weiming") or "")
    # the same member pressing the same question
    assert reply_problem(t, [0], [5], "Tan Weiming") is None


def test_misplaced_reply_in_a_sketch(programme) -> None:  # type: ignore[no-untyped-def]
    t = _exchange()
    question = Sentence(
        "Ivo Brandt asked whether the ferry timetable will run all winter.",
        "Ivo Brandt",
        [Evidence(0, 0, 41)],
    )
    wrong = Sentence(
        "Tan replied that the tariffs will be published in the spring.", "Tan Weiming", [Evidence(3, 0, 71)]
    )
    right = Sentence("Tan replied that the ferry runs all winter.", "Tan Weiming", [Evidence(1, 0, 42)])
    for answer, expected in ((wrong, True), (right, False)):
        sketch = Sketch(paragraphs=[Paragraph([question, answer])])
        found = [
            f for f in run_checks(sketch, programme, t, only=["editor"]) if f.rule == "editor.misplaced-reply"
        ]
        assert bool(found) is expected
        if found:
            assert found[0].location.sentence == 1
            assert "turn 2" in found[0].message and found[0].suggestion
    # a paragraph that opens right after another's closing question reads as its answer too
    for answer, expected in ((wrong, True), (right, False)):
        sketch = Sketch(paragraphs=[Paragraph([question]), Paragraph([answer])])
        found = [
            f for f in run_checks(sketch, programme, t, only=["editor"]) if f.rule == "editor.misplaced-reply"
        ]
        assert bool(found) is expected
        if found:
            assert (found[0].location.paragraph, found[0].location.sentence) == (1, 0)
    # … but not after a paragraph that closes on a statement
    statement = Sentence(
        "Ivo Brandt said that the ferry matters to the islands.", "Ivo Brandt", [Evidence(0, 0, 41)]
    )
    sketch = Sketch(paragraphs=[Paragraph([question, statement]), Paragraph([wrong])])
    assert not [
        f for f in run_checks(sketch, programme, t, only=["editor"]) if f.rule == "editor.misplaced-reply"
    ]


def test_in_reply_is_a_reply_even_to_the_same_member(programme) -> None:  # type: ignore[no-untyped-def]
    t = _exchange()
    t.turns += [
        Turn(6, "Ivo Brandt", "And will the board cut the harbour fees for ferries next year?", MODERATOR),
        Turn(7, "Tan Weiming", "The harbour fees will be cut by a tenth next year.", TAN),
    ]
    question = Sentence(
        "Ivo Brandt asked whether the ferry timetable will run all winter.",
        "Ivo Brandt",
        [Evidence(4, 0, 52)],
    )
    for text, expected in (
        ("In reply, Tan said that the harbour fees will be cut by a tenth.", True),
        ("Tan said that the harbour fees will be cut by a tenth.", False),  # one member's exchange, condensed
    ):
        answer = Sentence(text, "Tan Weiming", [Evidence(7, 0, 50)])
        sketch = Sketch(paragraphs=[Paragraph([question, answer])])
        found = [
            f for f in run_checks(sketch, programme, t, only=["editor"]) if f.rule == "editor.misplaced-reply"
        ]
        assert bool(found) is expected, text


def test_the_registered_rule_names_the_turn(programme, transcript) -> None:  # type: ignore[no-untyped-def]
    turn = transcript.turns[2]
    s = Sentence("Otterly said that is the end of that.", "Bram Otterly", [Evidence(2, 0, len(turn.text))])
    found = run_checks(
        Sketch(paragraphs=[Paragraph([s], "Bram Otterly")]), programme, transcript, only=["editor"]
    )
    assert found and all(f.severity == "warning" for f in found)
    assert any("(turn 2)" in f.message for f in found)


def test_plain_sentences_pass(programme, transcript) -> None:  # type: ignore[no-untyped-def]
    sketch = Sketch(
        paragraphs=[
            Paragraph(
                [
                    Sentence("Quill said lighthouse trade has doubled since 2025.", "Ada Quill"),
                    Sentence("The ferry timetable now runs all winter.", "Ada Quill"),
                ],
                "Ada Quill",
            ),
            Paragraph(
                [
                    Sentence(
                        "Otterly warned that harbour tariffs are hurting fishermen in the north.",
                        "Bram Otterly",
                    )
                ]
            ),
        ]
    )
    assert run_checks(sketch, programme, transcript, only=["editor"]) == []


# ---------------------------------------------------------------- negative controls


def test_the_reference_sketch_draws_no_editor_finding(reference_txt) -> None:  # type: ignore[no-untyped-def]
    from sessionsketch.readers import read_sketch

    found = run_checks(read_sketch(reference_txt), only=["editor"], source=reference_txt)
    assert found == [], [(f.rule, f.message) for f in found]


def test_the_exemplar_with_its_evidence_draws_none() -> None:
    """The hand-written exemplar, each sentence with the whole turns its evidence file names."""
    import json

    from sessionsketch.pipeline import read_transcript
    from sessionsketch.readers import read_sketch
    from sessionsketch.readers.programme import load_programme

    path = SHARED / "exemplars" / "welsh-education-committee.md"
    if not path.exists():
        pytest.skip("../shared/exemplars is not present")
    programme = load_programme(EXAMPLES / "welsh-education-committee" / "programme.yaml")
    transcript = read_transcript(EXAMPLES / "welsh-education-committee" / "transcript.json", programme)
    by_index = {t.index: t for t in transcript.turns}
    evidence = json.loads(path.with_suffix(".evidence.json").read_text(encoding="utf-8"))
    turns = {e["text"]: e["turns"] for e in evidence}
    sketch = read_sketch(path)
    for sent in sketch.sentences:
        sent.evidence = [Evidence(i, 0, len(by_index[i].text)) for i in turns.get(sent.text, [])]
    assert sum(bool(s.evidence) for s in sketch.sentences) == 20
    found = run_checks(sketch, programme, transcript, only=["editor"])
    assert found == [], [(f.rule, f.message) for f in found]


# ---------------------------------------------------------------- bench/check.py's editor case


def _bench_check():  # type: ignore[no-untyped-def]
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "check.py"
    spec = importlib.util.spec_from_file_location("bench_check", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_check"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_editor_case_on_the_graded_drafts() -> None:
    """The round-1 audit meets the issue's bars; the held-out round 2 its BAD bar (see docs/check.md)."""
    if not (SHARED / "qmsum" / "committee" / "val" / "covid_6.json").exists():
        pytest.skip("../shared/qmsum is not present")
    bench = _bench_check()
    graded = bench.bench_editor(bench.EDITOR)
    assert set(graded) >= {"r1", "r2"}
    r1 = bench.editor_table(graded["r1"])["overall"]
    assert r1["bad_share"] >= 0.5 and r1["misrepresentation_share"] >= 0.8 and r1["publishable_share"] <= 0.1
    r2 = bench.editor_table(graded["r2"])["overall"]
    assert r2["bad_share"] >= 0.5


def test_the_editor_case_reads_labels_and_skips_missing_transcripts(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    bench = _bench_check()
    sketch = Sketch(paragraphs=[Paragraph([Sentence("Quill said the ferry runs all winter.", "Ada Quill")])])
    (tmp_path / "s.json").write_text(json.dumps(sketch.to_dict()), encoding="utf-8")
    (tmp_path / "key.json").write_text(json.dumps({"S1": "s.json"}), encoding="utf-8")
    (tmp_path / "labels.tsv").write_text("sketch\tn\tlabel\ttags\twords\tnote\nS1\t1\tBAD\treferent\t7\tx\n")
    (tmp_path / "sources.json").write_text(json.dumps({"s": {"transcript": "no/such/meeting.json"}}))
    assert bench.bench_editor(tmp_path) == {tmp_path.name: []}
    assert "skipped: transcript absent" in capsys.readouterr().out


# ---------------------------------------------------------------- the rules check runs and the gate does not

LONG_TURN = (
    "The harbour board has spent the last two winters rebuilding the northern quay so that the ferries can "
    "land in any weather, and the small boats that fish for herring out of both towns now have a sheltered "
    "berth where they can unload their catch before the morning market opens in the square."
)


def _one(text: str, evidence: Evidence, speaker: str, transcript: Transcript, programme) -> list[str]:  # type: ignore[no-untyped-def]
    sketch = Sketch(paragraphs=[Paragraph([Sentence(text, speaker, [evidence])], speaker)])
    return [f.rule for f in run_checks(sketch, programme, transcript, only=["editor"])]


def test_a_long_trimmed_turn_is_lengthy(programme) -> None:  # type: ignore[no-untyped-def]
    t = Transcript(turns=[Turn(0, "Tan Weiming", LONG_TURN, TAN)])
    span = Evidence(0, 0, len(LONG_TURN))
    trimmed = (
        "Tan told the panel that over two winters the board rebuilt the northern quay so that the ferries can "
        "land in any weather, and he added that herring boats in both towns now have a sheltered berth where "
        "they can unload their catch early, a change the crews had long sought."
    )
    assert copied_share(trimmed, [LONG_TURN]) < 0.75  # not editor.verbatim's
    found = _one(trimmed, span, "Tan Weiming", t, programme)
    assert "editor.lengthy" in found and "editor.verbatim" not in found
    condensed = (
        "Tan said the northern quay, rebuilt over two winters, now lets ferries land in any weather and gives "
        "the herring boats of both towns a sheltered berth to unload before market, which the fishermen had "
        "asked the board for since the storms."
    )
    assert "editor.lengthy" not in _one(condensed, span, "Tan Weiming", t, programme)
    short = "Tan said the northern quay was rebuilt so that the ferries can land in any weather."
    assert "editor.lengthy" not in _one(short, span, "Tan Weiming", t, programme)


def test_lengthy_is_not_a_gate_rule() -> None:
    trimmed = (
        "Tan told the panel that over two winters the board rebuilt the northern quay so that the ferries can "
        "land in any weather, and he added that herring boats in both towns now have a sheltered berth where "
        "they can unload their catch early, a change the crews had long sought."
    )
    assert "editor.lengthy" not in rules_of(trimmed, evidence=[LONG_TURN])


def _preamble_then_question(last: str) -> Transcript:
    return Transcript(
        turns=[
            Turn(
                0,
                "Bram Otterly",
                "Harbour tariffs for small boats have doubled since the spring, and many crews cannot pay them. "
                + last,
                OTTERLY,
            ),
            Turn(1, "Tan Weiming", "The board will review the tariffs in the autumn.", TAN),
        ]
    )


def test_a_question_reported_as_its_preamble(programme) -> None:  # type: ignore[no-untyped-def]
    t = _preamble_then_question("Will the board cut the tariffs before the herring season?")
    span = Evidence(0, 0, t.turns[0].text.index(" Will"))
    claim = "Otterly said that harbour tariffs for small boats have doubled since the spring."
    assert "editor.question-dropped" in _one(claim, span, "Bram Otterly", t, programme)
    # the question reported too, from the same turn: nothing is lost
    asked = Sentence(
        "He asked whether the board will cut the tariffs before the herring season.",
        "Bram Otterly",
        [Evidence(0, span.end + 1, len(t.turns[0].text))],
    )
    sketch = Sketch(paragraphs=[Paragraph([Sentence(claim, "Bram Otterly", [span]), asked], "Bram Otterly")])
    assert "editor.question-dropped" not in [
        f.rule for f in run_checks(sketch, programme, t, only=["editor"])
    ]
    # a tag question asks nothing
    tag = _preamble_then_question("That is the heart of it, isn't it?")
    assert "editor.question-dropped" not in _one(claim, span, "Bram Otterly", tag, programme)
    # the answerer's statement from a turn that asks back is not a member's preamble
    assert "editor.question-dropped" not in _one(claim, span, "Tan Weiming", t, programme)


def test_a_reply_to_the_same_members_later_question(programme) -> None:  # type: ignore[no-untyped-def]
    """Placed right after a member's question, a reply to the same member's question asked once
    the exchange went on (``FOLLOW_UP_TURNS``) is misplaced; a follow-up right after one answer
    is the same exchange, condensed (``test_in_reply_is_a_reply_even_to_the_same_member``)."""
    t = Transcript(
        turns=[
            Turn(0, "Ivo Brandt", "Will the ferry timetable run all winter?", MODERATOR),
            Turn(1, "Tan Weiming", "Yes, the ferry runs all winter, every day.", TAN),
            Turn(2, "Ada Quill", "The islanders have asked for that for years.", QUILL),
            Turn(
                3, "Ivo Brandt", "And will the board cut the harbour fees for ferries next year?", MODERATOR
            ),
            Turn(4, "Tan Weiming", "The harbour fees will be cut by a tenth next year.", TAN),
        ]
    )
    question = Sentence(
        "Ivo Brandt asked whether the ferry timetable will run all winter.",
        "Ivo Brandt",
        [Evidence(0, 0, 41)],
    )
    answer = Sentence(
        "Tan said that the harbour fees will be cut by a tenth.", "Tan Weiming", [Evidence(4, 0, 50)]
    )
    sketch = Sketch(paragraphs=[Paragraph([question, answer])])
    found = [
        f for f in run_checks(sketch, programme, t, only=["editor"]) if f.rule == "editor.misplaced-reply"
    ]
    assert found and "turn 3" in found[0].message


@pytest.mark.parametrize(
    ("text", "inverted"),
    [
        ("Otterly asked what has been the board's role in the harbour compact.", True),
        ("Otterly asked what work has Tan done with the ferry crews.", True),
        ("Otterly asked what support is there for the herring fleet.", True),
        ("Otterly asked to what extent are the tariffs being cut.", True),
        ("Otterly asked when will the board publish the tariffs.", True),
        ("Otterly asked what the board's role in the harbour compact has been.", False),
        ("Otterly asked what work Tan has done with the ferry crews.", False),
        ("Otterly asked what support there is for the herring fleet.", False),
        ("Otterly asked what arrangements are in place for the ferry.", False),
        ("Otterly asked who is responsible for the harbour.", False),
        ("Otterly asked when the board will publish the tariffs.", False),
        ("Otterly asked whether the board will publish the tariffs.", False),
    ],
)
def test_a_reported_question_in_the_spoken_order(programme, text: str, inverted: bool) -> None:  # type: ignore[no-untyped-def]
    sketch = Sketch(paragraphs=[Paragraph([Sentence(text, "Bram Otterly")], "Bram Otterly")])
    found = [
        f for f in run_checks(sketch, programme, None, only=["editor"]) if f.rule == "editor.question-order"
    ]
    assert bool(found) is inverted, text
    if found:
        assert found[0].suggestion and "order" in found[0].message
    # the same rule in the per-sentence rules the draft engine's gate runs (since 427a6bd)
    assert ("editor.question-order" in rules_of(text)) is inverted, text


def test_the_editor_table_parts_the_gate_from_check_only_rules() -> None:
    bench = _bench_check()
    g = bench.Graded
    graded = [
        g("r", "S1", 1, "BAD", frozenset(), "a", {"editor.referent"}),
        g("r", "S1", 2, "BAD", frozenset({"misrepresentation"}), "b", {"editor.misplaced-reply"}),
        g("r", "S1", 3, "PUBLISHABLE", frozenset(), "c", {"editor.lengthy"}),
        g("r", "S1", 4, "PUBLISHABLE", frozenset(), "d", set()),
    ]
    table = bench.editor_table(graded)
    assert table["editor.* in the gate"]["bad"] == 1 and table["editor.* in the gate"]["publishable"] == 0
    assert table["editor.* check only"]["bad"] == 1 and table["editor.* check only"]["misrepresentation"] == 1
    assert table["editor.* check only"]["publishable_share"] == 0.5
    assert table["editor.* together"]["bad_share"] == 1.0
