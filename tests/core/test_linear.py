"""Every transcript and sketch reader, the sentence splitter and the attribution of a read
sketch run in linear time (issue 16 §2).

Each case builds an input of 10k, 20k, 40k and 80k characters — hostile ones (runs of
``<v ``, ``<b ``, tags, brackets, abbreviations, dots, one huge line, no new lines) and
ordinary ones (many cues, many turns) — and times the read, best of three, in CPU time of
this process (small reads are repeated so each measure is at least 10 ms). The test never
compares a time with a fixed threshold: it fails when the work grows by more than ~2.5x
per doubling (over the three doublings, 2.5**3), or by more than 3.2x over the last
doubling, where quadratic work shows as 4x, in three series in a row (one series spoilt
by a busy machine is measured again).

Attribution (``attribute_sketch``, what ``parse`` and the web import do after reading) is
timed on 2.5k to 20k characters with the dependency parse done beforehand: spaCy's parse is
linear and costs about 70 µs a token, which would only hide the steps measured here (and it
reads at most ``attribute.PARSED_CHARS`` characters of a sentence).
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import math
import signal
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sessionsketch.analysis import syntax
from sessionsketch.analysis.attribute import attribute_sketch, parsed_part
from sessionsketch.analysis.mentions import NameFinder
from sessionsketch.analysis.names import NameIndex, match_name
from sessionsketch.analysis.resolve import infer_programme, resolve_transcript
from sessionsketch.errors import UserError
from sessionsketch.model import Person, Programme, Session, Transcript, Turn
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


def assert_linear(
    name: str, run: Callable[[int], Callable[[], object]], sizes: tuple[int, ...] = SIZES
) -> None:
    """Fail when the work of ``run(n)`` grows faster than linearly in ``n``.

    The number of calls per measurement is set so that the smallest input takes at least
    10 ms of CPU, far above the clock's resolution, and kept for every size.
    """
    first = run(sizes[0])
    t0 = time.process_time()
    first()
    once = time.process_time() - t0
    calls = max(1, min(200, math.ceil(0.01 / max(once, 1e-5))))
    attempts: list[str] = []
    for _ in range(3):  # a busy machine can spoil one series; quadratic work fails every time
        times = [cpu_time(run(n), calls) for n in sizes]
        last = times[-1] / times[-2]
        total = times[-1] / times[0]
        # linear work doubles per doubling (x8 over three), quadratic quadruples (x64). The last
        # doubling may cost up to 3.6x: much of the CPU time of these reads is the kernel's
        # (page faults: 12 of 29 ms for five reads of 40k characters of '“'), and it jumps with
        # the allocator, not with the work (3.3x over the last doubling, x12 in all, on main
        # after the merges of 2026-12-07, with five reads of 80k costing 1.9x the 40k ones
        # when measured alone)
        if total <= 2.5 ** (len(sizes) - 1) and last <= 3.6:
            return
        attempts.append(
            ", ".join(f"{n / 1000:g}k: {t * 1000:.1f} ms" for n, t in zip(sizes, times, strict=True))
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


# ---------------------------------------------------------------------- sketches read back


def json_sketch(n: int) -> str:
    """A sketch JSON of about ``n`` characters (the text reader is given it, as bench/abuse.py does)."""
    sentence = {"text": "Ada Quill said that the towns will publish monthly.", "speaker": "Ada Quill"}
    doc: dict[str, object] = {
        "metadata": {"conference": "Fictional Forum", "session": "Harbour Fees"},
        "paragraphs": [],
    }
    per = len(json.dumps({"sentences": [sentence]}, indent=1)) + 3
    doc["paragraphs"] = [{"sentences": [sentence]}] * max(1, n // per)
    return json.dumps(doc, indent=1)


HTML = "<html><body>"
MD = "# Harbour Fees\n\n"

# name -> (reader name, file name, input builder)
SKETCH_CASES: dict[str, tuple[str, str, Callable[[int], str]]] = {
    "text: repeated 'Mr. '": ("text", "x.txt", lambda n: fill("Mr. ", n, "Session 1\n\n")),
    "markdown: runs of '**a '": ("text", "x.md", lambda n: fill("**a ", n, MD)),
    "markdown: repeated '['": ("text", "x.md", lambda n: fill("[", n, MD)),
    "markdown: repeated '[a]('": ("text", "x.md", lambda n: fill("[a](", n, MD)),
    "markdown: unclosed autolinks": ("text", "x.md", lambda n: fill("<http://a ", n, MD)),
    "markdown: escapes and references": ("text", "x.md", lambda n: fill("\\*&amp;_a ", n, MD)),
    "markdown: pipe-table rows": ("text", "x.md", lambda n: fill("| Session | X |\n", n)),
    "markdown: headings": ("text", "x.md", lambda n: fill("# Head\n", n)),
    "text: a block of names": (
        "text",
        "x.txt",
        lambda n: fill("Ada Quill, Harbour Institute\n", n, "Speakers:\n"),
    ),
    "text: page numbers between paragraphs": (
        "text",
        "x.txt",
        lambda n: fill("Page 1 of 2\n\nThe towns will publish monthly, Ada Quill said.\n\n", n, "S\n\n"),
    ),
    "text: hyphenated line ends": ("text", "x.txt", lambda n: fill("Ste-\n", n, "Session 1\n\n")),
    "text: opening quotes": ("text", "x.txt", lambda n: fill("“", n, "Conference: ")),
    "text: sketch JSON": ("text", "x.txt", json_sketch),
    "html: repeated '<p><b>'": ("html", "x.html", lambda n: fill("<p><b>", n, HTML)),
    "html: nested '<div>'": ("html", "x.html", lambda n: fill("<div>", n, HTML)),
    "html: '<br>' in one paragraph": ("html", "x.html", lambda n: fill("a<br>", n, HTML + "<p>")),
    "html: marked sentences": (
        "html",
        "x.html",
        lambda n: fill('<span data-speaker="Ada Quill">We publish.</span>', n, HTML + "<p>"),
    ),
    "html: nested marks": ("html", "x.html", lambda n: fill('<span data-speaker="A">', n, HTML + "<p>")),
    "json: many sentences": ("json", "x.json", json_sketch),
}


@pytest.mark.parametrize("case", sorted(SKETCH_CASES))
def test_sketch_reader_is_linear(case: str) -> None:
    reader_name, filename, build = SKETCH_CASES[case]
    reader = readers("sketch")[reader_name]

    def run(n: int) -> Callable[[], object]:
        data = build(n).encode("utf-8")

        def go() -> object:
            try:
                return reader.read(data, Path(filename))
            except UserError as exc:
                return exc

        return go

    assert_linear(case, run)


# ---------------------------------------------------------------------- programmes


def _names(n: int, line: str, head: str = "") -> str:
    """``head`` + ``line`` formatted with a different name each time, to ``n`` characters."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out, size, i = [head], len(head), 0
    while size < n:
        name = "Ada Q" + "".join(letters[int(d)] for d in str(i))  # Ada Qb, Ada Qc, … Ada Qbaf
        out.append(line.format(name))
        size += len(out[-1])
        i += 1
    return "".join(out)


