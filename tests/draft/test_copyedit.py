"""The copy editor's word-level edits (engines/copyedit.py): spoken English out of written reported speech."""

from __future__ import annotations

import pytest

from sessionsketch.engines.copyedit import copyedit


@pytest.mark.parametrize(
    ("drafted", "printed"),
    [
        # contractions written out; "it's been" is "it has been"
        ("She said that the pumps aren't new.", "She said that the pumps are not new."),
        (
            "He said that the board can't wait and won't pay.",
            "He said that the board cannot wait and will not pay.",
        ),
        (
            "She said that it's been a long winter and that's why.",
            "She said that it has been a long winter and that is why.",
        ),
        ("She said that they’re ready.", "She said that they are ready."),
        ("He said that the team is gonna wait, kinda.", "He said that the team is going to wait, kind of."),
        # the speaker's here and now, moved to the sketch's
        ("He said that the board met earlier today.", "He said that the board met earlier that day."),
        (
            "She said that the plan was published last week.",
            "She said that the plan was published the previous week.",
        ),
        ("He said that this country needs a new main.", "He said that the country needs a new main."),
        # asides to the room and fillers
        (
            "She replied that as she said in her statement earlier today, the towns pay too much.",
            "She replied that the towns pay too much.",
        ),
        (
            "He said that, as the member opposite knows, the pumps are old.",
            "He said that the pumps are old.",
        ),
        (
            "She said that the hubs are, of course, of paramount importance.",
            "She said that the hubs are of paramount importance.",
        ),
        ("He said that of course, the needs differ.", "He said that the needs differ."),
        ("According to Quill, of course, the needs differ.", "According to Quill, the needs differ."),
        ("She said that to be very clear, the valley comes first.", "She said that the valley comes first."),
        # a connective with nothing before it
        ("He said that for instance, the towns pay twice.", "He said that the towns pay twice."),
        ("For example, the towns pay twice.", "The towns pay twice."),
        ("She said that once again, the board delayed.", "She said that the board delayed."),
        # figures run into words by the transcription
        (
            "He said that $50million went to 635,000businesses.",
            "He said that $50 million went to 635,000 businesses.",
        ),
        ("She said that the mains close on April27.", "She said that the mains close on April 27."),
        # a word said twice for stress, a belief reported twice
        (
            "She said that it must be done very, very carefully.",
            "She said that it must be done very carefully.",
        ),
        (
            "Brightwater understands she understands how hard it has been.",
            "Brightwater understands how hard it has been.",
        ),
        (
            "Quill replied that she understands she understands the cost.",
            "Quill replied that she understands the cost.",
        ),
        # padding a written report leaves out
        ("She said that it is important to note that the board met.", "She said that the board met."),
        ("He said that it is probably fair to say that the towns pay.", "He said that the towns pay."),
        ("Going forward, the board will publish the data.", "The board will publish the data."),
        (
            "He said that due to the fact that costs rose, the towns pay.",
            "He said that because costs rose, the towns pay.",
        ),
        ("She said that the plan is sort of difficult.", "She said that the plan is difficult."),
        (
            "He said that the board is able to help but the towns are not able to pay.",
            "He said that the board can help but the towns cannot pay.",
        ),
    ],
)
def test_the_edit(drafted: str, printed: str) -> None:
    assert copyedit(drafted) == printed


@pytest.mark.parametrize(
    "kept",
    [
        # a quotation keeps the speaker's words as said
        "Brightwater said: “We can't wait, and last week we said so.”",
        # "then" without a comma is time, not a connective; "today's" is not the day of the sketch
        "She said that then the board acted.",
        "He said that today's pupils read less.",
        "She said that more than two million workers are today benefiting from the scheme.",
        # possessives and "3pm" untouched
        "He said that the Welsh Government’s plan starts at 3pm.",
        "She said that the 1990s were different.",
        # a kind of something is no hedge
        "She asked what kind of support the towns get.",
        "He said that some kind of message goes out to every town.",
    ],
)
def test_what_is_left_as_it_is(kept: str) -> None:
    assert copyedit(kept) == kept
