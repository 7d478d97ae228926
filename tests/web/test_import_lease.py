"""Issue 30, item 7: an import whose worker process died does not stay "running" forever.

Under ``serve --workers 2`` a job runs in the worker that took the upload. Each job records
which process runs it (host, pid, the process's start time) and a heartbeat. Whoever reads
the job (its progress page, the API) sees it failed, with a message, as soon as that process
is gone (same host) or its heartbeat is older than the lease (another host); the files can
then be imported again. No test here waits on the clock: a dead process is a real one that
has exited, and an old heartbeat is written as old.
"""

from __future__ import annotations

import subprocess
import sys

from fastapi.testclient import TestClient

from sessionsketch.archive import Archive
from sessionsketch.archive.repository import process_identity
from sessionsketch.archive.users import add_user
from sessionsketch.web.app import create_app

from .conftest import PASSWORD, log_in


def _dead_process() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_job_whose_worker_died_is_failed_with_a_message(any_archive: Archive) -> None:
    job = any_archive.start_import(3, "rapporteur")
    any_archive.record_import(job, {"file": "a.json", "status": "created", "sketch_id": None}, failed=False)
    host, _, _ = process_identity().split(":", 2)
    with any_archive._write() as cur:
        any_archive._exec(
            cur, "UPDATE imports SET worker = ? WHERE id = ?", (f"{host}:{_dead_process()}:1", job)
        )
    state = any_archive.import_job(job)
    assert (state.status, state.done, state.failed) == ("failed", 1, 2)
    assert "stopped" in state.log[-1]["message"] and "import them again" in state.log[-1]["message"]
    assert any_archive.import_job(job).failed == 2  # read again: marked once


def test_a_pid_reused_by_another_process_does_not_keep_the_job_alive(any_archive: Archive) -> None:
    job = any_archive.start_import(1, "rapporteur")
    host, pid, _ = process_identity().split(":", 2)
    with any_archive._write() as cur:  # this pid, but a process that started at another time
        any_archive._exec(cur, "UPDATE imports SET worker = ? WHERE id = ?", (f"{host}:{pid}:7", job))
    assert any_archive.import_job(job).status == "failed"


def test_a_job_of_a_live_worker_keeps_running(any_archive: Archive) -> None:
    job = any_archive.start_import(2, "rapporteur")
    assert any_archive.import_job(job).status == "running"  # this process runs it


def test_a_job_on_another_host_fails_when_its_heartbeat_is_older_than_the_lease(any_archive: Archive) -> None:
    job = any_archive.start_import(2, "rapporteur")
    with any_archive._write() as cur:
        any_archive._exec(cur, "UPDATE imports SET worker = 'elsewhere:1:1' WHERE id = ?", (job,))
    assert any_archive.import_job(job).status == "running"  # heartbeat fresh: cannot tell
    with any_archive._write() as cur:
        any_archive._exec(cur, "UPDATE imports SET heartbeat_at = 0 WHERE id = ?", (job,))
    state = any_archive.import_job(job)
    assert state.status == "failed" and "no sign of life" in state.log[-1]["message"]


def test_the_progress_page_shows_the_dead_job_failed(archive: Archive) -> None:
    add_user(archive, "rapporteur", PASSWORD)
    with TestClient(create_app(archive), base_url="https://testserver") as client:
        log_in(client)
        job = archive.start_import(2, "rapporteur")
        host = process_identity().split(":", 1)[0]
        with archive._write() as cur:
            archive._exec(
                cur, "UPDATE imports SET worker = ? WHERE id = ?", (f"{host}:{_dead_process()}:1", job)
            )
        state = client.get(f"/api/imports/{job}").json()
        assert state["status"] == "failed" and state["failed"] == 2
        assert 'http-equiv="refresh"' not in client.get(f"/import/{job}").text
