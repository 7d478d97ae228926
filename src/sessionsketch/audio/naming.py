"""Names for the voices, from what the recording itself says.

Clusters are ``SPEAKER_00``, ``SPEAKER_01`` … in the order they first speak. With a
programme, a voice gets a person's name only where the recording says who is speaking
(the cue phrases are ``data/words/spoken_name_cues.txt``):

- a self-introduction ("My name is Dana Holt", "I'm Dana Holt") names the voice saying it;
- a hand-over ("I call on Dana Holt", "Dana Holt, the floor is yours") names the next
  other voice heard;
- thanks ("Thank you, Minister", "Thank you, Dana") name the voice heard just before.

The name after a cue must match someone in the programme's session (by full name, family
name, given name, a title its affiliation holds such as "Minister", or a close spelling).
Each cue is a vote; a voice is named when its votes agree, and a person goes to one voice
only. Anything else — no cue, votes that disagree, a person two voices claim — is left as
``SPEAKER_nn`` for ``--speaker-map`` or the workbench's mapping form, never guessed, and the
transcript JSON's ``speakers`` says for every voice how its name was assigned or why not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sessionsketch.analysis.names import fold, match_name, role_of_label
from sessionsketch.data import phrases
from sessionsketch.data import words as words_list

if TYPE_CHECKING:
    from sessionsketch.model import Person

_WORD = r"[\w'’.-]+"


def _cues() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"self": [], "next": [], "before": [], "thanks": []}
    for line in phrases("spoken_name_cues"):
        kind, _, phrase = line.partition(":")
        if kind.strip() in out and phrase.strip():
            out[kind.strip()].append(phrase.strip())
    for kind in out:
        out[kind].sort(key=len, reverse=True)
    return out


def _after(kind: str) -> re.Pattern[str]:
    """The cue phrase, then (looked ahead at, not consumed) the next five words: the name is
    the longest run of them that names someone (:func:`find_person`), and the words after
    it are searched again, so "This is Diane in New Jersey and I'm Sheila" gives two cues."""
    alts = "|".join(re.escape(p).replace(r"\ ", r"[\s,]+") for p in _cues()[kind])
    return re.compile(rf"(?:^|[^\w'])(?:{alts})[\s,]+(?=((?:{_WORD}[\s]*){{1,5}}))", re.IGNORECASE)


def _before() -> re.Pattern[str]:
    alts = "|".join(re.escape(p).replace(r"\ ", r"[\s,]+") for p in _cues()["before"])
    return re.compile(rf"((?:{_WORD}\s+){{0,3}}{_WORD}),\s*(?:{alts})\b", re.IGNORECASE)


@dataclass
class Cue:
    """One thing said that names a voice: who said it, when, what, and whom it names."""

    kind: str  # "self-introduction", "handed over to", "thanked"
    voice: str  # the SPEAKER_nn it names
    person: str
    said_by: str  # the SPEAKER_nn who said it
    time: float
    text: str
    match: str  # how the spoken name matched the programme ("exact", "family", "title", "fuzzy" …)

    def to_dict(self) -> dict[str, object]:
        return {
            "cue": self.kind,
            "person": self.person,
            "said_by": self.said_by,
            "time": round(self.time, 2),
            "text": self.text,
            "match": self.match,
        }


@dataclass
class Naming:
    names: dict[str, str] = field(default_factory=dict)  # SPEAKER_nn → person's name
    record: dict[str, dict[str, object]] = field(default_factory=dict)  # SPEAKER_nn → how


_TITLES = ("minister", "secretary", "commissioner", "ambassador", "director", "professor", "president")


def _looks_like_name(words: list[str]) -> bool:
    """Every word capitalised (name particles aside: van, de, bin …), and none of them "I"."""
    particles = words_list("name_particles")
    if not words or not words[0][:1].isupper():
        return False
    return all(w != "I" and (w[:1].isupper() or w.lower() in particles) for w in words)


def ambiguous(spoken: str, people: list[Person]) -> tuple[str, list[str]] | None:
    """The spoken name and the participants it could be, when its first word (a capitalised
    given or family name) is the name of two or more of them ("Thank you, Dana" on a panel
    with two Danas); None otherwise."""
    spoken = re.split(r"[,;:?!]|\.(?:\s|$)", spoken)[0]
    words = re.findall(_WORD, spoken)
    if not words or not _looks_like_name(words[:1]):
        return None
    word = fold(words[0].strip("."))
    same = [p.name for p in people if word in (fold(p.given_name or ""), fold(p.family_name))]
    return (words[0].strip("."), same) if len(same) > 1 else None


def find_person(spoken: str, people: list[Person]) -> tuple[Person, str, str] | None:
    """The participant the words after a cue name, how they matched, and the words that
    named them; the longest prefix of the words is tried first."""
    spoken = re.sub(r"\b(Dr|Mr|Mrs|Ms|Mx|Prof|Sr|Jr|St)\.", r"\1", spoken)
    spoken = re.split(r"[,;:?!]|\.(?:\s|$)", spoken)[0]  # a name ends at a punctuation mark
    words = re.findall(_WORD, spoken)
    for n in range(min(len(words), 4), 0, -1):
        phrase = " ".join(words[:n]).strip(".,")
        if not phrase:
            continue
        role = role_of_label(phrase) or role_of_label(phrase.removeprefix("Madam ").removeprefix("madam "))
        if role in ("chair", "moderator"):
            chairs = [p for p in people if p.role in ("chair", "moderator")]
            if len(chairs) == 1:
                return chairs[0], "title", phrase
            continue
        folded = fold(phrase)
        if folded in _TITLES:
            holders = [p for p in people if folded in fold(f"{p.role} {p.affiliation or ''}").split()]
            if len(holders) == 1:
                return holders[0], "title", phrase
            continue
        if not _looks_like_name(words[:n]):
            continue  # "I am sure", "thank you, and Peter", "thank you, I am Peter Vance"
        found = match_name(phrase, people, fuzzy_threshold=80.0)
        if found is not None:
            return found.person, found.kind, phrase
    return None


def name_voices(segments: list[dict], people: list[Person]) -> Naming:
    """Names for the ``SPEAKER_nn`` of ``segments`` (dicts with start, text, speaker) from
    the cues their text holds; ``segments`` are not changed."""
    voices = []
    for seg in segments:
        if seg["speaker"] not in voices:
            voices.append(seg["speaker"])
    naming = Naming()
    if not people:
        for v in voices:
            naming.record[v] = {"name": None, "assigned": "none: no programme given", "cues": []}
        return naming
    cues = list(_find_cues(segments, people))
    by_voice: dict[str, dict[str, list[Cue]]] = {}
    unclear: dict[str, list[Cue]] = {}  # cues whose spoken name fits several people
    for cue in cues:
        if cue.match == "ambiguous":
            unclear.setdefault(cue.voice, []).append(cue)
        else:
            by_voice.setdefault(cue.voice, {}).setdefault(cue.person, []).append(cue)
    # a voice's candidate: the person its cues name, when they agree — at least two in three
    # of its cues, and nobody else introducing themselves in its voice (two people's
    # self-introductions in one voice are two people the clustering merged)
    candidate: dict[str, tuple[str, int]] = {}
    for voice, persons in by_voice.items():
        ranked = sorted(persons.items(), key=lambda kv: -len(kv[1]))
        lead, others = ranked[0], ranked[1:]
        against = sum(len(cs) for _, cs in others)
        if len(lead[1]) < 2 * against:
            continue
        if any(c.kind == "self-introduction" for _, cs in others for c in cs):
            continue
        candidate[voice] = (lead[0], len(lead[1]))
    # a person goes to one voice: the one with most cues; a tie names neither
    claims: dict[str, list[tuple[int, str]]] = {}
    for voice, (person, votes) in candidate.items():
        claims.setdefault(person, []).append((votes, voice))
    for person, claimants in claims.items():
        claimants.sort(reverse=True)
        if len(claimants) == 1 or claimants[0][0] > claimants[1][0]:
            naming.names[claimants[0][1]] = person
    for voice in voices:
        persons = by_voice.get(voice, {})
        voice_cues = [c.to_dict() for cs in persons.values() for c in cs]
        voice_cues += [c.to_dict() for c in unclear.get(voice, [])]
        voice_cues.sort(key=lambda c: c["time"])
        if voice in naming.names:
            kinds = sorted({c.kind for c in persons[naming.names[voice]]})
            how = " and ".join(kinds)
            outvoted = [c for p, cs in persons.items() if p != naming.names[voice] for c in cs]
            if outvoted:
                how += f" ({len(outvoted)} of {len(outvoted) + len(persons[naming.names[voice]])} cues name others: "
                how += "; ".join(_quote(c) for c in outvoted) + ")"
        elif not persons and voice in unclear:
            how = "none: the name said could be more than one person: " + "; ".join(
                _quote(c) for c in unclear[voice]
            )
        elif not persons:
            how = "none: the recording says nothing that names this voice"
        elif voice not in candidate:
            how = (
                "none: cues name different people ("
                + ", ".join(sorted(persons))
                + "): "
                + "; ".join(_quote(c) for cs in persons.values() for c in sorted(cs, key=lambda c: c.time))
            )
        else:
            how = f"none: {candidate[voice][0]} is named for another voice with as many or more cues"
        naming.record[voice] = {"name": naming.names.get(voice), "assigned": how, "cues": voice_cues}
    return naming


def _quote(cue: Cue) -> str:
    """One cue for a note: its kind, the words said and when, and whom they name."""
    who = cue.person if cue.match != "ambiguous" else f"could be {cue.person}"
    return f"{cue.kind} '{cue.text}' at {cue.time:.1f} s ({who})"


def _find_cues(segments: list[dict], people: list[Person]) -> Iterator[Cue]:
    patterns = {"self": _after("self"), "next": _after("next"), "thanks": _after("thanks")}
    kinds = {"self": "self-introduction", "next": "handed over to", "thanks": "thanked"}
    before = _before()
    for i, seg in enumerate(segments):
        text, voice, start = seg["text"], seg["speaker"], float(seg["start"])
        for kind, pattern in patterns.items():
            for m in pattern.finditer(text):
                found = find_person(m.group(1), people)
                cue_words = text[m.start(0) : m.start(1)].strip(" ,")
                if found is None:
                    unsure = ambiguous(m.group(1), people)
                    target = _target(segments, i, kind) if unsure else None
                    if unsure is not None and target is not None:
                        said = f"{cue_words} {unsure[0]}".strip()
                        person = " or ".join(unsure[1])
                        yield Cue(kinds[kind], target, person, voice, start, said, "ambiguous")
                    continue
                target = _target(segments, i, kind)
                if target is None:
                    continue
                said = f"{cue_words} {found[2]}".strip()
                yield Cue(kinds[kind], target, found[0].name, voice, start, said, found[1])
        for m in before.finditer(text):
            spoken = m.group(1).split()
            # the name is the last words before the comma: the shortest run of them that is a name
            for n in range(1, min(len(spoken), 4) + 1):
                found = find_person(" ".join(spoken[-n:]), people)
                if found is None:
                    continue
                target = _target(segments, i, "next")
                if target is not None:
                    said = f"{found[2]}{text[m.end(1) : m.end(0)]}"
                    yield Cue("handed over to", target, found[0].name, voice, start, said, found[1])
                break


def _target(segments: list[dict], i: int, kind: str) -> str | None:
    """The voice a cue in segment ``i`` names: its own, the next other one, or the one before."""
    voice = segments[i]["speaker"]
    if kind == "self":
        return voice
    step = 1 if kind == "next" else -1
    j = i + step
    while 0 <= j < len(segments):
        if segments[j]["speaker"] != voice:
            return segments[j]["speaker"]
        j += step
    return None
