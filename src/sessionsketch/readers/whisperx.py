"""Diarised ASR JSON in the WhisperX shape, and whisper output given its speakers.

``{"segments": [{"start": 0.0, "end": 4.2, "text": "...", "speaker": "SPEAKER_00"}]}``
(or the bare list of segments). Labels stay as the diariser wrote them; a speaker
map (``--speaker-map`` or the programme's ``speaker_map``) names them at resolution.

Hugging Face transformers' ASR pipeline (``pipeline("automatic-speech-recognition", …,
return_timestamps="word" or True)``) writes ``{"text": …, "chunks": [{"text": " word",
"timestamp": [start, end]}]}``; its chunks are read as whisper segments (word-level
chunks as word timings), so ``--diarisation`` joins them by time.

Plain whisper / faster-whisper output has no ``speaker`` on any segment. The reader
refuses it with a line that says so and how to add speakers, rather than read it as one
voice; :func:`read_with_speakers` (``--single-speaker NAME``, ``--diarisation FILE.rttm``)
reads it with the speakers given: one name for all of it, or a pyannote RTTM joined to
the words (when the segments carry word timings) or the segments by time overlap.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from sessionsketch.errors import UserError
from sessionsketch.files import check_text_input, load_json, read_bytes
from sessionsketch.model import Transcript
from sessionsketch.readers import detect, transcript_reader
from sessionsketch.readers._cues import UNIDENTIFIED, Cue, head_text, merge_cues
from sessionsketch.readers.rttm import SpeakerTurn, read_rttm

log = logging.getLogger("sessionsketch")

NO_SPEAKERS = (
    "whisper output without speakers: the file has no speaker turns. Give them with "
    "--diarisation FILE.rttm (pyannote's who-spoke-when, joined by time) or --single-speaker NAME "
    "(one voice), or diarise first (WhisperX with --diarize adds a 'speaker' to each segment)"
)

#: a word or segment that overlaps no diarised stretch but falls in a pause of one speaker, this
#: close (seconds) to their stretches on both sides, is theirs: ASR and diarisation timings drift
NEAREST_GAP = 0.5


def _sniff(data: bytes, path: Path) -> float:
    head = head_text(data).lstrip("\ufeff \n")
    if not head.startswith(("{", "[")):
        return 0.0
    if '"segments"' in head and '"start"' in head:
        return 0.9
    if '"chunks"' in head and '"timestamp"' in head:
        return 0.9  # Hugging Face transformers' ASR pipeline with return_timestamps
    if head.startswith("[") and '"start"' in head and '"text"' in head:
        return 0.8
    return 0.0


def _seconds(value: Any, where: str, path: Path) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UserError(f"{where} must be a number of seconds, not {json.dumps(value)[:30]}", path)
    return float(value)


def _segments(data: bytes, path: Path) -> list[dict[str, Any]]:
    """The segments of a whisper / WhisperX JSON, each with a ``text``."""
    doc = load_json(data, path)
    if isinstance(doc, dict) and "segments" not in doc and isinstance(doc.get("chunks"), list):
        return _chunk_segments(doc["chunks"], path)
    segments = doc.get("segments") if isinstance(doc, dict) else doc
    if not isinstance(segments, list):
        raise UserError("not WhisperX JSON: expected 'segments', a list of {start, end, text, speaker}", path)
    for i, seg in enumerate(segments):
        if not isinstance(seg, dict) or not isinstance(seg.get("text"), str):
            raise UserError(f"segments[{i}] needs 'text' (and 'start', 'end', 'speaker')", path)
    return segments


def _chunk_segments(chunks: list[Any], path: Path) -> list[dict[str, Any]]:
    """transformers' ``{"chunks": [{"text": " word", "timestamp": [start, end]}]}`` as whisper
    segments: word-level chunks (``return_timestamps="word"``, one word each) as one segment
    with word timings, so a diarisation can split it at the word; longer chunks
    (``return_timestamps=True``) as one segment each. A missing end (the pipeline writes
    ``null`` for the last chunk when the audio stops mid-word) is the chunk's start."""
    timed: list[dict[str, Any]] = []
    for i, chunk in enumerate(chunks):
        stamp = chunk.get("timestamp") if isinstance(chunk, dict) else None
        if (
            not isinstance(chunk, dict)
            or not isinstance(chunk.get("text"), str)
            or not isinstance(stamp, list)
            or len(stamp) != 2
        ):
            raise UserError(f"chunks[{i}] needs 'text' and 'timestamp' ([start, end] in seconds)", path)
        start = _seconds(stamp[0], f"chunks[{i}].timestamp[0]", path)
        end = _seconds(stamp[1], f"chunks[{i}].timestamp[1]", path)
        timed.append({"text": chunk["text"], "start": start, "end": end if end is not None else start})
    if timed and all(len(c["text"].split()) <= 1 for c in timed):
        words = [{"word": c["text"], "start": c["start"], "end": c["end"]} for c in timed]
        return [
            {
                "text": "".join(c["text"] for c in timed),
                "start": timed[0]["start"],
                "end": timed[-1]["end"],
                "words": words,
            }
        ]
    return timed


