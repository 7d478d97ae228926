"""Speaker resolution, case by case, on a fictional panel (real names only from QMSum labels)."""

from __future__ import annotations

import logging

import pytest

from sessionsketch.analysis.resolve import (
    infer_programme,
    likely_chair,
    parse_label,
    resolve_label,
    resolve_transcript,
)
from sessionsketch.model import Person, Programme, Session, Transcript, Turn

# A fictional panel: no real person's words are involved.
ADA = Person(name="Ada Quill", affiliation="Institute of Imaginary Studies", role="moderator")
KIM = Person(name="Kim Sung-han", affiliation="Fictional University", family_name_first=True)
SEILER = Person(name="Sydney A. Seiler", affiliation="Made-up Council")
TELLER = Person(name="Bram Teller", affiliation="Nowhere Institute")
NORA_TELLER = Person(name="Nora Teller", affiliation="Elsewhere Foundation")
OKAFOR = Person(name="Chidi Okafor", affiliation="Pretend Policy Lab")


def session(*people: Person) -> Session:
    s = Session(title="A fictional panel")
    for p in people:
        (s.moderators if p.role in ("moderator", "chair") else s.speakers).append(p)
    return s


PANEL = session(ADA, KIM, SEILER, TELLER, OKAFOR)


@pytest.mark.parametrize(
    ("label", "expected", "how"),
    [
        ("Ada Quill", "Ada Quill", "exact"),
        ("Dr. Ada Quill", "Ada Quill", "exact"),
        ("Prof Ada Quill", "Ada Quill", "exact"),
        ("Hon. Chidi Okafor", "Chidi Okafor", "exact"),
        ("Right Hon. Chidi Okafor", "Chidi Okafor", "exact"),
        ("Mr. Chidi Okafor (Nowhere North, Lib.)", "Chidi Okafor", "exact"),
        ("Chidi Okafor AM", "Chidi Okafor", "exact"),
        ("Chidi Okafor MP", "Chidi Okafor", "exact"),
        ("Ms. Chidi Okafor (Pretend Policy Lab)", "Chidi Okafor", "exact"),
        ("BRAM TELLER", "Bram Teller", "exact"),
        (">>BRAM TELLER:", "Bram Teller", "exact"),
        ("Teller", "Bram Teller", "family"),
        ("OKAFOR", "Chidi Okafor", "family"),
        ("Kim", "Kim Sung-han", "family"),
        ("KIM SUNG-HAN", "Kim Sung-han", "exact"),
        ("Sung-han Kim", "Kim Sung-han", "initials"),
        ("Sydney Seiler", "Sydney A. Seiler", "exact"),
        ("Sydney A. Seiler", "Sydney A. Seiler", "exact"),
        ("Moderator", "Ada Quill", "role"),
        ("The Chair", "Ada Quill", "role"),
        ("Chair", "Ada Quill", "role"),
    ],
)
def test_label_resolves(label: str, expected: str, how: str) -> None:
    res = resolve_label(label, PANEL)
    assert res.person is not None, label
    assert res.person.name == expected
    assert res.how == how


def test_close_misspelling_resolves_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    transcript = Transcript(turns=[Turn(0, "Chidi Okafur", "Thank you."), Turn(1, "Bram Teler", "Indeed.")])
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        logger = logging.getLogger("sessionsketch")
        old = logger.propagate
        logger.propagate = True
        try:
            resolve_transcript(transcript, Programme(sessions=[PANEL]))
        finally:
            logger.propagate = old
    assert [t.speaker_name for t in transcript.turns] == ["Chidi Okafor", "Bram Teller"]
    assert "close spelling" in caplog.text and "Chidi Okafur" in caplog.text
    assert transcript.unresolved == []


@pytest.mark.parametrize(
    "label", ["Audience member", "Audience", "Question from the floor", "Unidentified speaker"]
)
def test_audience_labels_get_the_audience_role(label: str) -> None:
    res = resolve_label(label, PANEL)
    assert res.how == "audience"
    assert res.person is not None and res.person.role == "audience"


def test_ambiguous_surname_stays_unresolved() -> None:
    two_tellers = session(ADA, TELLER, NORA_TELLER)
    assert resolve_label("Teller", two_tellers).person is None
    assert resolve_label("Mr. Teller", two_tellers).person is None
    # but the full names still resolve
    assert resolve_label("Nora Teller", two_tellers).person is NORA_TELLER


@pytest.mark.parametrize("label", ["Wilhelmina Zappa", "Zappa", "Speaker 7", "Somebody"])
def test_a_stranger_stays_unresolved(label: str) -> None:
    transcript = Transcript(turns=[Turn(0, "Ada Quill", "Welcome."), Turn(1, label, "Hello.")])
    resolve_transcript(transcript, Programme(sessions=[PANEL]))
    assert transcript.turns[1].speaker is None
    assert transcript.unresolved == [label]


def test_role_label_with_two_moderators_is_not_guessed_without_a_holder() -> None:
    two = session(ADA, Person(name="Odo Vance", role="moderator"), TELLER)
    transcript = Transcript(turns=[Turn(0, "Moderator", "Welcome."), Turn(1, "Teller", "Thanks.")])
    resolve_transcript(transcript, Programme(sessions=[two]))
    assert transcript.unresolved == ["Moderator"]


