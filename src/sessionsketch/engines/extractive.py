"""The embedded offline engine: each speaker's own points, in reported speech.

For every reported speaker it takes the sentences of that speaker's turns, drops
greetings, thanks, procedure and filler, scores the rest by TF-IDF centrality within
the speaker's own turns blended with salience in the whole session, picks distinct
points with maximal marginal relevance (MMR) up to the speaker's word share, puts them
back in speaking order and writes them in reported speech (:mod:`.reported`). Every
output sentence carries the turn and character span it came from, and rests only on
the turns of the speaker it is attributed to.

TF-IDF is computed here over stemmed content words with plain dictionaries: importing
scikit-learn costs about 2 s on the reference machine, more than the whole 20k-word
budget of ``bench/speed.py``.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import snowballstemmer

from sessionsketch.engines import DraftOptions, register_engine
from sessionsketch.engines.reported import (
    SECOND_PERSON_RE,
    Referent,
    referent_for,
    report,
)
from sessionsketch.errors import UserError
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
    Turn,
)
from sessionsketch.text import Span, split_sentences, word_count, word_set

log = logging.getLogger("sessionsketch")

WORDS_PER_SPEAKER = 120
MIN_SHARE = 60  # no reported speaker gets fewer words than this (if they said enough)
MIN_WORDS = 6  # shorter sentences are rarely a point
MAX_WORDS = 60  # longer ones are run-ons of a transcript; reported only if nothing else
SPEAKER_WEIGHT = 0.55  # centrality within the speaker's turns
SESSION_WEIGHT = 0.45  # salience in the whole session
MMR_LAMBDA = 0.6
SENTENCES_PER_PARAGRAPH = 5
OPENING_TURNS = 3  # the moderator's framing comes from their first turns
FRAMING_CUE = 0.1  # bonus for a sentence that says what the session is for
FRAME_WORDS = 3  # "Kim argued that"
OVERSHOOT = 1.15

STOP_WORDS: frozenset[str] = word_set(
    """
    a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did
    didn't do does doesn't doing don't down during each few for from further had hadn't
    has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
    let's me more most mustn't my myself no nor not of off on once only or other ought
    our ours ourselves out over own same shan't she she'd she'll she's should shouldn't
    so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those through to too under until up
    very was wasn't we we'd we'll we're we've were weren't what what's when when's where
    where's which while who who's whom why why's with won't would wouldn't you you'd
    you'll you're you've your yours yourself yourselves just really well yes okay ok uh
    um mr mrs ms chair madam thank thanks think know going get got go say said like want
    also one would
    """
)

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
    r"(can|could) you hear|excuse me|pardon"
    r")",
    re.I,
)
_PROCEDURE = re.compile(
    r"\b(the floor|your time is|time is up|minutes left|seconds left|next question|"
    r"i('ll| will) let you|interpretation|unmute|microphone|order, please|the honourable member|"
    r"the hon\. member|we will now (go|move|continue|proceed)|questions? and answers?)\b",
    re.I,
)
#: A sentence cut off mid-way ("... continue to need—"): its point was never made.
_INTERRUPTED = re.compile(r"(\w[—–-]|\s[—–-]+|\.\.\.|…)\W*$")
#: What a chair says to run the meeting rather than to frame it: who speaks next, time.
_CHAIRING = re.compile(
    r"\b(seconds?|minutes? (left|remaining)|supplementar(y|ies)|continue with|presented by|"
    r"(first|next|last|final) (petition|question|speaker|member)s?|(a|some|any|more) (questions?|supplementar\w+) "
    r"(now )?(from|for)\b|questions? (now )?from|back to|over to|the floor|opening statement|"
    r"(this|the) meeting to order|to order|welcome (you|everyone|members)|looking forward|"
    r"(has|have|'ve|'s) (got )?(a|some) questions?|just before (we|they) move|"
    r"(straight|go) (in)?to questions|(sound|video ?conference|certificates?|interpretation|headsets?)\b|"
    r"declarations? of interest|apologies|remind (members|everyone|you|them|colleagues)|point of order)\b",
    re.I,
)
#: How a chair states what the session is for: "this morning's evidence session on ...".
_FRAMING = re.compile(
    r"\b(session|inquiry|evidence|meeting (today |this \w+ )?(is|was) |purposes? of|item \d|scrutiny|"
    r"(today|this (morning|afternoon)),? (we|the committee|the panel)|(discuss|look at|consider|examine|explore)"
    r"\w*)\b",
    re.I,
)
_TOKEN_RE = re.compile(r"[a-z][a-z'’]+")
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


class _Vectoriser:
    """TF-IDF over stemmed content words, sentences as documents (sublinear tf, l2)."""

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


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _centroid(vectors: list[dict[str, float]]) -> dict[str, float]:
    acc: Counter[str] = Counter()
    for v in vectors:
        acc.update(v)
    norm = math.sqrt(sum(x * x for x in acc.values())) or 1.0
    return {t: x / norm for t, x in acc.items()}


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
    roles = set(REPORTED_ROLES) | ({"moderator", "chair"} if include_moderator else set())
    first: dict[str, int] = {}
    people: dict[str, Person] = {}
    for t in transcript.turns:
        p = t.speaker
        if p is None or p.role not in roles or p.name in first:
            continue
        first[p.name] = t.index
        people[p.name] = p
    return [people[n] for n in sorted(first, key=first.__getitem__)]


def word_shares(spoken: dict[str, int], total: int) -> dict[str, int]:
    """Split ``total`` words among speakers in proportion to how much each said.

    When ``total`` cannot give every speaker ``MIN_SHARE`` words, the speakers who said
    least get nothing (the caller reports that the sketch left them out for length).
    """
    if not spoken:
        return {}
    room = max(1, total // MIN_SHARE)
    kept = sorted(spoken, key=lambda n: -spoken[n])[:room]
    floor = min(MIN_SHARE, total // len(kept))
    rest = max(0, total - floor * len(kept))
    weight = {n: math.sqrt(spoken[n]) for n in kept}
    all_w = sum(weight.values()) or 1.0
    return {n: floor + round(rest * weight[n] / all_w) if n in weight else 0 for n in spoken}


class Namer:
    """Names as a sketch writes them: full name first, then the family name or pronoun."""

    def __init__(self, unattributed: bool = False) -> None:
        self.unattributed = unattributed
        self.seen: set[str] = set()
        self.anonymous_count = 0

    def subject(self, person: Person, lead: bool) -> str:
        if self.unattributed:
            if lead:
                self.anonymous_count += 1
                return "One participant" if self.anonymous_count == 1 else "Another participant"
            return "The participant"
        if person.name not in self.seen:
            self.seen.add(person.name)
            return person.name
        if not lead and person.subject_pronoun:
            return person.subject_pronoun.capitalize()
        return person.family_name

    def referent(self, person: Person) -> Referent:
        if self.unattributed:
            return referent_for("the participant", person.subject_pronoun, _group_of(person))
        return referent_for(person.family_name, person.subject_pronoun, _group_of(person))


def _event_noun(turns: list[Turn]) -> str:
    """What the chair calls the event: a committee's "meeting", else a "session"."""
    text = " ".join(t.text for t in turns[:20]).lower()
    meeting = len(re.findall(r"\bmeeting\b", text))
    return "meeting" if meeting > len(re.findall(r"\b(session|panel)\b", text)) else "session"


