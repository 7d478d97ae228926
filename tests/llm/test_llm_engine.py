"""LLM engine against a tiny fake OpenAI-compatible server on loopback (fictional panel)."""

from __future__ import annotations

import json

import pytest

from sessionsketch.engines import DraftOptions, draft_sketch, draft_with_report
from sessionsketch.engines.llm import Drafted, EvidenceGate, MalformedAnswer, parse_answer, shown_url
from sessionsketch.errors import UserError
from sessionsketch.model import Person, Programme, Session, Transcript, Turn

from .conftest import SECRET, answer

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
    sketch, report = draft_with_report(PROGRAMME, TRANSCRIPT, SESSION, "llm", options(explain=True))
    assert capsys.readouterr().err == ""  # the engine never prints: its report is the caller's to show
    texts = [s.text for p in sketch.paragraphs for s in p.sentences]
    assert not any("80 percent" in t for t in texts)
    assert any("pool their purchasing" in t for t in texts)
    for p in sketch.paragraphs:
        for s in p.sentences:
            if s.speaker:
                assert s.evidence and TRANSCRIPT.turns[s.evidence[0].turn].speaker_name == s.speaker
    err = "\n".join(report.lines())
    assert "rejected" in err and "80" in err and "3 request(s)" in err
    assert report.figures["requests"] == 3 and report.figures["rejected"] == 1
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
    sketch, report = draft_with_report(PROGRAMME, TRANSCRIPT, SESSION, "llm", options(explain=True))
    assert "rejected" in fake.requests[2]["messages"][-1]["content"]
    odalys = [p for p in sketch.paragraphs if p.speaker == ODALYS.name]
    assert odalys and all(s.evidence for p in odalys for s in p.sentences)  # the extractive engine's
    assert "extractive engine for Odalys Brightwater" in (report.summary or "")
    assert "  Odalys Brightwater: extractive engine (malformed JSON twice" in "\n".join(report.details)


def test_endpoint_down_is_a_user_error_naming_the_url(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    url = "http://127.0.0.1:9/v1"
    with pytest.raises(UserError) as exc:
        draft_sketch(PROGRAMME, TRANSCRIPT, SESSION, "llm", options(endpoint=url, timeout=2))
    assert url in str(exc.value) and SECRET not in str(exc.value)
    sketch, report = draft_with_report(
        PROGRAMME, TRANSCRIPT, SESSION, "llm", options(endpoint=url, timeout=2, fallback=True)
    )
    assert sketch.paragraphs
    assert capsys.readouterr().err == ""
    [note] = report.notes
    assert url in note and "--fallback: drafting with the embedded extractive engine" in note
    assert SECRET not in note


def test_gate_checks_each_sentence_and_wants_reported_speech() -> None:
    gate = EvidenceGate(TRANSCRIPT, SESSION)
    two = Drafted(
        "Brightwater argued that small towns should pool their purchasing of pipes across the region. "
        "She said Fernhollow cut costs by 45 percent.",
        (1,),
    )
    result = gate.run(ODALYS, [two])
    assert [s.text for s in result.kept] == [
        "Brightwater argued that small towns should pool their purchasing of pipes across the region."
    ]
    assert [r.reason for r in result.rejected] == ["the number 45 is not in the cited turns"]
    assert result.rejected[0].turns == (1,)
    for text, word in [
        ("Small towns should pool our purchasing of pipes across the region.", "our"),
        ("We should pool the purchasing of pipes across the region.", "we"),
        ("You should pool the purchasing of pipes across the region.", "You"),
    ]:
        sentence, why = gate.check(ODALYS, Drafted(text, (1,)))
        assert sentence is None and why == f"not reported speech ('{word}' outside quotation marks)"
    quoted = Drafted('Brightwater said small towns should "pool their purchasing of pipes" as we do.', (1,))
    assert gate.check(ODALYS, quoted)[1] == "not reported speech ('we' outside quotation marks)"
    quoted = Drafted('Brightwater said: "we cut costs by 30 percent that way" in Fernhollow.', (1,))
    assert gate.check(ODALYS, quoted)[0] is not None
    # the same point twice (same evidence span) is kept once
    again = Drafted("Small towns should pool their purchasing of pipes across the region, she argued.", (1,))
    assert len(gate.run(ODALYS, [two, again]).kept) == 1


def test_shown_url_hides_credentials() -> None:
    assert shown_url("https://user:sk-1@api.example.org/v1?api-key=sk-2") == "https://api.example.org/v1"
    assert shown_url("http://127.0.0.1:8080/v1") == "http://127.0.0.1:8080/v1"


def test_server_refusing_json_schema_gets_json_object(fake) -> None:
    fake.refuse_json_schema = True  # llama-cpp-python's server: HTTP 500 naming json_schema
    fake.answers = [
        answer(("Marsh opened by asking how small towns can pay for clean water.", [0])),
        answer(("Brightwater argued that small towns should pool their purchasing of pipes.", [1])),
        answer(("Stoneleaf said that water boards need long-term loans rather than yearly grants.", [2])),
    ]
    sketch = draft_sketch(PROGRAMME, TRANSCRIPT, SESSION, "llm", options())
    assert [r["response_format"]["type"] for r in fake.requests] == ["json_object"] * 3
    schema = fake.requests[1]["response_format"]["schema"]
    assert schema["properties"]["sentences"]["items"]["properties"]["turns"]["items"]["enum"] == [1]
    assert any("pool their purchasing" in s.text for p in sketch.paragraphs for s in p.sentences)


def test_gate_applies_the_style_rules_of_check() -> None:
    """The model's sentences pass the same ``style`` rules as the extractive engine's (issue 12)."""
    gate = EvidenceGate(TRANSCRIPT, SESSION)
    for text, rule in [
        (
            "Brightwater said that Brightwater thinks small towns should pool their purchasing of pipes.",
            "style.name-twice",
        ),
        ("Brightwater said that small towns may had pooled their purchasing of pipes.", "style.modal-had"),
    ]:
        sentence, why = gate.check(ODALYS, Drafted(text, (1,)))
        assert sentence is None and why.startswith(rule), (text, why)
