"""A question's premise (fictional panel): what a member says in leading up to the question
that ends their turn is theirs, unless the answer to it says it too; then it is the answer's."""

from __future__ import annotations

import pytest

from sessionsketch.analysis import syntax
from sessionsketch.analysis.support import PREMISE, SupportScorer
from sessionsketch.checks import run_checks
from sessionsketch.model import Paragraph, Person, Sentence, Sketch, Transcript, Turn

CHAIR = Person("Orla Pennant", "Harbour Committee", role="moderator")
MEMBER = Person("Cato Wrenfield", "Harbour Committee")
MINISTER = Person("Ines Marrowby", "Ministry of Tides")


def _hearing() -> Transcript:
    turns = [
        (CHAIR, "Welcome. Questions first from Cato Wrenfield."),
        (
            MEMBER,
            "Chair, the lantern makers of the estuary tell me they are ineligible for the repair grant. "
            "The lantern makers have been let down by the ministry. Can the ministry confirm it will fix this?",
        ),
        (CHAIR, "The Minister for Tides."),
        (
            MINISTER,
            "I thank the member for the question. We have shown before that we are flexible in helping "
            "the lantern trade, and we will go on helping it through the winter.",
        ),
        (
            MEMBER,
            "The ferry crews on the northern routes have worked without a pay rise for six years. "
            "Will the ministry meet their union?",
        ),
        (MINISTER, "The ministry meets every union on the estuary once a quarter."),
        (
            MINISTER,
            "The dredgers are idle in August. Why? Because the silt settles in the summer months.",
        ),
    ]
    return Transcript(turns=[Turn(i, p.name, text, p) for i, (p, text) in enumerate(turns)])


@pytest.fixture(scope="module")
def scorer() -> SupportScorer:
    if not syntax.available():
        pytest.skip("the spaCy English model is not installed")
    return SupportScorer(_hearing())


def _flagged(scorer: SupportScorer, text: str, speaker: str) -> list[str]:
    sketch = Sketch(paragraphs=[Paragraph([Sentence(text, speaker)], speaker)])
    return [f.rule for f in run_checks(sketch, None, scorer.transcript, only=["support"])]


def test_the_answer_given_to_the_member_whose_premise_shares_its_words_is_caught(
    scorer: SupportScorer,
) -> None:
    # the member's "The lantern makers have been let down" shares the topic with the
    # answer; the answer (a chair's call between) says what the sentence says
    text = (
        "Wrenfield said that the ministry has been flexible with the lantern makers "
        "and will go on helping them through the winter."
    )
    premise = scorer.support(text, MEMBER.name)
    assert premise.kind == "leads" and premise.turn == 1
    answer = scorer.support(text, MINISTER.name)
    assert answer.kind == "asserts" and answer.turn == 3
    # by words alone the premise is close enough to the answer to pass as the member's
    words = scorer.similarities(text)[scorer._by_speaker[MEMBER.name]].max()
    assert words > 0.6 * answer.score
    assert premise.score == pytest.approx(PREMISE * words, abs=1e-3)
    assert "support.misattributed" in _flagged(scorer, text, MEMBER.name)
    right = text.replace("Wrenfield", "Marrowby")
    assert "support.misattributed" not in _flagged(scorer, right, MINISTER.name)


def test_a_premise_the_answer_does_not_take_up_is_the_member_s_own(scorer: SupportScorer) -> None:
    text = (
        "Wrenfield said that the ferry crews on the northern routes have gone six years without a pay rise."
    )
    got = scorer.support(text, MEMBER.name)
    assert got.kind == "leads" and got.turn == 4
    # the answer ("meets every union") does not say it: the premise counts in full
    assert got.score == pytest.approx(
        scorer.similarities(text)[scorer._by_speaker[MEMBER.name]].max(), abs=1e-4
    )
    assert _flagged(scorer, text, MEMBER.name) == []
    assert "support.misattributed" in _flagged(scorer, text.replace("Wrenfield", "Marrowby"), MINISTER.name)


def test_a_question_asked_and_answered_inside_a_turn_leaves_its_statements_asserting(
    scorer: SupportScorer,
) -> None:
    # the turn does not end with the question: "Why?" is rhetorical, not put to anyone
    text = "Marrowby said that the dredgers are idle in August."
    assert scorer.support(text, MINISTER.name).kind == "asserts"
