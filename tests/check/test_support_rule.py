"""Rule ``support``: sentences rest on their speaker's own turns (fictional panel and QMSum)."""

from __future__ import annotations

import random

from sessionsketch.checks import run_checks
from sessionsketch.model import Paragraph, Sentence, Sketch
from sessionsketch.pipeline import read_transcript
from sessionsketch.text import split_sentences, word_count


def _support(sketch, programme, transcript):
    return run_checks(sketch, programme, transcript, only=["support"])


def test_correct_attributions_are_supported(sketch, programme, transcript) -> None:
    assert _support(sketch, programme, transcript) == []


def test_misattribution_names_the_real_speaker_and_quotes_the_turn(sketch, programme, transcript) -> None:
    sent = sketch.paragraphs[2].sentences[1]
    sent.speaker = "Ada Quill"
    sent.text = "Quill warned that the sea wall will not hold past 2040 without new funding."
    findings = _support(sketch, programme, transcript)
    assert [(f.rule, f.location.paragraph, f.location.sentence) for f in findings] == [
        ("support.misattributed", 2, 1)
    ]
    assert "Tan Weiming said it" in findings[0].message
    assert "turn 3" in findings[0].message and "sea wall will not hold" in findings[0].message


def test_a_sentence_nobody_said_is_unsupported(sketch, programme, transcript) -> None:
    sketch.paragraphs[1].sentences.append(
        Sentence("Otterly also praised the opera house acoustics and its velvet seats.", "Bram Otterly")
    )
    findings = _support(sketch, programme, transcript)
    assert [f.rule for f in findings] == ["support.unsupported"]


def test_support_rule_needs_a_transcript(sketch, programme) -> None:
    sketch.paragraphs[0].sentences[0].speaker = "Bram Otterly"
    assert run_checks(sketch, programme, None, only=["support"]) == []


def test_swapped_speakers_in_a_qmsum_meeting_are_caught(qmsum_dir) -> None:
    transcript = read_transcript(qmsum_dir / "val" / "education_0.json")
    rng = random.Random(5)
    speakers = sorted({t.speaker_name for t in transcript.turns if t.speaker_name})
    paragraphs = []
    for name in speakers:
        pool = [
            s.text
            for t in transcript.turns_of(name)
            for s in split_sentences(t.text)
            if 12 <= word_count(s.text) <= 50
        ]
        if pool:
            family = name.split()[-1]
            chosen = rng.sample(pool, min(2, len(pool)))
            paragraphs.append(Paragraph([Sentence(f"{family} said that {s}", name) for s in chosen], name))
    sketch = Sketch(paragraphs=paragraphs)
    assert [f for f in _support(sketch, None, transcript) if f.rule == "support.misattributed"] == []
    swapped = []
    for i, para in enumerate(sketch.paragraphs[:4]):
        para.sentences[0].speaker = next(s for s in speakers if s != para.speaker)
        swapped.append((i, 0))
    found = {
        (f.location.paragraph, f.location.sentence)
        for f in _support(sketch, None, transcript)
        if f.rule == "support.misattributed"
    }
    assert found == set(swapped)
