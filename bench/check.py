"""Recall and false-positive rate of `sessionsketch check` on drafts with injected errors.

For every QMSum meeting in --data: draft a sketch (the draft engine when it is
installed, else a sketch built from the transcript's own sentences in reported form),
check the clean draft, then inject known errors and check again:

- misattribution: the speaker of k sentences swapped to another participant (and the
  name in the sentence with it) — caught when ``support.misattributed`` fires there;
- misspelling: k name mentions misspelt by one or two edits — caught when
  ``names.misspelt`` fires there with the right spelling;
- dropped speaker: all paragraphs about one speaker removed — caught when
  ``coverage.missing`` names them.

False positives are findings of the same rule on the clean draft (sentences,
correctly written name mentions, covered speakers).

    /work/venv/bin/python bench/check.py --data ../shared/qmsum/committee/val --json out.json
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import string
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sessionsketch.checks import run_checks
from sessionsketch.checks.names import NameFinder
from sessionsketch.errors import UserError
from sessionsketch.model import Paragraph, Programme, Sentence, Session, Sketch, Transcript
from sessionsketch.analysis.names import match_name
from sessionsketch.readers import read_transcript
from sessionsketch.text import split_sentences, word_count

VERBS = ("noted that", "said that", "argued that", "suggested that", "explained that")
FIRST_TO_THIRD = {
    "I": "they",
    "I'm": "they are",
    "my": "their",
    "me": "them",
    "we": "they",
    "our": "their",
    "us": "them",
}


@dataclass
class Tally:
    injected: int = 0
    caught: int = 0
    clean: int = 0  # clean items checked
    false: int = 0  # clean items flagged

    @property
    def recall(self) -> float:
        return self.caught / self.injected if self.injected else float("nan")

    @property
    def fp_rate(self) -> float:
        return self.false / self.clean if self.clean else float("nan")


@dataclass
class Run:
    meetings: list[str] = field(default_factory=list)
    source: str = ""
    tallies: dict[str, Tally] = field(default_factory=dict)
    seconds: float = 0.0


def programme_of(transcript: Transcript) -> Programme:
    people = {}
    for t in transcript.turns:
        if t.speaker is not None:
            people.setdefault(t.speaker.name, t.speaker)
    return Programme(sessions=[Session(title="Committee meeting", speakers=list(people.values()))])


def reported_form(sentence: str, family: str, verb: str) -> str:
    words = sentence.split()
    words = [FIRST_TO_THIRD.get(w, w) for w in words]
    if words and words[0] not in ("I",) and not words[0].isupper():
        words[0] = words[0][:1].lower() + words[0][1:]
    return f"{family} {verb} {' '.join(words)}"


def transcript_sketch(programme: Programme, transcript: Transcript, rng: random.Random) -> Sketch:
    """A stand-in draft: up to 4 of each speaker's longer sentences, in reported form."""
    paragraphs = []
    for person in programme.session.speakers:
        turns = transcript.turns_of(person.name)
        if sum(word_count(t.text) for t in turns) < 300:
            continue
        pool = [s.text for t in turns for s in split_sentences(t.text) if 12 <= word_count(s.text) <= 60]
        if not pool:
            continue
        chosen = rng.sample(pool, min(4, len(pool)))
        sentences = [
            Sentence(reported_form(s, person.family_name, VERBS[i % len(VERBS)]), person.name)
            for i, s in enumerate(chosen)
        ]
        paragraphs.append(Paragraph(sentences, person.name))
    return Sketch(paragraphs=paragraphs)


def draft(programme: Programme, transcript: Transcript, rng: random.Random) -> tuple[Sketch, str]:
    try:
        from sessionsketch.engines import draft_sketch

        return draft_sketch(programme, transcript), "draft_sketch (extractive engine)"
    except (UserError, ImportError):
        return transcript_sketch(programme, transcript, rng), "transcript sentences in reported form"


def copy(sketch: Sketch) -> Sketch:
    return Sketch.from_dict(sketch.to_dict())


def places(findings, rule: str) -> set[tuple[int, int]]:
    return {
        (f.location.paragraph, f.location.sentence)
        for f in findings
        if f.rule == rule and f.location.paragraph is not None
    }


def misspell(word: str, edits: int, rng: random.Random) -> str:
    letters = list(word)
    for _ in range(edits):
        # a typo keeps each word's capital: edit letters after the first of a word
        idx = [i for i, c in enumerate(letters) if c.isalpha() and i > 0 and letters[i - 1].isalpha()]
        if not idx:
            break
        i = rng.choice(idx)
        op = rng.choice(("sub", "del", "ins", "swap"))
        c = rng.choice(string.ascii_lowercase)
        if op == "sub":
            letters[i] = c if c != letters[i].lower() else "x"
        elif op == "del" and len(idx) > 4:
            del letters[i]
        elif (
            op == "swap"
            and i + 1 < len(letters)
            and letters[i + 1].isalpha()
            and letters[i] != letters[i + 1]
        ):
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
        else:
            letters.insert(i, c)
    return "".join(letters)


