"""What a template sees: the sketch laid out in a rapporteur's terms.

Every writer builds the same :func:`sketch_view`, so the formats agree on what the
document says; templates decide only how it looks. The ``igf`` part derives the
Internet Governance Forum report's sections from the sketch honestly (see
:func:`igf_sections`): nothing is written that the sketch does not say.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from sessionsketch.model import DEFAULT_LABEL, Paragraph, PersonRef, Sentence, Sketch, Transcript

log = logging.getLogger("sessionsketch")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str | None) -> str | None:
    """Text without control characters (no document format can hold them)."""
    return _CONTROL.sub("", text) if text is not None else None


def date_time(sketch: Sketch) -> str | None:
    """'April 23, 2019 / 13:00-14:30' (whatever parts the sketch has)."""
    m = sketch.metadata
    date = f"{m.date:%B} {m.date.day}, {m.date.year}" if m.date else None
    time = None
    if m.start and m.end:
        time = f"{m.start}-{m.end}"
    elif m.start:
        time = m.start
    parts = [p for p in (date, time) if p]
    return " / ".join(parts) or None


def person_line(person: PersonRef | None) -> str | None:
    """'Name, Affiliation' as the metadata block writes a person."""
    if person is None:
        return None
    line = f"{person.name}, {person.affiliation}" if person.affiliation else person.name
    return clean(line)


def conference_line(sketch: Sketch) -> str | None:
    """'Asan Plenum 2019: “Korea’s Choice”'."""
    m = sketch.metadata
    if m.conference and m.theme:
        return f"{m.conference}: “{m.theme}”"
    return m.conference or (f"“{m.theme}”" if m.theme else None)


def url_href(url: str | None) -> str | None:
    """A link target for the conference URL; only http(s) links are made."""
    if not url:
        return None
    url = url.strip()
    if url.lower().startswith(("http://", "https://")):
        return url
    if ":" in url.split("/")[0]:  # javascript:, data:, mailto: ... are not linked
        return None
    return "http://" + url


@dataclass
class SentenceView:
    text: str
    speaker: str | None
    evidence_json: str  # '[{"turn": 3, "start": 0, "end": 57}]'

    @classmethod
    def of(cls, s: Sentence) -> SentenceView:
        return cls(clean(s.text) or "", clean(s.speaker), json.dumps([e.to_dict() for e in s.evidence]))


@dataclass
class ParagraphView:
    speaker: str | None
    sentences: list[SentenceView] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @classmethod
    def of(cls, p: Paragraph) -> ParagraphView:
        return cls(clean(p.speaker), [SentenceView.of(s) for s in p.sentences if s.text.strip()])


def igf_sections(sketch: Sketch) -> dict[str, Any]:
    """The IGF report's sections, derived from the sketch without inventing anything.

    - presentations: the paragraphs about each listed speaker, in order, grouped by speaker;
    - key issues: the first sentence of each speaker's first paragraph, one per speaker;
    - discussion: paragraphs about anyone else (moderator, audience) and unattributed
      paragraphs between the presentations;
    - way forward: an unattributed paragraph that closes the sketch, if there is one
      (otherwise the section says the sketch records none);
    - introduction: an unattributed paragraph that opens the sketch.
    """
    speakers = {p.name for p in sketch.metadata.speakers}
    paras = [ParagraphView.of(p) for p in sketch.paragraphs]
    paras = [p for p in paras if p.sentences]
    intro: ParagraphView | None = None
    way_forward: ParagraphView | None = None
    if paras and paras[0].speaker is None:
        intro = paras.pop(0)
    if paras and paras[-1].speaker is None:
        way_forward = paras.pop()
    presentations: list[dict[str, Any]] = []
    by_speaker: dict[str, dict[str, Any]] = {}
    discussion: list[ParagraphView] = []
    for p in paras:
        if p.speaker and p.speaker in speakers:
            entry = by_speaker.get(p.speaker)
            if entry is None:
                entry = {"speaker": p.speaker, "paragraphs": []}
                by_speaker[p.speaker] = entry
                presentations.append(entry)
            entry["paragraphs"].append(p)
        else:
            discussion.append(p)
    key_issues = [
        {"speaker": e["speaker"], "sentence": e["paragraphs"][0].sentences[0]} for e in presentations
    ]
    return {
        "introduction": intro,
        "key_issues": key_issues,
        "presentations": presentations,
        "discussion": discussion,
        "way_forward": way_forward,
    }


def in_committee(sketch: Sketch) -> bool:
    """Whether the session is a committee's (its conference or session is named one)."""
    m = sketch.metadata
    return any("committee" in (text or "").casefold() for text in (m.conference, m.theme, m.session))


def block_labels(sketch: Sketch, style: Any) -> dict[str, str]:
    """The block's headings for the chair and the participants, in the house style's words.

    A style may set ``labels: {moderator: ..., participants: ...}``; otherwise a committee
    has a "Chair" and "Members", any other session a "Moderator" and "Participants".
    """
    committee = in_committee(sketch)
    return {
        "moderator": style.setting("labels", "moderator", default=None)
        or ("Chair" if committee else "Moderator"),
        "participants": style.setting("labels", "participants", default=None)
        or ("Members" if committee else "Participants"),
    }


def sketch_view(sketch: Sketch, style: Any, transcript: Transcript | None = None) -> dict[str, Any]:
    """The template context for ``sketch`` in ``style`` (a :class:`Style`)."""
    m = sketch.metadata
    label = style.setting("label", default=None) or DEFAULT_LABEL
    return {
        "label": label,
        "conference": clean(m.conference),
        "theme": m.theme,
        "conference_line": clean(conference_line(sketch)),
        "url": clean(m.url),
        "url_href": url_href(m.url),
        "session": clean(m.session),
        "date_time": date_time(sketch),
        "date": f"{m.date:%B} {m.date.day}, {m.date.year}" if m.date else None,
        "time": f"{m.start}-{m.end}" if m.start and m.end else m.start,
        "rapporteur": m.rapporteur,
        "moderator": m.moderator,
        "speakers": list(m.speakers),
        "participants": list(m.participants),
        "labels": block_labels(sketch, style),
        "person_line": person_line,
        "paragraphs": [p for p in (ParagraphView.of(p) for p in sketch.paragraphs) if p.sentences],
        "disclaimer": clean(sketch.disclaimer),
        "igf": igf_sections(sketch),
        "settings": style.settings,
        "logo": style.logo_data_uri,
        "has_transcript": transcript is not None,
    }
