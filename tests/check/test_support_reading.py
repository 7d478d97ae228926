"""What the support scorer reads in a turn beyond its words (fictional panel): a yes to a
statement, a question announced, what "you" do, a point credited to another, "not", and
when the words cannot tell two speakers apart."""

from __future__ import annotations

import pytest

from sessionsketch.analysis import syntax
from sessionsketch.analysis.support import ASKS, ASSERTS, QUOTES, SupportScorer, sentence_kind
from sessionsketch.checks import run_checks
from sessionsketch.model import Paragraph, Person, Sentence, Sketch, Transcript, Turn

CHAIR = Person("Orla Pennant", "Harbour Committee", role="moderator")
MEMBER = Person("Cato Wrenfield", "Harbour Committee")
MINISTER = Person("Ines Marrowby", "Ministry of Tides")


@pytest.fixture(autouse=True)
def _parser() -> None:
    if not syntax.available():
        pytest.skip("the spaCy English model is not installed")


def _kind(text: str, asking_turn: bool = False) -> int:
    return sentence_kind(syntax.parse(text), asking_turn)


@pytest.mark.parametrize(
    "text",
    [
        "My question is for the Minister for Tides.",
        "We're going to go on now to some questions about the ferries from Cato Wrenfield.",
        "There are some questions from Cato on the lighthouse levy.",
    ],
)
def test_a_question_announced_asks(text: str) -> None:
    assert _kind(text) == ASKS


@pytest.mark.parametrize(
    "text",
    [
        "I hope you're making adjustments to the levy.",
        "But you're not piloting the scheme in any of the northern harbours.",
        "So, the tide tables are changing in the north, but not in the south, you think.",
        "I think the point that Cato's making is that some harbours have more ferries anyway.",
    ],
)
def test_what_the_one_addressed_does_or_thinks_is_put_to_them(text: str) -> None:
    assert _kind(text, asking_turn=True) == QUOTES


@pytest.mark.parametrize(
    "text", ["You have to look at the whole estuary.", "You can see the figures in the report."]
)
def test_the_impersonal_you_asserts(text: str) -> None:
    assert _kind(text, asking_turn=True) == ASSERTS


def _hearing() -> Transcript:
    turns = [
        (CHAIR, "Welcome. Questions first from Cato Wrenfield."),
        (MINISTER, "First of all, I want to pay tribute to the work that the harbour pilots do."),
        (MEMBER, "Yes, absolutely."),
        (MEMBER, "It's not all about the ferry timetable. How will the levy be spent?"),
        (MINISTER, "Yes. As Cato said, it's not all about the ferry timetable."),
        (MINISTER, "The levy will pay for dredging the northern channel and for two new buoys."),
        (MEMBER, "So the northern channel is a problem for us, is it not?"),
        (MINISTER, "The slipways are not waiting for the levy; repairs start in June."),
        (MEMBER, "The crews are waiting for the new buoys."),
    ]
    return Transcript(turns=[Turn(i, p.name, text, p) for i, (p, text) in enumerate(turns)])


@pytest.fixture(scope="module")
def scorer() -> SupportScorer:
    if not syntax.available():
        pytest.skip("the spaCy English model is not installed")
    return SupportScorer(_hearing())


def test_a_yes_to_a_statement_only_agrees(scorer: SupportScorer) -> None:
    text = "Marrowby paid tribute to the work that the harbour pilots do."
    said = scorer.support(text, MINISTER.name)
    agreed = scorer.support(text, MEMBER.name)
    assert agreed.kind == "agrees" and agreed.turn == 2
    assert agreed.score <= 0.5 * said.score + 1e-9


def test_an_echo_that_credits_the_other_is_the_speaker_s_own(scorer: SupportScorer) -> None:
    text = "Marrowby said that it is not all about the ferry timetable."
    said = scorer.support(text, MINISTER.name)
    assert said.kind == "asserts"
    # the member said it first, as the premise of a question the minister's answer takes
    # up: the premise counts 0.7 (PREMISE), and the check gives it to neither alone
    premise = scorer.support(text, MEMBER.name)
    assert premise.kind == "leads" and premise.score == pytest.approx(0.7 * said.score)
    assert "support.misattributed" not in _flagged(scorer, text, MEMBER.name)
    assert "support.misattributed" not in _flagged(scorer, text, MINISTER.name)


def test_a_sentence_that_says_not_leans_on_a_span_that_says_it(scorer: SupportScorer) -> None:
    text = "Marrowby said that the slipways are not waiting for the levy."
    ranking = scorer.ranking(text)
    assert ranking[0][0] == MINISTER.name
    assert scorer.support(text, MEMBER.name).score < 0.75 * ranking[0][1].score


def _flagged(scorer: SupportScorer, text: str, speaker: str) -> list[str]:
    sketch = Sketch(paragraphs=[Paragraph([Sentence(text, speaker)], speaker)])
    return [f.rule for f in run_checks(sketch, None, scorer.transcript, only=["support"])]


def test_one_shared_word_is_no_sign_of_who_said_it(scorer: SupportScorer) -> None:
    # the member's "a problem for us" shares one word with a sentence the minister never said
    text = "Marrowby believed that with adequate funding the harbour would have little problem."
    assert "support.misattributed" not in _flagged(scorer, text, MINISTER.name)


def test_the_answer_under_the_member_is_still_caught(scorer: SupportScorer) -> None:
    text = "Wrenfield said that the levy will pay for dredging the northern channel and for new buoys."
    assert "support.misattributed" in _flagged(scorer, text, MEMBER.name)
    assert "support.misattributed" not in _flagged(scorer, text, MINISTER.name)
