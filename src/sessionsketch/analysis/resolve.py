"""Speaker resolution: transcript labels → programme participants.

Every label resolves to one participant or is reported as unresolved — never silently
merged into the wrong person. Close misspellings resolve with a warning.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

from sessionsketch.analysis.names import NameIndex, core_name, fold, role_of_label, strip_titles
from sessionsketch.model import Person, Programme, Session, Transcript

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
    """Title-case a shouted name ("ADA QUILL" → "Ada Quill"); a name with a digit is an
    identifier and keeps its case ("G3P1")."""
    if (
        name.isupper()
        and len(name) > 3
        and re.fullmatch(r"[^\W\d_][^\W\d_.'’\- ]*(?:[.'’\- ][^\W\d_.'’\- ]*)*", name)
    ):
        return " ".join(w.capitalize() if not re.fullmatch(r"[A-Z]\.?", w) else w for w in name.split())
    return name


def parse_label(label: str, depth: int = 0) -> LabelParts:
    """A label's name, role and detail. A role's parenthesis is read for the name in it, to
    three levels: a label from a JSON transcript can nest "The Chair (" thousands deep,
    which once ran out of stack (a traceback, a 500)."""
    text = " ".join(label.strip().lstrip(">").strip().rstrip(":").split())
    m = _PAREN_RE.match(text)
    head, inner = (m.group("head"), m.group("inner")) if m else (text, None)
    head_role = role_of_label(head) if head else None
    if head_role:
        # "The Chair (Hon. Anthony Rota (Nipissing, Lib.))" → the chair, who is Anthony Rota
        if inner and depth < 3:
            inner_parts = parse_label(inner, depth + 1)
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
    label: str,
    session: Session,
    speaker_map: dict[str, str] | None = None,
    index: NameIndex | None = None,
) -> Resolution:
    """Resolve one label against a session's participants.

    ``index`` is the participants' :class:`NameIndex` when many labels are resolved
    against the same session (built here otherwise).
    """
    index = index or NameIndex(session.participants)
    speaker_map = speaker_map or {}
    if label in speaker_map:
        target = speaker_map[label]
        hit = index.match(target, fuzzy_threshold=101)  # exact forms only
        return Resolution(hit.person, "map") if hit else Resolution(None, "unresolved", 0)
    parts = parse_label(label)
    if parts.name:
        hit = index.match(parts.name)
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
    """Resolve every turn's label in place; list unresolved labels; return the transcript.

    A bare role label ("The Chair") that the programme cannot settle (no chair, or
    several) goes to whoever most recently held that role in the transcript under a
    label that names them ("The Chair (Hon. Anthony Rota ...)"), or, before anyone
    has, to the first who does.
    """
    if programme is None:
        programme = infer_programme(transcript, speaker_map)
    session = programme.session
    mapping = {**programme.speaker_map, **(speaker_map or {})}
    index = NameIndex(session.participants)  # once: each label is then looked up, not compared with everyone
    cache: dict[str, Resolution] = {}
    for turn in transcript.turns:
        if turn.label not in cache:
            res = resolve_label(turn.label, session, mapping, index)
            cache[turn.label] = res
            if res.how == "fuzzy" and res.person:
                log.warning(
                    "%s: speaker '%s' resolved to '%s' by a close spelling (%.0f%%)",
                    transcript.source or "transcript",
                    turn.label,
                    res.person.name,
                    res.score,
                )
        turn.speaker = cache[turn.label].person
    _resolve_bare_roles(transcript)
    # in the order first seen; a dict, so 20,000 distinct labels cost 20,000 look-ups, not 20,000²/2
    unresolved: dict[str, None] = {}
    for turn in transcript.turns:
        if turn.speaker is None:
            unresolved.setdefault(turn.label)
    transcript.unresolved = list(unresolved)
    return transcript


def _role_key(label: str) -> tuple[str, str | None]:
    """The role a label names, as written ("the acting chair") and as a role ("chair")."""
    text = " ".join(label.strip().lstrip(">").strip().rstrip(":").split())
    m = _PAREN_RE.match(text)
    head = m.group("head") if m else text
    return fold(head), role_of_label(head)


def _resolve_bare_roles(transcript: Transcript) -> None:
    """Give unresolved bare role labels to the most recent holder of that role."""
    holders: list[tuple[int, str, str | None, Person]] = []  # (turn, written role, role, person)
    for i, turn in enumerate(transcript.turns):
        parts = parse_label(turn.label)
        if parts.role and parts.name and turn.speaker is not None:
            written, role = _role_key(turn.label)
            holders.append((i, written, role, turn.speaker))
    if not holders:
        return
    # the turns at which each written role and each role was held, in order: a bare label
    # then finds its holder by bisection, not by scanning every holder
    by_key: list[dict[str | None, list[int]]] = [{}, {}]
    for place, h in enumerate(holders):
        by_key[0].setdefault(h[1], []).append(place)
        by_key[1].setdefault(h[2], []).append(place)
    turn_of = [h[0] for h in holders]
    for i, turn in enumerate(transcript.turns):
        if turn.speaker is not None:
            continue
        parts = parse_label(turn.label)
        if not parts.role or parts.name or parts.role == "audience":
            continue
        written, role = _role_key(turn.label)
        for table, wanted in ((by_key[0], written), (by_key[1], role)):
            places = table.get(wanted)
            if not places:
                continue
            # holders are in turn order, and no holder is at turn i (its speaker is set)
            k = bisect.bisect_left(places, i, key=lambda place: turn_of[place])
            pick = holders[places[k - 1]] if k > 0 else holders[places[k]]
            turn.speaker = pick[3]
            break


_CHAIRING = re.compile(
    r"\b(welcome|apologies|item \d|next item|move on|papers? to note|declarations? of interest"
    r"|(questions?|come in) from|I call|we'?ll (now )?(take|go|move)|(short|brief) break"
    r"|close the meeting|public session|private session|standing order|thank you (all|everyone) for"
    r"|to the committee)\b",
    re.IGNORECASE,
)


def likely_chair(transcript: Transcript) -> str | None:
    """The label of the person who chairs, judged from what the turns do, or None.

    A chair opens the meeting, welcomes people, calls on speakers, moves between
    items and closes the meeting. Each labelled speaker scores one point per turn in
    that procedural language, one for opening and one for closing; the chair is the
    clear winner with at least three points. Names play no part.
    """
    turns = [t for t in transcript.turns if t.text.strip()]
    if len(turns) < 3:
        return None
    scores: dict[str, int] = {}
    for t in turns:
        if _CHAIRING.search(t.text):
            scores[t.label] = scores.get(t.label, 0) + 1
    for t in (turns[0], turns[-1]):
        scores[t.label] = scores.get(t.label, 0) + 1
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best_label, best = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0
    if best >= 3 and best > runner:
        return best_label
    return None


def infer_programme(transcript: Transcript, speaker_map: dict[str, str] | None = None) -> Programme:
    """A programme with one participant per distinct person among the labels.

    Labels that name the same person ("Ms. Jenny Kwan (Vancouver East, NDP)" and
    "Ms. Jenny Kwan") become one participant; a label that is a role with a name in
    it ("The Chair (Hon. Anthony Rota ...)") gives that person the role; a bare role
    label ("The Chair") then resolves to that person. When no label names a chair or
    moderator, :func:`likely_chair` picks the chair from what the turns do. Labels in
    ``speaker_map`` (``SPEAKER_00``) stand for the names they map to.
    """
    speaker_map = speaker_map or {}
    people: dict[str, Person] = {}
    by_label: dict[str, Person] = {}
    bare_roles: dict[str, str] = {}  # label -> role, for role labels naming nobody
    session = Session()
    for turn in transcript.turns:
        if turn.label in by_label or turn.label in bare_roles:
            continue
        parts = parse_label(speaker_map.get(turn.label, turn.label))
        if not parts.name:
            if parts.role and parts.role != "audience":
                bare_roles[turn.label] = parts.role
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
        by_label[turn.label] = person
    roles_held = {p.role for p in people.values()}
    if not roles_held & {"chair", "moderator"}:
        label = likely_chair(transcript)
        if label in by_label:
            by_label[label].role = "chair"
    roles = {p.role for p in people.values()}
    for label, role in bare_roles.items():
        if role not in roles:
            # "Moderator:" with nobody named as moderator: the label is the person
            person = Person(name=" ".join(label.strip().strip(":>").split()) or role, role=role)
            key = core_name(person.name) or role
            replaced = key in people
            people[key] = person
            if replaced:  # the person it replaced may have held a role nobody else holds
                roles = {p.role for p in people.values()}
            else:
                roles.add(role)
    unnamed: dict[str, None] = {}
    if not people and not bare_roles:
        # no label names anyone (captions without labels): the speech is one unidentified
        # speaker's, drafted under that label, never an empty sketch
        unnamed = dict.fromkeys(t.label for t in transcript.turns if t.label.strip())
        if unnamed:
            first = next(iter(unnamed))
            people[core_name(first) or first] = Person(name=first, role="speaker")
            log.warning(
                "%s: no speaker is named; the sketch gives all speech to '%s' (name the voice with "
                "--speaker-map or a programme)",
                transcript.source or "transcript",
                first,
            )
    for person in people.values():
        if person.role in ("moderator", "chair"):
            session.moderators.append(person)
        else:
            session.speakers.append(person)
    programme = Programme(sessions=[session])
    for label in unnamed:
        programme.speaker_map[label] = session.speakers[0].name
    return programme
