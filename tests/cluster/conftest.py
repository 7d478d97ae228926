"""A Dask ``LocalCluster`` of two worker processes (one thread each), started in-process,
and folders of QMSum meetings to draft on it (skipped without ``../shared/qmsum``)."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")

#: generous for a loaded 2-core machine: a state is polled for, never waited out by a sleep
PATIENCE = 300.0


def poll(what: str, check: Callable[[], Any], timeout: float = PATIENCE, every: float = 0.1) -> Any:
    """Return ``check()`` once it is truthy; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout:.0f} s for {what}")
        time.sleep(every)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A two-process LocalCluster; the workers import this checkout's sessionsketch."""
    src = str(Path(__file__).resolve().parents[2] / "src")
    path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = src + (os.pathsep + path if path else "")
    try:
        with distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_port=0,
            silence_logs=50,
        ) as c:
            yield c
    finally:
        os.environ["PYTHONPATH"] = path


@pytest.fixture
def client(cluster: Any) -> Iterator[Any]:
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as c:
        yield c


def our_keys(client: Any) -> list[str]:
    """The scheduler's tasks of sessionsketch (any state)."""
    return client.run_on_scheduler(
        lambda dask_scheduler: [str(k) for k in dask_scheduler.tasks if str(k).startswith("sessionsketch-")]
    )


def executing(client: Any) -> dict[str, list[str]]:
    """Each worker's tasks running in a thread right now."""
    return client.run(lambda dask_worker: [str(ts.key) for ts in dask_worker.state.executing])


@dataclass
class Conference:
    programme: Path
    folder: Path


def write_conference(meetings: list[list[dict[str, str]]], folder: Path) -> Conference:
    """A programme with one session per meeting (``programme init``'s participants) and a
    folder of transcripts ``session-N.json``."""
    from sessionsketch.commands.programme import programme_yaml
    from sessionsketch.pipeline import read_transcript, transcript_programme

    transcripts = folder / "transcripts"
    transcripts.mkdir(parents=True)
    sessions = []
    for number, turns in enumerate(meetings, 1):
        path = transcripts / f"session-{number}.json"
        path.write_text(json.dumps({"meeting_transcripts": turns}), encoding="utf-8")
        tr = read_transcript(path)
        session = yaml.safe_load(programme_yaml(transcript_programme(tr), tr, str(path)))["session"]
        sessions.append({**session, "number": number, "title": f"Committee meeting {number}"})
    programme = folder / "programme.yaml"
    programme.write_text(yaml.safe_dump({"conference": {"name": "QMSum"}, "sessions": sessions}), "utf-8")
    return Conference(programme, transcripts)


def meetings(qmsum_dir: Path) -> list[list[dict[str, str]]]:
    return [
        json.loads(p.read_text("utf-8"))["meeting_transcripts"]
        for p in sorted((qmsum_dir / "val").glob("*.json"))
    ]


@pytest.fixture(scope="module")
def conference(qmsum_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Conference:
    """The QMSum committee val meetings as a six-session conference."""
    return write_conference(meetings(qmsum_dir), tmp_path_factory.mktemp("conference"))


@pytest.fixture(scope="module")
def long_conference(qmsum_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Conference:
    """Four long sessions (all six val meetings, twice over, in turn): each task takes seconds,
    so a worker can be caught in the middle of one."""
    every = [t for m in meetings(qmsum_dir) for t in m]
    return write_conference([every * 2] * 4, tmp_path_factory.mktemp("long"))


def same_files(a: Path, b: Path) -> list[str]:
    """The names in both folders, after checking that both hold the same files, byte for byte."""
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    return names


def copy_folder(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest
