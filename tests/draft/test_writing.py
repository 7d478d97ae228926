"""The body a speaker's "we" stands for, read from the affiliation the programme gives."""

from __future__ import annotations

import pytest

from sessionsketch.engines.writing import appointments, member_label, organisation


@pytest.mark.parametrize(
    ("affiliation", "body"),
    [
        ("Minister for Education, Welsh Government", "the Welsh Government"),
        ("Deputy Director, Office for National Statistics", "the Office for National Statistics"),
        ("Professor of Law, University of Bristol", "the University of Bristol"),
        ("President of the Treasury Board", "the Treasury Board"),
        ("Leader of the Government in the House of Commons", "the government"),
        ("Secretary of State for Wales", "the government"),
        ("Lakeside Polytechnic", "Lakeside Polytechnic"),
        ("Valley Water Board", "the Valley Water Board"),
        ("The Imaginary Institute", "the Imaginary Institute"),
        # affiliations as people write them (issue 25, item 8): roles and bodies told apart,
        # the first appointment's body for "we", whatever words its name is made of
        ("Chair, Colegau Ffuglen; Chief Executive Officer, Grŵp Dychmygol", "Colegau Ffuglen"),
        ("Director of Policy and Development, Colegau Ffuglen", "Colegau Ffuglen"),
        ("Principal, Lakeside and Vale College (Colegau Ffuglen)", "Lakeside and Vale College"),
        ("Head of Research, Harbourlight International", "Harbourlight International"),
        ("Senior Fellow, Quillmore Institution", "the Quillmore Institution"),
        ("Group Director, Skills and Lifelong Learning, Welsh Government", "the Welsh Government"),
        # a portfolio that runs on past a comma names no body: the minister speaks for the government
        ("Minister of Small Ferries, Harbour Promotion and Coastal Trade", "the government"),
        ("Minister of Families, Children and Social Development", "the government"),
    ],
)
def test_the_body_an_affiliation_speaks_for(affiliation: str, body: str) -> None:
    assert organisation(affiliation) == body


@pytest.mark.parametrize(
    "affiliation",
    [
        None,
        "",
        "Calgary Centre, CPC",  # a constituency and a party: a member speaks for neither
        "Edmonton Strathcona, NDP",
        "Member of Parliament",  # an office with no body of its own
        "Head of Policy",
    ],
)
def test_no_body_where_the_affiliation_names_none(affiliation: str | None) -> None:
    assert organisation(affiliation) is None


@pytest.mark.parametrize(
    ("affiliation", "seat"),
    [
        ("Calgary Centre, CPC", True),
        ("Lethbridge, CPC", True),
        ("Burnaby South, NDP", True),
        ("Director, ONS", False),  # an office and a body's initials
        ("Cardiff University, UCU", False),
        ("Prime Minister", False),
        (None, False),
    ],
)
def test_a_legislator_s_label_is_a_seat_and_a_party(affiliation: str | None, seat: bool) -> None:
    assert member_label(affiliation) is seat


def test_quotations_in_a_row_vary_their_frame() -> None:
    """ "She said: …", "She added: …", "She went on: …": never "said" three times over."""
    from sessionsketch.engines.reported import Reported
    from sessionsketch.engines.writing import Cast, Writer
    from sessionsketch.model import Person, Session, Transcript

    odalys = Person("Odalys Brightwater", pronouns="she/her", role="speaker")
    cast = Cast(Session(speakers=[odalys]), Transcript(turns=[]), [odalys], set(), committee=False)
    writer = Writer(cast)
    writer.new_paragraph()
    said = ["We replace forty pumps a year", "We publish the leak data", "We ask the towns first"]
    out = [
        writer.sentence(
            odalys.name, Reported(text=t, kind="quote", verb="said", start=0, end=1), k == 0, None, k
        )
        for k, t in enumerate(said)
    ]
    assert out == [
        "Odalys Brightwater said: “We replace forty pumps a year.”",
        "She added: “We publish the leak data.”",
        "She went on: “We ask the towns first.”",
    ]