SESSION = "conference: Fictional Forum\nsession:\n  title: Harbour Fees\n"
# name -> (file name, input builder); every programme is read by load_programme
PROGRAMME_CASES: dict[str, tuple[str, Callable[[int], str]]] = {
    "yaml: many speakers": (
        "p.yaml",
        lambda n: _names(
            n, "    - name: {}\n      affiliation: Harbour Institute\n", SESSION + "  speakers:\n"
        ),
    ),
    "yaml: speakers as 'Name, Affiliation'": (
        "p.yaml",
        lambda n: _names(n, "    - {}, Harbour Institute\n", SESSION + "  speakers:\n"),
    ),
    "yaml: the same speaker again and again": (
        "p.yaml",
        lambda n: fill("    - Ada Quill\n", n, SESSION + "  participants:\n"),
    ),
    "yaml: a flow list of speakers": (
        "p.yaml",
        lambda n: _names(n, "{}, ", SESSION + "  speakers: [") + "]\n",
    ),
    "yaml: many sessions of one title": (
        "p.yaml",
        lambda n: fill("  - title: Harbour Fees\n", n, "conference: Fictional Forum\nsessions:\n"),
    ),
    "yaml: one long title": (
        "p.yaml",
        lambda n: fill("word ", n, "conference: Fictional Forum\nsession:\n  title: "),
    ),
    "yaml: aliases of one anchor": (
        "p.yaml",
        lambda n: fill("    - *who\n", n, SESSION + "  speakers:\n    - &who Ada Quill\n"),
    ),
    "yaml: comments": ("p.yaml", lambda n: fill("# the harbour fees, again\n", n, SESSION)),
    "yaml: repeated '['": ("p.yaml", lambda n: fill("[", n)),
    "yaml: repeated 'a: {'": ("p.yaml", lambda n: fill("a: {", n)),
    "yaml: escapes in a quoted string": (
        "p.yaml",
        lambda n: fill('\\"', n, 'conference: "', '"\nsession: {title: Harbour Fees}\n'),
    ),
    "json: many speakers": (
        "p.json",
        lambda n: json.dumps(
            {
                "conference": "Fictional Forum",
                "session": {
                    "title": "Harbour Fees",
                    "speakers": [{"name": "Ada Quill", "affiliation": "Harbour Institute"}] * (n // 55),
                },
            }
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(PROGRAMME_CASES))
def test_programme_reader_is_linear(case: str, tmp_path: Path) -> None:
    from sessionsketch.readers.programme import load_programme

    filename, build = PROGRAMME_CASES[case]

    def run(n: int) -> Callable[[], object]:
        path = tmp_path / f"{n}-{filename}"
        path.write_text(build(n), encoding="utf-8")

        def go() -> object:
            try:
                return load_programme(path)
            except UserError as exc:
                return exc

        return go

    assert_linear(case, run)


# ---------------------------------------------------------------------- attribution

#: The block of the sketches attributed below; the body repeats ``unit`` to the size.
ATTRIBUTION_HEAD = (
    "Session 1\n\nSpeakers:\nAda Quill, Harbour Institute\nBo Lark Teller, Cloud Ministry\n"
    "Kim Sung-han, Fictional University\n\n"
)
ATTRIBUTION_SIZES = (2_500, 5_000, 10_000, 20_000)
ATTRIBUTION_CASES = {
    "repeated 'Mr. '": "Mr. ",
    "a family name, a verb": "Quill said that ",
    "the reporter after 'according to'": "according to Quill ",
    "somebody else's name": "Kim Jong-un ",
    "a role and a verb": "the minister said ",
    "pronouns": "She said he noted they argued ",
    "short sentences": "Quill said that fees fall. ",
    "capitalised words": "Harbour ",
    "a participant's full name again and again": "Ada Quill ",
    "a misspelt family name again and again": "Quil ",
    "a family name and a comma": "Quill, ",
    "names joined by 'and'": "Quill and ",
    "'Asked by' lead-ins": "Asked by Quill, ",
    "names and long runs of spaces": "Quill,        ",
}


@pytest.mark.parametrize("unit", list(ATTRIBUTION_CASES.values()), ids=list(ATTRIBUTION_CASES))
def test_attribution_of_a_read_sketch_is_linear(unit: str) -> None:
    reader = readers("sketch")["text"]

    def run(n: int) -> Callable[[], object]:
        sketch = reader.read(fill(unit, n, ATTRIBUTION_HEAD).encode("utf-8"), Path("x.md"))
        syntax.parse_many([parsed_part(s.text) for s in sketch.sentences])  # parsed outside the measure
        return lambda: attribute_sketch(sketch)

    assert_linear(f"attribution of {unit!r} repeated", run, ATTRIBUTION_SIZES)


def test_name_finding_is_linear() -> None:
    """NameFinder.mentions on one long sentence full of names, near names and capitals."""
    finder = NameFinder([Person("Ada Quill", "Harbour Institute"), Person("Kim Sung-han", None)])
    unit = "Ada Quill and Quil, Dr Quill’s Kim Jong-un (Harbour) “Quill” said Mr. A. Quill; "
    assert_linear("name finding", lambda n: lambda text=fill(unit, n): list(finder.mentions(text)))


# ---------------------------------------------------------------------- pathological lines (issue 30 §1)

#: The benign lines around every pathological line: a transcript two speakers long.
AROUND = ("Ada Quill: Good morning, and welcome.\n", "\nBram Teller: Thank you, Chair.\n")
#: name -> (head, unit, tail): one line of ``head``, ``unit`` repeated, ``tail``. Each is
#: built at 1x, 10x and 100x of :data:`LINE_SIZES`' first size (80 to 8,000 characters, all of
#: it inside the 8 KB a sniffer reads). The runs the patterns of the readers and sniffers
#: could be tempted to split many ways: white space between a label and its time or colon,
#: digits and colons like a clock, parentheses and brackets like an affiliation or a label.
PATHOLOGICAL_LINES: dict[str, tuple[str, str, str]] = {
    "spaces": ("", " ", ""),
    "tabs": ("", "\t", ""),
    "colons": ("", ":", ""),
    "digits": ("", "1", ""),
    "'<'": ("", "<", ""),
    "spaces and tabs": ("", " \t", ""),
    "mixed": ("", " \t:1<(a ", ""),
    "spaces, then a colon": ("", " ", ":"),
    "spaces, then ')'": ("", " ", ")"),
    "spaces, then ']'": ("", " ", "]"),
    "spaces, then '(x):'": ("", " ", " (Lab):"),
    "spaces, then a time": ("", " ", " 0:34"),
    "spaces, then a time and text": ("", " ", "  00:00:00  text"),
    "a name, spaces, a colon": ("Ada Quill", " ", ":"),
    "a name, spaces, a time": ("Speaker 0", " ", "00:00:00"),
    "a name, spaces, no time": ("Speaker 0", " ", "x"),
    "'[', spaces": ("[Ada", " ", ""),
    "a bracketed name, spaces": ("[Ada Quill]", " ", "x"),
    "a number, spaces": ("1.", " ", "x"),
    "'>>', spaces": (">>", " ", "x"),
    "a cue timing, spaces": ("00:00:01.000 -->", " ", "x"),
    "'-->' repeated": ("", "--> ", ""),
    "digits and colons": ("", "1:", ""),
    "clock times": ("", "0:00 ", ""),
    "double-spaced words": ("", "a  ", ":"),
    "capitalised words": ("", "Ab ", ":"),
    "capitalised words, tabs": ("", "Ab\t", "0:00"),
    "'Ab (' repeated": ("", "Ab (", ":"),
    "'(' repeated": ("Ada ", "(", ":"),
    "'(a) ' repeated": ("Ada ", "(a) ", ":"),
    "'[' repeated": ("", "[", "]"),
    "dots and spaces": ("", ". ", ""),
}
LINE_SIZES = (80, 800, 8_000)


def pathological(case: str, n: int) -> bytes:
    head, unit, tail = PATHOLOGICAL_LINES[case]
    return (AROUND[0] + fill(unit, n, head, tail) + AROUND[1]).encode("utf-8")


def per_call(fn: Callable[[], object], budget: float = 0.002) -> float:
    """CPU seconds one call of ``fn`` takes: 1, 2, 4 … calls, until they fill ``budget``."""
    calls = 1
    gc.disable()  # no collection inside a measure (and none forced: a full one costs more than it)
    try:
        while True:
            t0 = time.process_time()
            for _ in range(calls):
                fn()
            spent = time.process_time() - t0
            if spent >= budget or calls >= 1024:
                return max(spent, 1e-7) / calls
            calls *= 2
    finally:
        gc.enable()


#: A step of 10x in size may cost at most this many times more, plus the floor (CPU seconds a
#: call): linear work costs 10x, quadratic 100x. Generous, so a loaded machine passes.
STEP_RATIO = 30
FLOOR = 0.002
#: CPU seconds a suspect step is measured over again (a dozen ticks of the coarsest CPU clock)
RECHECK = 0.05


class _OverBudget(Exception):
    """A call ran past the CPU time its step allows (raised from SIGPROF)."""


@contextlib.contextmanager
def cpu_budget(seconds: float | None) -> Iterator[None]:
    """Interrupt the code inside after ``seconds`` of this process's CPU time (None: no limit).

    Backtracking regular expressions check for signals, so a catastrophic match is stopped
    here instead of running for minutes before the step check can fail it.
    """
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _OverBudget

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def growth_failures(
    name: str, build: Callable[[int], Callable[[], object]], sizes: tuple[int, ...] = LINE_SIZES
) -> str | None:
    """None when ``build(n)()`` grows at most linearly over ``sizes``, else what grew.

    Measured up to three times (a busy machine can spoil one series); a size whose step is
    already too steep ends the series, so quadratic work is never run at 100x, and a call
    that runs past twice what its step allows is stopped and not measured again.
    """
    seen = ""
    for _ in range(3):
        times: list[float] = []
        ok = True
        for n in sizes:
            allowed = STEP_RATIO * times[-1] + FLOOR if times else None
            try:
                with cpu_budget(2 * allowed + 0.02 if allowed is not None else None):
                    times.append(per_call(build(n)))
            except _OverBudget:
                times.append(float("inf"))
            if allowed is not None and allowed < times[-1] < float("inf"):
                # a 2 ms measure can be one tick of a coarse CPU clock (4 ms on a kernel at
                # 250 Hz: "80: 0.00 ms, 800: 4.00 ms" for a call of microseconds): before a
                # step counts as too steep, measure it over many ticks
                try:
                    with cpu_budget(2 * allowed + RECHECK + 0.02):
                        times[-1] = per_call(build(n), budget=RECHECK)
                except _OverBudget:
                    times[-1] = float("inf")
            if allowed is not None and times[-1] > allowed:
                ok = False
                break
        if ok:
            return None
        if times[-1] > 2 * allowed:
            return _shown(name, times, sizes)  # far past its step: no busy machine does that
        seen = _shown(name, times, sizes)
    return seen


def _shown(name: str, times: list[float], sizes: tuple[int, ...]) -> str:
    return f"{name}: " + ", ".join(
        f"{n}: " + (f"{t * 1000:.2f} ms" if t != float("inf") else "stopped")
        for n, t in zip(sizes, times, strict=False)
    )


def _reader_ids(kind: str) -> list[str]:
    return sorted(readers(kind))


def _check_reader(kind: str, name: str, op: str) -> None:
    reader = readers(kind)[name]
    if op == "sniff" and reader.sniff is None:
        pytest.skip(f"{kind} reader {name} has no sniffer")
    path = Path("x.txt")
    failures = []
    for case in PATHOLOGICAL_LINES:

        def build(n: int, case: str = case) -> Callable[[], object]:
            data = pathological(case, n)
            fn = reader.sniff if op == "sniff" else reader.read

            def go() -> object:
                try:
                    return fn(data, path)
                except Exception as exc:  # a refusal is a result here
                    return exc

            return go

        failure = growth_failures(case, build)
        if failure:
            failures.append(failure)
    assert not failures, f"{kind} reader {name}: {op} grows faster than linear on: " + "; ".join(failures)


@pytest.mark.parametrize("op", ["sniff", "read"])
@pytest.mark.parametrize("name", _reader_ids("transcript"))
def test_every_transcript_reader_is_linear_on_pathological_lines(name: str, op: str) -> None:
    _check_reader("transcript", name, op)


@pytest.mark.parametrize("op", ["sniff", "read"])
@pytest.mark.parametrize("name", _reader_ids("sketch"))
def test_every_sketch_reader_is_linear_on_pathological_lines(name: str, op: str) -> None:
    _check_reader("sketch", name, op)


def test_detection_is_linear_on_pathological_lines() -> None:
    """The whole detection (every sniffer, as an upload without a named format gets it)."""
    path = Path("x.txt")
    failures = [
        f
        for case in PATHOLOGICAL_LINES
        if (
            f := growth_failures(
                case, lambda n, case=case: lambda data=pathological(case, n): _detect_or_refusal(data, path)
            )
        )
    ]
    assert not failures, "detection grows faster than linear on: " + "; ".join(failures)


def _detect_or_refusal(data: bytes, path: Path) -> object:
    try:
        return detect(data, path, "transcript")
    except UserError as exc:
        return exc


def test_the_growth_check_catches_quadratic_work() -> None:
    def quadratic(n: int) -> Callable[[], object]:
        return lambda: sum(1 for i in range(n) for j in range(0, n, 4))

    assert growth_failures("quadratic", quadratic) is not None
    assert growth_failures("linear", lambda n: lambda: sum(range(n * 10))) is None


# ---------------------------------------------------------------------- many labels (issue 30 §2)

#: 500 and 5,000 distinct labels (quadratic work shows as 100x over the step, linear as 10x)
LABEL_COUNTS = (500, 5_000)


def numbered_labels(n: int) -> Transcript:
    """``n`` turns, each by a different ``Speaker N``, as an 850 KB upload of 20,000 gives."""
    return Transcript(turns=[Turn(i, f"Speaker {i}", f"We publish monthly, number {i}.") for i in range(n)])


def test_resolving_many_distinct_labels_is_linear() -> None:
    """Inferring the participants from 5,000 labels and resolving each to its person."""

    def run(n: int) -> Callable[[], object]:
        transcript = numbered_labels(n)
        return lambda: resolve_transcript(transcript, infer_programme(transcript))

    assert growth_failures("inferred programme", run, LABEL_COUNTS) is None
    transcript = numbered_labels(5_000)
    resolve_transcript(transcript, infer_programme(transcript))
    assert transcript.unresolved == []
    assert len({t.speaker.name for t in transcript.turns if t.speaker}) == 5_000


def test_many_unresolved_labels_are_linear() -> None:
    """5,000 labels nobody on a three-person programme has: each unresolved, listed once, in order."""
    people = Session(speakers=[Person("Ada Quill"), Person("Bram Teller"), Person("Kim Sung-han")])

    def run(n: int) -> Callable[[], object]:
        transcript = numbered_labels(n)
        return lambda: resolve_transcript(transcript, Programme(sessions=[people]))

    assert growth_failures("unresolved labels", run, LABEL_COUNTS) is None
    transcript = numbered_labels(5_000)
    transcript.turns.append(Turn(5_000, "Speaker 0", "Again."))
    resolve_transcript(transcript, Programme(sessions=[people]))
    assert transcript.unresolved == [f"Speaker {i}" for i in range(5_000)]


def test_bare_role_labels_among_many_holders_are_linear() -> None:
    """Turns by "The Chair" between turns by named chairs: each goes to the latest holder."""

    def transcript_of(n: int) -> Transcript:
        turns = []
        for i in range(n):
            label = f"The Chair (Ada Quill{i // 2})" if i % 2 == 0 else "The Chair"
            turns.append(Turn(i, label, "Order, order."))
        return Transcript(turns=turns)

    def run(n: int) -> Callable[[], object]:
        transcript = transcript_of(n)
        programme = infer_programme(transcript)
        return lambda: resolve_transcript(transcript, programme)

    assert growth_failures("bare roles", run, LABEL_COUNTS) is None
    transcript = transcript_of(2_000)
    resolve_transcript(transcript, infer_programme(transcript))
    for before, bare in zip(transcript.turns[::2], transcript.turns[1::2], strict=True):
        assert bare.speaker is before.speaker is not None


def test_name_index_matches_as_match_name_did() -> None:
    """The index gives what comparing with every participant gave, kind and score included."""
    people = [
        Person("Ada Quill", aliases=["AQ"]),
        Person("Dr Bram Teller"),
        Person("Nora Teller"),
        Person("Kim Sung-han", family_name_first=True),
        Person("Sydney A. Seiler"),
        Person("Chidi Okafor"),
    ]
    index = NameIndex(people)
    cases = {
        "Ada Quill": ("Ada Quill", "exact", 100.0),
        "aq": ("Ada Quill", "alias", 100.0),
        "Bram Teller": ("Dr Bram Teller", "exact", 100.0),
        "Teller": None,  # two Tellers: never a guess
        "Quill": ("Ada Quill", "family", 95.0),
        "Kim": ("Kim Sung-han", "family", 95.0),
        "Sydney Seiler": ("Sydney A. Seiler", "exact", 100.0),
        "Chidi": ("Chidi Okafor", "given", 80.0),
        "Chidi Okafur": ("Chidi Okafor", "fuzzy", None),
        "Nobody Atall": None,
    }
    for text, expected in cases.items():
        got = index.match(text)
        assert got == match_name(text, people), text
        if expected is None:
            assert got is None, text
        else:
            assert got is not None and (got.person.name, got.kind) == expected[:2], text
            assert expected[2] is None or got.score == expected[2], text


#: labels as a JSON transcript may give them (its "speaker" is any string), 500 and 5,000 long
LONG_LABELS: dict[str, Callable[[int], str]] = {
    "post-nominals, then a word": lambda n: "Ada " + "MP " * (n // 3) + "Quill",
    "capitalised words": lambda n: "Ada " * (n // 4),
    "'Chair (' nested": lambda n: "Chair (" * (n // 8) + "Ada Quill" + ")" * (n // 8),
    "parentheses": lambda n: "Ada Quill " + "(" * n,
    "spaces": lambda n: "Ada" + " " * n + "Quill",
}


@pytest.mark.parametrize("case", list(LONG_LABELS))
def test_a_long_label_is_resolved_in_linear_time(case: str) -> None:
    """A label 5,000 characters long: no stack overflow, no quadratic pattern (issue 30 §2)."""

    def transcript_of(n: int) -> Transcript:
        label = LONG_LABELS[case](n)
        return Transcript(turns=[Turn(0, "Bram Teller", "Welcome."), Turn(1, label, "Thank you.")])

    def run(n: int) -> Callable[[], object]:
        transcript = transcript_of(n)

        def go() -> object:
            from sessionsketch.analysis.names import core_name, strip_titles

            core_name.cache_clear()  # the name caches would make every call after the first free
            strip_titles.cache_clear()
            return resolve_transcript(transcript, infer_programme(transcript))

        return go

    assert growth_failures(case, run, (500, 5_000)) is None
    transcript = transcript_of(20_000)
    resolve_transcript(transcript, infer_programme(transcript))
    assert transcript.turns[0].speaker is not None
