"""The LLM engine against a REAL model: SmolLM2-135M-Instruct behind llama.cpp's server.

A whole QMSum meeting is too slow for a test on 2 cores (the shortest committee meeting
is about 8,100 words, some 15 requests of 1,400 prompt tokens at roughly 80 prompt
tokens a second on one contended core), so the tests draft one gold span of one
meeting: QMSum ``education_19`` (train) turns 3-10, the span of the query "What did Huw
Morris think of the 'no deal' scenario ...": 8 turns, 582 words, three speakers.

It goes end to end through ``sessionsketch draft --engine llm`` in a subprocess, with the
disk cache in a temporary folder; the in-process checks then ask the same questions
again and get every answer from that cache. The model is small and invents things,
which is the point: every sentence that reaches the sketch must be supported, and the
gate must be seen rejecting the invented ones.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from sessionsketch.analysis.support import SUPPORTED, scorer_for
from sessionsketch.checks import run_checks
from sessionsketch.engines import DraftOptions, get_engine
from sessionsketch.model import Sketch
from sessionsketch.pipeline import read_transcript
from sessionsketch.readers.programme import load_programme

from .conftest import MODEL_ALIAS, SECRET

pytestmark = pytest.mark.llm

MEETING = "train/education_19.json"
SPAN = (3, 10)  # inclusive, as QMSum's relevant_text_span
PROGRAMME = """\
session:
  title: Children, Young People and Education Committee (QMSum education_19, turns 3-10)
  speakers:
    - name: Suzy Davies
    - name: Kirsty Williams
    - name: Huw Morris