def test_a_paragraph_s_first_sentence_names_its_speaker_before_a_later_clause_does() -> None:
    """ "The homes … are in the valley, and Odalys Brightwater has to commend …" would be read
    as the previous paragraph's speaker's: the name comes first."""
    from sessionsketch.engines.reported import SUBJ, Reported
    from sessionsketch.engines.writing import Cast, Writer
    from sessionsketch.model import Person, Session, Transcript

    odalys = Person("Odalys Brightwater", pronouns="she/her", role="speaker")
    cast = Cast(Session(speakers=[odalys]), Transcript(turns=[]), [odalys], set(), committee=False)
    writer = Writer(cast)
    writer.new_paragraph()
    clause = f"the homes are in the valley, and {SUBJ} has to commend the towns for their work"
    rep = Reported(text=clause, kind="statement", verb=None, start=0, end=1, self_subject=True)
    text = writer.sentence(odalys.name, rep, True, None, 0)
    assert text is not None and text.startswith("Odalys Brightwater"), text
    assert "and she has to commend" in text


def test_a_speaker_s_own_subject_is_named_after_a_possessive_that_points_forward() -> None:
    """ "In his riding, he is in close contact …" named nobody: the name comes first."""
    from sessionsketch.engines.reported import POSS, SUBJ, Reported
    from sessionsketch.engines.writing import Cast, Writer
    from sessionsketch.model import Person, Session, Transcript

    odalys = Person("Odalys Brightwater", pronouns="she/her", role="speaker")
    henrik = Person("Henrik Stoneleaf", pronouns="he/him", role="speaker")
    cast = Cast(
        Session(speakers=[odalys, henrik]), Transcript(turns=[]), [odalys, henrik], set(), committee=False
    )
    writer = Writer(cast)
    writer.new_paragraph()
    said = Reported(text="the towns pay too much", kind="statement", verb="said", start=0, end=1)
    assert writer.sentence(odalys.name, said, True, None, 0) is not None
    clause = f"in {POSS} valley, {SUBJ} is in close contact with the towns"
    rep = Reported(text=clause, kind="statement", verb=None, start=0, end=1, self_subject=True)
    text = writer.sentence(henrik.name, rep, False, None, 1)
    # the speaker's own clause is reported, by the name before the possessive that points to it
    assert text == "Henrik Stoneleaf also said that in his valley, he is in close contact with the towns.", (
        text
    )


def test_an_introduction_with_post_nominal_letters_gives_the_title_and_officials_speak_for_the_government() -> (
    None
):
    """ "I welcome Odalys Brightwater AM, Cabinet Secretary for Water; Park Ji-woo, director …":
    the cabinet secretary's and her official's "we" is the government."""
    from sessionsketch.engines.writing import _introductions
    from sessionsketch.model import Person

    chair = Person("Marta Quill", role="chair")
    secretary = Person("Odalys Brightwater")
    official = Person("Park Ji-woo")
    member = Person("Henrik Stoneleaf")
    said = [
        (
            chair,
            "I'm very pleased to welcome Odalys Brightwater AM, Cabinet Secretary for Water; "
            "Park Ji-woo, director of water services. The first questions are from Henrik.",
        ),
        (member, "When will the Welsh Government replace the pipes?"),
        (secretary, "The Welsh Government will replace them next year."),
        (official, "We have the money for it, and the Welsh Government has the plans."),
    ]
    transcript, cast = _hearing(
        [(p, p.name, t) for p, t in said], [secretary, official], [chair, member], {member.name}
    )
    everyone = [chair, secretary, official, member]
    assert (
        _introductions(transcript, {p.name: p for p in everyone})[secretary.name]
        == "Cabinet Secretary for Water"
    )
    assert cast[secretary.name].group == "the Welsh Government"
    assert cast[official.name].group == "the Welsh Government"