def _group_of(person: Person) -> str:
    """What "we" means for a speaker: "the government" for ministers, else "they"."""
    text = f"{person.affiliation or ''} {person.role}".lower()
    if re.search(r"\b(minister|prime minister|government|secretary of state)\b", text):
        return "the government"
    return "they"


@register_engine("extractive")
class ExtractiveEngine:
    """Speaker-by-speaker extractive drafting with reported speech and evidence."""

    name = "extractive"

    def __init__(self, **settings: object) -> None:
        self.settings = settings
        self.lower_words: set[str] = set()
        self._vec = _Vectoriser()
        self._idf: dict[str, float] = {}
        self.session_centre: dict[str, float] = {}

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
        for turn in transcript.turns:
            p = turn.speaker
            if p is not None and p.name in names:
                self.lower_words.update(_LOWER_RE.findall(turn.text))
            for span in split_sentences(turn.text):
                terms = vec.terms(span.text)
                docs.append(terms)
                if p is None or p.name not in names:
                    continue
                n = word_count(span.text)
                spoken[p.name] += n
                if not is_point(span.text) or not terms:
                    continue
                cand = Candidate(p, turn.index, span.start, span.end, span.text, n)
                per[p.name].append(cand)
                terms_of.append((cand, terms))
        idf = vec.fit(docs)
        self._vec, self._idf = vec, idf
        for cand, terms in terms_of:
            cand.vector = vec.vector(terms, idf)
        return per, idf, spoken

    def score(self, per: dict[str, list[Candidate]]) -> None:
        everyone = [c.vector for cands in per.values() for c in cands]
        session_centre = _centroid(everyone) if everyone else {}
        self.session_centre = session_centre
        for cands in per.values():
            if not cands:
                continue
            centre = _centroid([c.vector for c in cands])
            for c in cands:
                length = min(1.0, c.words / 18.0) * (0.6 if c.words > MAX_WORDS else 1.0)
                person_penalty = 0.75 if SECOND_PERSON_RE.search(c.text) else 1.0
                question_penalty = 0.8 if c.text.rstrip().endswith("?") else 1.0
                shape = length * person_penalty * question_penalty
                session = _dot(c.vector, session_centre)
                c.score = (SPEAKER_WEIGHT * _dot(c.vector, centre) + SESSION_WEIGHT * session) * shape
                c.salience = session * shape

    @staticmethod
    def select(cands: list[Candidate], budget: int) -> list[Candidate]:
        """Distinct high-scoring sentences up to ``budget`` words (MMR), in speaking order.

        Each sentence costs its words plus the reporting frame ("Kim argued that").
        """
        pool = sorted(cands, key=lambda c: -c.score)[:60]
        chosen: list[Candidate] = []
        used = 0
        while pool and used < budget:
            best, best_val = None, -1e9
            for c in pool:
                if used + c.words + FRAME_WORDS > budget * OVERSHOOT and (chosen or c.words > budget):
                    continue  # would overshoot: a shorter point may still fit
                redundancy = max((_dot(c.vector, s.vector) for s in chosen), default=0.0)
                val = MMR_LAMBDA * c.score - (1 - MMR_LAMBDA) * redundancy
                if val > best_val:
                    best, best_val = c, val
            if best is None:
                if chosen:
                    break
                best = min(pool, key=lambda c: c.words)  # nothing fits: the shortest point
            pool.remove(best)
            chosen.append(best)
            used += best.words + FRAME_WORDS
        return sorted(chosen, key=lambda c: (c.turn, c.start))

    def select_discussion(self, per: dict[str, list[Candidate]], budget: int) -> list[Candidate]:
        """The discussion's most salient distinct points, whoever made them, in speaking order.

        Used when the budget cannot give every speaker a paragraph: a short summary of a
        discussion reports its main points, not a fixed minimum for each speaker.
        """
        pool = [c for cands in per.values() for c in cands]
        for c in pool:
            c.score = c.salience
        return self.select(pool, max(budget, MIN_WORDS))

    def write_discussion(self, chosen: list[Candidate], namer: Namer) -> list[Paragraph]:
        """Points in speaking order; consecutive points of one speaker share a paragraph."""
        paragraphs: list[Paragraph] = []
        for _, group in itertools.groupby(chosen, key=lambda c: c.person.name):
            run = list(group)
            paragraphs.extend(self.write_speaker(run[0].person, run, namer))
        return paragraphs

    # ------------------------------------------------------------------ writing
    def write_speaker(self, person: Person, chosen: list[Candidate], namer: Namer) -> list[Paragraph]:
        sentences: list[Sentence] = []
        previous_verb = ""
        ref = namer.referent(person)
        for i, c in enumerate(chosen):
            rep = report(c.text, ref, lower_words=self.lower_words)
            if rep is None:
                continue
            verb = rep.verb
            if verb == previous_verb and not rep.question:
                verb = {
                    "said": "noted",
                    "noted": "added",
                    "argued": "maintained",
                    "warned": "cautioned",
                    "suggested": "proposed",
                    "added": "said",
                    "explained": "said",
                }.get(verb, "said")
            previous_verb = verb
            subject = namer.subject(person, lead=not sentences)
            also = " also" if sentences and i % 2 == 1 and not rep.question and verb != "added" else ""
            text = f"{subject}{also} {verb} {rep.clause}."
            text = text[0].upper() + text[1:]
            speaker = None if namer.unattributed else person.name
            sentences.append(Sentence(text, speaker, [Evidence(c.turn, c.start, c.end)]))
        paragraphs = []
        for k in range(0, len(sentences), SENTENCES_PER_PARAGRAPH):
            chunk = sentences[k : k + SENTENCES_PER_PARAGRAPH]
            paragraphs.append(Paragraph(chunk, None if namer.unattributed else person.name))
        return paragraphs

    def framing(self, turns: list[Turn]) -> tuple[Turn, Span] | None:
        """The moderator's sentence that best frames the session (most salient point)."""
        best: tuple[float, Turn, Span] | None = None
        for turn in turns:
            for span in split_sentences(turn.text):
                if (
                    not is_point(span.text)
                    or word_count(span.text) > MAX_WORDS
                    or _CHAIRING.search(span.text)
                ):
                    continue
                vector = self._vec.vector(self._vec.terms(span.text), self._idf)
                score = _dot(vector, self.session_centre) + (
                    FRAMING_CUE if _FRAMING.search(span.text) else 0.0
                )
                if best is None or score > best[0]:
                    best = (score, turn, span)
        return (best[1], best[2]) if best else None

    def opening(
        self, session: Session, transcript: Transcript, people: list[Person], namer: Namer
    ) -> Paragraph | None:
        sentences: list[Sentence] = []
        if session.description and not namer.unattributed:
            for span in split_sentences(session.description):
                sentences.append(Sentence(span.text, None, []))
        moderator = session.moderator
        if moderator is not None and moderator.name not in {p.name for p in people}:
            turns = [
                t for t in transcript.turns if t.speaker is not None and t.speaker.name == moderator.name
            ]
            framing = self.framing(turns[:OPENING_TURNS])
            if framing is not None:
                turn, span = framing
                ref = namer.referent(moderator)
                rep = report(span.text, ref, lower_words=self.lower_words)
                if rep is not None:
                    who = "The moderator" if namer.unattributed else namer.subject(moderator, lead=True)
                    how = "asking" if rep.question else "noting"
                    text = f"{who} opened the {_event_noun(turns)} by {how} {rep.clause}."
                    sentences.append(
                        Sentence(
                            text[0].upper() + text[1:],
                            None if namer.unattributed else moderator.name,
                            [Evidence(turn.index, span.start, span.end)],
                        )
                    )
        if not sentences:
            title = session.title
            n = len(people)
            if title:
                sentences.append(
                    Sentence(f"The session on {title} heard {n} speaker{'s' if n != 1 else ''}.", None, [])
                )
        return Paragraph(sentences, None) if sentences else None

    # ------------------------------------------------------------------ engine
    def draft(
        self, programme: Programme, session: Session, transcript: Transcript, options: DraftOptions
    ) -> Sketch:
        people = reported_people(session, transcript, options.include_moderator)
        only = options.extra.get("speakers")
        if only:  # a paragraph for these participants only (the rest still shape salience)
            people = [p for p in people if p.name in set(only)]
        per, _idf, spoken = self.candidates(transcript, people)
        self.score(per)
        total = options.words or WORDS_PER_SPEAKER * max(1, len(people))
        shares: dict[str, int] = {}
        namer = Namer(options.unattributed)
        paragraphs: list[Paragraph] = []
        opening = None if only else self.opening(session, transcript, people, namer)
        body = total
        if opening:
            paragraphs.append(opening)
            body -= sum(word_count(x.text) for x in opening.sentences)
        speaking = [p for p in people if per[p.name]]
        if len(speaking) > 1 and body < MIN_SHARE * len(speaking):
            # too short for a paragraph per speaker: the discussion's most salient points
            log.info(
                "%s: %d words are too few for a paragraph per speaker (%d); the sketch reports the "
                "discussion's main points",
                transcript.source or "transcript",
                total,
                len(speaking),
            )
            paragraphs.extend(self.write_discussion(self.select_discussion(per, body), namer))
            people = [p for p in people if not per[p.name]]  # still warned about below
        else:
            shares = word_shares({n: w for n, w in spoken.items() if per[n]}, max(body, MIN_SHARE))
        for person in people:
            if not per[person.name]:
                log.warning(
                    "%s: %s has no substantive turns; the sketch says nothing for them",
                    transcript.source or "transcript",
                    person.name,
                )
                continue
            if not shares.get(person.name):
                log.info(
                    "%s: %s left out: --words is too short for every speaker",
                    transcript.source or "transcript",
                    person.name,
                )
                continue
            chosen = self.select(per[person.name], shares[person.name])
            paragraphs.extend(self.write_speaker(person, chosen, namer))
        metadata = Metadata.from_programme(programme, session)
        sketch = Sketch(metadata=metadata, paragraphs=paragraphs, disclaimer=programme.disclaimer)
        if options.unattributed:
            sketch = make_unattributed(sketch, session)
        return sketch


