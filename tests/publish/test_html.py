"""HTML: self-contained, sentences carry speaker and evidence, the evidence panel's JSON."""

from __future__ import annotations

import json

import lxml.html

from sessionsketch.writers import render_bytes


def tree(data: bytes):
    return lxml.html.document_fromstring(data.decode("utf-8"))


def test_every_sentence_carries_speaker_and_evidence(panel_sketch):
    doc = tree(render_bytes(panel_sketch, "html"))
    spans = doc.find_class("sentence")
    assert [s.text_content() for s in spans] == [s.text for s in panel_sketch.sentences]
    for span, sentence in zip(spans, panel_sketch.sentences, strict=True):
        assert span.get("data-speaker") == (sentence.speaker or "")
        assert json.loads(span.get("data-evidence")) == [e.to_dict() for e in sentence.evidence]
        assert span.get("tabindex") == "0"  # reachable from the keyboard


def test_self_contained(panel_sketch, panel_turns):
    html = render_bytes(panel_sketch, "html", transcript=panel_turns).decode()
    doc = lxml.html.document_fromstring(html)
    assert not doc.xpath("//link[@rel='stylesheet'] | //script[@src] | //img[not(starts-with(@src,'data:'))]")
    assert ".paragraph" in doc.xpath("//style")[0].text  # the style's CSS, inlined
    assert "@import" not in html and "url(http" not in html


def test_evidence_panel_embeds_only_cited_turns(panel_sketch, panel_turns):
    panel_sketch.paragraphs[2].sentences[0].evidence = []  # Zoë's first sentence cites nothing
    panel_sketch.paragraphs[2].sentences[1].evidence = []
    doc = tree(render_bytes(panel_sketch, "html", transcript=panel_turns))
    data = json.loads(doc.get_element_by_id("evidence-turns").text)
    assert set(data) == {"0", "2", "3"}
    assert data["0"]["text"] == panel_turns.turns[0].text
    assert data["2"]["label"] == "MORI"
    assert doc.get_element_by_id("evidence-panel") is not None
    script = doc.xpath("//script[not(@type)]")[0].text
    assert "textContent" in script and "innerHTML" not in script


def test_no_panel_without_transcript(panel_sketch):
    doc = tree(render_bytes(panel_sketch, "html"))
    assert not doc.xpath("//*[@id='evidence-turns'] | //aside")


def test_metadata_block(panel_sketch):
    doc = tree(render_bytes(panel_sketch, "html"))
    people = [p.text_content() for p in doc.find_class("person")]
    assert people == [
        "Tomas Inkwell, Office of Fictional Minutes",
        "Bea Lantern, Centre for Made-up Dialogue",
        "Ada Quill, Institute of Imaginary Studies",
        "Zoë Ferrández-Løvik, Ministry of Invented Affairs",
        "Mori Hanako 森花子, Imaginary Research Council",
        "Park Ha-eun 박하은, Fictional University of Seoul",
    ]
    assert doc.find_class("date-time")[0].text == "May 7, 2031 / 09:30-11:00"
    assert doc.find_class("conference-url")[0].get("href") == "http://www.imaginary-forum.example"


def test_evidence_panel_works_from_file_url(panel_sketch, panel_turns, tmp_path):
    """Headless Chromium opens the file, a sentence is clicked, the panel shows the turn as text."""
    import shutil
    import subprocess

    import pytest

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        import os

        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("chromium is missing in CI (.ci/setup.d/web.sh installs it)")
        pytest.skip("chromium is not installed")
    panel_turns.turns[1].text += " <b>not bold</b>"
    html = render_bytes(panel_sketch, "html", transcript=panel_turns).decode()
    click = '<script>document.querySelectorAll(".sentence")[3].click();</script></body>'
    page = tmp_path / "sketch.html"
    page.write_text(html.replace("</body>", click), encoding="utf-8")
    result = subprocess.run(
        [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    dom = lxml.html.document_fromstring(result.stdout)
    panel = dom.get_element_by_id("evidence-panel")
    assert panel.get("hidden") is None
    assert panel.find_class("evidence-title")[0].text == "Evidence: Zoë Ferrández-Løvik"
    assert panel.xpath(".//mark")[0].text == panel_sketch.paragraphs[2].sentences[0].text
    assert "<b>not bold</b>" in panel.find_class("evidence-text")[0].text_content()
    assert not panel.xpath(".//b")
