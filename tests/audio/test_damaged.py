"""Damaged recordings keep what decodes: bad packets are skipped with a warning naming the
time ranges lost, a file cut short keeps its first part, a WAV whose header promises more
than it holds is a warning — and a transcript is written (issue 27). The damaged files are
made here from the synthesised Eastmere panel: two mp3s joined with ``cat``, bytes
overwritten in the middle of an mp3 and a FLAC, a FLAC and an mp4 cut in half."""

from __future__ import annotations

import json
import wave

import numpy as np
import pytest

from sessionsketch.audio import decode, synth
from sessionsketch.cli import run

pytestmark = pytest.mark.usefixtures("audio_stack")


def _noise(n: int, seed: int) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8).tobytes()


def _overwrite_middle(data: bytes, size: int, seed: int = 3) -> bytes:
    mid = len(data) // 2
    return data[:mid] + _noise(size, seed) + data[mid + size :]


def _decoded(path) -> tuple[float, decode.Damage]:
    damage = decode.Damage()
    samples = sum(len(c) for c in decode.stream_samples(path, damage=damage))
    return samples / decode.RATE, damage


@pytest.fixture(scope="module")
def mp3(panel, tmp_path_factory):
    path = tmp_path_factory.mktemp("damaged") / "panel.mp3"
    synth.encode(panel.wav, path)
    return path


def test_two_mp3s_joined_with_cat(mp3, tmp_path):
    joined = tmp_path / "joined.mp3"
    joined.write_bytes(mp3.read_bytes() * 2)
    seconds, damage = _decoded(joined)
    whole, _ = _decoded(mp3)
    assert seconds > 2 * whole - 1.0  # both recordings, less at most the packet at the join
    assert all(abs(a - whole) < 1.0 for a, _ in damage.lost), damage


def test_bytes_overwritten_in_an_mp3_keep_the_rest(mp3, tmp_path, capsys):
    holed = tmp_path / "holed.mp3"
    holed.write_bytes(_overwrite_middle(mp3.read_bytes(), 8_000))
    seconds, damage = _decoded(holed)
    assert damage.lost and 20 < damage.lost[0][0] < 35, damage
    assert seconds > 40
    out = tmp_path / "holed.json"
    assert run(["transcribe", str(holed), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"warning: {holed}: damaged audio skipped at 0:" in err, err
    assert "Traceback" not in err
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["transcription"]["damaged"]["lost"]
    assert doc["segments"] and doc["segments"][-1]["end"] > 40  # words after the damage


def test_bytes_overwritten_in_a_flac(panel, tmp_path):
    flac = tmp_path / "panel.flac"
    synth.encode(panel.wav, flac)
    holed = tmp_path / "holed.flac"
    holed.write_bytes(_overwrite_middle(flac.read_bytes(), 20_000))
    seconds, damage = _decoded(holed)
    assert damage.lost, damage
    assert seconds > 50  # the lost frames are filled with silence: times after them stay right


@pytest.mark.parametrize("ext", ["flac", "mp4"])
def test_cut_in_half_keeps_the_first_half(panel, tmp_path, ext):
    whole = tmp_path / f"whole.{ext}"
    synth.encode(panel.wav, whole, faststart=True)
    half = tmp_path / f"half.{ext}"
    half.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    seconds, _ = _decoded(half)
    assert 15 < seconds < 40, seconds
    assert decode.duration(half) > 50  # what the file declares, against which the warning is given


def test_a_flac_cut_in_half_is_transcribed_with_a_warning(panel, tmp_path, capsys):
    flac = tmp_path / "panel.flac"
    synth.encode(panel.wav, flac)
    half = tmp_path / "half.flac"
    half.write_bytes(flac.read_bytes()[: flac.stat().st_size // 2])
    out = tmp_path / "half.vtt"
    assert run(["transcribe", str(half), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"warning: {half}:" in err and "s of the 55 s the file declares" in err, err
    assert out.read_text(encoding="utf-8").startswith("WEBVTT")


def test_a_wav_header_that_promises_more_than_the_file_holds(panel, tmp_path, capsys):
    with wave.open(str(panel.wav)) as w:
        params, frames = w.getparams(), w.readframes(w.getnframes())
    short = tmp_path / "short.wav"
    short.write_bytes(panel.wav.read_bytes()[: 44 + len(frames) // 3])  # the header still says 55 s
    assert decode.duration(short) == pytest.approx(params.nframes / params.framerate, abs=0.01)
    out = tmp_path / "short.json"
    assert run(["transcribe", str(short), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "the audio ends at 18 s of the 55 s the file declares (truncated?)" in err, err
    assert json.loads(out.read_text(encoding="utf-8"))["segments"]


def test_an_mp4_cut_in_half_without_its_index_is_one_line(panel, tmp_path, capsys):
    """The index (moov) at the end, as most recorders write it: cut off, nothing is playable."""
    whole = tmp_path / "whole.mp4"
    synth.encode(panel.wav, whole)
    half = tmp_path / "half.mp4"
    half.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert run(["transcribe", str(half), "-o", str(tmp_path / "o.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {half}: not a readable recording") and "\n" not in err, err
    assert not (tmp_path / "o.json").exists()


def test_a_header_only_is_one_line(panel, tmp_path, capsys):
    header = tmp_path / "header.wav"
    header.write_bytes(panel.wav.read_bytes()[:44])
    out = tmp_path / "h.json"
    assert run(["transcribe", str(header), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {header}: the file holds no audio (a header only?)", err
    assert not out.exists()
