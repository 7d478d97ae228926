"""Programme files: YAML and JSON, line-numbered validation errors, multi-session, duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sessionsketch.errors import UserError
from sessionsketch.readers.programme import load_programme

ROOT = Path(__file__).resolve().parents[2]


def test_reference_programme_loads() -> None:
    programme = load_programme(ROOT / "examples" / "asan-plenum-2019-rok-us-alliance" / "programme.yaml")
    s = programme.session
    assert programme.conference.name == "Asan Plenum 2019"
    assert s.moderator is not None and s.moderator.name == "Sue Mi Terry"
    assert [p.name for p in s.speakers][:2] == ["Kim Sung-han", "Marc Knapper"]
    assert s.speakers[0].family_name == "Kim"
    assert s.start == "13:00" and s.end == "14:30"


def test_welsh_example_programme_loads() -> None:
    programme = load_programme(ROOT / "examples" / "welsh-education-committee" / "programme.yaml")
    s = programme.session
    assert [p.role for p in s.moderators] == ["chair"]
    assert {p.role for p in s.others} == {"member"}


MISSING_NAME = """\
conference:
  name: The Fictional Forum
session:
  title: Imaginary futures
  moderator:
    name: Ada Quill
  speakers:
    - name: Bram Teller
      affiliation: Nowhere Institute
    - name: Chidi Okafor
    - affiliation: Elsewhere Foundation
"""


def test_missing_name_names_file_line_and_field(tmp_path: Path) -> None:
    p = tmp_path / "programme.yaml"
    p.write_text(MISSING_NAME, encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_programme(p)
    assert str(err.value) == f"{p}:11: session.speakers[2].name is missing"


def test_bad_time_and_role_name_their_lines(tmp_path: Path) -> None:
    p = tmp_path / "programme.yaml"
    p.write_text("session:\n  title: X\n  start: '25:99'\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_programme(p)
    assert err.value.line == 3 and "session.start" in err.value.message
    p.write_text("session:\n  speakers:\n    - name: Ada Quill\n      role: juggler\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_programme(p)
    assert err.value.line == 4 and "session.speakers[0].role" in err.value.message


def test_invalid_yaml_names_its_line(tmp_path: Path) -> None:
    p = tmp_path / "programme.yaml"
    p.write_text("session:\n  title: [unclosed\n  speakers: x\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_programme(p)
    assert err.value.line is not None and "invalid YAML" in err.value.message


def test_json_programme_with_sessions(tmp_path: Path) -> None:
    doc = {
        "conference": {"name": "The Fictional Forum", "dates": ["2031-05-01", "2031-05-02"]},
        "sessions": [
            {
                "number": 1,
                "slug": "opening",
                "title": "Opening",
                "moderator": "Ada Quill, Institute of Imaginary Studies",
                "speakers": ["Bram Teller"],
            },
            {
                "number": 2,
                "slug": "closing",
                "title": "Closing",
                "moderator": "Chidi Okafor",
                "speakers": [{"name": "Nora Teller", "affiliation": "Elsewhere Foundation"}],
            },
        ],
    }
    p = tmp_path / "programme.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    programme = load_programme(p)
    assert [(s.number, s.slug) for s in programme.sessions] == [("1", "opening"), ("2", "closing")]
    assert programme.sessions[0].moderator.affiliation == "Institute of Imaginary Studies"
    assert programme.sessions[1].speakers[0].name == "Nora Teller"
    assert str(programme.conference.end_date) == "2031-05-02"


def test_duplicate_speakers_warn_and_keep_one(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    p = tmp_path / "programme.yaml"
    p.write_text(
        "session:\n  speakers:\n    - Ada Quill\n    - Bram Teller\n    - Ada Quill\n", encoding="utf-8"
    )
    programme = load_programme(p)
    assert [s.name for s in programme.session.speakers] == ["Ada Quill", "Bram Teller"]