VERBOSE = False


def log(message: str) -> None:
    if VERBOSE:
        print(message, file=sys.stderr)


def bench_meeting(path: Path, run: Run, rng: random.Random, k: int) -> None:
    transcript = read_transcript(path)
    programme = programme_of(transcript)
    sketch, source = draft(programme, transcript, rng)
    run.source = source
    people = programme.session.people
    finder = NameFinder(people)
    clean = run_checks(sketch, programme, transcript)
    attributed = [
        (i, j)
        for i, p in enumerate(sketch.paragraphs)
        for j, s in enumerate(p.sentences)
        if s.speaker or p.speaker
    ]
    flagged = places(clean, "support.misattributed")
    unsupported = places(clean, "support.unsupported")
    t = run.tallies
    t["support.misattributed"].clean += len(attributed)
    t["support.misattributed"].false += len(flagged)
    t["support.unsupported"].clean += len(attributed)
    t["support.unsupported"].false += len(unsupported)

    # misattribution
    bad = copy(sketch)
    speakers = [p.name for p in programme.session.speakers if transcript.turns_of(p.name)]
    swapped = []
    for i, j in rng.sample([ij for ij in attributed if ij not in flagged], min(k, len(attributed))):
        para = bad.paragraphs[i]
        sent = para.sentences[j]
        old = sent.speaker or para.speaker
        new = rng.choice([s for s in speakers if s != old])
        old_p, new_p = programme.session.find(old), programme.session.find(new)
        for m in finder.mentions(sent.text):
            if m.person is old_p and new_p is not None:
                sent.text = sent.text[: m.start] + new_p.family_name + sent.text[m.end :]
                break
        sent.speaker = new
        swapped.append((i, j))
    got = places(run_checks(bad, programme, transcript, only=["support"]), "support.misattributed")
    t["support.misattributed"].injected += len(swapped)
    t["support.misattributed"].caught += sum(1 for ij in swapped if ij in got)

    # misspelling
    mentions = [
        (i, j, m)
        for i, p in enumerate(sketch.paragraphs)
        for j, s in enumerate(p.sentences)
        for m in finder.mentions(s.text)
        if m.kind == "exact"
    ]
    false_names = [f for f in clean if f.rule == "names.misspelt"]
    for f in false_names:
        log(f"{path.name}: false flag: {f.message}")
    t["names.misspelt"].clean += len(mentions)
    t["names.misspelt"].false += len(false_names)
    bad = copy(sketch)
    targets = {}
    for i, j, m in rng.sample(mentions, min(k, len(mentions))):
        if (i, j) in targets:
            continue
        sent = bad.paragraphs[i].sentences[j]
        wrong = misspell(m.written, rng.choice((1, 2)), rng)
        if finder.forms.get(" ".join(wrong.lower().replace("-", " ").split())):
            continue
        sent.text = sent.text[: m.start] + wrong + sent.text[m.end :]
        targets[(i, j)] = (wrong, m.written)
    found = [f for f in run_checks(bad, programme, transcript, only=["names"]) if f.rule == "names.misspelt"]
    t["names.misspelt"].injected += len(targets)
    for (i, j), (wrong, right) in targets.items():
        if not any(
            (f.location.paragraph, f.location.sentence) == (i, j) and f.fix and f.fix.old == wrong
            for f in found
        ):
            log(f"{path.name}: missed misspelling {wrong!r} of {right!r}")
        if any(
            (f.location.paragraph, f.location.sentence) == (i, j)
            and f.fix
            and f.fix.old == wrong
            and f.fix.new == right
            for f in found
        ):
            t["names.misspelt"].caught += 1

    # dropped speaker
    covered = {p.speaker for p in sketch.paragraphs if p.speaker}
    missing_clean = {f.message.split(" is a listed")[0] for f in clean if f.rule == "coverage.missing"}
    t["coverage.missing"].clean += len(covered)
    t["coverage.missing"].false += len(covered & missing_clean)
    if len(covered) > 1:
        victim = rng.choice(sorted(covered))
        victim_p = programme.session.find(victim)
        bad = copy(sketch)
        bad.paragraphs = [
            p
            for p in bad.paragraphs
            if p.speaker != victim and not any(m.person is victim_p for m in finder.mentions(p.text))
        ]
        found = [f for f in run_checks(bad, programme, only=["coverage"]) if f.rule == "coverage.missing"]
        t["coverage.missing"].injected += 1
        t["coverage.missing"].caught += any(f.message.startswith(f"{victim} is a listed") for f in found)


