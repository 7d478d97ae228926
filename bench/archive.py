"""Archive benchmark: import a synthetic archive, then search it through the HTTP API.

The archive is built from the real QMSum committee meetings: each synthetic sketch takes
sentences that speakers really said in one meeting (split with ``text.split_sentences``)
and attributes each to its speaker, so every sentence is a real, correctly attributed
quotation (the same sentence recurs in many sketches, as re-imports and duplicates do).
Sketches are spread over fictional years and session titles. They are imported with
``Archive.publish`` into the embedded SQLite archive (or PostgreSQL with ``--database``),
then ``sessionsketch serve`` is started on 127.0.0.1 and two fixed query sets are sent
through ``/api/search`` by concurrent clients, with highlighting, facets and duplicate
folding on (as the search page uses them):

- ``topic``: two topic words from a real sentence, a third of them as "what did X say
  about Y", a third with a speaker filter;
- ``facets``: the query syntax and the filters an analyst narrows with — a word with a
  year, with a conference, "a phrase", ``a OR b`` with an affiliation, ``prefix*`` with a
  speaker, a word leaving another out.

    .venv/bin/python bench/archive.py                       # 10,000 sketches, 50 sentences each
    .venv/bin/python bench/archive.py --sketches 500 --json out.json
    .venv/bin/python bench/archive.py --database postgresql://u:p@127.0.0.1/db --workers 2

Prints a table; ``--json`` writes the figures. With ``--database`` the tables of that
database are replaced.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from sessionsketch.archive import open_archive, search_terms
from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch
from sessionsketch.pipeline import read_transcript
from sessionsketch.text import split_sentences, word_count
from sessionsketch.web.process import serve_in_background

ROOT = Path(__file__).resolve().parents[1]
QMSUM = ROOT.parent / "shared" / "qmsum" / "committee"
SEED = 20260501


def meeting_sentences(path: Path) -> tuple[str, list[tuple[str, str | None, str]]]:
    """(committee, [(speaker, affiliation, sentence)]) for one meeting; speakers resolved by the library."""
    transcript = read_transcript(path)
    out = []
    for turn in transcript.turns:
        if turn.speaker is None or turn.speaker.role in ("moderator", "chair", "audience"):
            continue
        for span in split_sentences(turn.text):
            if 8 <= word_count(span.text) <= 60:
                out.append((turn.speaker.name, turn.speaker.affiliation, span.text))
    committee = (
        "House of Commons COVID-19 Committee"
        if path.name.startswith("covid")
        else "Senedd Education Committee"
    )
    return committee, out


def synthetic_sketches(count: int, per_sketch: int) -> list[Sketch]:
    rng = random.Random(SEED)
    meetings = [meeting_sentences(p) for p in sorted(QMSUM.glob("*/*.json"))]
    meetings = [(c, s) for c, s in meetings if len({x[0] for x in s}) >= 2]
    sketches = []
    for i in range(count):
        committee, pool = meetings[i % len(meetings)]
        year = 2015 + (i // len(meetings)) % 10
        speakers = sorted({x[0] for x in pool})
        chosen = set(rng.sample(speakers, min(5, len(speakers))))
        candidates = [x for x in pool if x[0] in chosen]
        picked = rng.sample(candidates, min(per_sketch, len(candidates)))
        by_speaker: dict[str, list[tuple[str, str | None, str]]] = {}
        for x in picked:
            by_speaker.setdefault(x[0], []).append(x)
        affiliations = {x[0]: x[1] for x in picked}
        metadata = Metadata(
            conference=f"{committee} {year}",
            session=f"Hearing {i // len(meetings) + 1}: sitting {i % len(meetings) + 1}",
            date=None,
            speakers=[PersonRef(name, affiliations[name]) for name in sorted(by_speaker)],
        )
        paragraphs = [
            Paragraph(speaker=name, sentences=[Sentence(text=x[2], speaker=name) for x in rows])
            for name, rows in sorted(by_speaker.items())
        ]
        sketches.append(Sketch(metadata=metadata, paragraphs=paragraphs))
    return sketches


def fixed_queries(sketches: list[Sketch], n: int = 200) -> list[dict[str, str]]:
    """A fixed, seeded set of queries: two topic words from a real sentence, a third of them with a speaker."""
    rng = random.Random(SEED + 1)
    queries: list[dict[str, str]] = []
    while len(queries) < n:
        sketch = rng.choice(sketches)
        sentence = rng.choice(sketch.sentences)
        terms = [t for t in search_terms(sentence.text) if len(t) > 3]
        if len(terms) < 2:
            continue
        words = rng.sample(terms, 2)
        if len(queries) % 3 == 0 and sentence.speaker:
            queries.append({"q": f"what did {sentence.speaker} say about {words[0]}"})
        elif len(queries) % 3 == 1:
            queries.append({"q": " ".join(words), "speaker": sentence.speaker or ""})
        else:
            queries.append({"q": " ".join(words)})
    return queries


def facet_queries(sketches: list[Sketch], n: int = 200) -> list[dict[str, str]]:
    """A fixed, seeded set of queries that narrow: filters (year, conference, affiliation, speaker)
    and the query syntax (phrases, OR, -word, prefix*)."""
    rng = random.Random(SEED + 2)
    queries: list[dict[str, str]] = []
    while len(queries) < n:
        sketch = rng.choice(sketches)
        sentence = rng.choice(sketch.sentences)
        terms = [t for t in search_terms(sentence.text) if len(t) > 3 and t.isalpha()]
        if len(terms) < 2:
            continue
        a, b = rng.sample(terms, 2)
        md = sketch.metadata
        affiliation = next((p.affiliation for p in md.speakers if p.name == sentence.speaker), None)
        kind = len(queries) % 6
        if kind == 0:
            queries.append({"q": a, "year": str(year_of(sketch))})
        elif kind == 1:
            queries.append({"q": a, "conference": md.conference or ""})
        elif kind == 2:
            words = sentence.text.split()
            i = rng.randrange(max(1, len(words) - 1))
            queries.append({"q": '"' + " ".join(w.strip('.,;:!?"“”') for w in words[i : i + 2]) + '"'})
        elif kind == 3:
            queries.append({"q": f"{a} OR {b}", "affiliation": affiliation or ""})
        elif kind == 4:
            queries.append({"q": a[: max(3, len(a) - 2)] + "*", "speaker": sentence.speaker or ""})
        else:
            queries.append({"q": f"{a} -{b}"})
    return queries


def year_of(sketch: Sketch) -> int:
    return int(str(sketch.metadata.conference).rsplit(" ", 1)[1])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def run_clients(
    base: str, queries: list[dict[str, str]], clients: int, rounds: int
) -> tuple[list[float], int]:
    """Every client sends every query ``rounds`` times in its own shuffled order; returns latencies (ms)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client(k: int) -> None:
        nonlocal errors
        order = [q for _ in range(rounds) for q in queries]
        random.Random(SEED + 100 + k).shuffle(order)
        mine = []
        bad = 0
        with httpx.Client(base_url=base, timeout=30) as http:
            for params in order:
                t0 = time.perf_counter()
                r = http.get("/api/search", params=params)
                mine.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200:
                    bad += 1
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sketches", type=int, default=10_000)
    ap.add_argument("--sentences", type=int, default=50, help="sentences per sketch")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients")
    ap.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    ap.add_argument("--rounds", type=int, default=2, help="times each client sends each query")
    ap.add_argument("--data", type=Path, help="archive folder (default: a temporary one, removed afterwards)")
    ap.add_argument(
        "--database", help="a postgresql:// URL to bench instead of SQLite (its tables are replaced)"
    )
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="search the archive already in --data (or --database) when it holds the sketches "
        "asked for, instead of importing them again (import time is then not measured)",
    )
    args = ap.parse_args(argv)

    tmp = tempfile.TemporaryDirectory(prefix="ss-bench-")
    data = args.data or Path(tmp.name)
    t0 = time.perf_counter()
    sketches = synthetic_sketches(args.sketches, args.sentences)
    generate_s = time.perf_counter() - t0
    sentences = sum(len(s.sentences) for s in sketches)

    import_s: float | None = None
    archive = open_archive(data, args.database) if args.reuse else None
    if archive is None or archive.counts()["sketches"] != len(sketches):
        if archive is not None:
            archive.close()
        if args.database:
            import psycopg

            with psycopg.connect(args.database, autocommit=True) as conn:
                conn.execute(
                    "DROP TABLE IF EXISTS sentences, appearances, imports, sketches, users, settings, "
                    "login_failures, sketch_editors CASCADE"
                )
        archive = open_archive(data, args.database)
        t0 = time.perf_counter()
        for i, sketch in enumerate(sketches):
            archive.publish(sketch, source_key=f"bench-{i}.json")
        import_s = time.perf_counter() - t0
    counts = archive.counts()
    archive.close()
    db_mb = sum(f.stat().st_size for f in data.glob("archive.sqlite3*")) / 1e6 if not args.database else None

    query_sets = {
        "topic": fixed_queries(sketches, args.queries),
        "facets": facet_queries(sketches, args.queries),
    }
    server_args = ("--workers", str(args.workers)) + (("--database", args.database) if args.database else ())
    measured: dict[str, dict[str, object]] = {}
    with serve_in_background(data, extra_args=server_args) as base:
        for name, queries in query_sets.items():
            run_clients(base, queries[:20], 1, 1)  # warm the page cache
            answers = [httpx.get(base + "/api/search", params=q, timeout=60).json() for q in queries]
            t0 = time.perf_counter()
            latencies, errors = run_clients(base, queries, args.clients, args.rounds)
            wall_s = time.perf_counter() - t0
            measured[name] = {
                "queries": len(queries),
                "queries_with_hits": sum(1 for a in answers if a.get("hits")),
                "hits_with_marks": sum(
                    1 for a in answers for h in a.get("hits", []) if "<mark>" in h["highlight"]
                ),
                "hits_folded": sum(1 for a in answers for h in a.get("hits", []) if h["copies"] > 1),
                "requests": len(latencies),
                "errors": errors,
                "throughput_rps": round(len(latencies) / wall_s, 1),
                "search_ms": {
                    "p50": round(statistics.median(latencies), 2),
                    "p95": round(percentile(latencies, 95), 2),
                    "p99": round(percentile(latencies, 99), 2),
                    "max": round(max(latencies), 2),
                },
            }
    tmp.cleanup()

    figures = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "backend": "postgresql (tsvector, ts_rank)" if args.database else "sqlite (FTS5, bm25)",
        "highlight": True,
        "facets": True,
        "sketches": counts["sketches"],
        "sentences": counts["sentences"],
        "generated_sentences": sentences,
        "generate_s": round(generate_s, 1),
        "import_s": round(import_s, 1) if import_s is not None else None,
        "import_sentences_per_s": round(sentences / import_s) if import_s else None,
        "database_mb": round(db_mb, 1) if db_mb is not None else None,
        "clients": args.clients,
        "server_workers": args.workers,
        "query_sets": measured,
    }
    rows = [
        ("backend", figures["backend"]),
        ("sketches / sentences", f"{figures['sketches']:,} / {figures['sentences']:,}"),
        (
            "import",
            f"{figures['import_s']} s ({figures['import_sentences_per_s']:,} sentences/s)"
            if import_s is not None
            else "reused the archive (not imported again)",
        ),
    ]
    if db_mb is not None:
        rows.append(("database", f"{figures['database_mb']} MB"))
    rows.append(("clients / server processes", f"{args.clients} / {args.workers}"))
    for name, m in measured.items():
        rows += [
            (f"[{name}] queries (with hits)", f"{m['queries']} ({m['queries_with_hits']})"),
            (f"[{name}] requests, errors", f"{m['requests']}, {m['errors']}"),
            (f"[{name}] throughput", f"{m['throughput_rps']} requests/s"),
            (f"[{name}] search p50 / p95 / p99", "{p50} / {p95} / {p99} ms".format(**m["search_ms"])),
        ]
    width = max(len(k) for k, _ in rows)
    print(f"archive bench — {figures['machine']}, Python {figures['python']} (highlighting and facets on)")
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
