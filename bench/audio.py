"""``sessionsketch transcribe`` on panels synthesised here, or on real recordings: speed, words, voices, names, memory.

    python bench/audio.py [--model PATH ...] [--repeat 6] [--json OUT]
    python bench/audio.py --real DIR [--real DIR ...] [--long] [--json OUT]

``--real DIR``: every recording in DIR (ogg, wav, flac, mp3, m4a) with a reference RTTM
beside it (``NAME.rttm``), and for the word error rate an STM (``NAME.stm``) or a plain
text (``NAME.txt``) transcript when there is one, is transcribed twice, without and with
``--speakers`` (the RTTM's number of speakers), each in its own process. Per run it prints
the duration, real-time factor (wall time, model loading included, over the duration),
peak resident memory, WER (jiwer, lower case, punctuation removed), DER (pyannote.metrics)
with no collar and with a collar of 0.25 s either side of each reference boundary
(``collar=0.5`` in pyannote.metrics, which counts the whole width; NIST md-eval's
``-c 0.25``), overlapped speech scored, and voices found/true. The hypothesis for DER is
the voice timeline (each voiced piece and its voice), not only the words. ``--long`` adds
one recording of about ten minutes made by joining the others (the real-time-factor bar).
The data in ``bench/data/audio`` and where it comes from: its MANIFEST.md.

Needs espeak-ng and the ``[audio]`` extra. The panels are fictional (``audio/synth.py``):
the three-voice Eastmere panel, read once and ``--repeat`` times over (a longer recording:
does memory stay flat?), and a two-voice exchange. Every configuration runs in its own
process, so the peak resident memory (``ru_maxrss``) is that configuration's alone.

Columns: ``rtf`` — transcription seconds per second of audio (model loading included;
< 1 is faster than real time); ``wer`` — word error rate against the text read;
``spk err`` — share of the recognised words' time given to the wrong speaker, after the
best one-to-one mapping of voices to people (a diarisation error rate over the words
recognised); ``turns`` — true speaker changes with a segment boundary within 0.5 s;
``voices`` — voices found / people speaking; ``named`` — voices named right / people,
with wrong names counted apart; ``MB`` — peak resident memory.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _two_voice():
    from sessionsketch.audio import synth

    voices = (synth.Voice("Ines Okafor", "en-us+f4", 160, 60), synth.Voice("Tom Reyes", "en+klatt", 175, 35))
    lines = (
        synth.Line(
            "Ines Okafor",
            "My name is Ines Okafor and I chair the Eastmere ferry board. Tom Reyes, the floor is yours.",
        ),
        synth.Line(
            "Tom Reyes",
            "Thank you, chair. The ferry carried forty thousand passengers last year, a record for the route.",
        ),
        synth.Line("Ines Okafor", "Will the new timetable keep the early crossing on weekdays?"),
        synth.Line("Tom Reyes", "It will. We are adding a late crossing on Fridays as well."),
    )
    programme = (
        "conference:\n  name: Coastal Towns Forum\nsession:\n  title: The Eastmere ferry\n"
        "  moderator:\n    name: Ines Okafor\n  speakers:\n    - name: Tom Reyes\n"
    )
    return voices, lines, programme


def make_panels(folder: Path, repeat: int) -> list[dict]:
    from sessionsketch.audio import synth

    panels = []
    for name, voices, lines, programme, times in (
        ("eastmere", synth.EASTMERE_VOICES, synth.EASTMERE_LINES, synth.EASTMERE_PROGRAMME, 1),
        (
            f"eastmere x{repeat}",
            synth.EASTMERE_VOICES,
            synth.EASTMERE_LINES,
            synth.EASTMERE_PROGRAMME,
            repeat,
        ),
        ("ferry", *_two_voice(), 1),
    ):
        wav = folder / f"{name.replace(' ', '_')}.wav"
        truth = synth.synthesise(wav, lines, voices, repeat=times)
        prog = folder / f"{name.replace(' ', '_')}.yaml"
        prog.write_text(programme, encoding="utf-8")
        panels.append(
            {
                "panel": name,
                "wav": str(wav),
                "programme": str(prog),
                "truth": [t.__dict__ for t in truth],
                "people": sorted({t.speaker for t in truth}),
            }
        )
    return panels


def score(doc: dict, truth: list[dict]) -> dict:
    """WER, speaker error over the recognised words, turn boundaries, voices and names."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from sessionsketch.audio import synth

    reference = " ".join(t["text"] for t in truth)
    said = " ".join(s["text"] for s in doc["segments"])
    people = sorted({t["speaker"] for t in truth})
    labels = sorted({s["label"] for s in doc["segments"]})
    overlap = np.zeros((len(labels), len(people)))
    total = 0.0
    for seg in doc["segments"]:
        for w in seg["words"]:
            mid = (w["start"] + w["end"]) / 2
            turn = min(truth, key=lambda t: max(t["start"] - mid, 0, mid - t["end"]))
            length = max(w["end"] - w["start"], 0.01)
            overlap[labels.index(seg["label"]), people.index(turn["speaker"])] += length
            total += length
    rows, cols = linear_sum_assignment(-overlap) if labels else ([], [])
    matched = float(overlap[rows, cols].sum()) if labels else 0.0
    ends = [s["end"] for s in doc["segments"]]
    changes = [(a, b) for a, b in itertools.pairwise(truth) if a["speaker"] != b["speaker"]]
    found = sum(any(a["end"] - 0.5 <= e <= b["start"] + 0.5 for e in ends) for a, b in changes)
    # a voice is named right when its name is the person it mostly is
    mapping = {labels[r]: people[c] for r, c in zip(rows, cols, strict=True)}
    right = wrong = 0
    for label, how in doc["speakers"].items():
        if how["name"] is None:
            continue
        if mapping.get(label) == how["name"]:
            right += 1
        else:
            wrong += 1
    return {
        "wer": round(synth.word_error_rate(reference, said), 3),
        "speaker_error": round(max(0.0, 1 - matched / total), 3) if total else None,
        "turns_found": f"{found}/{len(changes)}",
        "voices": f"{len(labels)}/{len(people)}",
        "named": f"{right}/{len(people)}" + (f" ({wrong} wrong)" if wrong else ""),
    }


