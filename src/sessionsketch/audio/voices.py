"""Who spoke when: voice embeddings of the recording's phrases, clustered into speakers.

Silero VAD (inside faster-whisper's wheel) finds the voiced stretches of each block; stretches
closer than ``JOIN`` seconds are joined and the result cut into *pieces* of at most
``MAX_PIECE`` seconds (a speaker rarely changes without a pause, and a piece that does
straddle a change is short). Each piece gets one embedding:

- ``resemblyzer`` (the default): Resemblyzer's pretrained GE2E voice encoder, which ships
  inside its wheel (a 3-layer LSTM over 40 mel bands; CPU PyTorch). A piece's embedding
  is the mean of the encoder's 1.6 s windows over it, as Resemblyzer's ``embed_utterance``
  does; the mel spectrogram is computed here in numpy (the same as librosa's, which
  Resemblyzer calls and which costs seconds of JIT compiling on first use).
- ``mfcc``: the mean and spread of 20 MFCCs over the piece, numpy only — no model and
  no PyTorch; measured beside it in ``bench/audio.py`` (docs/audio.md says which wins).

At the end the pieces of the whole recording (one vector each: a few MB for 90 minutes)
are clustered with scikit-learn's agglomerative clustering (cosine distance, average
linkage), on pieces of at least ``MIN_CLUSTERED`` seconds and at most ``MAX_CLUSTERED`` of
them (evenly spaced); the other pieces join the nearest centroid. The number of speakers
is ``--speakers N`` when given; otherwise the k from 2 to ``MAX_SPEAKERS`` whose clustering
has the best silhouette score, or one speaker when no k reaches ``MIN_SILHOUETTE``
(:func:`choose_speakers`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from sessionsketch.audio.decode import RATE

FRAME = 0.03  # seconds per VAD frame
JOIN = 0.3  # voiced stretches closer than this are one phrase
MIN_PIECE = 0.2  # shorter voiced stretches are ignored (clicks, breaths)
MAX_PIECE = 3.0
WINDOW = 1.6  # seconds per encoder window (Resemblyzer's partial utterance)
STEP = 0.4
WIN = 1.5  # seconds per sliding window of the timeline (diarise) …
HOP = 0.75  # … and between windows: a change of speaker is placed to within about this
MIN_CLUSTERED = 1.0
MAX_CLUSTERED = 1500
MAX_SPEAKERS = 8
PRIOR_MARGIN = 0.02  # silhouette scores this close to the best are a tie the programme's count breaks
MIN_SILHOUETTE = 0.3  # real voices (bench/audio_calibrate.py): LibriSpeech conversations are counted right
# from 0.18 to 0.48; one espeak-ng voice reaches 0.28, so the cut stays above that (docs/audio.md)
EMBEDDERS = ("resemblyzer", "mfcc")


# --------------------------------------------------------------------------- voice activity


SPEECH_ON = 0.35  # Silero's speech probability that starts speech (white noise: at most 0.2, measured) …
SPEECH_OFF = 0.2  # … and below which it ends (hysteresis, as faster-whisper's VAD filter does)
MIN_SPEECH = 0.25  # seconds: a shorter burst is not speech (a click, a cough, a door)
HANGOVER = 0.1  # seconds kept voiced either side of speech, so word edges are not clipped


@cache
def _silero():  # -> faster_whisper.vad.SileroVADModel
    """Silero VAD v6, the ONNX model inside faster-whisper's wheel (its ``vad_filter``); no download."""
    from faster_whisper.vad import get_vad_model

    return get_vad_model()


def speech_probabilities(samples: np.ndarray) -> np.ndarray:
    """Silero's probability of speech for every 512 samples (32 ms) of 16 kHz audio."""
    window = 512
    if len(samples) == 0:
        return np.zeros(0, dtype=np.float32)
    padded = np.pad(samples.astype(np.float32), (0, (-len(samples)) % window))
    return np.asarray(_silero()(padded), dtype=np.float32).reshape(-1)


