"""Whisper JSON without speakers, given them: ``--single-speaker NAME`` and ``--diarisation FILE.rttm``.

The pair in ``data/`` is a fictional panel (Ada Quill, Bram Teller, an invented harbour
forum): a whisper JSON with word timings, whose third segment holds two speakers, as
whisper often writes it, and the pyannote RTTM of the same recording.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from sessionsketch.cli import run
from sessionsketch.errors import UserError
from sessionsketch.pipeline import read_transcript
from sessionsketch.readers import read_transcript_file
from sessionsketch.readers.rttm import parse_rttm

DATA = Path(__file__).parent / "data"
WHISPER = DATA / "harbour-forum.whisper.json"
RTTM = DATA / "harbour-forum.rttm"


def test_the_refusal_names_both_ways_to_add_speakers() -> None:
    with pytest.raises(UserError) as err:
        read_transcript_file(WHISPER)
    message = str(err.value)
    assert "no speaker turns" in message and "--diarisation" in message and "--single-speaker" in message
    assert "\n" not in message and str(WHISPER) in message


def test_the_cli_says_it_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["transcript", str(WHISPER)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--single-speaker NAME" in err


def test_single_speaker_is_one_turn_with_the_times() -> None:
    tr = read_transcript(WHISPER, single_speaker="Ada Quill")
    assert [(t.speaker_name, t.start, t.end) for t in tr.turns] == [("Ada Quill", 0.52, 23.6)]
    assert tr.turns[0].text.startswith("Good morning and welcome") and tr.turns[0].text.endswith(
        "Thank you, Bram."
    )
    assert tr.format == "whisperx"


def test_diarisation_splits_a_segment_at_the_word_where_the_voice_changes() -> None:
    tr = read_transcript(WHISPER, diarisation=RTTM)
    assert [(t.label, t.text) for t in tr.turns] == [
        (
            "SPEAKER_00",
            "Good morning and welcome to the harbour water forum. Bram, you have been measuring the leaks.",
        ),
        ("SPEAKER_01", "Thanks, Ada. We found that one pipe in five loses water before it reaches a tap."),
        ("SPEAKER_00", "Should the towns publish that every month?"),
        ("SPEAKER_01", "Yes, every month, and street by street."),
        ("SPEAKER_00", "Then we will close there. Thank you, Bram."),
    ]
    assert [(t.start, t.end) for t in tr.turns][2:4] == [(13.1, 15.88), (16.28, 19.43)]


def test_diarisation_without_word_timings_goes_by_segment(tmp_path: Path) -> None:
    doc = json.loads(WHISPER.read_text(encoding="utf-8"))
    for seg in doc["segments"]:
        del seg["words"]
    plain = tmp_path / "segments.json"
    plain.write_text(json.dumps(doc), encoding="utf-8")
    tr = read_transcript(plain, diarisation=RTTM)
    # the mixed segment goes to whoever speaks longest in it: 3.15 s of Bram against 2.78 s of Ada
    assert [t.label for t in tr.turns] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00"]
    assert tr.turns[1].text.endswith("every month? Yes, every month, and street by street.")


def test_speech_no_one_in_the_rttm_covers_is_unidentified_and_said(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    short = tmp_path / "short.rttm"
    short.write_text(
        "".join(RTTM.read_text(encoding="utf-8").splitlines(keepends=True)[:4]), encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        tr = read_transcript(WHISPER, diarisation=short)
    assert tr.turns[-1].label == "Unidentified speaker"
    assert tr.turns[-1].text == "Then we will close there. Thank you, Bram."
    assert "overlap no speaker" in caplog.text and "first at 19.8 s" in caplog.text


def test_diarised_labels_take_names_from_a_speaker_map_in_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    smap = tmp_path / "map.yaml"
    smap.write_text("SPEAKER_00: Ada Quill\nSPEAKER_01: Bram Teller\n", encoding="utf-8")
    argv = ["transcript", str(WHISPER), "--diarisation", str(RTTM), "-m", str(smap), "--to", "json"]
    assert run(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [t["speaker"] for t in doc["turns"]] == ["Ada Quill", "Bram Teller"] * 2 + ["Ada Quill"]
    assert doc["unresolved"] == []


def test_draft_and_programme_init_take_the_same_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "programme.yaml"
    assert run(["programme", "init", str(WHISPER), "--diarisation", str(RTTM), "-o", str(out)]) == 0
    assert "SPEAKER_00" in out.read_text(encoding="utf-8")
    assert run(["draft", str(WHISPER), "--single-speaker", "Ada Quill", "--words", "40"]) == 0
    assert "Ada Quill" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("flags", "wanted"),
    [
        (["--single-speaker", "Ada Quill", "--diarisation", str(RTTM)], "not both"),
        (["--single-speaker", " "], "needs a name"),
    ],
)
def test_flag_mistakes_are_one_line(
    flags: list[str], wanted: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["transcript", str(WHISPER), *flags]) == 2
    err = capsys.readouterr().err.strip()
    assert wanted in err and len(err.splitlines()) == 1


def test_a_transcript_with_its_own_speakers_is_not_relabelled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vtt = tmp_path / "panel.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ada Quill>Welcome.</v>\n", encoding="utf-8")
    assert run(["transcript", str(vtt), "--single-speaker", "Bram Teller"]) == 2
    assert "reads as 'vtt'" in capsys.readouterr().err


# ----------------------------------------------------------------------------- RTTM


def test_rttm_is_read_in_order_of_onset() -> None:
    text = RTTM.read_text(encoding="utf-8").splitlines()
    turns = parse_rttm(
        "\n".join(reversed(text))
        + "\n;; a comment\nSPKR-INFO harbour-forum 1 <NA> <NA> <NA> unknown SPEAKER_00 <NA> <NA>\n"
    )
    assert [(t.speaker, t.start) for t in turns][:2] == [("SPEAKER_00", 0.52), ("SPEAKER_01", 6.84)]
    assert turns[1].end == pytest.approx(12.96)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            "SPEAKER f 1 0.5 x <NA> <NA> SPEAKER_00 <NA> <NA>\n",
            "x.rttm:1: onset and duration must be seconds",
        ),
        ("SPEAKER f 1 0.5 1.0\n", "x.rttm:1: an RTTM SPEAKER line has 10 fields"),
        ("SPEAKER f 1 0.5 -1.0 <NA> <NA> A <NA> <NA>\n", "cannot be negative"),
        (
            "SPEAKER f 1 0.5 1.0 <NA> <NA> A <NA> <NA>\nSPEAKER g 1 2.5 1.0 <NA> <NA> B <NA> <NA>\n",
            "x.rttm:2: this RTTM file holds more than one recording (f, g)",
        ),
        ("hello\n", "no SPEAKER lines"),
    ],
)
def test_bad_rttm_is_one_line_with_the_line(text: str, wanted: str) -> None:
    with pytest.raises(UserError) as err:
        parse_rttm(text, "x.rttm")
    assert wanted in str(err.value)


def test_an_rttm_given_as_the_transcript_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["transcript", str(RTTM)]) == 2
    err = capsys.readouterr().err
    assert "holds no words" in err and "--diarisation" in err and "2 speakers" in err


def test_a_word_in_a_pause_of_one_voice_stays_with_it(tmp_path: Path) -> None:
    paused = tmp_path / "paused.rttm"
    lines = RTTM.read_text(encoding="utf-8").splitlines()
    lines[1:2] = [  # Bram's stretch with a 0.4 s pause in it, over the word 'pipe'
        "SPEAKER harbour-forum 1 6.840 2.160 <NA> <NA> SPEAKER_01 <NA> <NA>",
        "SPEAKER harbour-forum 1 9.400 3.560 <NA> <NA> SPEAKER_01 <NA> <NA>",
    ]
    paused.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tr = read_transcript(WHISPER, diarisation=paused)
    assert [t.label for t in tr.turns] == ["SPEAKER_00", "SPEAKER_01"] * 2 + ["SPEAKER_00"]
    assert "one pipe in five" in tr.turns[1].text
