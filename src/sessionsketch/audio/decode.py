"""Recordings in, 16 kHz mono float samples out, streamed in blocks.

PyAV (FFmpeg's libraries inside the wheel) decodes wav, mp3, m4a, mp4, webm and the rest;
no system ffmpeg is needed. A recording is never held whole: :func:`stream_blocks` yields
blocks of at most ``block_seconds`` (cut at the quietest moment near the block's end, so a
word is not split between blocks), and the caller keeps only what it draws from each.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sessionsketch.errors import UserError

RATE = 16_000
"""Samples per second everything downstream works at (what Whisper and the voice encoder take)."""


@dataclass
class Block:
    """A stretch of the recording: its samples and where it starts, in seconds."""

    start: float
    samples: np.ndarray  # float32, mono, RATE

    @property
    def end(self) -> float:
        return self.start + len(self.samples) / RATE


def _open(path: Path):  # -> av.container.InputContainer
    import av

    try:
        container = av.open(str(path))
    except FileNotFoundError:
        raise UserError("no such file", path) from None
    except IsADirectoryError:
        raise UserError("is a folder, not a file", path) from None
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise UserError(f"not a readable recording ({_reason(exc)})", path) from None
    if not container.streams.audio:
        container.close()
        raise UserError("the file has no audio track", path)
    return container


def _reason(exc: BaseException) -> str:
    """FFmpeg's own words for what is wrong ("Invalid data found when processing input")."""
    text = getattr(exc, "strerror", None) or str(exc).split(":")[0]
    return (text or type(exc).__name__).strip()[:80]


def duration(path: str | Path) -> float:
    """The recording's length in seconds as its container declares it (0.0 when it does not)."""
    container = _open(Path(path))
    try:
        stream = container.streams.audio[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        if container.duration is not None:
            return container.duration / 1_000_000
        return 0.0
    finally:
        container.close()


def stream_samples(path: str | Path, chunk_seconds: float = 10.0) -> Iterator[np.ndarray]:
    """The recording's first audio track as 16 kHz mono float32 chunks of about ``chunk_seconds``."""
    import av

    path = Path(path)
    container = _open(path)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    pending: list[np.ndarray] = []
    size = 0
    want = int(chunk_seconds * RATE)
    try:
        stream = container.streams.audio[0]
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    pcm = out.to_ndarray().reshape(-1)
                    pending.append(pcm)
                    size += len(pcm)
                if size >= want:
                    yield (np.concatenate(pending).astype(np.float32) / 32768.0)
                    pending, size = [], 0
            for out in resampler.resample(None):
                pending.append(out.to_ndarray().reshape(-1))
        except (av.FFmpegError, ValueError) as exc:
            raise UserError(f"not a readable recording ({_reason(exc)})", path) from None
        if pending:
            yield (np.concatenate(pending).astype(np.float32) / 32768.0)
    finally:
        container.close()


def _quietest(samples: np.ndarray, lo: int, hi: int, frame: int = RATE // 50) -> int:
    """The sample index between ``lo`` and ``hi`` at the centre of the quietest 20 ms frame."""
    span = samples[lo:hi]
    n = len(span) // frame
    if n < 2:
        return hi
    energy = (span[: n * frame].reshape(n, frame) ** 2).mean(axis=1)
    return lo + int(np.argmin(energy)) * frame + frame // 2


def stream_blocks(
    path: str | Path, block_seconds: float = 300.0, search_seconds: float = 20.0
) -> Iterator[Block]:
    """The recording in blocks of at most ``block_seconds``, each cut at the quietest
    20 ms in its last ``search_seconds``; the rest is carried into the next block."""
    limit = int(block_seconds * RATE)
    search = int(min(search_seconds, block_seconds / 4) * RATE)
    buffer = np.zeros(0, dtype=np.float32)
    start = 0  # samples already yielded
    for chunk in stream_samples(path):
        buffer = np.concatenate([buffer, chunk])
        while len(buffer) >= limit:
            cut = _quietest(buffer, limit - search, limit)
            yield Block(start / RATE, buffer[:cut].copy())
            start += cut
            buffer = buffer[cut:]
    if len(buffer):
        yield Block(start / RATE, buffer)
