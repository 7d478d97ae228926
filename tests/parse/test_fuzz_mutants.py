"""Damaged copies of what our own writers write, read back: a Sketch or a one-line UserError
naming the file, never another exception.

Every mutant comes from a seeded ``random.Random``, so a run is the same every time; a
failure lists the mutants (family, what was done) and what they raised.
"""

from __future__ import annotations

import html
import io
import json
import random
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.mutants import Mutant
from tests.mutants import byte_mutants as damaged

from sessionsketch.cli import run
from sessionsketch.errors import UserError
from sessionsketch.model import Evidence, Sketch
from sessionsketch.pipeline import parse_sketch, read_sketch
from sessionsketch.readers import detect

SEED = 20310423


@pytest.fixture(scope="module")
def originals(fictional) -> dict[str, bytes]:
    """The fictional panel, with evidence on every sentence, as each writer writes it."""
    from sessionsketch.writers import render_bytes

    fictional.weasyprint_module()
    sketch = fictional.fictional_sketch()
    for i, sentence in enumerate(sketch.sentences):
        sentence.evidence = [Evidence(i, 0, len(sentence.text))]
    return {fmt: render_bytes(sketch, fmt) for fmt in ("md", "html", "pdf", "docx")}


# ----------------------------------------------------------------------------- mutants


def byte_mutants(data: bytes, rng: random.Random, count: int = 30) -> Iterator[Mutant]:
    """The shared byte damage, with the larger cuts a PDF or DOCX needs."""
    return damaged(data, rng, count, flips=16, inserted=64, cut=4096, repeated=2048)


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, value in parts.items():
            zf.writestr(name, value)
    return buf.getvalue()


