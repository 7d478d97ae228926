"""The support scorer reads what a turn does: asserts, asks, quotes, echoes, confirms (fictional panel)."""

from __future__ import annotations

import pytest

from sessionsketch.analysis import syntax
from sessionsketch.analysis.support import ASKS, ASSERTS, SUPPORTED, SupportScorer, affirms
from sessionsketch.checks import run_checks
from sessionsketch.model import Paragraph, Person, Sentence, Sketch, Transcript, Turn

CHAIR = Person("Orla Pennant", "Harbour Committee", role="moderator")
MEMBER = Person("Cato Wrenfield", "Harbour Committee")
MINISTER = Person("Ines Marrowby", "Ministry of Tides")
WARDEN = Person("Pell Ostrander", "Saltmarsh Trust")


def _hearing() -> Transcript:
    turns = [
        (CHAIR, "Welcome to the committee. Questions first from Cato Wrenfield."),
        (MEMBER, "Thank you. Do the new tide tables then apply to the northern harbours as well?"),
        (MINISTER, "Yes, they apply to the northern harbours and to every ferry slip on the estuary."),
        (MEMBER, "Will the lighthouse levy be scrapped next spring?"),
        (MINISTER, "Yes."),
        (MEMBER, "Okay."),
        (
            WARDEN,
            "The marsh is shrinking by two metres a year. Without new funding the sea wall "
            "will not hold past 2040.",
        ),
        (MEMBER, "Two metres a year."),
        (
            MEMBER,
            "You said earlier that the marsh is shrinking by two metres a year. "
            "How many volunteers does the trust have on the marsh today?",
        ),
        (WARDEN, "About forty volunteers walk the marsh every week, most of them retired pilots."),
    ]
    return Transcript(turns=[Turn(i, p.name, text, p) for i, (p, text) in enumerate(turns)])


@pytest.fixture(scope="module")
def scorer() -> SupportScorer:
    if not syntax.available():
        pytest.skip("the spaCy English model is not installed")
    return SupportScorer(_hearing())


def test_an_answer_is_the_answerer_s_not_the_questioner_s(scorer: SupportScorer) -> None:
    text = "Marrowby said that the new tide tables apply to the northern harbours."
    ranking = scorer.ranking(text)
    assert ranking[0][0] == MINISTER.name
    assert ranking[0][1].score >= SUPPORTED
    asked = scorer.support(text, MEMBER.name)
    assert asked.kind == "asks" and asked.turn == 1
    # the question shares nearly every word, yet counts for much less than the answer
    assert scorer.similarities(text).max() > 0.5
    assert asked.score < 0.6 * ranking[0][1].score


def test_yes_asserts_the_proposal_for_the_one_who_answered(scorer: SupportScorer) -> None:
    text = "Marrowby confirmed that the lighthouse levy will be scrapped next spring."
    got = scorer.support(text, MINISTER.name)
    assert got.kind == "confirms" and got.turn == 4 and scorer.quote(got) == "Yes."
    assert got.score >= SUPPORTED
    assert scorer.ranking(text)[0][0] == MINISTER.name
    assert scorer.support(text, MEMBER.name).kind == "asks"


def test_a_reported_question_is_supported_by_the_question(scorer: SupportScorer) -> None:
    text = "Wrenfield asked whether the lighthouse levy would be scrapped next spring."
    got = scorer.support(text, MEMBER.name)
    assert got.kind == "asks" and got.turn == 3 and got.score >= SUPPORTED
    assert scorer.ranking(text)[0][0] == MEMBER.name
    # the same words as a statement are the minister's (she said yes), not the member's
    stated = "Wrenfield said that the lighthouse levy will be scrapped next spring."
    assert scorer.support(stated, MEMBER.name).score < scorer.support(stated, MINISTER.name).score


def test_quotation_and_echo_do_not_assert(scorer: SupportScorer) -> None:
    assert scorer.kind(8, 0) == "quotes"  # "You said earlier that the marsh is shrinking …"
    assert scorer.kind(7, 0) == "echoes"  # "Two metres a year." after the warden's turn
    assert scorer.kind(6, 0) == "asserts"
    text = "Wrenfield noted that the marsh is shrinking by two metres a year."
    assert scorer.ranking(text)[0][0] == WARDEN.name
    assert scorer.support(text, MEMBER.name).score < 0.6 * scorer.support(text, WARDEN.name).score


