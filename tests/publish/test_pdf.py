"""The PDF checked as a reader sees it: pdfplumber on the rendered file."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from sessionsketch.model import DEFAULT_DISCLAIMER

ROOT = Path(__file__).resolve().parents[2]


def pages_of(pdf: bytes) -> list[dict]:
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            h = float(page.height)
            top = page.crop((0, 0, page.width, 0.12 * h)).extract_text(x_tolerance=1) or ""
            bottom = page.crop((0, 0.86 * h, page.width, h)).extract_text(x_tolerance=1) or ""
            out.append(
                {
                    "width": float(page.width),
                    "height": h,
                    "text": page.extract_text(x_tolerance=1) or "",
                    "top": top,
                    "bottom": " ".join(bottom.split()),
                    "chars": page.chars,
                }
            )
    return out


@pytest.fixture(scope="module")
def reference_pages(reference_pdf: bytes) -> list[dict]:
    return pages_of(reference_pdf)


def test_three_page_body_gives_about_three_pages(reference_pages):
    # the reference's body (about 1,480 words) fills three pages in the institute's PDF
    assert 3 <= len(reference_pages) <= 4


def test_running_header_on_every_page(reference_pages):
    for page in reference_pages:
        assert "Session Sketch" in page["top"]
        assert "Asan Plenum 2019: “Korea’s Choice”" in page["top"]


def test_disclaimer_on_every_page(reference_pages):
    for page in reference_pages:
        assert DEFAULT_DISCLAIMER in page["bottom"].replace("* ", "")


def test_page_numbers_in_sequence(reference_pages):
    n = len(reference_pages)
    numbers = []
    for page in reference_pages:
        m = re.search(r"Page (\d+) of (\d+)", page["bottom"])
        assert m, page["bottom"]
        numbers.append((int(m.group(1)), int(m.group(2))))
    assert numbers == [(i, n) for i in range(1, n + 1)]


def test_metadata_block_on_page_one(reference_pages, reference_sketch):
    first = reference_pages[0]["text"]
    m = reference_sketch.metadata
    for person in m.people:
        assert f"{person.name}, {person.affiliation}" in first
    assert "Session: ROK-U.S. Alliance" in first
    assert "Date/Time: April 23, 2019 / 13:00-14:30" in first
    assert "www.asanplenum.org" in first
    # speakers in the programme's order
    positions = [first.index(p.name) for p in m.speakers]
    assert positions == sorted(positions)


def test_no_text_outside_the_page_box(reference_pages):
    for page in reference_pages:
        for c in page["chars"]:
            assert c["x0"] >= 0 and c["x1"] <= page["width"], c["text"]
            assert c["top"] >= 0 and c["bottom"] <= page["height"], c["text"]


def test_body_text_all_there(reference_pages, reference_sketch):
    text = " ".join(" ".join(p["text"] for p in reference_pages).split())
    text = re.sub(r"(\w)-\s+(\w)", r"\1\2", text)  # hyphenation at line ends
    for sentence in (reference_sketch.paragraphs[0].sentences[0], reference_sketch.sentences[-1]):
        assert sentence.text in text


def test_cjk_and_accented_names_use_real_glyphs(panel_pdf):
    with pdfplumber.open(io.BytesIO(panel_pdf)) as doc:
        chars = [c for page in doc.pages for c in page.chars]
        text = doc.pages[0].extract_text(x_tolerance=1)
    for name in ("Zoë Ferrández-Løvik", "森花子", "박하은"):
        assert name in text
    cjk_fonts = {c["fontname"] for c in chars if c["text"] in "森花子박하은"}
    assert cjk_fonts and all("CJK" in f for f in cjk_fonts), cjk_fonts


def test_first_page_png(reference_pdf, pdftoppm, tmp_path):
    pdf = tmp_path / "sketch.pdf"
    pdf.write_bytes(reference_pdf)
    subprocess.run(
        [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    from PIL import Image

    png = next(tmp_path.glob("p*.png"))
    image = Image.open(png).convert("L")
    w, h = image.size
    assert h > w  # portrait A4
    dark = sum(image.histogram()[:128])
    assert 0.01 < dark / (w * h) < 0.3  # ink on the page, but not a black page


def test_docs_first_page_png_is_committed():
    png = ROOT / "docs" / "first-page.png"
    assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
