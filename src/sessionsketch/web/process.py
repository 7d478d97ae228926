"""Run ``sessionsketch serve`` in a child process on loopback — for the end-to-end tests and the bench."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_in_background(
    data: Path, host_name: str = "127.0.0.1", timeout: float = 30.0, extra_args: tuple[str, ...] = ()
) -> Iterator[str]:
    """Start the server on 127.0.0.1 over the archive in ``data``; yield its base URL; stop it afterwards.

    ``host_name`` is what the URL calls the host ("localhost" for a browser, whose secure
    cookies need it); the server listens on 127.0.0.1 only.
    """
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sessionsketch",
            "serve",
            "--data",
            str(data),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *extra_args,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://{host_name}:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/conferences", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                    raise RuntimeError(f"sessionsketch serve did not start: {err.strip()}") from None
                time.sleep(0.1)
        yield base
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
