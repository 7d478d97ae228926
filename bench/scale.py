"""Sessions per minute on a Dask cluster: ``draft`` (QMSum meetings) and ``transcribe``
(synthetic panels) with 1 and 2 workers, and the scheduler's overhead per task.

    python bench/scale.py [--data ../shared/qmsum/committee] [--sessions 30] [--panels 4]
        [--repeat 3] [--skip-transcribe] [--json OUT]

Draft: the QMSum committee meetings (train and val: 30 meetings of 8k–24k words, 13.7k on
average — about 90 minutes of speech each) as a conference of one session per meeting,
with ``programme init``'s participants; drafted as ``draft PROGRAMME FOLDER -o OUT``
does (``pipeline.draft_conference``), through a ``LocalCluster`` of 1 and then 2 worker
processes of one thread each, and through the local process pool of 1 and 2 processes
for comparison. Each pool first drafts one session per worker untimed (each worker loads
spaCy once), then the whole folder is timed: sessions per minute is sessions / wall time.
On the cluster the workers' CPU seconds are summed too (``time.process_time`` in each
worker before and after): CPU seconds per session is what a core spends, whatever else
the machine is doing.

Transcribe: ``--panels`` copies of the fictional Eastmere panel (``audio/synth.py``,
read ``--repeat`` times over) as a folder of WAV files, transcribed as ``transcribe
FOLDER -o OUT`` does, one CTranslate2 thread per task, with 1 and 2 Dask workers;
skipped, and said so, without espeak-ng or the ``[audio]`` extra.

Overhead: 200 tasks that do nothing (an empty input, an empty result) through
``cluster.run_tasks`` on the 2-worker cluster and on the 2-process local pool: wall
time per task, i.e. what the scheduler adds around each session's work.

The machine's load average is recorded before and after (the figures are wall times).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SESSIONSKETCH_SHARED") or ROOT.parent / "shared")


def conference(data: Path, folder: Path, sessions: int) -> tuple[Path, Path, int]:
    """One session per QMSum meeting: ``folder/transcripts/session-N.json`` and a programme."""
    from sessionsketch.commands.programme import programme_yaml
    from sessionsketch.pipeline import read_transcript, transcript_programme

    transcripts = folder / "transcripts"
    transcripts.mkdir(parents=True)
    entries = []
    words = 0
    for number, meeting in enumerate(sorted(data.glob("*/*.json"))[:sessions], 1):
        path = transcripts / f"session-{number}.json"
        shutil.copyfile(meeting, path)
        tr = read_transcript(path)
        words += sum(len(t.text.split()) for t in tr.turns)
        session = yaml.safe_load(programme_yaml(transcript_programme(tr), tr, str(path)))["session"]
        entries.append({**session, "number": number, "title": f"{meeting.stem}"})
    programme = folder / "programme.yaml"
    doc = {"conference": {"name": "QMSum committee meetings"}, "sessions": entries}
    programme.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return programme, transcripts, words


def start_cluster(workers: int) -> Any:
    from distributed import LocalCluster

    os.environ["PYTHONPATH"] = str(ROOT / "src") + (
        os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else ""
    )
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_port=0,
        silence_logs=logging.CRITICAL,
    )


def worker_cpu(pool: Any) -> float | None:
    """CPU seconds the cluster's worker processes have used so far (None for the local pool)."""
    client = getattr(pool, "client", None)
    return sum(client.run(time.process_time).values()) if client is not None else None


def time_draft(pool: Any, programme: Path, folder: Path, out: Path) -> tuple[float, float | None]:
    """Warm the pool on a session per worker (untimed), then draft the whole folder: wall seconds and
    the workers' CPU seconds (Dask only)."""
    from sessionsketch.pipeline import DraftRequest, draft_conference

    warm = out.parent / f"{out.name}-warm"
    (warm / "t").mkdir(parents=True)
    for k in range(1, pool.threads + 1):  # one session per worker: each loads spaCy before the clock
        shutil.copyfile(folder / f"session-{k}.json", warm / "t" / f"session-{k}.json")
    draft_conference(DraftRequest(programme=programme, transcript=warm / "t"), warm / "out", "md", pool=pool)
    cpu = worker_cpu(pool)
    start = time.perf_counter()
    written = draft_conference(DraftRequest(programme=programme, transcript=folder), out, "md", pool=pool)
    spent = time.perf_counter() - start
    assert written, "nothing was drafted"
    return spent, (worker_cpu(pool) - cpu) if cpu is not None else None


def nothing(paths: dict[str, Path]) -> None:
    """A task that does no work: what remains is the pool's own cost."""
    return None


def time_overhead(pool: Any, n: int) -> float:
    from sessionsketch.cluster import Shipped, Task, run_tasks

    empty = {"in": Shipped("nothing", b"")}
    tasks = [Task(f"task-{i}", nothing, empty) for i in range(n)]
    run_tasks(pool, tasks[:4], lambda t, v: None)  # processes started, functions imported
    start = time.perf_counter()
    report = run_tasks(pool, tasks, lambda t, v: None)
    spent = time.perf_counter() - start
    assert report.done == n and not report.failures
    return spent / n


