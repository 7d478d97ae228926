"""How many voices: the speaker-count rule calibrated on real recordings with reference RTTM.

    python bench/audio_calibrate.py --tune bench/data/audio/libri --report bench/data/audio/ami \\
        --report bench/data/audio [--json OUT]

Each recording (``NAME.ogg``/``.wav``/``.flac``/``.mp3`` with ``NAME.rttm`` beside it) is
decoded, its speech found (Silero VAD) and cut into pieces, and each piece embedded, as
``transcribe`` does (:mod:`sessionsketch.audio.voices`) — no Whisper, so this is quick.
Then every rule of a small grid is tried: the silhouette rule with a cut-off (one voice
when no k reaches it). For each it prints how often the count is right on the ``--tune``
recordings and on the ``--report`` ones; the rule is chosen on ``--tune`` alone, so the
``--report`` figures are not fitted to the files they are measured on.

The true count is the number of speakers in the RTTM; ``speakers >= 1 s`` counts only
those who speak for a second or more in all (AMI's 30 s excerpts hold people who say
"yeah" once: no voice model can count a 0.3 s voice).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

EXTS = (".ogg", ".wav", ".flac", ".mp3", ".m4a", ".opus")


def recordings(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in EXTS and p.with_suffix(".rttm").exists())


def reference(path: Path) -> dict[str, float]:
    """Seconds each speaker of an RTTM file speaks."""
    spoken: dict[str, float] = {}
    for line in path.with_suffix(".rttm").read_text(encoding="utf-8").splitlines():
        f = line.split()
        if len(f) >= 8 and f[0] == "SPEAKER":
            spoken[f[7]] = spoken.get(f[7], 0.0) + float(f[4])
    return spoken


def embeddings(path: Path):
    from sessionsketch.audio import decode, voices

    collected = voices.Voices()
    for block in decode.stream_blocks(path):
        collected.add_block(block.samples, block.start)
    return collected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tune", type=Path, action="append", required=True)
    parser.add_argument("--report", type=Path, action="append", default=[])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from sessionsketch.audio import voices

    sets = {"tune": [p for d in args.tune for p in recordings(d)], "report": []}
    sets["report"] = [p for d in args.report for p in recordings(d)]
    data = {}
    for name, paths in sets.items():
        for p in paths:
            collected = embeddings(p)
            spoken = reference(p)
            data[(name, p)] = (collected, len(spoken), sum(1 for s in spoken.values() if s >= 1.0))
            print(
                f"{name:<6} {p.name:<16} pieces {len(collected.spans):>3} true {len(spoken)} (>= 1 s: "
                f"{data[(name, p)][2]})",
                file=sys.stderr,
                flush=True,
            )
    grid = [round(t, 2) for t in np.arange(0.05, 0.5, 0.025)]
    rows = []
    saved = voices.MIN_SILHOUETTE
    try:
        for cut in grid:
            voices.MIN_SILHOUETTE = cut
            row = {"cut": cut}
            for name in sets:
                right = right1 = multi = multi_right = 0
                found = []
                for (n, p), (collected, true, true1) in data.items():
                    if n != name:
                        continue
                    _, choice = voices.cluster_voices(collected)
                    found.append((p.name, choice.count, true, true1))
                    right += choice.count == true
                    right1 += choice.count == true1
                    if true > 1:
                        multi += 1
                        multi_right += choice.count == true
                row[name] = {
                    "right": f"{right}/{len(found)}",
                    "right_1s": f"{right1}/{len(found)}",
                    "multi_right": f"{multi_right}/{multi}",
                    "found": found,
                }
            rows.append(row)
            print(
                f"cut {cut:.3f}  "
                + "  ".join(
                    f"{name}: right {row[name]['right']} (>=1 s: {row[name]['right_1s']}, multi-speaker "
                    f"{row[name]['multi_right']})"
                    for name in sets
                ),
                flush=True,
            )
    finally:
        voices.MIN_SILHOUETTE = saved
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
