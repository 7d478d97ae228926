"""Every transcript reader and the sentence splitter run in linear time (issue 16 §2).

Each case builds an input of 10k, 20k, 40k and 80k characters — hostile ones (runs of
``<v ``, ``<b ``, tags, brackets, abbreviations, dots, one huge line, no new lines) and
ordinary ones (many cues, many turns) — and times the read, best of three, in CPU time of
this process (small reads are repeated so each measure is at least 10 ms). The test never
compares a time with a fixed threshold: it fails when the work grows by more than ~2.5x
per doubling (over the three doublings, 2.5**3), or by more than 3.2x over the last
doubling, where quadratic work shows as 4x, in three series in a row (one series spoilt
by a busy machine is measured again).
"""

from __future__ import annotations

import gc
import io
import json
import math
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from sessionsketch.errors import UserError
from sessionsketch.readers import detect, readers
from sessionsketch.text import split_sentences

SIZES = (10_000, 20_000, 40_000, 80_000)


def fill(unit: str, n: int, head: str = "", tail: str = "") -> str:
    """``head`` + ``unit`` repeated to ``n`` characters + ``tail``."""
    return head + unit * max(1, (n - len(head) - len(tail)) // len(unit)) + tail


VTT_CUE = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
SRT_CUE = "1\n00:00:01,000 --> 00:00:02,000\n"


def docx(n: int) -> bytes:
    """A Word transcript of about ``n`` characters of paragraphs (Teams shape)."""
    para = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
    body = fill(para.format("Ada Quill   0:03") + para.format("We will publish the figures monthly."), n)
    xml = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + body
        + "</w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", xml)
    return buf.getvalue()


