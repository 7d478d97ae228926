"""``sessionsketch render``: every format from a sketch JSON, bad inputs as one-line errors."""

from __future__ import annotations

import io
import json
import logging

import docx
import lxml.html
import pytest

from sessionsketch.cli import run


@pytest.fixture
def sketch_json(panel_sketch, tmp_path):
    path = tmp_path / "panel.json"
    path.write_text(json.dumps(panel_sketch.to_dict(), ensure_ascii=False), encoding="utf-8")
    return path


def test_all_formats(sketch_json, tmp_path, panel_sketch, weasy):
    for fmt in ("md", "html", "pdf", "docx", "json"):
        out = tmp_path / "out" / f"sketch.{fmt}"
        assert run(["render", str(sketch_json), "-o", str(out)]) == 0
        data = out.read_bytes()
        assert data
    assert (tmp_path / "out" / "sketch.pdf").read_bytes().startswith(b"%PDF-")
    assert json.loads((tmp_path / "out" / "sketch.json").read_text()) == panel_sketch.to_dict()
    doc = docx.Document(io.BytesIO((tmp_path / "out" / "sketch.docx").read_bytes()))
    assert doc.paragraphs[0].text == "Session Sketch"
    assert not list((tmp_path / "out").glob("*.part"))


def test_stdout_markdown_and_html(sketch_json, capsysbinary):
    assert run(["render", str(sketch_json)]) == 0
    assert capsysbinary.readouterr().out.startswith(b"## Session Sketch\n")
    assert run(["render", str(sketch_json), "--format", "html"]) == 0
    assert b"<!DOCTYPE html>" in capsysbinary.readouterr().out
    assert run(["render", str(sketch_json), "--format", "pdf"]) == 2


def test_transcript_feeds_the_evidence_panel(sketch_json, tmp_path, panel_turns):
    transcript = tmp_path / "panel.txt"
    transcript.write_text(
        "\n".join(f"{t.label}: {t.text}" for t in panel_turns.turns) + "\n", encoding="utf-8"
    )
    out = tmp_path / "sketch.html"
    assert run(["render", str(sketch_json), "-o", str(out), "--transcript", str(transcript)]) == 0
    doc = lxml.html.document_fromstring(out.read_text(encoding="utf-8"))
    turns = json.loads(doc.get_element_by_id("evidence-turns").text)
    assert turns["1"]["text"] == panel_turns.turns[1].text


def test_missing_fields_warn_and_render(tmp_path, caplog):
    path = tmp_path / "thin.json"
    path.write_text('{"metadata": {"session": "Invented Coastlines"}, "paragraphs": []}', encoding="utf-8")
    out = tmp_path / "thin.md"
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        assert run(["render", str(path), "-o", str(out)]) == 0
    assert "left out: conference, date, time, rapporteur, moderator, speakers, body" in caplog.text
    assert "**Session:** Invented Coastlines" in out.read_text(encoding="utf-8")


def test_unknown_style_lists_styles(sketch_json, tmp_path, capsys):
    assert run(["render", str(sketch_json), "--style", "nope", "-o", str(tmp_path / "x.md")]) == 2
    err = capsys.readouterr().err
    assert "unknown style 'nope' (available: igf-report, session-sketch)" in " ".join(err.split())
    assert not (tmp_path / "x.md").exists()


def test_failed_render_leaves_no_file(sketch_json, tmp_path, capsys):
    import shutil

    from sessionsketch.writers.styles import builtin_styles_dir

    bad = tmp_path / "bad-style"
    shutil.copytree(builtin_styles_dir() / "session-sketch", bad)
    (bad / "sketch.html.j2").write_text("{{ no_such_value }}\n", encoding="utf-8")
    out = tmp_path / "keep.html"
    out.write_text("earlier version", encoding="utf-8")
    assert run(["render", str(sketch_json), "--style", str(bad), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "earlier version"
    assert run(["render", str(sketch_json), "--style", str(bad), "-o", str(tmp_path / "new.docx")]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad-style", "keep.html", "panel.json"]
    assert "template error" in capsys.readouterr().err


def test_bad_inputs_are_one_line(tmp_path, sketch_json, capsys):
    assert run(["render", str(tmp_path / "nope.json")]) == 2
    assert run(["render", str(sketch_json), "-o", str(tmp_path / "x.odt")]) == 2
    broken = tmp_path / "broken.json"
    broken.write_text('{"metadata": ', encoding="utf-8")
    assert run(["render", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("error:")]) == 3
