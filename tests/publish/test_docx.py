"""DOCX: real Word headers and footers, named styles, justified body, the metadata block."""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from sessionsketch.writers import render_bytes


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_header_footer_and_page_field(reference_sketch):
    doc = open_docx(render_bytes(reference_sketch, "docx"))
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "Session Sketch    Asan Plenum 2019: “Korea’s Choice”"
    footer = [p.text for p in section.footer.paragraphs]
    assert footer[0] == f"* {reference_sketch.disclaimer}"
    xml = section.footer._element.xml
    assert " PAGE " in xml and " NUMPAGES " in xml and 'w:fldCharType="begin"' in xml


def test_named_styles_and_block(reference_sketch):
    doc = open_docx(render_bytes(reference_sketch, "docx"))
    names = {s.name for s in doc.styles}
    for name in ("Sketch Title", "Sketch Label", "Sketch Body", "Sketch Disclaimer", "Sketch Person"):
        assert name in names
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Sketch Title"] == ["Session Sketch"]
    assert by_style["Sketch Person"] == [
        f"{p.name}, {p.affiliation}" for p in reference_sketch.metadata.people
    ]
    assert "Date/Time: April 23, 2019 / 13:00-14:30" in by_style["Sketch Field"]
    assert by_style["Sketch Body"] == [p.text for p in reference_sketch.paragraphs]
    assert doc.styles["Sketch Body"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    label_runs = [r for p in doc.paragraphs for r in p.runs if r.style.name == "Sketch Label"]
    assert [r.text for r in label_runs][:2] == ["Session:", "Date/Time:"]


def test_east_asian_font_named(panel_sketch):
    doc = open_docx(render_bytes(panel_sketch, "docx"))
    xml = doc.styles["Sketch Body"].element.xml
    assert 'w:eastAsia="Noto Serif CJK SC"' in xml
    assert any("森花子" in p.text for p in doc.paragraphs)


def test_control_characters_do_not_break_word(panel_sketch):
    panel_sketch.paragraphs[1].sentences[0].text = "A fictional\x0b line\x00 with controls."
    doc = open_docx(render_bytes(panel_sketch, "docx"))
    assert any("A fictional line with controls." in p.text for p in doc.paragraphs)
