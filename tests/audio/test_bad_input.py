"""Recordings that are not what they claim: one line and exit 2, or an empty transcript
with a warning — never a traceback, never a half-written output."""

from __future__ import annotations

import json
import os
import wave

import pytest

from sessionsketch import audio
from sessionsketch.audio import synth
from sessionsketch.cli import run


def _silence(path, seconds=6):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0" * 16000 * 2 * seconds)


def _one_line_error(capsys, path, *words):
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    assert err.startswith(f"error: {path}: "), err
    for w in words:
        assert w in err, err
    return err


@pytest.mark.usefixtures("audio_stack")
def test_text_with_an_audio_extension(tmp_path, capsys):
    fake = tmp_path / "minutes.wav"
    fake.write_text("Chair: this is a transcript, not a recording.\n" * 20, encoding="utf-8")
    out = tmp_path / "out.json"
    assert run(["transcribe", str(fake), "-o", str(out)]) == 2
    _one_line_error(capsys, fake, "not a readable recording")
    assert not out.exists()


@pytest.mark.usefixtures("audio_stack")
def test_random_bytes(tmp_path, capsys):
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(os.urandom(40_000))
    assert run(["transcribe", str(junk)]) == 2
    _one_line_error(capsys, junk, "not a readable recording")


@pytest.mark.usefixtures("audio_stack")
def test_corrupt_m4a_cut_in_half(panel, tmp_path, capsys):
    whole = tmp_path / "whole.m4a"
    synth.encode(panel.wav, whole)
    half = tmp_path / "half.m4a"
    half.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert run(["transcribe", str(half), "-o", str(tmp_path / "o.json")]) == 2
    _one_line_error(capsys, half, "not a readable recording")
    assert list(tmp_path.glob("o.json*")) == [] and list(tmp_path.glob(".o.json*")) == []


@pytest.mark.usefixtures("audio_stack")
def test_video_without_an_audio_track(panel, tmp_path, capsys):
    video = tmp_path / "slides.mp4"
    synth.encode(panel.wav, video, audio=False)
    assert run(["draft", str(panel.programme), str(video), "-o", str(tmp_path / "s.md")]) == 2
    _one_line_error(capsys, video, "no audio track")
    assert not (tmp_path / "s.md").exists()


@pytest.mark.usefixtures("audio_stack")
def test_missing_recording(tmp_path, capsys):
    assert run(["transcribe", str(tmp_path / "nowhere.wav")]) == 2
    _one_line_error(capsys, tmp_path / "nowhere.wav", "no such file")


@pytest.mark.usefixtures("audio_stack")
def test_silence_is_an_empty_transcript_with_a_warning(tmp_path, capsys, caplog):
    quiet = tmp_path / "quiet.wav"
    _silence(quiet)
    out = tmp_path / "quiet.json"
    assert run(["transcribe", str(quiet), "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["segments"] == []
    assert doc["transcription"]["speaker_count"]["count"] == 0
    assert "no speech found" in capsys.readouterr().err


def _noise(path, kind, seconds=8):
    """Noise and no speech: white noise, or mains hum under a little hiss (fixed seeds)."""
    import numpy as np

    rng = np.random.default_rng(11)
    t = np.arange(16000 * seconds) / 16000
    if kind == "white":
        pcm = 0.1 * rng.standard_normal(len(t))
    else:
        pcm = 0.1 * np.sin(2 * np.pi * 50 * t) + 0.02 * rng.standard_normal(len(t))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((np.clip(pcm, -1, 1) * 32767).astype("<i2").tobytes())


@pytest.mark.usefixtures("audio_stack")
@pytest.mark.parametrize("kind", ["white", "hum"])
def test_noise_gives_no_words(tmp_path, capsys, kind):
    """Voice-activity gating (Silero VAD): Whisper is never given noise to invent text from."""
    noisy = tmp_path / f"{kind}.wav"
    _noise(noisy, kind)
    out = tmp_path / "noise.json"
    assert run(["transcribe", str(noisy), "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["segments"] == [] and doc["transcription"]["voiced_seconds"] == 0
    assert "no speech found in 8 s of audio" in capsys.readouterr().err


@pytest.mark.usefixtures("audio_stack")
def test_noise_cannot_be_drafted(panel, tmp_path, capsys):
    noisy = tmp_path / "noise.wav"
    _noise(noisy, "white")
    assert run(["draft", str(panel.programme), str(noisy), "-o", str(tmp_path / "s.md")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"error: {noisy}: no speech found in the recording; nothing to draft from", err
    assert not (tmp_path / "s.md").exists()


@pytest.mark.usefixtures("audio_stack")
def test_a_transcript_of_silence_cannot_be_drafted(panel, tmp_path, capsys):
    """The JSON `transcribe` writes for silence, given to `draft`: no speech, not an unknown format."""
    quiet = tmp_path / "quiet.wav"
    _silence(quiet)
    transcript = tmp_path / "quiet.json"
    assert run(["transcribe", str(quiet), "-o", str(transcript)]) == 0
    capsys.readouterr()
    assert run(["draft", str(panel.programme), str(transcript), "-o", str(tmp_path / "s.md")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith(f"error: {transcript}: no speech found"), err
    assert "cannot tell" not in err
    assert not (tmp_path / "s.md").exists()


@pytest.mark.usefixtures("audio_stack")
def test_silence_cannot_be_drafted(panel, tmp_path, capsys):
    quiet = tmp_path / "quiet.wav"
    _silence(quiet)
    assert run(["draft", str(panel.programme), str(quiet), "-o", str(tmp_path / "s.pdf")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: {quiet}: no speech found"), err
    assert not (tmp_path / "s.pdf").exists()


def test_without_the_extra_a_recording_gets_one_line_naming_it(tmp_path, capsys, monkeypatch):
    """What a base install (no [audio]) says: the extra's name, which modules are missing."""
    monkeypatch.setattr(audio, "missing", lambda: ["faster_whisper", "av"])
    rec = tmp_path / "session.mp3"
    rec.write_bytes(b"ID3")
    prog = tmp_path / "p.yaml"
    prog.write_text(synth.EASTMERE_PROGRAMME, encoding="utf-8")
    assert run(["draft", str(prog), str(rec)]) == 2
    err = _one_line_error(capsys, rec, "pip install 'sessionsketch[audio]'", "faster_whisper")
    assert "no audio track" not in err
    assert run(["transcribe", str(rec)]) == 2
    _one_line_error(capsys, rec, "sessionsketch[audio]")


@pytest.mark.parametrize("name", ["transcript.json", "transcript.vtt", "sketch.md"])
def test_only_recordings_are_transcribed(name):
    assert not audio.is_recording(name)
    assert audio.is_recording(name.rsplit(".", 1)[0] + ".M4A")


def test_wrong_output_extension(tmp_path, capsys):
    assert run(["transcribe", str(tmp_path / "a.wav"), "-o", str(tmp_path / "a.docx")]) == 2
    err = capsys.readouterr().err
    assert "written as .json, .vtt or .srt" in err


@pytest.mark.usefixtures("audio_stack")
def test_a_model_folder_that_is_not_one(panel, tmp_path, capsys):
    assert run(["transcribe", str(panel.wav), "--model", str(tmp_path), "-o", str(tmp_path / "t.json")]) == 2
    _one_line_error(capsys, tmp_path, "not a CTranslate2 Whisper model folder")
    assert not (tmp_path / "t.json").exists()
