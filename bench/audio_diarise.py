"""Who spoke when, without Whisper: diarisation rules compared on real recordings, leave-one-file-out.

    python bench/audio_diarise.py bench/data/audio bench/data/audio/ami bench/data/audio/libri [--json OUT]

Each recording with a reference RTTM beside it is decoded once and Silero's speech
probabilities computed once (cached under ``--cache``); then every configuration of a grid —
voice-activity thresholds, one embedding per piece (as before) or sliding windows, how the
number of voices is chosen (silhouette cut-off, NME-SC, agglomerative threshold), and how
the labels are smoothed — gives a voice timeline per file, scored as ``bench/audio.py --real``
scores it (pyannote.metrics DER, no collar and ±0.25 s, overlap scored; voices found/true).

Figures are printed two ways, labelled:

- ``in-sample``: each configuration's figures over all files (choosing the best of these
  would be tuning on the test files);
- ``LOO``: leave-one-file-out — for each file, the configuration of a family that does best
  on all the *other* files (fewest wrong counts, then the lowest mean DER ±0.25 s) is applied
  to it; the held-out figures are the ones to quote.

Whisper plays no part in DER here (the timeline is the voiced pieces and their voices), so
this is quick; ``bench/audio.py --real`` runs the whole command and gives the same DER.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _bench_audio():
    spec = importlib.util.spec_from_file_location("bench_audio", HERE / "audio.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


B = _bench_audio()


@dataclass
class Rec:
    name: str
    group: str
    samples: np.ndarray
    probs: np.ndarray
    reference: list
    duration: float

    @property
    def true(self) -> int:
        return len({w for _, _, w in self.reference})

    @property
    def true_1s(self) -> int:
        """Speakers who speak 1 s or more in all (no voice model counts a 0.3 s "yeah")."""
        spoken: dict[str, float] = {}
        for a, b, w in self.reference:
            spoken[w] = spoken.get(w, 0.0) + b - a
        return sum(v >= 1.0 for v in spoken.values())


def load(paths: list[Path], cache: Path) -> list[Rec]:
    from sessionsketch.audio import decode, voices

    cache.mkdir(parents=True, exist_ok=True)
    out = []
    for p in paths:
        key = cache / f"{p.parent.name}_{p.stem}.npz"
        if key.exists():
            z = np.load(key)
            samples, probs = z["samples"], z["probs"]
        else:
            samples = np.concatenate([b.samples for b in decode.stream_blocks(p)])
            probs = voices.speech_probabilities(samples)
            np.savez(key, samples=samples, probs=probs)
        group = {"ami": "ami", "libri": "libri"}.get(p.parent.name, "call")
        out.append(
            Rec(p.stem, group, samples, probs, B.read_rttm(p.with_suffix(".rttm")), len(samples) / 16000)
        )
    return out


# --------------------------------------------------------------------------- features


_FEATS: dict = {}


def features(rec: Rec, vad: tuple, mode: str, win: float, hop: float, embedder: str = "resemblyzer"):
    """(regions s, windows s, embeddings) for one file under one VAD setting and windowing."""
    from sessionsketch.audio import voices
    from sessionsketch.audio.decode import RATE

    key = (rec.name, rec.group, vad, mode, win, hop, embedder)
    if key in _FEATS:
        return _FEATS[key]
    saved = (voices.SPEECH_ON, voices.SPEECH_OFF)
    voices.SPEECH_ON, voices.SPEECH_OFF = vad
    try:
        voiced = voices.voiced_frames(rec.samples, rec.probs)
    finally:
        voices.SPEECH_ON, voices.SPEECH_OFF = saved
    frame = int(RATE * voices.FRAME)
    if mode == "pieces":
        found = voices.pieces_of(voiced)
        spans = [(a / RATE, b / RATE) for a, b in found]
        x = voices.embed([rec.samples[a:b] for a, b in found], embedder) if found else np.zeros((0, 256))
        res = (spans, spans, x)
    else:
        regions = voices.regions_of(voiced)
        wins = [w for a, b in regions for w in voices.windows_of(a, b, win, hop)]
        x = (
            voices.embed_windows([rec.samples[a * frame : b * frame] for a, b in wins], embedder)
            if wins
            else np.zeros((0, 256))
        )
        res = (
            [(a * voices.FRAME, b * voices.FRAME) for a, b in regions],
            [(a * voices.FRAME, b * voices.FRAME) for a, b in wins],
            x,
        )
    _FEATS[key] = res
    return res


# --------------------------------------------------------------------------- rules


def run(rec: Rec, cfg: dict, given: int | None = None) -> dict:
    """One configuration on one file: the timeline, its DER and the count."""
    from sessionsketch.audio import voices

    regions, wins, x = features(rec, cfg["vad"], cfg["mode"], cfg.get("win", 1.5), cfg.get("hop", 0.75))
    n = len(x)
    if n == 0:
        timeline = []
        k = 0
    elif cfg["mode"] == "pieces":
        col = voices.Voices()
        col.spans, col.vectors = list(wins), list(x)
        saved = voices.MIN_SILHOUETTE
        voices.MIN_SILHOUETTE = cfg.get("cut", 0.3)
        try:
            labels, choice = voices.cluster_voices(col, given)
        finally:
            voices.MIN_SILHOUETTE = saved
        k = choice.count
        timeline = [(a, b, int(v)) for (a, b), v in zip(wins, labels, strict=True)]
    elif cfg["mode"] == "oracle":  # each voiced frame given the reference's speaker: the VAD's floor
        timeline = []
        for ra, rb in regions:
            for t in np.arange(ra, rb, voices.FRAME):
                who = [w for a, b, w in rec.reference if a <= t + voices.FRAME / 2 < b]
                timeline.append((t, t + voices.FRAME, who[0] if who else "none"))
        hyp = [(a, b, str(v)) for a, b, v in timeline]
        return {**B.der(rec.reference, hyp, rec.duration), "found": rec.true, "true": rec.true}
    elif cfg["mode"] == "transcribe":  # what `transcribe` runs: voices.diarise
        _, pieces, px = features(rec, cfg["vad"], "pieces", 0, 0)
        col = voices.Voices(spans=list(pieces), vectors=list(px), regions=list(regions))
        col.windows, col.window_vectors = list(wins), list(x)
        spans, labels, choice = voices.diarise(col, given)
        k = choice.count
        timeline = [(a, b, int(v)) for (a, b), v in zip(spans, labels, strict=True)]
    elif cfg["mode"] == "hybrid":
        # the count (and first labels) from one embedding per piece; the timeline from windows
        _, pieces, px = features(rec, cfg["vad"], "pieces", 0, 0)
        if cfg.get("derived"):  # a piece's embedding: the mean of the windows whose middle is in it
            mids = np.array([(a + b) / 2 for a, b in wins])
            px = []
            for a, b in pieces:
                inside = (mids >= a) & (mids < b)
                if not inside.any():
                    inside = np.zeros(len(wins), dtype=bool)
                    inside[int(np.argmin(np.abs(mids - (a + b) / 2)))] = True
                v = x[inside].mean(axis=0)
                px.append(v / np.linalg.norm(v))
            px = np.array(px)
        col = voices.Voices()
        col.spans, col.vectors = list(pieces), list(px)
        plabels, choice = voices.cluster_voices(col, given)
        k = choice.count
        labels = window_labels(x, wins, pieces, px, plabels, k, cfg["assign"])
        cents = voices.centroids_of(x, labels, k)
        timeline = smoothed_timeline(regions, wins, x @ cents.T, cfg.get("switch", 0.0))
        k = len({v for _, _, v in timeline})
    else:
        labels, k = cluster(x, cfg, given)
        cents = voices.centroids_of(x, labels, k)
        timeline = smoothed_timeline(regions, wins, x @ cents.T, cfg.get("switch", 0.0))
        k = len({v for _, _, v in timeline})
    hyp = [(a, b, f"V{v}") for a, b, v in timeline]
    return {**B.der(rec.reference, hyp, rec.duration), "found": k, "true": rec.true}


def window_labels(x, wins, pieces, px, plabels, k, assign: str) -> np.ndarray:
    """Window labels given the pieces' clustering into k voices."""
    from sessionsketch.audio import voices

    n = len(x)
    if k <= 1 or n < 2:
        return np.zeros(n, dtype=int)
    if assign == "spectral":
        _, _, info = nme_sc(x, min(8, n - 1), connected=True)
        return _spectral_k(x, info["p"], min(k, n))
    if assign == "ahc":
        return voices._cluster(x, min(k, n))
    # "piece": the label of the piece holding the window's middle; "centroid": nearest piece-centroid
    # (centroids of the pieces' clusters in window space); "+refine": k-means steps from there
    mids = np.array([(a + b) / 2 for a, b in wins])
    ps = np.array([a for a, _ in pieces])
    pe = np.array([b for _, b in pieces])
    dist = np.maximum(ps[None, :] - mids[:, None], 0) + np.maximum(mids[:, None] - pe[None, :], 0)
    labels = plabels[np.argmin(dist, axis=1)]
    if assign.startswith("centroid"):
        cents = voices.centroids_of(x, labels, k)
        labels = np.argmax(x @ cents.T, axis=1)
        if assign.endswith("refine"):
            for _ in range(10):
                cents = voices.centroids_of(x, labels, k)
                new = np.argmax(x @ cents.T, axis=1)
                if (new == labels).all():
                    break
                labels = new
    return labels


