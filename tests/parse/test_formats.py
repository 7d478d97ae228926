"""The fictional panel read back from every format: same metadata, same attributions."""

from __future__ import annotations

import pytest

from sessionsketch.model import DEFAULT_DISCLAIMER
from sessionsketch.pipeline import parse_sketch, read_sketch

FORMATS = ["md", "html", "marked.html", "pdf", "docx"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_metadata_read_back(fictional_files, fmt, fictional) -> None:
    sketch = parse_sketch(fictional_files[fmt])
    assert sketch.metadata.to_dict() == fictional.METADATA.to_dict()
    assert sketch.disclaimer == DEFAULT_DISCLAIMER


@pytest.mark.parametrize("fmt", FORMATS)
def test_sentences_and_attributions_read_back(fictional_files, fmt, fictional) -> None:
    sketch = parse_sketch(fictional_files[fmt])
    want = [t for para in fictional.BODY for t, _ in para]
    assert [s.text for s in sketch.sentences] == want
    assert [len(p.sentences) for p in sketch.paragraphs] == [len(p) for p in fictional.BODY]
    assert [s.speaker for s in sketch.sentences] == fictional.expected_speakers()


def test_pdf_is_three_pages_with_running_furniture(fictional_files) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(fictional_files["pdf"].read_bytes())
    assert len(doc) == 3
    text = doc[1].get_textpage().get_text_range()
    assert "Session Sketch — Velmora" in text and "views expressed herein" in text
    body = " ".join(s.text for s in read_sketch(fictional_files["pdf"]).sentences)
    assert "Session Sketch" not in body and "views expressed" not in body


def test_marked_html_uses_the_marks(fictional_files) -> None:
    sketch = parse_sketch(fictional_files["marked.html"])
    assert all(s.why and "data-speaker" in s.why for s in sketch.sentences)


def test_programme_names_are_canonical(fictional_files, tmp_path) -> None:
    from sessionsketch.readers.programme import load_programme

    prog = tmp_path / "programme.yaml"
    prog.write_text(
        "conference: {name: Velmora Coastal Forum 2031}\n"
        "sessions:\n"
        "  - title: Harbours at Risk\n"
        "    rapporteur: {name: Ines Halvorsen}\n"
        "    moderators: [{name: Dalia Okonkwo-Reyes}]\n"
        "    speakers:\n"
        "      - {name: Orla Brennick}\n"
        "      - {name: Tadeo Marquand Jr}\n"
        "      - {name: Park Ji-woo, family_name_first: true}\n"
        "      - {name: Lin Qiao, family_name_first: true}\n",
        encoding="utf-8",
    )
    sketch = parse_sketch(fictional_files["md"], load_programme(prog))
    assert "Tadeo Marquand Jr" in {s.speaker for s in sketch.sentences}
    assert [p.name for p in sketch.metadata.speakers][1] == "Tadeo Marquand Jr"


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "docx"])
def test_writers_round_trip(fmt, tmp_path, fictional) -> None:
    """render then parse: the same metadata and the same attributions (by text for md/pdf/docx)."""
    from sessionsketch.writers import write_sketch

    if fmt == "pdf":
        fictional.weasyprint_module()
    sketch = fictional.fictional_sketch()
    dest = tmp_path / f"panel.{fmt}"
    write_sketch(sketch, dest)
    back = parse_sketch(dest)
    assert back.metadata.to_dict() == sketch.metadata.to_dict()
    assert [s.text for s in back.sentences] == [s.text for s in sketch.sentences]
    assert [s.speaker for s in back.sentences] == fictional.expected_speakers()
    if fmt != "html":
        assert not any(s.why and "data-speaker" in s.why for s in back.sentences)