_SPEAKER_QUERY = re.compile(
    r"^(?:What|How) did (.+?) (?:think|say|argue|feel|suggest|propose|explain|state|mention|believe|"
    r"respond|answer|report|describe|express)"
)


def bench_answers(path: Path, run: Run, rng: random.Random) -> None:
    """Human-written reported speech: QMSum's answers to "What did <speaker> say about ...?".

    Each answer sentence is attributed to the speaker the query names (queries naming a
    role, "the Prime Minister", are left out). Clean: how many are flagged; injected: the
    same sentences given to someone else who speaks in the query's span.
    """
    doc = json.loads(path.read_text(encoding="utf-8"))
    transcript = read_transcript(path)
    people = list({t.speaker.name: t.speaker for t in transcript.turns if t.speaker}.values())
    by_index = {t.index: t for t in transcript.turns}
    paragraphs, swaps = [], []
    for query in doc.get("specific_query_list", []):
        m = _SPEAKER_QUERY.match(query.get("query", ""))
        if not m:
            continue
        words: Counter[str] = Counter()
        for lo, hi in query.get("relevant_text_span", []):
            for i in range(int(lo), int(hi) + 1):
                turn = by_index.get(i)
                if turn is not None and turn.speaker is not None:
                    words[turn.speaker.name] += word_count(turn.text)
        named = match_name(m.group(1), people)
        if named is None or named.kind == "fuzzy":
            continue  # a role ("the Minister of Seniors"), not a name: whose words, is unclear
        subject = named.person.name
        others = [n for n in words if n != subject] or [p.name for p in people if p.name != subject]
        sentences = [
            Sentence(s.text, subject) for s in split_sentences(query["answer"]) if word_count(s.text) >= 6
        ]
        if sentences:
            paragraphs.append(Paragraph(sentences, subject))
            swaps.append(others)
    sketch = Sketch(paragraphs=paragraphs)
    clean = run_checks(sketch, None, transcript, only=["support"])
    n = len(sketch.sentences)
    t = run.tallies
    t["answers: misattributed"].clean += n
    t["answers: misattributed"].false += len(places(clean, "support.misattributed"))
    t["answers: unsupported"].clean += n
    t["answers: unsupported"].false += len(places(clean, "support.unsupported"))
    for f in clean:
        log(f"{path.name}: clean answer flagged: {f.rule}: {f.message[:160]}")
    bad = copy(sketch)
    for para, others in zip(bad.paragraphs, swaps, strict=True):
        new = rng.choice(others)
        for sent in para.sentences:
            sent.speaker = new
        para.speaker = new
    got = places(run_checks(bad, None, transcript, only=["support"]), "support.misattributed")
    t["answers: misattributed"].injected += n
    t["answers: misattributed"].caught += len(got)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="folder of QMSum meeting JSON files")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("-k", type=int, default=5, help="errors of each kind injected per meeting")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and false flag")
    args = ap.parse_args(argv)
    global VERBOSE
    VERBOSE = args.verbose
    files = sorted(args.data.glob("*.json"))
    if not files:
        print(f"{args.data}: no meetings", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    rules = ("support.misattributed", "support.unsupported", "names.misspelt", "coverage.missing")
    run = Run(tallies={r: Tally() for r in (*rules, "answers: misattributed", "answers: unsupported")})
    start = time.perf_counter()
    for path in files:
        bench_meeting(path, run, rng, args.k)
        bench_answers(path, run, rng)
        run.meetings.append(path.name)
    run.seconds = time.perf_counter() - start

    print(f"{len(files)} meetings from {args.data} — sketches: {run.source}; k={args.k}, seed={args.seed}")
    print(
        f"{'rule':24} {'injected':>8} {'caught':>7} {'recall':>7} {'clean':>6} {'flagged':>8} {'FP rate':>8}"
    )
    rows = {}
    for name, t in run.tallies.items():
        rows[name] = {
            "injected": t.injected,
            "caught": t.caught,
            "recall": None if t.injected == 0 else round(t.recall, 4),
            "clean": t.clean,
            "false_flags": t.false,
            "fp_rate": None if t.clean == 0 else round(t.fp_rate, 4),
        }
        recall = "-" if not t.injected else f"{t.recall:.1%}"
        fp = "-" if not t.clean else f"{t.fp_rate:.1%}"
        print(f"{name:24} {t.injected:>8} {t.caught:>7} {recall:>7} {t.clean:>6} {t.false:>8} {fp:>8}")
    print(f"{run.seconds:.1f} s on {platform.machine()} / Python {platform.python_version()}")
    if args.json:
        from sessionsketch.files import write_atomic

        doc = {
            "data": str(args.data),
            "meetings": run.meetings,
            "sketches": run.source,
            "k": args.k,
            "seed": args.seed,
            "rules": rows,
            "seconds": round(run.seconds, 2),
            "machine": platform.machine(),
            "python": platform.python_version(),
        }
        write_atomic(args.json, json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
