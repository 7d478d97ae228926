"""Voices named from what is said: only on a cue that names someone in the programme,
and never when the cues disagree (fictional panels; no audio needed)."""

from __future__ import annotations

from sessionsketch.audio.naming import find_person, name_voices
from sessionsketch.model import Person

PANEL = [
    Person("Marta Quill", "Coastal Towns Forum", role="moderator"),
    Person("Dana Holt", "Eastmere Harbour Trust"),
    Person("Peter Vance", "County Engineer's Office"),
    Person("Ines Okafor", "Minister for the Coast, Fictional Government", role="speaker"),
]


def _segments(*turns):
    return [{"start": float(i), "end": i + 0.9, "speaker": s, "text": t} for i, (s, t) in enumerate(turns)]


def test_hand_over_self_introduction_and_thanks():
    naming = name_voices(
        _segments(
            ("SPEAKER_00", "Welcome. I call on Dana Holt."),
            ("SPEAKER_01", "Thank you, chair. My name is Dana Holt."),
            ("SPEAKER_00", "Thank you, Dana. Peter Vance, the floor is yours."),
            ("SPEAKER_02", "Thanks. I'm Peter Vance, the county engineer."),
            ("SPEAKER_03", "Good evening everyone."),
            ("SPEAKER_00", "Thank you, Minister."),
        ),
        PANEL,
    )
    assert naming.names == {
        "SPEAKER_00": "Marta Quill",
        "SPEAKER_01": "Dana Holt",
        "SPEAKER_02": "Peter Vance",
        "SPEAKER_03": "Ines Okafor",
    }
    assert naming.record["SPEAKER_03"]["assigned"] == "thanked"
    cue = naming.record["SPEAKER_03"]["cues"][0]
    assert (cue["said_by"], cue["match"], cue["text"]) == ("SPEAKER_00", "title", "Thank you Minister")
    assert naming.record["SPEAKER_01"]["assigned"] == "handed over to and self-introduction and thanked"


def test_no_cue_no_name():
    naming = name_voices(
        _segments(("SPEAKER_00", "Good morning."), ("SPEAKER_01", "I am sure the wall will hold.")), PANEL
    )
    assert naming.names == {}
    assert naming.record["SPEAKER_01"]["assigned"].startswith("none: the recording says nothing")


def test_disagreeing_cues_leave_the_voice_unnamed():
    naming = name_voices(
        _segments(
            ("SPEAKER_00", "I call on Dana Holt."),
            ("SPEAKER_01", "My name is Peter Vance."),
        ),
        PANEL,
    )
    assert "SPEAKER_01" not in naming.names
    assert naming.record["SPEAKER_01"]["assigned"] == (
        "none: cues name different people (Dana Holt, Peter Vance): "
        "handed over to 'I call on Dana Holt' at 0.0 s (Dana Holt); "
        "self-introduction 'My name is Peter Vance' at 1.0 s (Peter Vance)"
    )


def test_a_person_goes_to_one_voice_only():
    naming = name_voices(
        _segments(
            ("SPEAKER_00", "My name is Dana Holt."),
            ("SPEAKER_01", "My name is Dana Holt, and I mean it. My name is Dana Holt."),
        ),
        PANEL,
    )
    assert naming.names == {"SPEAKER_01": "Dana Holt"}
    assert naming.record["SPEAKER_00"]["assigned"].startswith("none: Dana Holt is named for another voice")


def test_without_a_programme_nothing_is_named():
    naming = name_voices(_segments(("SPEAKER_00", "My name is Dana Holt.")), [])
    assert naming.names == {}
    assert naming.record["SPEAKER_00"]["assigned"] == "none: no programme given"


def test_spoken_names_against_the_programme():
    assert find_person("Dana Holt and I lead the trust", PANEL)[0].name == "Dana Holt"
    assert find_person("Holt", PANEL)[:2] == (PANEL[1], "family")
    assert find_person("Dr. Peter Vance", PANEL)[0].name == "Peter Vance"
    assert find_person("Dana Hoult", PANEL)[:2] == (PANEL[1], "fuzzy")  # as Whisper may spell it
    assert find_person("delighted to be here", PANEL) is None
    assert find_person("I am Peter Vance", PANEL) is None  # "Thank you, I am Peter Vance"
    assert find_person("and Peter Vance", PANEL) is None
    assert find_person("Dana. Peter Vance", PANEL)[0].name == "Dana Holt"  # a name ends at a full stop


CALL = [Person("Nadia Brook", "Port Ellery"), Person("Wren Talbot", "Calder")]


def test_two_introductions_in_one_utterance_are_each_found():
    """As a phone call goes: "This is Nadia in Port Ellery. And I'm Wren …" (fictional people)."""
    for text in (
        "This is Nadia in Port Ellery. And I'm Wren in Calder, originally from Hollin.",
        "This is Nadia in Port Ellery and I'm Wren in Calder, originally from Hollin.",
    ):
        naming = name_voices(_segments(("SPEAKER_00", "Hello?"), ("SPEAKER_00", text)), CALL)
        cues = naming.record["SPEAKER_00"]["cues"]
        assert [(c["text"], c["person"]) for c in cues] == [
            ("This is Nadia", "Nadia Brook"),  # the name ends where the name ends
            ("I'm Wren", "Wren Talbot"),
        ], cues
        # two people introduce themselves in one voice: the voices were merged, so no name
        assert naming.names == {}
        how = naming.record["SPEAKER_00"]["assigned"]
        assert how.startswith("none: cues name different people (Nadia Brook, Wren Talbot): ")
        assert "self-introduction 'This is Nadia' at 1.0 s" in how and "'I'm Wren'" in how


def test_each_voice_named_by_its_own_introduction():
    naming = name_voices(
        _segments(
            ("SPEAKER_00", "Oh, hello. This is Nadia in Port Ellery."),
            ("SPEAKER_01", "And I'm Wren in Calder."),
            ("SPEAKER_00", "Oh, I'm originally from Calder too."),
        ),
        CALL,
    )
    assert naming.names == {"SPEAKER_00": "Nadia Brook", "SPEAKER_01": "Wren Talbot"}


def test_a_cue_that_names_someone_else_now_and_then_is_outvoted_and_said():
    naming = name_voices(
        _segments(
            ("SPEAKER_00", "I call on Dana Holt."),
            ("SPEAKER_01", "My name is Dana Holt."),
            ("SPEAKER_00", "Thank you, Dana. Thank you, Peter."),
        ),
        PANEL,
    )
    assert naming.names["SPEAKER_01"] == "Dana Holt"
    how = naming.record["SPEAKER_01"]["assigned"]
    assert "(1 of 4 cues name others: thanked 'Thank you Peter' at 2.0 s (Peter Vance))" in how, how


def test_a_name_two_people_share_leaves_the_voice_unnamed_and_says_so():
    panel = [*PANEL, Person("Dana Reyes", "Fictional Ferry Board")]
    naming = name_voices(
        _segments(("SPEAKER_01", "The wall will hold."), ("SPEAKER_00", "Thank you, Dana.")), panel
    )
    assert naming.names == {}
    how = naming.record["SPEAKER_01"]["assigned"]
    assert how == (
        "none: the name said could be more than one person: "
        "thanked 'Thank you Dana' at 1.0 s (could be Dana Holt or Dana Reyes)"
    ), how
