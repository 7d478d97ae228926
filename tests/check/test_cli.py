"""``sessionsketch check``: exit status, text/JSON output, --fix in place and to -o."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from sessionsketch.cli import run

GOOD_MD = """## Session Sketch

Fictional Harbour Forum 2031

**Session:** Tides and Tariffs

**Date/Time:** May 6, 2031 / 10:00-11:30

**Rapporteur:**

Nell Farrow, Lantern Review

**Moderator:**

Ivo Brandt, Cobble Foundation

**Speakers:**

Ada Quill, Harbour Institute

Bram Otterly, Northern Fisheries Board

Tan Weiming, Saltmarsh University

**Session Sketch:**

Ada Quill noted that the two towns have made a conscious choice to take the harbour compact to the next level. Quill added that lighthouse trade has doubled since 2025.

Otterly argued that harbour tariffs are hurting northern fishermen and called for a subsidy scheme for small boats.

Tan Weiming said that the saltmarsh is shrinking by two metres a year. Tan warned that the sea wall will not hold past 2040 without new funding.

*\\* The views expressed herein are summaries and may not necessarily reflect the views of the speakers or their affiliated institutions.*
"""


def cli(*args: str) -> int:
    try:
        return run([str(a) for a in args])
    except SystemExit as exc:  # the check command exits 1 through SystemExit
        return int(exc.code or 0)


@pytest.fixture
def programme_file(tmp_path: Path, programme) -> Path:
    session = programme.session
    doc = {
        "conference": {"name": "Fictional Harbour Forum 2031"},
        "session": {
            "title": session.title,
            "date": session.date.isoformat(),
            "start": session.start,
            "end": session.end,
            "rapporteur": {"name": session.rapporteur.name, "affiliation": session.rapporteur.affiliation},
            "moderator": {"name": session.moderator.name, "affiliation": session.moderator.affiliation},
            "speakers": [
                {"name": p.name, "affiliation": p.affiliation, "family_name_first": p.family_name_first}
                for p in session.speakers
            ],
        },
    }
    path = tmp_path / "programme.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def sketch_json(tmp_path: Path, sketch) -> Path:
    path = tmp_path / "sketch.json"
    path.write_text(json.dumps(sketch.to_dict()), encoding="utf-8")
    return path


def test_clean_sketch_exits_0(sketch_json, programme_file, capsys) -> None:
    assert cli("check", sketch_json, "--programme", programme_file) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_findings_exit_1_with_rule_location_message_and_suggestion(
    sketch, tmp_path, programme_file, capsys
) -> None:
    sketch.paragraphs[1].sentences[0].text = "Oterly argued that the the tariffs hurt."
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(sketch.to_dict()), encoding="utf-8")
    assert cli("check", path, "-p", programme_file) == 1
    out = capsys.readouterr().out
    assert f"{path} (paragraph 2, sentence 1): error names.misspelt: 'Oterly'" in out
    assert "write 'Otterly'" in out
    assert "warning language.doubled" in out
    assert cli("check", path, "-p", programme_file, "--format", "json") == 1
    findings = json.loads(capsys.readouterr().out)
    assert {f["rule"] for f in findings} == {"names.misspelt", "language.doubled"}
    misspelt = next(f for f in findings if f["rule"] == "names.misspelt")
    assert misspelt["location"]["paragraph"] == 1 and misspelt["fix"] == {"old": "Oterly", "new": "Otterly"}


def test_unreadable_input_exits_2(tmp_path, capsys) -> None:
    assert cli("check", tmp_path / "missing.json") == 2
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    assert cli("check", bad) == 2
    assert "broken.json" in capsys.readouterr().err


def test_fix_rewrites_markdown_in_place_keeping_everything_else(tmp_path, programme_file) -> None:
    path = tmp_path / "sketch.md"
    wrong = GOOD_MD.replace("Otterly argued", "Oterly argued").replace("Tan warned", "Tan  warned")
    path.write_text(wrong, encoding="utf-8")
    assert cli("check", path, "-p", programme_file, "--fix") == 0
    assert path.read_text(encoding="utf-8") == wrong.replace("Oterly argued", "Otterly argued")


def test_fix_to_output_leaves_the_input_alone(tmp_path, programme_file, sketch) -> None:
    sketch.paragraphs[0].sentences[1].text = "Quil added that lighthouse trade has doubled since 2025."
    src = tmp_path / "sketch.json"
    src.write_text(json.dumps(sketch.to_dict()), encoding="utf-8")
    before = src.read_text(encoding="utf-8")
    out = tmp_path / "fixed.json"
    assert cli("check", src, "-p", programme_file, "--fix", "-o", out) == 0
    assert src.read_text(encoding="utf-8") == before
    fixed = json.loads(out.read_text(encoding="utf-8"))
    assert fixed["paragraphs"][0]["sentences"][1]["text"].startswith("Quill added")


def test_output_needs_fix_and_a_bad_format_is_refused(sketch_json, tmp_path) -> None:
    assert cli("check", sketch_json, "-o", tmp_path / "x.json") == 2
    assert cli("check", sketch_json, "--format", "yaml") == 2
    assert not (tmp_path / "x.json").exists()


def test_reference_sketch_against_its_programme(reference_txt, capsys) -> None:
    from ..conftest import EXAMPLES

    programme = EXAMPLES / "asan-plenum-2019-rok-us-alliance" / "programme.yaml"
    assert cli("check", reference_txt, "--programme", programme) == 1
    out = capsys.readouterr().out
    names = [line for line in out.splitlines() if " names." in line]
    assert len(names) == 1 and "'Soeya Yoshida'" in names[0] and "write 'Soeya Yoshihide'" in names[0]
    assert "'broader principals'" in out
    for correct in ("Kim Sung-han", "Marc Knapper", "Sydney", "Zhu Feng", "Sue Mi Terry", "Troy Stangarone"):
        assert correct not in "\n".join(names)
