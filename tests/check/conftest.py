"""A fictional panel (invented names and institutions) for the check tests."""

from __future__ import annotations

import datetime as dt

import pytest

from sessionsketch.model import (
    Conference,
    Metadata,
    Paragraph,
    Person,
    Programme,
    Sentence,
    Session,
    Sketch,
    Transcript,
    Turn,
)

RAPPORTEUR = Person("Nell Farrow", "Lantern Review", role="rapporteur")
MODERATOR = Person("Ivo Brandt", "Cobble Foundation", role="moderator")
QUILL = Person("Ada Quill", "Harbour Institute")
OTTERLY = Person("Bram Otterly", "Northern Fisheries Board")
TAN = Person("Tan Weiming", "Saltmarsh University", family_name_first=True)
SPEAKERS = [QUILL, OTTERLY, TAN]


@pytest.fixture
def programme() -> Programme:
    session = Session(
        title="Tides and Tariffs",
        date=dt.date(2031, 5, 6),
        start="10:00",
        end="11:30",
        rapporteur=RAPPORTEUR,
        moderators=[MODERATOR],
        speakers=list(SPEAKERS),
    )
    return Programme(conference=Conference(name="Fictional Harbour Forum 2031"), sessions=[session])


@pytest.fixture
def transcript() -> Transcript:
    return Transcript(
        turns=[
            Turn(0, "Ivo Brandt", "Welcome everyone. Let us begin with the harbour.", MODERATOR),
            Turn(
                1,
                "Ada Quill",
                "I think our two towns have made a conscious choice to take the harbour compact to the next "
                "level. Lighthouse trade has doubled since 2025, and the ferry timetable now runs all winter.",
                QUILL,
            ),
            Turn(
                2,
                "Bram Otterly",
                "Frankly, the harbour tariffs are hurting fishermen in the north. We need a subsidy scheme "
                "for small boats, and we need it before the herring season opens.",
                OTTERLY,
            ),
            Turn(
                3,
                "Tan Weiming",
                "Our university has mapped the saltmarsh for ten years. The marsh is shrinking by two "
                "metres a year, and the sea wall will not hold past 2040 without new funding.",
                TAN,
            ),
        ]
    )


def body(*paragraphs: tuple[str | None, list[str]]) -> list[Paragraph]:
    return [Paragraph([Sentence(t, who) for t in texts], who) for who, texts in paragraphs]


@pytest.fixture
def sketch(programme: Programme) -> Sketch:
    """A correct sketch of the fictional panel."""
    return Sketch(
        metadata=Metadata.from_programme(programme),
        paragraphs=body(
            (
                "Ada Quill",
                [
                    "Ada Quill noted that the two towns have made a conscious choice to take the harbour "
                    "compact to the next level.",
                    "Quill added that lighthouse trade has doubled since 2025.",
                ],
            ),
            (
                "Bram Otterly",
                [
                    "Otterly argued that harbour tariffs are hurting northern fishermen and called for a "
                    "subsidy scheme for small boats.",
                ],
            ),
            (
                "Tan Weiming",
                [
                    "Tan Weiming said that the saltmarsh is shrinking by two metres a year.",
                    "Tan warned that the sea wall will not hold past 2040 without new funding.",
                ],
            ),
        ),
    )
