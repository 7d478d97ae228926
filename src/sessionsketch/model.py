"""The document model every reader produces and every writer consumes.

Plain dataclasses, no I/O. ``Sketch.to_dict`` / ``Sketch.from_dict`` define the
sketch JSON shape that outside tools rely on::

    {"metadata": {"conference", "theme", "url", "session", "date", "start", "end",
                  "rapporteur": {"name", "affiliation"}, "moderator": {...},
                  "speakers": [{"name", "affiliation"}],
                  "participants": [{"name", "affiliation"}]},
     "paragraphs": [{"speaker": name-or-null,
                     "sentences": [{"text", "speaker": name-or-null,
                                    "evidence": [{"turn", "start", "end"}]}]}],
     "disclaimer": text-or-null}

Speaker names in a sketch are always the programme's canonical ``Person.name``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sessionsketch.analysis.names import HONORIFICS, SUFFIXES, fold

ROLES: tuple[str, ...] = (
    "moderator",
    "speaker",
    "rapporteur",
    "discussant",
    "chair",
    "member",
    "witness",
    "audience",
)
"""Roles a participant can have in a session."""

#: Roles whose arguments a sketch reports (the moderator only on request).
REPORTED_ROLES: tuple[str, ...] = ("speaker", "discussant", "member", "witness")

DEFAULT_LABEL = "Session Sketch"
DEFAULT_DISCLAIMER = (
    "The views expressed herein are summaries and may not necessarily reflect "
    "the views of the speakers or their affiliated institutions."
)

_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# --------------------------------------------------------------------------- people


@dataclass
class Person:
    """A participant as the programme names them.

    ``name`` is the canonical spelling (as the programme writes it); ``aliases`` are
    other spellings or labels that denote the same person (a transcript label, a
    nickname). ``family_name_first`` marks names written family name first
    (Kim Sung-han, Soeya Yoshihide, Zhu Feng), so that the family name is the first
    word, not the last.
    """

    name: str
    affiliation: str | None = None
    role: str = "speaker"
    aliases: list[str] = field(default_factory=list)
    family_name_first: bool = False
    pronouns: str | None = None  # e.g. "she/her"; used only when given

    @property
    def words(self) -> list[str]:
        return self.name.split()

    @property
    def _name_words(self) -> list[str]:
        """The words of the name without initials, honorifics or post-nominals."""
        return list(_name_words(self.name))

    @property
    def family_name(self) -> str:
        """The name a sketch uses after the first mention (Knapper, Kim, Zhu).

        Honorifics and post-nominals are not names: "Martin Luther King, Jr." → King.
        """
        words = self._name_words
        if not words or is_generic_label(self.name):
            return self.name  # "Speaker 1" stays "Speaker 1", never "1"
        return words[0] if self.family_name_first else words[-1]

    @property
    def given_name(self) -> str | None:
        words = self._name_words
        if len(words) < 2 or is_generic_label(self.name):
            return None
        return " ".join(words[1:]) if self.family_name_first else " ".join(words[:-1])

    @property
    def subject_pronoun(self) -> str | None:
        """'he', 'she', 'they' ... from ``pronouns`` ("she/her"), or None."""
        if not self.pronouns:
            return None
        return self.pronouns.split("/")[0].strip().lower() or None

    def ref(self) -> PersonRef:
        return PersonRef(name=self.name, affiliation=self.affiliation)


_GENERIC_LABEL = re.compile(
    r"^(?:speaker|spk|participant|guest|user|caller|attendee|interpreter|person|voice"
    r"|unknown[ _\-]speaker|unidentified[ _\-]speaker|unknown|unidentified)(?:[ _\-]?\d{1,4})?$",
    re.IGNORECASE,
)


# a transcript that labels people by their part in the meeting, not by name ("Project Manager",
# "User Interface", "Marketing", "Professor B", "PhD C", "Grad A"): the label is said whole,
# never cut to a "family name" ("Manager said", "According to Interface", "A said")
_ROLE_LABEL = re.compile(
    r"^(?:(?:project|product|programme|program|team|account|general)[ _\-]manager|manager|marketing(?:[ _\-]expert)?"
    r"|(?:industrial|interface|ui|ux)[ _\-]designer|designer|user[ _\-]interface(?:[ _\-]designer)?"
    r"|professor|prof|grad|graduate|phd|ph\.d\.|postdoc|post-doc|undergrad|undergraduate|student|lecturer"
    r"|researcher|engineer|moderator|chair|chairperson|host|co-host|interviewer|interviewee|panell?ist"
    r"|presenter|facilitator|note[ _\-]taker|narrator|respondent|witness|member)(?:[ _\-]?(?:[A-Z]|\d{1,3}))?$",
    re.IGNORECASE,
)


def is_generic_label(name: str) -> bool:
    """Whether ``name`` is a label a service gives a voice it cannot name ("Speaker 1",
    "SPEAKER_00", "Unknown Speaker") or a part in the meeting ("Project Manager", "PhD C"):
    a label, never a family name ("According to 1", "Manager said")."""
    label = " ".join(name.split())
    return bool(_GENERIC_LABEL.match(label) or _ROLE_LABEL.match(label))


def _is_initial(word: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.?", word))


@lru_cache(maxsize=4096)
def _name_words(name: str) -> tuple[str, ...]:
    # cached: name matching asks for every participant's words once per label
    words = [w.strip(",") for w in name.split()]
    words = [w for w in words if w and not _is_initial(w)]
    while len(words) > 1 and fold(words[0]) in HONORIFICS:
        words.pop(0)
    while len(words) > 1 and fold(words[-1]) in SUFFIXES:
        words.pop()
    return tuple(words)


@dataclass
class PersonRef:
    """A person as a sketch's metadata block lists them: name and affiliation."""

    name: str
    affiliation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "affiliation": self.affiliation}

    @classmethod
    def from_dict(cls, data: Any) -> PersonRef | None:
        if data is None:
            return None
        if isinstance(data, str):
            return cls(name=data)
        if not isinstance(data, dict) or not data.get("name"):
            return None
        aff = data.get("affiliation")
        return cls(name=str(data["name"]), affiliation=str(aff) if aff else None)


