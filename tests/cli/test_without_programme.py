"""Without a programme: ``draft TRANSCRIPT`` infers the participants and says so;
``programme init`` writes them as a programme to edit, which ``draft`` then reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from sessionsketch.cli import run
from sessionsketch.readers.programme import load_programme


def test_draft_a_transcript_alone_infers_the_participants_and_says_so(
    panel: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, tr = panel
    assert run(["draft", str(tr)]) == 0
    captured = capsys.readouterr()
    assert "no programme; participants inferred from the speaker labels" in captured.err
    assert "Ada Quill (chair), Bram Teller, Cleo Marsh" in captured.err
    assert "sessionsketch programme init" in captured.err
    # 'Ms. Ada Quill (Harbour Board)' and 'Ada Quill' are one person
    assert "Bram Teller" in captured.out and "Ms. Ada Quill" not in captured.out


def test_programme_init_writes_a_programme_to_edit(panel: tuple[Path, Path], tmp_path: Path) -> None:
    _, tr = panel
    out = tmp_path / "inferred.yaml"
    assert run(["programme", "init", str(tr), "-o", str(out)]) == 0
    text = out.read_text("utf-8")
    doc = yaml.safe_load(text)
    chair, bram, cleo = doc["session"]["moderators"] + doc["session"]["speakers"]
    assert chair["name"] == "Ada Quill" and chair["role"] == "chair"
    assert chair["aliases"] == ["Ada Quill"]  # 'Ms. Ada Quill (Harbour Board)' and 'Ada Quill' merged
    assert chair["affiliation"] == "Harbour Board"  # the label gave it
    assert bram == {
        "name": "Bram Teller",
        "role": "speaker",
        "aliases": ["Bram Teller"],
        "pronouns": None,
        "affiliation": None,
    }
    assert cleo["name"] == "Cleo Marsh"
    # every guess is marked for checking, and the blanks are there to fill
    assert text.count("# check:") == 4
    assert "role: chair  # check: guessed from what the turns do" in text
    assert "Bram Teller  # 2 turns, 62 words" in text
    assert doc["conference"] == {"name": None} and doc["session"]["title"] is None
    assert len(load_programme(out).session.participants) == 3


def test_the_written_programme_drafts(
    panel: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, tr = panel
    prog = tmp_path / "inferred.yaml"
    assert run(["programme", "init", str(tr), "-o", str(prog)]) == 0
    edited = prog.read_text("utf-8").replace("name: Ada Quill", "name: Ada Quill-Brant")
    edited = edited.replace("  title:  # the session's title", "  title: Leaks and open data")
    prog.write_text(edited, encoding="utf-8")  # the rapporteur corrects a name: the alias still matches
    capsys.readouterr()
    assert run(["transcript", str(tr), "-p", str(prog), "--to", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["unresolved"] == [] and doc["turns"][0]["speaker"] == "Ada Quill-Brant"
    out = tmp_path / "sketch.md"
    assert run(["draft", str(prog), str(tr), "-o", str(out)]) == 0
    assert "Leaks and open data" in out.read_text("utf-8")


def test_programme_init_to_standard_output_and_from_standard_input(
    panel: tuple[Path, Path], stdin, capsys: pytest.CaptureFixture[str]
) -> None:
    _, tr = panel
    stdin(tr.read_bytes())
    assert run(["programme", "init", "-"]) == 0
    doc = yaml.safe_load(capsys.readouterr().out)
    assert [p["name"] for p in doc["session"]["speakers"]] == ["Bram Teller", "Cleo Marsh"]


def test_an_edited_programme_is_not_overwritten(
    panel: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, tr = panel
    out = tmp_path / "inferred.yaml"
    out.write_text("# my edits\n", encoding="utf-8")
    assert run(["programme", "init", str(tr), "-o", str(out)]) == 2
    assert "without --force" in capsys.readouterr().err and out.read_text("utf-8") == "# my edits\n"
    assert run(["programme", "init", str(tr), "-o", str(out), "--force"]) == 0
    assert "Bram Teller" in out.read_text("utf-8")
    assert run(["programme", "init", str(tr), "-o", str(tmp_path / "programme.txt")]) == 2


def test_a_folder_needs_a_programme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "1.txt").write_text("Ada Quill: Hello.\n", encoding="utf-8")
    assert run(["draft", str(tmp_path / "in"), "-o", str(tmp_path / "out")]) == 2
    assert "needs a programme" in capsys.readouterr().err


def test_a_real_meeting_every_label_resolves_with_the_written_programme(
    qmsum_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting = sorted((qmsum_dir / "val").glob("*.json"))[0]
    prog = tmp_path / "inferred.yaml"
    assert run(["programme", "init", str(meeting), "-o", str(prog)]) == 0
    programme = load_programme(prog)
    capsys.readouterr()
    assert run(["transcript", str(meeting), "-p", str(prog), "--to", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    labels = {t["label"] for t in doc["turns"]}
    assert doc["unresolved"] == [] and len(programme.session.participants) <= len(labels)
    # the chair, if one was guessed, is marked for checking
    if programme.session.moderators:
        assert "check:" in prog.read_text("utf-8").split("speakers:")[0]


@pytest.mark.parametrize(
    "label",
    ["Smith, Jo", "Yes", "Dr. Ada [remote]", "Null", "Ada: Quill", "Ada #2", "O'Brien-Teller"],
)
def test_labels_of_any_shape_survive_the_yaml(label: str, tmp_path: Path) -> None:
    from sessionsketch.commands.programme import scalar

    assert yaml.safe_load(f"x: {scalar(label)}") == {"x": label}
    assert yaml.safe_load(f"x: [{scalar(label, flow=True)}, b]") == {"x": [label, "b"]}


@pytest.mark.slow
def test_every_qmsum_meeting_resolves_against_its_written_programme(qmsum_dir: Path) -> None:
    """programme init on all 30 committee meetings: the YAML reads back and resolves every label
    (996 labels, 667 people when measured; the Hansard-style covid labels merge most)."""
    from sessionsketch.commands.programme import programme_yaml
    from sessionsketch.pipeline import read_transcript, transcript_programme
    from sessionsketch.readers.programme import programme_from_dict

    meetings = sorted(qmsum_dir.glob("*/*.json"))
    assert len(meetings) >= 30
    for meeting in meetings:
        tr = read_transcript(meeting)
        text = programme_yaml(transcript_programme(tr), tr, str(meeting))
        written = programme_from_dict(yaml.safe_load(text), meeting)
        again = read_transcript(meeting, written)
        assert again.unresolved == [], meeting.name
        assert written.session.moderators, f"{meeting.name}: no chair guessed"
        assert len(written.session.participants) <= len({t.label for t in tr.turns})
