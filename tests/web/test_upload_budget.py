"""Uploads are parsed in a child process within a time and memory budget (issue 16 §2, §3).

A parse that holds the interpreter lock (a regular expression in C never lets go of it)
used to run in a thread of the server and stall every other request. Here the "hostile
reader" is a catastrophic regular expression; the test counts the GETs another client
completes while the upload is being read — an ordering and a count, no time threshold.
The panel is FICTIONAL (tests/web/data).
"""

from __future__ import annotations

import html
import logging
import multiprocessing
import re
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sessionsketch.archive import Archive
from sessionsketch.archive.users import add_user
from sessionsketch.errors import UserError
from sessionsketch.web import workspace
from sessionsketch.web.app import create_app
from sessionsketch.web.uploads import ParseLimits

from .conftest import PASSWORD, log_in

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.skipif(
    not ParseLimits().sandboxed, reason="parses run in a forked child; this platform has no fork"
)


def hold_the_lock(started: Path) -> None:
    """What a quadratic reader does to the server: CPU in C, the interpreter lock held throughout."""
    started.write_text("parsing")
    until = time.monotonic() + 10  # far past the 3 s budget, however fast the machine
    while time.monotonic() < until:  # each call 0.1-0.6 s without releasing the lock
        re.match(r"(a+)+b", "a" * 22)
    raise UserError("no speaker turns found", "panel.json")


def open_session(client: TestClient, token: str) -> int:
    r = client.post(
        "/workbench",
        data={"csrf_token": token},
        files={"programme_file": ("programme.yaml", (DATA / "fictional_programme.yaml").read_bytes())},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def upload(client: TestClient, token: str, sketch_id: int, version: int) -> object:
    return client.post(
        f"/workbench/{sketch_id}/transcript",
        data={"csrf_token": token, "version": str(version)},
        files={"transcript": ("panel.json", (DATA / "fictional_panel.json").read_bytes())},
        headers={"Accept": "application/json"},
    )


@pytest.fixture
def app_with(archive: Archive):
    add_user(archive, "rapporteur", PASSWORD)

    def make(**limits: object) -> TestClient:
        return TestClient(
            create_app(archive, parse_limits=ParseLimits(**limits)), base_url="https://testserver"
        )

    return make


def test_a_hostile_upload_does_not_stall_other_requests(
    app_with, archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = tmp_path / "started"
    monkeypatch.setattr(workspace, "read_transcript", lambda *a, **k: hold_the_lock(started))
    with app_with(seconds=3) as client, TestClient(client.app, base_url="https://testserver") as reader:
        token = log_in(client)
        sketch_id = open_session(client, token)
        version = archive.get(sketch_id).version
        answer: dict[str, object] = {}
        finished = threading.Event()

        def hostile() -> None:
            try:
                answer["response"] = upload(client, token, sketch_id, version)
            finally:
                finished.set()

        thread = threading.Thread(target=hostile)
        thread.start()
        while not started.exists() and thread.is_alive():
            thread.join(0.01)
        served_meanwhile = 0
        while not finished.is_set():
            assert reader.get("/api/conferences").status_code == 200
            if not finished.is_set():
                served_meanwhile += 1
        thread.join()
    # another client was served again and again while the hostile file was being read
    assert served_meanwhile >= 20, served_meanwhile
    r = answer["response"]
    assert r.status_code == 400
    assert r.json()["detail"] == "panel.json: took longer than 3 s to read; refused"
    assert archive.get(sketch_id).transcript is None  # nothing half-stored
    assert not multiprocessing.active_children()  # the reader was killed, not left running


def test_a_parse_past_the_memory_budget_is_one_line(app_with, monkeypatch: pytest.MonkeyPatch) -> None:
    def swallow(*args: object, **kwargs: object) -> None:
        blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB, far past the budget
        raise AssertionError(f"allocated {len(blocks)} blocks")

    monkeypatch.setattr(workspace, "read_transcript", swallow)
    with app_with(memory_mb=256) as client:
        token = log_in(client)
        sketch_id = open_session(client, token)
        r = upload(client, token, sketch_id, 1)
    assert r.status_code == 400
    assert r.json()["detail"] == "panel.json: needs more than 256 MB to read; refused"


def test_a_reader_that_crashes_is_a_500_naming_the_file_and_logged(
    app_with, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("a reader bug")

    monkeypatch.setattr(workspace, "read_transcript", broken)
    with app_with() as client, caplog.at_level(logging.ERROR, logger="sessionsketch"):
        token = log_in(client)
        sketch_id = open_session(client, token)
        r = upload(client, token, sketch_id, 1)
    assert r.status_code == 500
    assert r.json()["detail"] == "panel.json: could not be read (internal error: TypeError)"
    assert "a reader bug" in caplog.text  # the traceback is in the server's log, not the answer


def test_a_hostile_programme_upload_is_a_400_with_one_line(app_with, archive: Archive) -> None:
    bomb = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 8)
    )
    bomb += "conference: Fictional Forum\nsession: {title: Lamps, speakers: [Ada Quillfeather]}\n"
    deep = "conference: Fictional Forum\nsession:\n" + "".join(
        "  " * (i + 1) + f"k{i}:\n" for i in range(1000)
    )
    with app_with() as client:
        token = log_in(client)
        for name, text, expected in [
            ("bomb.yaml", bomb, "bomb.yaml:6: invalid YAML: its aliases expand it by more than 1,000,000"),
            ("deep.yaml", deep, "deep.yaml:66: invalid YAML: nested more than 64 levels deep"),
            ("deep.json", '{"conference": ' + "[" * 100_000, "deep.json: invalid JSON: nested too deeply"),
        ]:
            r = client.post(
                "/workbench", data={"csrf_token": token}, files={"programme_file": (name, text.encode())}
            )
            assert r.status_code == 400, r.text
            message = html.unescape(re.search(r"<p[^>]*>(.*?)</p>", r.text, re.S).group(1)).strip()
            assert message.startswith(expected) and "\n" not in message, message
    assert archive.workbench_list() == []  # nothing was created
