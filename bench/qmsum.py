"""QMSum benchmark: sessionsketch against lead, LexRank, TextRank and an oracle.

    python bench/qmsum.py --data ../shared/qmsum/committee/val [--json OUT]
        [--engine NAME --endpoint URL --model NAME] [--workers N]

Three tasks over every meeting file in ``--data`` (QMSum JSON):

- ``speaker``: queries that ask what a named participant said, thought, argued,
  suggested, explained... (the person is found among the speakers of the gold span by
  name, family name or role, e.g. "the Prime Minister") → the engine's paragraph(s) for
  that person, drafted from the gold ``relevant_text_span`` turns;
- ``topic``: "Summarize the discussion about ..." → the engine's paragraphs for the
  gold span's turns;
- ``general``: "Summarize the whole meeting." → the whole sketch body.

Word budget, the same for every system: the reference answer's length in words. Every
system's output is cut to at most that many words.

What each system reads: the engine reports only the named speaker in the speaker task,
so there the baselines and the oracle read the named speaker's own turns of the gold
span too (the fair comparison). ``--whole-span`` adds the earlier rows, in which they
read every turn of the span (everyone's), as ``lead/span``, ``lexrank/span``,
``textrank/span`` and ``oracle/span``. Baselines: ``lead`` (first words of
the input turns), ``lexrank`` and ``textrank`` (sumy summarizers with sumy's English
stemmer and stop words; sentences are split by sessionsketch's splitter because sumy's
default tokenizer needs NLTK's punkt data, which is not installed and may not be
downloaded; sentences are added in sumy's output until the budget is reached),
``oracle`` (greedy extract maximising ROUGE-1+ROUGE-2 F1 against the reference: the
ceiling for extractive selection) and ``sessionsketch`` (the ``extractive`` engine, or
``--engine NAME`` through :func:`sessionsketch.engines.get_engine` as an extra row).
Metric: ROUGE-1/2/L F1 × 100 with stemming (rouge-score), averaged over queries.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from statistics import mean

from rouge_score import rouge_scorer

from sessionsketch.analysis.names import match_name
from sessionsketch.analysis.resolve import infer_programme, resolve_transcript
from sessionsketch.engines import DraftOptions, get_engine
from sessionsketch.model import Person, Transcript
from sessionsketch.pipeline import read_transcript
from sessionsketch.text import split_sentences

TASKS = ("speaker", "topic", "general")
SPEAKER_QUERY = re.compile(
    r"^(what|how|why)\s+(did|does|do|was|were|is)\s+(?P<who>.+?)\s+"
    r"(say|said|think|thought|argue|suggest|propose|explain|feel|believe|mention|state|respond|"
    r"answer|describe|comment|talk|discuss|express|report|recommend|raise|emphasi[sz]e|present|"
    r"introduce|reply|react|add|elaborate|clarify|conclude|agree|disagree|view|opinion|summari[sz]e)",
    re.I,
)
TOPIC_QUERY = re.compile(r"^summari[sz]e the discussion (about|on|of|regarding)\b", re.I)
_SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


def cut(text: str, budget: int) -> str:
    words = text.split()
    return " ".join(words[:budget])


def spans(query: dict) -> list[int]:  # type: ignore[type-arg]
    out: list[int] = []
    for a, b in query.get("relevant_text_span") or []:
        out.extend(range(int(a), int(b) + 1))
    return sorted(set(out))


def speaker_of(query: str, turns: list, people: list[Person]) -> Person | None:  # type: ignore[type-arg]
    """The participant a speaker query names, among the speakers of its span."""
    m = SPEAKER_QUERY.match(query.strip())
    if not m:
        return None
    who = re.sub(r"^(the|mr\.?|ms\.?|mrs\.?|dr\.?)\s+", "", m.group("who").strip(), flags=re.I)
    in_span = {t.speaker.name: t.speaker for t in turns if t.speaker is not None}
    candidates = list(in_span.values())
    hit = match_name(who, candidates)
    if hit:
        return hit.person
    low = who.lower()
    by_role = [p for p in candidates if p.affiliation and low in p.affiliation.lower()]
    if len(by_role) == 1:
        return by_role[0]
    if low in {"chair", "the chair", "chairman", "chairwoman"}:
        chairs = [p for p in candidates if p.role in ("chair", "moderator")]
        return chairs[0] if len(chairs) == 1 else None
    return None


# ------------------------------------------------------------------ systems


class _SentenceTokenizer:
    """sumy's tokenizer interface over sessionsketch's splitter (sumy's needs punkt data)."""

    _WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.text for s in split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(self._WORD.findall(sentence))


def sumy_summary(kind: str, text: str, budget: int) -> str:
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    parser = PlaintextParser.from_string(text, _SentenceTokenizer())
    summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    if not parser.document.sentences:
        return ""

    def up_to_budget(ranked):  # type: ignore[no-untyped-def]
        """sumy's ``count`` may be a callable over the sentences, best rated first."""
        taken, words = [], 0
        for info in ranked:
            if words >= budget:
                break
            taken.append(info)
            words += len(info.sentence.words)
        return taken

    chosen = summarizer(parser.document, up_to_budget)
    return cut(" ".join(str(s) for s in chosen), budget)


def oracle(text: str, reference: str, budget: int, pool: int = 40) -> str:
    sents = [s.text for s in split_sentences(text)]
    ref_words = set(reference.lower().split())
    overlap = sorted(range(len(sents)), key=lambda i: -len(ref_words & set(sents[i].lower().split())))
    keep = set(overlap[:pool])  # greedy search over the sentences sharing most words
    sents = [s for i, s in enumerate(sents) if i in keep]
    chosen: list[int] = []
    best = 0.0
    while True:
        gain_i, gain = None, best
        used = sum(len(sents[i].split()) for i in chosen)
        if used >= budget:
            break
        for i, s in enumerate(sents):
            if i in chosen or len(s.split()) < 3:
                continue
            trial = cut(" ".join(sents[j] for j in sorted([*chosen, i])), budget)
            sc = _SCORER.score(reference, trial)
            val = sc["rouge1"].fmeasure + sc["rouge2"].fmeasure
            if val > gain:
                gain_i, gain = i, val
        if gain_i is None:
            break
        chosen.append(gain_i)
        best = gain
    return cut(" ".join(sents[j] for j in sorted(chosen)), budget)


def engine_summary(
    engine, programme, transcript: Transcript, budget: int, only: Person | None, extra: dict | None = None
) -> str:  # type: ignore[no-untyped-def,type-arg]
    options = DraftOptions(words=budget, include_moderator=only is not None)
    options.extra.update(extra or {})
    if only is not None:
        options.extra["speakers"] = [only.name]
    session = programme.session
    sketch = engine.draft(programme, session, transcript, options)
    paras = [p for p in sketch.paragraphs if only is None or p.speaker == only.name]
    return cut(" ".join(p.text for p in paras), budget)


# ------------------------------------------------------------------ run


def baselines(text: str, reference: str, budget: int, suffix: str = "") -> dict[str, str]:
    """The baseline and oracle summaries of ``text``, named with ``suffix``."""
    return {
        f"lead{suffix}": cut(text, budget),
        f"lexrank{suffix}": sumy_summary("lexrank", text, budget),
        f"textrank{suffix}": sumy_summary("textrank", text, budget),
        f"oracle{suffix}": oracle(text, reference, budget),
    }


def run_meeting(args: tuple[str, str | None, dict, bool, bool, dict]) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    path, engine_name, settings, whole_span, engine_only, extra = args
    logging.getLogger("sessionsketch").setLevel(logging.ERROR)
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    full = read_transcript(path, fmt="qmsum")
    programme = infer_programme(full)
    resolve_transcript(full, programme)
    engines = {"sessionsketch": get_engine("extractive")}
    if engine_name and engine_name != "extractive":
        engines[f"sessionsketch[{engine_name}]"] = get_engine(engine_name, **settings)
    jobs: list[tuple[str, list[int], str, Person | None]] = []
    for q in doc.get("general_query_list") or []:
        jobs.append(("general", list(range(len(full.turns))), q["answer"], None))
    for q in doc.get("specific_query_list") or []:
        idx = [i for i in spans(q) if i < len(full.turns)]
        if not idx:
            continue
        turns = [full.turns[i] for i in idx]
        if TOPIC_QUERY.match(q["query"].strip()):
            jobs.append(("topic", idx, q["answer"], None))
            continue
        person = speaker_of(q["query"], turns, programme.session.participants)
        if person is not None:
            jobs.append(("speaker", idx, q["answer"], person))
    out = []
    for task, idx, reference, person in jobs:
        turns = [full.turns[i] for i in idx]
        sub = Transcript(turns=turns, source=path)
        text = "\n\n".join(t.text for t in turns)
        budget = len(reference.split())
        if engine_only:
            outputs = {}
        elif person is not None:  # the speaker task: the baselines read what the engine reports
            own = "\n\n".join(
                t.text for t in turns if t.speaker is not None and t.speaker.name == person.name
            )
            outputs = baselines(own, reference, budget)
            if whole_span:
                outputs.update(baselines(text, reference, budget, "/span"))
        else:
            outputs = baselines(text, reference, budget)
        # the speaker's share of the budget filled, where they said at least that much
        said = (
            sum(len(t.text.split()) for t in turns if t.speaker is not None and t.speaker.name == person.name)
            if person is not None
            else 0
        )
        for name, eng in engines.items():
            outputs[name] = engine_summary(eng, programme, sub, budget, person, extra)
        for system, summary in outputs.items():
            sc = _SCORER.score(reference, summary)
            row = {k: 100 * v.fmeasure for k, v in sc.items()}
            if system.startswith("sessionsketch") and person is not None and said >= budget:
                row["fill"] = min(len(summary.split()), budget) / budget
            out.append((task, system, row))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, type=Path, help="folder of QMSum meeting JSON files")
    ap.add_argument("--json", type=Path, help="write the table as JSON here")
    ap.add_argument("--engine", help="an extra engine row (e.g. llm)")
    ap.add_argument("--endpoint", help="the engine's endpoint (OpenAI-compatible URL)")
    ap.add_argument("--model", help="the engine's model name")
    ap.add_argument("--workers", type=int, default=None, help="parallel meetings (default: cores)")
    ap.add_argument(
        "--whole-span",
        action="store_true",
        help="speaker task: also the baselines reading the whole gold span (everyone's turns)",
    )
    ap.add_argument(
        "--engine-only",
        action="store_true",
        help="score the engine alone (the baselines and the oracle do not change with the engine)",
    )
    ap.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="an engine option for DraftOptions.extra (e.g. editor_gate=false); repeatable",
    )
    args = ap.parse_args(argv)
    try:
        extra = {k: json.loads(v) for k, _, v in (e.partition("=") for e in args.extra)}
    except json.JSONDecodeError as err:
        print(f"--extra: not KEY=JSON ({err})", file=sys.stderr)
        return 2
    files = sorted(args.data.glob("*.json"))
    if not files:
        print(f"{args.data}: no QMSum meeting files", file=sys.stderr)
        return 2
    settings = {k: v for k, v in (("endpoint", args.endpoint), ("model", args.model)) if v}
    t0 = time.perf_counter()
    rows: list[tuple[str, str, dict]] = []  # type: ignore[type-arg]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for part in pool.map(
            run_meeting,
            [(str(f), args.engine, settings, args.whole_span, args.engine_only, extra) for f in files],
        ):
            rows.extend(part)
    table: dict[str, dict[str, dict[str, float]]] = {}
    systems: list[str] = []
    for task in TASKS:
        for _, system, _ in rows:
            if system not in systems:
                systems.append(system)
        table[task] = {}
        for system in systems:
            scores = [s for t, sy, s in rows if t == task and sy == system]
            if not scores:
                continue
            table[task][system] = {
                "rouge1": round(mean(s["rouge1"] for s in scores), 2),
                "rouge2": round(mean(s["rouge2"] for s in scores), 2),
                "rougeL": round(mean(s["rougeL"] for s in scores), 2),
                "n": len(scores),
            }
            fills = [s["fill"] for s in scores if "fill" in s]
            if fills:  # the bar: no speaker query under 60% of its budget
                table[task][system]["fill"] = round(mean(fills), 3)
                table[task][system]["under_60"] = sum(f < 0.6 for f in fills)
                table[task][system]["filled_n"] = len(fills)
    print(f"QMSum {args.data} — {len(files)} meetings, ROUGE F1 x100 (stemmed), budget = reference length")
    print(f"{'task':<8} {'system':<22} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'n':>4}")
    for task, by_system in table.items():
        for system, r in by_system.items():
            print(
                f"{task:<8} {system:<22} {r['rouge1']:6.2f} {r['rouge2']:6.2f} {r['rougeL']:6.2f} {r['n']:4d}"
            )
    for task, by_system in table.items():
        for system, r in by_system.items():
            if "fill" in r:
                print(
                    f"{task} {system}: budget filled {r['fill']:.2f} on average; "
                    f"{r['under_60']} of {r['filled_n']} queries under 60% (speaker said at least the budget)"
                )
    print(f"({time.perf_counter() - t0:.1f} s)")
    if args.json:
        args.json.write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