def test_pdf_paragraph_running_over_pages_stays_one(tmp_path, fictional) -> None:
    weasyprint = fictional.weasyprint_module()
    towns = [
        "Dunmere",
        "Kellhaven",
        "Oster Bay",
        "Ribbleford",
        "Saltmarsh",
        "Tarn",
        "Wexholm",
        "Ymber",
        "Corrin",
    ]
    works = [
        "raised quay",
        "floating pontoon",
        "tidal gate",
        "stone breakwater",
        "slipway",
        "sea wall",
        "pier",
        "dyke",
        "weir",
        "culvert",
    ]
    long = " ".join(
        f"Marquand said that the {works[i % 10]} at {towns[i % 9]} was built by {'local' if i % 2 else 'visiting'} crews"
        f"{' in a single season' * (i % 3)}{', with help from the fishermen' * (i % 4 == 1)} (case {i})."
        for i in range(90)
    )
    html = (
        "<html><body style='font-size:12pt; line-height:1.5'><p><b>Session:</b> Harbours at Risk</p>"
        "<p><b>Speakers:</b></p><p>Tadeo Marquand, Velmora Institute of Engineering</p>"
        f"<p>The panel asked how harbours adapt to rising seas.</p><p>{long}</p>"
        "<p>Marquand closed by thanking the crews for their patience over the years.</p></body></html>"
    )
    path = tmp_path / "long.pdf"
    path.write_bytes(weasyprint.HTML(string=html).write_pdf())
    sketch = parse_sketch(path)
    assert [len(p.sentences) for p in sketch.paragraphs] == [1, 90, 1]
    assert sketch.paragraphs[1].sentences[-1].text.endswith("(case 89).")


def test_programme_with_several_sessions_uses_the_one_the_sketch_names(fictional_files, tmp_path) -> None:
    from sessionsketch.readers.programme import load_programme

    prog = tmp_path / "programme.yaml"
    prog.write_text(
        "conference: {name: Velmora Coastal Forum 2031}\n"
        "sessions:\n"
        "  - title: Rivers and Deltas\n"
        "    speakers: [{name: Orla Brenick}]\n"
        "  - title: Harbours at Risk\n"
        "    speakers:\n"
        "      - {name: Orla Brennick}\n"
        "      - {name: Tadeo Marquand}\n"
        "      - {name: Park Ji-woo, family_name_first: true}\n"
        "      - {name: Lin Qiao, family_name_first: true}\n",
        encoding="utf-8",
    )
    sketch = parse_sketch(fictional_files["md"], load_programme(prog))
    assert sketch.sentences[1].speaker == "Orla Brennick"
    assert {s.speaker for s in sketch.sentences} == {
        None,
        "Orla Brennick",
        "Tadeo Marquand",
        "Park Ji-woo",
        "Lin Qiao",
    }


def test_one_page_pdf_with_even_spacing(tmp_path, fictional) -> None:
    """Every line its own paragraph at the same spacing, labels not bold: labels and sentence ends decide."""
    html = (
        "<html><body style='font-size:11pt'><style>p { margin: 0; line-height: 2 }</style>"
        "<p>Fictional Forum 2025</p><p>Session: Harbour Fees</p><p>Date/Time: May 2, 2025</p>"
        "<p>Speakers:</p><p>Ada Quillfeather, Harbour Institute 2025</p><p>Session Sketch:</p>"
        "<p>Quillfeather proposed a shared lamp fund.</p><p>The harbour board will vote on it in June.</p>"
        "</body></html>"
    )
    path = tmp_path / "short.pdf"
    path.write_bytes(fictional.weasyprint_module().HTML(string=html).write_pdf())
    sketch = parse_sketch(path)
    assert (sketch.metadata.conference, sketch.metadata.session) == ("Fictional Forum 2025", "Harbour Fees")
    assert [p.name for p in sketch.metadata.speakers] == ["Ada Quillfeather"]
    assert [[s.text for s in p.sentences] for p in sketch.paragraphs] == [
        ["Quillfeather proposed a shared lamp fund."],
        ["The harbour board will vote on it in June."],
    ]
    assert [s.speaker for s in sketch.sentences] == ["Ada Quillfeather", "Ada Quillfeather"]