def identifying_words(session: Session) -> list[str]:
    """Names, family names, given names and affiliations of everyone on the panel."""
    out: set[str] = set()
    for p in session.participants:
        for form in [p.name, p.family_name, p.given_name or "", p.affiliation or "", *p.aliases]:
            form = form.strip()
            if len(form) >= 3:
                out.add(form)
    return sorted(out, key=len, reverse=True)


def leaks(text: str, words: list[str]) -> list[str]:
    """Which identifying words occur in ``text`` (whole words, any case)."""
    found = []
    for w in words:
        if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I):
            found.append(w)
    return found


def make_unattributed(sketch: Sketch, session: Session) -> Sketch:
    """Drop sentences that name a participant, blank the panel list, then verify.

    Raises a user error when any participant's name, surname or affiliation would
    still appear.
    """
    words = identifying_words(session)
    for para in sketch.paragraphs:
        para.sentences = [s for s in para.sentences if not leaks(s.text, words)]
        para.speaker = None
        for s in para.sentences:
            s.speaker = None
    sketch.paragraphs = [p for p in sketch.paragraphs if p.sentences]
    meta = sketch.metadata
    meta.moderator = None
    meta.speakers = []
    visible = " ".join([s.text for s in sketch.sentences] + [str(meta.session or ""), str(meta.theme or "")])
    found = leaks(visible, words)
    if found:
        raise UserError(f"unattributed sketch would name {', '.join(found)}; refusing to write it")
    return sketch
