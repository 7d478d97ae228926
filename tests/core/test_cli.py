"""The transcript command, and bad input through the CLI: one line, exit 2, never a traceback."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from sessionsketch import files
from sessionsketch.cli import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "welsh-education-committee"


def test_example_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "transcript",
            str(EXAMPLE / "transcript.json"),
            "--programme",
            str(EXAMPLE / "programme.yaml"),
            "--format",
            "json",
        ]
    )
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"turns", "unresolved"}
    assert doc["unresolved"] == []
    assert set(doc["turns"][0]) == {"index", "label", "speaker", "role", "text", "start", "end"}
    assert doc["turns"][0]["label"] == "Lynne Neagle AM" and doc["turns"][0]["speaker"] == "Lynne Neagle"


def test_text_output_lists_unresolved_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prog = tmp_path / "programme.yaml"
    prog.write_text("session:\n  moderator: Ada Quill\n  speakers: [Bram Teller]\n", encoding="utf-8")
    tr = tmp_path / "panel.txt"
    tr.write_text("Ada Quill: Welcome.\nWilhelmina Zappa: Who am I?\n", encoding="utf-8")
    assert run(["transcript", str(tr), "--programme", str(prog)]) == 0
    captured = capsys.readouterr()
    assert "0. Ada Quill" in captured.out
    assert "Unresolved speaker labels" in captured.err and "Wilhelmina Zappa" in captured.err


def error_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert run(argv) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "Traceback" not in err
    return err


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"  \n")
    assert "file is empty" in error_of(["transcript", str(p)], capsys)


def test_binary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "image.vtt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary file" in error_of(["transcript", str(p)], capsys)


def test_utf16_with_bom_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "panel.txt"
    p.write_bytes(
        codecs.BOM_UTF16_LE + "Zoë Quill: Bienvenue à tous.\nBram Teller: Merci.\n".encode("utf-16-le")
    )
    assert run(["transcript", str(p), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [t["speaker"] for t in doc["turns"]] == ["Zoë Quill", "Bram Teller"]
    assert doc["turns"][0]["text"] == "Bienvenue à tous."


def test_latin1_is_read_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "panel.txt"
    p.write_bytes("Zoë Quill: Bienvenue à tous.\n".encode("latin-1"))
    assert run(["transcript", str(p), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["turns"][0]["speaker"] == "Zoë Quill"
    assert "not UTF-8" in captured.err


def test_vtt_with_broken_timestamps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "broken.vtt"
    p.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\n<v Ada Quill>Hi.\n", encoding="utf-8")
    err = error_of(["transcript", str(p)], capsys)
    assert f"{p}:3:" in err and "broken cue timing" in err


def test_srt_with_missing_indices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "panel.srt"
    p.write_text(
        "00:00:01,000 --> 00:00:02,000\nADA QUILL: Hi.\n\n00:00:02,000 --> 00:00:03,000\nBRAM TELLER: Hello.\n",
        encoding="utf-8",
    )
    assert run(["transcript", str(p), "--format", "json"]) == 0
    assert [t["speaker"] for t in json.loads(capsys.readouterr().out)["turns"]] == [
        "Ada Quill",
        "Bram Teller",
    ]


@pytest.mark.parametrize(
    "content",
    [
        '{"meeting_transcripts": {"speaker": "x"}}',
        '{"segments": [{"start": 0, "speaker": "A"}], "x": "start"}',
        '{"meeting_transcripts": [1',
    ],
)
def test_json_of_the_wrong_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    p = tmp_path / "meeting.json"
    p.write_text(content, encoding="utf-8")
    err = error_of(["transcript", str(p)], capsys)
    assert str(p) in err


def test_a_200_mb_file_is_refused_without_reading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as f:  # sparse: takes no disk space
        f.truncate(200 * 1024 * 1024)
    err = error_of(["transcript", str(p)], capsys)
    assert "210 MB" in err and "refused" in err


def test_a_lowered_limit_refuses_a_small_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files.read_bytes, "__defaults__", (1000,))
    p = tmp_path / "panel.txt"
    p.write_text("Ada Quill: " + "words " * 400, encoding="utf-8")
    assert "refused" in error_of(["transcript", str(p)], capsys)


def test_programme_with_duplicate_speakers_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prog = tmp_path / "programme.yaml"
    prog.write_text("session:\n  speakers: [Ada Quill, Ada Quill, Bram Teller]\n", encoding="utf-8")
    tr = tmp_path / "panel.txt"
    tr.write_text("Ada Quill: Hi.\nBram Teller: Hello.\n", encoding="utf-8")
    assert run(["transcript", str(tr), "--programme", str(prog), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "listed twice" in captured.err
    assert json.loads(captured.out)["unresolved"] == []


def test_programme_error_is_one_line_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prog = tmp_path / "programme.yaml"
    prog.write_text("session:\n  speakers:\n    - affiliation: Nowhere\n", encoding="utf-8")
    tr = tmp_path / "panel.txt"
    tr.write_text("Ada Quill: Hi.\n", encoding="utf-8")
    err = error_of(["transcript", str(tr), "--programme", str(prog)], capsys)
    assert f"{prog}:3: session.speakers[0].name is missing" in err


def test_bad_format_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tr = tmp_path / "panel.txt"
    tr.write_text("Ada Quill: Hi.\n", encoding="utf-8")
    assert run(["transcript", str(tr), "--format", "xml"]) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["draft", "--no-such-flag", "x"],
        ["draft"],
        ["draft", str(EXAMPLE / "programme.yaml"), str(EXAMPLE / "transcript.json"), "--words", "many"],
        ["no-such-command"],
    ],
)
def test_usage_errors_are_one_line_and_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err


def test_exit_status_of_a_command_is_kept(reference_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check exits 1 when it has findings; run() must not turn that into 0."""
    assert run(["check", str(reference_txt)]) == 1