def voiced_frames(samples: np.ndarray, probs: np.ndarray | None = None) -> np.ndarray:
    """One bool per 30 ms frame: the frame holds speech.

    Silero VAD (a neural detector trained on speech against noise, music and silence),
    not WebRTC's VAD, which (aggressiveness 2, measured) called all of 8 s of white noise
    and of mains hum speech, and 7.9 s of an AMI clip with 0.7 s of speech in it — from
    which Whisper wrote a sentence repeated for 30 s. Silero marked none of the three.
    ``probs``: Silero's probabilities when already computed (the bench sweeps thresholds).
    """
    frame = int(RATE * FRAME)
    n = len(samples) // frame
    if n == 0:
        return np.zeros(0, dtype=bool)
    if probs is None:
        probs = speech_probabilities(samples)
    on = np.zeros(len(probs), dtype=bool)
    state = False
    for i, p in enumerate(probs):
        state = p >= SPEECH_ON or (state and p >= SPEECH_OFF)
        on[i] = state
    # runs shorter than MIN_SPEECH are dropped, the rest widened by HANGOVER
    step = 512 / RATE
    edges = np.flatnonzero(np.diff(np.concatenate([[0], on.astype(np.int8), [0]])))
    keep = np.zeros(len(on), dtype=bool)
    pad = round(HANGOVER / step)
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if (b - a) * step >= MIN_SPEECH:
            keep[max(0, a - pad) : b + pad] = True
    centres = ((np.arange(n) + 0.5) * FRAME / step).astype(int)
    return keep[np.minimum(centres, len(keep) - 1)]


def pieces_of(voiced: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) sample indices of the phrases in a block, cut to at most MAX_PIECE seconds."""
    frame = int(RATE * FRAME)
    out: list[tuple[int, int]] = []
    for a, b in regions_of(voiced):
        parts = int(np.ceil((b - a) * FRAME / MAX_PIECE))
        edges = np.linspace(a, b, parts + 1).astype(int)
        out.extend((int(edges[k]) * frame, int(edges[k + 1]) * frame) for k in range(parts))
    return out


# --------------------------------------------------------------------------- embedders


@cache
def _encoder():  # -> resemblyzer.VoiceEncoder
    import contextlib
    import io
    import warnings

    import torch

    # one thread: on a shared machine two OpenMP threads spin against each other (8x slower, measured)
    torch.set_num_threads(1)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        from resemblyzer import VoiceEncoder

        return VoiceEncoder("cpu", verbose=False)


@cache
def _mel_filters(n_fft: int = 400, n_mels: int = 40) -> np.ndarray:
    """Slaney-style mel filters, normalised by band width: librosa.filters.mel's defaults."""

    def hz_to_mel(f: np.ndarray) -> np.ndarray:
        f = np.asarray(f, dtype=np.float64)
        mels = f / (200.0 / 3)
        log_t = f >= 1000.0
        mels[log_t] = 15.0 + np.log(f[log_t] / 1000.0) / (np.log(6.4) / 27.0)
        return mels

    def mel_to_hz(m: np.ndarray) -> np.ndarray:
        freqs = (200.0 / 3) * m
        log_t = m >= 15.0
        freqs[log_t] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (m[log_t] - 15.0))
        return freqs

    fft_freqs = np.linspace(0, RATE / 2, n_fft // 2 + 1)
    mel_f = mel_to_hz(
        np.linspace(hz_to_mel(np.array([0.0]))[0], hz_to_mel(np.array([RATE / 2]))[0], n_mels + 2)
    )
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels]))[:, None]
    return weights.astype(np.float32)


