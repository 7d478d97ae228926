"""Speed of ``sessionsketch draft`` on transcripts of about 5k, 10k, 20k and 40k words.

    python bench/speed.py [--data ../shared/qmsum/committee] [--runs 3] [--json OUT]

Each transcript is built from the QMSum committee meetings (turns in order, meeting
after meeting, until the size is reached) and written as QMSum JSON with a programme
inferred from its labels. The whole process is timed (``sessionsketch draft PROGRAMME
TRANSCRIPT -o OUT.json`` as a subprocess, start-up included); the table gives the
median wall time per size and the time per 10k words. Beside it, the same draft in this
process with the parser already loaded (``warm s``: what the workbench, whose parser stays
loaded, takes), and the fixed costs of a process: Python with the CLI imported, spaCy's
import, the model's load. Targets (issue 12, 2-core machine): 20k words under 2.5 s whole
process, under 1 s warm, and 40k no more than 2.2 × the 20k time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

SIZES = (5_000, 10_000, 20_000, 40_000)
ROOT = Path(__file__).resolve().parents[1]


def build_transcript(data: Path, words: int) -> list[dict[str, str]]:
    turns: list[dict[str, str]] = []
    n = 0
    for f in sorted(data.glob("*/*.json")):
        for t in json.loads(f.read_text(encoding="utf-8"))["meeting_transcripts"]:
            turns.append({"speaker": t["speaker"], "content": t["content"]})
            n += len(t["content"].split())
            if n >= words:
                return turns
    return turns


def programme_for(path: Path) -> dict:  # type: ignore[type-arg]
    from sessionsketch.analysis.resolve import infer_programme
    from sessionsketch.pipeline import read_transcript

    session = infer_programme(read_transcript(path)).session

    def person(p):  # type: ignore[no-untyped-def]
        return {"name": p.name, **({"affiliation": p.affiliation} if p.affiliation else {})}

    return {
        "conference": {"name": "Committee meetings (QMSum)"},
        "session": {
            "title": "Speed run",
            "moderator": [person(p) for p in session.moderators],
            "speakers": [person(p) for p in session.speakers],
        },
    }


FIXED = {
    "python": "pass",
    "cli imported": "import sessionsketch.cli",
    "+ spacy imported": "import sessionsketch.cli; from sessionsketch.analysis import syntax; syntax.import_spacy()",
    "+ model loaded": "import sessionsketch.cli; from sessionsketch.analysis import syntax; syntax.nlp()",
}


def fixed_costs(runs: int = 3) -> dict[str, float]:
    """Median wall time of a process that only starts, imports and loads (cumulative)."""
    out = {}
    for label, code in FIXED.items():
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - t0)
        out[label] = round(statistics.median(times), 3)
    # the parser is loaded here once, so the warm drafts below measure drafting alone
    from sessionsketch.analysis import syntax

    syntax.nlp()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "qmsum" / "committee")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    exe = Path(sys.executable).with_name("sessionsketch")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "sessionsketch"]
    from sessionsketch.analysis import syntax
    from sessionsketch.pipeline import DraftRequest, draft_one

    fixed = fixed_costs()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            tpath = Path(tmp) / f"t{size}.json"
            turns = build_transcript(args.data, size)
            tpath.write_text(json.dumps({"meeting_transcripts": turns}), encoding="utf-8")
            ppath = Path(tmp) / f"p{size}.yaml"
            ppath.write_text(yaml.safe_dump(programme_for(tpath), allow_unicode=True), encoding="utf-8")
            words = sum(len(t["content"].split()) for t in turns)
            times = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                subprocess.run(
                    [
                        *cmd,
                        "-q",
                        "draft",
                        str(ppath),
                        str(tpath),
                        "-o",
                        str(Path(tmp) / "out.json"),
                        "--allow-unresolved",
                    ],
                    check=True,
                )
                times.append(time.perf_counter() - t0)
            request = DraftRequest(ppath, tpath, Path(tmp) / "warm.json", allow_unresolved=True)
            warm = []
            for _ in range(args.runs):
                syntax.forget()  # a new transcript's sentences are not in the parse cache
                t0 = time.perf_counter()
                draft_one(request)
                warm.append(time.perf_counter() - t0)
            med = statistics.median(times)
            results[size] = {
                "words": words,
                "median_s": round(med, 3),
                "s_per_10k": round(med / words * 1e4, 3),
                "warm_s": round(statistics.median(warm), 3),
            }
    print(f"{'size':>6} {'words':>7} {'median s':>9} {'s/10k words':>12} {'warm s':>7}")
    for size, r in results.items():
        print(f"{size:>6} {r['words']:>7} {r['median_s']:>9.3f} {r['s_per_10k']:>12.3f} {r['warm_s']:>7.3f}")
    ratio = results[40_000]["median_s"] / results[20_000]["median_s"]
    print(
        f"40k / 20k time ratio: {ratio:.2f} (target <= 2.2); 20k: {results[20_000]['median_s']:.2f} s "
        f"(target < 2.5), warm {results[20_000]['warm_s']:.2f} s (target < 1)"
    )
    print("fixed costs per process: " + ", ".join(f"{k} {v:.2f} s" for k, v in fixed.items()))
    if args.json:
        args.json.write_text(
            json.dumps({"sizes": results, "ratio_40k_20k": round(ratio, 3), "fixed_s": fixed}, indent=2)
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
