"""The LLM engine's settings: ``DraftOptions.extra``, then the environment, then the config file.

The environment is read as the OpenAI SDK reads it — ``OPENAI_BASE_URL``, ``OPENAI_API_KEY``,
and ``OPENAI_MODEL`` for the model — with ``SESSIONSKETCH_LLM_ENDPOINT`` and
``SESSIONSKETCH_LLM_MODEL`` before them when set (one tool's setting over the shared one).
The endpoint ``ollama`` (a flag, the environment or the config) is Ollama's documented
OpenAI-compatible URL. The config file is ``$XDG_CONFIG_HOME/sessionsketch/config.toml``
(``~/.config/sessionsketch/config.toml`` when ``XDG_CONFIG_HOME`` is unset), as the XDG
Base Directory specification says.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sessionsketch.errors import UserError

DEFAULT_ENDPOINT = "http://127.0.0.1:8080/v1"
DEFAULT_MODEL = "default"
CONFIG_PATH = Path("~/.config/sessionsketch/config.toml")  # when XDG_CONFIG_HOME is unset

#: endpoint names that stand for a documented local server's OpenAI-compatible URL
ENDPOINT_NAMES = {"ollama": "http://localhost:11434/v1"}

#: each setting's environment variables, first set wins
ENVIRONMENT = {
    "endpoint": ("SESSIONSKETCH_LLM_ENDPOINT", "OPENAI_BASE_URL"),
    "model": ("SESSIONSKETCH_LLM_MODEL", "OPENAI_MODEL"),
    "api_key": ("OPENAI_API_KEY",),
}


def default_config_path() -> Path:
    """Where the config file is: under ``$XDG_CONFIG_HOME`` (an absolute path), else ``~/.config``."""
    xdg = os.environ.get("XDG_CONFIG_HOME", "")
    if xdg and Path(xdg).is_absolute():  # the spec: a relative value is ignored
        return Path(xdg) / "sessionsketch" / "config.toml"
    return CONFIG_PATH.expanduser()


def from_environment() -> dict[str, str | None]:
    """The settings the environment gives (an empty variable counts as unset)."""
    return {
        key: next((os.environ[v] for v in names if os.environ.get(v, "").strip()), None)
        for key, names in ENVIRONMENT.items()
    }


@dataclass
class LLMSettings:
    endpoint: str = DEFAULT_ENDPOINT
    model: str = DEFAULT_MODEL
    api_key: str | None = None
    fallback: bool = False
    explain: bool = False
    cache_dir: Path | None = None
    max_tokens: int = 400
    n_ctx: int = 2048
    concurrency: int = 2
    timeout: float = 120.0
    retries: int = 3
    temperature: float = 0.0

    def __repr__(self) -> str:  # never show the key
        return f"LLMSettings(endpoint={self.endpoint!r}, model={self.model!r})"


def load_settings(extra: dict[str, Any] | None = None, config_path: Path | None = None) -> LLMSettings:
    """Settings from ``extra``, then the environment, then the config file."""
    extra = extra or {}
    path = (config_path or default_config_path()).expanduser()
    config: dict[str, Any] = {}
    if path.is_file():
        try:
            config = tomllib.loads(path.read_text("utf-8")).get("llm", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserError(f"not a valid TOML config: {exc}", path) from None
    env = from_environment()
    s = LLMSettings()
    for key in LLMSettings.__dataclass_fields__:
        for source in (extra, env, config):
            value = source.get(key)
            if value is not None:
                default = getattr(s, key)
                if key == "cache_dir":
                    value = Path(value).expanduser()
                elif isinstance(default, bool):
                    value = bool(value)
                elif isinstance(default, int):
                    value = int(value)
                elif isinstance(default, float):
                    value = float(value)
                setattr(s, key, value)
                break
    s.endpoint = ENDPOINT_NAMES.get(s.endpoint.strip().lower(), s.endpoint.strip()).rstrip("/")
    if not re.match(r"^https?://[^/\s]+", s.endpoint):
        names = ", ".join(f"'{n}' for {url}" for n, url in ENDPOINT_NAMES.items())
        raise UserError(
            f"the LLM endpoint must be an http:// or https:// URL, not '{shown_url(s.endpoint)}' ({names})"
        )
    if s.cache_dir is None:
        s.cache_dir = Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")).expanduser() / "sessionsketch/llm"
    return s


def shown_url(url: str) -> str:
    """``url`` as messages show it: no user:password@ and no query (where keys can hide)."""
    url = re.sub(r"^(\w+://)[^/@\s]*@", r"\1", url)
    return url.split("?", 1)[0]
