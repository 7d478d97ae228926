"""Style benchmark: how publishable the default engine's drafts read (issue 12).

    python bench/style.py --data ../shared/qmsum/committee/val [--json OUT] [--words N]
        [--workers N] [--no-example]

Drafts every meeting of a QMSum folder, and the bundled example
(``examples/welsh-education-committee``), with the default engine as ``sessionsketch
draft`` does: the example with its programme, a QMSum meeting with the programme
inferred from its speaker labels (``analysis.resolve.infer_programme``, as
``bench/qmsum.py`` does); ``--words N`` is ``draft --words N``. Then, per meeting and
overall:

- ``sent``: body sentences;
- ``style/100``: ``check``'s ``style`` findings per 100 sentences (overall also by rule);
- ``led%``: the share of speaker sentences (sentences attributed to someone) that open
  "Name verb that": a participant's name (full, family or given), at most two adverbs,
  one word, then "that" ("Williams also noted that ...");
- ``mean``/``max``: words per sentence; ``>45%``: the share over 45 words;
- ``gate%``: the share of the sentences the engine wrote that its style gate
  (``checks.style.sentence_problems``) dropped, when the engine reports it
  (``DraftReport.figures["style_dropped"]``): with the gate on, ``style/100`` counts only
  what gets past it, and ``gate%`` what it cost;
- ``gap``: the largest difference between a reported speaker's share of the sketch's
  words and their share of the transcript's words, both counted over the reported
  speakers only (the chair is not reported); the example prints the whole table.

Targets (issue 12): at most 3 style findings per 100 sentences, under 50 % name-led, a
mean of 20-32 words per sentence. Nothing here is timed against a threshold.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from statistics import mean
from typing import Any

from sessionsketch.analysis.resolve import infer_programme, resolve_transcript
from sessionsketch.checks import run_checks
from sessionsketch.checks.style import RULES
from sessionsketch.engines import DraftOptions, draft_with_report
from sessionsketch.model import REPORTED_ROLES, Person, Programme, Sketch, Transcript
from sessionsketch.pipeline import read_transcript
from sessionsketch.readers.programme import load_programme
from sessionsketch.text import word_count

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "welsh-education-committee"
TARGET_PER_100 = 3.0
TARGET_LED = 50.0
TARGET_MEAN = (20.0, 32.0)
LONG = 45
_ADVERB = r"(?:also|further|then|again|too|likewise|later|similarly|first|finally|next|\w+ly)"


def name_led_pattern(people: list[Person]) -> re.Pattern[str]:
    """ "Name verb that" at a sentence's start, for any of ``people``'s names."""
    forms: set[str] = set()
    for p in people:
        forms.add(p.name)
        forms.add(p.family_name)
        if p.given_name:
            forms.add(p.given_name)
            forms.add(f"{p.given_name} {p.family_name}")
    alts = "|".join(re.escape(f) for f in sorted((f for f in forms if f), key=len, reverse=True))
    return re.compile(rf"^[\"“]?(?:{alts})(?:['’]s)?\s+(?:{_ADVERB}\s+){{0,2}}[a-z]+\s+that\b")


def measure(sketch: Sketch, programme: Programme, transcript: Transcript) -> dict[str, Any]:
    """The style figures of one drafted sketch."""
    session = programme.session
    sentences = [(s.text, s.speaker or p.speaker) for p in sketch.paragraphs for s in p.sentences]
    findings = run_checks(sketch, programme=programme, only=["style"])
    by_rule = Counter(f.rule for f in findings)
    led = name_led_pattern(session.participants)
    spoken = [t for t, who in sentences if who]
    lengths = [word_count(t) for t, _ in sentences]
    reported = [p for p in session.participants if p.role in REPORTED_ROLES]
    names = {p.name for p in reported}
    sketch_words = Counter()
    for text, who in sentences:
        if who in names:
            sketch_words[who] += word_count(text)
    said = Counter()
    for turn in transcript.turns:
        if turn.speaker is not None and turn.speaker.name in names:
            said[turn.speaker.name] += word_count(turn.text)
    total_sketch, total_said = sum(sketch_words.values()), sum(said.values())
    balance = []
    for p in reported:
        if not said[p.name] and not sketch_words[p.name]:
            continue
        balance.append(
            {
                "speaker": p.name,
                "role": p.role,
                "sketch": round(100 * sketch_words[p.name] / total_sketch, 1) if total_sketch else 0.0,
                "transcript": round(100 * said[p.name] / total_said, 1) if total_said else 0.0,
            }
        )
    balance.sort(key=lambda r: -r["transcript"])
    gap = max(balance, key=lambda r: abs(r["sketch"] - r["transcript"]), default=None)
    return {
        "sentences": len(sentences),
        "findings": len(findings),
        "by_rule": dict(by_rule),
        "speaker_sentences": len(spoken),
        "name_led": sum(1 for t in spoken if led.match(t)),
        "words": lengths,
        "balance": balance,
        "largest_gap": gap,
    }


def draft_meeting(args: tuple[str, str, int | None]) -> dict[str, Any]:
    """Draft one meeting (``kind`` "qmsum" or "example") and measure it."""
    kind, path, words = args
    logging.getLogger("sessionsketch").setLevel(logging.ERROR)
    if kind == "example":
        programme = load_programme(Path(path) / "programme.yaml")
        transcript = read_transcript(Path(path) / "transcript.json", programme)
        name = Path(path).name
    else:
        transcript = read_transcript(path, fmt="qmsum")
        programme = infer_programme(transcript)
        resolve_transcript(transcript, programme)
        name = Path(path).stem
    sketch, report = draft_with_report(programme, transcript, options=DraftOptions(words=words))
    out = measure(sketch, programme, transcript)
    out["gate_dropped"] = int(report.figures.get("style_dropped", 0))
    out["meeting"] = name
    return out


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall figures over several measured meetings."""
    n = sum(r["sentences"] for r in rows)
    spoken = sum(r["speaker_sentences"] for r in rows)
    lengths = [w for r in rows for w in r["words"]]
    by_rule: Counter[str] = Counter()
    for r in rows:
        by_rule.update(r["by_rule"])
    dropped = sum(r.get("gate_dropped", 0) for r in rows)
    return {
        "meetings": len(rows),
        "sentences": n,
        "gate_dropped": dropped,
        "gate_pct": round(100 * dropped / (n + dropped), 1) if n + dropped else 0.0,
        "per_100": round(100 * sum(r["findings"] for r in rows) / n, 1) if n else 0.0,
        "per_100_by_rule": {k: round(100 * by_rule[k] / n, 1) if n else 0.0 for k in RULES if by_rule[k]},
        "name_led_pct": round(100 * sum(r["name_led"] for r in rows) / spoken, 1) if spoken else 0.0,
        "mean_words": round(mean(lengths), 1) if lengths else 0.0,
        "max_words": max(lengths, default=0),
        "over_45_pct": round(100 * sum(1 for w in lengths if w > LONG) / len(lengths), 1) if lengths else 0.0,
    }


