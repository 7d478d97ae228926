"""Speakers after a round trip: draft, write in each format, parse back, count who kept their speaker.

The bundled example (drafted with its programme) and every QMSum committee meeting in
``--data`` (programme inferred from the speaker labels) are drafted once with the extractive
engine, written as md, html, pdf, docx and json, and read back with ``parse`` (no programme:
the sketch's own block is all the parser knows). A sentence keeps its speaker when the parsed
sentence it starts in has the same speaker (None included)::

    .venv/bin/python bench/round_trip.py --json round_trip.json
    .venv/bin/python bench/round_trip.py --limit 5 --show 10   # a quick look at what changes

To compare parsers on the same files (say, before and after a change), write once and keep
the files, then parse the kept folder with the other code on the path::

    .venv/bin/python bench/round_trip.py --keep /tmp/rt
    PYTHONPATH=/path/to/old/src .venv/bin/python bench/round_trip.py --parse-only /tmp/rt

(add ``--rewrite`` to write the kept drafts with the other code's writers as well).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from sessionsketch.files import write_atomic

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("md", "html", "pdf", "docx", "json")


def _helpers():
    spec = importlib.util.spec_from_file_location("parse_helpers", ROOT / "tests" / "parse" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _parse(path: Path):  # type: ignore[no-untyped-def]
    """``sessionsketch parse`` of ``path`` with whatever sessionsketch is on the path."""
    try:
        from sessionsketch.pipeline import parse_sketch
    except ImportError:  # a tree from before the pipeline module
        from sessionsketch.readers import parse_sketch  # type: ignore[attr-defined,no-redef]
    return parse_sketch(path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="QMSum committee folder (train/ and val/)")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats")
    ap.add_argument("--style", default="session-sketch", help="house style to write in")
    ap.add_argument("--limit", type=int, default=None, help="at most this many QMSum meetings")
    ap.add_argument("--show", type=int, default=0, help="print this many changed sentences per format")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--keep", type=Path, help="keep the written files (and the drafts) in this folder")
    ap.add_argument("--parse-only", type=Path, help="parse the files kept in this folder; draft nothing")
    ap.add_argument(
        "--rewrite",
        action="store_true",
        help="with --parse-only: write the kept drafts again (this code's writers)",
    )
    args = ap.parse_args()
    logging.getLogger("sessionsketch").setLevel(logging.ERROR)
    h = _helpers()
    data = args.data or h.QMSUM
    meetings = sorted(data.glob("*/*.json")) if data.exists() else []
    if args.limit is not None:
        meetings = meetings[: args.limit]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]

    from sessionsketch.model import Sketch

    if args.parse_only:
        kept = sorted(args.parse_only.glob("*.drafted.json"))
        cases = [
            (
                f.name.removesuffix(".drafted.json"),
                lambda f=f: Sketch.from_dict(json.loads(f.read_text("utf-8"))),
            )
            for f in kept
        ]
    else:
        cases = [("example", h.draft_example)] + [
            (f"{m.parent.name}/{m.stem}", lambda m=m: h.draft_meeting(m)) for m in meetings
        ]
    totals = {f: Counter() for f in formats}
    changed: dict[str, list[tuple[str, str, str | None, str | None]]] = {f: [] for f in formats}
    per_case = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-round-trip-") as tmp:
        folder = args.parse_only or args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for name, draft in cases:
            sketch = draft()
            stem = name.replace("/", "_")
            if args.keep and not args.parse_only:
                write_atomic(
                    folder / f"{stem}.drafted.json", json.dumps(sketch.to_dict(), ensure_ascii=False)
                )
            row = {"case": name, "formats": {}}
            for fmt in formats:
                dest = folder / f"{stem}.{fmt}"
                if not args.parse_only or args.rewrite:
                    from sessionsketch.writers import write_sketch

                    write_sketch(sketch, dest, style=args.style)
                pairs = h.speaker_pairs(sketch, _parse(dest))
                kept = sum(1 for _, want, got in pairs if want == got)
                lost = sum(1 for _, _, got in pairs if got == h.LOST)
                totals[fmt].update(sentences=len(pairs), kept=kept, lost=lost)
                row["formats"][fmt] = {"sentences": len(pairs), "kept": kept, "lost": lost}
                changed[fmt] += [(name, t, w, g) for t, w, g in pairs if w != g]
            per_case.append(row)
    seconds = time.perf_counter() - started

    table = Table(title=f"speakers after draft → write → parse ({len(cases)} sketches, style {args.style})")
    for col in ("format", "sentences", "kept speaker", "%", "changed", "text lost"):
        table.add_column(col, justify="left" if col == "format" else "right")
    for fmt in formats:
        t = totals[fmt]
        pct = 100 * t["kept"] / t["sentences"] if t["sentences"] else 0.0
        table.add_row(
            fmt,
            str(t["sentences"]),
            str(t["kept"]),
            f"{pct:.1f}",
            str(t["sentences"] - t["kept"]),
            str(t["lost"]),
        )
    console = Console()
    console.print(table)
    example = per_case[0]["formats"]
    console.print(
        "example alone: " + ", ".join(f"{f} {v['kept']}/{v['sentences']}" for f, v in example.items())
    )
    console.print(f"{seconds:.1f} s in all")
    for fmt in formats:
        for case, text, want, got in changed[fmt][: args.show]:
            console.print(f"[{fmt}] {case}: {want!r} → {got!r}: {text[:110]}", markup=False, highlight=False)
    if args.json:
        doc = {
            "style": args.style,
            "sketches": len(cases),
            "seconds": round(seconds, 1),
            "totals": {f: dict(totals[f]) for f in formats},
            "cases": per_case,
        }
        write_atomic(args.json, json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
