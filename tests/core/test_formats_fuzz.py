"""Damaged copies of every transcript sample, read by every transcript reader: a Transcript
or a one-line UserError naming the file, never another exception.

The samples are those of ``test_formats.py`` (fictional panels, one per service's shape);
every mutant comes from a seeded ``random.Random``, so a run is the same every time, and a
failure lists the mutants (sample, reader, what was done) and what they raised.
"""

from __future__ import annotations

import importlib.util
import io
import json
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.mutants import Mutant, byte_mutants

from sessionsketch.errors import UserError
from sessionsketch.model import Transcript
from sessionsketch.readers import detect, readers

SEED = 20261201


def _samples_module():
    spec = importlib.util.spec_from_file_location(
        "formats_samples", Path(__file__).with_name("test_formats.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def samples() -> dict[str, bytes]:
    """File name → bytes: every shape test_formats.py reads."""
    m = _samples_module()
    out = {
        "zoom.vtt": m.ISSUE_ZOOM_VTT,
        "teams.vtt": m.TEAMS_VTT,
        "youtube.vtt": m.YOUTUBE_VTT,
        "captions.sbv": m.SBV,
        "zoom_captions.txt": m.ZOOM_CAPTIONS,
        "meet.txt": m.MEET_TXT,
        "otter.txt": m.OTTER_TXT,
        "hansard.txt": m.HANSARD,
        "debates.xml": m.PARLPARSE,
        "rev.json": json.dumps(m.REV_JSON),
        "rev.txt": "Speaker 0    00:00:00    Welcome.\n\nSpeaker 1    00:00:07    Thanks.\n",
        "panel.txt": "Ada Quill: Welcome.\nbram teller: Thanks.\nSpeaker 1: Hello.\n",
        "asr.json": json.dumps(
            {"segments": [{"start": 0.0, "end": 1.0, "text": "Hi.", "speaker": "SPEAKER_00"}]}
        ),
        "forum.rttm": "SPEAKER forum 1 0.520 5.790 <NA> <NA> SPEAKER_00 <NA> <NA>\n"
        "SPEAKER forum 1 6.840 6.120 <NA> <NA> SPEAKER_01 <NA> <NA>\n",
    }
    data = {name: text.encode("utf-8") for name, text in out.items()}
    data["teams.docx"] = m.docx_bytes(["Ada Quill   0:03", "Welcome.", "Bram Teller   0:09", "Thanks."])
    data["meet.docx"] = m.docx_bytes(
        ["Panel - Transcript", "00:00:00", "Ada Quill", "Welcome.", "Bram Teller: Thanks."]
    )
    return data


HOSTILE = [
    "<v ",
    "-->",
    ": ",
    "[",
    "(",
    ")",
    "\x00",
    "\ufeff",
    "&#xffffffff;",
    ">>",
    "\n\n",
    "00:00:0",
    "<c>",
    "<speech",
    "]]>",
]


def line_mutants(data: bytes, rng: random.Random, count: int = 12) -> Iterator[Mutant]:
    """Lines dropped, doubled or swapped; hostile fragments inserted; case and colons changed."""
    lines = data.decode("utf-8", errors="replace").split("\n")
    for i in range(count):
        ls = list(lines)
        at = rng.randrange(len(ls))
        kind = ("drop", "double", "swap", "hostile", "lower", "no colons")[i % 6]
        if kind == "drop":
            del ls[at]
        elif kind == "double":
            ls.insert(at, ls[at])
        elif kind == "swap":
            other = rng.randrange(len(ls))
            ls[at], ls[other] = ls[other], ls[at]
        elif kind == "hostile":
            cut = rng.randrange(len(ls[at]) + 1)
            ls[at] = ls[at][:cut] + rng.choice(HOSTILE) * rng.randint(1, 50) + ls[at][cut:]
        elif kind == "lower":
            ls = [ln.lower() for ln in ls]
        else:
            ls = [ln.replace(":", "") for ln in ls]
        yield f"{kind} at line {at + 1}", "\n".join(ls).encode("utf-8", "surrogatepass")


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, value in parts.items():
            zf.writestr(name, value)
    return buf.getvalue()


def docx_mutants(data: bytes, rng: random.Random) -> Iterator[Mutant]:
    """document.xml missing, cut in half, garbage, empty, with a closing tag gone or an entity."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    doc = parts["word/document.xml"]
    changed = {
        "document.xml missing": None,
        "document.xml cut in half": doc[: len(doc) // 2],
        "document.xml garbage": bytes(rng.randrange(256) for _ in range(200)),
        "document.xml empty": b"",
        "closing tag gone": doc.replace(b"</w:body>", b"", 1),
        "entity declared": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "x">]>' + doc.split(b"?>", 1)[-1],
    }
    for what, value in changed.items():
        others = {k: v for k, v in parts.items() if k != "word/document.xml"}
        if value is not None:
            others["word/document.xml"] = value
        yield what, _zip(others)


def mutants(name: str, data: bytes, rng: random.Random) -> Iterator[Mutant]:
    yield from byte_mutants(data, rng)
    if name.endswith(".docx"):
        yield from docx_mutants(data, rng)
    else:
        yield from line_mutants(data, rng)


def _check(out: object, path: Path) -> str | None:
    """None when ``out`` is an acceptable result, else what is wrong with it."""
    if isinstance(out, UserError):
        text = str(out)
        if "\n" in text or path.name not in text:
            return f"UserError not one line naming the file: {text[:120]!r}"
        return None
    if not isinstance(out, Transcript):
        return f"returned {type(out).__name__}"
    for turn in out.turns:
        if (
            not isinstance(turn.text, str)
            or not turn.text
            or not isinstance(turn.label, str)
            or not turn.label
        ):
            return f"a turn with an empty label or text: {turn!r}"[:160]
    return None


def test_damaged_samples_give_a_transcript_or_one_line(samples: dict[str, bytes]) -> None:
    rng = random.Random(SEED)
    table = readers("transcript")
    failures: list[str] = []
    tried = 0
    for name, original in sorted(samples.items()):
        for what, data in mutants(name, original, rng):
            path = Path(name)
            candidates: list[str] = sorted(table)
            for reader_name in candidates:
                tried += 1
                try:
                    out: object = table[reader_name].read(data, path)
                except UserError as exc:
                    out = exc
                except Exception as exc:  # the point of the test
                    failures.append(f"{name} [{what}] by {reader_name}: {type(exc).__name__}: {exc}"[:200])
                    continue
                problem = _check(out, path)
                if problem:
                    failures.append(f"{name} [{what}] by {reader_name}: {problem}")
            try:
                detect(data, path, "transcript")
            except UserError as exc:
                problem = _check(exc, path)
                if problem:
                    failures.append(f"{name} [{what}] detection: {problem}")
            except Exception as exc:
                failures.append(f"{name} [{what}] detection: {type(exc).__name__}: {exc}"[:200])
    assert tried > 5000
    assert not failures, f"{len(failures)} of {tried} reads failed:\n" + "\n".join(failures[:40])