def run_one(args: dict) -> dict:
    """One configuration, in this process (the parent runs it as a child for ru_maxrss)."""
    from sessionsketch import audio
    from sessionsketch.readers.programme import load_programme

    options = audio.TranscribeOptions(
        model=args["model"], embedder=args["embedder"], beam_size=args["beam"], threads=args["threads"]
    )
    started = time.perf_counter()
    doc = audio.transcribe(args["wav"], load_programme(args["programme"]), options)
    seconds = time.perf_counter() - started
    duration = doc["transcription"]["duration"]
    return {
        "seconds": round(seconds, 1),
        "audio_seconds": duration,
        "rtf": round(seconds / duration, 3),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "speaker_count": doc["transcription"]["speaker_count"],
        **score(doc, args["truth"]),
    }


# --------------------------------------------------------------------------- real recordings

REAL_EXTS = (".ogg", ".opus", ".wav", ".flac", ".mp3", ".m4a")


def real_recordings(folders: list[Path]) -> list[Path]:
    return sorted(
        p
        for d in folders
        for p in d.iterdir()
        if p.suffix.lower() in REAL_EXTS and p.with_suffix(".rttm").exists()
    )


def read_rttm(path: Path) -> list[tuple[float, float, str]]:
    turns = []
    for line in path.read_text(encoding="utf-8").splitlines():
        f = line.split()
        if len(f) >= 8 and f[0] == "SPEAKER":
            turns.append((float(f[3]), float(f[3]) + float(f[4]), f[7]))
    return turns


def reference_text(path: Path) -> str | None:
    stm, txt = path.with_suffix(".stm"), path.with_suffix(".txt")
    if stm.exists():
        rows = [line.split(maxsplit=5) for line in stm.read_text(encoding="utf-8").splitlines()]
        rows = sorted((float(r[3]), r[5]) for r in rows if len(r) == 6)
        return " ".join(text for _, text in rows)
    if txt.exists():
        return txt.read_text(encoding="utf-8")
    return None