def docx_mutants(data: bytes, rng: random.Random) -> Iterator[Mutant]:
    """Each part missing, cut in half, garbage, empty, or with a closing tag gone."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    for name, value in parts.items():
        others = {k: v for k, v in parts.items() if k != name}
        yield f"{name} missing", _zip(others)
        yield f"{name} cut in half", _zip({**parts, name: value[: len(value) // 2]})
        yield f"{name} garbage", _zip({**parts, name: b"<<not xml>> \x00\xff"})
        yield f"{name} empty", _zip({**parts, name: b""})
        closers = [m.start() for m in re.finditer(rb"</", value)]
        if closers:
            at = rng.choice(closers)
            unclosed = value[:at] + value[value.index(b">", at) + 1 :]
            yield f"{name} closing tag at {at} gone", _zip({**parts, name: unclosed})
    yield "a zip of something else", _zip({"notes.txt": b"fictional notes", "img/x.png": b"\x89PNG"})
    yield (
        "entity bomb in document.xml",
        _zip(
            {
                **parts,
                "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b"<w:body><w:p><w:r><w:t>&c;&c;&c;</w:t></w:r></w:p></w:body></w:document>",
            }
        ),
    )


def html_mutants(data: bytes, rng: random.Random, count: int = 24) -> Iterator[Mutant]:
    """Broken nesting, tags dropped or swapped, bad evidence and speakers, deep nesting."""
    text = data.decode("utf-8")
    tags = list(re.finditer(r"</?[a-z][^>]*>", text))
    bad_evidence = [
        "{bad",
        '[{"turn": 1e400, "start": 0, "end": 1}]',
        "[[1e400, 0, 1]]",
        '[{"turn": 99999999999999999999, "start": -5, "end": 1}]',
        '[{"turn": "x"}, 7, null, [1, 2], {"turn": 3, "start": 9, "end": 2}]',
        '"4:0-120"',
        "NaN",
    ]
    for i in range(count):
        t = text
        kind = i % 6
        if kind == 0:
            for m in sorted(rng.sample(tags, 20), key=lambda m: -m.start()):
                t = t[: m.start()] + t[m.end() :]
            label = "20 tags dropped"
        elif kind == 1:
            t = t.replace("</span>", "</p>", rng.randint(1, 9)).replace("</p>", "</span>", rng.randint(1, 9))
            label = "closing tags swapped"
        elif kind == 2:
            value = bad_evidence[(i // 6) % len(bad_evidence)]
            t = re.sub(r'data-evidence="[^"]*"', lambda _, v=value: f'data-evidence="{html.escape(v)}"', t)
            assert t != text
            label = f"evidence {value}"
        elif kind == 3:
            t = t.replace('data-speaker="', 'data-speaker="<span data-speaker=', rng.randint(1, 5))
            label = "markup inside data-speaker"
        elif kind == 4:
            depth = rng.randint(500, 3000)
            t = t.replace("<body>", "<body>" + "<div><p><span>" * depth, 1)
            label = f"{depth} unclosed levels"
        else:
            m = rng.choice(tags)
            t = t[: m.start()] + t[m.end() :]
            t = t[: rng.randrange(len(t))]
            label = f"tag at {m.start()} gone, truncated"
        yield label, t.encode("utf-8")
    sketch_p = text.index('<span class="sentence"')
    yield "paragraph inside a sentence", (text[:sketch_p] + "<p><div><p>" + text[sketch_p:]).encode()
    yield "no html, no body", re.sub(r"</?(?:html|head|body)[^>]*>", "", text).encode()


def pdf_mutants(data: bytes, rng: random.Random) -> Iterator[Mutant]:
    """The cross-reference table cut, moved or wrong; lengths wrong; streams damaged."""
    xref = data.rfind(b"xref")
    startxref = data.rfind(b"startxref")
    yield "cut at the xref", data[:xref]
    yield "xref gone", data[:xref] + data[startxref:]
    yield "startxref gone", data[:startxref]
    yield "startxref wrong", re.sub(rb"startxref\s+\d+", b"startxref\n99999999", data)
    yield (
        "xref offsets wrong",
        re.sub(rb"\d{10} 00000 n", lambda _: b"%010d 00000 n" % rng.randrange(len(data)), data),
    )
    yield "stream lengths wrong", re.sub(rb"/Length \d+", b"/Length 3", data)
    yield "no %%EOF", data.replace(b"%%EOF", b"")
    yield "header only", data[:1024]
    yield "an /Encrypt that is not there", data.replace(b"/Root", b"/Encrypt 1 0 R /Root", 1)
    streams = [m.end() for m in re.finditer(rb"stream\r?\n", data)]
    for k in range(8):
        d = bytearray(data)
        for _ in range(8):
            d[min(len(d) - 1, rng.choice(streams) + rng.randrange(64))] = rng.randrange(256)
        yield f"streams damaged ({k})", bytes(d)


def md_mutants(data: bytes, rng: random.Random, count: int = 24) -> Iterator[Mutant]:
    """Blank lines lost, markup sprinkled or stripped, long runs of markup, bad encodings."""
    text = data.decode("utf-8")
    for i in range(count):
        kind = i % 5
        if kind == 0:
            t, label = text.replace("\n\n", "\n", rng.randint(1, 30)), "blank lines lost"
        elif kind == 1:
            t = "".join(c if rng.random() > 0.03 else rng.choice("*_[]()<>&#\\|`~-\n") for c in text)
            label = "markup characters sprinkled"
        elif kind == 2:
            t, label = text.replace("**", "", rng.randint(1, 8)), "bold markers lost"
        elif kind == 3:
            run = rng.choice(["*", "[", "(", "<http://", "\\", "“", "&#", "_ ", "[a](", "Mr. "])
            t = text.replace("**Speakers:**", "**Speakers:** " + run * 1000, 1) + "\n\n" + run * 1000 + "\n"
            label = f"1000 × {run!r}"
        else:
            t = "\n".join(line[::-1] if rng.random() < 0.2 else line for line in text.split("\n"))
            label = "lines reversed"
        yield label, t.encode("utf-8")
    yield "not UTF-8", data[:-5] + b"\xff\xfe\x80"
    yield "a NUL byte", data[:200] + b"\x00" + data[200:]
    yield "UTF-16 with BOM", text.encode("utf-16")
    yield "CR line ends", text.replace("\n", "\r").encode()


FAMILIES: dict[str, list[tuple[str, Callable[..., Iterator[Mutant]]]]] = {
    "md": [("bytes", byte_mutants), ("markdown", md_mutants)],
    "html": [("bytes", byte_mutants), ("html", html_mutants)],
    "pdf": [("bytes", byte_mutants), ("pdf", pdf_mutants)],
    "docx": [("bytes", byte_mutants), ("zip", docx_mutants)],
}
READER = {"md": "text", "html": "html", "pdf": "pdf", "docx": "docx"}


# ----------------------------------------------------------------------------- the check


def _outcome(path: Path, reader: str | None) -> str | None:
    """None when reading ``path`` (and attributing it, when the reader is detected) gives a Sketch
    or a one-line UserError naming ``path``; else what went wrong."""
    try:
        sketch = parse_sketch(path) if reader is None else read_sketch(path, reader)
    except UserError as exc:
        message = str(exc)
        if "\n" in message or not message.startswith(f"{path}:"):
            return f"UserError not one line naming the file: {message[:160]!r}"
        return None
    except Exception as exc:  # the very thing this test looks for
        return f"{type(exc).__name__}: {str(exc)[:160]}"
    if not isinstance(sketch, Sketch):
        return f"returned {type(sketch).__name__}, not a Sketch"
    json.dumps(sketch.to_dict())  # what parse prints must serialise
    return None


def _detected(data: bytes, path: Path) -> str | None:
    try:
        return detect(data, path, "sketch").name
    except UserError:
        return None


@pytest.mark.parametrize(
    "fmt, family", [(fmt, family) for fmt, families in FAMILIES.items() for family, _ in families]
)
def test_damaged_output_reads_or_fails_cleanly(fmt, family, originals, tmp_path, caplog) -> None:
    rng = random.Random(f"{SEED}-{fmt}-{family}")
    make = dict(FAMILIES[fmt])[family]
    problems = []
    mutants = list(make(originals[fmt], rng))
    for i, (label, data) in enumerate(mutants):
        path = tmp_path / f"mutant{i}.{fmt}"
        path.write_bytes(data)
        # through detection, and through the reader it was written for when detection picks another
        for reader in {None, READER[fmt]} if _detected(data, path) != READER[fmt] else {None}:
            problem = _outcome(path, reader)
            if problem:
                problems.append(f"{label} ({reader or 'detected'}): {problem}")
    assert len(mutants) >= 10
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "docx"])
def test_cli_says_one_line_and_exits_2(fmt, originals, tmp_path, capsys) -> None:
    """A mutant the reader refuses: ``sessionsketch parse`` prints one line and exits 2."""
    rng = random.Random(f"{SEED}-{fmt}-cli")
    path = tmp_path / f"broken.{fmt}"
    for _label, data in byte_mutants(originals[fmt], rng, 60):
        path.write_bytes(data)
        try:
            parse_sketch(path)
        except UserError:
            break
    else:
        pytest.fail(f"no mutant of the {fmt} output was refused")
    code = run(["parse", str(path)])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in err, err


def test_a_docx_that_unpacks_too_large_is_refused(originals, tmp_path, monkeypatch) -> None:
    from sessionsketch import files

    monkeypatch.setattr(files, "MAX_UNPACKED_BYTES", 1_000_000)
    with zipfile.ZipFile(io.BytesIO(originals["docx"])) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    path = tmp_path / "bomb.docx"
    path.write_bytes(_zip({**parts, "word/media/padding.bin": bytes(2_000_000)}))
    assert path.stat().st_size < 100_000
    with pytest.raises(UserError, match=r"Word document unpacks to \d MB .*refused \(limits: 1 MB") as info:
        read_sketch(path)
    assert str(info.value).startswith(f"{path}: ")


def test_html_evidence_out_of_range_is_left_out(tmp_path) -> None:
    path = tmp_path / "evidence.html"
    spans = (
        '[{"turn": 1e400, "start": 0, "end": 1}, {"turn": 2, "start": 9, "end": 3}, '
        '{"turn": 99999999999999, "start": 0, "end": 1}, {"turn": -1, "start": 0, "end": 1}, '
        '{"turn": true, "start": 0, "end": 1}, {"turn": "4", "start": 0, "end": 12}, [5, 1, 2]]'
    )
    path.write_text(
        f"<html><body><p><span data-speaker='Ada Quill' data-evidence='{spans}'>Ada Quill said so.</span> "
        "<span data-speaker='Ada Quill' data-evidence='7:0-12, 8/3-9'>She meant it.</span></p></body></html>",
        encoding="utf-8",
    )
    first, second = read_sketch(path).sentences
    assert first.evidence == [Evidence(4, 0, 12), Evidence(5, 1, 2)]
    assert second.evidence == [Evidence(7, 0, 12), Evidence(8, 3, 9)]
