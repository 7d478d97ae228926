"""The embedded offline engine: what each participant argued, in the reference's style.

Selection. Every turn is split into sentences; greetings, thanks, procedure, filler and
interrupted sentences are dropped. The rest are scored by TF-IDF centrality within the
speaker's own turns blended with salience in the whole session, and ranked with maximal
marginal relevance (MMR) so that each next point is distinct from those before it.

Shares. Witnesses and panel speakers carry the sketch in proportion to what they said;
questioners (committee members, the floor) appear briefly, through their questions.
A questioner is a programme ``member``/``participant``, or — in a transcript without a
programme — someone most of whose turns are questions while others answer them.

Writing. The ranked sentences are parsed (:mod:`sessionsketch.analysis.syntax`) and
turned into reported speech (:mod:`.reported`) until the speaker's share is filled; a
sentence that cannot be reported safely is passed over for the next. :mod:`.writing`
composes them as the reference does. In a hearing, each member's question opens the
exchange it started ("Asked by Hefin David whether …, Williams said that …"). Every
sentence is then read by the ``style`` rule of ``check`` and dropped if it fails.

Every output sentence carries the turn and character span it rests on (what remains
after condensing), and rests only on the turns of the speaker it is attributed to —
except "Asked by X …" sentences, which also cite X's question.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

import snowballstemmer

from sessionsketch import data
from sessionsketch.analysis import syntax
from sessionsketch.checks.editor import (
    POINTING_FINDING,
    EditorItem,
    copied_share,
    editor_problems_many,
    last_sentence,
)
from sessionsketch.checks.style import MAX_WORDS as STYLE_MAX_WORDS
from sessionsketch.checks.style import sentence_problems
from sessionsketch.engines import DraftOptions, DraftReport, register_engine
from sessionsketch.engines.acceptability import acceptability_row, load_acceptability
from sessionsketch.engines.reported import SECOND_PERSON_RE, NotReported, Reported, Voice, quote, report
from sessionsketch.engines.selection import centroid as _centroid
from sessionsketch.engines.selection import dot as _dot
from sessionsketch.engines.selection import feature_rows, load_selector
from sessionsketch.engines.writing import QUESTIONER_ROLES, Cast, Writer, member_label
from sessionsketch.model import (
    REPORTED_ROLES,
    Evidence,
    Metadata,
    Paragraph,
    Person,
    Programme,
    Sentence,
    Session,
    Sketch,
    Transcript,
)
from sessionsketch.text import clean_speech, ends_with_question_mark, split_sentences, word_count

__all__ = ["ExtractiveEngine", "is_point", "word_shares"]

log = logging.getLogger("sessionsketch")

WORDS_PER_SPEAKER = 120
MIN_SHARE = 60  # no witness gets fewer words than this (if they said enough)
QUESTION_SHARE = 32  # a questioner's share: about one question
QUESTIONERS_AT_MOST = 0.3  # of the body
DISCUSSION_QUESTIONS = 0.2  # of a short account's body (the discussion's main points)
ANSWER_WITHIN = 3  # turns after a question in which a witness's point may be its answer
TOP_UPS = 4  # rounds of points that take the words of points the writer turned down
TOP_UP_AT_LEAST = 12  # words a short account must lack before another round of points
MIN_WORDS = 6  # shorter sentences are rarely a point
MAX_WORDS = 60  # longer ones are run-ons of a transcript; reported only if nothing else
SPEAKER_WEIGHT = 0.55  # centrality within the speaker's turns
SESSION_WEIGHT = 0.45  # salience in the whole session
MMR_LAMBDA = 0.6
SENTENCES_PER_PARAGRAPH = 5
OPENING_WORDS = 55  # what the opening paragraph takes from --words
FRAME_WORDS = 3  # "Kim argued that"
OVERSHOOT = 1.15
WORDS_OVER = 1.05  # a sketch ends at most this much past the words asked for (points permitting)
WORDS_UNDER = 0.95  # …and a trim for length leaves at least this much of them
MAX_TRIMS = 3  # rewrites (each drops as many points as the excess needs)
RANKED = 40  # candidates ranked per speaker (more are parsed only if these fail)
WORDS_PER_RANKED = 4  # … and one more per this many words of a long share (half the points fail)
DEFAULT_MOST = 1000  # words: a sketch of a long hearing is still a sketch
PAIRED = 1.6  # a question the sketch reports the answer to is worth more
ANSWER_WORDS = 40  # the room an answer found for a question that had none may take
ANSWERS_TRIED = RANKED // 4  # … and how many of the replies to it are tried (best first)
#: check's editor rules (``editor.*``) the gate runs on each point before it takes words
#: (``_pre_gate``): a fragment, a referent with nothing to point at (within the sentence: what
#: comes before it in the sketch is not known yet, so the rule is stricter than check's), a
#: meaning changed, a qualification left out, a reported question in the spoken order (none of
#: editor.question-order's flags on audit rounds 1-5 was PUBLISHABLE). Not ``editor.verbatim``: every sentence of this
#: engine is its source sentence reworded. The editor audit of 2026-12-07 (round 5,
#: docs/draft-audit.md) found fewer BAD sentences with these rules in the gate on each of
#: three held-out hearings; run on each point, not on the written paragraphs, the gate keeps
#: the length asked for (the words of a point it drops go to the next point).
EDITOR_GATE_RULES = frozenset(
    {"editor.fragment", "editor.meaning", "editor.qualification", "editor.referent", "editor.question-order"}
)
#: How the acceptability model (:mod:`.acceptability`: the probability that an editor strikes
#: a point) weighs in the order points are taken: worth × (1 − risk) ** ACCEPT_POWER; and the
#: risk from which a point is not taken at all.
ACCEPT_POWER = 3.0
ACCEPT_DROP = 0.7
SHORT_OF = 0.85  # a sketch with fewer words than this share of those asked for says why
SPARE_BELOW = 0.6  # … unless the speaker's share would be less full than this without it
PREAMBLE = 0.3  # what a questioner says around their questions counts for this much of its worth
MOST_QUOTES = 3  # quotations weighed for a speaker left with nothing else (one is taken)
QUOTE_WORDS = 40  # the longest sentence quoted whole when nothing else of a speaker can be reported
#: Why a sentence could not be reported that a quotation, in the speaker's own words, does
#: not suffer from: whom "we", "us" or "you" stands for, a verb the writer cannot inflect
QUOTABLE = ("'we'", "'us'", "'you'", "'all of us'", "a member's", "cannot inflect", "a modal")
TYPICAL_SENTENCE = 26  # words in a reported sentence, frame included
BRIEF = TYPICAL_SENTENCE - FRAME_WORDS  # a short account prefers points about this long or shorter
MIN_TURNS_TO_JUDGE = 3  # fewer turns say nothing about whether someone asks or answers
ASKER_SCORE = 0.22  # share of turns asking less share answering, from which someone is a questioner
DISCUSSION_BELOW = 3  # witnesses: a budget under 60 words each for this many is a short summary

STOP_WORDS: frozenset[str] = data.words("stop_words")

_NOT_A_POINT = re.compile(
    r"^\W*((okay|ok|right|well|so|and|yes|good|great|lovely|now|diolch|can i|may i|could i|"
    r"i('d| would) (just )?like to|i (just )?want to|just to|first of all|firstly)\W+)*("
    r"thank|thanks|(i|we) (would like to |want to |also )?(thank|congratulate)|good (morning|afternoon|evening)|hello|hi\b|welcome|congratulations|"
    r"(mr|mrs|ms|madam)\.? (chair|speaker|president)\W*$|"
    r"(i|we)('d| would| will|'ll) (like to |now |just )?(make|ask|begin|start|turn|move|give|go|"
    r"thank|share|take|pass|yield|call|invite|welcome|recognize|recognise)|"
    r"(i|we) have (\w+ )?(points|questions|minutes|seconds)|"
    r"(can|could|may) (i|we) (ask|have|go|continue|get)|my (first|second|next|last|final) question|"
    r"(you|we) have (the floor|\w+ (minutes|seconds))|the (floor|time) is|"
    r"(that|it)('s| is) (all|it|my time)|is that (clear|right|correct)|"
    r"(order|point of order)|i('m| am) (sorry|pleased|happy|glad|honou?red|delighted)|"
    r"(yes|no|okay|ok|right|sure|absolutely|exactly|indeed)\W*$|"
    r"(please|go ahead|over to you|next|carry on)\b|"
    r"(can|could) you hear|excuse me|pardon|(there|here) (we|you) (are|go)\W*$"
    r")",
    re.I,
)
_PROCEDURE = re.compile(
    r"\b(the floor|your time is|time is up|minutes left|seconds left|next question|"
    r"i('ll| will) let you|interpretation|unmute|microphone|order, please|the honourable member|"
    r"the hon\. member|we will now (go|move|continue|proceed)|questions? and answers?|"
    # the call itself: "I lost the signal before, so bear with me", "I've had enough time"
    r"bear with (me|us)|lost (the|my|our) (signal|connection)|on mute|can you hear me|"
    r"(i|you)('ve|’ve| have) had enough time|loud and clear|as an intervention|"
    r"temporary chair|only one nomination)\b",
    re.I,
)
#: A sentence cut off mid-way ("... continue to need—"): its point was never made.
_INTERRUPTED = re.compile(r"(\w[—–-]|\s[—–-]+|\.\.\.|…)\W*$")
_TOKEN_RE = re.compile(r"[a-z][a-z'’]+")
_ENDED = re.compile(r"[.?!…\"”’')\]]\s*$")
PUNCTUATED = 0.8  # turns that end on a full stop or the like, in a transcript that has punctuation
_LOWER_RE = re.compile(r"\b[a-z]{2,}\b")


@dataclass
class Candidate:
    """One sentence of a speaker's turn that might carry a point."""

    person: Person
    turn: int
    start: int
    end: int
    text: str
    words: int
    vector: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    salience: float = 0.0  # similarity to the whole session, shaped (length, person, question)
    position: int = 0  # sentence index in its turn
    sentences: int = 1  # sentences in its turn
    #: where ``text`` starts in the turn's clean text, and that text's offsets in the turn
    #: (None when cleaning changed nothing: ``start`` is then the offset)
    at: int = 0
    offsets: list[int] | None = None

    def source(self, start: int, end: int) -> tuple[int, int]:
        """The turn's character span of ``text[start:end]``."""
        if self.offsets is None:
            return self.start + start, self.start + end
        return self.offsets[self.at + start], self.offsets[self.at + max(start, end - 1)] + 1

    @property
    def key(self) -> tuple[int, int]:
        return (self.turn, self.start)