def _has_speakers(segments: list[dict[str, Any]]) -> bool:
    return any(seg.get("speaker") is not None for seg in segments)


@transcript_reader(
    "whisperx",
    extensions=("json",),
    sniff=_sniff,
    description="WhisperX diarised JSON (whisper without speakers is explained)",
)
def read_whisperx(data: bytes, path: Path) -> Transcript:
    segments = _segments(data, path)
    if segments and not _has_speakers(segments):
        raise UserError(NO_SPEAKERS, path)
    cues: list[Cue] = []
    for i, seg in enumerate(segments):
        speaker = seg.get("speaker")
        label = str(speaker).strip() if speaker is not None and str(speaker).strip() else UNIDENTIFIED
        cues.append(
            Cue(
                label,
                seg["text"],
                _seconds(seg.get("start"), f"segments[{i}].start", path),
                _seconds(seg.get("end"), f"segments[{i}].end", path),
            )
        )
    return merge_cues(cues, path)


# --------------------------------------------------------------------------- speakers given


def read_with_speakers(
    path: str | Path,
    fmt: str | None = None,
    single_speaker: str | None = None,
    diarisation: str | Path | None = None,
) -> Transcript:
    """Read a whisper JSON with its speakers given: all of it ``single_speaker``'s, or joined
    by time overlap to the RTTM file ``diarisation``. Any other transcript format is refused
    (it has speaker labels of its own)."""
    if single_speaker is not None and diarisation is not None:
        raise UserError("give --single-speaker or --diarisation, not both")
    if single_speaker is not None and not single_speaker.strip():
        raise UserError("--single-speaker needs a name")
    p = Path(path)
    data = read_bytes(p)
    check_text_input(data, p)
    reader = detect(data, p, "transcript", fmt)
    if reader.name != "whisperx":
        flag = "--single-speaker" if single_speaker is not None else "--diarisation"
        raise UserError(
            f"{flag} is for whisper JSON without speakers; this file reads as '{reader.name}', "
            "which names its speakers itself",
            p,
        )
    segments = _segments(data, p)
    if single_speaker is not None:
        if _has_speakers(segments):
            raise UserError("--single-speaker: this file already has speaker labels; leave the flag out", p)
        name = " ".join(single_speaker.split())
        cues = [
            Cue(
                name,
                seg["text"],
                _seconds(seg.get("start"), f"segments[{i}].start", p),
                _seconds(seg.get("end"), f"segments[{i}].end", p),
            )
            for i, seg in enumerate(segments)
        ]
    else:
        assert diarisation is not None
        if _has_speakers(segments):
            log.warning("%s: the file's own speaker labels are replaced by those of %s", p, diarisation)
        cues = join_diarisation(segments, read_rttm(diarisation), p)
    transcript = merge_cues(cues, p)
    transcript.source = str(p)
    transcript.format = reader.name
    return transcript


