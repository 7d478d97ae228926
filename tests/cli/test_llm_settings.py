"""LLM settings as the OpenAI SDK reads them, the 'ollama' endpoint, and the XDG config file.

The end-to-end case drafts a fictional panel against the fake OpenAI-compatible server of
tests/llm (no model, no network beyond 127.0.0.1), with only OPENAI_* variables set.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from sessionsketch.cli import run
from sessionsketch.engines.llm.settings import default_config_path, load_settings

VARIABLES = (
    "SESSIONSKETCH_LLM_ENDPOINT",
    "SESSIONSKETCH_LLM_MODEL",
    "OPENAI_BASE_URL",
    "OPENAI_MODEL",
    "OPENAI_API_KEY",
    "XDG_CONFIG_HOME",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no one's real config file
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_openai_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.example.org/v1/")
    monkeypatch.setenv("OPENAI_MODEL", "tiny-model")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fictional")
    s = load_settings()
    assert (s.endpoint, s.model, s.api_key) == ("https://api.example.org/v1", "tiny-model", "sk-fictional")
    assert "sk-fictional" not in repr(s)


def test_our_own_variables_and_the_flags_come_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.example.org/v1")
    monkeypatch.setenv("OPENAI_MODEL", "shared-model")
    monkeypatch.setenv("SESSIONSKETCH_LLM_ENDPOINT", "http://127.0.0.1:8080/v1")
    monkeypatch.setenv("SESSIONSKETCH_LLM_MODEL", "")  # empty counts as unset
    s = load_settings()
    assert (s.endpoint, s.model) == ("http://127.0.0.1:8080/v1", "shared-model")
    assert (
        load_settings({"endpoint": "http://10.0.0.2:9000/v1", "model": "m"}).endpoint
        == "http://10.0.0.2:9000/v1"
    )


@pytest.mark.parametrize("where", ["flag", "environment", "config"])
def test_ollama_means_its_documented_url(where: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    extra: dict[str, str] = {}
    if where == "flag":
        extra["endpoint"] = "ollama"
    elif where == "environment":
        monkeypatch.setenv("OPENAI_BASE_URL", "Ollama")
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
        (tmp_path / "xdg" / "sessionsketch").mkdir(parents=True)
        (tmp_path / "xdg" / "sessionsketch" / "config.toml").write_text(
            '[llm]\nendpoint = "ollama"\n', "utf-8"
        )
    assert load_settings(extra).endpoint == "http://localhost:11434/v1"


def test_the_config_file_follows_xdg_config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert default_config_path() == tmp_path / "home" / ".config" / "sessionsketch" / "config.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "xdg" / "sessionsketch" / "config.toml"
    assert default_config_path() == path
    path.parent.mkdir(parents=True)
    path.write_text('[llm]\nmodel = "from-xdg"\nmax_tokens = 123\n', "utf-8")
    s = load_settings()
    assert (s.model, s.max_tokens) == ("from-xdg", 123)
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")  # the spec: ignored
    assert default_config_path() == tmp_path / "home" / ".config" / "sessionsketch" / "config.toml"


def test_a_bad_endpoint_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    tr = tmp_path / "panel.txt"
    tr.write_text("Ada Quill: Welcome to the harbour forum.\n", encoding="utf-8")
    assert run(["draft", str(tr), "--engine", "llm", "--endpoint", "olama"]) == 2
    err = capsys.readouterr().err.strip()
    assert "not 'olama' ('ollama' for http://localhost:11434/v1)" in err and len(err.splitlines()) == 1


class _FakeOpenAI(BaseHTTPRequestHandler):
    """An OpenAI-compatible chat endpoint that records what it was asked."""

    seen: ClassVar[list[tuple[str, str, str]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append((self.path, body["model"], self.headers.get("Authorization", "")))
        raw = json.dumps({"choices": [{"message": {"content": "{}"}}], "usage": {}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


def test_draft_with_only_the_openai_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _FakeOpenAI.seen = []
    try:
        monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
        monkeypatch.setenv("OPENAI_MODEL", "fictional-model")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-fictional")
        tr = tmp_path / "panel.txt"
        tr.write_text(
            "Ada Quill: Welcome to the harbour forum. Bram, you measured the leaks.\n"
            "Bram Teller: We found that one pipe in five loses water before it reaches a tap, "
            "and the towns should publish the figures every month.\n",
            encoding="utf-8",
        )
        assert run(["draft", str(tr), "--engine", "llm", "-o", str(tmp_path / "s.md")]) == 0
    finally:
        server.shutdown()
        server.server_close()
    assert _FakeOpenAI.seen
    assert {s for s in _FakeOpenAI.seen} == {
        ("/v1/chat/completions", "fictional-model", "Bearer sk-fictional")
    }