# --------------------------------------------------------------------------- programme


@dataclass
class Conference:
    name: str | None = None
    theme: str | None = None
    url: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


@dataclass
class Session:
    title: str | None = None
    number: str | None = None
    date: dt.date | None = None
    start: str | None = None  # "HH:MM"
    end: str | None = None  # "HH:MM"
    venue: str | None = None
    description: str | None = None
    rapporteur: Person | None = None
    moderators: list[Person] = field(default_factory=list)
    speakers: list[Person] = field(default_factory=list)
    others: list[Person] = field(default_factory=list)  # chairs, members, witnesses...
    slug: str | None = None

    @property
    def moderator(self) -> Person | None:
        return self.moderators[0] if self.moderators else None

    @property
    def people(self) -> list[Person]:
        """Everyone on the session's programme, rapporteur included, in block order."""
        out: list[Person] = []
        if self.rapporteur:
            out.append(self.rapporteur)
        out.extend(self.moderators)
        out.extend(self.speakers)
        out.extend(self.others)
        return out

    @property
    def participants(self) -> list[Person]:
        """Everyone who may speak in the session (everyone but the rapporteur)."""
        return [p for p in self.people if p is not self.rapporteur]

    def find(self, name: str) -> Person | None:
        for p in self.people:
            if p.name == name:
                return p
        return None


@dataclass
class Programme:
    conference: Conference = field(default_factory=Conference)
    sessions: list[Session] = field(default_factory=list)
    speaker_map: dict[str, str] = field(default_factory=dict)  # transcript label -> name
    disclaimer: str | None = DEFAULT_DISCLAIMER
    label: str = DEFAULT_LABEL
    source: str | None = None  # file it was read from, for messages

    @property
    def session(self) -> Session:
        """The programme's only (or first) session; an empty one (no people) when it has none."""
        return self.sessions[0] if self.sessions else Session()


# --------------------------------------------------------------------------- transcript


