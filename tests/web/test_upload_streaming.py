"""Issue 30, item 9: uploads are copied to disk off the event loop and never held whole.

Twenty concurrent 19 MB uploads took the server from 233 MB to over 800 MB and stalled other
users: every upload was read whole into memory (``UploadFile.read``) and written back to disk
from the event loop. Every upload route (programme, transcript, import) now copies the file
to disk a megabyte at a time in a worker thread and gives the reader the path. The tests
check where the work happens, not how long it takes.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import UploadFile

from sessionsketch.archive import Archive
from sessionsketch.archive.users import add_user
from sessionsketch.web import uploads
from sessionsketch.web.app import create_app

from .conftest import PASSWORD, log_in
from .test_import import fictional

DATA = Path(__file__).parent / "data"


@pytest.fixture
def watched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool, int]]:
    """Each copy of an upload: its thread, whether an event loop runs there, its largest read."""
    copies: list[tuple[str, bool, int]] = []
    real_copy = uploads._copy_upload

    def copy(source, path, limit):  # type: ignore[no-untyped-def]
        try:
            asyncio.get_running_loop()
            on_loop = True
        except RuntimeError:
            on_loop = False
        largest = 0
        real_read = source.read

        def read(n: int = -1) -> bytes:
            nonlocal largest
            chunk = real_read(n)
            largest = max(largest, len(chunk))
            return chunk

        source.read = read
        try:
            return real_copy(source, path, limit)
        finally:
            copies.append((threading.current_thread().name, on_loop, largest))

    async def whole(self, size: int = -1) -> bytes:  # type: ignore[no-untyped-def]
        raise AssertionError("an upload was read whole into the server's memory")

    monkeypatch.setattr(uploads, "_copy_upload", copy)
    monkeypatch.setattr(UploadFile, "read", whole)
    return copies


def test_every_upload_route_copies_to_disk_off_the_event_loop(
    archive: Archive, watched: list[tuple[str, bool, int]]
) -> None:
    add_user(archive, "rapporteur", PASSWORD)
    big = fictional(2024, "Quillfeather proposed a shared lamp fund.") + b" " * (3 * uploads.COPY_CHUNK)
    with TestClient(create_app(archive), base_url="https://testserver") as client:
        token = log_in(client)
        r = client.post(
            "/workbench",
            data={"csrf_token": token},
            files={"programme_file": ("programme.yaml", (DATA / "fictional_programme.yaml").read_bytes())},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        sketch_id = int(r.headers["location"].rsplit("/", 1)[1])
        version = client.get(f"/api/workbench/{sketch_id}").json()["version"]
        r = client.post(
            f"/workbench/{sketch_id}/transcript",
            data={"csrf_token": token, "version": str(version)},
            files={"transcript": ("panel.json", (DATA / "fictional_panel.json").read_bytes())},
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 200, r.text
        r = client.post(
            "/import",
            data={"csrf_token": token},
            files=[("files", ("big.json", big, "application/json"))],
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 202, r.text
        assert client.get(r.json()["url"]).json()["log"][0]["status"] == "created"
    assert len(watched) == 3
    assert not any(on_loop for _, on_loop, _ in watched), watched
    assert max(largest for _, _, largest in watched) <= uploads.COPY_CHUNK


def test_an_empty_upload_is_refused_with_a_message(archive: Archive) -> None:
    add_user(archive, "rapporteur", PASSWORD)
    with TestClient(create_app(archive), base_url="https://testserver") as client:
        token = log_in(client)
        r = client.post(
            "/import",
            data={"csrf_token": token},
            files=[("files", ("empty.json", b"", "application/json"))],
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 400 and r.json()["detail"] == "empty.json is empty"


def test_an_import_leaves_no_copy_of_its_files_behind(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    add_user(archive, "rapporteur", PASSWORD)
    with TestClient(create_app(archive), base_url="https://testserver") as client:
        token = log_in(client)
        r = client.post(
            "/import",
            data={"csrf_token": token},
            files=[("files", ("a.json", fictional(2024, "Quillfeather proposed a fund."), "x/y"))],
            headers={"Accept": "application/json"},
        )
        assert client.get(r.json()["url"]).json()["status"] == "done"
    assert not list(tmp_path.glob("sessionsketch-import-*"))