def mel_spectrogram(samples: np.ndarray) -> np.ndarray:
    """Mel power spectrogram, 25 ms Hann windows every 10 ms, centred: (frames, 40)."""
    n_fft, hop = 400, 160
    padded = np.pad(samples.astype(np.float32), n_fft // 2)
    n = 1 + (len(padded) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(n)[:, None]
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)).astype(np.float32)  # periodic Hann
    power = np.abs(np.fft.rfft(padded[idx] * window, axis=1)) ** 2
    return (power @ _mel_filters(n_fft).T).astype(np.float32)


def _loudness(samples: np.ndarray, target_dbfs: float = -30.0) -> np.ndarray:
    """Raised (never lowered) to ``target_dbfs``, as Resemblyzer's preprocess_wav does."""
    rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) + 1e-9
    gain = 10 ** ((target_dbfs - 20 * np.log10(rms)) / 20)
    return samples * gain if gain > 1.0 else samples


def _embed_resemblyzer(pieces: list[np.ndarray]) -> np.ndarray:
    import torch

    width, step = int(WINDOW * 100), int(STEP * 100)
    windows: list[np.ndarray] = []
    owner: list[int] = []
    for k, piece in enumerate(pieces):
        mel = mel_spectrogram(_loudness(piece))
        if len(mel) < width:
            mel = np.pad(mel, ((0, width - len(mel)), (0, 0)))
        starts = list(range(0, len(mel) - width + 1, step))
        if starts[-1] != len(mel) - width:
            starts.append(len(mel) - width)
        for s in starts:
            windows.append(mel[s : s + width])
            owner.append(k)
    encoder = _encoder()
    out = []
    with torch.no_grad():
        for i in range(0, len(windows), 64):
            out.append(encoder(torch.from_numpy(np.stack(windows[i : i + 64]))).numpy())
    partials = np.concatenate(out)
    owners = np.asarray(owner)
    vectors = np.stack([partials[owners == k].mean(axis=0) for k in range(len(pieces))])
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _embed_mfcc(pieces: list[np.ndarray]) -> np.ndarray:
    from scipy.fft import dct

    rows = []
    for piece in pieces:
        mfcc = dct(np.log(mel_spectrogram(piece) + 1e-10), type=2, axis=1, norm="ortho")[:, 1:21]
        rows.append(np.concatenate([mfcc.mean(axis=0), mfcc.std(axis=0)]))
    return np.asarray(rows, dtype=np.float32)


def embed(pieces: list[np.ndarray], embedder: str) -> np.ndarray:
    """One vector per piece of audio."""
    if not pieces:
        return np.zeros((0, 1), dtype=np.float32)
    return _embed_mfcc(pieces) if embedder == "mfcc" else _embed_resemblyzer(pieces)


# --------------------------------------------------------------------------- collecting


@dataclass
class Voices:
    """One embedding per voiced piece of a whole recording, gathered block by block."""

    embedder: str = "resemblyzer"
    spans: list[tuple[float, float]] = field(default_factory=list)  # seconds: the pieces …
    vectors: list[np.ndarray] = field(default_factory=list)  # … and their embeddings (the count)
    regions: list[tuple[float, float]] = field(default_factory=list)  # seconds: voiced regions
    windows: list[tuple[float, float]] = field(default_factory=list)  # sliding windows over them …
    window_vectors: list[np.ndarray] = field(default_factory=list)  # … and theirs (the timeline)
    voiced_seconds: float = 0.0

    def add_block(self, samples: np.ndarray, offset: float, voiced: np.ndarray | None = None) -> None:
        if voiced is None:
            voiced = voiced_frames(samples)
        self.voiced_seconds += float(voiced.sum()) * FRAME
        found = pieces_of(voiced)
        if not found:
            return
        self.vectors.extend(embed([samples[a:b] for a, b in found], self.embedder))
        self.spans.extend((offset + a / RATE, offset + b / RATE) for a, b in found)
        frame = int(RATE * FRAME)
        regions = regions_of(voiced)
        windows = [w for a, b in regions for w in windows_of(a, b)]
        self.window_vectors.extend(
            embed_windows([samples[a * frame : b * frame] for a, b in windows], self.embedder)
        )
        self.regions.extend((offset + a * FRAME, offset + b * FRAME) for a, b in regions)
        self.windows.extend((offset + a * FRAME, offset + b * FRAME) for a, b in windows)

    def matrix(self) -> np.ndarray:
        return np.asarray(self.vectors, dtype=np.float32)


