"""Fit the drafting engine's selection model on people's summaries, and say how good it is.

    python bench/train_selector.py --data ../shared/qmsum/committee/train \\
        ../shared/qmsum/product/train ../shared/qmsum/academic/train \\
        [--out src/sessionsketch/data/selector.json] [--json FIGURES] [--folds 5]

Labels. Every QMSum query's reference answer (the whole meeting's summary, "summarize the
discussion about …", "what did X say about …") is matched against the transcript sentences
it could have been written from — every candidate for the general query, the gold span's
for a topic, the named speaker's own in the span for a speaker query — by a greedy ROUGE
oracle (add the sentence that most raises ROUGE-1 + ROUGE-2 F1 until the reference's
length): a sentence the oracle picks for any query is a positive.

Figures, cross-validated by meeting (GroupKFold: no meeting is both fitted and scored):
ranking AUC, and extractive ROUGE — per query, the candidates taken best first up to the
reference's length, in transcript order — for the fitted model, for today's centrality score
(the engine's TF-IDF centrality within the speaker's turns and the session, shaped by length,
person and question), and for lead. The model written to ``--out`` is fitted on all meetings.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from statistics import mean

import numpy as np
import snowballstemmer

from sessionsketch.analysis.resolve import infer_programme, resolve_transcript
from sessionsketch.engines.extractive import ExtractiveEngine, questioners, reported_people
from sessionsketch.engines.selection import FEATURES, Selector, feature_rows
from sessionsketch.pipeline import read_transcript

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qmsum import SPEAKER_QUERY, TOPIC_QUERY, spans, speaker_of

_TOKEN = re.compile(r"[a-z0-9]+")
_STEM = snowballstemmer.stemmer("english")


def grams(text: str) -> tuple[Counter[str], Counter[tuple[str, str]], int]:
    toks = _STEM.stemWords(_TOKEN.findall(text.lower()))
    return Counter(toks), Counter(itertools.pairwise(toks)), len(toks)


def _f(overlap: float, pred: int, ref: int) -> float:
    if not overlap or not pred or not ref:
        return 0.0
    p, r = overlap / pred, overlap / ref
    return 2 * p * r / (p + r)


def oracle(cands: list[str], reference: str, pool: int = 50) -> list[int]:
    """Greedy ROUGE-1+2 oracle: indexes of ``cands`` chosen up to the reference's length."""
    r1, r2, rn = grams(reference)
    budget = len(reference.split())
    g = [grams(c) for c in cands]
    order = sorted(range(len(cands)), key=lambda i: -sum((g[i][0] & r1).values()))[:pool]
    sel1: Counter[str] = Counter()
    sel2: Counter[tuple[str, str]] = Counter()
    o1 = o2 = n1 = 0
    chosen: list[int] = []
    best = 0.0
    words = 0
    while words < budget:
        pick, pick_val = None, best
        for i in order:
            if i in chosen:
                continue
            c1, c2, cn = g[i]
            d1 = sum(min(sel1[t] + k, r1[t]) - min(sel1[t], r1[t]) for t, k in c1.items() if t in r1)
            d2 = sum(min(sel2[t] + k, r2[t]) - min(sel2[t], r2[t]) for t, k in c2.items() if t in r2)
            val = _f(o1 + d1, n1 + cn, rn) + _f(o2 + d2, max(0, n1 + cn - 1), max(0, rn - 1))
            if val > pick_val:
                pick, pick_val, pick_d = i, val, (d1, d2)
        if pick is None:
            break
        chosen.append(pick)
        sel1.update(g[pick][0])
        sel2.update(g[pick][1])
        o1, o2 = o1 + pick_d[0], o2 + pick_d[1]
        n1 += g[pick][2]
        best = pick_val
        words += len(cands[pick].split())
    return chosen


def meeting_rows(path: str) -> dict:  # type: ignore[type-arg]
    """Features, labels, centrality and the queries (as candidate indexes) of one meeting."""
    logging.getLogger("sessionsketch").setLevel(logging.ERROR)
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    tr = read_transcript(path, fmt="qmsum")
    programme = infer_programme(tr)
    resolve_transcript(tr, programme)
    people = reported_people(programme.session, tr, include_moderator=True)
    asking = questioners(people, tr)
    eng = ExtractiveEngine()
    per, idf, spoken = eng.candidates(tr, people)
    eng.centrality(per, asking)
    rows = feature_rows(per, tr, asking, idf, spoken, eng._turn_vectors)
    cands = sorted((c for cs in per.values() for c in cs), key=lambda c: c.key)
    texts = [c.text for c in cands]
    label = [0] * len(cands)
    queries = []
    jobs = [("general", None, q["answer"]) for q in doc.get("general_query_list") or []]
    for q in doc.get("specific_query_list") or []:
        idx = set(spans(q))
        if TOPIC_QUERY.match(q["query"].strip()):
            jobs.append(("topic", idx, q["answer"]))
        elif SPEAKER_QUERY.match(q["query"].strip()):
            turns = [tr.turns[i] for i in sorted(idx) if i < len(tr.turns)]
            person = speaker_of(q["query"], turns, programme.session.participants)
            if person is not None:
                jobs.append(("speaker", (idx, person.name), q["answer"]))
    for task, scope, answer in jobs:
        if task == "general":
            pool = list(range(len(cands)))
        elif task == "topic":
            pool = [i for i, c in enumerate(cands) if c.turn in scope]
        else:
            turns, who = scope
            pool = [i for i, c in enumerate(cands) if c.turn in turns and c.person.name == who]
        if not pool:
            continue
        for k in oracle([texts[i] for i in pool], answer):
            label[pool[k]] = 1
        queries.append((task, pool, answer))
    return {
        "meeting": Path(path).stem,
        "domain": Path(path).parent.parent.name,
        "X": [rows[c.key] for c in cands],
        "y": label,
        "centrality": [c.score for c in cands],
        "texts": texts,
        "words": [c.words for c in cands],
        "queries": queries,
    }


