"""LLM engine against a tiny fake OpenAI-compatible server on loopback (fictional panel)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from sessionsketch.engines import DraftOptions, draft_sketch
from sessionsketch.engines.llm import Drafted, EvidenceGate, MalformedAnswer, parse_answer
from sessionsketch.errors import UserError
from sessionsketch.model import Person, Programme, Session, Transcript, Turn

SECRET = "sk-test-DO-NOT-LEAK-1234"

ODALYS = Person("Odalys Brightwater", "Lakeside Polytechnic")
HENRIK = Person("Henrik Stoneleaf", "Valley Water Board")
MOD = Person("Tobin Marsh", "Nowhere Weekly", role="moderator")
SESSION = Session(title="Water Policy", moderators=[MOD], speakers=[ODALYS, HENRIK])
PROGRAMME = Programme(sessions=[SESSION])
TRANSCRIPT = Transcript(
    turns=[
        Turn(0, "Tobin Marsh", "Welcome. Today we ask how small towns can pay for clean water.", MOD),
        Turn(
            1,
            "Odalys Brightwater",
            "Small towns should pool their purchasing of pipes across the region. "
            "In Fernhollow we cut costs by 30 percent that way.",
            ODALYS,
        ),
        Turn(
            2,
            "Henrik Stoneleaf",
            "Water boards need long-term loans rather than yearly grants to replace old mains.",
            HENRIK,
        ),
    ]
)


class FakeAPI(BaseHTTPRequestHandler):
    answers: ClassVar[list[str]] = []
    requests: ClassVar[list[dict]] = []
    auth: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._send(200, {"data": [{"id": "fake"}]})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        type(self).auth.append(self.headers.get("Authorization", ""))
        content = type(self).answers.pop(0) if type(self).answers else "{}"
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
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path):
    FakeAPI.answers, FakeAPI.requests, FakeAPI.auth = [], [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAPI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("SESSIONSKETCH_LLM_ENDPOINT", f"http://127.0.0.1:{server.server_port}/v1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield FakeAPI
    server.shutdown()
    server.server_close()


def answer(*sentences: tuple[str, list[int]]) -> str:
    return json.dumps({"sentences": [{"text": t, "turns": n} for t, n in sentences]})


def options(**extra: object) -> DraftOptions:
    return DraftOptions(extra={"concurrency": 1, **extra})


def test_parse_answer_validates() -> None:
    assert parse_answer(answer(("A said b.", [1]))) == [Drafted("A said b.", (1,))]
    with pytest.raises(MalformedAnswer):
        parse_answer("not json")
    with pytest.raises(MalformedAnswer):
        parse_answer('{"sentences": [{"text": "x", "turns": "1"}]}')


def test_gate_rejects_invented_facts() -> None:
    gate = EvidenceGate(TRANSCRIPT, SESSION)
    good = Drafted(
        "Brightwater argued that small towns should pool their purchasing of pipes across the region.", (1,)
    )
    sentence, why = gate.check(ODALYS, good)
    assert sentence is not None, why
    assert sentence.evidence[0].turn == 1
    invented = [
        (Drafted("Brightwater said that Fernhollow cut costs by 45 percent.", (1,)), "45"),
        (Drafted("Brightwater said that Glimmerford pooled purchasing of pipes.", (1,)), "Glimmerford"),
        (Drafted("Brightwater argued that water boards need long-term loans.", (2,)), "not Odalys"),
        (Drafted("Brightwater praised the weather on the moon.", (1,)), "not supported"),
        (Drafted("Brightwater argued that towns should pool purchasing.", ()), "cites no turn"),
    ]
    for drafted, reason in invented:
        sentence, why = gate.check(ODALYS, drafted)
        assert sentence is None and reason in why, (drafted.text, why)


def test_draft_through_fake_server_keeps_only_gated_sentences(fake, capsys) -> None:
    fake.answers = [
        answer(("Marsh opened by asking how small towns can pay for clean water.", [0])),
        answer(
            (
                "Brightwater argued that small towns should pool their purchasing of pipes across the region.",
                [1],
            ),
            ("Brightwater claimed that Fernhollow cut costs by 80 percent.", [1]),
        ),
        answer(("Stoneleaf said that water boards need long-term loans rather than yearly grants.", [2])),
    ]
    sketch = draft_sketch(PROGRAMME, TRANSCRIPT, SESSION, "llm", options(explain=True))
    texts = [s.text for p in sketch.paragraphs for s in p.sentences]
    assert not any("80 percent" in t for t in texts)
    assert any("pool their purchasing" in t for t in texts)
    for p in sketch.paragraphs:
        for s in p.sentences:
            if s.speaker:
                assert s.evidence and TRANSCRIPT.turns[s.evidence[0].turn].speaker_name == s.speaker
    err = capsys.readouterr().err
    assert "rejected" in err and "80" in err and "3 request(s)" in err
    assert all(a == f"Bearer {SECRET}" for a in fake.auth)
    assert SECRET not in err and SECRET not in json.dumps(sketch.to_dict())
    # a second run asks nothing: every answer comes from the cache
    sketch2 = draft_sketch(PROGRAMME, TRANSCRIPT, SESSION, "llm", options())
    assert len(fake.requests) == 3
    assert sketch2.to_dict() == sketch.to_dict()


def test_malformed_json_retried_once_then_falls_back(fake, capsys) -> None:
    fake.answers = [
        answer(("Marsh opened by asking how small towns can pay for clean water.", [0])),
        "this is not json",
        "still not json",
        answer(("Stoneleaf said that water boards need long-term loans rather than yearly grants.", [2])),
    ]
    sketch = draft_sketch(PROGRAMME, TRANSCRIPT, SESSION, "llm", options(explain=True))
    assert "rejected" in fake.requests[2]["messages"][-1]["content"]
    odalys = [p for p in sketch.paragraphs if p.speaker == ODALYS.name]
    assert odalys and all(s.evidence for p in odalys for s in p.sentences)  # the extractive engine's
    assert "extractive engine for Odalys Brightwater" in capsys.readouterr().err


def test_endpoint_down_is_a_user_error_naming_the_url(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    url = "http://127.0.0.1:9/v1"
    with pytest.raises(UserError) as exc:
        draft_sketch(PROGRAMME, TRANSCRIPT, SESSION, "llm", options(endpoint=url, timeout=2))
    assert url in str(exc.value) and SECRET not in str(exc.value)
    sketch = draft_sketch(
        PROGRAMME, TRANSCRIPT, SESSION, "llm", options(endpoint=url, timeout=2, fallback=True)
    )
    assert sketch.paragraphs
    err = capsys.readouterr().err
    assert "extractive" in err and SECRET not in err
