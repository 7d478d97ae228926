"""Speed and size of the writers on the bundled Welsh committee example.

    python bench/publish.py [--runs 5] [--json OUT]

Drafts the example (examples/welsh-education-committee) once, then renders it in every
format and both styles in-process (``render_bytes``, WeasyPrint imported beforehand so
its import is not counted). Prints a table of median milliseconds, output size and, for
the PDF, the page count; writes the figures as JSON with --json.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "welsh-education-committee"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    import pdfplumber
    import weasyprint  # noqa: F401  (import time is not render time)

    from sessionsketch.engines import draft_sketch
    from sessionsketch.pipeline import read_transcript
    from sessionsketch.readers.programme import load_programme
    from sessionsketch.writers import render_bytes

    programme = load_programme(EXAMPLE / "programme.yaml")
    transcript = read_transcript(EXAMPLE / "transcript.json", programme)
    sketch = draft_sketch(programme, transcript)
    words = sum(len(p.text.split()) for p in sketch.paragraphs)

    rows = []
    for style in ("session-sketch", "igf-report"):
        for fmt in ("md", "html", "pdf", "docx", "json"):
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                data = render_bytes(sketch, fmt, style=style, transcript=transcript)
                times.append(time.perf_counter() - start)
            pages = None
            if fmt == "pdf":
                with pdfplumber.open(io.BytesIO(data)) as pdf:
                    pages = len(pdf.pages)
            rows.append(
                {
                    "style": style,
                    "format": fmt,
                    "median_ms": round(statistics.median(times) * 1000, 1),
                    "bytes": len(data),
                    "pages": pages,
                }
            )

    print(f"sketch: {words} words in {len(sketch.paragraphs)} paragraphs; {args.runs} runs each")
    print(f"{'style':<15} {'format':<6} {'median ms':>10} {'bytes':>9} {'pages':>5}")
    for r in rows:
        print(
            f"{r['style']:<15} {r['format']:<6} {r['median_ms']:>10.1f} {r['bytes']:>9} "
            f"{r['pages'] if r['pages'] is not None else '':>5}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": platform.platform(),
                    "python": platform.python_version(),
                    "words": words,
                    "rows": rows,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