def extract(texts: list[str], words: list[int], order: list[int], pool: list[int], budget: int) -> str:
    """The pool's candidates best first up to ``budget`` words, in transcript order."""
    ranked = sorted(pool, key=lambda i: order[i])
    taken, n = [], 0
    for i in ranked:
        if n >= budget:
            break
        taken.append(i)
        n += words[i]
    return " ".join(" ".join(texts[i] for i in sorted(taken)).split()[:budget])


def auc(y: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan")


def fit(X: np.ndarray, y: np.ndarray, c: float) -> Selector:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(X)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(scaler.transform(X), y)
    scale = [float(s) if s > 1e-9 else 1.0 for s in scaler.scale_]
    return Selector(
        FEATURES,
        tuple(float(m) for m in scaler.mean_),
        tuple(scale),
        tuple(float(w) for w in model.coef_[0]),
        float(model.intercept_[0]),
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", nargs="+", required=True, type=Path, help="folders of QMSum meeting files")
    ap.add_argument("--out", type=Path, help="write the model fitted on all meetings here")
    ap.add_argument("--json", type=Path, help="write the cross-validated figures here")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--C", type=float, default=0.3, help="inverse regularisation strength")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    from rouge_score import rouge_scorer
    from sklearn.model_selection import GroupKFold

    files = sorted(str(f) for d in args.data for f in d.glob("*.json"))
    if not files:
        print("no QMSum meeting files in --data", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        meetings = [m for m in pool.map(meeting_rows, files, chunksize=2) if m["X"]]
    print(f"{len(meetings)} meetings read and labelled in {time.perf_counter() - t0:.0f} s")
    X = np.array([r for m in meetings for r in m["X"]], dtype=float)
    y = np.array([v for m in meetings for v in m["y"]], dtype=int)
    groups = np.array([k for k, m in enumerate(meetings) for _ in m["y"]])
    offsets = np.cumsum([0] + [len(m["y"]) for m in meetings])
    print(f"{len(y)} candidate sentences, {y.sum()} positives ({100 * y.mean():.1f} %)")
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    predicted = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=args.folds).split(X, y, groups):
        sel = fit(X[train], y[train], args.C)
        predicted[test] = [sel.probability(row) for row in X[test]]
    figures: dict[str, dict[str, dict[str, float]]] = {}
    results: list[tuple[str, str, str, dict[str, float]]] = []
    for k, m in enumerate(meetings):
        a, b = offsets[k], offsets[k + 1]
        systems = {
            "selector": list(np.argsort(np.argsort(-predicted[a:b]))),
            "centrality": list(np.argsort(np.argsort(-np.array(m["centrality"])))),
            "lead": list(range(b - a)),
        }
        for task, pool_idx, answer in m["queries"]:
            budget = len(answer.split())
            for name, order in systems.items():
                text = extract(m["texts"], m["words"], order, pool_idx, budget)
                sc = scorer.score(answer, text)
                results.append((m["domain"], task, name, {r: 100 * v.fmeasure for r, v in sc.items()}))
    domains = sorted({m["domain"] for m in meetings})
    print(f"\nCross-validated by meeting ({args.folds} folds), ROUGE F1 x100 of the extract, R-1/R-2/R-L")
    print(
        f"{'domain':<10} {'task':<8} {'n':>4}  {'selector':>18}  {'centrality':>18}  {'lead':>18}  AUC sel/cent"
    )
    for domain in domains:
        d_idx = np.concatenate(
            [np.arange(offsets[k], offsets[k + 1]) for k, m in enumerate(meetings) if m["domain"] == domain]
        )
        cent = np.concatenate([m["centrality"] for m in meetings if m["domain"] == domain])
        a_sel, a_cent = auc(y[d_idx], predicted[d_idx]), auc(y[d_idx], cent)
        figures[domain] = {"auc": {"selector": round(a_sel, 4), "centrality": round(a_cent, 4)}}
        for task in ("speaker", "topic", "general"):
            cells = []
            row: dict[str, dict[str, float]] = {}
            for name in ("selector", "centrality", "lead"):
                sc = [s for d, t, n, s in results if d == domain and t == task and n == name]
                if not sc:
                    continue
                row[name] = {r: round(mean(s[r] for s in sc), 2) for r in ("rouge1", "rouge2", "rougeL")}
                row[name]["n"] = len(sc)
                cells.append(
                    f"{row[name]['rouge1']:5.2f}/{row[name]['rouge2']:5.2f}/{row[name]['rougeL']:5.2f}"
                )
            if cells:
                n = row["selector"]["n"]
                print(f"{domain:<10} {task:<8} {n:>4}  {'  '.join(cells)}  {a_sel:.3f}/{a_cent:.3f}")
                figures[domain][task] = row
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if args.out:
        sel = fit(X, y, args.C)
        args.out.write_text(
            sel.to_json(
                trained_on=[str(d) for d in args.data],
                meetings=len(meetings),
                sentences=len(y),
                positives=int(y.sum()),
                C=args.C,
                cross_validated=figures,
            ),
            encoding="utf-8",
        )
        print(f"\nwrote {args.out}")
        for name, w in sorted(zip(FEATURES, sel.coef, strict=True), key=lambda p: -abs(p[1])):
            print(f"  {name:<18} {w:+.3f}")
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
