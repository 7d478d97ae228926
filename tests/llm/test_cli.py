"""``sessionsketch draft --engine llm`` flags end to end against the fake API.

The panel is the draft tests' fictional one (invented people, invented words).
"""

from __future__ import annotations

import json
import logging
import os
import socket
from pathlib import Path

import pytest
import yaml

from sessionsketch.cli import run

from ..draft.conftest import PROGRAMME as PANEL_YAML
from ..draft.conftest import TURNS as PANEL_TURNS
from .conftest import SECRET, answer, write_qmsum

GOOD_ODALYS = (
    "Brightwater argued that small towns should pool their purchasing of pipes and pumps across the region."
)
GOOD_ODALYS_2 = "Brightwater added that regional authorities should publish open leak data as a condition of shared contracts."
INVENTED = "Brightwater claimed that shared contracts cut costs by 80 percent."


@pytest.fixture()
def panel(tmp_path: Path) -> tuple[Path, Path]:
    prog = tmp_path / "programme.yaml"
    prog.write_text(PANEL_YAML, encoding="utf-8")
    return prog, write_qmsum(tmp_path / "transcript.json", PANEL_TURNS)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def _answers(fake) -> None:  # type: ignore[no-untyped-def]
    fake.by_speaker = {
        "Tobin Marsh": answer(
            ("Marsh opened the session by asking how small towns can pay for clean water.", [0])
        ),
        "Odalys Brightwater": answer(
            (GOOD_ODALYS, [1]),
            (INVENTED, [1]),
            (
                "Brightwater reported that in a study of forty towns shared contracts cut costs by a fifth.",
                [1],
            ),
            (GOOD_ODALYS_2, [5]),
        ),
        "Henrik Stoneleaf": answer(
            ("Stoneleaf warned that the federal grants would run out before the pipes are replaced.", [2]),
            (
                "Stoneleaf argued that any grant should be tied to a published plan for replacing lead lines.",
                [2],
            ),
        ),
        "Park Ji-woo": answer(
            ("Park asked whether the regional authorities would publish their leak data every month.", [3]),
            ("Park said that without open data residents cannot judge whether the money is well spent.", [3]),
        ),
    }