# --------------------------------------------------------------------------- clustering


def _normalise(x: np.ndarray, embedder: str) -> np.ndarray:
    if embedder == "mfcc" and len(x) > 1:
        x = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-6)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)


def _cluster(x: np.ndarray, k: int) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    return AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average").fit_predict(x)


@dataclass
class SpeakerChoice:
    """How many speakers, and why (recorded in the transcript JSON)."""

    count: int
    how: str
    scores: dict[int, float] = field(default_factory=dict)  # k → silhouette


def choose_speakers(
    x: np.ndarray, speakers: int | None, most: int | None = None
) -> tuple[np.ndarray, SpeakerChoice]:
    """Labels 0..k-1 for the (normalised) rows of ``x`` and how k was chosen; ``most``
    (the programme's number of participants) bounds k, and among scores within
    ``PRIOR_MARGIN`` of the best the k nearest ``most`` is taken."""
    from sklearn.metrics import silhouette_score

    n = len(x)
    if n == 0:
        return np.zeros(0, dtype=int), SpeakerChoice(0, "no speech")
    if speakers is not None:
        k = max(1, min(speakers, n))
        labels = _cluster(x, k) if k > 1 else np.zeros(n, dtype=int)
        return labels, SpeakerChoice(k, "given (--speakers)")
    if n < 4:
        return np.zeros(n, dtype=int), SpeakerChoice(1, "one voice: too little speech to tell voices apart")
    top = min(MAX_SPEAKERS, n - 1, most if most else MAX_SPEAKERS)
    if top < 2:
        return np.zeros(n, dtype=int), SpeakerChoice(1, "one voice: the programme lists one person")
    scores: dict[int, float] = {}
    tried: dict[int, tuple[float, np.ndarray]] = {}
    for k in range(2, top + 1):
        labels = _cluster(x, k)
        score = float(silhouette_score(x, labels, metric="cosine"))
        scores[k] = round(score, 3)
        tried[k] = (score, labels)
    best_k = max(tried, key=lambda k: tried[k][0])
    best = tried[best_k][0]
    bound = f" (at most {most}, the programme's participants)" if most else ""
    if best < MIN_SILHOUETTE:
        how = f"one voice: no k from 2 to {top}{bound} reached silhouette {MIN_SILHOUETTE}"
        return np.zeros(n, dtype=int), SpeakerChoice(1, how, scores)
    k = best_k
    if most:
        near = [c for c in tried if tried[c][0] >= best - PRIOR_MARGIN]
        k = min(near, key=lambda c: (abs(c - most), -tried[c][0]))
    how = f"the best silhouette score ({best:.2f}) of k = 2..{top}{bound}"
    if k != best_k:
        how += f"; k = {k} ({tried[k][0]:.2f}) is within {PRIOR_MARGIN} and nearer the programme's {most}"
    return tried[k][1], SpeakerChoice(k, how, scores)