def test_back_channels_support_nothing(scorer: SupportScorer) -> None:
    assert scorer.support("Wrenfield agreed.", MEMBER.name).score == 0.0
    assert affirms("Yes.") and affirms("That's right, they do.") and affirms("Absolutely")
    assert not affirms("Yesterday the levy was raised.") and not affirms("No, it will not.")


def test_the_questioner_clause_is_left_to_the_questioner(scorer: SupportScorer) -> None:
    claim = scorer.claim(
        "Asked by Wrenfield about volunteers, Ostrander said that forty walk the marsh every week."
    )
    assert "Asked" not in claim.text and "volunteers" not in claim.text
    assert "forty walk the marsh" in claim.text and not claim.asks
    both = scorer.claim("Wrenfield noted the marsh is shrinking and asked how many volunteers the trust has.")
    assert both.asks and both.weights[ASSERTS] == both.weights[ASKS] == 1.0  # either kind supports it
    only = scorer.claim("Wrenfield asked whether the lighthouse levy would be scrapped next spring.")
    assert only.asks and only.weights[ASKS] == 1.0 > only.weights[ASSERTS]


def test_the_check_flags_the_misattributed_answer_and_passes_the_right_one() -> None:
    if not syntax.available():
        pytest.skip("the spaCy English model is not installed")
    transcript = _hearing()
    right = "Marrowby said that the new tide tables apply to the northern harbours and every ferry slip."
    wrong = "Wrenfield said that the new tide tables apply to the northern harbours and every ferry slip."
    asked = "Wrenfield asked how many volunteers the trust has on the marsh today."
    sketch = Sketch(
        paragraphs=[
            Paragraph([Sentence(right, MINISTER.name)], MINISTER.name),
            Paragraph([Sentence(wrong, MEMBER.name)], MEMBER.name),
            Paragraph([Sentence(asked, MEMBER.name)], MEMBER.name),
            Paragraph([Sentence(asked.replace("Wrenfield", "Ostrander"), WARDEN.name)], WARDEN.name),
        ]
    )
    findings = run_checks(sketch, None, transcript, only=["support"])
    got = [(f.rule, f.location.paragraph) for f in findings]
    assert ("support.misattributed", 1) in got and ("support.misattributed", 3) in got
    assert not [g for g in got if g[1] in (0, 2)]
    message = next(f.message for f in findings if f.location.paragraph == 1)
    assert "Ines Marrowby said it" in message and "turn 2" in message


def test_a_paragraph_given_to_the_wrong_person_is_flagged_sentence_by_sentence() -> None:
    if not syntax.available():
        pytest.skip("the spaCy English model is not installed")
    transcript = _hearing()
    texts = [
        "Ostrander warned that the marsh is shrinking by two metres a year.",
        "The trust needs money for the wall.",  # loose: it shares little with the warden's turn
    ]
    right = Sketch(paragraphs=[Paragraph([Sentence(t, WARDEN.name) for t in texts], WARDEN.name)])
    assert run_checks(right, None, transcript, only=["support"]) == []
    wrong_texts = [t.replace("Ostrander", "Wrenfield") for t in texts]
    wrong = Sketch(paragraphs=[Paragraph([Sentence(t, MEMBER.name) for t in wrong_texts], MEMBER.name)])
    findings = run_checks(wrong, None, transcript, only=["support"])
    assert [(f.rule, f.location.sentence) for f in findings] == [
        ("support.misattributed", 0),
        ("support.misattributed", 1),
    ]
    assert "its paragraph rests on what Pell Ostrander said" in findings[1].message
    # alone, the loose sentence is only weakly anyone's: the sentence rule lets it pass
    alone = Sketch(paragraphs=[Paragraph([Sentence(wrong_texts[1], MEMBER.name)], MEMBER.name)])
    assert [f.rule for f in run_checks(alone, None, transcript, only=["support"])] == ["support.unsupported"]
