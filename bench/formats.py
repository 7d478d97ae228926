"""Transcripts as found in the wild (issue 26): is every file of a corpus read right?

    python bench/formats.py [--data tests/data/real] [--wild ../shared/wild] [--json OUT]

``DATA/expected.json`` says what each file must read as: its format, its speakers, how
many turns and how many words (the words a reader should keep: no labels, timings, tags,
front matter, repeated caption lines). A file given with a diarisation
(``"diarisation": "x.rttm"``) is read as ``--diarisation`` reads it. The table gives, per
file: the format detected, speakers right (found and expected / expected), turns (read /
expected), words kept (% of the expected words), the warnings logged, and whether the row
is right. A file that fails to read says so in the row. Exit status 1 when a row is wrong.

Real files fetched from public repositories are not committed; a file that is not in
``--data`` is looked for in ``--wild`` (the shared data, ``../shared/wild`` beside the
checkout), and a row says ``not present`` where neither has it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SESSIONSKETCH_SHARED") or ROOT.parent / "shared")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def measure(path: Path, expected: dict) -> dict:  # type: ignore[type-arg]
    from sessionsketch.errors import UserError
    from sessionsketch.readers import read_transcript_file
    from sessionsketch.readers.whisperx import read_with_speakers

    handler = _Collect()
    log = logging.getLogger("sessionsketch")
    log.addHandler(handler)
    try:
        if expected.get("diarisation"):
            transcript = read_with_speakers(path, diarisation=path.with_name(expected["diarisation"]))
        else:
            transcript = read_transcript_file(path)
    except UserError as exc:
        return {"file": path.name, "error": str(exc), "right": False, "warnings": len(handler.messages)}
    finally:
        log.removeHandler(handler)
    speakers = {t.label for t in transcript.turns}
    want = set(expected["speakers"])
    words = sum(len(t.text.split()) for t in transcript.turns)
    kept = 100.0 * words / expected["words"] if expected["words"] else 100.0
    row = {
        "file": path.name,
        "format": transcript.format,
        "format_right": transcript.format == expected["format"],
        "speakers_right": len(speakers & want),
        "speakers_expected": len(want),
        "speakers_extra": sorted(speakers - want),
        "turns": len(transcript.turns),
        "turns_expected": expected.get("turns"),
        "words": words,
        "words_expected": expected["words"],
        "words_kept_pct": round(kept, 1),
        "warnings": len(handler.messages),
    }
    row["right"] = (
        row["format_right"]
        and speakers == want
        and (expected.get("turns") is None or row["turns"] == expected["turns"])
        and abs(words - expected["words"]) <= max(2, 0.02 * expected["words"])
    )
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "real")
    parser.add_argument("--wild", type=Path, default=SHARED / "wild", help="where the real files are")
    parser.add_argument("--json", type=Path, help="write the rows as JSON")
    args = parser.parse_args(argv)
    table = json.loads((args.data / "expected.json").read_text(encoding="utf-8"))
    rows = []
    for name in sorted(table):
        path = args.data / name if (args.data / name).exists() else args.wild / name
        if not path.exists():
            rows.append({"file": name, "missing": True, "right": True})
            continue
        rows.append(measure(path, table[name]))
    print(f"{'file':38} {'format':10} {'speakers':>8} {'turns':>9} {'words kept':>10} {'warn':>4}  right")
    for r in rows:
        if r.get("missing"):
            print(f"{r['file']:38} not present (a real file: put it in {args.wild})")
            continue
        if "error" in r:
            print(f"{r['file']:38} error: {r['error'][:90]}")
            continue
        turns = f"{r['turns']}/{r['turns_expected'] if r['turns_expected'] is not None else '?'}"
        print(
            f"{r['file']:38} {r['format']:10} {r['speakers_right']:>3}/{r['speakers_expected']:<4} {turns:>9} "
            f"{r['words_kept_pct']:>9.1f}% {r['warnings']:>4}  {'yes' if r['right'] else 'NO'}"
        )
    read = [r for r in rows if not r.get("missing")]
    right = sum(r["right"] for r in read)
    print(f"{right}/{len(read)} files read right ({len(rows) - len(read)} not present)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if right == len(read) else 1


if __name__ == "__main__":
    sys.exit(main())
