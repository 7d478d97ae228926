"""`sessionsketch user add` and `sessionsketch serve` from the command line."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from sessionsketch.archive import open_archive
from sessionsketch.archive.users import authenticate
from sessionsketch.cli import run


def test_user_add_with_password_on_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setattr(sys, "stdin", io.StringIO("a fictional passphrase\n"))
    assert run(["user", "add", "pim", "--password-stdin", "--data", str(data)]) == 0
    archive = open_archive(data)
    assert authenticate(archive, "pim", "a fictional passphrase")
    assert not authenticate(archive, "pim", "a fictional passphras")
    assert not authenticate(archive, "nobody", "a fictional passphrase")
    stored = archive.user("pim")
    assert stored is not None and stored["password_hash"].startswith("$argon2")
    archive.close()


def test_user_add_refuses_short_passwords_and_odd_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert run(["user", "add", "pim", "--password-stdin", "--data", str(tmp_path)]) == 2
    assert "at least 8 characters" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("long enough password\n"))
    assert run(["user", "add", "pim <b>", "--password-stdin", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is not a user name" in err and "Traceback" not in err


def test_serve_refuses_a_non_postgres_database_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["serve", "--database", "mysql://x@host/db"]) == 2
    err = capsys.readouterr().err
    assert "postgresql://" in err and "Traceback" not in err


def test_data_folder_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert run(["serve", "--data", str(not_a_folder)]) == 2
    assert f"{not_a_folder}: is a file, not a folder" in capsys.readouterr().err


def test_worker_processes_build_the_app_from_the_settings_serve_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve --workers N` hands each worker its settings through the environment."""
    import json

    from fastapi.testclient import TestClient

    from sessionsketch.archive import open_archive
    from sessionsketch.model import Metadata, Paragraph, Sentence, Sketch
    from sessionsketch.web.app import SERVE_SETTINGS_ENV, app_from_environment

    archive = open_archive(tmp_path)
    sketch = Sketch(
        metadata=Metadata(conference="Fictional Forum 2024", session="Tides"),
        paragraphs=[
            Paragraph(sentences=[Sentence("Quillfeather praised the tide tables.", "Ada Quillfeather")])
        ],
    )
    archive.publish(sketch, source_key="tides.json")
    archive.close()
    settings = {"data": str(tmp_path), "database": None, "secure_cookies": True, "max_upload_bytes": 1000}
    monkeypatch.setenv(SERVE_SETTINGS_ENV, json.dumps(settings))
    app = app_from_environment()
    assert app.state.max_upload_bytes == 1000
    with TestClient(app, base_url="https://testserver") as client:
        hits = client.get("/api/search", params={"q": "tide tables"}).json()["hits"]
        assert [h["speaker"] for h in hits] == ["Ada Quillfeather"]
        assert (
            client.post("/workbench", content=b"x" * 2000, headers={"content-length": "2000"}).status_code
            == 413
        )
    app.state.archive.close()