def test_output_under_a_file_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    code = run(
        [
            "draft",
            str(EXAMPLE / "programme.yaml"),
            str(EXAMPLE / "transcript.json"),
            "-o",
            str(blocker / "out.md"),
        ]
    )
    assert code == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_outputs_get_the_usual_file_mode(tmp_path: Path) -> None:
    """atomic_output goes through mkstemp (0600) but the result honours the umask."""
    dest = tmp_path / "out.md"
    files.write_atomic(dest, "x")
    assert dest.stat().st_mode & 0o777 == 0o666 & ~files._UMASK


def test_log_messages_are_text_not_rich_markup(capsys: pytest.CaptureFixture[str]) -> None:
    """A speaker label or sentence with brackets is printed as written (it once raised MarkupError)."""
    import logging

    from sessionsketch.cli import _setup_logging

    _setup_logging()
    logging.getLogger("sessionsketch").warning("%s: label [/SPEAKER_00] and [bold]x[/bold]", "t.txt")
    assert "t.txt: label [/SPEAKER_00] and [bold]x[/bold]" in capsys.readouterr().err


def test_ctrl_c_inside_an_extension_s_start_up_is_an_interrupt(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Ctrl-C while a C extension initialises surfaces as "ImportError: initialization
    failed" raised from the KeyboardInterrupt (ctranslate2 as transcribe starts): status 130
    and "aborted", no traceback; any other error still raises."""
    from sessionsketch import cli

    def interrupted_import(**_: object) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise ImportError("initialization failed") from exc

    monkeypatch.setattr(cli, "app", interrupted_import)
    assert cli.run(["transcribe", "x.wav"]) == cli.INTERRUPTED
    assert capsys.readouterr().err.strip() == "aborted"

    def broken(**_: object) -> None:
        raise ImportError("initialization failed")

    monkeypatch.setattr(cli, "app", broken)
    with pytest.raises(ImportError):
        cli.run(["transcribe", "x.wav"])


def test_the_entry_turns_an_interrupted_start_up_into_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same, in ``sessionsketch.__main__`` (where the command line itself is imported)."""
    import types

    from sessionsketch import __main__ as entry

    def interrupted() -> int:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise ImportError("initialization failed") from exc

    monkeypatch.setitem(
        __import__("sys").modules, "sessionsketch.cli", types.SimpleNamespace(run=interrupted)
    )
    with pytest.raises(SystemExit) as stop:
        entry.main()
    assert stop.value.code == entry.INTERRUPTED
    assert capsys.readouterr().err.strip() == "aborted"


def test_a_ctrl_c_a_library_swallowed_still_stops_the_command() -> None:
    """SIGINT is remembered by the handler run() installs: check_interrupted() raises after a
    KeyboardInterrupt that something caught and dropped."""
    import contextlib
    import signal

    from sessionsketch import errors

    before = errors._interrupts
    try:
        errors.check_interrupted()  # nothing yet
        with pytest.raises(KeyboardInterrupt):
            errors.interrupt_handler(signal.SIGINT, None)
        with contextlib.suppress(KeyboardInterrupt):  # what a library's fallback does with it
            errors.interrupt_handler(signal.SIGINT, None)
        with pytest.raises(KeyboardInterrupt):
            errors.check_interrupted()
    finally:
        errors._interrupts = before
