"""Damaged whisper JSON and RTTM files given speakers: a transcript or one line naming the
file, never a traceback (seeded, so a run is the same every time; the fictional pair in data/)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from tests.mutants import byte_mutants

from sessionsketch.errors import UserError
from sessionsketch.model import Transcript
from sessionsketch.pipeline import read_transcript

DATA = Path(__file__).parent / "data"
SEED = 20261201


def _outcome(path: Path, **speakers: object) -> str | None:
    """None when the read gives a transcript or a one-line error naming a file; else what went wrong."""
    try:
        out = read_transcript(path, **speakers)  # type: ignore[arg-type]
    except UserError as exc:
        text = str(exc)
        if "\n" in text or str(path.parent) not in text:
            return f"not one line naming the file: {text[:120]!r}"
        return None
    except Exception as exc:  # the point of the test
        return f"{type(exc).__name__}: {exc}"[:160]
    if not isinstance(out, Transcript) or not all(t.text and t.label for t in out.turns):
        return f"a bad transcript: {out!r}"[:160]
    return None


def test_damaged_whisper_and_rttm_give_a_transcript_or_one_line(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    whisper = (DATA / "harbour-forum.whisper.json").read_bytes()
    rttm = (DATA / "harbour-forum.rttm").read_bytes()
    good_whisper, good_rttm = tmp_path / "good.json", tmp_path / "good.rttm"
    good_whisper.write_bytes(whisper)
    good_rttm.write_bytes(rttm)
    failures: list[str] = []
    tried = 0
    for what, data in byte_mutants(whisper, rng, 40, cut=400, repeated=600):
        bad = tmp_path / "bad.json"
        bad.write_bytes(data)
        for speakers in ({"diarisation": good_rttm}, {"single_speaker": "Ada Quill"}):
            tried += 1
            problem = _outcome(bad, **speakers)
            if problem:
                failures.append(f"whisper [{what}] {list(speakers)}: {problem}")
    for what, data in byte_mutants(rttm, rng, 40):
        bad = tmp_path / "bad.rttm"
        bad.write_bytes(data)
        tried += 1
        problem = _outcome(good_whisper, diarisation=bad)
        if problem:
            failures.append(f"rttm [{what}]: {problem}")
    # word timings of the wrong type, words that are not objects, a segment without times
    doc = json.loads(whisper)
    doc["segments"][0]["words"][2]["start"] = "soon"
    doc["segments"][1]["words"][0] = "Thanks"
    del doc["segments"][3]["start"]
    for seg in doc["segments"][3]["words"]:
        seg.pop("start")
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps(doc), encoding="utf-8")
    tried += 1
    problem = _outcome(odd, diarisation=good_rttm)
    if problem:
        failures.append(f"odd shapes: {problem}")
    assert tried > 100
    assert not failures, f"{len(failures)} of {tried} reads failed:\n" + "\n".join(failures[:30])