def cluster_voices(
    voices: Voices, speakers: int | None = None, most: int | None = None
) -> tuple[np.ndarray, SpeakerChoice]:
    """A speaker number for every piece of ``voices`` (0..k-1, numbered by first appearance);
    ``most``: the programme's number of participants (:func:`choose_speakers`)."""
    if not voices.vectors:
        return np.zeros(0, dtype=int), SpeakerChoice(0, "no speech")
    x = _normalise(voices.matrix(), voices.embedder)
    lengths = np.array([b - a for a, b in voices.spans])
    picked = np.nonzero(lengths >= MIN_CLUSTERED)[0]
    if len(picked) < max(4, (speakers or 1) * 2):
        picked = np.arange(len(x))
    if len(picked) > MAX_CLUSTERED:
        picked = picked[np.linspace(0, len(picked) - 1, MAX_CLUSTERED).astype(int)]
    sub_labels, choice = choose_speakers(x[picked], speakers, most)
    centroids = np.stack([x[picked][sub_labels == c].mean(axis=0) for c in range(choice.count)])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
    labels = np.argmax(x @ centroids.T, axis=1)
    labels[picked] = sub_labels
    # number the voices in the order they first speak: SPEAKER_00 is the first voice heard
    order: dict[int, int] = {}
    for label in labels:
        order.setdefault(int(label), len(order))
    choice.count = len(order)
    return np.array([order[int(v)] for v in labels], dtype=int), choice


def label_words(words: list, spans: list[tuple[float, float]], labels: np.ndarray) -> None:
    """Give every word (``.start``, ``.end``, ``.speaker``) the speaker of the piece it was
    said in: the piece holding the word's middle, else the nearest piece in time."""
    if not words:
        return
    if len(labels) == 0:
        for w in words:
            w.speaker = "SPEAKER_00"
        return
    starts = np.array([a for a, _ in spans])
    ends = np.array([b for _, b in spans])
    for w in words:
        mid = (w.start + w.end) / 2
        distance = np.maximum(starts - mid, 0) + np.maximum(mid - ends, 0)
        w.speaker = f"SPEAKER_{int(labels[int(np.argmin(distance))]):02d}"


# --------------------------------------------------------------------------- the timeline: sliding windows


def regions_of(voiced: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) frame indices of a block's voiced regions: stretches closer than ``JOIN``
    joined, those shorter than ``MIN_PIECE`` dropped (the phrases :func:`pieces_of` cuts up)."""
    runs: list[list[int]] = []
    for i in np.nonzero(voiced)[0]:
        if runs and i - runs[-1][1] <= JOIN / FRAME:
            runs[-1][1] = int(i) + 1
        else:
            runs.append([int(i), int(i) + 1])
    return [(a, b) for a, b in runs if (b - a) * FRAME >= MIN_PIECE]


def windows_of(a: int, b: int, win: float = WIN, hop: float = HOP) -> list[tuple[int, int]]:
    """Frame spans of the sliding windows over the region [a, b): one window when the region
    is no longer than ``win``, else windows ``hop`` apart, the last one ending at the region's end."""
    w = max(1, round(win / FRAME))
    h = max(1, round(hop / FRAME))
    if b - a <= w:
        return [(a, b)]
    starts = list(range(a, b - w, h))
    if starts[-1] != b - w:
        starts.append(b - w)
    return [(s, s + w) for s in starts]


