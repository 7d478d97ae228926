"""Markdown: the reference's structure, read back exactly by the Markdown sketch reader."""

from __future__ import annotations

import json

from sessionsketch.model import Sketch
from sessionsketch.readers import read_sketch
from sessionsketch.writers import render_bytes
from sessionsketch.writers.escape import md_escape


def test_reference_layout(reference_sketch):
    md = render_bytes(reference_sketch, "md").decode()
    lines = md.splitlines()
    assert lines[:4] == [
        "## Session Sketch",
        "",
        "Asan Plenum 2019: “Korea’s Choice”  ",
        "[www.asanplenum.org](http://www.asanplenum.org)",
    ]
    for expected in (
        "**Session:** ROK-U.S. Alliance",
        "**Date/Time:** April 23, 2019 / 13:00-14:30",
        "**Rapporteur:**\n\nTroy Stangarone, Korea Economic Institute of America",
        "**Moderator:**\n\nSue Mi Terry, Center for Strategic and International Studies",
        "**Speakers:**\n\nKim Sung-han, Korea University\n\nMarc Knapper, U.S. Department of State\n\n"
        "Sydney A. Seiler, U.S. Forces Korea\n\nSoeya Yoshihide, Keio University\n\n"
        "Zhu Feng, Nanjing University\n\n**Session Sketch:**\n\n",
    ):
        assert expected in md
    assert lines[-1] == f"*\\* {reference_sketch.disclaimer}*"
    assert md.count("\n\n\n") == 0


def test_read_back_exactly(panel_sketch, reference_sketch, tmp_path):
    # the panel's speakers include names written in Hangul and kanji ("Park Ha-eun 박하은")
    for i, sketch in enumerate((panel_sketch, reference_sketch)):
        path = tmp_path / f"sketch{i}.md"
        path.write_bytes(render_bytes(sketch, "md"))
        back = read_sketch(path)
        assert back.metadata == sketch.metadata
        assert [p.text for p in back.paragraphs] == [p.text for p in sketch.paragraphs]
        assert back.disclaimer == sketch.disclaimer


def test_missing_fields_left_out(tmp_path):
    sketch = Sketch.from_dict(json.loads('{"paragraphs": [{"sentences": [{"text": "A fictional line."}]}]}'))
    md = render_bytes(sketch, "md").decode()
    assert md.startswith("## Session Sketch\n\n**Session Sketch:**\n\nA fictional line.\n")
    assert "Rapporteur" not in md and "None" not in md


def test_escape_rules():
    assert md_escape("<b>") == "\\<b>"
    assert md_escape("a < b > c") == "a < b > c"
    assert md_escape("> quoted") == "\\> quoted"
    assert md_escape("# heading") == "\\# heading"
    assert md_escape("2019. A year") == "2019\\. A year"
    assert md_escape("- item") == "\\- item"
    assert md_escape("a_b *c* [d]") == "a\\_b \\*c\\* \\[d\\]"
    assert md_escape("Science & Policy &amp;") == "Science & Policy \\&amp;"
    assert md_escape("U.S.-Korea 13:00-14:30") == "U.S.-Korea 13:00-14:30"  # plain text stays plain
    assert md_escape("two\nlines") == "two lines"
