"""``sessionsketch transcribe`` on panels synthesised here: speed, words, voices, names, memory.

    python bench/audio.py [--model PATH ...] [--repeat 6] [--json OUT]

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", help="CTranslate2 Whisper model folder (repeatable)")
    parser.add_argument("--repeat", type=int, default=6, help="times the long panel reads the lines")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(json.loads(Path(args.child).read_text()))))
        return 0
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