def test_llm_flags_draft_explain_and_report(
    fake, panel, tmp_path, monkeypatch, capsys, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore log every request at DEBUG
    url = os.environ["SESSIONSKETCH_LLM_ENDPOINT"]
    monkeypatch.delenv("SESSIONSKETCH_LLM_ENDPOINT")  # the flag alone says where
    _answers(fake)
    prog, tr = panel
    out = tmp_path / "sketch.json"
    argv = ["draft", str(prog), str(tr), "--engine", "llm", "--endpoint", url, "--model", "tiny-test"]
    assert run([*argv, "--explain", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    err = captured.err
    assert len(fake.requests) == 4 and {r["model"] for r in fake.requests} == {"tiny-test"}
    assert "4 request(s)" in err and "20 prompt + 28 completion tokens" in err and " s, " in err
    assert "1 rejected by the evidence gate" in err and "extractive engine for" not in err
    assert (
        f"rejected (Odalys Brightwater, turns 1): {INVENTED!r}: the number 80 is not in the cited turns"
        in err
    )
    text = out.read_text("utf-8")
    assert "80 percent" not in text and GOOD_ODALYS in text, err
    doc = json.loads(text)
    for para in doc["paragraphs"]:
        for s in para["sentences"]:
            if s["speaker"]:
                assert s["evidence"] and PANEL_TURNS[s["evidence"][0]["turn"]][0] == s["speaker"]
    assert all(a == f"Bearer {SECRET}" for a in fake.auth)
    for where in (captured.out, err, text, caplog.text):
        assert SECRET not in where
    # without --explain the summary is one line; the rejection is counted, not listed
    assert run([*argv, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "(4 from cache)" in err and "rejected (" not in err
    # --quiet: only errors on stderr, so not the engine's report either
    assert run(["--quiet", *argv, "--explain", "-o", str(out)]) == 0
    assert capsys.readouterr().err == ""


def test_endpoint_down_is_one_line_naming_the_url_and_exit_2(fake, panel, tmp_path, capsys) -> None:
    prog, tr = panel
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    out = tmp_path / "sketch.md"
    assert run(["draft", str(prog), str(tr), "--engine", "llm", "--endpoint", url, "-o", str(out)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and url in lines[0] and lines[0].startswith("error:")
    assert not out.exists() and SECRET not in captured.err + captured.out
    # a key written into the URL is not shown either
    keyed = url.replace("http://", f"http://user:{SECRET}@") + f"?api-key={SECRET}"
    assert run(["draft", str(prog), str(tr), "--engine", "llm", "--endpoint", keyed]) == 2
    err = capsys.readouterr().err
    assert SECRET not in err and f"127.0.0.1:{url.split(':')[2]}" in err


def test_wrong_url_is_exit_2_naming_it(fake, panel, tmp_path, capsys) -> None:
    prog, tr = panel
    wrong = os.environ["SESSIONSKETCH_LLM_ENDPOINT"].removesuffix("/v1") + "/api"
    out = tmp_path / "sketch.md"
    assert run(["draft", str(prog), str(tr), "--engine", "llm", "--endpoint", wrong, "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err
        == f"error: no OpenAI-compatible API at {wrong}/chat/completions (HTTP 404): check the endpoint URL"
    )
    assert not out.exists()
    assert run(["draft", str(prog), str(tr), "--engine", "llm", "--endpoint", "ftp://example.org/v1"]) == 2
    assert "must be an http:// or https:// URL, not 'ftp://example.org/v1'" in capsys.readouterr().err


def test_fallback_drafts_with_the_embedded_engine_and_says_so(fake, panel, tmp_path, capsys) -> None:
    prog, tr = panel
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    out = tmp_path / "sketch.json"
    argv = ["draft", str(prog), str(tr), "--engine", "llm", "--endpoint", url, "--fallback", "-o", str(out)]
    assert run(argv) == 0
    err = capsys.readouterr().err
    assert url in err and "--fallback: drafting with the embedded extractive engine" in err
    doc = json.loads(out.read_text("utf-8"))
    speakers = [p["speaker"] for p in doc["paragraphs"] if p["speaker"]]
    assert speakers == ["Odalys Brightwater", "Henrik Stoneleaf", "Park Ji-woo"]


def test_llm_flags_need_the_llm_engine(panel, tmp_path, capsys) -> None:
    prog, tr = panel
    out = tmp_path / "s.md"
    assert run(["draft", str(prog), str(tr), "--model", "x", "--explain", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: --model, --explain: only for --engine llm (the engine is 'extractive')"
    assert not out.exists()


def test_transcript_folder_threads_the_llm_settings_to_every_session(fake, tmp_path, capsys) -> None:
    url = os.environ["SESSIONSKETCH_LLM_ENDPOINT"]
    doc = yaml.safe_load(PANEL_YAML)
    first = doc.pop("session")
    second = {**first, "number": 2, "slug": "water-policy-2"}
    prog = tmp_path / "conference.yaml"
    prog.write_text(yaml.safe_dump({**doc, "sessions": [first, second]}), encoding="utf-8")
    folder = tmp_path / "transcripts"
    folder.mkdir()
    write_qmsum(folder / "session-1.json", PANEL_TURNS)
    write_qmsum(folder / "session-2.json", PANEL_TURNS)
    _answers(fake)
    out = tmp_path / "sketches"
    argv = ["draft", str(prog), str(folder), "-o", str(out), "-f", "json", "-j", "1"]
    assert run([*argv, "--engine", "llm", "--endpoint", url, "--model", "tiny-folder", "--explain"]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == ["water-policy-2.json", "water-policy.json"]
    # session 2 has the same turns: its questions are the same and come from the cache
    assert len(fake.requests) == 4 and {r["model"] for r in fake.requests} == {"tiny-folder"}
    for name in written:
        assert "80 percent" not in (out / name).read_text("utf-8")
