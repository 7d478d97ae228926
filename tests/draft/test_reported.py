"""Direct speech into reported speech."""

from __future__ import annotations

import pytest

from sessionsketch.engines.reported import FIRST_PERSON_RE, referent_for, report, strip_frames

NO_PRONOUN = referent_for("Okafor")
SHE = referent_for("Okafor", "she")
GOVERNMENT = referent_for("Okafor", None, "the government")


@pytest.mark.parametrize(
    ("said", "verb", "clause"),
    [
        ("I think we should engage him.", "argued", "that they should engage him"),
        ("I am worried that the funds will run out.", "warned", "that the funds would run out"),
        ("We don't have the data yet.", "said", "that they did not have the data yet"),
        ("So, the pipes are old.", "said", "that the pipes were old"),
        ("Mr. Chair, 40 towns can share one engineer.", "noted", "that 40 towns could share one engineer"),
        ("I would suggest that towns pool contracts.", "suggested", "that towns pool contracts"),
    ],
)
def test_statements(said: str, verb: str, clause: str) -> None:
    rep = report(said, NO_PRONOUN)
    assert rep is not None
    assert (rep.verb, rep.clause) == (verb, clause)


def test_first_person_becomes_the_family_name_without_pronouns() -> None:
    rep = report("My students built a map and I published it.", NO_PRONOUN)
    assert rep is not None
    assert rep.clause == "that Okafor’s students built a map and Okafor published it"


def test_pronoun_only_when_given() -> None:
    rep = report("I know my town.", SHE)
    assert rep is not None and "she knows her town" in rep.clause


def test_we_is_the_government_for_ministers_with_agreement() -> None:
    rep = report("We have increased the threshold and we are listening.", GOVERNMENT)
    assert rep is not None
    assert rep.clause == "that the government had increased the threshold and the government was listening"


def test_yes_no_question_becomes_asked_whether() -> None:
    rep = report("Will the minister commit to releasing the report?", NO_PRONOUN)
    assert rep is not None and rep.question
    assert (rep.verb, rep.clause) == ("asked", "whether the minister would commit to releasing the report")


def test_wh_question_becomes_asked_how() -> None:
    rep = report("How many people have you helped?", NO_PRONOUN)
    assert rep is not None
    assert (rep.verb, rep.clause) == ("asked", "how many people they had helped")


def test_question_that_cannot_be_turned_is_not_reported() -> None:
    assert report("Seriously?", NO_PRONOUN) is None


def test_frames_are_stripped() -> None:
    assert strip_frames("Well, I think that rates will rise.") == ("rates will rise.", "argued")


@pytest.mark.parametrize(
    "said",
    ["I'm sure I've said my piece.", "We'll do what we can for our people.", "I'd like to say we agree."],
)
def test_no_first_person_survives(said: str) -> None:
    rep = report(said, NO_PRONOUN)
    assert rep is None or not FIRST_PERSON_RE.search(rep.clause)


def test_asides_are_dropped() -> None:
    rep = report("The hubs opened on, I believe, 18 March, across the region.", NO_PRONOUN)
    assert rep is not None
    assert rep.clause == "that the hubs opened on 18 March, across the region"
