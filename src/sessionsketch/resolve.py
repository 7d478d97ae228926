"""Speaker resolution: transcript labels → programme participants.

Every label resolves to one participant or is reported as unresolved — never silently
merged into the wrong person. Close misspellings resolve with a warning.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sessionsketch.model import Person, Programme, Session, Transcript
from sessionsketch.names import core_name, fold, match_name, role_of_label, strip_titles

log = logging.getLogger("sessionsketch")


@dataclass
class LabelParts:
    """A transcript label taken apart: ``The Chair (Hon. Anthony Rota (Nipissing, Lib.))``."""

    label: str
    name: str | None  # the personal name in it, titles and post-nominals removed
    role: str | None  # a role the label names ("chair", "moderator", "audience")
    detail: str | None  # a parenthetical that is not a name: constituency, party, affiliation


_PAREN_RE = re.compile(r"^(?P<head>[^()]*?)\s*\((?P<inner>.*)\)\s*$")


def _clean_name(text: str) -> str | None:
    """Remove titles and post-nominals from a written name, keeping its case."""
    words = re.sub(r"\s+", " ", text.strip().strip(":>[]").strip()).split(" ")
    folded_core = strip_titles(fold(" ".join(words)))
    if not folded_core:
        return None
    keep = folded_core.split()
    # find the run of original words whose folded forms equal the kept core
    folded_words = [fold(w) for w in words]
    for i in range(len(words)):
        acc: list[str] = []
        for j in range(i, len(words)):
            if folded_words[j]:
                acc.extend(folded_words[j].split())
            if acc == keep:
                name = " ".join(words[i : j + 1])
                return _titlecase_if_shouting(name)
            if len(acc) > len(keep):
                break
    return _titlecase_if_shouting(" ".join(words))


def _titlecase_if_shouting(name: str) -> str:
    if name.isupper() and len(name) > 3:
        return " ".join(w.capitalize() if not re.fullmatch(r"[A-Z]\.?", w) else w for w in name.split())
    return name


def parse_label(label: str) -> LabelParts:
    text = " ".join(label.strip().lstrip(">").strip().rstrip(":").split())
    m = _PAREN_RE.match(text)
    head, inner = (m.group("head"), m.group("inner")) if m else (text, None)
    head_role = role_of_label(head) if head else None
    if head_role:
        # "The Chair (Hon. Anthony Rota (Nipissing, Lib.))" → the chair, who is Anthony Rota
        if inner:
            inner_parts = parse_label(inner)
            return LabelParts(label, inner_parts.name, head_role, inner_parts.detail)
        return LabelParts(label, None, head_role, None)
    name = _clean_name(head) if head else None
    return LabelParts(label, name, None, inner.strip() if inner else None)


@dataclass
class Resolution:
    person: Person | None
    how: str  # "map", "exact", "alias", "family", "fuzzy", "role", "audience", "unresolved"
    score: float = 100.0


def resolve_label(
    label: str, session: Session, speaker_map: dict[str, str] | None = None
) -> Resolution:
    """Resolve one label against a session's participants."""
    people = session.participants
    speaker_map = speaker_map or {}
    if label in speaker_map:
        target = speaker_map[label]
        hit = match_name(target, people, fuzzy_threshold=101)  # exact forms only
        return Resolution(hit.person, "map") if hit else Resolution(None, "unresolved", 0)
    parts = parse_label(label)
    if parts.name:
        hit = match_name(parts.name, people)
        if hit:
            return Resolution(hit.person, hit.kind, hit.score)
    if parts.role:
        holders = _role_holders(session, parts.role)
        if len(holders) == 1:
            return Resolution(holders[0], "role")
        if parts.role == "audience":
            return Resolution(Person(name=label.strip() or "Audience", role="audience"), "audience")
    return Resolution(None, "unresolved", 0)


def _role_holders(session: Session, role: str) -> list[Person]:
    if role in ("moderator", "chair"):
        exact = [p for p in session.participants if p.role == role]
        return exact or [p for p in session.participants if p.role in ("moderator", "chair")]
    return [p for p in session.participants if p.role == role]


def resolve_transcript(
    transcript: Transcript,
    programme: Programme | None = None,
    speaker_map: dict[str, str] | None = None,
) -> Transcript:
    """Resolve every turn's label in place; list unresolved labels; return the transcript."""
    if programme is None:
        programme = infer_programme(transcript)
    session = programme.session
    mapping = {**programme.speaker_map, **(speaker_map or {})}
    cache: dict[str, Resolution] = {}
    unresolved: list[str] = []
    for turn in transcript.turns:
        if turn.label not in cache:
            res = resolve_label(turn.label, session, mapping)
            cache[turn.label] = res
            if res.how == "fuzzy" and res.person:
                log.warning(
                    "%s: speaker '%s' resolved to '%s' by a close spelling (%.0f%%)",
                    transcript.source or "transcript",
                    turn.label,
                    res.person.name,
                    res.score,
                )
            if res.person is None:
                unresolved.append(turn.label)
        turn.speaker = cache[turn.label].person
    transcript.unresolved = unresolved
    return transcript


def infer_programme(transcript: Transcript) -> Programme:
    """A programme with one participant per distinct person among the labels.

    Labels that name the same person ("Ms. Jenny Kwan (Vancouver East, NDP)" and
    "Ms. Jenny Kwan") become one participant; a label that is a role with a name in
    it ("The Chair (Hon. Anthony Rota ...)") gives that person the role; a bare role
    label ("The Chair") then resolves to that person.
    """
    people: dict[str, Person] = {}
    session = Session()
    for turn in transcript.turns:
        parts = parse_label(turn.label)
        if not parts.name:
            continue
        key = core_name(parts.name)
        person = people.get(key)
        if person is None:
            person = Person(name=parts.name, affiliation=parts.detail, role=parts.role or "speaker")
            people[key] = person
        else:
            if parts.role and person.role == "speaker":
                person.role = parts.role
            if parts.detail and not person.affiliation:
                person.affiliation = parts.detail
    for person in people.values():
        if person.role in ("moderator", "chair"):
            session.moderators.append(person)
        else:
            session.speakers.append(person)
    return Programme(sessions=[session])
