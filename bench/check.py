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

Then the cases where misattribution really happens, around questions and answers.
Every question–answer pair of every meeting (a turn that ends with a question,
answered by the next turn, another speaker's) gives:

- replies: the answer's sentence that shares most words with the question, in
  reported form under the one who answered (clean) and under the member who asked
  (injected);
- confirmations: where the answer opens with yes ("Yes.", "That's right"), the
  question as a statement ("Williams confirmed that the principles apply to …")
  under the one who answered (clean) and under the one who asked (injected);
- questions: "X asked whether …" (the question in indirect form) under the one who
  asked (clean) and under the one who answered (injected);
- answers: QMSum's own answers to "What did X say about …?", under X (clean) and
  under another speaker of the query's turns (injected);
- exemplar: the hand-written sketch of the bundled example
  (../shared/exemplars/welsh-education-committee.md): `sessionsketch check` with the
  example's programme and transcript, every `support` finding a false alarm; and its
  sentences under the speakers its evidence file names (clean) and under another
  speaker of their evidence turns (injected).

Each row gives recall (caught/injected) and the false-alarm rate (flagged/clean)
with their counts; the `check` time is the time spent in `run_checks`.

    .venv/bin/python bench/check.py --data ../shared/qmsum/committee/val --json out.json
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import string
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from sessionsketch.analysis import syntax
from sessionsketch.analysis.attribute import attribute_sketch
from sessionsketch.analysis.names import fold, match_name
from sessionsketch.analysis.support import affirms
from sessionsketch.checks import run_checks
from sessionsketch.checks.names import NameFinder
from sessionsketch.errors import UserError
from sessionsketch.model import Paragraph, Programme, Sentence, Session, Sketch, Transcript, Turn
from sessionsketch.pipeline import read_transcript
from sessionsketch.readers.programme import load_programme
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
    check_seconds: float = 0.0  # spent in run_checks
    left_out: int = 0  # QMSum answer sentences that report someone other than the query's subject


RUN = Run()


def check(sketch: Sketch, programme: Programme | None, transcript: Transcript | None, **kw) -> list:
    """``run_checks``, timed into the run's check time."""
    start = time.perf_counter()
    try:
        return run_checks(sketch, programme, transcript, **kw)
    finally:
        RUN.check_seconds += time.perf_counter() - start


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
    clean = check(sketch, programme, transcript)
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
    for f in clean:
        if f.rule.startswith("support."):
            log(f"{path.name}: clean draft flagged: {f.rule}: {f.message[:300]}")

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
    got = places(check(bad, programme, transcript, only=["support"]), "support.misattributed")
    t["support.misattributed"].injected += len(swapped)
    t["support.misattributed"].caught += sum(1 for ij in swapped if ij in got)
    for i, j in swapped:
        if (i, j) not in got:
            sent = bad.paragraphs[i].sentences[j]
            log(f"{path.name}: missed draft misattribution to {sent.speaker}: {sent.text[:200]}")

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
    found = [f for f in check(bad, programme, transcript, only=["names"]) if f.rule == "names.misspelt"]
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
        found = [f for f in check(bad, programme, None, only=["coverage"]) if f.rule == "coverage.missing"]
        t["coverage.missing"].injected += 1
        t["coverage.missing"].caught += any(f.message.startswith(f"{victim} is a listed") for f in found)


_SPEAKER_QUERY = re.compile(
    r"^(?:What|How) did (.+?) (?:think|say|argue|feel|suggest|propose|explain|state|mention|believe|"
    r"respond|answer|report|describe|express)"
)


def bench_answers(path: Path, run: Run, rng: random.Random) -> None:
    """Human-written reported speech: QMSum's answers to "What did <speaker> say about ...?".

    Each answer sentence is attributed to the speaker the query names (queries naming a
    role, "the Prime Minister", are left out; so are sentences whose grammar gives them
    to another participant, "…, Nicola Edwards said that …", as ``attribute_sketch`` reads them). Clean: how many are flagged; injected: the
    same sentences given to the member who asked in the query's span (who put most
    questions there), else to someone else who speaks there.
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
        asked: Counter[str] = Counter()  # questions put in the span, by speaker
        for lo, hi in query.get("relevant_text_span", []):
            for i in range(int(lo), int(hi) + 1):
                turn = by_index.get(i)
                if turn is not None and turn.speaker is not None:
                    words[turn.speaker.name] += word_count(turn.text)
                    asked[turn.speaker.name] += turn.text.count("?")
        named = match_name(m.group(1), people)
        if named is None or named.kind == "fuzzy":
            continue  # a role ("the Minister of Seniors"), not a name: whose words, is unclear
        subject = named.person.name
        # the answer goes to the member who asked (most questions in the span), else to
        # someone else who speaks there, else to anyone else
        askers = sorted((n for n in asked if n != subject and asked[n]), key=lambda n: (-asked[n], n))
        others = (
            askers[:1] or [n for n in words if n != subject] or [p.name for p in people if p.name != subject]
        )
        texts = [s.text for s in split_sentences(query["answer"]) if word_count(s.text) >= 6]
        # an answer sometimes reports the exchange ("When Gwenllian asked …, Nicola Edwards
        # said …"): read it as check reads a sketch and keep the sentences about the subject
        read = attribute_sketch(Sketch(paragraphs=[Paragraph([Sentence(t) for t in texts])]), people)
        sentences = [Sentence(s.text, subject) for s in read.sentences if s.speaker in (None, subject)]
        run.left_out += len(texts) - len(sentences)
        if sentences:
            paragraphs.append(Paragraph(sentences, subject))
            swaps.append(others)
    sketch = Sketch(paragraphs=paragraphs)
    clean = check(sketch, None, transcript, only=["support"])
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
    got = places(check(bad, None, transcript, only=["support"]), "support.misattributed")
    t["answers: misattributed"].injected += n
    t["answers: misattributed"].caught += len(got)
    for i, para in enumerate(bad.paragraphs):
        for j, sent in enumerate(para.sentences):
            if (i, j) not in got:
                log(f"{path.name}: missed answer misattribution to {sent.speaker}: {sent.text[:200]}")


# ---------------------------------------------------------------- questions and answers

#: What opens a spoken sentence but not a reported one ("Yes, they apply …" → "they apply …").
_OPENERS = re.compile(
    r"^(?:(?:yes|yeah|no|well|so|okay|ok|right|and|but|now|look|sure|absolutely|indeed|certainly|"
    r"thank you(?: very much)?(?:, chair)?|thanks|i think|i mean|i guess|of course|to be honest)\b[,.;:—–-]*\s*)+",
    re.IGNORECASE,
)
SECOND_TO_THIRD = {"you": "they", "your": "their", "yourself": "themselves", "You": "They", "Your": "Their"}


@dataclass
class Pair:
    """A question (the last sentences of one turn) and the next turn, another speaker's, answering it."""

    asker: str
    answerer: str
    question: str  # the question sentence
    proposal: str  # the sentences of the asking turn up to the question's end (its last two)
    answer: Turn


def qa_pairs(transcript: Transcript) -> list[Pair]:
    """Every turn that ends with a question and the next turn, by someone else, of 15+ words."""
    pairs = []
    for ask, answer in pairwise(transcript.turns):
        if ask.speaker is None or answer.speaker is None or ask.speaker_name == answer.speaker_name:
            continue
        spans = split_sentences(ask.text)
        if not spans or not spans[-1].text.rstrip(" \"'”’)").endswith("?"):
            continue
        if word_count(answer.text) < 15 and not affirms(answer.text):
            continue
        pairs.append(
            Pair(
                ask.speaker_name,
                answer.speaker_name,
                spans[-1].text,
                " ".join(s.text for s in spans[-2:]),
                answer,
            )
        )
    return pairs


def content(text: str) -> set[str]:
    return {w for w in fold(text).split() if len(w) > 2 and w not in ENGLISH_STOP_WORDS}


def spoken_to_reported(sentence: str) -> str:
    """The words of a spoken sentence as they follow "Name said that": openers gone, persons third."""
    rest = _OPENERS.sub("", sentence.strip()).strip()
    words = [SECOND_TO_THIRD.get(w, FIRST_TO_THIRD.get(w, w)) for w in rest.split()]
    if words and not words[0].isupper() and words[0] != "I":
        words[0] = words[0][:1].lower() + words[0][1:]
    return " ".join(words)


def reply_sentence(pair: Pair) -> str | None:
    """The answer's sentence sharing most content words with the question (8–60 words)."""
    asked = content(pair.proposal)
    best, best_shared = None, -1
    for span in split_sentences(pair.answer.text):
        n = word_count(span.text)
        if not 8 <= n <= 60 or span.text.rstrip().endswith("?") or span.text.lower().startswith("thank"):
            continue
        shared = len(content(span.text) & asked)
        if shared > best_shared:
            best, best_shared = span.text, shared
    return spoken_to_reported(best) if best else None


def declarative(question: str) -> tuple[str, bool] | None:
    """A direct question as the clause of an indirect one, and whether it is a yes/no question.

    "How can more of them be brought into the hubs?" → ("how more of them can be brought
    into the hubs", False); "Do the principles apply to colleges?" → ("the principles apply
    to colleges", True). None when the parse gives no inverted auxiliary to move.
    """
    doc = syntax.parse(_OPENERS.sub("", question.strip()))
    root = syntax.root_of(doc)
    subject = syntax.subject_of(root)
    if subject is None:
        return None
    lo, hi = subject.left_edge.i, subject.right_edge.i
    aux = next((t for t in doc[:lo] if t.pos_ == "AUX" and (t.head.i == root.i or t.i == root.i)), None)
    if aux is None:
        return None
    head = [t for t in doc[: aux.i] if not t.is_punct]
    if head and not any(t.tag_ in {"WDT", "WP", "WP$", "WRB"} for t in head):
        return None  # something before the auxiliary that is not a wh-phrase
    verb = [] if aux.lemma_ == "do" else [aux.text.lower()]
    words = [t.text for t in head] + [t.text for t in doc[lo : hi + 1]] + verb
    words += [t.text for t in doc[aux.i + 1 : lo]] + [t.text for t in doc[hi + 1 :] if t.text != "?"]
    words = [SECOND_TO_THIRD.get(w, FIRST_TO_THIRD.get(w, w)) for w in words]
    text = re.sub(r" ([,.;:!%)’'])", r"\1", " ".join(words)).replace(" n't", "n't").replace(" 's", "'s")
    return text[:1].lower() + text[1:], not head


def bench_pairs(path: Path, run: Run, rng: random.Random) -> None:
    """The replies, confirmations and questions cases of one meeting (see the module doc)."""
    transcript = read_transcript(path)
    programme = programme_of(transcript)
    session = programme.session
    cases: dict[str, list[tuple[Sentence, Sentence]]] = {"replies": [], "confirmations": [], "questions": []}
    for k, pair in enumerate(qa_pairs(transcript)):
        asker, answerer = session.find(pair.asker), session.find(pair.answerer)
        if asker is None or answerer is None:
            continue
        verb = VERBS[k % len(VERBS)]
        said = reply_sentence(pair)
        if said:
            cases["replies"].append(
                (
                    Sentence(f"{answerer.family_name} {verb} {said}", answerer.name),
                    Sentence(f"{asker.family_name} {verb} {said}", asker.name),
                )
            )
        indirect = declarative(pair.question)
        if indirect is None:
            continue
        clause, yes_no = indirect
        if yes_no and affirms(pair.answer.text):
            cases["confirmations"].append(
                (
                    Sentence(f"{answerer.family_name} confirmed that {clause}.", answerer.name),
                    Sentence(f"{asker.family_name} confirmed that {clause}.", asker.name),
                )
            )
        if word_count(clause) >= 5:
            asked = f"whether {clause}" if yes_no else clause
            cases["questions"].append(
                (
                    Sentence(f"{asker.family_name} asked {asked}.", asker.name),
                    Sentence(f"{answerer.family_name} asked {asked}.", answerer.name),
                )
            )
    for name, pairs in cases.items():
        if not pairs:
            continue
        clean = Sketch(paragraphs=[Paragraph([c], c.speaker) for c, _ in pairs])
        bad = Sketch(paragraphs=[Paragraph([b], b.speaker) for _, b in pairs])
        t = run.tallies
        found = check(clean, programme, transcript, only=["support"])
        t[f"{name}: misattributed"].clean += len(pairs)
        t[f"{name}: misattributed"].false += len(places(found, "support.misattributed"))
        t[f"{name}: unsupported"].clean += len(pairs)
        t[f"{name}: unsupported"].false += len(places(found, "support.unsupported"))
        for f in found:
            log(f"{path.name}: clean {name} flagged: {f.rule}: {clean.paragraphs[f.location.paragraph].text}")
            log(f"    {f.message[:300]}")
        got = places(check(bad, programme, transcript, only=["support"]), "support.misattributed")
        t[f"{name}: misattributed"].injected += len(pairs)
        t[f"{name}: misattributed"].caught += len(got)
        for i, (_, b) in enumerate(pairs):
            if (i, 0) not in got:
                log(f"{path.name}: missed {name} misattribution: {b.text}")


# ---------------------------------------------------------------- the shared exemplar

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "welsh-education-committee"


def bench_exemplar(exemplars: Path, run: Run, rng: random.Random) -> bool:
    """The hand-written exemplar: no `support` finding from `check`; its sentences swapped.

    False when the exemplar is not there (no ../shared).
    """
    md = exemplars / "welsh-education-committee.md"
    evidence_file = exemplars / "welsh-education-committee.evidence.json"
    if not md.is_file() or not evidence_file.is_file():
        return False
    programme_file, transcript_file = EXAMPLE / "programme.yaml", EXAMPLE / "transcript.json"
    # as an editor runs it: the CLI parses the sketch, then checks it
    start = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "sessionsketch",
            "check",
            str(md),
            "-p",
            str(programme_file),
            "-t",
            str(transcript_file),
            "--to",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    run.check_seconds += time.perf_counter() - start
    if out.returncode not in (0, 1):
        raise SystemExit(f"sessionsketch check on the exemplar failed: {out.stderr.strip()}")
    findings = [f for f in json.loads(out.stdout) if f["rule"].startswith("support.")]
    evidence = json.loads(evidence_file.read_text(encoding="utf-8"))
    attributed = [e for e in evidence if e["speaker"]]
    t = run.tallies["exemplar: check (CLI)"]
    t.clean += len(attributed)
    t.false += len({(f["location"]["paragraph"], f["location"]["sentence"]) for f in findings})
    for f in findings:
        log(f"exemplar: check: {f['rule']}: {f['message'][:300]}")

    # the scorer alone: the sentences under the speakers the evidence names
    programme = load_programme(programme_file)
    transcript = read_transcript(transcript_file, programme)
    by_index = {turn.index: turn for turn in transcript.turns}
    clean = Sketch(
        paragraphs=[Paragraph([Sentence(e["text"], e["speaker"])], e["speaker"]) for e in attributed]
    )
    found = check(clean, programme, transcript, only=["support"])
    for rule in ("misattributed", "unsupported"):
        t = run.tallies[f"exemplar: {rule}"]
        t.clean += len(attributed)
        t.false += len(places(found, f"support.{rule}"))
    for f in found:
        log(f"exemplar: clean flagged: {f.rule}: {f.message[:300]}")
    speakers = sorted({turn.speaker_name for turn in transcript.turns if turn.speaker_name})
    bad_paragraphs = []
    for e in attributed:
        near = sorted(
            {by_index[i].speaker_name for i in e["turns"] if i in by_index and by_index[i].speaker_name}
            - {e["speaker"]}
        )
        new = rng.choice(near or [s for s in speakers if s != e["speaker"]])
        bad_paragraphs.append(Paragraph([Sentence(e["text"], new)], new))
    got = places(
        check(Sketch(paragraphs=bad_paragraphs), programme, transcript, only=["support"]),
        "support.misattributed",
    )
    t = run.tallies["exemplar: misattributed"]
    t.injected += len(bad_paragraphs)
    t.caught += len(got)
    for i, p in enumerate(bad_paragraphs):
        if (i, 0) not in got:
            log(f"exemplar: missed misattribution to {p.speaker}: {p.text[:120]}")
    return True


# ---------------------------------------------------------------- the editor case

EDITOR = Path(__file__).resolve().parent / "data" / "editor"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Graded:
    """One graded sentence: its label, tags and the rules that flagged it."""

    audit: str
    sketch: str
    n: int
    label: str
    tags: frozenset[str]
    text: str
    rules: set[str] = field(default_factory=set)


def editor_audits(root: Path) -> list[Path]:
    """The audit folders under ``root`` (each with labels.tsv and key.json)."""
    if (root / "labels.tsv").is_file():
        return [root]
    return sorted(p for p in root.iterdir() if (p / "labels.tsv").is_file() and (p / "key.json").is_file())


def _labels(path: Path) -> dict[tuple[str, int], tuple[str, frozenset[str]]]:
    out = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    for line in lines[1:]:
        if not line.strip():
            continue
        row = dict(zip(head, line.split("\t"), strict=False))
        tags = frozenset(t.strip() for t in row.get("tags", "").split(",") if t.strip())
        out[(row["sketch"], int(row["n"]))] = (row["label"].strip().upper(), tags)
    return out


def _source(audit: Path, stem: str) -> dict[str, Path] | None:
    sources_file = audit / "sources.json"
    sources = json.loads(sources_file.read_text(encoding="utf-8")) if sources_file.is_file() else {}
    entry = sources.get(stem)
    if entry is None:
        return None
    return {k: (ROOT / v).resolve() for k, v in entry.items()}


def bench_editor(root: Path, only: list[str] | None = None) -> dict[str, list[Graded]]:
    """Run `check` on every graded sketch of every audit under ``root``; the graded sentences by audit."""
    out: dict[str, list[Graded]] = {}
    for audit in editor_audits(root):
        labels = _labels(audit / "labels.tsv")
        key = json.loads((audit / "key.json").read_text(encoding="utf-8"))
        graded: list[Graded] = []
        for name, rel in sorted(key.items()):
            sketch_file = audit / rel
            stem = sketch_file.stem
            src = _source(audit, stem)
            if src is None or not src["transcript"].is_file():
                where = src["transcript"] if src else f"no entry for {stem} in {audit / 'sources.json'}"
                print(f"editor case: {audit.name}/{name} ({rel}) skipped: transcript absent ({where})")
                continue
            programme = load_programme(src["programme"]) if "programme" in src else None
            transcript = read_transcript(src["transcript"], programme)
            if programme is None:
                programme = programme_of(transcript)
            sketch = Sketch.from_dict(json.loads(sketch_file.read_text(encoding="utf-8")))
            findings = check(sketch, programme, transcript, only=only)
            flat = {}
            for i, para in enumerate(sketch.paragraphs):
                for j, sent in enumerate(para.sentences):
                    flat[(i, j)] = (len(flat) + 1, sent.text)
            rows = {}
            for n, text in flat.values():
                if (name, n) in labels:
                    label, tags = labels[(name, n)]
                    rows[n] = Graded(audit.name, name, n, label, tags, text)
            for f in findings:
                loc = f.location
                if loc.paragraph is None or (loc.paragraph, loc.sentence) not in flat:
                    continue
                n = flat[(loc.paragraph, loc.sentence)][0]
                if n in rows:
                    rows[n].rules.add(f.rule)
                    log(f"{audit.name}/{name} [{n}] {rows[n].label}: {f.rule}: {f.message[:200]}")
            graded.extend(rows.values())
        out[audit.name] = graded
    return out


def _gate_rules() -> frozenset[str]:
    """The editor rules the draft engine's gate runs (empty without the engine)."""
    try:
        from sessionsketch.engines.extractive import EDITOR_GATE_RULES
    except ImportError:
        return frozenset()
    return frozenset(EDITOR_GATE_RULES)


def editor_table(graded: list[Graded]) -> dict[str, dict[str, float | int]]:
    """Per rule and overall: the share of BAD, misrepresentation and PUBLISHABLE sentences flagged."""
    bad = [g for g in graded if g.label == "BAD"]
    misrep = [g for g in graded if "misrepresentation" in g.tags]
    good = [g for g in graded if g.label == "PUBLISHABLE"]
    rules = sorted({r for g in graded for r in g.rules})
    table = {}

    def row(hit) -> dict[str, float | int]:  # type: ignore[no-untyped-def]
        def share(group: list[Graded]) -> tuple[int, float]:
            k = sum(1 for g in group if hit(g))
            return k, (k / len(group) if group else float("nan"))

        out: dict[str, float | int] = {}
        for label, group in (("bad", bad), ("misrepresentation", misrep), ("publishable", good)):
            k, s = share(group)
            out[label] = k
            out[f"{label}_share"] = round(s, 4)
        return out

    for r in rules:
        table[r] = row(lambda g, r=r: r in g.rules)
    gate = _gate_rules()
    if gate:  # which flags the draft engine's gate shares, and which are check's alone
        table["editor.* in the gate"] = row(lambda g: any(r in gate for r in g.rules))
        table["editor.* check only"] = row(
            lambda g: any(r.startswith("editor.") and r not in gate for r in g.rules)
        )
    table["editor.* together"] = row(lambda g: any(r.startswith("editor.") for r in g.rules))
    table["overall"] = row(lambda g: bool(g.rules))
    table["_n"] = {
        "bad": len(bad),
        "misrepresentation": len(misrep),
        "publishable": len(good),
        "all": len(graded),
    }
    return table


def print_editor_table(name: str, table: dict[str, dict[str, float | int]]) -> None:
    n = table["_n"]
    print(
        f"editor case {name}: {n['all']} graded sentences, {n['bad']} BAD, "
        f"{n['misrepresentation']} misrepresentation, {n['publishable']} PUBLISHABLE "
        "(bars: BAD ≥ 50%, misrepresentation ≥ 80%, PUBLISHABLE ≤ 10%)"
    )
    print(f"{'rule':30} {'BAD':>12} {'misrep.':>12} {'PUBLISHABLE':>12}")
    for rule, r in table.items():
        if rule == "_n":
            continue
        cells = [
            f"{r[k]:>3} {r[k + '_share']:>7.1%}" if n[k] else "-"
            for k in ("bad", "misrepresentation", "publishable")
        ]
        print(f"{rule:30} {cells[0]:>12} {cells[1]:>12} {cells[2]:>12}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, help="folder of QMSum meeting JSON files (injected cases)")
    ap.add_argument(
        "--editor",
        type=Path,
        default=EDITOR,
        help="graded drafts for the editor case: a folder of audits or one audit (default bench/data/editor)",
    )
    ap.add_argument("--editor-only", action="store_true", help="run the editor case only (no --data needed)")
    ap.add_argument(
        "--exemplars",
        type=Path,
        default=Path(__file__).resolve().parent.parent.parent / "shared" / "exemplars",
        help="folder of the shared exemplar (default ../shared/exemplars; skipped when absent)",
    )
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("-k", type=int, default=5, help="errors of each kind injected per meeting")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and false flag")
    args = ap.parse_args(argv)
    global VERBOSE
    VERBOSE = args.verbose
    editor = bench_editor(args.editor) if args.editor.is_dir() else {}
    editor_tables = {name: editor_table(graded) for name, graded in editor.items()}
    for name, table in editor_tables.items():
        print_editor_table(name, table)
    if args.editor_only:
        if args.json:
            from sessionsketch.files import write_atomic

            write_atomic(args.json, json.dumps({"editor": editor_tables}, indent=2) + "\n")
        return 0
    if args.data is None:
        ap.error("--data is required (or --editor-only)")
    files = sorted(args.data.glob("*.json"))
    if not files:
        print(f"{args.data}: no meetings", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    rules = ("support.misattributed", "support.unsupported", "names.misspelt", "coverage.missing")
    cases = [
        f"{c}: {r}"
        for c in ("replies", "confirmations", "questions", "answers")
        for r in ("misattributed", "unsupported")
    ]
    cases += ["exemplar: check (CLI)", "exemplar: misattributed", "exemplar: unsupported"]
    run = RUN
    run.tallies = {r: Tally() for r in (*rules, *cases)}
    start = time.perf_counter()
    for path in files:
        bench_meeting(path, run, rng, args.k)
        bench_pairs(path, run, rng)
        bench_answers(path, run, rng)
        run.meetings.append(path.name)
    exemplar = bench_exemplar(args.exemplars, run, rng)
    run.seconds = time.perf_counter() - start

    print(f"{len(files)} meetings from {args.data} — sketches: {run.source}; k={args.k}, seed={args.seed}")
    if not exemplar:
        print(f"(no exemplar in {args.exemplars}: its rows are empty)")
    print(f"answers: {run.left_out} QMSum answer sentences left out (they report another participant)")
    print(
        f"{'rule / case':30} {'injected':>8} {'caught':>7} {'recall':>7} {'clean':>6} {'flagged':>8} {'FP rate':>8}"
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
        print(f"{name:30} {t.injected:>8} {t.caught:>7} {recall:>7} {t.clean:>6} {t.false:>8} {fp:>8}")
    print(
        f"{run.seconds:.1f} s in all, {run.check_seconds:.1f} s in check, "
        f"on {platform.machine()} / Python {platform.python_version()}"
    )
    if args.json:
        from sessionsketch.files import write_atomic

        doc = {
            "data": str(args.data),
            "meetings": run.meetings,
            "sketches": run.source,
            "k": args.k,
            "seed": args.seed,
            "rules": rows,
            "editor": editor_tables,
            "seconds": round(run.seconds, 2),
            "check_seconds": round(run.check_seconds, 2),
            "answers_left_out": run.left_out,
            "machine": platform.machine(),
            "python": platform.python_version(),
        }
        write_atomic(args.json, json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