def test_a_member_under_a_legislator_s_letters_never_speaks_for_the_government() -> None:
    """In a debate a member may ask nothing: "Henrik Stoneleaf AM" still is no official,
    while the minister's official beside her speaks for the government."""
    from sessionsketch.model import Person

    minister = Person("Odalys Brightwater", affiliation="Minister for Water, Welsh Government")
    official = Person("Park Ji-woo")
    member = Person("Henrik Stoneleaf")
    asker = Person("Marta Quill")
    said = [
        (asker, "Marta Quill AM", "Will the Welsh Government replace the pipes this year?"),
        (minister, "Odalys Brightwater AM", "The Welsh Government will replace them next year."),
        (official, "Park Ji-woo", "We have the money, and the Welsh Government has the plans."),
        (member, "Henrik Stoneleaf AM", "We moved this amendment because the towns asked for it."),
    ]
    _transcript, cast = _hearing(said, [minister, official], [member, asker], {asker.name})
    assert cast[official.name].group == "the Welsh Government"
    assert cast[member.name].group is None and cast[member.name].member
    assert not cast[minister.name].member and not cast[official.name].member


def _hearing(said, speakers, others, questioners):  # type: ignore[no-untyped-def]
    """A transcript of (person, label, text) turns and the cast a committee hearing makes of it."""
    from sessionsketch.engines.writing import Cast
    from sessionsketch.model import Session, Transcript, Turn

    transcript = Transcript(
        turns=[Turn(index=i, label=label, text=t, speaker=p) for i, (p, label, t) in enumerate(said)]
    )
    everyone = [*speakers, *others]
    return transcript, Cast(
        Session(speakers=speakers, others=others), transcript, everyone, questioners, committee=True
    )


def test_appointments_tell_roles_from_bodies() -> None:
    assert appointments("Chair, Colegau Ffuglen; Chief Executive Officer, Grŵp Dychmygol") == [
        ("Chair", "Colegau Ffuglen"),
        ("Chief Executive Officer", "Grŵp Dychmygol"),
    ]
    assert appointments("Principal, Lakeside and Vale College (Colegau Ffuglen)") == [
        ("Principal", "Lakeside and Vale College")
    ]
    assert appointments("Minister for Education") == [("Minister for Education", None)]
    assert appointments("Hilltop University") == [(None, "Hilltop University")]


def test_a_speaker_with_no_pronoun_is_not_named_twice_in_a_row() -> None:
    """With no pronoun and no role noun of their own, the sentence after one naming the speaker
    stands as their view ("The towns pay too much."), then the name comes back: never the
    name three sentences running, never two plain sentences in a row."""
    from sessionsketch.engines.reported import Reported
    from sessionsketch.engines.writing import Cast, Writer
    from sessionsketch.model import Person, Session, Transcript

    tamsin = Person("Tamsin Orchardley", role="speaker")  # the programme gives no pronouns
    cast = Cast(Session(speakers=[tamsin]), Transcript(turns=[]), [tamsin], set(), committee=False)
    writer = Writer(cast)
    writer.new_paragraph()
    said = ["the towns pay too much", "the pumps are forty years old", "the valley needs a new main"]
    out = [
        writer.sentence(
            tamsin.name, Reported(text=t, kind="statement", verb="argued", start=0, end=1), k == 0, None, k
        )
        for k, t in enumerate(said)
    ]
    assert out[0] == "Tamsin Orchardley argued that the towns pay too much."
    assert out[1] == "The pumps are forty years old."
    assert out[2] is not None and out[2].startswith("Orchardley"), out[2]


def test_a_speaker_with_a_pronoun_keeps_it() -> None:
    from sessionsketch.engines.reported import Reported
    from sessionsketch.engines.writing import Cast, Writer
    from sessionsketch.model import Person, Session, Transcript

    odalys = Person("Odalys Brightwater", pronouns="she/her", role="speaker")
    cast = Cast(Session(speakers=[odalys]), Transcript(turns=[]), [odalys], set(), committee=False)
    writer = Writer(cast)
    writer.new_paragraph()
    first = Reported(text="the towns pay too much", kind="statement", verb="argued", start=0, end=1)
    second = Reported(text="the pumps are forty years old", kind="statement", verb="argued", start=0, end=1)
    assert (
        writer.sentence(odalys.name, first, True, None, 0)
        == "Odalys Brightwater argued that the towns pay too much."
    )
    assert writer.sentence(odalys.name, second, False, "argued", 1) == (
        "She also maintained that the pumps are forty years old."
    )


