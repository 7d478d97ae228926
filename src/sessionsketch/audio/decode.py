"""Recordings in, 16 kHz mono float samples out, streamed in blocks.

PyAV (FFmpeg's libraries inside the wheel) decodes wav, mp3, m4a, mp4, webm and the rest;
no system ffmpeg is needed. A recording is never held whole: :func:`stream_blocks` yields
blocks of at most ``block_seconds`` (cut at the quietest moment near the block's end, so a
word is not split between blocks), and the caller keeps only what it draws from each.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
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
    """The recording's length in seconds as it declares it (0.0 when it does not): a WAV's
    ``data`` chunk header, else the audio stream's or the container's duration."""
    path = Path(path)
    declared = _wav_declared(path)
    container = _open(path)
    try:
        if declared is not None:
            return declared
        stream = container.streams.audio[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        if container.duration is not None:
            return container.duration / 1_000_000
        return 0.0
    finally:
        container.close()


def _wav_declared(path: Path) -> float | None:
    """Seconds a RIFF/WAVE file's header promises (its ``data`` chunk size), or None for
    anything else. FFmpeg measures a WAV by its size on disk, so a file cut short would
    otherwise pass for a whole one."""
    import struct

    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    pos, byte_rate = 12, 0
    while pos + 8 <= len(head):
        tag, size = head[pos : pos + 4], struct.unpack("<I", head[pos + 4 : pos + 8])[0]
        if tag == b"fmt " and pos + 16 <= len(head):
            byte_rate = struct.unpack("<I", head[pos + 16 : pos + 20])[0]
        if tag == b"data":
            # 0 and 0xFFFFFFFF: a streaming writer that never went back to fill the size in
            if byte_rate <= 0 or size in (0, 0xFFFFFFFF):
                return None
            return size / byte_rate
        pos += 8 + size + (size & 1)
    return None


@dataclass
class Damage:
    """What a damaged recording lost: (start, end) seconds of the decoded timeline where
    packets did not decode, and where the rest became unreadable (None: read to the end)."""

    lost: list[tuple[float, float]] = field(default_factory=list)
    stopped_at: float | None = None
    reason: str = ""

    def add(self, start: float, end: float) -> None:
        end = max(end, start)
        if self.lost and start <= self.lost[-1][1] + 0.5:
            self.lost[-1] = (self.lost[-1][0], max(self.lost[-1][1], end))
        else:
            self.lost.append((start, end))

    def __bool__(self) -> bool:
        return bool(self.lost) or self.stopped_at is not None

    def describe(self) -> str:
        """One line: the time ranges lost (at most five shown) and where reading stopped."""
        parts = []
        if self.lost:
            shown = ", ".join(
                f"{_clock(a)}–{_clock(b)}" if b - a >= 0.1 else _clock(a) for a, b in self.lost[:5]
            )
            more = f" and {len(self.lost) - 5} more" if len(self.lost) > 5 else ""
            total = sum(b - a for a, b in self.lost)
            length = f" (about {total:.1f} s)" if total >= 0.1 else ""
            parts.append(f"damaged audio skipped at {shown}{more}{length}")
        if self.stopped_at is not None:
            parts.append(f"nothing readable after {_clock(self.stopped_at)} ({self.reason})")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "lost": [[round(a, 2), round(b, 2)] for a, b in self.lost],
            "stopped_at": None if self.stopped_at is None else round(self.stopped_at, 2),
        }


def _clock(seconds: float) -> str:
    m, s = divmod(seconds, 60)
    return f"{int(m)}:{s:04.1f}"


MAX_GAP_FILLED = 10.0
"""A jump forward in the timestamps up to this long (seconds) is filled with silence, so
times after lost packets stay those of the recording; a longer jump is a broken timestamp."""


def stream_samples(
    path: str | Path, chunk_seconds: float = 10.0, damage: Damage | None = None
) -> Iterator[np.ndarray]:
    """The recording's first audio track as 16 kHz mono float32 chunks of about ``chunk_seconds``.

    Packets that do not decode are skipped (FFmpeg's decoders resynchronise at the next
    good one), and a stream that breaks off ends the audio there; both are recorded in
    ``damage``. A file of which nothing decodes is a one-line user error.
    """
    import av

    path = Path(path)
    container = _open(path)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    damage = damage if damage is not None else Damage()
    pending: list[np.ndarray] = []
    size = 0
    done = 0  # samples produced so far
    want = int(chunk_seconds * RATE)
    first_error: BaseException | None = None

    def take(frames) -> None:
        nonlocal size, done
        for out in frames:
            pcm = out.to_ndarray().reshape(-1)
            pending.append(pcm)
            size += len(pcm)
            done += len(pcm)

    def fill_to(seconds: float) -> None:
        nonlocal size, done
        gap = round(seconds * RATE) - done
        if 0.05 * RATE < gap <= MAX_GAP_FILLED * RATE:
            damage.add(done / RATE, seconds)
            pending.append(np.zeros(gap, dtype=np.int16))
            size += gap
            done += gap

    try:
        stream = container.streams.audio[0]
        origin = None
        packets = container.demux(stream)
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                break
            except (av.FFmpegError, ValueError, OSError) as exc:  # the container breaks off
                first_error = first_error or exc
                damage.stopped_at = done / RATE
                damage.reason = _reason(exc)
                break
            try:
                frames = packet.decode()
            except (av.FFmpegError, ValueError) as exc:  # a bad packet: skip it
                first_error = first_error or exc
                start = done / RATE
                length = (
                    float(packet.duration * packet.time_base) if packet.duration and packet.time_base else 0.0
                )
                damage.add(start, start + length)
                continue
            for frame in frames:
                if frame.time is not None:
                    origin = frame.time if origin is None else origin
                    fill_to(frame.time - origin)
                take(resampler.resample(frame))
            if size >= want:
                yield np.concatenate(pending).astype(np.float32) / 32768.0
                pending, size = [], 0
        with contextlib.suppress(av.FFmpegError, ValueError):
            take(resampler.resample(None))
    finally:
        container.close()
    if done == 0 and first_error is not None:
        raise UserError(f"not a readable recording ({_reason(first_error)})", path)
    if pending:
        yield np.concatenate(pending).astype(np.float32) / 32768.0


def _quietest(samples: np.ndarray, lo: int, hi: int, frame: int = RATE // 50) -> int:
    """The sample index between ``lo`` and ``hi`` at the centre of the quietest 20 ms frame."""
    span = samples[lo:hi]
    n = len(span) // frame
    if n < 2:
        return hi
    energy = (span[: n * frame].reshape(n, frame) ** 2).mean(axis=1)
    return lo + int(np.argmin(energy)) * frame + frame // 2


def stream_blocks(
    path: str | Path, block_seconds: float = 300.0, search_seconds: float = 20.0, damage: Damage | None = None
) -> Iterator[Block]:
    """The recording in blocks of at most ``block_seconds``, each cut at the quietest
    20 ms in its last ``search_seconds``; the rest is carried into the next block. What a
    damaged file lost is recorded in ``damage`` (:func:`stream_samples`)."""
    limit = int(block_seconds * RATE)
    search = int(min(search_seconds, block_seconds / 4) * RATE)
    buffer = np.zeros(0, dtype=np.float32)
    start = 0  # samples already yielded
    for chunk in stream_samples(path, damage=damage):
        buffer = np.concatenate([buffer, chunk])
        while len(buffer) >= limit:
            cut = _quietest(buffer, limit - search, limit)
            yield Block(start / RATE, buffer[:cut].copy())
            start += cut
            buffer = buffer[cut:]
    if len(buffer):
        yield Block(start / RATE, buffer)