@dataclass
class Point:
    """A candidate as it will be written: its reported clause and where it rests."""

    cand: Candidate
    rep: Reported

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.cand.turn, *self.cand.source(self.rep.start, self.rep.end))

    @property
    def key(self) -> tuple[int, int]:
        return self.cand.key


class _Vectoriser:
    """TF-IDF over stemmed content words, sentences as documents (sublinear tf, l2).

    Plain dictionaries, not scikit-learn: importing scikit-learn costs about 2 s on the
    reference machine, more than the whole 20k-word budget of ``bench/speed.py``.
    """

    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("english")
        self._stems: dict[str, str] = {}

    def terms(self, text: str) -> list[str]:
        out = []
        for tok in _TOKEN_RE.findall(text.lower()):
            tok = tok.replace("’", "'")
            if tok in STOP_WORDS or len(tok) < 3:
                continue
            stem = self._stems.get(tok)
            if stem is None:
                stem = self._stemmer.stemWord(tok.split("'")[0])
                self._stems[tok] = stem
            out.append(stem)
        return out

    def fit(self, docs: list[list[str]]) -> dict[str, float]:
        df: Counter[str] = Counter()
        for terms in docs:
            df.update(set(terms))
        n = len(docs) + 1
        return {t: math.log(n / (c + 1)) + 1.0 for t, c in df.items()}

    @staticmethod
    def vector(terms: list[str], idf: dict[str, float]) -> dict[str, float]:
        tf = Counter(terms)
        vec = {t: (1.0 + math.log(c)) * idf.get(t, 1.0) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}


def is_point(text: str) -> bool:
    """Whether a transcript sentence may carry an argument (not greeting, thanks, procedure)."""
    n = word_count(text)
    if n < MIN_WORDS:
        return False
    if _NOT_A_POINT.match(text) or _INTERRUPTED.search(text):
        return False
    return not _PROCEDURE.search(text)


def reported_people(session: Session, transcript: Transcript, include_moderator: bool) -> list[Person]:
    """The participants whose points a sketch reports, in the order they first spoke."""
    roles = set(REPORTED_ROLES) | {"participant"} | ({"moderator", "chair"} if include_moderator else set())
    first: dict[str, int] = {}
    people: dict[str, Person] = {}
    for t in transcript.turns:
        p = t.speaker
        if p is None or p.role not in roles or p.name in first:
            continue
        first[p.name] = t.index
        people[p.name] = p
    return [people[n] for n in sorted(first, key=first.__getitem__)]