def _row(name: str, s: dict[str, Any], gap: dict[str, Any] | None) -> str:
    gap_text = ""
    if gap:
        gap_text = f"{gap['speaker']} {gap['sketch']:.0f}% vs {gap['transcript']:.0f}%"
    return (
        f"{name:<28} {s['sentences']:>5} {s['per_100']:>9.1f} {s['name_led_pct']:>6.1f} "
        f"{s['mean_words']:>6.1f} {s['max_words']:>5} {s['over_45_pct']:>5.1f} {s['gate_pct']:>5.1f}  {gap_text}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, type=Path, help="folder of QMSum meeting JSON files")
    ap.add_argument("--json", type=Path, help="write the figures as JSON here")
    ap.add_argument("--words", type=int, default=None, help="body length, as draft --words")
    ap.add_argument("--workers", type=int, default=2, help="parallel meetings (default 2)")
    ap.add_argument("--no-example", action="store_true", help="leave out the bundled example")
    args = ap.parse_args(argv)
    files = sorted(args.data.glob("*.json"))
    if not files:
        print(f"{args.data}: no QMSum meeting files", file=sys.stderr)
        return 2
    jobs = [("qmsum", str(f), args.words) for f in files]
    if not args.no_example:
        jobs.append(("example", str(EXAMPLE), args.words))
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        rows = list(pool.map(draft_meeting, jobs))
    qmsum_rows = [r for r in rows if r["meeting"] != EXAMPLE.name]
    example = next((r for r in rows if r["meeting"] == EXAMPLE.name), None)

    print(f"style of drafts: {args.data} ({len(qmsum_rows)} meetings) and the bundled example")
    print(
        f"{'meeting':<28} {'sent':>5} {'style/100':>9} {'led%':>6} {'mean':>6} {'max':>5} {'>45%':>5} {'gate%':>5}  largest gap (sketch vs transcript)"
    )
    for r in rows:
        print(_row(r["meeting"], summary([r]), r["largest_gap"]))
    overall = summary(qmsum_rows)
    print(_row(f"overall ({args.data.name})", overall, None))
    print("style findings per 100 sentences by rule (overall):")
    for rule_id, v in overall["per_100_by_rule"].items():
        print(f"  {rule_id:<28} {v:5.1f}")
    if not overall["per_100_by_rule"]:
        print("  (none)")
    lo, hi = TARGET_MEAN
    print(
        f"targets: style/100 <= {TARGET_PER_100:g} ({'met' if overall['per_100'] <= TARGET_PER_100 else 'not met'}), "
        f"name-led < {TARGET_LED:g}% ({'met' if overall['name_led_pct'] < TARGET_LED else 'not met'}), "
        f"mean {lo:g}-{hi:g} words ({'met' if lo <= overall['mean_words'] <= hi else 'not met'})"
    )
    if example is not None:
        print(f"{EXAMPLE.name}: each reported speaker's share of the words")
        print(f"  {'speaker':<26} {'role':<8} {'sketch%':>7} {'transcript%':>11}")
        for b in example["balance"]:
            print(f"  {b['speaker']:<26} {b['role']:<8} {b['sketch']:7.1f} {b['transcript']:11.1f}")
    print(f"({time.perf_counter() - t0:.1f} s)")
    if args.json:
        out = {
            "data": str(args.data),
            "overall": overall,
            "example": {**summary([example]), "balance": example["balance"]} if example else None,
            "meetings": [
                {
                    "meeting": r["meeting"],
                    **summary([r]),
                    "largest_gap": r["largest_gap"],
                    "balance": r["balance"],
                }
                for r in rows
            ],
        }
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
