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
    assert (
        naming.record["SPEAKER_01"]["assigned"] == "none: cues name different people (Dana Holt, Peter Vance)"
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