def wer(reference: str, hypothesis: str) -> float:
    import re

    import jiwer

    def norm(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9']+", text.lower().replace("-", " ")))

    ref, hyp = norm(reference), norm(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return float(jiwer.wer(ref, hyp)) if hyp else 1.0


def der(reference: list[tuple[float, float, str]], timeline: list[tuple[float, float, str]], extent: float):
    """DER with no collar and with ±0.25 s collars (pyannote.metrics' collar is the whole width)."""
    from pyannote.core import Annotation, Segment, Timeline
    from pyannote.metrics.diarization import DiarizationErrorRate

    ref, hyp = Annotation(), Annotation()
    for i, (a, b, who) in enumerate(reference):
        ref[Segment(a, b), i] = who
    for i, (a, b, who) in enumerate(timeline):
        hyp[Segment(a, b), i] = who
    uem = Timeline([Segment(0, max(extent, max((b for _, b, _ in reference), default=0.0)))])
    out = {}
    for name, collar in (("der", 0.0), ("der_collar", 0.5)):
        out[name] = round(float(DiarizationErrorRate(collar=collar)(ref, hyp, uem=uem)), 3)
    return out


def run_real(args: dict) -> dict:
    """One real recording, in this process: transcribed, then scored against its references."""
    from sessionsketch import audio
    from sessionsketch.audio import voices

    kept: dict = {}
    label_words = voices.label_words

    def keep(words, spans, labels):
        kept["timeline"] = [(a, b, f"V{int(v)}") for (a, b), v in zip(spans, labels, strict=True)]
        return label_words(words, spans, labels)

    voices.label_words = keep
    options = audio.TranscribeOptions(speakers=args["speakers"])
    started = time.perf_counter()
    doc = audio.transcribe(args["path"], None, options)
    seconds = time.perf_counter() - started
    duration = doc["transcription"]["duration"]
    reference = read_rttm(Path(args["path"]).with_suffix(".rttm"))
    text = reference_text(Path(args["path"]))
    said = " ".join(s["text"] for s in doc["segments"])
    return {
        "duration": duration,
        "seconds": round(seconds, 1),
        "rtf": round(seconds / duration, 3) if duration else None,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "wer": round(wer(text, said), 3) if text is not None else None,
        **der(reference, kept.get("timeline", []), duration),
        "found": doc["transcription"]["speaker_count"]["count"],
        "true": len({who for _, _, who in reference}),
        "how": doc["transcription"]["speaker_count"]["how"],
    }


def long_recording(paths: list[Path], folder: Path) -> Path:
    """About ten minutes: the recordings joined end to end (a second apart) into one WAV, with
    its RTTM (speakers kept apart per file, except LibriSpeech readers, who are the same people)."""
    import wave

    import numpy as np

    from sessionsketch.audio import decode

    out = folder / "joined.wav"
    rows, pieces, offset = [], [], 0.0
    for p in paths:
        samples = np.concatenate(list(decode.stream_samples(p)))
        for a, b, who in read_rttm(p.with_suffix(".rttm")):
            name = who if p.parent.name == "libri" else f"{p.stem}-{who}"
            rows.append(f"SPEAKER joined 1 {offset + a:.3f} {b - a:.3f} <NA> <NA> {name} <NA> <NA>")
        pieces += [samples, np.zeros(decode.RATE, dtype=np.float32)]
        offset += len(samples) / decode.RATE + 1.0
        if offset >= 600:
            break
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(decode.RATE)
        w.writeframes((np.clip(np.concatenate(pieces), -1, 1) * 32767).astype("<i2").tobytes())
    out.with_suffix(".rttm").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return out


def main_real(args) -> int:
    paths = real_recordings(args.real)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.long:
            paths.append(long_recording(paths, Path(tmp)))
        print(
            f"{'file':<22} {'dur s':>6} {'spk':>5} {'rtf':>5} {'MB':>5} {'WER':>6} {'DER':>6} {'DER.25':>6} voices"
        )
        for path in paths:
            true = len({who for _, _, who in read_rttm(path.with_suffix(".rttm"))})
            for speakers in (None, true):
                spec = Path(tmp) / "spec.json"
                spec.write_text(json.dumps({"path": str(path), "speakers": speakers}))
                out = subprocess.run(
                    [sys.executable, __file__, "--real-child", str(spec)],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if out.returncode != 0:
                    print(out.stderr[-2000:], file=sys.stderr)
                    return 1
                row = {
                    "file": f"{path.parent.name}/{path.name}"
                    if path.parent.name != Path(tmp).name
                    else path.name,
                    "speakers_given": speakers,
                    **json.loads(out.stdout.strip().splitlines()[-1]),
                }
                results.append(row)
                wer_text = f"{row['wer']:.3f}" if row["wer"] is not None else "-"
                print(
                    f"{row['file'][:22]:<22} {row['duration']:>6.1f} {speakers or 'auto':>5} {row['rtf']:>5.2f} "
                    f"{row['peak_mb']:>5} {wer_text:>6} {row['der']:>6.3f} {row['der_collar']:>6.3f} "
                    f"{row['found']}/{row['true']}",
                    flush=True,
                )
    auto = [r for r in results if r["speakers_given"] is None and r["true"] > 1]
    right = sum(r["found"] == r["true"] for r in auto)
    print(f"right number of voices without --speakers: {right}/{len(auto)} multi-speaker files")
    if args.json:
        args.json.write_text(json.dumps({"runs": results}, indent=1) + "\n", encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--real", type=Path, action="append", help="a folder of recordings with RTTM (repeatable)"
    )
    parser.add_argument("--long", action="store_true", help="with --real: also a ~10-minute joined recording")
    parser.add_argument("--real-child", help=argparse.SUPPRESS)
    parser.add_argument("--model", action="append", help="CTranslate2 Whisper model folder (repeatable)")
    parser.add_argument("--repeat", type=int, default=6, help="times the long panel reads the lines")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(json.loads(Path(args.child).read_text()))))
        return 0
    if args.real_child:
        print(json.dumps(run_real(json.loads(Path(args.real_child).read_text()))))
        return 0
    if args.real:
        return main_real(args)
    from sessionsketch.audio import synth

    if not synth.espeak_available():
        sys.exit("bench/audio.py needs espeak-ng (apt-get install espeak-ng)")
    models = [None, *(args.model or [])]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        panels = make_panels(Path(tmp), args.repeat)
        configs = []
        for panel in panels:
            for model in models:
                for beam in (5, 1):
                    configs.append({**panel, "model": model, "embedder": "resemblyzer", "beam": beam})
            if panel["panel"] != f"eastmere x{args.repeat}":
                configs.append({**panel, "model": None, "embedder": "mfcc", "beam": 5})
        for i, config in enumerate(configs):
            spec = Path(tmp) / f"run{i}.json"
            spec.write_text(json.dumps({**config, "threads": args.threads}))
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(spec)], capture_output=True, text=True, check=False
            )
            if out.returncode != 0:
                print(out.stderr[-2000:], file=sys.stderr)
                return 1
            row = {
                "panel": config["panel"],
                "model": Path(config["model"]).name if config["model"] else "tiny.en",
                "beam": config["beam"],
                "embedder": config["embedder"],
                **json.loads(out.stdout.strip().splitlines()[-1]),
            }
            results.append(row)
            print(
                f"{row['panel']:<14} {row['model']:<10} beam {row['beam']} {row['embedder']:<11} "
                f"audio {row['audio_seconds']:>6.0f} s  rtf {row['rtf']:.2f}  wer {row['wer']:.3f}  "
                f"spk err {row['speaker_error']:.3f}  turns {row['turns_found']:<6} voices {row['voices']:<4} "
                f"named {row['named']:<6} {row['peak_mb']:>5} MB",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps({"runs": results}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
