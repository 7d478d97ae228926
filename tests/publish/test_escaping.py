"""A speaker named <script>alert(1)</script> and a transcript full of HTML stay text."""

from __future__ import annotations

import io
import json

import docx
import lxml.html
from markdown_it import MarkdownIt

from sessionsketch.writers import render_bytes

XSS = "<script>alert(1)</script>"


def test_html_is_inert(hostile):
    sketch, transcript = hostile
    for style in ("session-sketch", "igf-report"):
        html = render_bytes(sketch, "html", style=style, transcript=transcript).decode()
        doc = lxml.html.document_fromstring(html)
        scripts = doc.xpath("//script")
        # only the page's own two scripts: the evidence JSON and the panel code
        assert [s.get("type") for s in scripts] == ["application/json", None]
        assert not doc.xpath("//img | //iframe | //b | //i | //*[@onerror]")
        assert "<script>alert" not in html and "</script><img" not in html
        assert any(XSS in p.text_content() for p in doc.find_class("person"))
        assert not doc.xpath("//a[starts-with(@href, 'javascript')]")
        # the transcript's HTML comes back as the exact text from the JSON
        turns = json.loads(doc.get_element_by_id("evidence-turns").text)
        assert turns["0"]["text"] == transcript.turns[0].text
        # the speaker attribute holds the name as text
        assert doc.find_class("sentence")[0].get("data-speaker") == XSS


def test_markdown_renders_as_text(hostile):
    sketch, _ = hostile
    for style in ("session-sketch", "igf-report"):
        md = render_bytes(sketch, "md", style=style).decode()
        html = MarkdownIt("commonmark").render(md)
        doc = lxml.html.fragment_fromstring(html, create_parent="div")
        assert not doc.xpath("//script | //img | //iframe | //b | //i | //*[@onerror]")
        assert not doc.xpath("//a[contains(@href, 'evil') or starts-with(@href, 'javascript')]")
        text = doc.text_content()
        assert XSS in text
        assert "# Not a heading [link](http://evil.example) *stars*" in text
        assert "**escapes**" in text and "&amp;" in text


def test_docx_keeps_names_as_text(hostile):
    sketch, transcript = hostile
    data = render_bytes(sketch, "docx", transcript=transcript)
    doc = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{XSS}, <iframe src='http://evil.example'>" in text
    assert f"{XSS} spoke about <b>markup</b> &amp; **escapes**." in text


def test_pdf_keeps_names_as_text(hostile, weasy):
    import pdfplumber

    sketch, _ = hostile
    with pdfplumber.open(io.BytesIO(render_bytes(sketch, "pdf"))) as pdf:
        text = " ".join((pdf.pages[0].extract_text(x_tolerance=1) or "").split())
    assert f"{XSS}, <iframe src='http://evil.example'>" in text
    assert "<b>markup</b>" in text