@pytest.mark.parametrize(
    ("clause", "written"),
    [
        ("is worried that the grants will run out", "Tamsin Orchardley warned that the grants will run out."),
        ("is very confident that the pumps will last", "Tamsin Orchardley said that the pumps will last."),
        ("meets the towns every week", None),  # the speaker's own doing, stated as fact: left out
        ("is not confident that the pumps will last", None),  # a stance denied is no report of it
    ],
)
def test_a_speaker_without_a_pronoun_and_their_own_clause(clause: str, written: str | None) -> None:
    """ "I am worried that …" of a speaker the sketch has no pronoun for is reported by the verb
    the stance amounts to; any other clause of their own ("I meet the towns …") is left out."""
    from sessionsketch.engines.reported import SUBJ, Reported
    from sessionsketch.engines.writing import Cast, Writer
    from sessionsketch.model import Person, Session, Transcript

    tamsin = Person("Tamsin Orchardley", role="speaker")
    cast = Cast(Session(speakers=[tamsin]), Transcript(turns=[]), [tamsin], set(), committee=False)
    writer = Writer(cast)
    writer.new_paragraph()
    rep = Reported(text=f"{SUBJ} {clause}", kind="statement", verb=None, start=0, end=1, self_subject=True)
    assert writer.sentence(tamsin.name, rep, True, None, 0) == written


def test_a_clause_that_opens_on_someone_else_is_never_a_plain_sentence() -> None:
    """ "Stoneleaf talks about thirty pumps by 2030." in Orchardley's paragraph would be read as
    Stoneleaf's own point (the round trip draft → parse gave it to him): the speaker is named."""
    from sessionsketch.engines.reported import Reported
    from sessionsketch.engines.writing import Cast, Writer
    from sessionsketch.model import Person, Session, Transcript

    tamsin = Person("Tamsin Orchardley", role="speaker")
    henrik = Person("Henrik Stoneleaf", role="speaker")
    cast = Cast(
        Session(speakers=[tamsin, henrik]), Transcript(turns=[]), [tamsin, henrik], set(), committee=False
    )
    for first_index, second_index in (
        (0, 1),
        (1, 2),
    ):  # the "once in two" plain branch and the no-pronoun one
        writer = Writer(cast)
        writer.new_paragraph()
        assert writer.sentence(
            henrik.name, Reported("the pumps are old", "statement", "said", 0, 1), True, None, 0
        )
        writer.new_paragraph()
        first = Reported("the towns pay too much", "statement", "said", 0, 1)
        assert writer.sentence(tamsin.name, first, True, None, first_index)
        second = Reported("Stoneleaf talks about thirty pumps by 2030", "statement", "said", 0, 1)
        text = writer.sentence(tamsin.name, second, False, "said", second_index)
        assert text is not None and text.startswith("Orchardley"), text


def test_a_member_who_argues_speaks_for_their_party_not_the_government() -> None:
    """A member with a seat and a party label ("Harbourside North, FP") who answers and argues
    in the debate: "our proposal" is their party's ("his party's proposal"), not the government's."""
    from sessionsketch.engines.writing import Cast
    from sessionsketch.model import Person, Session, Transcript, Turn

    minister = Person(
        "Odalys Brightwater", affiliation="Minister of Harbours", pronouns="she/her", role="speaker"
    )
    member = Person("Ivo Quill", affiliation="Harbourside North, FP", role="speaker")
    turns = [
        Turn(
            index=0,
            speaker=member,
            label="Mr. Ivo Quill (Harbourside North, FP)",
            text="Our proposal is a ferry fund.",
        )
    ]
    cast = Cast(
        Session(speakers=[minister, member]),
        Transcript(turns=turns),
        [minister, member],
        set(),
        committee=True,
    )
    assert cast[member.name].group == "his party"
    assert cast[minister.name].group == "the government"