def cluster(x: np.ndarray, cfg: dict, given: int | None) -> tuple[np.ndarray, int]:
    from sessionsketch.audio import voices

    n = len(x)
    if n < 2:
        return np.zeros(n, dtype=int), 1
    if cfg.get("center"):
        x = x - x.mean(axis=0)
        x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
    rule = cfg["rule"]
    if given is not None:
        k = max(1, min(given, n))
        if k == 1:
            return np.zeros(n, dtype=int), 1
        if rule == "nme":
            _, _lab, info = nme_sc(x, min(8, n - 1))
            # the chosen p's Laplacian with k given
            return _spectral_k(x, info["p"], k), k
        return voices._cluster(x, k), k
    if rule == "sil":
        saved = voices.MIN_SILHOUETTE
        voices.MIN_SILHOUETTE = cfg["cut"]
        try:
            labels, choice = voices.choose_speakers(x, None)
        finally:
            voices.MIN_SILHOUETTE = saved
        return labels, choice.count
    if rule == "nme":
        if n < 4:
            return np.zeros(n, dtype=int), 1
        k, labels, _ = nme_sc(x, min(8, n - 1), connected=cfg.get("connected", False))
        if k > 1 and cfg.get("one") is not None:
            from sklearn.metrics import silhouette_score

            if silhouette_score(x, labels, metric="cosine") < cfg["one"]:
                return np.zeros(n, dtype=int), 1
        return labels, k
    if rule == "ahc":
        labels = ahc_threshold(x, cfg["t"])
        labels = absorb_small(x, labels, cfg.get("min", 1))
        return labels, int(labels.max()) + 1
    raise ValueError(rule)


