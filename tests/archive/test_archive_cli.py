"""``sessionsketch archive import|search|export|stats`` on the embedded archive.

FICTIONAL panels: invented people, invented words.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from sessionsketch.cli import run
from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch


def sketch_file(folder: Path, name: str, year: int, lines: list[tuple[str, str]]) -> Path:
    sketch = Sketch(
        metadata=Metadata(
            conference=f"Fictional Forum {year}",
            session=f"Harbour Session {name}",
            date=dt.date(year, 6, 1),
            speakers=[
                PersonRef(s, "Institute of Imaginary Affairs") for s in dict.fromkeys(s for s, _ in lines)
            ],
        ),
        paragraphs=[Paragraph(speaker=s, sentences=[Sentence(t, s)]) for s, t in lines],
    )
    path = folder / f"{name}.json"
    path.write_text(json.dumps(sketch.to_dict()), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "sketches"
    folder.mkdir()
    sketch_file(
        folder,
        "one",
        2023,
        [
            ("Ada Quillfeather", "Quillfeather argued that the lighthouse alliance needs new tide tables."),
            ("Bo Larkspur", "Larkspur warned that =cloud tariffs could hurt the alliance."),
        ],
    )
    sketch_file(folder, "two", 2024, [("Ada Quillfeather", "Quillfeather proposed a shared lamp fund.")])
    return folder


def test_import_is_idempotent_and_reports_a_summary(files: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    assert run(["archive", "import", str(files), "--data", str(data)]) == 0
    err = capsys.readouterr().err
    assert "2 files imported" in err and "created" in err
    assert (
        run(["archive", "import", str(files / "one.json"), str(files / "two.json"), "--data", str(data)]) == 0
    )
    err = capsys.readouterr().err
    assert "unchanged" in err
    assert run(["archive", "stats", "--to", "json", "--data", str(data)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["sketches"], stats["sentences"], stats["attributed"]) == (2, 3, 3)
    assert [y["year"] for y in stats["years"]] == [2023, 2024]
    assert stats["speakers"][0] == {"speaker": "Ada Quillfeather", "sentences": 2, "sketches": 2}


def test_a_file_that_fails_leaves_nothing_and_exits_2(files: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    (files / "broken.json").write_text('{"metadata": ', encoding="utf-8")
    assert run(["archive", "import", str(files), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "broken.json" in err and "Traceback" not in err
    run(["archive", "stats", "--to", "json", "--data", str(data)])
    assert json.loads(capsys.readouterr().out)["sketches"] == 2
    assert run(["archive", "import", str(tmp_path / "missing.pdf"), "--data", str(data)]) == 2
    assert "missing.pdf: no such file" in capsys.readouterr().err


def test_search_as_table_json_and_csv(files: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    run(["archive", "import", str(files), "--data", str(data), "-q"])
    capsys.readouterr()
    assert run(["archive", "search", "alliance -tariffs", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "lighthouse alliance" in out and "Larkspur" not in out
    assert (
        run(
            ["archive", "search", "alliance", "--speaker", "Bo Larkspur", "--to", "json", "--data", str(data)]
        )
        == 0
    )
    body = json.loads(capsys.readouterr().out)
    assert [h["speaker"] for h in body["hits"]] == ["Bo Larkspur"] and body["total"] == 1
    assert body["facets"]["year"] == [{"value": "2023", "count": 1}]
    assert (
        run(["archive", "search", "lamp OR tide*", "--year", "2024", "--to", "csv", "--data", str(data)]) == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["sentence"] for r in rows] == ["Quillfeather proposed a shared lamp fund."]
    assert rows[0]["link"].startswith("/sketches/") and rows[0]["year"] == "2024"
    # a query that cannot be read is one line and exit 2
    assert run(["archive", "search", '"alliance', "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "quote is not closed" in err and len(err.strip().splitlines()) == 1
    assert run(["archive", "search", "x", "--to", "xml", "--data", str(data)]) == 2


def test_export_writes_every_published_sketch(files: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    run(["archive", "import", str(files), "--data", str(data), "-q"])
    out = tmp_path / "export" / "archive.jsonl"
    assert run(["archive", "export", "--data", str(data), "-o", str(out)]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["year"] for x in lines] == [2023, 2024]
    back = Sketch.from_dict(lines[0]["sketch"])
    assert [s.speaker for s in back.sentences] == ["Ada Quillfeather", "Bo Larkspur"]
    assert not list(out.parent.glob(".*.part"))


def test_an_import_by_another_user_never_changes_mine(files: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Issue 30 item 3 on the command line: the same path under another --user is another sketch."""
    from sessionsketch.archive import open_archive

    data = tmp_path / "data"
    one = files / "one.json"
    assert run(["archive", "import", "-q", str(one), "--data", str(data), "--user", "ada"]) == 0
    archive = open_archive(data)
    try:
        (mine,) = archive.published()
        before = archive.get(mine.id).published.to_dict()
    finally:
        archive.close()
    sketch_file(files, "one", 2025, [("Bo Larkspur", "Larkspur proposed a new harbour levy.")])
    assert run(["archive", "import", "-q", str(one), "--data", str(data), "--user", "bo"]) == 0
    assert "1 file imported" in capsys.readouterr().err
    archive = open_archive(data)
    try:
        assert archive.get(mine.id).published.to_dict() == before
        assert sorted(archive.owner_of(r.id) or "" for r in archive.published()) == ["ada", "bo"]
    finally:
        archive.close()
    # the owner importing the changed file updates theirs and keeps what it replaced
    assert run(["archive", "import", "-q", str(one), "--data", str(data), "--user", "ada"]) == 0
    archive = open_archive(data)
    try:
        assert [h["version"] for h in archive.history(mine.id)] == [1]
        assert archive.get(mine.id).published.sentences[0].text == "Larkspur proposed a new harbour levy."
    finally:
        archive.close()