@dataclass
class Turn:
    """One speaker's uninterrupted contribution."""

    index: int
    label: str  # the speaker label as the transcript writes it
    text: str
    speaker: Person | None = None  # resolved participant, or None
    start: float | None = None  # seconds from the start of the recording
    end: float | None = None

    @property
    def speaker_name(self) -> str | None:
        return self.speaker.name if self.speaker else None

    @property
    def role(self) -> str | None:
        return self.speaker.role if self.speaker else None


@dataclass
class Transcript:
    turns: list[Turn] = field(default_factory=list)
    source: str | None = None
    format: str | None = None
    unresolved: list[str] = field(default_factory=list)  # labels with no participant

    def __len__(self) -> int:
        return len(self.turns)

    def turns_of(self, name: str) -> list[Turn]:
        return [t for t in self.turns if t.speaker is not None and t.speaker.name == name]

    def word_count(self) -> int:
        return sum(len(t.text.split()) for t in self.turns)

    def to_dict(self) -> dict[str, Any]:
        return {
            "turns": [
                {
                    "index": t.index,
                    "label": t.label,
                    "speaker": t.speaker_name,
                    "role": t.role,
                    "text": t.text,
                    "start": t.start,
                    "end": t.end,
                }
                for t in self.turns
            ],
            "unresolved": list(self.unresolved),
        }


# --------------------------------------------------------------------------- sketch


@dataclass
class Evidence:
    """A character span ``[start, end)`` of one transcript turn's text."""

    turn: int
    start: int
    end: int

    def to_dict(self) -> dict[str, int]:
        return {"turn": self.turn, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | list[Any]) -> Evidence:
        """A span from ``{"turn": 4, "start": 0, "end": 120}`` (or ``[4, 0, 120]``).

        Raises ``ValueError`` for anything that is not a span of a turn: a missing part,
        a number that is not whole or out of range, an end before its start.
        """
        if isinstance(data, dict):
            values = [data.get(key) for key in ("turn", "start", "end")]
        elif isinstance(data, (list, tuple)) and len(data) == 3:
            values = list(data)
        else:
            raise ValueError(f"evidence must be {{turn, start, end}}, not {str(data)[:40]!r}")
        turn, start, end = (_offset(v) for v in values)
        if start > end:
            raise ValueError(f"evidence span ends before it starts ({start} > {end})")
        return cls(turn=turn, start=start, end=end)


#: Turn numbers and character offsets past this come from no transcript (and fit no database column).
MAX_OFFSET = 2**31 - 1


def _offset(value: Any) -> int:
    """A turn number or character offset: a whole number from 0 to ``MAX_OFFSET`` (or its digits)."""
    digits = isinstance(value, str) and re.fullmatch(r"\s*\d{1,10}\s*", value, re.ASCII)
    if digits or (isinstance(value, float) and value.is_integer()):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_OFFSET:
        return value
    raise ValueError(f"not a turn number or character offset: {str(value)[:40]!r}")