def _spectral_k(x: np.ndarray, p: int, k: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    n = len(x)
    sim = x @ x.T
    order = np.argsort(-sim, axis=1)
    b = np.zeros((n, n))
    b[np.arange(n)[:, None], order[:, :p]] = 1.0
    b = (b + b.T) / 2
    _, vecs = np.linalg.eigh(np.diag(b.sum(axis=1)) - b)
    return KMeans(k, n_init=10, random_state=0).fit_predict(vecs[:, :k])


# --------------------------------------------------------------------------- rules tried that did not help


def smoothed_timeline(regions, wins, scores, switch: float):
    """voices.frame_timeline, or with ``switch`` > 0 a Viterbi pass over each region's frames
    with that cost per change of voice (measured: no gain, see docs/audio.md)."""
    from sessionsketch.audio import voices

    if switch <= 0 or scores.shape[1] < 2:
        return voices.frame_timeline(regions, wins, scores)
    out = []
    ws = np.array([a for a, _ in wins])
    we = np.array([b for _, b in wins])
    for ra, rb in regions:
        n = max(1, round((rb - ra) / voices.FRAME))
        t = ra + (np.arange(n) + 0.5) * (rb - ra) / n
        cover = (ws[None, :] <= t[:, None]) & (we[None, :] > t[:, None])
        bare = ~cover.any(axis=1)
        if bare.any():
            gap = np.maximum(ws[None, :] - t[bare, None], 0) + np.maximum(t[bare, None] - we[None, :], 0)
            cover[np.nonzero(bare)[0], np.argmin(gap, axis=1)] = True
        path = _viterbi((cover.astype(float) @ scores) / cover.sum(axis=1, keepdims=True), switch)
        bounds = np.concatenate([[0], np.flatnonzero(np.diff(path)) + 1, [n]])
        out.extend(
            (ra + i * (rb - ra) / n, ra + j * (rb - ra) / n, int(path[i]))
            for i, j in itertools.pairwise(bounds)
        )
    return out


def _viterbi(scores: np.ndarray, switch: float) -> np.ndarray:
    n, k = scores.shape
    back = np.zeros((n, k), dtype=int)
    acc = scores[0].copy()
    for i in range(1, n):
        move = acc.max() - switch
        stay = acc >= move
        back[i] = np.where(stay, np.arange(k), int(np.argmax(acc)))
        acc = np.where(stay, acc, move) + scores[i]
    path = np.zeros(n, dtype=int)
    path[-1] = int(np.argmax(acc))
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


def nme_sc(
    x: np.ndarray, top: int, p_grid: int = 20, connected: bool = False
) -> tuple[int, np.ndarray, dict]:
    """Spectral clustering with the normalised maximum eigengap count (Park et al., 2019):
    for each p, keep each row's p most similar rows of the cosine-similarity matrix (binary),
    symmetrise, take the Laplacian's eigengaps; the p minimising p / (max gap / largest
    eigenvalue) is chosen, and k is where that gap is. ``connected``: skip the p whose graph
    falls apart (its zero eigenvalues count components, not voices)."""
    from sklearn.cluster import KMeans

    n = len(x)
    sim = x @ x.T
    order = np.argsort(-sim, axis=1)
    hi = max(2, n // 4)
    ps = sorted({round(v) for v in np.geomspace(2, hi, max(1, min(p_grid, hi - 1)))} | {hi})
    best = None
    for p in ps:
        b = np.zeros((n, n))
        b[np.arange(n)[:, None], order[:, :p]] = 1.0
        b = (b + b.T) / 2
        lap = np.diag(b.sum(axis=1)) - b
        ev = np.linalg.eigvalsh(lap)
        if connected and ev[1] < 1e-8 and p != ps[-1]:
            continue
        gaps = np.diff(ev[: top + 1])
        g = float(gaps.max()) / (float(ev[-1]) + 1e-10)
        ratio = p / max(g, 1e-10)
        if best is None or ratio < best[0]:
            best = (ratio, p, int(np.argmax(gaps)) + 1, lap)
    _, p, k, lap = best
    if k == 1:
        return 1, np.zeros(n, dtype=int), {"p": p}
    _, vecs = np.linalg.eigh(lap)
    return k, KMeans(k, n_init=10, random_state=0).fit_predict(vecs[:, :k]), {"p": p}


def ahc_threshold(x: np.ndarray, threshold: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if len(x) < 2:
        return np.zeros(len(x), dtype=int)
    return AgglomerativeClustering(
        n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average"
    ).fit_predict(x)


def absorb_small(x: np.ndarray, labels: np.ndarray, min_size: int) -> np.ndarray:
    """Clusters of fewer than ``min_size`` rows join the nearest large cluster; renumbered 0..k-1."""
    sizes = np.bincount(labels)
    big = [c for c in range(len(sizes)) if sizes[c] >= min_size] or [int(np.argmax(sizes))]
    cents = np.stack([x[labels == c].mean(axis=0) for c in big])
    cents /= np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-9)
    out = labels.copy()
    small = ~np.isin(labels, big)
    if small.any():
        out[small] = np.array(big)[np.argmax(x[small] @ cents.T, axis=1)]
    remap = {c: i for i, c in enumerate(big)}
    return np.array([remap[int(v)] for v in out], dtype=int)


# --------------------------------------------------------------------------- grid and LOO


BASE_VAD = (0.35, 0.2)


def families() -> dict[str, list[dict]]:
    win = {"mode": "win", "vad": BASE_VAD, "win": 1.5, "hop": 0.75}
    return {
        "pieces+silhouette (before)": [{"mode": "pieces", "vad": BASE_VAD, "cut": c} for c in (0.3,)],
        "pieces+silhouette cut": [
            {"mode": "pieces", "vad": BASE_VAD, "cut": c} for c in np.round(np.arange(0.1, 0.5, 0.05), 2)
        ],
        "transcribe (voices.diarise)": [{**win, "mode": "transcribe"}],
        "oracle voices on our VAD (a floor, not a method)": [
            {"mode": "oracle", "vad": v, "win": 1.5, "hop": 0.75} for v in ((0.35, 0.2), (0.1, 0.05))
        ],
        "hybrid: k from pieces, windows by": [
            {**win, "mode": "hybrid", "assign": a}
            for a in ("piece", "centroid", "centroid+refine", "spectral", "ahc")
        ],
        "hybrid window size": [
            {**win, "mode": "hybrid", "assign": "piece", "win": w, "hop": w / 2} for w in (1.0, 1.5, 2.0, 3.0)
        ],
        "hybrid derived piece embeddings": [
            {**win, "mode": "hybrid", "assign": "piece", "derived": d} for d in (False, True)
        ],
        "hybrid VAD": [
            {**win, "mode": "hybrid", "assign": "piece", "vad": v}
            for v in ((0.5, 0.35), (0.35, 0.2), (0.3, 0.2), (0.3, 0.15), (0.25, 0.15))
        ],
        "hybrid piece-label + Viterbi switch": [
            {**win, "mode": "hybrid", "assign": "piece", "switch": sw}
            for sw in (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
        ],
        "hybrid spectral + Viterbi switch": [
            {**win, "mode": "hybrid", "assign": "spectral", "switch": sw}
            for sw in (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
        ],
        "win+silhouette cut": [
            {**win, "rule": "sil", "cut": c} for c in np.round(np.arange(0.1, 0.5, 0.05), 2)
        ],
        "win+NME-SC": [{**win, "rule": "nme", "one": o} for o in (None, 0.05, 0.1, 0.15, 0.2, 0.25)],
        "win+centred silhouette cut": [
            {**win, "rule": "sil", "cut": c, "center": True} for c in np.round(np.arange(0.05, 0.5, 0.05), 2)
        ],
        "win+NME-SC connected": [
            {**win, "rule": "nme", "one": o, "connected": True, "center": ce}
            for o in (None, 0.1, 0.2, 0.3)
            for ce in (False, True)
        ],
        "win+centred AHC threshold": [
            {**win, "rule": "ahc", "t": t, "min": m, "center": True}
            for t in np.round(np.arange(0.5, 1.3, 0.05), 2)
            for m in (1, 2, 3)
        ],
        "win+AHC threshold": [
            {**win, "rule": "ahc", "t": t, "min": m}
            for t in np.round(np.arange(0.3, 0.85, 0.05), 2)
            for m in (1, 2, 3, 5)
        ],
    }


def leave_one_out(table: list[list[dict]]) -> list[tuple[int, dict]]:
    """For each file, (the configuration best on the other files, its figures on this one):
    best = fewest wrong counts, then the lowest mean DER ±0.25 s."""
    out = []
    for i in range(len(table[0])):
        costs = []
        for rows in table:
            others = [row for j, row in enumerate(rows) if j != i]
            costs.append(
                (
                    sum(r["found"] != r["true"] for r in others),
                    float(np.mean([r["der_collar"] for r in others])),
                )
            )
        best = min(range(len(table)), key=costs.__getitem__)
        out.append((best, table[best][i]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/sessionsketch-diarise-cache"))
    parser.add_argument("--family", action="append", help="only these families (substring)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    recs = load(B.real_recordings(args.folders), args.cache)
    fams = families()
    if args.family:
        fams = {k: v for k, v in fams.items() if any(f in k for f in args.family)}
    report = {}
    for fam, cfgs in fams.items():
        t0 = time.perf_counter()
        table = [[run(r, c) for r in recs] for c in cfgs]  # table[config][file]
        loo = leave_one_out(table)
        print(f"\n== {fam} ({len(cfgs)} configurations, {time.perf_counter() - t0:.0f} s)")
        fam_report = {"configs": [], "loo": []}
        for ci, cfg in enumerate(cfgs):
            s = summary(recs, table[ci])
            fam_report["configs"].append({"cfg": show(cfg), **s})
            print(f"  in-sample {show(cfg):<40} {fmt(s)}")
        s = summary(recs, [row for _, row in loo])
        chosen = sorted({show(cfgs[b]) for b, _ in loo})
        print(f"  LOO       {'':<40} {fmt(s)}   chosen: {'; '.join(chosen)}")
        fam_report["loo"] = {"summary": s, "chosen": [show(cfgs[b]) for b, _ in loo]}
        report[fam] = fam_report
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


def show(cfg: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in cfg.items() if k not in ("mode", "vad") or v != BASE_VAD)


def summary(recs: list[Rec], rows: list[dict]) -> dict:
    out = {}
    for g in ("call", "ami", "libri"):
        rs = [(r, row) for r, row in zip(recs, rows, strict=True) if r.group == g]
        multi = [(r, row) for r, row in rs if r.true > 1]
        out[g] = {
            "right_multi": f"{sum(row['found'] == row['true'] for _, row in multi)}/{len(multi)}",
            "right_all": f"{sum(row['found'] == row['true'] for _, row in rs)}/{len(rs)}",
            "right_1s": f"{sum(row['found'] == r.true_1s for r, row in rs)}/{len(rs)}",
            "der": round(float(np.mean([row["der"] for _, row in rs])), 3),
            "der_collar": round(float(np.mean([row["der_collar"] for _, row in rs])), 3),
        }
    return out


def fmt(s: dict) -> str:
    return "  ".join(
        f"{g}: {v['right_multi']} ({v['right_all']}; >=1 s {v['right_1s']}) {v['der']:.3f}/{v['der_collar']:.3f}"
        for g, v in s.items()
    )


if __name__ == "__main__":
    sys.exit(main())
