"""Programmes and speaker maps that would blow up memory or the stack (issue 16 §3).

A 471-byte YAML of 7 levels × 10 aliases expands to millions of values; 1,000 levels of
nesting (or 100,000 ``[``) used to raise RecursionError. Each is one line naming the file
and line, exit status 2, before anything is built. The panel is FICTIONAL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sessionsketch.cli import run
from sessionsketch.errors import UserError
from sessionsketch.readers.programme import load_programme, load_speaker_map

PANEL = "Ada Quill: The lamps of the harbour are lit again.\nBram Teller: And the fees are paid.\n"


def alias_bomb(levels: int = 7, width: int = 10) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


BOMB_PROGRAMME = (
    alias_bomb() + "conference: Fictional Forum\nsession: {title: Lamps, speakers: [Ada Quill]}\n"
)
DEEP_BLOCK = "conference: Fictional Forum\nsession:\n" + "".join(
    "  " * (i + 1) + f"k{i}:\n" for i in range(1000)
)
HOSTILE = {
    "alias-bomb.yaml": BOMB_PROGRAMME,
    "deep-flow.yaml": "conference: " + "[" * 1000 + "]" * 1000 + "\n",
    "deep-block.yaml": DEEP_BLOCK,
    "open-brackets.yaml": "[" * 100_000,
    "self-alias.yaml": "conference: &c [Fictional Forum, *c]\n",
    "deep.json": '{"conference": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "open-brackets.json": "{" + "[" * 100_000,
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_the_alias_bomb_is_small_but_expands_hugely() -> None:
    """The test's premise: 10**7 strings from under 600 bytes (what took the server to 1.4 GB)."""
    assert len(BOMB_PROGRAMME.encode()) < 600
    assert 10**7 * len("lol") > 1000 * len(BOMB_PROGRAMME)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_programmes_are_one_line(tmp_path: Path, name: str) -> None:
    p = write(tmp_path, name, HOSTILE[name])
    with pytest.raises(UserError) as err:
        load_programme(p)
    message = str(err.value)
    assert message.startswith(str(p)) and "\n" not in message
    assert any(w in message for w in ("alias", "nested", "invalid")), message


@pytest.mark.parametrize("name", ["alias-bomb.yaml", "deep-block.yaml", "deep.json", "self-alias.yaml"])
def test_hostile_speaker_maps_are_one_line(tmp_path: Path, name: str) -> None:
    text = alias_bomb() if name == "alias-bomb.yaml" else HOSTILE[name]
    p = write(tmp_path, name, text)
    with pytest.raises(UserError) as err:
        load_speaker_map(p)
    assert str(err.value).startswith(f"{p}") and "invalid speaker map" in str(err.value)


def test_ordinary_anchors_and_merge_keys_still_work(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "programme.yaml",
        "ministry: &cloud {affiliation: Cloud Ministry}\n"
        "conference: Fictional Forum\n"
        "session:\n  title: Lamps\n  speakers:\n"
        "    - {name: Bo Larkspur, <<: *cloud}\n    - {name: Ada Quill, <<: *cloud}\n",
    )
    speakers = load_programme(p).session.speakers
    assert [(s.name, s.affiliation) for s in speakers] == [
        ("Bo Larkspur", "Cloud Ministry"),
        ("Ada Quill", "Cloud Ministry"),
    ]
    m = write(tmp_path, "map.yaml", "name: &n Ada Quill\nSPEAKER_00: *n\n")
    assert load_speaker_map(m) == {"name": "Ada Quill", "SPEAKER_00": "Ada Quill"}


def error_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "RecursionError" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("name", ["alias-bomb.yaml", "deep-block.yaml", "deep.json"])
def test_cli_programme_one_line_exit_2(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    prog = write(tmp_path, name, HOSTILE[name])
    tr = write(tmp_path, "panel.txt", PANEL)
    assert str(prog) in error_of(["transcript", str(tr), "--programme", str(prog)], capsys)


@pytest.mark.parametrize("name", ["alias-bomb.yaml", "deep-flow.yaml"])
def test_cli_speaker_map_one_line_exit_2(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = alias_bomb() if name == "alias-bomb.yaml" else HOSTILE[name]
    smap = write(tmp_path, name, text)
    tr = write(tmp_path, "panel.txt", PANEL)
    out = tmp_path / "sketch.json"
    line = error_of(["draft", str(tr), "--speaker-map", str(smap), "-o", str(out)], capsys)
    assert str(smap) in line and "invalid speaker map" in line
    assert not out.exists()


def test_deep_but_legal_json_programme_still_reads(tmp_path: Path) -> None:
    doc = {"conference": "Fictional Forum", "session": {"title": "Lamps", "speakers": ["Ada Quill"]}}
    p = write(tmp_path, "programme.json", json.dumps(doc))
    assert load_programme(p).session.speakers[0].name == "Ada Quill"
