"""Rule ``support`` around questions and answers, on real transcripts (QMSum, the bundled example).

An answer reported under the member who asked is a misattribution even when the question
shares its words; the same answer under the one who answered, and a question reported
under the one who asked, are not. The shared exemplar, written by hand from the bundled
example, raises no ``support`` finding when its sentences carry the speakers its evidence
file names.
"""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import pytest

from sessionsketch.analysis import syntax
from sessionsketch.analysis.names import fold
from sessionsketch.checks import run_checks
from sessionsketch.model import Paragraph, Sentence, Sketch, Transcript
from sessionsketch.pipeline import read_transcript
from sessionsketch.readers.programme import load_programme
from sessionsketch.text import split_sentences, word_count

from ..conftest import EXAMPLES, SHARED

EXEMPLARS = SHARED / "exemplars"
_OPENER = re.compile(r"^(?:(?:yes|yeah|no|well|so|okay|and|but|i think)\b[,.;:—-]*\s*)+", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _parser() -> None:
    if not syntax.available():
        pytest.skip("the spaCy English model is not installed")


def _content(text: str) -> set[str]:
    return {w for w in fold(text).split() if len(w) > 3}


def _replies(transcript: Transcript) -> list[tuple[str, str, str]]:
    """(answerer, asker, the answer's sentence sharing most words with the question) per pair."""
    out = []
    for ask, answer in pairwise(transcript.turns):
        if not ask.speaker or not answer.speaker or ask.speaker_name == answer.speaker_name:
            continue
        spans = split_sentences(ask.text)
        if not spans or not spans[-1].text.rstrip().endswith("?"):
            continue
        asked = _content(" ".join(s.text for s in spans[-2:]))
        candidates = [
            s.text
            for s in split_sentences(answer.text)
            if 8 <= word_count(s.text) <= 60 and not s.text.rstrip().endswith("?")
        ]
        if candidates:
            best = max(candidates, key=lambda t: len(_content(t) & asked))
            out.append((answer.speaker_name, ask.speaker_name, _OPENER.sub("", best)))
    return out


def _flagged(sketch: Sketch, transcript: Transcript) -> set[int]:
    findings = run_checks(sketch, None, transcript, only=["support"])
    return {f.location.paragraph for f in findings if f.rule == "support.misattributed"}


def test_answers_under_the_member_who_asked_are_caught(qmsum_dir: Path) -> None:
    transcript = read_transcript(qmsum_dir / "val" / "education_0.json")
    replies = _replies(transcript)
    assert len(replies) >= 20

    def sketch(who: int) -> Sketch:
        return Sketch(
            paragraphs=[
                Paragraph([Sentence(f"{pair[who].split()[-1]} said that {text}", pair[who])], pair[who])
                for *pair, text in replies
            ]
        )

    assert _flagged(sketch(0), transcript) == set()  # under the one who answered
    caught = _flagged(sketch(1), transcript)  # under the one who asked
    assert len(caught) >= 0.9 * len(replies), (len(caught), len(replies))


def test_a_reported_question_stays_with_the_one_who_asked(qmsum_dir: Path) -> None:
    transcript = read_transcript(qmsum_dir / "val" / "education_0.json")
    # Sian Gwenllian AM asks how the virus affects children; Vaughan Gething AM answers (turns 1-2)
    text = "Gwenllian asked how much is understood about how this virus impacts children and young people."
    asker, answerer = transcript.turns[1].speaker_name, transcript.turns[2].speaker_name
    right = Sketch(paragraphs=[Paragraph([Sentence(text, asker)], asker)])
    wrong = Sketch(
        paragraphs=[Paragraph([Sentence(text.replace("Gwenllian", "Gething"), answerer)], answerer)]
    )
    assert run_checks(right, None, transcript, only=["support"]) == []
    assert _flagged(wrong, transcript) == {0}


def _exemplar() -> tuple[list[dict], object, Transcript]:
    evidence_file = EXEMPLARS / "welsh-education-committee.evidence.json"
    if not evidence_file.exists():
        pytest.skip("../shared/exemplars is not present")
    programme = load_programme(EXAMPLES / "welsh-education-committee" / "programme.yaml")
    transcript = read_transcript(EXAMPLES / "welsh-education-committee" / "transcript.json", programme)
    evidence = [e for e in json.loads(evidence_file.read_text(encoding="utf-8")) if e["speaker"]]
    return evidence, programme, transcript


def test_the_exemplar_under_its_evidence_speakers_raises_no_support_finding() -> None:
    evidence, programme, transcript = _exemplar()
    sketch = Sketch(
        paragraphs=[Paragraph([Sentence(e["text"], e["speaker"])], e["speaker"]) for e in evidence]
    )
    assert run_checks(sketch, programme, transcript, only=["support"]) == []


def test_the_exemplar_s_answers_under_the_members_who_asked_are_caught() -> None:
    evidence, programme, transcript = _exemplar()
    # "Asked by Hefin David when schools might reopen, Williams could give no date: …" is
    # Williams's answer; under Hefin David, who only asked, it is a misattribution
    first = evidence[0]
    assert first["text"].startswith("Asked by Hefin David")
    wrong = Sketch(paragraphs=[Paragraph([Sentence(first["text"], "Hefin David")], "Hefin David")])
    findings = run_checks(wrong, programme, transcript, only=["support"])
    assert [f.rule for f in findings] == ["support.misattributed"]
    assert "Kirsty Williams said it" in findings[0].message
