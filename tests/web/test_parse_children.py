"""Issue 30, item 8: parse children die with the server and have a CPU-time limit.

After SIGKILL of the server its parse children kept running (~46% CPU each). A parse child
now asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG`` on Linux; a
watchdog thread on the parent elsewhere) and has ``RLIMIT_CPU`` set, so even a child whose
parent cannot kill it stops. The waits below are bounds on something that happens at once
with the fix and never without it; nothing is timed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sessionsketch.errors import UserError
from sessionsketch.web.uploads import ParseLimits, run_within_budget

pytestmark = pytest.mark.skipif(not ParseLimits().sandboxed, reason="parses run in a forked child")

SERVER = textwrap.dedent(
    """
    import os, sys
    from sessionsketch.web.uploads import ParseLimits, run_within_budget

    def spin(path):
        with open(path + ".tmp", "w") as f:
            f.write(str(os.getpid()))
        os.replace(path + ".tmp", path)
        while True:
            pass

    run_within_budget(ParseLimits(seconds=3600, cpu_seconds=3600), "spin.txt", spin, sys.argv[1])
    """
)


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie nobody reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _until(condition, bound: float = 120.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + bound
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_a_parse_child_dies_when_the_server_is_killed(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(marker)], env=env)
    try:
        assert _until(marker.exists), "the parse child never started"
        child = int(marker.read_text())
        assert _alive(child)
        server.send_signal(signal.SIGKILL)
        server.wait()
        assert _until(lambda: not _alive(child)), f"parse child {child} outlived its server"
    finally:
        if server.poll() is None:
            server.kill()
        if marker.exists() and _alive(int(marker.read_text())):
            os.kill(int(marker.read_text()), signal.SIGKILL)


def _spin() -> None:
    while True:
        pass


def test_a_parse_child_is_stopped_at_its_cpu_time_limit() -> None:
    """Wall time generous, CPU time one second: the kernel stops the child, the user gets one line."""
    with pytest.raises(UserError) as caught:
        run_within_budget(ParseLimits(seconds=3600, cpu_seconds=1), "spin.txt", _spin)
    assert "CPU" in str(caught.value) and "spin.txt" in str(caught.value)


def test_a_worker_whose_supervisor_is_gone_ends_at_once(tmp_path: Path) -> None:
    """A ``serve --workers N`` worker started (or still loading) after its supervisor was killed."""
    import json

    from sessionsketch.web.app import SERVE_SETTINGS_ENV

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    settings = {
        "data": str(tmp_path / "data"),
        "database": None,
        "secure_cookies": True,
        "max_upload_bytes": 1024,
        "supervisor": gone.pid,
    }
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), SERVE_SETTINGS_ENV: json.dumps(settings)}
    code = "from sessionsketch.web.app import app_from_environment; app_from_environment(); print('served')"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "served" not in done.stdout, done.stderr
