"""Styles: bundled names, user folders, unknown names, the IGF sections."""

from __future__ import annotations

import shutil

import lxml.html
import pytest

from sessionsketch.errors import UserError
from sessionsketch.writers import render_bytes
from sessionsketch.writers.styles import available_styles, builtin_styles_dir, load_style


def test_bundled_styles():
    assert available_styles() == ["igf-report", "session-sketch"]


def test_unknown_style_lists_the_available():
    with pytest.raises(UserError, match="unknown style 'nope' \\(available: igf-report, session-sketch\\)"):
        load_style("nope")


def test_user_folder_copy_and_edit(panel_sketch, tmp_path):
    mine = tmp_path / "my-style"
    shutil.copytree(builtin_styles_dir() / "session-sketch", mine)
    (mine / "style.yaml").write_text("label: Meeting Note\n", encoding="utf-8")
    (mine / "sketch.css").write_text(".paragraph { color: #123456; }\n", encoding="utf-8")
    html = render_bytes(panel_sketch, "html", style=mine).decode()
    assert "#123456" in html and '<h1 class="label">Meeting Note</h1>' in html
    md = render_bytes(panel_sketch, "md", style=str(mine)).decode()
    assert md.startswith("## Meeting Note\n")


def test_broken_user_folders(tmp_path):
    with pytest.raises(UserError, match="style folder not found"):
        load_style(tmp_path / "missing")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "sketch.md.j2").write_text("x")
    with pytest.raises(UserError, match=r"sketch\.html\.j2 missing"):
        load_style(tmp_path / "half")
    bad = tmp_path / "bad"
    shutil.copytree(builtin_styles_dir() / "session-sketch", bad)
    (bad / "sketch.md.j2").write_text("{% if %}\n")
    with pytest.raises(UserError, match="template error") as err:
        render_bytes(__import__("sessionsketch.model").model.Sketch(), "md", style=bad)
    assert err.value.line == 1


def test_igf_sections_derived_from_the_sketch(panel_sketch):
    doc = lxml.html.document_fromstring(render_bytes(panel_sketch, "html", style="igf-report").decode())
    headings = [h.text for h in doc.find_class("section-heading")]
    assert headings == ["Session overview", "Key issues raised", "Presentations", "Discussion", "Way forward"]
    issues = [li.text_content() for li in doc.find_class("key-issue")]
    firsts = [p.sentences[0].text for p in panel_sketch.paragraphs if p.speaker]
    assert issues == firsts
    assert [h.text for h in doc.find_class("subheading")] == [p.name for p in panel_sketch.metadata.speakers]
    text = doc.text_content()
    assert "The sketch records no discussion beyond the presentations." in text
    assert panel_sketch.paragraphs[-1].text in text  # the closing paragraph is the way forward
    md = render_bytes(panel_sketch, "md", style="igf-report").decode()
    assert "## Key issues raised\n\n- Ada Quill described" in md
    assert "(http://www.imaginary-forum.example))\n\n**Date:** May 7, 2031 / 09:30-11:00\n\n" in md
    assert "**Chair/Moderator:** Bea Lantern, Centre for Made\\-up Dialogue" not in md
    assert "**Chair/Moderator:** Bea Lantern, Centre for Made-up Dialogue" in md


def test_logo_embedded_in_every_format(panel_sketch, tmp_path, weasy):
    import io

    import docx
    from PIL import Image

    mine = tmp_path / "with-logo"
    shutil.copytree(builtin_styles_dir() / "session-sketch", mine)
    Image.new("RGB", (60, 20), (31, 56, 100)).save(mine / "logo.png")
    (mine / "style.yaml").write_text("label: Session Sketch\nlogo: logo.png\n", encoding="utf-8")
    html = render_bytes(panel_sketch, "html", style=mine).decode()
    img = lxml.html.document_fromstring(html).find_class("logo")[0]
    assert img.get("src").startswith("data:image/png;base64,")
    assert render_bytes(panel_sketch, "pdf", style=mine).startswith(b"%PDF-")
    doc = docx.Document(io.BytesIO(render_bytes(panel_sketch, "docx", style=mine)))
    assert len(doc.inline_shapes) == 1
    (mine / "logo.png").unlink()
    with pytest.raises(UserError, match=r"logo file logo\.png not found"):
        render_bytes(panel_sketch, "html", style=mine)


def test_pdf_fetches_nothing_from_outside(panel_sketch, tmp_path, weasy):
    import io

    import pdfplumber
    from PIL import Image

    picture = tmp_path / "outside.png"
    Image.new("RGB", (40, 40), (200, 0, 0)).save(picture)
    mine = tmp_path / "fetching"
    shutil.copytree(builtin_styles_dir() / "session-sketch", mine)
    template = (mine / "sketch.html.j2").read_text(encoding="utf-8")
    template = template.replace('<main class="page">', f'<main class="page"><img src="{picture.as_uri()}">')
    (mine / "sketch.html.j2").write_text(template, encoding="utf-8")
    with pdfplumber.open(io.BytesIO(render_bytes(panel_sketch, "pdf", style=mine))) as pdf:
        assert pdf.pages[0].images == []
