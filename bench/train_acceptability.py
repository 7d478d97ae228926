"""Fit the acceptability model (``src/sessionsketch/data/acceptability.json``) on the editor audits.

    python bench/train_acceptability.py [--editor bench/data/editor] [--out PATH] [--json REPORT]

Every body sentence of every draft graded in ``bench/data/editor/r*/`` (the editor's label in
``labels.tsv``; the hand-written control left out) becomes a row of
:data:`sessionsketch.engines.acceptability.FEATURES`, computed as the draft engine computes it
for a point: the sentence, the transcript words it rests on, the share copied from them, and
``check``'s editor rules run on it alone (no sketch before it). The target is BAD. Figures are
cross-validated by meeting (GroupKFold: a meeting's drafts, before and after, are never on
both sides), as ROC AUC against two simpler scores: the length buckets alone and the count
of editor rules broken. The model is then fitted on every row and written out.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

from sessionsketch.checks.editor import EditorItem, copied_share, editor_problems_many, last_sentence
from sessionsketch.engines.acceptability import FEATURES, RULES, acceptability_row
from sessionsketch.engines.selection import Selector
from sessionsketch.pipeline import read_transcript

ROOT = Path(__file__).resolve().parents[1]


def rows_of_round(folder: Path) -> tuple[list[list[float]], list[int], list[str]]:
    """(features, BAD?, meeting) for every graded draft sentence of one audit round."""
    key = json.loads((folder / "key.json").read_text(encoding="utf-8"))
    sources = json.loads((folder / "sources.json").read_text(encoding="utf-8"))
    labels: dict[tuple[str, int], str] = {}
    with (folder / "labels.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            try:
                labels[(row["sketch"].strip(), int(row["n"]))] = row["label"].strip().upper()
            except (KeyError, ValueError):
                continue
    X: list[list[float]] = []
    y: list[int] = []
    groups: list[str] = []
    for blind, rel in key.items():
        stem = Path(rel).stem
        name = (
            stem.split("-", 1)[1]
            if stem.startswith(
                ("before-", "after-", "gate-", "nogate-", "qa-", "noqa-", "start-", "mid-", "end-")
            )
            else stem
        )
        source = sources.get(stem) or sources.get(name)
        if stem.startswith("exemplar") or source is None:
            continue
        tpath = (ROOT / source["transcript"]).resolve()
        if not tpath.exists():
            print(f"{folder.name}/{blind}: {tpath} is absent; skipped", file=sys.stderr)
            continue
        transcript = read_transcript(tpath, fmt="qmsum")
        turns = {t.index: t.text for t in transcript.turns}
        names = sorted({t.speaker.name for t in transcript.turns if t.speaker is not None})
        doc = json.loads((folder / rel).read_text(encoding="utf-8"))
        items: list[tuple[EditorItem, str, list[str], str]] = []
        k = 0
        for para in doc["paragraphs"]:
            for s in para["sentences"]:
                k += 1
                label = labels.get((blind, k))
                if label is None or not s.get("evidence"):
                    continue
                spans = [turns.get(e["turn"], "")[e["start"] : e["end"]] for e in s["evidence"]]
                last = s["evidence"][-1]
                turn = turns.get(last["turn"], "")
                item = EditorItem(
                    s["text"],
                    (),
                    tuple(spans),
                    before=last_sentence(turn[: last["start"]]),
                    after=turn[last["end"] :],
                )
                items.append((item, label, spans, s["text"]))
        found = editor_problems_many([i for i, *_ in items], names)
        for (_item, label, spans, text), problems in zip(items, found, strict=True):
            rules = {rule for rule, _ in problems if rule in RULES}
            X.append(acceptability_row(text, spans, copied_share(text, spans), rules))
            y.append(1 if label == "BAD" else 0)
            groups.append(name)
    return X, y, groups


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--editor", type=Path, default=ROOT / "bench" / "data" / "editor")
    ap.add_argument(
        "--out", type=Path, default=ROOT / "src" / "sessionsketch" / "data" / "acceptability.json"
    )
    ap.add_argument("--json", type=Path, help="write the cross-validated figures here")
    args = ap.parse_args(argv)
    logging.getLogger("sessionsketch").setLevel(logging.ERROR)
    X: list[list[float]] = []
    y: list[int] = []
    groups: list[str] = []
    for folder in sorted(p for p in args.editor.glob("r*") if (p / "labels.tsv").exists()):
        rx, ry, rg = rows_of_round(folder)
        print(f"{folder.name}: {len(ry)} graded draft sentences, {sum(ry)} BAD")
        X += rx
        y += ry
        groups += rg
    if len(set(groups)) < 5:
        print("fewer than five audited meetings: nothing to cross-validate", file=sys.stderr)
        return 2
    Xa, ya, ga = np.array(X), np.array(y), np.array(groups)
    length_cols = [FEATURES.index(f) for f in FEATURES if f.startswith(("words_", "log_words"))]
    rule_cols = [FEATURES.index(f) for f in FEATURES if f.startswith("rule_")]

    def fit(cols: list[int], train: np.ndarray) -> tuple[StandardScaler, LogisticRegression]:
        scaler = StandardScaler().fit(Xa[train][:, cols])
        model = LogisticRegression(C=0.5, max_iter=2000).fit(scaler.transform(Xa[train][:, cols]), ya[train])
        return scaler, model

    scores: dict[str, np.ndarray] = {k: np.zeros(len(ya)) for k in ("model", "length", "rules")}
    for train, test in GroupKFold(n_splits=5).split(Xa, ya, ga):
        for name, cols in (("model", list(range(len(FEATURES)))), ("length", length_cols)):
            scaler, model = fit(cols, train)
            scores[name][test] = model.predict_proba(scaler.transform(Xa[test][:, cols]))[:, 1]
        scores["rules"][test] = Xa[test][:, rule_cols].sum(axis=1)
    report = {
        "sentences": len(ya),
        "bad": int(ya.sum()),
        "meetings": len(set(groups)),
        "auc_cv_by_meeting": {k: round(float(roc_auc_score(ya, v)), 3) for k, v in scores.items()},
    }
    # what taking the points the model prefers would do: BAD share among the half it scores best
    order = np.argsort(scores["model"])
    half = order[: len(order) // 2]
    report["bad_share_all"] = round(float(ya.mean()), 3)
    report["bad_share_best_half_cv"] = round(float(ya[half].mean()), 3)
    print(json.dumps(report, indent=1))
    scaler, model = fit(list(range(len(FEATURES))), np.arange(len(ya)))
    sel = Selector(
        FEATURES,
        tuple(float(x) for x in scaler.mean_),
        tuple(float(x) or 1.0 for x in scaler.scale_),
        tuple(float(x) for x in model.coef_[0]),
        float(model.intercept_[0]),
    )
    args.out.write_text(
        sel.to_json(target="BAD", trained_on=report["sentences"], cv=report["auc_cv_by_meeting"]),
        encoding="utf-8",
    )
    print(f"wrote {args.out}")
    for f, w in sorted(zip(FEATURES, model.coef_[0], strict=True), key=lambda x: -abs(x[1]))[:10]:
        print(f"  {f:<20} {w:+.2f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