def test_bare_chair_goes_to_the_most_recent_holder() -> None:
    # Two people chair in turn, as in the QMSum covid meetings; the programme cannot decide.
    rows = [
        ("The Chair (Hon. Ada Quill (Nowhere North, Lib.))", "I call the meeting to order."),
        ("Bram Teller", "Thank you."),
        ("The Chair", "Next question."),
        ("The Acting Chair (Mr. Chidi Okafor)", "I take the chair."),
        ("Bram Teller", "Thank you."),
        ("The Acting Chair", "Next."),
        ("The Chair", "I am back; we continue."),
    ]
    transcript = Transcript(turns=[Turn(i, label, text) for i, (label, text) in enumerate(rows)])
    resolve_transcript(transcript)
    names = [t.speaker_name for t in transcript.turns]
    assert names == [
        "Ada Quill",
        "Bram Teller",
        "Ada Quill",
        "Chidi Okafor",
        "Bram Teller",
        "Chidi Okafor",
        "Ada Quill",
    ]
    assert transcript.unresolved == []


def test_bare_chair_before_any_holder_goes_to_the_first_holder() -> None:
    rows = [("The Chair", "Order."), ("The Chair (Ms. Ada Quill)", "Welcome."), ("Bram Teller", "Thanks.")]
    transcript = Transcript(turns=[Turn(i, label, text) for i, (label, text) in enumerate(rows)])
    resolve_transcript(transcript)
    assert transcript.turns[0].speaker_name == "Ada Quill"


def test_parse_label_takes_the_covid_labels_apart() -> None:
    parts = parse_label("The Chair (Hon. Anthony Rota (NipissingTimiskaming, Lib.))")
    assert (parts.name, parts.role, parts.detail) == ("Anthony Rota", "chair", "NipissingTimiskaming, Lib.")
    parts = parse_label("Mr. Gabriel Ste-Marie (Joliette, BQ)")
    assert (parts.name, parts.role, parts.detail) == ("Gabriel Ste-Marie", None, "Joliette, BQ")
    assert parse_label("Some hon. members").role == "audience"


def test_speaker_map_names_diariser_labels() -> None:
    transcript = Transcript(turns=[Turn(0, "SPEAKER_00", "Welcome."), Turn(1, "SPEAKER_01", "Thanks.")])
    resolve_transcript(
        transcript, Programme(sessions=[PANEL]), {"SPEAKER_00": "Ada Quill", "SPEAKER_01": "Bram Teller"}
    )
    assert [t.speaker_name for t in transcript.turns] == ["Ada Quill", "Bram Teller"]
    # a map to somebody not on the programme stays unresolved rather than guessing
    other = Transcript(turns=[Turn(0, "SPEAKER_02", "Hi.")])
    resolve_transcript(other, Programme(sessions=[PANEL]), {"SPEAKER_02": "Wilhelmina Zappa"})
    assert other.unresolved == ["SPEAKER_02"]


def test_speaker_map_without_a_programme_names_the_inferred_people() -> None:
    transcript = Transcript(turns=[Turn(0, "SPEAKER_00", "Welcome."), Turn(1, "SPEAKER_01", "Thanks.")])
    resolve_transcript(transcript, None, {"SPEAKER_00": "Ada Quill", "SPEAKER_01": "Bram Teller"})
    assert [t.speaker_name for t in transcript.turns] == ["Ada Quill", "Bram Teller"]


def test_inferred_chair_from_procedural_turns_not_names() -> None:
    rows = [
        ("Zed Orr", "Good morning and welcome to the committee. We have received apologies from one member."),
        ("Mia Lark", "Thank you. Our schools have done a great deal this year."),
        ("Zed Orr", "Thank you. We'll now take questions from Pim Sato."),
        ("Pim Sato", "What about the budget?"),
        ("Mia Lark", "The budget is set."),
        ("Mia Lark", "And it will stay so."),
        ("Zed Orr", "We'll move on to the next item."),
        ("Zed Orr", "Thank you all for attending; I close the meeting."),
    ]
    transcript = Transcript(turns=[Turn(i, label, text) for i, (label, text) in enumerate(rows)])
    assert likely_chair(transcript) == "Zed Orr"
    programme = infer_programme(transcript)
    assert [p.name for p in programme.session.moderators] == ["Zed Orr"]
    assert programme.session.moderators[0].role == "chair"


def test_no_chair_is_inferred_without_procedural_evidence() -> None:
    rows = [("Mia Lark", "Schools are open."), ("Pim Sato", "Budgets are tight."), ("Mia Lark", "Indeed.")]
    transcript = Transcript(turns=[Turn(i, label, text) for i, (label, text) in enumerate(rows)])
    assert likely_chair(transcript) is None
    assert infer_programme(transcript).session.moderators == []


def test_bare_moderator_label_without_a_named_moderator_becomes_a_participant() -> None:
    rows = [("Moderator", "Welcome."), ("Mia Lark", "Thanks."), ("Moderator", "Next.")]
    transcript = Transcript(turns=[Turn(i, label, text) for i, (label, text) in enumerate(rows)])
    resolve_transcript(transcript)
    assert transcript.unresolved == []
    assert transcript.turns[0].role == "moderator"


@pytest.mark.parametrize(
    ("name", "first", "family"),
    [
        ("Martin Luther King, Jr.", False, "King"),
        ("Jane Roe PhD", False, "Roe"),
        ("Dr. Kim Sung-han", True, "Kim"),
        ("Sydney A. Seiler", False, "Seiler"),
        ("Lynne Neagle AM", False, "Neagle"),
        ("Zhu Feng", True, "Zhu"),
    ],
)
def test_family_name_skips_titles_and_post_nominals(name: str, first: bool, family: str) -> None:
    from sessionsketch.model import Person

    assert Person(name=name, family_name_first=first).family_name == family
