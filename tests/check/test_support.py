"""The support scorer: reported speech against first-person turns (fictional panel)."""

from __future__ import annotations

from sessionsketch.analysis.support import SUPPORTED, Support, SupportScorer
from sessionsketch.model import Person, Transcript, Turn

QUILL = Person("Ada Quill", "Harbour Institute")
OTTERLY = Person("Bram Otterly", "Northern Fisheries Board")


def _panel() -> Transcript:
    return Transcript(
        turns=[
            Turn(0, "Ada Quill", "Thank you. Good afternoon everyone.", QUILL),
            Turn(
                1,
                "Bram Otterly",
                "Frankly, the harbour tariffs are hurting fishermen in the north. "
                "We need a subsidy scheme for small boats.",
                OTTERLY,
            ),
            Turn(
                2,
                "Ada Quill",
                "I think our two countries have made a conscious choice to take the alliance "
                "to the next level. Trade in lighthouses has doubled since 2015.",
                QUILL,
            ),
        ]
    )


def test_reported_speech_is_supported_by_first_person_turn() -> None:
    scorer = SupportScorer(_panel())
    text = "Quill noted that the two countries have made a conscious choice to take the alliance to the next level."
    got = scorer.support(text, "Ada Quill")
    assert got.score >= SUPPORTED
    assert got.turn == 2
    assert scorer.quote(got).startswith("I think our two countries")
    assert scorer.support(text, "Bram Otterly").score < SUPPORTED


def test_ranking_puts_the_real_speaker_first_for_a_paraphrase() -> None:
    scorer = SupportScorer(_panel())
    text = "Otterly argued that harbour tariffs hurt northern fishermen and called for subsidies for small boats."
    ranking = scorer.ranking(text)
    assert [name for name, _ in ranking] == ["Bram Otterly", "Ada Quill"]
    assert ranking[0][1].score >= SUPPORTED > ranking[1][1].score


def test_unrelated_sentence_is_not_supported() -> None:
    scorer = SupportScorer(_panel())
    for name, sup in scorer.ranking("He said the weather in the mountains was pleasant in spring."):
        assert sup.score < SUPPORTED, name


def test_unknown_speaker_and_empty_transcript() -> None:
    assert SupportScorer(_panel()).support("anything at all", "Nobody Here") == Support(0.0, None, 0, 0)
    empty = SupportScorer(Transcript())
    assert empty.ranking("Quill noted trade doubled.") == []
    assert empty.support("Quill noted trade doubled.", "Ada Quill").turn is None


def test_scorer_is_reused_for_the_same_turns_only() -> None:
    from sessionsketch.analysis.support import scorer_for

    first = scorer_for(_panel())
    assert scorer_for(_panel()) is first
    changed = _panel()
    changed.turns[1].text += " And the quay needs dredging."
    assert scorer_for(changed) is not first