"""


@dataclass
class Run:
    programme: Path
    transcript: Path
    sketch: Path
    cache: Path
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def real_run(llama_server: str, qmsum_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("real")
    doc = json.loads((qmsum_dir / MEETING).read_text("utf-8"))
    span = {"meeting_transcripts": doc["meeting_transcripts"][SPAN[0] : SPAN[1] + 1]}
    transcript = folder / "education_19-span.json"
    transcript.write_text(json.dumps(span), encoding="utf-8")
    programme = folder / "programme.yaml"
    programme.write_text(PROGRAMME, encoding="utf-8")
    sketch = folder / "sketch.json"
    cache = folder / "cache"
    env = {**os.environ, "OPENAI_API_KEY": SECRET, "XDG_CACHE_HOME": str(cache)}
    env.pop("SESSIONSKETCH_LLM_ENDPOINT", None)
    argv = ["draft", str(programme), str(transcript), "--engine", "llm", "--endpoint", llama_server]
    argv += ["--model", MODEL_ALIAS, "--explain", "-o", str(sketch)]
    result = subprocess.run(
        [sys.executable, "-m", "sessionsketch", *argv], env=env, capture_output=True, text=True, timeout=600
    )
    return Run(programme, transcript, sketch, cache / "sessionsketch" / "llm", result)


def _summary(err: str) -> dict[str, int]:
    m = re.search(
        r"(\d+) request\(s\) \((\d+) from cache\), (\d+) prompt \+ (\d+) completion tokens; "
        r"(\d+) sentence\(s\) kept, (\d+) rejected",
        err,
    )
    assert m, err
    keys = ("requests", "cached", "prompt", "completion", "kept", "rejected")
    return dict(zip(keys, map(int, m.groups()), strict=True))


def test_real_model_drafts_a_qmsum_span_every_sentence_supported(real_run: Run) -> None:
    r = real_run.result
    assert r.returncode == 0, r.stderr
    err = r.stderr
    summary = _summary(err)
    assert re.search(r": \d+\.\d s, ", err)  # the run's time
    assert summary["requests"] >= 3 and summary["cached"] == 0  # one question per speaker at least
    assert summary["prompt"] > 500 and summary["completion"] > 0
    assert summary["kept"] >= 1, "no sentence of the real model passed the gate: the sketch is all extractive"

    programme = load_programme(real_run.programme)
    transcript = read_transcript(real_run.transcript, programme)
    sketch = Sketch.from_dict(json.loads(real_run.sketch.read_text("utf-8")))
    scorer = scorer_for(transcript)
    m = re.search(r"extractive engine for ([^\n]+)", err)
    fell_back = set(m.group(1).split(", ")) if m else set()
    speakers = {p.speaker for p in sketch.paragraphs if p.speaker}
    assert speakers == {"Suzy Davies", "Kirsty Williams", "Huw Morris"}
    model_written = 0
    for para in sketch.paragraphs:
        for s in para.sentences:
            if not s.speaker:
                continue
            # its evidence rests on the named speaker's own turns
            assert s.evidence, s.text
            assert all(transcript.turns[e.turn].speaker_name == s.speaker for e in s.evidence), s.text
            if s.speaker not in fell_back:  # the model wrote it: the gate's bar, on the cited turn
                support = scorer.support(s.text, s.speaker)
                assert support.score >= SUPPORTED and support.turn == s.evidence[0].turn, s.text
                model_written += 1
    assert model_written == summary["kept"]
    # and the check command's support rule finds nothing unsupported or misattributed
    findings = run_checks(sketch, programme, transcript, only=["support"])
    assert findings == [], [f.message for f in findings]
    # the key went to the server only as a header: not in the output, the sketch or the cache
    assert SECRET not in r.stdout + err + real_run.sketch.read_text("utf-8")
    assert all(SECRET not in p.read_text("utf-8") for p in real_run.cache.glob("*.json"))


def test_evidence_gate_rejects_what_the_real_model_got_wrong(real_run: Run, llama_server: str) -> None:
    assert real_run.result.returncode == 0, real_run.result.stderr
    cli = _summary(real_run.result.stderr)
    programme = load_programme(real_run.programme)
    transcript = read_transcript(real_run.transcript, programme)
    engine = get_engine("llm", endpoint=llama_server, model=MODEL_ALIAS, cache_dir=str(real_run.cache))
    sketch = engine.draft(programme, programme.session, transcript, DraftOptions())
    report = engine.report.figures
    # the same questions: every answer from the cache, the same verdicts
    assert report["requests"] == 0 and report["cached"] == cli["requests"]
    assert report["rejected"] == cli["rejected"] >= 1
    assert sketch.to_dict() == json.loads(real_run.sketch.read_text("utf-8"))
    texts = " ".join(s.text for p in sketch.paragraphs for s in p.sentences)
    scorer = scorer_for(transcript)
    # Which sentences a real model gets wrong depends on its build's arithmetic (a portable and
    # a native llama.cpp build word this span differently), so every rejection is checked
    # against what its reason claims, rather than expecting one kind of mistake.
    verified = 0
    for x in report["rejections"]:
        assert x["reason"] and x["text"] not in texts
        assert f"rejected ({x['speaker']}, turns " in real_run.result.stderr  # --explain listed it
        cited = " ".join(transcript.turns[i].text for i in x["turns"] if 0 <= i < len(transcript.turns))
        m = re.fullmatch(
            r"the number (\S+) is not in the cited turns|'(.+)' is not in the cited turns", x["reason"]
        )
        if m:  # an invented number or name: it really is absent from what the sentence cites
            token = (m.group(1) or m.group(2)).removesuffix("'s").removesuffix("’s").lower()
            assert not re.search(rf"\b{re.escape(token)}\b", cited.lower()), x
            verified += 1
        m = re.fullmatch(r"not reported speech \('(\w+)' outside quotation marks\)", x["reason"])
        if m:  # a first- or second-person word really stands outside quotation marks
            bare = re.sub(r'"[^"]*"|“[^”]*”', "", x["text"])
            assert re.search(rf"\b{m.group(1)}\b", bare, re.IGNORECASE), x
            verified += 1
        m = re.fullmatch(r"not supported by (.+)'s turns \(score (\S+)\)", x["reason"])
        if m:  # the support scorer really scores it under the bar
            assert m.group(1) == x["speaker"] and scorer.support(x["text"], x["speaker"]).score < SUPPORTED, x
            verified += 1
    assert verified >= 1, report["rejections"]
