"""Recordings made here: a fictional panel read aloud by espeak-ng, for tests, benchmarks and demos.

espeak-ng (a Debian package, ``apt-get install espeak-ng``) reads each turn in its speaker's
voice; the turns are joined with pauses into one 16-bit mono WAV, and the truth — who
spoke from when to when, and what — comes back with it, to score a transcription against.
Everything said here is invented, by invented people.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Voice:
    name: str
    espeak: str  # espeak-ng voice ("en-us", "en-gb+f3")
    speed: int  # words per minute
    pitch: int = 50


@dataclass(frozen=True)
class Line:
    speaker: str
    text: str
    pause: float = 1.0  # seconds of silence after the line


@dataclass
class SpokenTurn:
    speaker: str
    start: float
    end: float
    text: str


# The fictional Eastmere panel: three invented people on an invented town's sea wall.
EASTMERE_VOICES = (
    Voice("Marta Quill", "en-us+f4", 160, 60),
    Voice("Dana Holt", "en-gb+f3", 140, 70),
    Voice("Peter Vance", "en+klatt", 175, 35),
)
EASTMERE_LINES = (
    Line(
        "Marta Quill",
        "Good morning and welcome to this panel on the sea wall of Eastmere. I call on Dana Holt.",
    ),
    Line(
        "Dana Holt",
        "Thank you, chair. My name is Dana Holt and I lead the Eastmere harbour trust. "
        "The sea wall was built in nineteen sixty and it needs repair before the winter storms. "
        "We have asked the council for money three times.",
    ),
    Line("Marta Quill", "Thank you, Dana. Peter Vance, the floor is yours."),
    Line(
        "Peter Vance",
        "Thank you. I am Peter Vance, the county engineer. "
        "Our survey found cracks along two hundred metres of the wall. "
        "The repair will take eighteen months and the work should start in the spring.",
    ),
    Line("Marta Quill", "Dana, do you agree with that timetable?", 0.8),
    Line(
        "Dana Holt",
        "Only in part. The fishing fleet cannot wait eighteen months. "
        "We would like the harbour entrance to be repaired first.",
    ),
    Line("Marta Quill", "Thank you both. That ends our session."),
)
EASTMERE_PROGRAMME = """\
# A fictional panel (audio/synth.py): the people, the town and the session are invented.
conference:
  name: Coastal Towns Forum
session:
  title: The sea wall of Eastmere
  moderator:
    name: Marta Quill
    affiliation: Coastal Towns Forum
  speakers:
    - name: Dana Holt
      affiliation: Eastmere Harbour Trust
    - name: Peter Vance
      affiliation: County Engineer's Office
"""


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def _speak(voice: Voice, text: str, folder: Path) -> tuple[np.ndarray, int]:
    wav = folder / "line.wav"
    subprocess.run(
        [
            "espeak-ng",
            "-v",
            voice.espeak,
            "-s",
            str(voice.speed),
            "-p",
            str(voice.pitch),
            "-w",
            str(wav),
            text,
        ],
        check=True,
        capture_output=True,
    )
    with wave.open(str(wav)) as w:
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return samples, rate


def synthesise(
    dest: str | Path,
    lines: tuple[Line, ...] = EASTMERE_LINES,
    voices: tuple[Voice, ...] = EASTMERE_VOICES,
    lead_in: float = 0.5,
    repeat: int = 1,
) -> list[SpokenTurn]:
    """Write the panel read aloud to ``dest`` (WAV) and return who spoke when.

    ``repeat`` reads the lines that many times over (a longer recording for benchmarks).
    """
    by_name = {v.name: v for v in voices}
    pieces: list[np.ndarray] = []
    truth: list[SpokenTurn] = []
    rate = 22050
    with tempfile.TemporaryDirectory() as tmp:
        t = lead_in
        pieces.append(np.zeros(int(lead_in * rate), dtype="<i2"))
        for _ in range(repeat):
            for line in lines:
                samples, rate = _speak(by_name[line.speaker], line.text, Path(tmp))
                samples = _trim(samples)
                pieces.append(samples)
                truth.append(SpokenTurn(line.speaker, t, t + len(samples) / rate, line.text))
                t += len(samples) / rate
                pieces.append(np.zeros(int(line.pause * rate), dtype="<i2"))
                t += int(line.pause * rate) / rate
    with wave.open(str(dest), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.concatenate(pieces).astype("<i2").tobytes())
    return truth


def _trim(samples: np.ndarray, floor: int = 64) -> np.ndarray:
    """espeak-ng's leading and trailing silence cut, so the truth's times are the voice's."""
    loud = np.nonzero(np.abs(samples.astype(np.int32)) > floor)[0]
    return samples[loud[0] : loud[-1] + 1] if len(loud) else samples


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference's length, on lower-case words without punctuation."""
    ref, hyp = normalise_words(reference), normalise_words(hypothesis)
    if not ref:
        return float(bool(hyp))
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1] / len(ref)


_NUMBERS = {
    "1960": "nineteen sixty",
    "200": "two hundred",
    "18": "eighteen",
    "3": "three",
}


def normalise_words(text: str) -> list[str]:
    import re

    out: list[str] = []
    for w in re.findall(r"[\w']+", text.lower().replace("-", " ")):
        out.extend(_NUMBERS.get(w, w).split())
    return out


_CODECS = {
    "mp3": ("libmp3lame", None),
    "m4a": ("aac", None),
    "mp4": ("aac", "mpeg4"),
    "webm": ("libopus", "libvpx"),
    "flac": ("flac", None),
}


def encode(wav: str | Path, dest: str | Path, audio: bool = True, faststart: bool = False) -> None:
    """Re-encode a WAV as ``dest``'s format with PyAV: mp3, m4a (AAC), mp4 (AAC and a
    still MPEG-4 picture), webm (Opus and VP8), flac; ``audio=False`` writes the video alone;
    ``faststart`` puts an mp4/m4a's index (moov) before the media, as streaming servers do."""
    import av

    ext = Path(dest).suffix.lower().lstrip(".")
    audio_codec, video_codec = _CODECS[ext]
    with wave.open(str(wav)) as w:
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    seconds = len(samples) / rate
    options = {"movflags": "faststart"} if faststart else {}
    with av.open(str(dest), "w", options=options) as out:
        astream = vstream = None
        if audio:
            out_rate = 48000 if audio_codec == "libopus" else rate
            astream = out.add_stream(audio_codec, rate=out_rate, layout="mono")
        if video_codec:
            vstream = out.add_stream(video_codec, rate=2)
            vstream.width, vstream.height, vstream.pix_fmt = 64, 64, "yuv420p"
        if vstream is not None:
            still = np.full((64, 64, 3), 40, dtype=np.uint8)
            for i in range(int(seconds * 2) + 1):
                frame = av.VideoFrame.from_ndarray(still, format="rgb24")
                frame.pts = i
                out.mux(vstream.encode(frame))
            out.mux(vstream.encode(None))
        if astream is not None:
            frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = rate
            resampler = av.AudioResampler(format=astream.format.name, layout="mono", rate=astream.rate)
            fifo = av.AudioFifo()
            for piece in resampler.resample(frame) + resampler.resample(None):
                fifo.write(piece)
            size = astream.codec_context.frame_size or 1024
            while fifo.samples >= size:
                out.mux(astream.encode(fifo.read(size)))
            rest = fifo.read()
            if rest is not None:
                out.mux(astream.encode(rest))
            out.mux(astream.encode(None))
