"""One meaning per flag, as pandoc: --from the input's format, --to the output's, '-' for
standard input and -o - for standard output; the old --format/-f still works, with a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sessionsketch.cli import run


def one_line_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert run(argv) == 2
    err = capsys.readouterr().err.strip()
    errors = [line for line in err.splitlines() if not line.startswith("warning: --format is deprecated")]
    assert len(errors) == 1 and errors[0].startswith("error: ") and "Traceback" not in err, err
    return errors[0]


# ----------------------------------------------------------------------------- draft


def test_draft_to_html_writes_html(
    panel: tuple[Path, Path], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    prog, tr = panel
    assert run(["draft", str(prog), str(tr), "--to", "html"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"<!DOCTYPE html>") and b"Bram Teller" in out


def test_draft_f_html_is_the_deprecated_spelling_of_to(
    panel: tuple[Path, Path], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    prog, tr = panel
    assert run(["draft", str(prog), str(tr), "-f", "html"]) == 0  # it used to print Markdown in silence
    captured = capsysbinary.readouterr()
    assert captured.out.startswith(b"<!DOCTYPE html>")
    assert b"--format is deprecated: use --to html" in captured.err


def test_draft_to_wins_over_the_extension(panel: tuple[Path, Path], tmp_path: Path) -> None:
    prog, tr = panel
    out = tmp_path / "sketch.txt"
    assert run(["draft", str(prog), str(tr), "--to", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["paragraphs"]


def test_draft_binary_to_standard_output_only_when_asked(
    panel: tuple[Path, Path], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    prog, tr = panel
    assert run(["draft", str(prog), str(tr), "--to", "docx"]) == 2
    assert b"-o -" in capsysbinary.readouterr().err
    assert run(["draft", str(prog), str(tr), "--to", "docx", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"PK\x03\x04")


@pytest.mark.parametrize(
    ("flags", "wanted"),
    [
        (["--to", "xyz"], "unknown output format 'xyz'"),
        (["-f", "xyz"], "unknown output format 'xyz'"),
        (["--to", "html", "--format", "md"], "--to html and --format md disagree"),
        (["--from", "nonsense"], "unknown transcript format 'nonsense'"),
    ],
)
def test_draft_format_mistakes_are_one_line(
    panel: tuple[Path, Path],
    flags: list[str],
    wanted: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    prog, tr = panel
    out = tmp_path / "never.md"
    err = one_line_error(["draft", str(prog), str(tr), "-o", str(out), *flags], capsys)
    assert wanted in err
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_draft_reads_the_transcript_from_standard_input(
    panel: tuple[Path, Path], stdin, capsys: pytest.CaptureFixture[str]
) -> None:
    prog, tr = panel
    stdin(tr.read_bytes())
    assert run(["draft", str(prog), "-", "--from", "text", "--to", "md"]) == 0
    assert "Cleo Marsh" in capsys.readouterr().out


def test_draft_forced_format_reads_as_that_format(
    panel: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    prog, tr = panel
    err = one_line_error(["draft", str(prog), str(tr), "--from", "vtt"], capsys)
    assert str(tr) in err  # a text transcript is no WebVTT: said, not guessed around


def test_an_error_in_standard_input_names_it(stdin, capsys: pytest.CaptureFixture[str]) -> None:
    stdin('{"segments": [')
    err = one_line_error(["transcript", "-", "--from", "whisperx"], capsys)
    assert err.startswith("error: <stdin>:1: invalid JSON")


def test_one_standard_input_only(panel: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert "one input file only" in one_line_error(["draft", "-", "-"], capsys)


# ----------------------------------------------------------------------------- transcript


def test_transcript_from_and_to(panel: tuple[Path, Path], stdin, capsys: pytest.CaptureFixture[str]) -> None:
    prog, tr = panel
    stdin(tr.read_text("utf-8"))
    assert run(["transcript", "-", "-p", str(prog), "--from", "text", "--to", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [t["speaker"] for t in doc["turns"]][:3] == ["Ada Quill", "Bram Teller", "Ada Quill"]
    assert doc["unresolved"] == []


def test_transcript_old_flags_warn_and_work(
    panel: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    prog, tr = panel
    assert run(["transcript", str(tr), "-p", str(prog), "-f", "json", "--input-format", "text"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["turns"]
    assert "--format is deprecated: use --to json" in captured.err
    assert "--input-format is deprecated: use --from text" in captured.err


def test_transcript_text_to_a_file(
    panel: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prog, tr = panel
    out = tmp_path / "read.txt"
    assert run(["transcript", str(tr), "-p", str(prog), "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert out.read_text("utf-8").startswith("0. Ada Quill\n")


def test_transcript_to_xml_is_refused(panel: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert "--to must be 'text' or 'json', not 'xml'" in one_line_error(
        ["transcript", str(panel[1]), "--to", "xml"], capsys
    )


# ----------------------------------------------------------------------------- render, parse, check


@pytest.fixture
def sketch_json(panel: tuple[Path, Path], tmp_path: Path) -> Path:
    prog, tr = panel
    out = tmp_path / "sketch.json"
    assert run(["draft", str(prog), str(tr), "-o", str(out)]) == 0
    return out


def test_render_from_standard_input_to_standard_output(
    sketch_json: Path, stdin, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    stdin(sketch_json.read_bytes())
    assert run(["render", "-", "--from", "json", "--to", "html", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"<!DOCTYPE html>")


def test_render_markdown_read_back_from_standard_input(
    sketch_json: Path, stdin, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert run(["render", str(sketch_json), "--to", "md"]) == 0
    markdown = capsysbinary.readouterr().out
    stdin(markdown)
    assert run(["render", "-", "--from", "text", "--to", "json"]) == 0
    doc = json.loads(capsysbinary.readouterr().out)
    assert doc["metadata"]["session"] == "Leaks and open data"


def test_parse_from_and_the_old_format_flag(
    sketch_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md = tmp_path / "sketch.md"
    assert run(["render", str(sketch_json), "-o", str(md)]) == 0
    capsys.readouterr()
    assert run(["parse", str(md), "--from", "text", "-o", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    speakers = {s["speaker"] for p in doc["paragraphs"] for s in p["sentences"]}
    assert "Bram Teller" in speakers
    assert run(["parse", str(md), "-f", "text"]) == 0
    assert "--format is deprecated: use --from text" in capsys.readouterr().err


def test_parse_writes_sketch_json_only(sketch_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(["parse", str(sketch_json), "--to", "html"], capsys)
    assert "sessionsketch render" in err and "--to html" in err


def test_check_to_json_and_from(
    sketch_json: Path, panel: tuple[Path, Path], stdin, capsys: pytest.CaptureFixture[str]
) -> None:
    prog, _ = panel
    stdin(sketch_json.read_bytes())
    code = run(["check", "-", "--from", "json", "-p", str(prog), "--to", "json"])
    assert code in (0, 1)
    findings = json.loads(capsys.readouterr().out)
    assert isinstance(findings, list) and all("rule" in f for f in findings)
    assert run(["check", str(sketch_json), "-p", str(prog), "-f", "json"]) == code
    captured = capsys.readouterr()
    rules = [(f["rule"], f["message"]) for f in findings]
    assert [(f["rule"], f["message"]) for f in json.loads(captured.out)] == rules
    assert "use --to json" in captured.err


def test_check_fix_cannot_share_standard_output(
    sketch_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "findings go to standard output" in one_line_error(
        ["check", str(sketch_json), "--fix", "-o", "-"], capsys
    )


# ----------------------------------------------------------------------------- help and completion


@pytest.mark.parametrize(
    "command", [[], ["draft"], ["check"], ["render"], ["parse"], ["transcript"], ["programme", "init"]]
)
def test_help_shows_flags_without_a_type(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "<bool>" not in out and "--help" in out
    if command and command != ["programme", "init"]:
        assert "--from" in out or "--to" in out


def test_shell_completion(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["--help"]) == 0
    assert "--install-completion" in capsys.readouterr().out
    assert run(["--show-completion", "bash"]) == 0
    assert "_SESSIONSKETCH_COMPLETE=complete_bash" in capsys.readouterr().out