def _speaker_at(start: float, end: float, turns: list[SpeakerTurn]) -> str | None:
    """The speaker whose stretches overlap [start, end] the most; else, in a pause of one
    speaker (the same voice on both sides, each within :data:`NEAREST_GAP`), that speaker;
    else None: speech between two voices, or past either end, is not guessed."""
    overlap: dict[str, float] = {}
    for t in turns:
        if t.start > end:
            break
        shared = min(end, t.end) - max(start, t.start)
        if shared > 0 or (shared == 0 and start == end and t.start <= start <= t.end):
            overlap[t.speaker] = overlap.get(t.speaker, 0.0) + max(shared, 0.0)
    if overlap:
        return max(overlap.items(), key=lambda kv: kv[1])[0]
    before = max((t for t in turns if t.end <= start), key=lambda t: t.end, default=None)
    after = next((t for t in turns if t.start >= end), None)
    if (
        before is not None
        and after is not None
        and before.speaker == after.speaker
        and start - before.end <= NEAREST_GAP
        and after.start - end <= NEAREST_GAP
    ):
        return before.speaker
    return None


def _timed_words(seg: dict[str, Any], i: int, path: Path) -> list[tuple[str, float | None, float | None]]:
    """A segment's words as (text, start, end), or [] when it has no word timings."""
    words = seg.get("words")
    if not isinstance(words, list) or not words:
        return []
    out = []
    for j, w in enumerate(words):
        if not isinstance(w, dict):
            return []
        text = w.get("word", w.get("text"))
        if not isinstance(text, str):
            return []
        out.append(
            (
                text,
                _seconds(w.get("start"), f"segments[{i}].words[{j}].start", path),
                _seconds(w.get("end"), f"segments[{i}].words[{j}].end", path),
            )
        )
    return out if any(s is not None and e is not None for _, s, e in out) else []


def _join_words(words: list[str]) -> str:
    """whisper writes words with their leading space (" data"), WhisperX without ("data")."""
    if any(w.startswith(" ") for w in words):
        return "".join(words).strip()
    return " ".join(w.strip() for w in words)


def join_diarisation(segments: list[dict[str, Any]], turns: list[SpeakerTurn], path: Path) -> list[Cue]:
    """Cues labelled with the RTTM's speakers: each timed word (or, without word timings,
    each segment) goes to the speaker it overlaps most; a word without times goes with the
    word before it. Speech that overlaps nobody is an unidentified speaker, with a warning."""
    cues: list[Cue] = []
    lost: list[float] = []
    for i, seg in enumerate(segments):
        start = _seconds(seg.get("start"), f"segments[{i}].start", path)
        end = _seconds(seg.get("end"), f"segments[{i}].end", path)
        words = _timed_words(seg, i, path)
        if not words:
            if not seg["text"].strip():
                continue
            speaker = (
                _speaker_at(start, end if end is not None else start, turns) if start is not None else None
            )
            if speaker is None:
                lost.append(start if start is not None else -1.0)
            cues.append(Cue(speaker or UNIDENTIFIED, seg["text"], start, end))
            continue
        speakers: list[str | None] = []
        for _, w_start, w_end in words:
            speaker = None
            if w_start is not None and w_end is not None:
                speaker = _speaker_at(w_start, w_end, turns)
                if speaker is None:
                    lost.append(w_start)
                    speaker = UNIDENTIFIED
            speakers.append(speaker)
        # a word without times goes with the word before it (or, first in the segment, after it)
        following = next((s for s in speakers if s is not None), UNIDENTIFIED)
        for k, speaker in enumerate(speakers):
            speakers[k] = following = speaker if speaker is not None else following
        run: list[str] = []
        run_start: float | None = None
        run_end: float | None = None
        for k, (text, w_start, w_end) in enumerate(words):
            if run and speakers[k] != speakers[k - 1]:
                cues.append(Cue(speakers[k - 1] or UNIDENTIFIED, _join_words(run), run_start, run_end))
                run, run_start = [], None
            run.append(text)
            run_start = run_start if run_start is not None else w_start
            run_end = w_end if w_end is not None else run_end
        if run:
            cues.append(Cue(speakers[-1] or UNIDENTIFIED, _join_words(run), run_start, run_end))
    if lost:
        first = min(t for t in lost if t >= 0) if any(t >= 0 for t in lost) else None
        where = f" (first at {first:.1f} s)" if first is not None else ""
        log.warning(
            "%s: %d stretch(es) of speech overlap no speaker in the diarisation%s; read as '%s'",
            path,
            len(lost),
            where,
            UNIDENTIFIED,
        )
    return cues
