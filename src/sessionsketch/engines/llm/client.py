"""The OpenAI-compatible chat client: retries on 429/5xx, timeouts, an on-disk answer cache.

The API key is sent only in the ``Authorization`` header: never logged, never in an
error; URLs in messages are shown without ``user:password@`` and query strings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from sessionsketch.engines.llm.prompt import PROMPT_VERSION
from sessionsketch.engines.llm.settings import LLMSettings, shown_url
from sessionsketch.files import write_atomic

log = logging.getLogger(__name__)


class EndpointError(Exception):
    """The endpoint could not be reached or kept failing (message names the URL, never the key)."""


@dataclass
class Usage:
    requests: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, usage: dict[str, Any] | None) -> None:
        with self.lock:
            self.requests += 1
            if usage:
                self.prompt_tokens += int(usage.get("prompt_tokens") or 0)
                self.completion_tokens += int(usage.get("completion_tokens") or 0)


#: Endpoints that turned ``json_schema`` down, remembered for the process so that every
#: later client (one per draft) asks them with ``json_object`` straight away.
_JSON_OBJECT_ONLY: set[str] = set()


class ChatClient:
    """POST /chat/completions with retries on 429/5xx, timeouts and an on-disk cache."""

    def __init__(self, settings: LLMSettings) -> None:
        self.s = settings
        headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
        self.http = httpx.Client(headers=headers, timeout=settings.timeout)
        self.usage = Usage()
        # json_object when this server already refused json_schema in this process
        self.format_kind = "json_object" if settings.endpoint in _JSON_OBJECT_ONLY else "json_schema"

    @property
    def url(self) -> str:
        return f"{self.s.endpoint}/chat/completions"

    @property
    def shown(self) -> str:
        """The URL for messages (never a credential)."""
        return shown_url(self.url)

    def close(self) -> None:
        self.http.close()

    def _cache_path(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> Path:
        key = json.dumps(
            [PROMPT_VERSION, self.s.model, self.s.max_tokens, self.s.temperature, messages, schema],
            sort_keys=True,
        )
        assert self.s.cache_dir is not None
        return self.s.cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()}.json"

    def _response_format(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.format_kind == "json_schema":
            return {"type": "json_schema", "json_schema": {"name": "sketch", "schema": schema}}
        return {"type": "json_object", "schema": schema}

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        """The model's answer text (from the cache when the same question was asked before)."""
        path = self._cache_path(messages, schema)
        if path.is_file():
            try:
                content = json.loads(path.read_text("utf-8"))["content"]
                with self.usage.lock:
                    self.usage.cached += 1
                return content
            except (ValueError, KeyError, OSError):
                pass
        content = self._post(messages, schema)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps({"content": content}).encode("utf-8"))
        except OSError as exc:
            log.warning("LLM cache not written (%s)", exc.strerror)
        return content

    def _post(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        body: dict[str, Any] = {
            "model": self.s.model,
            "messages": messages,
            "max_tokens": self.s.max_tokens,
            "temperature": self.s.temperature,
        }
        delay = 0.5
        for attempt in range(self.s.retries + 1):
            body["response_format"] = self._response_format(schema)
            try:
                r = self.http.post(self.url, json=body)
            except httpx.TimeoutException:
                if attempt < self.s.retries:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise EndpointError(
                    f"LLM endpoint {self.shown} timed out after {self.s.timeout:g} s"
                ) from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise EndpointError(
                    f"cannot reach the LLM endpoint {self.shown} ({type(exc).__name__})"
                ) from None
            if self.format_kind == "json_schema" and _refuses_json_schema(r):
                self.format_kind = "json_object"  # llama-cpp-python's server knows only json_object
                _JSON_OBJECT_ONLY.add(self.s.endpoint)
                continue
            if (r.status_code == 429 or r.status_code >= 500) and attempt < self.s.retries:
                retry_after = r.headers.get("retry-after", "")
                time.sleep(float(retry_after) if retry_after.isdigit() else delay)
                delay *= 2
                continue
            if r.status_code == 404:
                raise EndpointError(
                    f"no OpenAI-compatible API at {self.shown} (HTTP 404): check the endpoint URL"
                )
            if r.status_code in (401, 403):
                raise EndpointError(
                    f"the LLM endpoint {self.shown} refused the API key (HTTP {r.status_code})"
                )
            if r.status_code >= 400:
                raise EndpointError(f"the LLM endpoint {self.shown} answered HTTP {r.status_code}")
            try:
                data = r.json()
                content = data["choices"][0]["message"]["content"]
            except (ValueError, KeyError, IndexError, TypeError):
                raise EndpointError(
                    f"the LLM endpoint {self.shown} did not answer a chat completion"
                ) from None
            self.usage.add(data.get("usage"))
            return content or ""
        raise EndpointError(f"the LLM endpoint {self.shown} kept failing")  # pragma: no cover


def _refuses_json_schema(r: httpx.Response) -> bool:
    """Whether the server turned down ``response_format: json_schema`` (llama-cpp-python's
    server answers HTTP 500 with a validation error naming it; others 400 or 422)."""
    if r.status_code in (400, 422):
        return True
    return r.status_code >= 500 and "json_schema" in r.text
