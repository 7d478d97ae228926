"""An engine that reports the first sentence each speaker said, with its evidence."""

from __future__ import annotations

from sessionsketch.engines import DraftOptions, DraftReport, register_engine
from sessionsketch.model import (
    Evidence,
    Metadata,
    Paragraph,
    Programme,
    Sentence,
    Session,
    Sketch,
    Transcript,
)
from sessionsketch.text import split_sentences


@register_engine("opening-lines")
class OpeningLines:
    name = "opening-lines"

    def __init__(self, **settings: object) -> None:
        self.report = DraftReport()

    def draft(
        self, programme: Programme, session: Session, transcript: Transcript, options: DraftOptions
    ) -> Sketch:
        paragraphs = []
        for person in session.speakers:
            turns = transcript.turns_of(person.name)
            spans = split_sentences(turns[0].text) if turns else []
            if spans:
                first = spans[0]
                evidence = [Evidence(turns[0].index, first.start, first.end)]
                paragraphs.append(Paragraph([Sentence(first.text, person.name, evidence)], person.name))
        self.report = DraftReport(summary=f"opening-lines: {len(paragraphs)} speaker(s)")
        return Sketch(Metadata.from_programme(programme, session), paragraphs, programme.disclaimer)
