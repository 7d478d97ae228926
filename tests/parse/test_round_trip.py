"""render then parse gives back exactly what was written: text with Markdown and HTML
characters in it, and the disclaimer, in every format the writers make.

The panel is FICTIONAL: invented people, invented towns, invented words.
"""

from __future__ import annotations

import dataclasses

import pytest

from sessionsketch.model import DEFAULT_DISCLAIMER, Paragraph, PersonRef, Sentence, Sketch
from sessionsketch.readers import read_sketch

FORMATS = ["md", "html", "pdf", "docx"]

#: Paragraphs whose sentences hold every character the Markdown writer escapes.
TRICKY_BODY = [
    [
        "Orla Brennick said the harbour fund fell from 5% to <3% & that the *interim* plan "
        "[draft 2] was ranked #1 by the towns.",
        "She noted that the files quay_north_v2 and quay_south_v2 use underscores, not **stars**.",
        "A levy of 2 < 3 & 4 > 1 is still a levy, she said, and <b>bold</b> claims need proof.",
    ],
    [
        "# marks a channel name in the alliance chat, Brennick explained, and &amp; is how the "
        "ministry's web form writes an ampersand.",
        "Her slides quoted the `tide_table` field, the path C:\\quays\\north, a pipe | and a tilde ~.",
        "She linked [the plan](https://plans.example/quay) and wrote <https://plans.example> in full.",
    ],
    [
        "- not a list, Tadeo Marquand said of the budget line, and *not* emphasis either.",
        "He added that 1. is just a number here, _underscored_ words stay as typed, and \\* is a star.",
    ],
    ["> That quote mark, Marquand said, is not a quotation; = and + open no line either."],
    ["2) That number opens the paragraph, he said, and 3. does not start a list."],
]


def tricky_sketch(fictional, disclaimer: str | None = DEFAULT_DISCLAIMER) -> Sketch:
    meta = dataclasses.replace(
        fictional.METADATA,
        session="Quays & Walls <Phase 2> [v_2] *draft* #3",
        speakers=[
            PersonRef("Orla Brennick", "Harbour Towns Alliance <North> & Islands"),
            PersonRef("Tadeo R. Marquand, Jr.", "Velmora Institute of Engineering_Works"),
        ],
    )
    return Sketch(
        metadata=meta,
        paragraphs=[Paragraph([Sentence(t) for t in para]) for para in TRICKY_BODY],
        disclaimer=disclaimer,
    )


def _write(sketch: Sketch, fmt: str, tmp_path, fictional, style: str = "session-sketch"):
    if fmt == "pdf":
        fictional.weasyprint_module()
    from sessionsketch.writers import write_sketch

    dest = tmp_path / f"sketch.{fmt}"
    write_sketch(sketch, dest, style=style)
    return dest


@pytest.mark.parametrize("fmt", FORMATS)
def test_markup_characters_round_trip(fmt, tmp_path, fictional) -> None:
    sketch = tricky_sketch(fictional)
    back = read_sketch(_write(sketch, fmt, tmp_path, fictional))
    assert [[s.text for s in p.sentences] for p in back.paragraphs] == TRICKY_BODY
    assert back.metadata == sketch.metadata
    assert back.disclaimer == DEFAULT_DISCLAIMER


DISCLAIMERS = [
    DEFAULT_DISCLAIMER,
    "Summaries by the rapporteur & panel; the views expressed are not those of <any> speaker's "
    "employer, nor of the *hosts* of the Velmora Coastal Forum, its partners, its sponsors or "
    "the towns that sent delegates to it.",
    "Not for citation without the speakers' consent.",
]


@pytest.mark.parametrize("style", ["session-sketch", "igf-report"])
@pytest.mark.parametrize("disclaimer", range(len(DISCLAIMERS)))
@pytest.mark.parametrize("fmt", FORMATS)
def test_disclaimer_round_trips_exactly(fmt, disclaimer, style, tmp_path, fictional) -> None:
    """Default, long (wraps in the PDF footer) and short-without-keywords disclaimers."""
    sketch = fictional.fictional_sketch()
    sketch.disclaimer = DISCLAIMERS[disclaimer]
    back = read_sketch(_write(sketch, fmt, tmp_path, fictional, style))
    assert back.disclaimer == DISCLAIMERS[disclaimer]
    body = " ".join(s.text for s in back.sentences)
    assert "Page 1" not in body and DISCLAIMERS[disclaimer][:30] not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_page_sketch_keeps_its_disclaimer_out_of_the_body(fmt, tmp_path, fictional) -> None:
    sketch = fictional.fictional_sketch()
    sketch.paragraphs = sketch.paragraphs[:2]
    sketch.disclaimer = DISCLAIMERS[2]
    back = read_sketch(_write(sketch, fmt, tmp_path, fictional))
    assert [s.text for s in back.sentences] == [s.text for s in sketch.sentences]
    assert back.disclaimer == DISCLAIMERS[2]
