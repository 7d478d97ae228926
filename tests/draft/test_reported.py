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


@pytest.mark.parametrize(
    ("said", "clause"),
    [
        # an interjection is stripped only with its comma: "No worker" keeps its "No"
        ("No worker should feel obliged to go to work.", "that no worker should feel obliged to go to work"),
        ("No, the pipes are old.", "that the pipes were old"),
        ("So far the pipes have held.", "that so far the pipes have held"),
        ("MadamChair, I will come back to the bill.", "that Okafor would come back to the bill"),
        ("Mr.Chair, the pipes are old.", "that the pipes were old"),
        ("Let me just point out that the subsidy is working.", "that the subsidy was working"),
        ("As you know, the data is clear.", "that the data was clear"),
        ("That's a lot of people who need help.", "that that was a lot of people who need help"),
        ("It's been a hard year for towns.", "that it had been a hard year for towns"),
        (
            "I completely understand that it is fast-moving.",
            "that Okafor completely understands that it was fast-moving",
        ),
        ("I told you that the money would come.", "that Okafor told them that the money would come"),
        (
            "If I could just ask you what the pressures are.",
            "that if Okafor could just ask them what the pressures were",
        ),
        ("The plan, of course, is late.", "that the plan was late"),
        (
            "There is a question—a really important question—about planning.",
            "that there was a question about planning",
        ),
    ],
)
def test_reported_clauses_keep_meaning(said: str, clause: str) -> None:
    rep = report(said, NO_PRONOUN)
    assert rep is not None
    assert rep.clause == clause


def test_hope_is_reported_as_hoped() -> None:
    rep = report("I hope that the party will be part of that discussion.", NO_PRONOUN)
    assert rep is not None
    assert (rep.verb, rep.clause) == ("hoped", "that the party would be part of that discussion")


def test_a_ministers_our_country_is_the_country() -> None:
    rep = report("Our government is proud of our country and our plan.", GOVERNMENT)
    assert rep is not None
    assert rep.clause == "that the government was proud of the country and the government’s plan"


def test_a_capitalised_name_after_a_lower_case_word_keeps_its_case() -> None:
    rep = report("First Nations communities need clean water.", NO_PRONOUN, lower_words={"first"})
    assert rep is not None and rep.clause == "that First Nations communities need clean water"
    rep = report("Moving forward, towns need water.", NO_PRONOUN, lower_words={"moving"})
    assert rep is not None and rep.clause == "that moving forward, towns need water"


@pytest.mark.parametrize(
    ("said", "clause"),
    [
        (
            "We need to support our farmers and we will publish our plan.",
            "that the government needs to support the farmers and the government would publish its plan",
        ),
        ("I want to assure our Canadian businesses.", "that Okafor wants to assure the Canadian businesses"),
    ],
)
def test_a_ministers_we_agrees_and_our_is_the_country_or_its(said: str, clause: str) -> None:
    rep = report(said, GOVERNMENT)
    assert rep is not None and rep.clause == clause


def test_fillers_are_left_out_but_not_really_stays() -> None:
    rep = report("It was sort of late, you know, for the towns.", NO_PRONOUN)
    assert rep is not None and rep.clause == "that it was late for the towns"
    rep = report("We do not really agree with the plan.", NO_PRONOUN)
    assert rep is not None and "not really agree" in rep.clause


@pytest.mark.parametrize(
    ("said", "verb", "clause"),
    [
        (
            "We welcome Eluned Morgan AM, Minister for Welsh Language.",
            "said",
            "that they welcome Eluned Morgan AM, Minister for Welsh Language",
        ),
        ("I guess it provides the structure.", "suggested", "that it provides the structure"),
        ("Let's be clear: the money is gone.", "said", "that the money was gone"),
        ("I'd like to stress that the money is gone.", "said", "that the money was gone"),
        (
            "I would like to continue by reminding you of the plan.",
            "said",
            "that Okafor would like to continue by reminding them of the plan",
        ),
    ],
)
def test_titles_hedges_and_would_like_to(said: str, verb: str, clause: str) -> None:
    rep = report(said, NO_PRONOUN)
    assert rep is not None and (rep.verb, rep.clause) == (verb, clause)


def test_a_question_keeps_its_punctuation_tight() -> None:
    rep = report("Is that a concern to Welsh Government, and could you outline a commitment?", NO_PRONOUN)
    assert rep is not None
    assert rep.clause == "whether that was a concern to Welsh Government, and could they outline a commitment"