def _embed_windows_resemblyzer(pieces: list[np.ndarray]) -> np.ndarray:
    """One encoder pass per window, on the window's own length (no zero padding: the LSTM's
    last state would be read after the padding)."""
    import torch

    mels = [mel_spectrogram(_loudness(p))[: max(1, len(p) * 100 // RATE)] for p in pieces]
    by_length: dict[int, list[int]] = {}
    for i, m in enumerate(mels):
        by_length.setdefault(len(m), []).append(i)
    encoder = _encoder()
    out = np.zeros((len(pieces), 256), dtype=np.float32)
    with torch.no_grad():
        for rows in by_length.values():
            for j in range(0, len(rows), 64):
                part = rows[j : j + 64]
                out[part] = encoder(torch.from_numpy(np.stack([mels[i] for i in part]))).numpy()
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def embed_windows(pieces: list[np.ndarray], embedder: str) -> np.ndarray:
    """One vector per sliding window."""
    if not pieces:
        return np.zeros((0, 1), dtype=np.float32)
    return _embed_mfcc(pieces) if embedder == "mfcc" else _embed_windows_resemblyzer(pieces)


def centroids_of(x: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Unit-length mean of each label's rows (a zero row for a label with none)."""
    cents = np.zeros((k, x.shape[1]), dtype=np.float64)
    for c in range(k):
        if (labels == c).any():
            cents[c] = x[labels == c].mean(axis=0)
    return cents / np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-9)


def frame_timeline(
    regions: list[tuple[float, float]], windows: list[tuple[float, float]], scores: np.ndarray
) -> list[tuple[float, float, int]]:
    """(start, end, voice) segments of the voiced regions: each 30 ms frame takes the voice whose
    score (a row of ``scores`` per window, a column per voice), averaged over the windows that
    cover the frame, is highest; a frame no window covers takes the nearest window's.
    ``windows`` are in time order (as :class:`Voices` gathers them)."""
    out: list[tuple[float, float, int]] = []
    if not windows:
        return out
    ws = np.array([a for a, _ in windows])
    we = np.array([b for _, b in windows])
    for ra, rb in regions:
        lo = max(0, int(np.searchsorted(we, ra, side="right")) - 1)
        hi = min(len(ws), int(np.searchsorted(ws, rb, side="left")) + 1)
        s, e = ws[lo:hi], we[lo:hi]
        n = max(1, round((rb - ra) / FRAME))
        t = ra + (np.arange(n) + 0.5) * (rb - ra) / n
        cover = (s[None, :] <= t[:, None]) & (e[None, :] > t[:, None])
        bare = ~cover.any(axis=1)
        if bare.any():
            gap = np.maximum(s[None, :] - t[bare, None], 0) + np.maximum(t[bare, None] - e[None, :], 0)
            cover[np.nonzero(bare)[0], np.argmin(gap, axis=1)] = True
        path = np.argmax(cover.astype(np.float64) @ scores[lo:hi], axis=1)  # the sum ranks as the mean
        bounds = np.concatenate([[0], np.flatnonzero(np.diff(path)) + 1, [n]])
        out.extend(
            (ra + i * (rb - ra) / n, ra + j * (rb - ra) / n, int(path[i]))
            for i, j in itertools.pairwise(bounds)
        )
    return out


def diarise(
    voices: Voices, speakers: int | None = None, most: int | None = None
) -> tuple[list[tuple[float, float]], np.ndarray, SpeakerChoice]:
    """Who spoke when: (spans, voice of each span, how the count was chosen).

    The count and a first labelling come from the pieces (:func:`cluster_voices`: one embedding
    per piece of up to 3 s, steadier than a 1.5 s window's for counting). Each sliding window
    then takes the voice of the piece it lies in, the voices' centroids are taken in window
    space, and every voiced frame goes to the voice its covering windows are nearest
    (:func:`frame_timeline`) — so a change of speaker inside a piece, or a short turn, is seen
    at the windows' resolution instead of the piece's. Voices are numbered by first appearance.
    """
    piece_labels, choice = cluster_voices(voices, speakers, most)
    if not voices.window_vectors or choice.count == 0:
        return list(voices.spans), piece_labels, choice
    x = _normalise(np.asarray(voices.window_vectors, dtype=np.float32), voices.embedder)
    starts = np.array([a for a, _ in voices.spans])
    ends = np.array([b for _, b in voices.spans])
    labels = np.empty(len(x), dtype=int)
    for i, (a, b) in enumerate(voices.windows):
        mid = (a + b) / 2
        labels[i] = piece_labels[int(np.argmin(np.maximum(starts - mid, 0) + np.maximum(mid - ends, 0)))]
    k = int(piece_labels.max()) + 1
    timeline = frame_timeline(voices.regions, voices.windows, x @ centroids_of(x, labels, k).T)
    order: dict[int, int] = {}
    for _, _, v in timeline:
        order.setdefault(v, len(order))
    choice.count = len(order)
    return [(a, b) for a, b, _ in timeline], np.array([order[v] for _, _, v in timeline], dtype=int), choice
