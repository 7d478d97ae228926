"""The workbench's draft on the Dask cluster (``serve --scheduler``): the server only waits."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed")

from fastapi.testclient import TestClient

from sessionsketch.archive import open_archive
from sessionsketch.archive.users import add_user
from sessionsketch.cli import run
from sessionsketch.web.app import create_app

DATA = Path(__file__).resolve().parents[1] / "web" / "data"
PASSWORD = "fictional-pass-123"


def _drafted(tmp_path: Path, name: str, scheduler: str | None) -> dict[str, Any]:
    """Log in, make a workbench session of the fictional panel, draft it; the sketch's JSON."""
    archive = open_archive(tmp_path / name)
    add_user(archive, "rapporteur", PASSWORD)
    try:
        with TestClient(create_app(archive, scheduler=scheduler), base_url="https://testserver") as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
            client.post("/login", data={"name": "rapporteur", "password": PASSWORD, "csrf_token": token})
            token = client.get("/api/me").json()["csrf_token"]
            programme = (DATA / "fictional_programme.yaml").read_bytes()
            r = client.post(
                "/workbench",
                data={"csrf_token": token},
                files={"programme_file": ("programme.yaml", programme, "application/x-yaml")},
                follow_redirects=False,
            )
            page = r.headers["location"]
            sketch_id = page.rsplit("/", 1)[1]

            def version() -> int:
                return client.get(f"/api/workbench/{sketch_id}").json()["version"]

            transcript = (DATA / "fictional_panel.json").read_bytes()
            r = client.post(
                page + "/transcript",
                data={"csrf_token": token, "version": version()},
                files={"transcript": ("panel.json", transcript, "application/json")},
                follow_redirects=False,
            )
            assert r.status_code == 303, r.text
            r = client.post(
                page + "/draft",
                data={"csrf_token": token, "version": version()},
                headers={"Accept": "application/json"},
            )
            assert r.status_code == 200, r.text
            return r.json()["sketch"]
    finally:
        archive.close()


def test_the_workbench_drafts_on_the_cluster(cluster: Any, client: Any, tmp_path: Path) -> None:
    before = set(
        client.run_on_scheduler(lambda dask_scheduler: [str(t[0]) for t in dask_scheduler.transition_log])
    )
    there = _drafted(tmp_path, "dask", cluster.scheduler_address)
    keys = set(
        client.run_on_scheduler(lambda dask_scheduler: [str(t[0]) for t in dask_scheduler.transition_log])
    )
    assert any(k.startswith("sessionsketch-draft_session-") for k in keys - before)
    assert there == _drafted(tmp_path, "here", None) and there["paragraphs"]


def test_serve_refuses_an_unreachable_scheduler_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the archive folder should be", encoding="utf-8")
    # were the scheduler not checked first, the archive would be the error (and nothing would serve)
    assert run(["serve", "--data", str(not_a_folder), "--scheduler", address]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: cannot reach the Dask scheduler at {address}")