def word_shares(spoken: dict[str, int], total: int, floor_words: int = MIN_SHARE) -> dict[str, int]:
    """Split ``total`` words among speakers in proportion to how much each said.

    Every speaker gets at least ``floor_words`` when ``total`` allows; when it cannot,
    the speakers who said least get nothing (the caller reports that the sketch left
    them out for length).
    """
    if not spoken:
        return {}
    room = max(1, total // max(1, floor_words))
    kept = sorted(spoken, key=lambda n: -spoken[n])[:room]
    floor = min(floor_words, total // len(kept))
    rest = max(0, total - floor * len(kept))
    all_w = sum(spoken[n] for n in kept) or 1
    return {n: floor + round(rest * spoken[n] / all_w) if n in kept else 0 for n in spoken}


def first_batch(budget: int) -> int:
    """How many ranked sentences to parse first for a share: what it needs, and half again
    for those that cannot be reported (parsing is most of the engine's time)."""
    return max(3, math.ceil(1.5 * budget / TYPICAL_SENTENCE))


def default_words(people: list[Person], asking: set[str], spoken: dict[str, int]) -> int:
    """About 120 words a witness and 32 a questioner, and at least a tenth of what was said (to 800)."""
    base = WORDS_PER_SPEAKER * max(1, len(people) - len(asking)) + QUESTION_SHARE * len(asking)
    return min(DEFAULT_MOST, max(base, min(800, sum(spoken.values()) // 10)))


def asking_counts(transcript: Transcript) -> tuple[Counter[str], Counter[str]]:
    """Per speaker: the turns that ask something (hold a "?") and all their turns."""
    asks: Counter[str] = Counter()
    turns: Counter[str] = Counter()
    for t in transcript.turns:
        if t.speaker is None:
            continue
        turns[t.speaker.name] += 1
        if "?" in t.text:
            asks[t.speaker.name] += 1
    return asks, turns


def answering_counts(transcript: Transcript) -> Counter[str]:
    """Per speaker: the turns that come straight after someone else's question.

    A question is a turn that ends on "?", put by anyone but the chair (whose "Llyr?"
    calls the next member). Witnesses' turns follow questions; members' turns follow
    answers, or the chair.
    """
    answers: Counter[str] = Counter()
    prev = None
    for t in transcript.turns:
        p, q = t.speaker, prev.speaker if prev is not None else None
        if (
            p is not None
            and q is not None
            and q.name != p.name
            and q.role not in {"chair", "moderator"}
            and prev is not None
            and ends_with_question_mark(prev.text)
        ):
            answers[p.name] += 1
        prev = t
    return answers


def questioners(people: list[Person], transcript: Transcript) -> set[str]:
    """Who puts questions rather than answers them.

    Programme roles decide when the programme has them (``member``, ``participant``).
    Otherwise each speaker of three or more turns is scored: the share of their turns that
    ask something, less the share that come straight after someone else's question (see
    :func:`answering_counts`). A member asks and is rarely the one who answers (0.23–1.0
    on QMSum's committee meetings); a witness answers, and the questions in their turns
    ("isn't it?", "what is the answer?") are outweighed by the answers (−0.7–0.2). Those
    scoring ``ASKER_SCORE`` or more are the questioners — if someone else answers (their
    mean score at most a third of the questioners').
    """
    by_role = {p.name for p in people if p.role in QUESTIONER_ROLES}
    if by_role and len(by_role) < len(people):
        return by_role
    asks, turns = asking_counts(transcript)
    answers = answering_counts(transcript)
    score = {
        p.name: (asks[p.name] - answers[p.name]) / turns[p.name]
        for p in people
        if turns[p.name] >= MIN_TURNS_TO_JUDGE
    }
    found = {n for n, r in score.items() if r >= ASKER_SCORE}
    answerers = [n for n in score if n not in found]
    if not found or not answerers:
        return set()
    answer_score = sum(score[n] for n in answerers) / len(answerers)
    ask_score = sum(score[n] for n in found) / len(found)
    return found if answer_score <= ask_score / 3 else set()


def _event(programme: Programme, transcript: Transcript) -> tuple[str, bool]:
    """What the sketch calls the body that met ("the committee", "the panel") and whether it is a committee."""
    name = programme.conference.name if programme.conference else None
    if name and re.search(r"\bcommittee\b", name, re.I):
        return name, True
    opening = " ".join(t.text for t in transcript.turns[:5])
    named = re.search(
        r"\b(?:[Ww]elcome (?:you )?to|meeting of) the ((?:[A-Z][\w’'-]*,? (?:and )?)+Committee)\b", opening
    )
    if named:
        return named.group(1), True
    text = " ".join(t.text for t in transcript.turns[:30]).lower()
    committee = len(re.findall(r"\bcommittee\b", text)) >= 2
    return ("the committee" if committee else "the panel"), committee


@register_engine("extractive")
class ExtractiveEngine:
    """Speaker-by-speaker extractive drafting with reported speech and evidence."""

    name = "extractive"

    def __init__(self, **settings: object) -> None:
        self.settings = settings
        self._vec = _Vectoriser()
        self._idf: dict[str, float] = {}
        self.session_centre: dict[str, float] = {}
        self.report = DraftReport()
        self._asked_turns: list[int] = []
        self._turn_text: dict[int, str] = {}
        self._clean_text: dict[int, str] = {}  # each turn as clean_speech leaves it (candidates())
        self._use_editor_gate = False
        self._reported: dict[tuple[int, int], Reported | NotReported] = {}
        self._read: dict[EditorItem, list[tuple[str, str]]] = {}
        # points the gate turned down only for a "these children" with nothing before it,
        # worded with "the" instead: the last resort of a speaker left with nothing else
        self._rescue: dict[tuple[int, int], Reported] = {}
        self._turn_vectors: dict[int, dict[str, float]] = {}

    # ------------------------------------------------------------------ selection
    def candidates(
        self, transcript: Transcript, people: list[Person]
    ) -> tuple[dict[str, list[Candidate]], dict[str, float], dict[str, int]]:
        """Point-carrying sentences per speaker, the session IDF and words spoken."""
        names = {p.name for p in people}
        vec = _Vectoriser()
        per: dict[str, list[Candidate]] = {p.name: [] for p in people}
        spoken: dict[str, int] = {p.name: 0 for p in people}
        docs: list[list[str]] = []
        terms_of: list[tuple[Candidate, list[str]]] = []
        turn_terms: dict[int, list[str]] = {}
        # what was said without "uh", "{vocalsound}", "the the": offsets map it back to the turn
        clean = [clean_speech(t.text) for t in transcript.turns]
        self._clean_text = {t.index: c for t, (c, _) in zip(transcript.turns, clean, strict=True)}
        ended = [bool(_ENDED.search(c)) for c, _ in clean if c.strip()]
        punctuated = bool(ended) and sum(ended) >= PUNCTUATED * len(ended)
        for turn, (text, offsets) in zip(transcript.turns, clean, strict=True):
            p = turn.speaker
            spans = split_sentences(text)
            mapped = None if text == turn.text else offsets
            # "… and to make sure": a turn that stops without a full stop was cut off
            cut_off = spans[-1] if punctuated and spans and not _ENDED.search(text) else None
            for position, span in enumerate(spans):
                terms = vec.terms(span.text)
                docs.append(terms)
                turn_terms.setdefault(turn.index, []).extend(terms)
                if p is None or p.name not in names:
                    continue
                n = word_count(span.text)
                spoken[p.name] += n
                if not is_point(span.text) or not terms or span is cut_off:
                    continue
                start, end = (
                    (span.start, span.end)
                    if mapped is None
                    else (offsets[span.start], offsets[span.end - 1] + 1)
                )
                cand = Candidate(
                    p,
                    turn.index,
                    start,
                    end,
                    span.text,
                    n,
                    position=position,
                    sentences=len(spans),
                    at=span.start,
                    offsets=mapped,
                )
                per[p.name].append(cand)
                terms_of.append((cand, terms))
        idf = vec.fit(docs)
        self._vec, self._idf = vec, idf
        for cand, terms in terms_of:
            cand.vector = vec.vector(terms, idf)
        self._turn_vectors = {i: vec.vector(terms, idf) for i, terms in turn_terms.items() if terms}
        return per, idf, spoken

    def score(
        self,
        per: dict[str, list[Candidate]],
        asking: set[str],
        transcript: Transcript,
        spoken: dict[str, int],
    ) -> None:
        """Each candidate's worth as a point: the probability the fitted selection model
        (:mod:`.selection`) gives it. A questioner appears through their questions, so their
        other sentences count for less."""
        selector = load_selector()
        rows = feature_rows(per, transcript, asking, self._idf, spoken, self._turn_vectors)
        for name, cands in per.items():
            asks = name in asking and any(c.text.rstrip().endswith("?") for c in cands)
            for c in cands:
                shape = 1.0
                if asks:  # a member's preamble is not their point: the question is
                    shape = 1.0 if c.text.rstrip().endswith("?") else PREAMBLE
                c.score = c.salience = selector.probability(rows[c.key]) * shape

    def centrality(self, per: dict[str, list[Candidate]], asking: set[str]) -> None:
        """The score before the fitted model (TF-IDF centrality, shaped by length, person
        and question): ``bench/train_selector.py`` reports the model against it."""
        everyone = [c.vector for cands in per.values() for c in cands]
        session_centre = _centroid(everyone) if everyone else {}
        self.session_centre = session_centre
        for name, cands in per.items():
            if not cands:
                continue
            centre = _centroid([c.vector for c in cands])
            for c in cands:
                length = min(1.0, c.words / 18.0) * (0.6 if c.words > MAX_WORDS else 1.0)
                person_penalty = 0.75 if SECOND_PERSON_RE.search(c.text) and name not in asking else 1.0
                is_q = c.text.rstrip().endswith("?")
                # a questioner appears through their questions; a witness through answers
                question_shape = (1.25 if is_q else 0.8) if name in asking else (0.8 if is_q else 1.0)
                shape = length * person_penalty * question_shape
                session = _dot(c.vector, session_centre)
                c.score = (SPEAKER_WEIGHT * _dot(c.vector, centre) + SESSION_WEIGHT * session) * shape
                c.salience = session * shape

    @staticmethod
    def rank(cands: list[Candidate], limit: int = RANKED) -> list[Candidate]:
        """Candidates in MMR order: each next one the best trade of score and novelty."""
        pool = sorted(cands, key=lambda c: -c.score)[: limit * 2]
        ranked: list[Candidate] = []
        best_red: dict[int, float] = {id(c): 0.0 for c in pool}
        while pool and len(ranked) < limit:
            best = max(pool, key=lambda c: MMR_LAMBDA * c.score - (1 - MMR_LAMBDA) * best_red[id(c)])
            pool.remove(best)
            ranked.append(best)
            for c in pool:
                best_red[id(c)] = max(best_red[id(c)], _dot(c.vector, best.vector))
        return ranked

    def fill(self, ranked: list[Candidate], budget: int, voices: _Voices) -> list[Point]:
        """Report ranked candidates until ``budget`` words; skip what cannot be reported."""
        chosen: list[Point] = []
        quotable: list[tuple[Candidate, object]] = []  # turned down only for whom "we"/"you" means
        spare: list[tuple[float, Candidate, Reported]] = []  # points an editor would likely strike
        used = 0
        batch = first_batch(budget)
        k = 0
        while k < len(ranked) and used < budget:
            part = ranked[k : k + batch]
            k += batch
            docs = syntax.parse_many((c.text for c in part), lemmas=False)
            reps: list[Reported | None] = []
            for c, doc in zip(part, docs, strict=True):
                # a candidate is reported once a draft: the rounds that refill a share meet it again
                done = self._reported.get(c.key)
                if done is None:
                    try:
                        done = report(doc[:], voices.of(c))
                    except NotReported as why:
                        done = why
                    self._reported[c.key] = done
                if isinstance(done, NotReported):
                    log.debug("not reported (%s): %s", done, c.text)
                    if str(done).startswith(QUOTABLE) and c.words <= QUOTE_WORDS:
                        quotable.append((c, doc))
                    reps.append(None)
                else:
                    reps.append(done)
            risk = [0.0] * len(part)
            if self._use_editor_gate:
                reps, risk = self._pre_gate(part, reps, voices)
            # of the batch, the points an editor would print first (the acceptability model)
            order = sorted(range(len(part)), key=lambda i: -part[i].score * (1.0 - risk[i]) ** ACCEPT_POWER)
            for i in order:
                c, rep = part[i], reps[i]
                if used >= budget:
                    break
                if rep is None:
                    continue
                if used + rep.words + FRAME_WORDS > budget * OVERSHOOT and chosen:
                    continue  # would overshoot: a shorter point may still fit
                if risk[i] >= ACCEPT_DROP:
                    spare.append((risk[i], c, rep))  # only if nothing better fills the share
                    continue
                chosen.append(Point(c, rep))
                used += rep.words + FRAME_WORDS
            batch = max(6, batch)
        # points that turned on a "we" the sketch cannot resolve: rather than silence the
        # speaker (or leave their share half empty), quote the best of them in their own words
        # a speaker is not left with less than SPARE_BELOW of their share for want of points an
        # editor would print: the least risky of the others, in speaking order
        for _, c, rep in sorted(spare, key=lambda x: x[0]):
            if used >= budget * SPARE_BELOW:
                break
            chosen.append(Point(c, rep))
            used += rep.words + FRAME_WORDS
        # a speaker left with nothing else: their best point the gate turned down only for a
        # "these X" with nothing to point to, said with "the X" (read by the gate again)
        if not chosen:
            for c in ranked[:k]:
                rescued = self._rescue.get(c.key)
                if rescued is None:
                    continue
                gated, _ = self._pre_gate([c], [rescued], voices)
                if gated[0] is not None:
                    chosen.append(Point(c, gated[0]))
                    break
        # points that turned on a "we" the sketch cannot resolve: a speaker left with nothing
        # else is quoted in their own words, once. Only then: editors struck the quotations
        # drafts made to fill a share (audit rounds 3-10: 93 quotations, 0 % PUBLISHABLE,
        # 91 % BAD), so a quotation fills no share, it keeps a speaker from silence
        if not chosen and quotable:
            quotes = [(c, quote(doc[:])) for c, doc in quotable[:MOST_QUOTES]]
            quote_risk = [0.0] * len(quotes)
            if self._use_editor_gate:
                gated, quote_risk = self._pre_gate([c for c, _ in quotes], [q for _, q in quotes], voices)
                quotes = list(zip([c for c, _ in quotes], gated, strict=True))
            ranked_quotes = sorted(
                ((r, c, q) for (c, q), r in zip(quotes, quote_risk, strict=True) if q is not None),
                key=lambda x: x[0],
            )
            if ranked_quotes:
                _, c, quoted = ranked_quotes[0]
                chosen.append(Point(c, quoted))
        return sorted(chosen, key=lambda p: p.key)

    def _pre_gate(
        self, cands: list[Candidate], reps: list[Reported | None], voices: _Voices
    ) -> tuple[list[Reported | None], list[float]]:
        """The editor rules on each point as its own sentence, before it takes any words: a
        point the gate would drop from the sketch leaves its room to the next one now, not
        after the paragraphs are written (when the words it held would be lost). A referent
        must be resolved within the sentence (what comes before it in the sketch is not
        known yet). Also each point's risk: the probability the acceptability model gives
        that an editor strikes it; a point at ``ACCEPT_DROP`` or more goes too."""
        model = load_acceptability()
        risk = [0.0] * len(cands)
        probe = Writer(voices.cast)
        names = [f.full for f in voices.cast.forms.values()]
        items: list[EditorItem] = []
        at: list[int] = []
        for k, (c, rep) in enumerate(zip(cands, reps, strict=True)):
            if rep is None:
                continue
            probe.new_paragraph()
            state = probe.snapshot()
            text = probe.sentence(c.person.name, rep, lead=True, previous_verb=None, index=0)
            probe.restore(state)
            if text is None:
                continue
            ev = Point(c, rep).evidence
            turn = self._turn_text.get(ev.turn, "")
            items.append(
                EditorItem(
                    text,
                    (),
                    # the candidate as cleaned and parsed already, and of the turn before it
                    # only its last sentence (what a pronoun may stand for): parses are the cost
                    (c.text,),
                    before=last_sentence(turn[: ev.start]),
                    after=turn[ev.end :],
                    paragraph_start=False,
                )
            )
            at.append(k)
        out = list(reps)
        # each point is read once a draft (the refill rounds meet the same points again)
        fresh = [item for item in items if item not in self._read]
        for item, found in zip(fresh, editor_problems_many(fresh, names), strict=True):
            self._read[item] = found
        for k, item in zip(at, items, strict=True):
            found = self._read[item]
            row = acceptability_row(
                item.text,
                item.evidence_texts,
                copied_share(item.text, item.evidence_texts),
                (r for r, _ in found),
            )
            risk[k] = model.probability(row)
            bad = [(rule, why) for rule, why in found if rule in EDITOR_GATE_RULES]
            rep = reps[k]
            if bad and rep is not None:
                # "'these children': no children in this sentence …": the point reads as well
                # with "the children"; kept aside for a speaker who would otherwise say nothing
                pointing = POINTING_FINDING.match(bad[0][1]) if len(bad) == 1 else None
                if pointing and bad[0][0] == "editor.referent":
                    det, noun = pointing.group(1), pointing.group(2)
                    reworded = re.sub(
                        rf"\b{re.escape(det)} {re.escape(noun)}\b", f"the {noun}", rep.text, count=1
                    )
                    if reworded != rep.text:
                        self._rescue[cands[k].key] = replace(rep, text=reworded)
            if bad:
                log.debug("pre-gate dropped %r: %s", item.text, bad[0][1])
                self.report.figures["pre_gate_dropped"] = self.report.figures.get("pre_gate_dropped", 0) + 1
                out[k] = None
        return out, risk

    def discussion(
        self,
        per: dict[str, list[Candidate]],
        budget: int,
        voices: _Voices,
        asking: set[str],
        exclude: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(),
    ) -> list[Point]:
        """The discussion's most salient distinct points, whoever made them (short budgets).

        Brief points are preferred: a sentence longer than ``BRIEF`` words counts for
        ``BRIEF / words`` of its salience, so that a short account covers more of the
        session than two long sentences would. In a hearing the answers carry it: questions
        take at most ``DISCUSSION_QUESTIONS`` of the words (about one question in a 150-word
        account), and those whose answer is reported come first.
        """
        answers = [c for n, cands in per.items() if n not in asking for c in cands if c.key not in exclude]
        questions = [c for n, cands in per.items() if n in asking for c in cands if c.key not in exclude]
        for c in answers + questions:
            c.score = c.salience * min(1.0, BRIEF / max(c.words, 1))
        room = int(budget * DISCUSSION_QUESTIONS) if questions and answers else (budget if questions else 0)
        answer_room = max(budget - room, MIN_WORDS)
        chosen = self.fill(self.rank(answers, RANKED * 2), answer_room, voices) if answers else []
        if questions and room >= MIN_WORDS:
            answered = {p.cand.turn for p in chosen}
            for c in questions:
                if c.text.rstrip().endswith("?") and any(
                    c.turn < t <= c.turn + ANSWER_WITHIN for t in answered
                ):
                    c.score *= PAIRED
            chosen += self.fill(self.rank(questions, RANKED), room, voices)
        return sorted(chosen, key=lambda p: p.key)

    # ------------------------------------------------------------------ writing
    def write(
        self, points: list[Point], cast: Cast, asking: set[str], hearing: bool, discussion: bool = False
    ) -> tuple[list[Paragraph], set[tuple[int, int]]]:
        """Paragraphs (by exchange in a hearing, by speaker otherwise) and the keys of the
        points they put in a sentence (the rest the writer or the style gate turned down)."""
        writer = Writer(cast)
        if hearing:
            groups = _exchanges(points, asking, self._asked_turns)
        elif discussion:  # consecutive points of one speaker share a paragraph
            groups = [list(g) for _, g in itertools.groupby(points, key=lambda p: p.cand.person.name)]
        else:
            order: dict[str, int] = {}
            for p in points:
                order.setdefault(p.cand.person.name, len(order))
            by_person: dict[str, list[Point]] = {}
            for p in points:
                by_person.setdefault(p.cand.person.name, []).append(p)
            groups = []
            for name in sorted(by_person, key=order.__getitem__):
                run = by_person[name]
                for k in range(0, len(run), SENTENCES_PER_PARAGRAPH):
                    groups.append(run[k : k + SENTENCES_PER_PARAGRAPH])
        # a dry run writes every sentence once, so that the style gate's parses come in one
        # batch (one sentence at a time through the parser costs several times as much)
        dry = Writer(cast)
        drafted = [
            s for group in groups for s in self._paragraph(group, dry, cast, asking, gate=False).sentences
        ]
        syntax.parse_many([s.text for s in drafted], lemmas=False)
        written: set[tuple[int, int]] = set()
        paragraphs = []
        for group in groups:
            para = self._paragraph(group, writer, cast, asking, written=written)
            if para.sentences:
                paragraphs.append(para)
        return paragraphs, written

    def _paragraph(
        self,
        group: list[Point],
        writer: Writer,
        cast: Cast,
        asking: set[str],
        gate: bool = True,
        written: set[tuple[int, int]] | None = None,
    ) -> Paragraph:
        """One paragraph of ``group``'s points; ``written`` gathers the keys of those put in a
        sentence."""
        writer.new_paragraph()
        sentences: list[Sentence] = []
        names = [f.full for f in cast.forms.values()]
        previous_verb: str | None = None
        index: dict[str, int] = {}
        k = 0
        while k < len(group):
            start = k
            point = group[k]
            who = point.cand.person.name
            nxt = group[k + 1] if k + 1 < len(group) else None
            text = None
            evidence = [point.evidence]
            speaker = who
            state = writer.snapshot()  # restored if what is written is not kept
            if (
                who in asking
                and point.rep.kind == "question"
                and nxt is not None
                and nxt.cand.person.name not in asking
                and nxt.rep.kind == "statement"
                and answers(point, nxt, self._asked_turns)
                and point.rep.words <= 14
                and point.rep.words + nxt.rep.words <= 40
                # "Asked by Brown what … from Rowlands' point of view, Morgan believes …": a third
                # person named in the question reads as the one answering
                and not _names_another(point.rep.text, cast, {who, nxt.cand.person.name})
            ):
                text = writer.asked_by(who, point.rep, nxt.cand.person.name, nxt.rep)
                if text is not None:
                    evidence = [point.evidence, nxt.evidence]
                    speaker = nxt.cand.person.name
                    k += 1
                else:
                    writer.restore(state)
            rep = point.rep
            while (
                text is None
                and rep.kind == "quote"
                and nxt is not None
                and nxt.rep.kind == "quote"
                and nxt.cand.person.name == who
                and nxt.cand.turn == point.cand.turn
                and rep.words + nxt.rep.words + FRAME_WORDS <= STYLE_MAX_WORDS
            ):
                # two quotations from one turn: one quotation, not "said: …" then "added: …"
                rep = replace(rep, text=f"{rep.text}. {nxt.rep.text}", words=rep.words + nxt.rep.words)
                evidence.append(nxt.evidence)
                k += 1
                nxt = group[k + 1] if k + 1 < len(group) else None
            if text is None:
                i = index.get(who, 0)
                lead = writer.last_subject != who and i == 0
                prev = group[k - 1] if k else None
                reply = (
                    prev is not None
                    and prev.cand.person.name in asking
                    and prev.rep.kind == "question"
                    and answers(prev, point, self._asked_turns)
                    and who not in asking
                    and bool(sentences)
                )
                text = writer.sentence(who, rep, lead=lead, previous_verb=previous_verb, index=i, reply=reply)
            k += 1
            if text is None:
                writer.restore(state)
                continue
            previous = sentences[-1].text if sentences else None
            problems = sentence_problems(text, previous, names) if gate else []
            if problems:
                writer.restore(state)  # whoever it named is still to be introduced
                log.debug("style gate dropped %r: %s", text, "; ".join(p[1] for p in problems))
                self.report.figures["style_dropped"] = self.report.figures.get("style_dropped", 0) + 1
                continue
            index[speaker] = index.get(speaker, 0) + 1
            previous_verb = _reporting_verb(text)
            sentences.append(Sentence(text, None if cast.unattributed else speaker, evidence))
            if written is not None:
                written.update(p.key for p in group[start:k])
        main = Counter(s.speaker for s in sentences if s.speaker).most_common(1)
        return Paragraph(sentences, main[0][0] if main and not cast.unattributed else None)

    # ------------------------------------------------------------------ opening
    def opening(
        self,
        programme: Programme,
        session: Session,
        transcript: Transcript,
        points: list[Point],
        people: list[Person],
        cast: Cast,
        asking: set[str],
        event: tuple[str, bool],
    ) -> Paragraph | None:
        """What the session was about and the themes that came up — never procedure."""
        body_name, committee = event
        inferred = bool(asking) and not any(p.role in QUESTIONER_ROLES for p in people)
        counts = asking_counts(transcript) if inferred else (Counter(), Counter())
        witnesses = [
            p.name
            for p in people
            if p.name not in asking and (not inferred or _answers(p, counts)) and not cast[p.name].member
        ]
        title = _topic(session.title)
        spoken = None if title or session.description else _spoken_topic(transcript)
        if spoken is not None:
            title = spoken[0]  # no programme title: what the chair opened the session on
        description = _description(session.description)
        sentences: list[Sentence] = []
        if description and not cast.unattributed:
            sentences.append(Sentence(description, None, []))
        else:
            who = "" if cast.unattributed else _who(witnesses, cast)
            subject = body_name if body_name.startswith(("the ", "The ")) else f"the {body_name}"
            if body_name[:1].isupper() and not body_name.startswith("The "):
                subject = f"the {body_name}"
            # "…, with Eluned Morgan of the Welsh Government, on higher education": the
            # topic is the session's, not the last witness's body's
            on = (", on " if ", with " in who and not who.endswith(",") else " on ") + title if title else ""
            if asking and who:
                text = f"{subject} took evidence from {who}{on}"
            elif who:
                text = f"{subject} heard from {who}{on}"
            elif title:
                text = f"{subject} discussed {title}"
            else:
                text = ""
            if text:
                sentences.append(Sentence(_cap(text.rstrip(",")) + ".", None, []))
        themes = self.themes(transcript, people)
        if themes:
            phrases, turns = themes
            sentences.append(
                Sentence(
                    f"The {'meeting' if committee else 'panel'} discussed {_join(phrases)}.",
                    None,
                    _cite(transcript, phrases, turns),
                )
            )
        return Paragraph(sentences, None) if sentences else None

    def themes(
        self, transcript: Transcript, people: list[Person], most: int = 4
    ) -> tuple[list[str], list[int]] | None:
        """The session's recurring subjects: two-word noun phrases the speakers keep coming back to.

        Pairs of content words ("vulnerable children", "school hubs") are counted over the
        reported speakers' turns; the most frequent distinct ones whose parse is a noun
        phrase (an adjective or noun, then a noun) are the themes, in the order they first
        came up. Names (capitalised words) never make a theme.
        """
        names = {p.name for p in people}
        counts: Counter[tuple[str, str]] = Counter()
        definite: Counter[tuple[str, ...]] = Counter()  # "the childcare offer": the theme takes "the"
        follow: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        first: dict[tuple[str, str], int] = {}
        turns_of: dict[tuple[str, str], set[int]] = {}
        for turn in transcript.turns:
            if turn.speaker is None or turn.speaker.name not in names:
                continue
            # the words said, as the candidates read them (no "{disfmarker}" theme)
            said = self._clean_text.get(turn.index)
            toks = _THEME_TOKEN_RE.findall(said if said is not None else clean_speech(turn.text)[0])
            for before, a, b, c in zip(["", *toks], toks, toks[1:], [*toks[2:], ""], strict=False):
                if c.islower() and c not in STOP_WORDS:
                    follow[(a, b)][c] += 1
                if (
                    not a.islower()
                    or not b.islower()
                    or a in STOP_WORDS
                    or b in STOP_WORDS
                    or a.endswith("ly")
                    or len(a) < 3
                    or len(b) < 4
                    or "'" in a + b
                    or "’" in a + b
                    or before.lower() in {"no", "not", "non"}  # "no deal scenario" is not a "deal scenario"
                ):
                    continue
                key = (a, b)
                counts[key] += 1
                if before.lower() in _DEFINITE:
                    definite[key] += 1
                first.setdefault(key, turn.index)
                turns_of.setdefault(key, set()).add(turn.index)
        avoid = data.words("theme_stop")
        ranked = [
            k for k, n in counts.most_common(40) if n >= 3 and len(turns_of[k]) >= 2 and k[1] not in avoid
        ]
        chosen: list[tuple[str, ...]] = []
        stems: set[str] = set()
        docs = syntax.parse_many((" ".join(key) for key in ranked), lemmas=False)
        for key, doc in zip(ranked, docs, strict=True):
            if len(doc) != 2 or doc[1].pos_ != "NOUN" or doc[0].pos_ not in {"ADJ", "NOUN"}:
                continue
            key_stems = {self._vec.terms(w)[0] for w in key if self._vec.terms(w)}
            if key_stems & stems:
                continue  # "vulnerable children" and "vulnerable learners": one theme
            stems |= key_stems
            nxt = follow[key].most_common(1)
            if nxt and nxt[0][1] >= 0.6 * counts[key]:  # "additional learning" is "additional learning needs"
                key = (*key, nxt[0][0])
                first[key] = first[key[:2]]
                definite[key] = definite[key[:2]]
            chosen.append(key)
            if len(chosen) == most:
                break
        if len(chosen) < 2:
            return None
        chosen.sort(key=first.__getitem__)
        phrases = [("the " if definite[k] > counts[k[:2]] / 2 else "") + " ".join(k) for k in chosen]
        return phrases, [first[k] for k in chosen]

    # ------------------------------------------------------------------ engine
    def draft(
        self, programme: Programme, session: Session, transcript: Transcript, options: DraftOptions
    ) -> Sketch:
        self.report = DraftReport()
        people = reported_people(session, transcript, options.include_moderator)
        only = options.extra.get("speakers")
        if only:  # a paragraph for these participants only (the rest still shape salience)
            people = [p for p in people if p.name in set(only)]
        asking = questioners(people, transcript)
        # the turns in which a member puts a question: an answer after another of them
        # answers that one, not the one before
        self._turn_text = {t.index: t.text for t in transcript.turns}
        self._use_editor_gate = bool(options.extra.get("editor_gate", True))
        self._reported, self._read, self._rescue = {}, {}, {}
        self._asked_turns = [
            t.index
            for t in transcript.turns
            if t.speaker is not None and t.speaker.name in asking and "?" in t.text
        ]
        per, _idf, spoken = self.candidates(transcript, people)
        self.score(per, asking, transcript, spoken)
        event = _event(programme, transcript)
        cast = Cast(session, transcript, people, asking, event[1], options.unattributed)
        voices = _Voices(transcript, cast, asking, options.unattributed)
        hearing = bool(asking) and len(asking) < len(people)
        total = options.words or default_words(people, asking, spoken)
        body = total - (0 if only else min(OPENING_WORDS, total // 4))
        speaking = [p for p in people if per[p.name]]
        points: list[Point] = []
        ranked: dict[str, list[Candidate]] = {}
        # too few words for a paragraph for each of the first few witnesses: the main points
        witnesses = [p for p in speaking if p.name not in asking] or speaking
        discussion = len(speaking) > 1 and body < MIN_SHARE * min(len(witnesses), DISCUSSION_BELOW)
        if discussion:
            log.info(
                "%s: %d words are too few for a paragraph per speaker (%d); the sketch reports the "
                "discussion's main points",
                transcript.source or "transcript",
                total,
                len(speaking),
            )
            points = self.discussion(per, body, voices, asking)
            for p in people:
                if not per[p.name]:
                    self._warn_silent(transcript, p)
        else:
            shares = self.shares(people, per, spoken, asking, body)
            answered: set[int] = set()
            left_out: list[str] = []
            ranked = {
                p.name: self.rank(
                    per[p.name],
                    max(RANKED, shares[p.name] // WORDS_PER_RANKED) if p.name not in asking else RANKED // 2,
                )
                for p in people
                if shares.get(p.name)
            }
            # one batch through the parser for every witness's first sentences
            syntax.parse_many(
                (
                    c.text
                    for p in people
                    if p.name not in asking and p.name in ranked
                    for c in ranked[p.name][: first_batch(shares[p.name])]
                ),
                lemmas=False,
            )
            # witnesses first; then each questioner through a question that was answered
            order = sorted(people, key=lambda p: p.name in asking)
            for k, person in enumerate(order):
                if person.name in asking and (k == 0 or order[k - 1].name not in asking):
                    self._rerank_questions(order[k:], per, shares, ranked, answered)
                if not per[person.name]:
                    self._warn_silent(transcript, person)
                    continue
                if not shares.get(person.name):
                    left_out.append(person.name)
                    continue
                chosen = self.fill(ranked[person.name], shares[person.name], voices)
                if person.name not in asking:
                    answered.update(p.cand.turn for p in chosen)
                points.extend(chosen)
            points.sort(key=lambda p: p.key)
            if left_out:
                log.info(
                    "%s: %d speaker%s left out for length (%s); --words gives them room",
                    transcript.source or "transcript",
                    len(left_out),
                    "s" if len(left_out) > 1 else "",
                    ", ".join(left_out[:5]) + (", …" if len(left_out) > 5 else ""),
                )
        if hearing and not discussion and not only:
            points = self._pair_questions(points, per, voices, asking)
        paragraphs, written = self.write(points, cast, asking, hearing, discussion)
        opening = None
        if not only:
            most = max((spoken[p.name] for p in people if p.name not in asking), default=0)
            speaking = [
                p for p in people if per[p.name] and (p.name in asking or spoken[p.name] >= most / 10)
            ]
            opening = self.opening(programme, session, transcript, points, speaking, cast, asking, event)
        opened = sum(word_count(s.text) for s in opening.sentences) if opening else 0
        for _ in range(TOP_UPS):
            # points the writer or the style gate turned down leave their words to others; a
            # short account also takes what the opening left of the words it was given
            lost = [p for p in points if p.key not in written]
            tried = {p.key for p in points}
            more: list[Point] = []
            words_out = opened + sum(word_count(s.text) for para in paragraphs for s in para.sentences)
            if discussion:
                room = max(sum(p.rep.words + FRAME_WORDS for p in lost), total - words_out)
                if room < TOP_UP_AT_LEAST:
                    break
                more = self.discussion(per, room, voices, asking, exclude=tried)
            else:
                lost_by: Counter[str] = Counter()
                for p in lost:
                    lost_by[p.cand.person.name] += p.rep.words + FRAME_WORDS
                left = total - words_out  # never past the length asked for
                for name, room in lost_by.items():
                    if min(room, left) < MIN_WORDS:
                        continue
                    left -= self._more_of(per[name], min(room, left), voices, tried, more)
                # words no point could be written for (a witness whose sentences the writer
                # turned down ran out of them): the other witnesses' next points, in proportion
                # to what they said, so that the length asked for is the length given
                if left >= TOP_UP_AT_LEAST:
                    open_to = [
                        p.name
                        for p in people
                        if p.name not in asking and any(c.key not in tried for c in per[p.name])
                    ]
                    said = sum(spoken[n] for n in open_to) or 1
                    budget_left = left
                    for name in sorted(open_to, key=lambda n: -spoken[n]):
                        room = max(MIN_SHARE // 2, round(budget_left * spoken[name] / said))
                        if min(room, left) < TOP_UP_AT_LEAST:
                            continue
                        left -= self._more_of(per[name], min(room, left), voices, tried, more)
            if not more:
                break
            points = sorted([p for p in points if p.key in written] + more, key=lambda p: p.key)
            if hearing and not discussion and not only:
                points = self._pair_questions(points, per, voices, asking)
            paragraphs, written = self.write(points, cast, asking, hearing, discussion)
        if hearing and not discussion and not only:
            # last, each answer with its question (not in the rounds above: a question the
            # writer turned down would send its member's words round again)
            asked = self._questions_for_answers([p for p in points if p.key in written], per, voices, asking)
            if len(asked) > len(written):
                points = asked
                paragraphs, written = self.write(points, cast, asking, hearing, discussion)
        paragraphs, written = self._trim_to(
            total - opened, points, written, paragraphs, cast, asking, hearing, discussion
        )
        written_words = opened + sum(word_count(s.text) for para in paragraphs for s in para.sentences)
        self.report.figures["words_asked"] = total
        self.report.figures["words_written"] = written_words
        if written_words < SHORT_OF * total:
            # not padded with what an editor would strike: the sketch says what can be said
            self.report.notes.append(
                f"{transcript.source or 'transcript'}: {written_words} of the {total} words asked for; "
                "the rest of what was said could not be reported safely (whom a 'we' stands for, "
                "a 'this' or 'they' with nothing before it): a programme with affiliations helps"
            )
        self.report.figures["body_sentences"] = sum(len(p.sentences) for p in paragraphs)
        self.report.figures["words_spoken"] = sum(spoken.values())
        if opening:
            paragraphs.insert(0, opening)
        metadata = Metadata.from_programme(programme, session)
        sketch = Sketch(metadata=metadata, paragraphs=paragraphs, disclaimer=programme.disclaimer)
        if options.unattributed:
            from sessionsketch.checks.unattributed import make_unattributed  # the rule check runs

            sketch = make_unattributed(sketch, session, programme)
        return sketch

    def _more_of(
        self,
        cands: list[Candidate],
        room: int,
        voices: _Voices,
        tried: set[tuple[int, int]],
        more: list[Point],
    ) -> int:
        """A speaker's next best points (of everything they said, not only of the first
        ranking) for ``room`` words: added to ``more`` and ``tried``; the words they take."""
        rest = self.rank([c for c in cands if c.key not in tried], RANKED)
        chosen = self.fill(rest, room, voices)
        more += chosen
        tried.update(p.key for p in chosen)
        return sum(p.rep.words + FRAME_WORDS for p in chosen)

    def _pair_questions(
        self, points: list[Point], per: dict[str, list[Candidate]], voices: _Voices, asking: set[str]
    ) -> list[Point]:
        """Every member's question with its answer: a question none of whose answers is among
        the points gets the best of the answers given to it (a witness's point in the turns
        after it, before the next member's question) that can be reported; a question that
        still has none is left out, since a reader takes the next point for its answer or
        sees the question go unanswered."""
        have = {p.key for p in points}
        out: list[Point] = []
        for p in points:
            if p.cand.person.name not in asking or p.rep.kind != "question":
                out.append(p)
                continue
            if any(a.cand.person.name not in asking and answers(p, a, self._asked_turns) for a in points):
                out.append(p)
                continue
            pool = [
                c
                for name, cands in per.items()
                if name not in asking
                for c in cands
                if c.key not in have and _answers_turn(p.cand.turn, c.turn, self._asked_turns)
            ]
            found = self.fill(self.rank(pool, ANSWERS_TRIED), ANSWER_WORDS, voices) if pool else []
            if not found:
                log.debug("question left out, its answer cannot be reported: %s", p.rep.text)
                self.report.figures["questions_unanswered"] = (
                    self.report.figures.get("questions_unanswered", 0) + 1
                )
                continue
            out.append(p)
            out.extend(found[:1])
            have.update(a.key for a in found[:1])
        return sorted(out, key=lambda p: p.key)

    def _questions_for_answers(
        self, points: list[Point], per: dict[str, list[Candidate]], voices: _Voices, asking: set[str]
    ) -> list[Point]:
        """Every answer with its question: a witness's point given in reply to a member's
        question the sketch leaves out would be read as the answer to whatever question the
        sketch puts before it (the editor audits' misrepresentations: a reply on the budget
        under a question on mergers). Its own question goes in when one of its sentences can
        be reported."""
        asked_in = {p.cand.turn for p in points if p.cand.person.name in asking and p.rep.kind == "question"}
        have = {p.key for p in points}
        added: list[Point] = []
        for p in points:
            if p.cand.person.name in asking:
                continue
            at = bisect.bisect_left(self._asked_turns, p.cand.turn) - 1
            if at < 0:
                continue
            q_turn = self._asked_turns[at]
            if q_turn in asked_in or not _answers_turn(q_turn, p.cand.turn, self._asked_turns):
                continue
            pool = [
                c
                for name, cands in per.items()
                if name in asking
                for c in cands
                if c.turn == q_turn and c.key not in have and c.text.rstrip().endswith("?")
            ]
            found = self.fill(self.rank(pool, 4), QUESTION_SHARE, voices) if pool else []
            found = [q for q in found if q.rep.kind == "question"][:1]
            if found:
                added.extend(found)
                asked_in.add(q_turn)
                have.update(q.key for q in found)
        self.report.figures["questions_added"] = self.report.figures.get("questions_added", 0) + len(added)
        return sorted(points + added, key=lambda p: p.key)

    def _trim_to(
        self,
        words: int,
        points: list[Point],
        written: set[tuple[int, int]],
        paragraphs: list[Paragraph],
        cast: Cast,
        asking: set[str],
        hearing: bool,
        discussion: bool,
    ) -> tuple[list[Paragraph], set[tuple[int, int]]]:
        """Never much past the length asked for (``WORDS_OVER``): the writer's frames and
        pairings add words the shares did not count, so the least salient points go, as many
        as the excess needs before each rewrite, while every speaker keeps at least one and
        the sketch keeps ``WORDS_UNDER`` of the words."""
        for _ in range(MAX_TRIMS):
            out = sum(word_count(s.text) for para in paragraphs for s in para.sentences)
            if out <= words * WORDS_OVER:
                break
            kept = [p for p in points if p.key in written]
            per_speaker = Counter(p.cand.person.name for p in kept)
            gone: set[tuple[int, int]] = set()
            removed = 0
            # the least salient first, until the excess is covered (one rewrite, not one a point)
            for p in sorted(kept, key=lambda p: p.cand.salience):
                if out - removed <= words * WORDS_OVER:
                    break
                cost = p.rep.words + FRAME_WORDS
                if per_speaker[p.cand.person.name] > 1 and out - removed - cost >= words * WORDS_UNDER:
                    gone.add(p.key)
                    per_speaker[p.cand.person.name] -= 1
                    removed += cost
            if not gone:
                break
            points = [p for p in kept if p.key not in gone]
            paragraphs, written = self.write(points, cast, asking, hearing, discussion)
        return paragraphs, written

    def _rerank_questions(
        self,
        askers: list[Person],
        per: dict[str, list[Candidate]],
        shares: dict[str, int],
        ranked: dict[str, list[Candidate]],
        answered: set[int],
    ) -> None:
        """Once the witnesses' points are known: questions they answered score higher; the
        questioners' first sentences go through the parser in one batch."""
        for person in askers:
            for c in per[person.name]:
                if c.text.rstrip().endswith("?") and any(
                    c.turn < t <= c.turn + ANSWER_WITHIN for t in answered
                ):
                    c.score *= PAIRED
            if shares.get(person.name):
                ranked[person.name] = self.rank(per[person.name], RANKED // 2)
        syntax.parse_many(
            (
                c.text
                for p in askers
                if p.name in ranked
                for c in ranked[p.name][: first_batch(shares[p.name])]
            ),
            lemmas=False,
        )

    @staticmethod
    def shares(
        people: list[Person],
        per: dict[str, list[Candidate]],
        spoken: dict[str, int],
        asking: set[str],
        body: int,
    ) -> dict[str, int]:
        """Witnesses in proportion to what they said; questioners about one question each."""
        askers = [p.name for p in people if p.name in asking and per[p.name]]
        room = min(QUESTION_SHARE * len(askers), int(body * QUESTIONERS_AT_MOST))
        ask_share = room // len(askers) if askers else 0
        out = {n: ask_share if ask_share >= 12 else 0 for n in askers}
        if ask_share < 12 and askers:  # too many questioners for the room: the busiest ask
            for n in sorted(askers, key=lambda n: -spoken[n])[: max(1, room // QUESTION_SHARE)]:
                out[n] = QUESTION_SHARE
        rest = body - sum(out.values())
        witnesses = {p.name: spoken[p.name] for p in people if p.name not in asking and per[p.name]}
        out.update(word_shares(witnesses, max(rest, MIN_SHARE)))
        return out

    @staticmethod
    def _warn_silent(transcript: Transcript, person: Person) -> None:
        log.warning(
            "%s: %s has no substantive turns; the sketch says nothing for them",
            transcript.source or "transcript",
            person.name,
        )


class _Voices:
    """The :class:`Voice` of each candidate: whom its "we" and "you" stand for."""

    def __init__(self, transcript: Transcript, cast: Cast, asking: set[str], unattributed: bool) -> None:
        self.turns = transcript.turns
        # turn indices are the source's (a cut-out stretch does not start at 0): positions by index
        self.position = {t.index: k for k, t in enumerate(transcript.turns)}
        self.lower_words = frozenset(
            w for t in transcript.turns[:2000] for w in _LOWER_RE.findall(t.text)
        )  # "Social services …": written "social" elsewhere, so not a name
        self.cast = cast
        self.asking = asking
        self.unattributed = unattributed

    def of(self, cand: Candidate) -> Voice:
        forms = self.cast[cand.person.name]
        singular = forms.pronoun != "they"  # unattributed: "one participant is", never "they is"
        group = forms.group
        if (
            self.unattributed
            and group not in {"the committee", "the government"}
            and not (group or "").endswith(" organisation")
        ):
            group = None
        addressee = None
        pronoun = None
        if cand.person.name in self.asking and not self.unattributed:
            answerer = self.answerer(cand.turn, cand.person.name)
            if answerer is not None:
                f = self.cast[answerer]
                addressee = f.role or f.short
                pronoun = f.pronoun_forms()
        return Voice(
            singular=singular,
            group=group,
            addressee=addressee,
            addressee_pronoun=pronoun,
            lower_words=self.lower_words,
            group_only_with=(
                data.words("report_committee_work")
                if group == "the committee" and forms.questioner
                else frozenset()
            ),
        )

    def answerer(self, index: int, asker: str) -> str | None:
        """Who answers a question put at turn ``index``: the next witness to speak."""
        at = self.position.get(index)
        if at is None:
            return None
        for t in self.turns[at + 1 : at + 5]:
            p = t.speaker
            if p is None or p.name == asker or p.role in {"chair", "moderator"} or p.name in self.asking:
                continue
            return p.name if p.name in self.cast.forms else None
        return None


def _names_another(text: str, cast: Cast, involved: set[str]) -> bool:
    """Whether ``text`` names a participant other than ``involved`` (by any word of their name)."""
    words = set(
        re.findall(r"[A-Z][\w-]+", text)
    )  # "Rowlands’ point of view": the name without its apostrophe
    return any(
        name not in involved and any(w in words for w in form.full.split() if w[:1].isupper() and len(w) > 2)
        for name, form in cast.forms.items()
    )


def answers(question: Point, answer: Point, asked_turns: list[int]) -> bool:
    """Whether ``answer`` may be reported as the reply to ``question``: it comes within
    ``ANSWER_WITHIN`` turns after it, from someone else, and no member put another question
    in between (that answer belongs to the later question)."""
    if question.cand.person.name == answer.cand.person.name:
        return False
    return _answers_turn(question.cand.turn, answer.cand.turn, asked_turns)


def _answers_turn(q: int, a: int, asked_turns: list[int]) -> bool:
    """Whether turn ``a`` may hold the answer to the question put in turn ``q``."""
    if not 0 < a - q <= ANSWER_WITHIN:
        return False
    at = bisect.bisect_right(asked_turns, q)
    return not (at < len(asked_turns) and asked_turns[at] < a)


def _exchanges(points: list[Point], asking: set[str], asked_turns: list[int]) -> list[list[Point]]:
    """A hearing's paragraphs: each opens with a member's question and holds the answers to
    it. A witness's point that does not answer the question before it starts a paragraph of
    its own: put beside the question it would read as the reply."""
    groups: list[list[Point]] = []
    current: list[Point] = []
    for p in points:
        asker = p.cand.person.name in asking
        if current and (
            (
                not asker
                and current[-1].cand.person.name in asking
                and current[-1].rep.kind == "question"
                and not answers(current[-1], p, asked_turns)
            )
            # a member's question after someone else's point opens its own exchange (a
            # paragraph that opened on one speaker's words read the next member's as theirs)
            or (
                asker
                and current[-1].cand.person.name != p.cand.person.name
                and (current[-1].cand.person.name in asking or p.rep.kind == "question")
            )
        ):
            groups.append(current)
            current = []
        follow_up = (
            bool(current) and current[-1].cand.person.name == p.cand.person.name
        )  # the same member again
        witness_change = (
            current
            and not asker
            and current[-1].cand.person.name not in asking
            and current[-1].cand.person.name != p.cand.person.name
            and len(current) >= 2
        )
        if (
            current
            and (
                (asker and len(current) >= 3 and not follow_up)
                or len(current) >= SENTENCES_PER_PARAGRAPH
                or witness_change
            )
            and not (asker and all(c.cand.person.name in asking for c in current) and len(current) < 2)
        ):
            groups.append(current)
            current = []
        current.append(p)
    if current:
        groups.append(current)
    return groups


_THEME_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’-]+")  # "children's" stays one token (and no theme)
# "the/this/our childcare offer": determiners before a theme that make it "the childcare offer"
_DEFINITE = frozenset(
    ["the", "this", "that", "these", "those", "our", "your", "their", "its", "his", "her", "my"]
)


def _cite(transcript: Transcript, phrases: list[str], turns: list[int]) -> list[Evidence]:
    """Evidence for the opening's themes: where each phrase first came up."""
    out = []
    for phrase, index in zip(phrases, turns, strict=True):
        text = next((t.text for t in transcript.turns if t.index == index), "")
        words = phrase.removeprefix("the ")  # the article is the sketch's, not the speaker's
        at = text.find(words)
        if at >= 0:
            out.append(Evidence(index, at, at + len(words)))
    return out


_REPORTING_RE = re.compile(
    r"\b(said|noted|added|argued|warned|suggested|acknowledged|asked|believes|replied|stressed|explained|cautioned|maintained|proposed|accepted|agreed|hoped|pushed back)\b"
)


def _reporting_verb(text: str) -> str | None:
    m = _REPORTING_RE.search(text[:80])
    return m.group(1) if m else None


def _answers(person: Person, counts: tuple[Counter[str], Counter[str]]) -> bool:
    """Whether the opening may name ``person`` among the witnesses when roles were inferred.

    Someone under a legislator's label ("Calgary Centre, CPC") is a member making a
    statement, and someone who asks in at least 40 % of their turns is asking, however few
    their turns (too few to judge them a questioner for the rest of the sketch).
    """
    if member_label(person.affiliation):
        return False
    asks, turns = counts
    return turns[person.name] > 0 and asks[person.name] < 0.4 * turns[person.name]


def _who(names: list[str], cast: Cast) -> str:
    """ "the Minister for Education, Kirsty Williams, and officials" or a list of names."""
    if not names:
        return ""
    first = cast[names[0]]
    title = _title(cast.people[names[0]].affiliation or cast.titles.get(names[0]))
    rest = [cast[n].full for n in names[1:4]] + (["others"] if len(names) > 4 else [])
    if not title:
        return _join([first.full, *rest])
    lead = f"the {title}, {first.full}"
    if not rest:
        return lead + ","  # the apposition closes: "…, Kirsty Williams, on …" (a final "," goes)
    org = first.group
    same = org and all(cast[n].group == org for n in names[1:4])
    return f"{lead}, with {_join(rest)}" + (f" of {org}" if same and org and len(names) <= 4 else "")


def _title(affiliation: str | None) -> str | None:
    """A title a person is introduced by ("Minister for Education"), from their affiliation."""
    if not affiliation:
        return None
    first = affiliation.split(",")[0].strip()
    if re.match(
        r"(?i)(deputy |first |prime )?(minister|cabinet secretary|secretary of state|commissioner)\b", first
    ):
        return first
    return None


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _topic(title: str | None) -> str | None:
    if not title:
        return None
    title = title.strip().rstrip(".")
    first = title.split(" ", 1)[0]
    if first.lower() in {"the", "a", "an"}:
        return first.lower() + title[len(first) :]
    return title


# what the chair says the session is on: "our inquiry into X", "a scrutiny session on X",
# "a session with the Minister for Y on X", "with a focus on X" (the first that matches)
_SPOKEN_TOPIC = (
    re.compile(r"\binquiry into (?P<t>[^.;?!]+)", re.I),
    re.compile(r"\bscrutiny (?:session )?(?:on|of) (?P<t>[^.;?!]+)", re.I),
    re.compile(r"\bsession (?:with [^.;?!]{3,80}? )?(?:on|around|about) (?P<t>[^.;?!]+)", re.I),
    re.compile(r"\bwith a focus on (?P<t>[^.;?!]+)", re.I),  # not "Speaker view allows you to focus on …"
)
_TOPIC_END = re.compile(r", (?:and|with|which|who|where|so) |, | (?:with|which|who|where) | — | – ")
_NOT_A_TOPIC = re.compile(r"\b(?:our|my|we|us|you|your|I)\b")


def _spoken_topic(transcript: Transcript) -> tuple[str, int] | None:
    """What the chair's opening says the session is on, and the turn that says it.

    "Item 2 this morning is our final evidence session for our inquiry into targeted
    funding to improve educational outcomes." → "targeted funding to improve educational
    outcomes". Up to 14 words; a topic in the speakers' own person ("our follow-up on our
    report") is not one.
    """
    for turn in transcript.turns[:3]:
        if turn.speaker is None or turn.speaker.role not in {"chair", "moderator"}:
            continue
        for pattern in _SPOKEN_TOPIC:
            m = pattern.search(turn.text)
            if m is None:
                continue
            topic = _TOPIC_END.split(m.group("t"), maxsplit=1)[0].strip()
            if 2 <= len(topic.split()) <= 14 and not _NOT_A_TOPIC.search(topic):
                return _topic(topic) or topic, turn.index
    return None


def _description(text: str | None) -> str | None:
    """The programme's description as an opening sentence, if it is one (never "Item 2, …")."""
    if not text:
        return None
    text = re.sub(r"^\s*item\s+\d+\s*[,:.-]?\s*", "", text.strip(), flags=re.I)
    if not text or len(text.split()) > 45:
        return None
    text = _cap(text.rstrip()) + ("" if text.rstrip().endswith(".") else ".")
    doc = syntax.parse(text, lemmas=False)
    return text if syntax.has_main_verb(doc) else None