def time_transcribe(pool: Any, folder: Path, out: Path) -> tuple[float, float | None, list[str]]:
    from sessionsketch import audio, cluster
    from sessionsketch.commands.transcribe import transcribe_task

    options = audio.TranscribeOptions(threads=1)
    tasks = [
        cluster.Task(str(p), transcribe_task, {"recording": p}, (None, options), 1 << 31)
        for p in sorted(folder.glob("*.wav"))
    ]
    out.mkdir(parents=True)
    cpu = worker_cpu(pool)
    start = time.perf_counter()
    report = cluster.run_tasks(pool, tasks, lambda t, v: (out / (Path(t.label).stem + ".json")).write_text(v))
    spent = time.perf_counter() - start
    return spent, (worker_cpu(pool) - cpu) if cpu is not None else None, [f.message for f in report.failures]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "qmsum" / "committee")
    ap.add_argument("--sessions", type=int, default=30, help="QMSum meetings drafted (at most 30)")
    ap.add_argument("--panels", type=int, default=4, help="synthetic recordings transcribed")
    ap.add_argument("--repeat", type=int, default=3, help="times each panel reads its lines over")
    ap.add_argument("--tasks", type=int, default=200, help="empty tasks for the overhead")
    ap.add_argument("--skip-transcribe", action="store_true")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"no QMSum data at {args.data} (--data)", file=sys.stderr)
        return 2
    logging.getLogger("sessionsketch").setLevel(logging.ERROR)

    from sessionsketch import audio
    from sessionsketch.audio import synth
    from sessionsketch.cluster import DaskPool, LocalPool

    figures: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "draft": {},
        "transcribe": {},
    }
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        work = Path(tmp)
        programme, folder, words = conference(args.data, work / "conference", args.sessions)
        n = len(list(folder.iterdir()))
        figures["draft"]["sessions"] = n
        figures["draft"]["words_per_session"] = round(words / n)
        for kind, workers in (("local", 1), ("local", 2), ("dask", 1), ("dask", 2)):
            name = f"{kind}-{workers}"
            if kind == "local":
                with LocalPool(workers) as pool:
                    spent, cpu = time_draft(pool, programme, folder, work / name)
            else:
                with start_cluster(workers) as c, DaskPool(c.scheduler_address) as pool:
                    spent, cpu = time_draft(pool, programme, folder, work / name)
                    if workers == 2:
                        figures["overhead_ms_per_task_dask"] = round(
                            1000 * time_overhead(pool, args.tasks), 2
                        )
            figures["draft"][name] = {
                "seconds": round(spent, 1),
                "sessions_per_minute": round(60 * n / spent, 2),
                "worker_cpu_seconds_per_session": round(cpu / n, 2) if cpu is not None else None,
            }
            per = f", {cpu / n:.2f} worker CPU s/session" if cpu is not None else ""
            rows.append(
                (
                    f"draft, {kind} {workers} worker(s)",
                    f"{60 * n / spent:.1f} sessions/min ({spent:.1f} s{per})",
                )
            )
        with LocalPool(2) as pool:
            figures["overhead_ms_per_task_local"] = round(1000 * time_overhead(pool, args.tasks), 2)
        rows.append(
            (
                "overhead per task (empty task)",
                f"dask {figures['overhead_ms_per_task_dask']} ms, local pool {figures['overhead_ms_per_task_local']} ms",
            )
        )
        gone = audio.missing()
        why = None
        if args.skip_transcribe:
            why = "--skip-transcribe"
        elif gone:
            why = f"the [audio] extra is not installed (missing: {', '.join(gone)})"
        elif not synth.espeak_available():
            why = "espeak-ng is not installed"
        if why:
            figures["transcribe"] = {"skipped": why}
            rows.append(("transcribe", f"skipped: {why}"))
        else:
            recordings = work / "recordings"
            recordings.mkdir()
            synth.synthesise(recordings / "panel-1.wav", repeat=args.repeat)
            for i in range(2, args.panels + 1):
                shutil.copyfile(recordings / "panel-1.wav", recordings / f"panel-{i}.wav")
            import wave

            with wave.open(str(recordings / "panel-1.wav")) as w:
                seconds = w.getnframes() / w.getframerate()
            figures["transcribe"] = {"recordings": args.panels, "audio_seconds_each": round(seconds, 1)}
            for workers in (1, 2):
                with start_cluster(workers) as c, DaskPool(c.scheduler_address) as pool:
                    spent, cpu, failures = time_transcribe(pool, recordings, work / f"transcribed-{workers}")
                figures["transcribe"][f"dask-{workers}"] = {
                    "seconds": round(spent, 1),
                    "worker_cpu_seconds_per_audio_second": round(cpu / (args.panels * seconds), 3)
                    if cpu
                    else None,
                    "sessions_per_minute": round(60 * args.panels / spent, 3),
                    "audio_minutes_per_minute": round(args.panels * seconds / spent, 3),
                    "failures": failures,
                }
                rows.append(
                    (
                        f"transcribe, dask {workers} worker(s)",
                        f"{60 * args.panels / spent:.2f} recordings/min, "
                        f"{args.panels * seconds / spent:.2f} min of audio per min ({spent:.0f} s, "
                        f"{(cpu or 0) / (args.panels * seconds):.3f} worker CPU s per s of audio"
                        f"{', ' + str(len(failures)) + ' failed' if failures else ''})",
                    )
                )
    figures["load_after"] = [round(x, 2) for x in os.getloadavg()]
    width = max(len(k) for k, _ in rows)
    print(f"scale bench — {figures['machine']}, Python {figures['python']}")
    print(f"  {n} QMSum sessions, {figures['draft']['words_per_session']:,} words each on average")
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")
    print(f"  load average before {figures['load_before']}, after {figures['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
