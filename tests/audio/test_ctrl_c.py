"""Ctrl-C: in the middle of a transcription it leaves nothing behind; during start-up it is
no traceback. Both run the real command in a child process and send it SIGINT, as a
terminal does, at a moment the test can see (the recording open, the interpreter running)
rather than after a guessed delay — so a fast machine cannot finish first and a loaded one
cannot be caught still starting.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: the Eastmere panel (55 s) read this many times over: 7.4 minutes, two blocks of the
#: transcription (at most five minutes each), so the recording stays open while the first
#: block is transcribed — about a minute of work even on a quiet machine, where the panel
#: alone took 6-8 s from start to finish
REPEAT = 8


def _repeated(wav: Path, dest: Path, times: int) -> float:
    """``wav`` written ``times`` times over into ``dest``; its length in seconds."""
    with wave.open(str(wav)) as w:
        params = w.getparams()
        frames = w.readframes(params.nframes)
    with wave.open(str(dest), "wb") as out:
        out.setparams(params)
        for _ in range(times):
            out.writeframes(frames)
    return times * params.nframes / params.framerate


def _has_open(pid: int, path: Path) -> bool:
    fds = f"/proc/{pid}/fd"
    with contextlib.suppress(OSError):  # the process may be gone, or a descriptor closed meanwhile
        for fd in os.listdir(fds):
            with contextlib.suppress(OSError):
                if os.readlink(f"{fds}/{fd}") == str(path):
                    return True
    return False


def _said_after(err: str) -> list[str]:
    """The lines on stderr other than progress ("transcribed 300 of 442 s …") and blank ones."""
    return [line for line in err.splitlines() if line.strip() and "transcribed" not in line]


def _entries() -> dict[str, list[str]]:
    script = Path(sys.executable).with_name("sessionsketch")
    return {"console-script": [str(script)], "python-m": [sys.executable, "-m", "sessionsketch"]}


def _console_script() -> list[str]:
    """The installed ``sessionsketch`` (``pip install -e .`` makes it), as a user runs it."""
    command = _entries()["console-script"]
    if not Path(command[0]).exists():
        (pytest.fail if IN_CI else pytest.skip)(f"no console script at {command[0]} (pip install -e .)")
    script = Path(command[0]).read_text(encoding="utf-8", errors="replace")
    assert "sessionsketch.__main__" in script, (
        "the console script predates [project.scripts] -> sessionsketch.__main__:main; "
        "reinstall: pip install -e . --no-deps\n" + script
    )
    return command


def _status_130(code: int, entry: str) -> bool:
    """Exit status 130 — or, under ``python -m`` only, death by SIGINT (which a shell shows
    as 130 too). CPython marks a Ctrl-C "unhandled" when its KeyboardInterrupt leaves code
    run from a string (``exec``/``eval``: dataclasses and namedtuples are made that way while
    modules import), even if a caller then handles it; ``python -m`` then ends the process
    by SIGINT after a clean ``sys.exit(130)``. A script — the console script — exits 130."""
    return code == 130 or (entry == "python-m" and code == -signal.SIGINT)


@pytest.mark.usefixtures("audio_stack")
@pytest.mark.parametrize("delay", [0.0, 2.0], ids=["as-it-opens", "while-transcribing"])
def test_ctrl_c_leaves_nothing_behind(panel, tmp_path, delay):
    recording = tmp_path / "long" / "eastmere-x8.wav"
    recording.parent.mkdir()
    seconds = _repeated(panel.wav, recording, REPEAT)
    assert seconds > 400
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / "eastmere.json"
    proc = subprocess.Popen(
        [*_console_script(), "transcribe", str(recording), "-o", str(out)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        # start-up is over once the command has the recording open (to read its length, then
        # to decode it: it stays open while the first five minutes are transcribed)
        deadline = time.monotonic() + 600
        while proc.poll() is None and time.monotonic() < deadline and not _has_open(proc.pid, recording):
            time.sleep(0.02)
        assert proc.poll() is None, f"the command ended before it opened the recording:\n{_err(proc)}"
        assert time.monotonic() < deadline, "the command never opened the recording"
        time.sleep(delay)
        # the test is only worth something if the command is still at work when interrupted
        assert proc.poll() is None, f"the command finished {seconds:.0f} s of audio before Ctrl-C"
        proc.send_signal(signal.SIGINT)
        _, raw = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = raw.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert proc.returncode == 130, err  # docs/audio.md: "Ctrl-C stops with status 130"
    assert _said_after(err) == ["aborted"], err
    assert list(outdir.iterdir()) == []  # no transcript, no temporary file beside it


def _err(proc: subprocess.Popen) -> str:
    with contextlib.suppress(Exception):
        return proc.communicate(timeout=60)[1].decode("utf-8", "replace")
    return ""


# ------------------------------------------------------------------ during start-up

#: after the interpreter is running the entry (below), then Ctrl-C this much later: from the
#: first of the command line's imports (typer, rich, every command module: about 0.9 s on a
#: quiet machine) to the command waiting for its input
DELAYS = (0.0, 0.005, 0.02, 0.06, 0.15, 0.4, 1.0)


def _interrupt_during_start_up(command: list[str], delay: float) -> tuple[int, str]:
    """Run ``command transcript -`` (it waits on standard input once started) and send SIGINT
    ``delay`` seconds after the interpreter is running the entry's own code.

    Before that moment the interpreter itself is starting (its own modules, site-packages'
    ``.pth`` files, the console script's ``import re``): a Ctrl-C there is Python's, with
    Python's traceback, whatever the entry does — so the test waits for it to pass. It sees
    the moment through ``PYTHONPROFILEIMPORTTIME``: the interpreter writes a line to stderr as
    each import completes, and the first one after the ``sessionsketch`` package (and, for the
    console script, ``sessionsketch.__main__``) is the command line's own, inside the entry's
    ``try``.
    """
    proc = subprocess.Popen(
        [*command, "transcript", "-"],
        stdin=subprocess.PIPE,  # kept open: once started, the command waits on it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1", "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    inside = threading.Event()

    def read() -> None:
        seen_package = False
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            lines.append(line)
            module = line.rpartition("|")[2].strip() if line.startswith("import time:") else None
            if module in ("sessionsketch", "sessionsketch.__main__"):
                seen_package = True
            elif seen_package and module and module != "imported package":
                inside.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert inside.wait(timeout=300), "the entry never started importing the command line:\n" + "\n".join(
            lines
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()
        reader.join(timeout=60)
    said = [line for line in lines if line.strip() and not line.startswith("import time:")]
    return proc.returncode, "\n".join(said)


@pytest.mark.parametrize("entry", ["console-script", "python-m"])
def test_ctrl_c_during_start_up_is_one_line_and_130(entry):
    command = _console_script() if entry == "console-script" else _entries()[entry]
    for delay in DELAYS:
        code, err = _interrupt_during_start_up(command, delay)
        assert "Traceback" not in err, (delay, err)
        assert _status_130(code, entry), (delay, code, err)
        assert err == "aborted", (delay, err)
