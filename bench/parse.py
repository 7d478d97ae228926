"""Parse speed: a three-page sketch PDF, and a folder of sketches in every format.

The sketches are the FICTIONAL panel of ``tests/parse/conftest.py`` (rendered by
``sessionsketch.writers`` when that is there, else by WeasyPrint directly) plus the real
reference text. Times are medians of warm runs (imports and the first run excluded)::

    /work/venv/bin/python bench/parse.py --json parse.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from sessionsketch.files import write_atomic
from sessionsketch.pipeline import parse_sketch, read_sketch

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "000_d2e8a4bbf7783717.txt"


def _panel():
    spec = importlib.util.spec_from_file_location("parse_panel", ROOT / "tests" / "parse" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _make_files(folder: Path) -> tuple[Path, str, list[Path]]:
    """The three-page PDF (and who rendered it) and a folder of sketches in every format."""
    panel = _panel()
    pdf = folder / "panel.pdf"
    try:
        import pypdfium2 as pdfium

        from sessionsketch.writers import write_sketch

        sketch = panel.fictional_sketch()
        body = list(sketch.paragraphs)
        while True:  # the panel's body, repeated until the writer's PDF has three pages
            write_sketch(sketch, pdf)
            if len(pdfium.PdfDocument(pdf.read_bytes())) >= 3 or len(sketch.paragraphs) > 8 * len(body):
                break
            sketch.paragraphs = sketch.paragraphs + body[1:3]
        made_by = "sessionsketch.writers"
    except ImportError:
        pdf.write_bytes(panel.fictional_pdf())
        made_by = "WeasyPrint (writers not there yet)"
    sketches = folder / "sketches"
    sketches.mkdir()
    sources = {
        "panel.md": panel.fictional_markdown().encode(),
        "panel.html": panel.fictional_html().encode(),
        "marked.html": panel.fictional_html(marks=True).encode(),
        "panel.docx": panel.fictional_docx(),
        "panel.pdf": pdf.read_bytes(),
    }
    if REFERENCE.exists():
        sources["reference.txt"] = REFERENCE.read_bytes()
    files = []
    for copy in range(4):
        for name, data in sources.items():
            path = sketches / f"{copy:02d}-{name}"
            path.write_bytes(data)
            files.append(path)
    return pdf, made_by, files


def _median_seconds(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=15, help="timed runs per measurement")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-parse-"))
    try:
        pdf, made_by, files = _make_files(tmp)
        import pypdfium2 as pdfium

        pages = len(pdfium.PdfDocument(pdf.read_bytes()))
        rows = [
            (
                f"{pages}-page PDF: read (layout, furniture, metadata)",
                _median_seconds(lambda: read_sketch(pdf), args.runs),
                1,
            ),
            (
                f"{pages}-page PDF: parse (read + attribute)",
                _median_seconds(lambda: parse_sketch(pdf), args.runs),
                1,
            ),
        ]
        by_format: dict[str, list[Path]] = {}
        for f in files:
            by_format.setdefault(f.suffix, []).append(f)
        for suffix, group in sorted(by_format.items()):
            one = group[0]
            rows.append(
                (
                    f"one {suffix} sketch: parse",
                    _median_seconds(lambda one=one: parse_sketch(one), args.runs),
                    1,
                )
            )
        folder_runs = max(3, args.runs // 5)
        rows.append(
            (
                f"folder of {len(files)} sketches: parse all",
                _median_seconds(lambda: [parse_sketch(f) for f in files], folder_runs),
                len(files),
            )
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    table = Table(title=f"sessionsketch parse (PDF made by {made_by}; median of warm runs)")
    table.add_column("what")
    table.add_column("median s", justify="right")
    table.add_column("per file ms", justify="right")
    for what, seconds, n in rows:
        table.add_row(what, f"{seconds:.3f}", f"{1000 * seconds / n:.1f}")
    Console().print(table)
    if args.json:
        doc = {
            "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": _cpus()},
            "pdf_made_by": made_by,
            "pdf_pages": pages,
            "runs": args.runs,
            "results": [{"what": w, "median_seconds": round(s, 4), "files": n} for w, s, n in rows],
        }
        write_atomic(args.json, json.dumps(doc, indent=2) + "\n")
    return 0


def _cpus() -> int | None:
    import os

    return os.cpu_count()


if __name__ == "__main__":
    raise SystemExit(main())
