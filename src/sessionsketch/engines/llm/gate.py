"""The evidence gate every sentence the model writes passes before it reaches the sketch.

See :mod:`sessionsketch.engines.llm` for the rules; the gate is lexical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sessionsketch.checks.style import sentence_problems
from sessionsketch.data import words
from sessionsketch.engines.llm.prompt import Drafted
from sessionsketch.engines.reported import FIRST_PERSON_RE, SECOND_PERSON_RE
from sessionsketch.model import Evidence, Person, Sentence, Session, Transcript
from sessionsketch.text import split_sentences

_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_QUOTED_RE = re.compile(r"\"[^\"]*\"|“[^”]*”")
_CAPITAL_RE = re.compile(r"\b[A-Z][\w'’-]*")


def _direct_speech(text: str) -> str | None:
    """A first- or second-person word outside quotation marks ("we", "My", "you"), if any."""
    bare = _QUOTED_RE.sub("", text)
    initial_lowered = re.sub(r"^\W*\w", lambda m: m.group(0).lower(), bare)
    m = (
        FIRST_PERSON_RE.search(bare)
        or FIRST_PERSON_RE.search(initial_lowered)
        or SECOND_PERSON_RE.search(bare)
    )
    return m.group(0) if m else None


@dataclass
class Rejection:
    speaker: str
    text: str
    reason: str
    turns: tuple[int, ...] = ()  # the turns the model cited


@dataclass
class GateResult:
    kept: list[Sentence]
    rejected: list[Rejection]


class EvidenceGate:
    """Checks each model sentence against the transcript; see the module docstring."""

    def __init__(self, transcript: Transcript, session: Session, scorer: Any = None) -> None:
        from sessionsketch.analysis.support import SUPPORTED, scorer_for

        if scorer is None:
            scorer = scorer_for(transcript)

        self.threshold = SUPPORTED
        self.scorer = scorer
        self.turns = {t.index: t for t in transcript.turns}
        self.names = [p.name for p in session.participants]
        self.name_words = {
            w.lower()
            for p in [*session.participants, *(t.speaker for t in transcript.turns if t.speaker)]
            for form in [p.name, *p.aliases]
            for w in re.findall(r"[\w'’-]+", form)
        }

    def check(self, person: Person, drafted: Drafted) -> tuple[Sentence | None, str]:
        """The sentence with its evidence, or None and why it was rejected."""
        cited = [i for i in drafted.turns if i in self.turns]
        if not drafted.turns or not cited:
            return None, "cites no turn of the transcript"
        foreign = [i for i in cited if self.turns[i].speaker_name != person.name]
        if foreign:
            return None, f"cites turn {foreign[0]}, which is not {person.name}'s"
        direct = _direct_speech(drafted.text)
        if direct:
            return None, f"not reported speech ('{direct}' outside quotation marks)"
        # the same style rules as the extractive engine's sentences and check's `style` family
        problems = sentence_problems(drafted.text, None, self.names)
        if problems:
            rule, message = problems[0]
            return None, f"{rule}: {message}"
        source = " ".join(self.turns[i].text for i in cited)
        source_low = source.lower()
        source_digits = {n.replace(",", "") for n in _NUMBER_RE.findall(source)}
        for number in _NUMBER_RE.findall(drafted.text):
            if number.replace(",", "") not in source_digits:
                return None, f"the number {number} is not in the cited turns"
        for m in _CAPITAL_RE.finditer(drafted.text):
            word = m.group(0).rstrip("'’-")
            low = word.lower()
            if low.removesuffix("'s").removesuffix("’s") in self.name_words:
                continue
            at_start = (
                drafted.text[: m.start()].strip() == "" or drafted.text[: m.start()].rstrip()[-1:] in '.:;!?"'
            )
            if at_start and low in words("sentence_openers"):
                continue
            if not re.search(rf"\b{re.escape(low.removesuffix(chr(39) + 's'))}", source_low):
                return None, f"'{word}' is not in the cited turns"
        support = self.scorer.support(drafted.text, person.name)
        if support.turn is None or support.score < self.threshold:
            return None, f"not supported by {person.name}'s turns (score {support.score:.2f})"
        if support.turn not in cited:
            return None, f"best support is turn {support.turn}, not the cited turn(s) {list(cited)}"
        text = drafted.text if drafted.text[-1] in ".?!" else drafted.text + "."
        return Sentence(text, person.name, [Evidence(support.turn, support.start, support.end)]), ""

    def run(self, person: Person, drafted: list[Drafted]) -> GateResult:
        """Each sentence of each answer checked on its own (an answer's text may hold several)."""
        kept: list[Sentence] = []
        rejected: list[Rejection] = []
        seen: set[str] = set()
        spans_used: set[tuple[int, int, int]] = set()  # a second sentence on the same span repeats it
        for answer in drafted:
            for span in split_sentences(answer.text):
                d = Drafted(span.text.strip(), answer.turns)
                if not d.text or d.text.lower() in seen:
                    continue
                seen.add(d.text.lower())
                sentence, why = self.check(person, d)
                if sentence is None:
                    rejected.append(Rejection(person.name, d.text, why, d.turns))
                    continue
                ev = sentence.evidence[0]
                if (ev.turn, ev.start, ev.end) not in spans_used:
                    spans_used.add((ev.turn, ev.start, ev.end))
                    kept.append(sentence)
        return GateResult(kept, rejected)
