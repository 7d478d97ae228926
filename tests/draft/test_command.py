"""``sessionsketch draft`` end to end on a fictional panel, and its bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from sessionsketch.cli import run
from sessionsketch.engines.reported import FIRST_PERSON_RE

from .conftest import PROGRAMME, TURNS


def _qmsum(path: Path, turns: list[tuple[str, str]]) -> Path:
    path.write_text(
        json.dumps({"meeting_transcripts": [{"speaker": s, "content": c} for s, c in turns]}),
        encoding="utf-8",
    )
    return path


def test_draft_writes_json_with_evidence(panel: tuple[Path, Path], tmp_path: Path) -> None:
    prog, tr = panel
    out = tmp_path / "sketch.json"
    assert run(["draft", str(prog), str(tr), "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["metadata"]["session"] == "Water Policy"
    assert [p["speaker"] for p in doc["paragraphs"] if p["speaker"]] == [
        "Odalys Brightwater",
        "Henrik Stoneleaf",
        "Park Ji-woo",
    ]
    for para in doc["paragraphs"]:
        for s in para["sentences"]:
            if s["speaker"]:
                assert s["evidence"]
                assert not FIRST_PERSON_RE.search(s["text"])


def test_draft_prints_without_output(panel: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    prog, tr = panel
    assert run(["draft", str(prog), str(tr)]) == 0
    assert "Odalys Brightwater" in capsys.readouterr().out


def test_unresolved_labels_are_a_table_and_exit_2(
    panel: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prog, _ = panel
    tr = _qmsum(
        tmp_path / "odd.json",
        [*TURNS, ("Mystery Voice", "A point from someone not on the programme at all.")],
    )
    out = tmp_path / "sketch.json"
    assert run(["draft", str(prog), str(tr), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Mystery Voice" in err and "--allow-unresolved" in err
    assert not out.exists()
    assert run(["draft", str(prog), str(tr), "-o", str(out), "--allow-unresolved"]) == 0
    assert out.exists()


def test_speaker_map_resolves_labels(panel: tuple[Path, Path], tmp_path: Path) -> None:
    prog, _ = panel
    turns = [("SPEAKER_01" if s == "Henrik Stoneleaf" else s, c) for s, c in TURNS]
    tr = _qmsum(tmp_path / "mapped.json", turns)
    smap = tmp_path / "map.yaml"
    smap.write_text("SPEAKER_01: Henrik Stoneleaf\n", encoding="utf-8")
    out = tmp_path / "s.json"
    assert run(["draft", str(prog), str(tr), "-o", str(out), "--speaker-map", str(smap)]) == 0
    assert "Henrik Stoneleaf" in out.read_text(encoding="utf-8")


def test_speaker_without_substantive_turns_is_warned_and_left_out(
    panel: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prog, _ = panel
    turns = [t for t in TURNS if t[0] != "Park Ji-woo"] + [("Park Ji-woo", "Thank you, Tobin.")]
    tr = _qmsum(tmp_path / "quiet.json", turns)
    out = tmp_path / "s.json"
    assert run(["draft", str(prog), str(tr), "-o", str(out)]) == 0
    assert "Park Ji-woo has no substantive turns" in capsys.readouterr().err
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "Park Ji-woo" not in [p["speaker"] for p in doc["paragraphs"]]


def test_one_turn_transcript(panel: tuple[Path, Path], tmp_path: Path) -> None:
    prog, _ = panel
    tr = _qmsum(tmp_path / "one.json", [TURNS[1]])
    out = tmp_path / "s.json"
    assert run(["draft", str(prog), str(tr), "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [p["speaker"] for p in doc["paragraphs"] if p["speaker"]] == ["Odalys Brightwater"]


def test_non_english_runs_and_warns(
    panel: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prog, _ = panel
    text = (
        "Je pense que les petites villes doivent partager leurs contrats. Nous avons étudié "
        "quarante villes et les coûts ont baissé d'un cinquième en trois ans."
    )
    tr = _qmsum(tmp_path / "fr.json", [("Odalys Brightwater", text)])
    out = tmp_path / "s.json"
    assert run(["draft", str(prog), str(tr), "-o", str(out)]) == 0
    assert "tuned for English" in capsys.readouterr().err
    assert out.exists()


def test_unattributed_command_names_no_one(panel: tuple[Path, Path], tmp_path: Path) -> None:
    prog, tr = panel
    out = tmp_path / "s.json"
    assert run(["draft", str(prog), str(tr), "-o", str(out), "--unattributed"]) == 0
    body = " ".join(s["text"] for p in json.loads(out.read_text())["paragraphs"] for s in p["sentences"])
    for word in ("Brightwater", "Stoneleaf", "Park", "Marsh", "Lakeside", "Hilltop", "Valley Water"):
        assert word not in body


def test_unattributed_refuses_when_a_name_would_remain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the session title names a participant: the verification pass must refuse to write
    prog = tmp_path / "p.yaml"
    prog.write_text(
        PROGRAMME.replace("title: Water Policy", "title: Water Policy with Stoneleaf"), encoding="utf-8"
    )
    tr = _qmsum(tmp_path / "t.json", TURNS)
    out = tmp_path / "s.json"
    assert run(["draft", str(prog), str(tr), "-o", str(out), "--unattributed"]) == 2
    assert "Stoneleaf" in capsys.readouterr().err
    assert not out.exists()


def test_bad_output_extension(panel: tuple[Path, Path], tmp_path: Path) -> None:
    prog, tr = panel
    assert run(["draft", str(prog), str(tr), "-o", str(tmp_path / "s.xyz")]) == 2


def test_unknown_engine(panel: tuple[Path, Path], tmp_path: Path) -> None:
    prog, tr = panel
    assert run(["draft", str(prog), str(tr), "--engine", "nonesuch"]) == 2


def _conference(tmp_path: Path) -> Path:
    doc = yaml.safe_load(PROGRAMME)
    first = doc.pop("session")
    second = {**first, "number": 2, "slug": "river-towns", "title": "River Towns"}
    doc["sessions"] = [first, second]
    prog = tmp_path / "conference.yaml"
    prog.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return prog


def test_whole_conference_reports_a_session_error_by_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prog = _conference(tmp_path)
    folder = tmp_path / "transcripts"
    folder.mkdir()
    _qmsum(folder / "session-1.json", TURNS)
    _qmsum(folder / "river-towns.json", [*TURNS[:2], ("Mystery Voice", "Something said by nobody listed.")])
    assert run(["draft", str(prog), str(folder), "-o", str(tmp_path / "out"), "--format", "json"]) == 2
    assert "river-towns.json" in capsys.readouterr().err


def _two_transcripts(tmp_path: Path) -> Path:
    folder = tmp_path / "transcripts"
    folder.mkdir()
    _qmsum(folder / "session-1.json", TURNS)
    _qmsum(folder / "river-towns.json", TURNS[:4])
    return folder


def test_whole_conference_in_parallel(tmp_path: Path) -> None:
    prog, folder = _conference(tmp_path), _two_transcripts(tmp_path)
    out = tmp_path / "sketches"
    assert run(["draft", str(prog), str(folder), "-o", str(out), "--format", "json"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["river-towns.json", "water-policy.json"]
    river = json.loads((out / "river-towns.json").read_text())
    assert river["metadata"]["session"] == "River Towns"
    water = json.loads((out / "water-policy.json").read_text())
    assert "Park Ji-woo" in [p["speaker"] for p in water["paragraphs"]]


def test_markdown_output_from_the_extension(panel: tuple[Path, Path], tmp_path: Path) -> None:
    prog, tr = panel
    out = tmp_path / "sketch.md"
    assert run(["draft", str(prog), str(tr), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Odalys Brightwater believes that small towns should pool" in text
    assert "Water Policy" in text


@pytest.mark.parametrize(("name", "writes"), [("sketch.htm", "<html"), ("sketch.markdown", "# ")])
def test_every_extension_a_writer_declares_is_an_output(
    panel: tuple[Path, Path], tmp_path: Path, name: str, writes: str
) -> None:
    """``-o x.htm`` and ``-o x.markdown`` choose the HTML and Markdown writers, as in render."""
    prog, tr = panel
    out = tmp_path / name
    assert run(["draft", str(prog), str(tr), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert writes in text.lower() and "Odalys Brightwater" in text


def test_a_conference_folder_takes_a_format_alias_and_writes_its_extension(tmp_path: Path) -> None:
    prog, folder = _conference(tmp_path), _two_transcripts(tmp_path)
    out = tmp_path / "sketches"
    assert run(["draft", str(prog), str(folder), "-o", str(out), "--format", "markdown"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["river-towns.md", "water-policy.md"]