# name -> (reader name or None for detection, file name, input builder)
TRANSCRIPT_CASES: dict[str, tuple[str | None, str, Callable[[int], str | bytes]]] = {
    "vtt: repeated '<v '": ("vtt", "x.vtt", lambda n: fill("<v ", n, VTT_CUE)),
    "vtt: repeated '<b '": ("vtt", "x.vtt", lambda n: fill("<b ", n, VTT_CUE)),
    "vtt: repeated '<'": ("vtt", "x.vtt", lambda n: fill("<", n, VTT_CUE)),
    "vtt: many tags": ("vtt", "x.vtt", lambda n: fill("<c.x>w</c><00:00:01.000>", n, VTT_CUE)),
    "vtt: one huge line": ("vtt", "x.vtt", lambda n: fill("word ", n, VTT_CUE)),
    "vtt: Zoom cues, one speaker": (
        None,
        "x.vtt",
        lambda n: fill("00:00:01.000 --> 00:00:02.000\nAda Quill: we publish monthly.\n\n", n, "WEBVTT\n\n"),
    ),
    "vtt: Teams cues, many voices": (
        None,
        "x.vtt",
        lambda n: fill(
            "00:00:01.000 --> 00:00:02.000\n<v Ada Quill>Yes.</v><v Bram Teller>No.</v>\n\n", n, "WEBVTT\n\n"
        ),
    ),
    "vtt: YouTube rolling lines": (
        None,
        "x.vtt",
        lambda n: fill(
            "00:00:01.000 --> 00:00:02.000\nsame line\nnew<00:00:01.500><c> words</c>\n\n", n, "WEBVTT\n\n"
        ),
    ),
    "vtt: repeated '-->'": ("vtt", "x.vtt", lambda n: fill("-->", n, "WEBVTT\n\n")),
    "srt: repeated '<b '": ("srt", "x.srt", lambda n: fill("<b ", n, SRT_CUE)),
    "srt: repeated '{\\\\'": ("srt", "x.srt", lambda n: fill("{\\", n, SRT_CUE)),
    "srt: cues, one speaker": (
        None,
        "x.srt",
        lambda n: fill("00:00:01,000 --> 00:00:02,000\nADA QUILL: we publish monthly.\n\n", n),
    ),
    "sbv: cues": (None, "x.sbv", lambda n: fill("0:00:01.000,0:00:02.000\nAda Quill: we publish.\n\n", n)),
    "captions: one huge line": ("captions", "x.txt", lambda n: fill("word ", n, ">>ADA QUILL: ")),
    "captions: continuation lines": (
        "captions",
        "x.txt",
        lambda n: fill("and more words\n", n, ">>ADA QUILL: hi\n"),
    ),
    "text: continuation lines": (
        None,
        "x.txt",
        lambda n: fill("and we publish monthly\n", n, "Ada Quill: Yes.\n"),
    ),
    "text: many turns": (None, "x.txt", lambda n: fill("Ada Quill: Yes.\nBram Teller: No.\n", n)),
    "text: no new lines": ("text", "x.txt", lambda n: fill("word ", n, "Ada Quill: ")),
    "text: repeated '('": ("text", "x.txt", lambda n: fill("(", n, "Ada Quill ")),
    "text: repeated 'Ada ('": ("text", "x.txt", lambda n: fill("Ada (", n)),
    "text: capitalised words, no colon": ("text", "x.txt", lambda n: fill("Ada ", n)),
    "text: repeated '['": ("text", "x.txt", lambda n: fill("[", n)),
    "text: repeated '[A] '": ("text", "x.txt", lambda n: fill("[A] ", n)),
    "text: one huge word then colon": ("text", "x.txt", lambda n: fill("a", n, "", ": hi")),
    "zoom captions": (None, "x.txt", lambda n: fill("[Ada Quill] 10:02:31\nWe publish monthly.\n\n", n)),
    "otter": (None, "x.txt", lambda n: fill("Ada Quill  0:34\nWe publish monthly.\n\n", n)),
    "otter: name alone lines": (
        "otter",
        "x.txt",
        lambda n: fill("Ada Quill\nWe publish monthly.\n\n", n, "Transcript\n"),
    ),
    "rev text": (None, "x.txt", lambda n: fill("Speaker 0    00:00:00    We publish monthly.\n", n)),
    "meet": (
        None,
        "x.txt",
        lambda n: fill("Ada Quill: We publish.\n00:05:00\n", n, "Panel - Transcript\n00:00:00\n"),
    ),
    "hansard": (None, "x.txt", lambda n: fill("Ada Quill (West) (Lab): Yes.\nMore.\n", n)),
    "hansard: repeated '('": ("hansard", "x.txt", lambda n: fill("(", n, "Ada Quill ")),
    "rev json": (
        None,
        "x.json",
        lambda n: json.dumps(
            {
                "monologues": [
                    {
                        "speaker": 0,
                        "elements": [{"type": "text", "value": "w", "ts": 0.0, "end_ts": 1.0}] * (n // 50),
                    }
                ]
            }
        ),
    ),
    "whisperx: one speaker": (
        None,
        "x.json",
        lambda n: json.dumps(
            {"segments": [{"start": 0.0, "end": 1.0, "text": "yes", "speaker": "S"}] * (n // 60)}
        ),
    ),
    "qmsum": (
        None,
        "x.json",
        lambda n: json.dumps({"meeting_transcripts": [{"speaker": "A", "content": "yes we do"}] * (n // 40)}),
    ),
    "parlparse: many speeches": (
        None,
        "x.xml",
        lambda n: fill(
            '<speech speakername="Ada Quill" time="14:00:00"><p>Yes.</p></speech>',
            n,
            "<publicwhip>",
            "</publicwhip>",
        ),
    ),
    "parlparse: repeated '<'": ("parlparse", "x.xml", lambda n: fill("<", n, "<publicwhip>")),
    "docx: many paragraphs": (None, "x.docx", docx),
}

SPLITTER_CASES: dict[str, Callable[[int], str]] = {
    "repeated 'Mr. '": lambda n: fill("Mr. ", n),
    "repeated 'Mr. Ada '": lambda n: fill("Mr. Ada ", n),
    "dots": lambda n: fill(".", n),
    "dots and spaces": lambda n: fill(". ", n, "A"),
    "dots then a capital": lambda n: fill(".", n, "a", " B"),
    "initials": lambda n: fill("A. ", n),
    "acronyms": lambda n: fill("U.S. ", n),
    "quotes after a stop": lambda n: fill('"', n, "a.", " B"),
    "spaces after a stop": lambda n: fill(" ", n, "a.", "b"),
    "one huge word": lambda n: fill("a", n, "", ". B"),
    "ordinary prose": lambda n: fill("The towns will publish their figures monthly. Is that too often? ", n),
    "no new lines, no stops": lambda n: fill("word ", n),
    "paragraph breaks": lambda n: fill("One.\n\n", n),
    "blank lines of tabs": lambda n: fill("\n\t\t", n),
}


def cpu_time(fn: Callable[[], object], calls: int, repeat: int = 3) -> float:
    """The best of ``repeat`` CPU times of ``calls`` calls of ``fn``."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            t0 = time.process_time()
            for _ in range(calls):
                fn()
            best = min(best, time.process_time() - t0)
        finally:
            gc.enable()
    return max(best, 1e-6)


def assert_linear(name: str, run: Callable[[int], Callable[[], object]]) -> None:
    """Fail when the work of ``run(n)`` grows faster than linearly in ``n``.

    The number of calls per measurement is set so that the smallest input takes at least
    10 ms of CPU, far above the clock's resolution, and kept for every size.
    """
    first = run(SIZES[0])
    t0 = time.process_time()
    first()
    once = time.process_time() - t0
    calls = max(1, min(200, math.ceil(0.01 / max(once, 1e-5))))
    attempts: list[str] = []
    for _ in range(3):  # a busy machine can spoil one series; quadratic work fails every time
        times = [cpu_time(run(n), calls) for n in SIZES]
        last = times[-1] / times[-2]
        total = times[-1] / times[0]
        if total <= 2.5 ** (len(SIZES) - 1) and last <= 3.2:
            return
        attempts.append(
            ", ".join(f"{n // 1000}k: {t * 1000:.1f} ms" for n, t in zip(SIZES, times, strict=True))
            + f" (x{total:.1f} in all, x{last:.1f} over the last doubling)"
        )
    raise AssertionError(
        f"{name} grows faster than linear, {calls} call(s) a measure: " + "; ".join(attempts)
    )


def _reader_run(reader_name: str | None, filename: str, build: Callable[[int], str | bytes]):
    path = Path(filename)

    def run(n: int) -> Callable[[], object]:
        raw = build(n)
        data = raw.encode("utf-8") if isinstance(raw, str) else raw

        def go() -> object:
            reader = readers("transcript")[reader_name] if reader_name else detect(data, path, "transcript")
            try:
                return reader.read(data, path)
            except UserError as exc:
                return exc

        return go

    return run


@pytest.mark.parametrize("case", sorted(TRANSCRIPT_CASES))
def test_transcript_reader_is_linear(case: str) -> None:
    assert_linear(case, _reader_run(*TRANSCRIPT_CASES[case]))


def test_every_ordinary_case_is_read_by_the_reader_it_names() -> None:
    """The ordinary inputs above really reach their readers (so the timings mean something)."""
    expect = {
        "zoom captions": "zoom-captions",
        "otter": "otter",
        "rev text": "rev-text",
        "meet": "meet",
        "hansard": "hansard",
        "rev json": "rev",
        "whisperx: one speaker": "whisperx",
        "qmsum": "qmsum",
        "parlparse: many speeches": "parlparse",
        "docx: many paragraphs": "docx",
        "sbv: cues": "sbv",
    }
    for case, reader_name in expect.items():
        _, filename, build = TRANSCRIPT_CASES[case]
        raw = build(10_000)
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        reader = detect(data, Path(filename), "transcript")
        assert reader.name == reader_name, case
        assert len(reader.read(data, Path(filename)).turns) >= 1


@pytest.mark.parametrize("case", sorted(SPLITTER_CASES))
def test_sentence_splitter_is_linear(case: str) -> None:
    build = SPLITTER_CASES[case]
    assert_linear(case, lambda n: lambda text=build(n): split_sentences(text))


def test_the_measure_catches_quadratic_work() -> None:
    """The check itself fails on quadratic work (string building by repeated copying)."""

    def quadratic(n: int) -> Callable[[], object]:
        def go() -> object:
            s = b""
            for _ in range(n // 200):
                s = s + b"x" * 200  # bytes never grow in place: each step copies everything
            return s

        return go

    with pytest.raises(AssertionError, match="faster than linear"):
        assert_linear("quadratic", quadratic)
