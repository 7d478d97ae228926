"""Decoding in bounded blocks, the formats PyAV reads, and how many voices (Ctrl-C: test_ctrl_c.py)."""

from __future__ import annotations

import itertools
import wave

import numpy as np
import pytest

from sessionsketch.audio import decode, synth, voices

LINES = (
    synth.Line("A", "The tide gauge at the north pier was read every hour during the storm.", 0.8),
    synth.Line("B", "Our volunteers walked the whole length of the wall twice that night.", 0.8),
    synth.Line("A", "The council will publish the full survey before the end of the month.", 0.8),
    synth.Line("B", "We would welcome a public meeting in the harbour hall after that.", 0.8),
    synth.Line("A", "Then we should set a date for the meeting today, in this room.", 0.8),
)
TWO = (synth.Voice("A", "en-us+f4", 160, 60), synth.Voice("B", "en+klatt", 175, 35))
ONE = (synth.Voice("A", "en-gb+f3", 140, 70), synth.Voice("B", "en-gb+f3", 140, 70))


def _voices(wav, embedder="resemblyzer"):
    collected = voices.Voices(embedder=embedder)
    for block in decode.stream_blocks(wav):
        collected.add_block(block.samples, block.start)
    return collected


@pytest.mark.usefixtures("espeak", "audio_stack")
@pytest.mark.parametrize("embedder", voices.EMBEDDERS)
def test_speaker_count_from_the_data(tmp_path, embedder):
    two, one = tmp_path / "two.wav", tmp_path / "one.wav"
    truth = synth.synthesise(two, LINES, TWO)
    synth.synthesise(one, LINES, ONE)
    labels, choice = voices.cluster_voices(_voices(two, embedder))
    assert choice.count == 2, choice
    collected = _voices(two, embedder)
    # every piece is given the voice of the turn it lies in
    for (start, end), label in zip(collected.spans, labels, strict=True):
        turn = min(truth, key=lambda t: max(t.start - (start + end) / 2, 0, (start + end) / 2 - t.end))
        assert label == (0 if turn.speaker == "A" else 1), (start, end, turn)
    _, choice = voices.cluster_voices(_voices(one, embedder))
    assert choice.count == 1, choice
    assert choice.how.startswith("one voice")


@pytest.mark.usefixtures("audio_stack")
def test_blocks_are_bounded_and_contiguous(tmp_path):
    """A long recording is cut into blocks no longer than asked, at quiet moments, losing nothing."""
    rate = 16000
    rng = np.random.default_rng(7)
    seconds = 200
    t = np.arange(seconds * rate) / rate
    loud = (np.sin(2 * np.pi * 0.37 * t) > -0.6).astype(np.float32)  # quiet gaps now and then
    pcm = (0.3 * loud * rng.standard_normal(len(t))).clip(-1, 1)
    path = tmp_path / "long.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((pcm * 32767).astype("<i2").tobytes())
    blocks = list(decode.stream_blocks(path, block_seconds=30))
    assert all(len(b.samples) <= 30 * rate for b in blocks)
    assert sum(len(b.samples) for b in blocks) == seconds * rate
    for a, b in itertools.pairwise(blocks):
        assert b.start == pytest.approx(a.end)
        assert loud[int(a.end * rate) - 1] == 0  # cut in a quiet gap
    assert decode.duration(path) == pytest.approx(seconds)


@pytest.mark.usefixtures("audio_stack")
@pytest.mark.parametrize("ext", ["mp3", "m4a", "mp4", "webm"])
def test_formats_decode_to_the_same_audio(panel, tmp_path, ext):
    encoded = tmp_path / f"panel.{ext}"
    synth.encode(panel.wav, encoded)
    original = np.concatenate(list(decode.stream_samples(panel.wav)))
    decoded = np.concatenate(list(decode.stream_samples(encoded)))
    assert abs(len(decoded) - len(original)) < 0.1 * 16000  # codec padding only
    # the same speech: loudness envelopes (100 ms) agree
    n = min(len(decoded), len(original)) // 1600

    def envelope(x):
        return np.sqrt((x[: n * 1600].reshape(n, 1600) ** 2).mean(axis=1))

    best = max(
        np.corrcoef(envelope(original), envelope(np.roll(decoded, -s)))[0, 1] for s in range(0, 1600, 160)
    )
    assert best > 0.95


def _three_voices(seed=5, per=20):
    """Three well-separated clouds of unit vectors, as three voices' embeddings would be."""
    rng = np.random.default_rng(seed)
    centres = np.eye(8)[:3]
    x = np.concatenate([c + 0.15 * rng.standard_normal((per, 8)) for c in centres])
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_the_programme_bounds_the_count():
    x = _three_voices()
    _, free = voices.choose_speakers(x, None)
    assert free.count == 3, free
    _, bounded = voices.choose_speakers(x, None, most=2)
    assert bounded.count == 2 and "at most 2, the programme's participants" in bounded.how, bounded
    _, one = voices.choose_speakers(x, None, most=1)
    assert one.count == 1 and one.how == "one voice: the programme lists one person"
    assert voices.choose_speakers(x, 3, most=2)[1].count == 3  # --speakers wins over the programme


def test_the_programme_breaks_a_near_tie():
    """Scores within PRIOR_MARGIN of the best are a tie: the k nearest the programme's count wins."""
    x = _three_voices()
    _, free = voices.choose_speakers(x, None)
    close = [k for k, v in free.scores.items() if v >= free.scores[3] - voices.PRIOR_MARGIN]
    _, prior = voices.choose_speakers(x, None, most=8)
    assert prior.count == max(close), (prior, free.scores)
