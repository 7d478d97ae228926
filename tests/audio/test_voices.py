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


# --------------------------------------------------------------------------- the timeline (sliding windows)


def test_windows_cover_a_region_hop_apart():
    w, h = round(voices.WIN / voices.FRAME), round(voices.HOP / voices.FRAME)
    wins = voices.windows_of(10, 10 + 4 * w)
    assert wins[0] == (10, 10 + w) and wins[-1] == (10 + 3 * w, 10 + 4 * w)
    assert all(b - a == w for a, b in wins)
    assert all(b[0] - a[0] <= h for a, b in itertools.pairwise(wins))
    covered = np.zeros(10 + 4 * w, dtype=bool)
    for a, b in wins:
        covered[a:b] = True
    assert covered[10:].all() and not covered[:10].any()
    assert voices.windows_of(3, 3 + w // 2) == [(3, 3 + w // 2)]  # a short region: one window, itself


def _windows(start, end):
    return [
        (a * voices.FRAME, b * voices.FRAME)
        for a, b in voices.windows_of(round(start / voices.FRAME), round(end / voices.FRAME))
    ]


def test_frame_timeline_places_a_change_inside_a_region():
    """One voiced region 0-9 s, voice 0 until 4.2 s and voice 1 after: the windows' scores say
    so (a window straddling the change leans to the voice it holds more of), and the timeline
    puts the change within a hop of 4.2 s."""
    wins = _windows(0.0, 9.0)
    share = np.array([np.clip((4.2 - a) / (b - a), 0, 1) for a, b in wins])  # of voice 0
    scores = np.stack([0.5 + 0.4 * share, 0.5 + 0.4 * (1 - share)], axis=1)
    timeline = voices.frame_timeline([(0.0, 9.0)], wins, scores)
    assert [v for _, _, v in timeline] == [0, 1], timeline
    assert timeline[0][0] == pytest.approx(0.0) and timeline[-1][1] == pytest.approx(9.0)
    assert abs(timeline[0][1] - 4.2) <= voices.HOP, timeline


def test_diarise_finds_a_change_inside_a_piece():
    """Pieces of 3 s alternate A, B, A, B, A, B; the third piece (6-9 s) is A until 7.5 s and
    B after. Its one embedding cannot say so; the windows can, and diarise finds the change,
    with the count still taken from the pieces (two voices)."""
    rng = np.random.default_rng(3)
    a_dir, b_dir = np.eye(16)[0], np.eye(16)[1]

    def vec(share_a):
        v = share_a * a_dir + (1 - share_a) * b_dir + 0.08 * rng.standard_normal(16)
        return v / np.linalg.norm(v)

    truth = lambda t: 1.0 if (t < 3 or 6 <= t < 7.5 or 12 <= t < 15) else 0.0  # noqa: E731
    collected = voices.Voices()
    for i in range(6):
        a, b = 3.0 * i, 3.0 * (i + 1)
        share = np.mean([truth(t) for t in np.arange(a, b, 0.03)])
        collected.spans.append((a, b))
        collected.vectors.append(vec(share))
    collected.regions = [(0.0, 18.0)]
    collected.windows = _windows(0.0, 18.0)
    collected.window_vectors = [
        vec(np.mean([truth(t) for t in np.arange(a, b, 0.03)])) for a, b in collected.windows
    ]
    spans, labels, choice = voices.diarise(collected)
    assert choice.count == 2, choice
    changes = [spans[i][0] for i in range(1, len(spans)) if labels[i] != labels[i - 1]]
    assert len(changes) == 5, list(zip(spans, labels, strict=True))
    for want, got in zip((3.0, 6.0, 7.5, 12.0, 15.0), changes, strict=True):
        assert abs(got - want) <= voices.HOP, (want, changes)


@pytest.mark.usefixtures("espeak", "audio_stack")
def test_turns_without_a_pause_are_told_apart(tmp_path):
    """Two voices answering each other with 0.1 s between turns: Silero hears one voiced region
    (gaps under JOIN are joined), so the pieces straddle the changes; the windows find them."""
    lines = tuple(synth.Line(line.speaker, line.text, 0.1) for line in LINES)
    wav = tmp_path / "abutting.wav"
    truth = synth.synthesise(wav, lines, TWO)
    collected = _voices(wav)
    assert len(collected.regions) < len(lines)  # turns were joined into one region
    spans, labels, choice = voices.diarise(collected)
    assert choice.count == 2, choice
    # voiced time given the right voice, after matching voices to people
    right = np.zeros((2, 2))
    for (a, b), v in zip(spans, labels, strict=True):
        for t in np.arange(a, b, 0.01):
            who = [x.speaker for x in truth if x.start <= t < x.end]
            if who:
                right[v, 0 if who[0] == "A" else 1] += 0.01
    accuracy = max(right[0, 0] + right[1, 1], right[0, 1] + right[1, 0]) / right.sum()
    assert accuracy >= 0.9, (accuracy, right)
    for prev, nxt in itertools.pairwise(truth):
        near = [
            spans[i][0]
            for i in range(1, len(spans))
            if labels[i] != labels[i - 1] and abs(spans[i][0] - nxt.start) <= 2 * voices.HOP
        ]
        assert near, (prev, nxt, list(zip(spans, labels, strict=True)))