def _object(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise TypeError(f"{what} must be a JSON object, not {type(data).__name__}")
    return data


@dataclass
class Sentence:
    text: str
    speaker: str | None = None  # canonical participant name, or None
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float | None = None  # how sure an attribution is (parse); not serialised
    why: str | None = None  # why it got its speaker (parse --explain); not serialised

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "speaker": self.speaker,
            "evidence": [e.to_dict() for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        data = _object(data, "a sentence")
        return cls(
            text=str(data.get("text", "")),
            speaker=data.get("speaker") or None,
            evidence=[Evidence.from_dict(e) for e in data.get("evidence") or []],
        )


@dataclass
class Paragraph:
    sentences: list[Sentence] = field(default_factory=list)
    speaker: str | None = None  # the participant the paragraph reports on, or None

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {"speaker": self.speaker, "sentences": [s.to_dict() for s in self.sentences]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paragraph:
        data = _object(data, "a paragraph")
        return cls(
            speaker=data.get("speaker") or None,
            sentences=[Sentence.from_dict(s) for s in data.get("sentences") or []],
        )


@dataclass
class Metadata:
    conference: str | None = None
    theme: str | None = None
    url: str | None = None
    session: str | None = None
    date: dt.date | None = None
    start: str | None = None  # "HH:MM"
    end: str | None = None  # "HH:MM"
    rapporteur: PersonRef | None = None
    moderator: PersonRef | None = None
    speakers: list[PersonRef] = field(default_factory=list)
    #: Everyone else the sketch may report: committee members, questioners, witnesses.
    participants: list[PersonRef] = field(default_factory=list)

    @classmethod
    def from_programme(cls, programme: Programme, session: Session | None = None) -> Metadata:
        s = session or programme.session
        c = programme.conference
        return cls(
            conference=c.name,
            theme=c.theme,
            url=c.url,
            session=s.title,
            date=s.date,
            start=s.start,
            end=s.end,
            rapporteur=s.rapporteur.ref() if s.rapporteur else None,
            moderator=s.moderator.ref() if s.moderator else None,
            speakers=[p.ref() for p in s.speakers],
            participants=[p.ref() for p in s.others if p.role not in ("rapporteur", "moderator", "chair")],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "conference": self.conference,
            "theme": self.theme,
            "url": self.url,
            "session": self.session,
            "date": self.date.isoformat() if self.date else None,
            "start": self.start,
            "end": self.end,
            "rapporteur": self.rapporteur.to_dict() if self.rapporteur else None,
            "moderator": self.moderator.to_dict() if self.moderator else None,
            "speakers": [p.to_dict() for p in self.speakers],
            "participants": [p.to_dict() for p in self.participants],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metadata:
        date = data.get("date")
        parsed_date: dt.date | None = None
        if isinstance(date, dt.date):
            parsed_date = date
        elif isinstance(date, str) and date:
            try:
                parsed_date = dt.date.fromisoformat(date)
            except ValueError:
                parsed_date = None
        speakers = [PersonRef.from_dict(p) for p in data.get("speakers") or []]
        participants = [PersonRef.from_dict(p) for p in data.get("participants") or []]
        return cls(
            conference=data.get("conference"),
            theme=data.get("theme"),
            url=data.get("url"),
            session=data.get("session"),
            date=parsed_date,
            start=_time_or_none(data.get("start")),
            end=_time_or_none(data.get("end")),
            rapporteur=PersonRef.from_dict(data.get("rapporteur")),
            moderator=PersonRef.from_dict(data.get("moderator")),
            speakers=[p for p in speakers if p is not None],
            participants=[p for p in participants if p is not None],
        )

    @property
    def people(self) -> list[PersonRef]:
        out = [p for p in (self.rapporteur, self.moderator) if p is not None]
        return out + list(self.speakers) + list(self.participants)


def _time_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    m = _TIME_RE.match(text)
    if not m:
        return None
    return f"{int(m.group(1)):02d}:{m.group(2)}"


@dataclass
class Sketch:
    metadata: Metadata = field(default_factory=Metadata)
    paragraphs: list[Paragraph] = field(default_factory=list)
    disclaimer: str | None = DEFAULT_DISCLAIMER

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]

    def to_dict(self) -> dict[str, Any]:
        return {
            "metadata": self.metadata.to_dict(),
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "disclaimer": self.disclaimer,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sketch:
        """Build a sketch from its JSON shape; missing parts become empty.

        Raises ``ValueError`` or ``TypeError`` when ``data`` is not of the sketch shape
        at all; readers turn that into a user error naming the file.
        """
        if not isinstance(data, dict):
            raise TypeError("a sketch must be a JSON object")
        if "metadata" not in data and "paragraphs" not in data:
            raise ValueError("not a sketch: neither 'metadata' nor 'paragraphs' is present")
        meta = data.get("metadata") or {}
        if not isinstance(meta, dict):
            raise TypeError("'metadata' must be an object")
        paragraphs = data.get("paragraphs") or []
        if not isinstance(paragraphs, list):
            raise TypeError("'paragraphs' must be a list")
        return cls(
            metadata=Metadata.from_dict(meta),
            paragraphs=[Paragraph.from_dict(p) for p in paragraphs],
            disclaimer=data.get("disclaimer"),
        )
