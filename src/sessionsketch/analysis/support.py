"""How well a speaker's own turns support a sentence written about them.

A sketch says "Knapper noted that the two countries have made a conscious choice";
the transcript has Knapper saying "I think our two countries have made a conscious
choice". :class:`SupportScorer` compares the two after putting them in the same
shape: reporting frames ("noted that", "he said", "according to") and pronouns are
dropped, participants' names are dropped (the sketch names its subject, the speaker
does not name themself), words are stemmed. It then scores the sentence against
every sentence (and every pair of adjacent sentences) of every turn with TF-IDF over
stemmed content words and their bigrams, blended with character n-grams so that
paraphrases with different word endings still meet.

Words are not enough: a member who asks "Do the principles then apply to further
education?" shares nearly every word with the minister's answer "Yes, they apply to
further education colleges", but only the minister said it. So each transcript
sentence is also read for what it does (:data:`KINDS`):

- it *asserts* (the default);
- it *asks* — a question ("…?"), or a request for one ("I'd like to ask about…",
  "Tell us about…"): it proposes, it does not assert;
- it *quotes* someone else ("You said earlier that…", "The commissioner has told us…");
- it *echoes* the turn before it, another speaker's, without adding to it;
- a *confirms* unit is added for an answer that opens with yes or "that's right": it
  holds the proposal it answers, and asserts it for the one who answered; a yes to a
  statement rather than a question only *agrees* (half weight: the other said it first);
- it *leads* up to the question that ends its turn (the question's premise, "Small
  business has been let down. Can the government confirm …?"): the questioner's own,
  unless the answer to it (the next turns by others) supports the sentence too — then
  it counts :data:`PREMISE`, since the words the two share are the exchange's topic.

With the parser, a question announced ("My question is for …") asks, and what the one
addressed does or thinks ("You're not piloting it in …", "…, you think") is put to them
(quotes); an echo that credits the other ("As Dawn said, …") is the speaker's own. A
sketch sentence that says "not" leans less on spans that do not.

A sketch sentence that states something takes full support only from what asserts
or confirms it; one that reports a question ("Gwenllian asked whether…") takes it
from the speaker's questions. A participle clause that names the questioner ("Asked
by Hefin David when schools might reopen, Williams…") is the questioner's words and
is left out of what the speaker must support.

The kinds that need the dependency parse (:mod:`sessionsketch.analysis.syntax`: a
quotation's subject, a request's verb) are read only for the sentences that could
decide a score — each speaker's best few for the sentences being scored — in one
batch; questions, echoes and answers are read without it. The sketch sentences are
parsed (in one batch by :meth:`SupportScorer.prepare`) to tell a reported question
from a statement.

The scorer is fitted once per transcript; scoring a sentence is one sparse product.
The LLM engine's evidence gate, the ``support`` check and the workbench all use it.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import snowballstemmer

from sessionsketch.analysis.names import HONORIFICS, fold
from sessionsketch.analysis.tfidf import Tfidf, char_wb_ngrams
from sessionsketch.data import phrases, words
from sessionsketch.model import Transcript, Turn
from sessionsketch.text import ends_with_question_mark, split_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: A sentence whose speaker's best score reaches this is supported by the transcript.
SUPPORTED = 0.25

#: Weight of the word (stem) similarity; the rest goes to character n-grams.
WORD_WEIGHT = 0.6

REPORTING_VERBS: frozenset[str] = words("support_frame")
"""Words of a reporting frame, dropped before scoring ("Kim noted that ...")."""

PRONOUNS: frozenset[str] = words("support_pronouns")
"""Personal pronouns: first person in the transcript is third person in the sketch."""

FILLERS: frozenset[str] = words("support_fillers")

ASKING: frozenset[str] = words("support_asking")
"""Lemmas of verbs that report a question ("asked whether", "pressed the minister on")."""

QUOTING: frozenset[str] = words("support_quoting")
"""Lemmas of verbs with which a speaker reports someone else's words ("you said that")."""

AFFIRMATIVES: tuple[str, ...] = phrases("support_affirmatives")
"""Openings of an answer that says yes to the proposal before it."""

#: Support for a statement from what leads up to a question in the same turn (its premise).
PREMISE = 0.7
#: The answer to a question: at most this many turns by others after it.
ANSWER_TURNS = 2

#: What a transcript sentence does; indices into the weight rows below.
ASSERTS, ASKS, QUOTES, ECHOES, CONFIRMS, AGREES, LEADS = range(7)
KINDS: tuple[str, ...] = ("asserts", "asks", "quotes", "echoes", "confirms", "agrees", "leads")

#: How much a transcript sentence of each kind (in :data:`KINDS` order) counts as support
#: for a sketch sentence that states something...
FOR_STATEMENT = np.array([1.0, 0.35, 0.35, 0.5, 1.0, 0.5, PREMISE])
#: ...and for one that reports a question ("Gwenllian asked whether ...").
FOR_QUESTION = np.array([0.7, 1.0, 0.35, 0.5, 0.5, 0.35, 0.7])

#: The best this-many units of each speaker who could decide a score (the LEADING
#: speakers for the sentence, and the one it is attributed to) are read with the parser.
CANDIDATES = 3
LEADING = 3
#: Units scoring below this are never worth parsing.
CANDIDATE_FLOOR = 0.08

#: Support for a sentence that says "not" from a span that does not.
NEGATION = 0.75

#: An echo: at most this many content words, at least this share of them in the turn before.
ECHO_WORDS = 8
ECHO_SHARE = 0.8


@dataclass(frozen=True)
class Support:
    """The best support a speaker's turns give a sentence.

    ``score`` is 0..1; ``turn`` is the transcript turn index (None when the speaker
    has no turns); ``[start, end)`` is the character span of the supporting sentence
    (or pair of adjacent sentences) in that turn's text; ``kind`` is what that span
    does (one of :data:`KINDS`); ``shared`` is how many of the sentence's content words
    (stems) the span has: one shared word is no sign of who said it.
    """

    score: float
    turn: int | None
    start: int
    end: int
    kind: str = "asserts"
    shared: int = 0


@dataclass(frozen=True)
class _Unit:
    turn: int
    speaker: str | None
    start: int
    end: int
    first: int  # index of its (first) sentence in SupportScorer._sentences
    second: int  # of its second sentence (== first for a single sentence)


@dataclass(frozen=True)
class _Sentence:
    turn: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Claim:
    """A sketch sentence as the scorer reads it: what the speaker must support, and how."""

    text: str  # the words to score (a questioner's participle clause left out)
    weights: np.ndarray  # support weight of each transcript sentence kind
    asks: bool  # it reports a question


_SCORERS_LOCK = threading.Lock()
_STOP = words("english_stop_words") | PRONOUNS | REPORTING_VERBS | FILLERS
_HONORIFIC_WORDS = frozenset(w for h in HONORIFICS for w in h.split())
_FIRST_PERSON = frozenset({"i", "we"})
_AFFIRMATIVE_RE = re.compile(
    r"^(?:" + "|".join(re.escape(p) for p in sorted(AFFIRMATIVES, key=len, reverse=True)) + r")(?![\w'’])"
)
# "When talking about the economy, X said …", "Discussing funding, …": the topic, not the claim
_TOPIC_VERBS = frozenset({"talk", "discuss", "speak", "turn", "address"})
# "I'd like to ask", "I want to know", "I wonder", "Can I ask": questions without a "?"
_REQUEST_HEADS = frozenset({"want", "like", "wish", "need"})
_REQUEST_VERBS = frozenset({"ask", "know", "understand", "hear", "wonder", "probe", "explore"})
_QUESTION_NOUNS = frozenset({"question", "query", "questioning"})
# words that may make a sketch sentence a reported question or hold a questioner's clause
# ("asked", "wondered", "queried", "pressed", "wanted to know", "in answer to a question")
_MAY_ASK_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted({re.escape(w[:4]) for w in ASKING | {"question", "query", "know"} | _TOPIC_VERBS}))
    + r")",
    re.IGNORECASE,
)
_IMPERATIVE_ASKS = frozenset({"tell", "explain", "give", "outline", "describe", "talk", "update", "say"})
# "As Dawn said, it's not just about team sports": the words taken up as one's own, not echoed
_CREDITS = re.compile(
    r"\b(?:as|like) (?:[\w'’]+ ){1,3}(?:said|says|mentioned|noted|suggested|pointed out|put it|indicated)\b"
    r"|\bi (?:would |'d |’d )?(?:agree|echo)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:not|never|no|nothing|none|nobody|neither|nor|cannot)\b|n['’]t\b", re.IGNORECASE)
_ANOTHERS_POINT = re.compile(
    r"\bpoint (?:that )?(?!i\b|we\b)[\w'’-]+(?:'s|’s| is| was| has)? (?:making|made|raised|raising)\b",
    re.IGNORECASE,
)
# "we'll move on to questions about …", "turning now to questions from …"
_MOVING_ON = frozenset({"go", "move", "turn", "come"})
# "I think you're right", "I hope you're making adjustments": what the one addressed does
_SUPPOSING = frozenset(
    {"think", "hope", "assume", "presume", "suppose", "gather", "take", "guess", "imagine"}
)
# "you know", "you see", "you mean": fillers, and the impersonal "you have to …"
_IMPERSONAL_YOU = frozenset({"know", "see", "mean", "have", "need", "get", "find", "look"})


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a folded word."""
    return _stemmer().stemWord(word)


def _terms(content_words: list[str]) -> list[str]:
    """Stems and stem bigrams of a unit's content words: the word features."""
    stems = [stem(w) for w in content_words]
    return stems + [f"{a} {b}" for a, b in pairwise(stems)]


def affirms(text: str) -> bool:
    """Whether an answer opens by saying yes ("Yes.", "That's right, …", "Absolutely")."""
    opening = re.sub(r"[^\w' ]+", " ", text[:60].lower().replace("’", "'"))
    return bool(_AFFIRMATIVE_RE.match(" ".join(opening.split())))


# ---------------------------------------------------------------- reading with the parser


def _is_passive(verb: Token) -> bool:
    """A passive verb ("was asked"), or a bare past participle ("Asked by X, …")."""
    if any(c.dep_ in {"auxpass", "nsubjpass", "agent"} for c in verb.children):
        return True
    return verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children)


def _lemma(tok: Token) -> str:
    """A token's lemma, computed when read (the sentences are parsed without the lemmatizer)."""
    from sessionsketch.analysis import syntax

    return syntax.lemma(tok)


def _asking_verb(tok: Token) -> bool:
    """An active verb that reports a question: "asked whether", "wanted to know how"."""
    if tok.pos_ not in {"VERB", "AUX"} or _is_passive(tok):
        return False
    if _lemma(tok) in ASKING:
        # "asked the schools to stay open" is a request for action, not a question
        return not any(c.dep_ == "xcomp" for c in tok.children)
    if _lemma(tok) == "know" and tok.dep_ == "xcomp":
        return _lemma(tok.head) in _REQUEST_HEADS
    return False


def _questioner_clause(tok: Token) -> bool:
    """A clause or phrase that reports a question put to the sentence's subject.

    "Asked by X about Y, …", "When X asked whether …, …", "In answer to X's question
    on Y, …": the words in it are the questioner's, not the subject's.
    """
    if _lemma(tok) in ASKING and tok.pos_ in {"VERB", "AUX"}:
        return tok.dep_ == "advcl" or (tok.dep_ in {"acl", "prep", "npadvmod"} and _is_passive(tok))
    if _lemma(tok) in _QUESTION_NOUNS and tok.pos_ == "NOUN" and tok.dep_ == "pobj":
        # the phrase "in answer to …'s question" hangs off the main verb
        prep = tok.head
        while prep.dep_ == "pobj" or (prep.dep_ == "prep" and prep.head.pos_ not in {"VERB", "AUX"}):
            prep = prep.head
        return prep.dep_ == "prep" and prep.head.dep_ == "ROOT"
    return False


def _topic_clause(tok: Token) -> bool:
    """ "When talking about the economy, …", "Discussing funding, …": a participle clause
    with no subject of its own that names the topic the sentence's claim is about."""
    return (
        _lemma(tok) in _TOPIC_VERBS
        and tok.tag_ in {"VBG", "VBN"}
        and tok.dep_ == "advcl"
        and tok.head.dep_ == "ROOT"
        and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)
    )


def read_claim(doc: Doc) -> Claim:
    """What a parsed sketch sentence asks the speaker's turns to support."""
    dropped: set[int] = set()
    asks = False
    states = False
    for tok in doc:
        if _topic_clause(tok):
            dropped.update(t.i for t in tok.subtree)
        elif _questioner_clause(tok):
            if tok.pos_ == "NOUN":  # drop the whole phrase, from its preposition down
                while tok.dep_ in {"pobj", "prep"} and tok.head.dep_ != "ROOT":
                    tok = tok.head
                tok = tok.head if tok.dep_ == "pobj" else tok
            dropped.update(t.i for t in tok.subtree)
    asking = {tok.i for tok in doc if tok.i not in dropped and _asking_verb(tok)}
    for tok in doc:
        if tok.i in dropped or tok.pos_ not in {"VERB", "AUX"}:
            continue
        if tok.i in asking:
            asks = True
        elif tok.dep_ in {"ROOT", "conj", "ccomp", "parataxis"} and not any(
            a.i in asking or a.i in dropped for a in tok.ancestors
        ):
            states = True  # a clause of its own, not the content of a question
    text = " ".join(t.text for t in doc if t.i not in dropped) if dropped else doc.text
    if asks and states:
        weights = np.maximum(FOR_STATEMENT, FOR_QUESTION)
    elif asks:
        weights = FOR_QUESTION
    else:
        weights = FOR_STATEMENT
    return Claim(text, weights, asks)


def _addresses(root: Token, subject: Token | None) -> bool:
    """A sentence about what the one addressed does or thinks: "You're not piloting it in …",
    "I hope you're making adjustments", "…, but not amongst the Welsh, you think"."""
    if subject is not None and subject.lower_ == "you":
        # "you can …", "you have to …", "you know": the impersonal you
        modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in root.children)
        return not modal and _lemma(root) not in _IMPERSONAL_YOU
    if subject is not None and subject.lower_ in _FIRST_PERSON and _lemma(root) in _SUPPOSING:
        return any(
            c.dep_ == "ccomp" and (s := _subject(c)) is not None and s.lower_ == "you" for c in root.children
        )
    return False


def _puts_to_you(root: Token) -> bool:
    """A statement handed to the one addressed to confirm: "…, but not amongst the Welsh, you think"."""
    return any(
        c.dep_ == "parataxis"
        and _lemma(c) in _SUPPOSING | QUOTING
        and (s := _subject(c)) is not None
        and s.lower_ == "you"
        for c in root.children
    )


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


def _announces_question(root: Token, subject: Token | None) -> bool:
    """ "My question is …", "There are some questions from X on …", "We'll go on now to
    questions about …": a sentence about a question put (or to be put) is not an answer."""
    if subject is not None and _lemma(subject) in _QUESTION_NOUNS:
        return True
    if _lemma(root) == "be" and any(c.dep_ == "attr" and _lemma(c) in _QUESTION_NOUNS for c in root.children):
        return any(c.dep_ == "expl" for c in root.children)  # "there are questions from …"
    verbs = [root, *(c for c in root.children if c.dep_ == "xcomp")]
    return any(
        _lemma(v) in _MOVING_ON
        and any(
            p.dep_ == "prep" and any(o.dep_ == "pobj" and _lemma(o) in _QUESTION_NOUNS for o in p.children)
            for p in (
                *v.children,
                *(g for c in v.children if c.dep_ in {"prep", "advmod", "prt"} for g in c.children),
            )
        )
        for v in verbs
    )


def sentence_kind(doc: Doc, asking_turn: bool = False) -> int:
    """What one transcript sentence does, read from its parse: asserts, asks or quotes.

    ``asking_turn``: the sentence is in a turn that puts a question, where a sentence
    about what the one addressed does ("You're not piloting it in the high-cost areas")
    proposes it to them rather than asserting it.
    """
    from sessionsketch.analysis import syntax

    if syntax.is_question(doc) or ends_with_question_mark(doc.text):
        return ASKS
    root = syntax.root_of(doc)
    subject = syntax.subject_of(root)
    subject_word = subject.lower_ if subject is not None else ""
    # "I'd like to ask about …", "I wonder whether …", "Can I ask …"
    if subject_word in _FIRST_PERSON or subject is None:
        if _lemma(root) in {"ask", "wonder"} and subject is not None:
            return ASKS
        if _lemma(root) in _REQUEST_HEADS and any(
            c.dep_ == "xcomp" and _lemma(c) in _REQUEST_VERBS for c in root.children
        ):
            return ASKS
    # "Tell us about …", "Explain how …"
    if subject is None and root.tag_ == "VB" and _lemma(root) in _IMPERATIVE_ASKS and root.i <= 2:
        return ASKS
    if _announces_question(root, subject):
        return ASKS
    # "You said earlier that …", "The commissioner has told us …"
    if (
        _lemma(root) in QUOTING
        and subject is not None
        and subject_word not in _FIRST_PERSON
        and subject.pos_ in {"PRON", "PROPN", "NOUN"}
        and any(c.dep_ in {"ccomp", "dobj", "dative", "prep"} for c in root.children)
    ):
        return QUOTES
    # "You think that …", "…, you think": what the one addressed holds, put back to them
    if subject_word == "you" and _lemma(root) in _SUPPOSING and any(c.dep_ == "ccomp" for c in root.children):
        return QUOTES
    # "I think the point that Janet's making is that …"
    if _ANOTHERS_POINT.search(doc.text):
        return QUOTES
    if _puts_to_you(root) or _addresses(root, subject):
        return QUOTES
    return ASSERTS


class SupportScorer:
    """Scores sentences against one transcript's turns, speaker by speaker.

    >>> scorer = SupportScorer(transcript)            # fit once
    >>> scorer.prepare(sentences)                     # optional: parse them in one batch
    >>> scorer.support("Knapper noted that ...", "Marc Knapper").score
    >>> scorer.ranking("Knapper noted that ...")[0]   # (best speaker, Support)
    """

    def __init__(self, transcript: Transcript, cache_size: int = 512) -> None:
        self.transcript = transcript
        self._turns: dict[int, Turn] = {t.index: t for t in transcript.turns}
        self._names = self._name_words(transcript)
        self._units: list[_Unit] = []
        self._sentences: list[_Sentence] = []
        kinds: list[int] = []
        asking: list[bool] = []  # each sentence's turn puts a question
        unit_words: list[list[str]] = []  # content words of each unit
        single_words: list[list[str]] = []  # of each single sentence: the IDF is fitted on these
        previous: Turn | None = None
        previous_sentences: list[int] = []  # sentence indices of the previous turn
        previous_words: set[str] = set()
        for turn in transcript.turns:
            spans = split_sentences(turn.text)
            name = turn.speaker_name
            words_of = [self._content_words(span.text) for span in spans]
            handover = previous is not None and previous.speaker_name != name
            first = len(self._sentences)
            questions = [i for i, span in enumerate(spans) if ends_with_question_mark(span.text)]
            puts_question = bool(questions)
            for i, span in enumerate(spans):
                self._sentences.append(_Sentence(turn.index, span.start, span.end, span.text))
                asking.append(puts_question)
                if ends_with_question_mark(span.text):
                    kinds.append(ASKS)
                elif (
                    handover and self._echoes(words_of[i], previous_words) and not _CREDITS.search(span.text)
                ):
                    kinds.append(ECHOES)
                elif questions and questions[-1] == len(spans) - 1 and i < questions[-1]:
                    kinds.append(LEADS)  # the premise of the question the turn puts
                else:
                    kinds.append(ASSERTS)
            for i, span in enumerate(spans):
                self._units.append(_Unit(turn.index, name, span.start, span.end, first + i, first + i))
                unit_words.append(words_of[i])
                single_words.append(words_of[i])
                if i + 1 < len(spans):
                    self._units.append(
                        _Unit(turn.index, name, span.start, spans[i + 1].end, first + i, first + i + 1)
                    )
                    unit_words.append(words_of[i] + words_of[i + 1])
            if handover and spans and affirms(turn.text):
                # the answer asserts the proposal it says yes to: the question(s) ending
                # the turn before, or its last sentence), as this speaker's words; a yes
                # to a statement only agrees with what the other said first
                proposals = [s for s in previous_sentences[-2:] if kinds[s] == ASKS]
                kind = CONFIRMS if proposals else AGREES
                for s in proposals or previous_sentences[-1:]:
                    sentence = self._sentences[s]
                    self._sentences.append(_Sentence(turn.index, spans[0].start, spans[0].end, sentence.text))
                    asking.append(False)
                    kinds.append(kind)
                    index = len(self._sentences) - 1
                    self._units.append(_Unit(turn.index, name, spans[0].start, spans[0].end, index, index))
                    unit_words.append(self._content_words(sentence.text))
            if spans:
                previous = turn
                previous_sentences = list(range(first, first + len(spans)))
                previous_words = {w for ws in words_of for w in ws}
        self._kinds = np.array(kinds, dtype=np.int8)
        self._unit_stems = [frozenset(stem(w) for w in ws) for ws in unit_words]
        self._asking = asking
        # sentences whose kind the parser has read (or need not: questions, echoes, answers)
        self._read = (self._kinds != ASSERTS) & (self._kinds != LEADS)
        self._answers = self._answer_units(transcript)
        self._first = np.array([u.first for u in self._units], dtype=np.int64)
        self._second = np.array([u.second for u in self._units], dtype=np.int64)
        negated = np.array([bool(_NEGATION.search(s.text)) for s in self._sentences], dtype=bool)
        self._negated = negated[self._first] | negated[self._second]
        self.speakers: list[str] = sorted({u.speaker for u in self._units if u.speaker})
        self._by_speaker: dict[str, np.ndarray] = {
            s: np.array([i for i, u in enumerate(self._units) if u.speaker == s], dtype=np.int64)
            for s in self.speakers
        }
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._claims: OrderedDict[str, Claim] = OrderedDict()
        self._generation = 0  # how many times sentences were read with the parser
        self._prepared: dict[str, int] = {}  # sketch sentence -> generation its candidates were read at
        self._lock = threading.RLock()
        # scikit-learn's TfidfVectorizer, reproduced (analysis/tfidf.py): importing it cost 1.4 s
        self._word = Tfidf(_terms)
        self._char = Tfidf(char_wb_ngrams)
        self._fitted = any(single_words)
        if self._fitted:
            self._word.fit(single_words)
            self._char.fit([" ".join(w) for w in single_words])
            self._word_units = self._word.transform(unit_words)
            self._char_units = self._char.transform([" ".join(w) for w in unit_words])

    def _answer_units(self, transcript: Transcript) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each turn that ends with a question: (its units, the units of the answer to it).

        The answer is the next :data:`ANSWER_TURNS` turns by others, up to the questioner's
        next turn (a chair's "The honourable Minister of Industry." may come between).
        """
        by_turn: dict[int, list[int]] = {}
        for i, u in enumerate(self._units):
            by_turn.setdefault(u.turn, []).append(i)
        leading = {self._sentences[k].turn for k, kind in enumerate(self._kinds) if kind == LEADS}
        turns = transcript.turns
        out = []
        for pos, turn in enumerate(turns):
            if turn.index not in leading:
                continue
            answer: list[int] = []
            for later in turns[pos + 1 : pos + 1 + ANSWER_TURNS]:
                if later.speaker_name == turn.speaker_name:
                    break
                answer.extend(by_turn.get(later.index, []))
            if answer:
                out.append((np.array(by_turn[turn.index], dtype=np.int64), np.array(answer, dtype=np.int64)))
        return out

    # ------------------------------------------------------------------ normalising

    @staticmethod
    def _name_words(transcript: Transcript) -> frozenset[str]:
        words: set[str] = set()
        for turn in transcript.turns:
            if turn.speaker is not None:
                for raw in [turn.speaker.name, *turn.speaker.aliases]:
                    words.update(fold(raw).split())
        return frozenset(w for w in words if w not in _HONORIFIC_WORDS)

    def _content_words(self, text: str) -> list[str]:
        """Folded words with reporting frames, pronouns, stop words and names removed."""
        return [
            w
            for w in fold(text).split()
            if (w.isdigit() or (len(w) > 1 and w not in _STOP)) and w not in self._names
        ]

    @staticmethod
    def _echoes(content: list[str], previous: set[str]) -> bool:
        """A short sentence whose content words nearly all come from the turn before."""
        distinct = set(content)
        if not distinct or len(distinct) > ECHO_WORDS or not previous:
            return False
        return len(distinct & previous) >= ECHO_SHARE * len(distinct)

    # ------------------------------------------------------------------ reading

    def claim(self, text: str) -> Claim:
        """How the sketch sentence ``text`` is read (parsed once; see :meth:`prepare`)."""
        with self._lock:
            found = self._claims.get(text)
        if found is None:
            self.prepare([text])
            with self._lock:
                found = self._claims[text]
        return found

    def prepare(self, texts: Iterable[str], speakers: Iterable[str | None] | None = None) -> None:
        """Parse sketch sentences, and the transcript sentences that could decide their scores, in batches.

        Those are the best few units of the few speakers who support each sentence most
        and, when ``speakers`` (one per text) is given, of the speaker each is attributed
        to. Scoring works without it (each sentence is then parsed on its own); a caller
        with many sentences (a check run) saves time by calling it first.
        """
        from sessionsketch.analysis import syntax

        texts = list(texts)
        named = list(speakers) if speakers is not None else [None] * len(texts)
        with self._lock:
            new = [t for t in dict.fromkeys(texts) if t not in self._claims]
        if new:
            # a sentence with no word of asking in it is a plain statement: no parse needed
            asking = [t for t in new if _MAY_ASK_RE.search(t)]
            claims = {t: Claim(t, FOR_STATEMENT, False) for t in new}
            claims.update(
                (t, read_claim(doc))
                for t, doc in zip(asking, syntax.parse_many(asking, lemmas=False), strict=True)
            )
            with self._lock:
                self._claims.update(claims)
                while len(self._claims) > max(self._cache_size, len(texts)):
                    self._claims.popitem(last=False)
        if not self._fitted:
            return
        todo = [
            (t, n)
            for t, n in dict.fromkeys(zip(texts, named, strict=True))
            if self._prepared.get((t, n)) != self._generation
        ]
        for _ in range(3):  # reading a candidate may promote another: a few rounds at most
            wanted: set[int] = set()
            for text, speaker in todo:
                claim = self._claims.get(text) or self.claim(text)
                weighted = self._weighted(claim)
                for u in self._candidates(weighted, speaker):
                    for s in (self._first[u], self._second[u]):
                        if not self._read[s]:
                            wanted.add(int(s))
            if not wanted:
                break
            self._read_sentences(sorted(wanted))
        with self._lock:
            for key in todo:
                self._prepared[key] = self._generation
            if len(self._prepared) > 4 * self._cache_size:
                self._prepared.clear()

    def _candidates(self, weighted: np.ndarray, speaker: str | None = None) -> np.ndarray:
        """The units that could decide a sentence's scores: the best :data:`CANDIDATES` of
        each of the :data:`LEADING` speakers who support it most, and of ``speaker``."""
        best = {s: float(weighted[rows].max()) for s, rows in self._by_speaker.items() if rows.size}
        chosen = sorted(best, key=lambda s: (-best[s], s))[:LEADING]
        if speaker in best and speaker not in chosen:
            chosen.append(speaker)
        out = []
        for name in chosen:
            rows = self._by_speaker[name]
            top = rows[np.argsort(-weighted[rows], kind="stable")[:CANDIDATES]]
            out.extend(int(u) for u in top if weighted[u] >= CANDIDATE_FLOOR)
        return np.array(out, dtype=np.int64)

    def _read_sentences(self, indices: list[int]) -> None:
        from sessionsketch.analysis import syntax

        docs = syntax.parse_many((self._sentences[i].text for i in indices), lemmas=False)
        with self._lock:
            for i, doc in zip(indices, docs, strict=True):
                kind = sentence_kind(doc, self._asking[i])
                if kind != ASSERTS or self._kinds[i] != LEADS:
                    self._kinds[i] = kind
                self._read[i] = True
            self._generation += 1

    def kind(self, turn: int, start: int) -> str:
        """What the transcript sentence starting at ``start`` in ``turn`` does (parsed if needed)."""
        for i, s in enumerate(self._sentences):
            if s.turn == turn and s.start == start and self._kinds[i] not in (CONFIRMS, AGREES):
                if not self._read[i]:
                    self._read_sentences([i])
                return KINDS[int(self._kinds[i])]
        raise KeyError((turn, start))

    # ------------------------------------------------------------------ scoring

    def _raw(self, text: str) -> np.ndarray:
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        content = self._content_words(text)
        if not self._fitted or not content:
            sims = np.zeros(len(self._units))
        else:
            w = (self._word_units @ self._word.transform([content]).T).toarray().ravel()
            c = (self._char_units @ self._char.transform([" ".join(content)]).T).toarray().ravel()
            sims = np.clip(WORD_WEIGHT * w + (1.0 - WORD_WEIGHT) * c, 0.0, 1.0)
        with self._lock:
            self._cache[text] = sims
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return sims

    def _unit_weights(self, weights: np.ndarray) -> np.ndarray:
        """Each unit's weight: the lower of its sentences' (a question in a pair weakens it)."""
        return np.minimum(weights[self._kinds[self._first]], weights[self._kinds[self._second]])

    def similarities(self, text: str) -> np.ndarray:
        """The sentence's word similarity (0..1) to every transcript unit, in unit order.

        This is overlap only; :meth:`scores` weighs it by what each unit does.
        """
        return self._raw(text)

    def scores(self, text: str) -> np.ndarray:
        """The sentence's support (0..1) from every transcript unit, in unit order."""
        self.prepare([text])
        return self._weighted(self.claim(text))

    def _weighted(self, claim: Claim) -> np.ndarray:
        """Overlap weighed by what each unit does; lowered where the sentence says "not" and the unit does not.

        Only that way round: a span that says "not" somewhere ("not only … but …") may
        still assert what a sentence without it says.
        """
        raw = self._raw(claim.text)
        full = claim.weights.copy()
        full[LEADS] = claim.weights[ASSERTS]
        whole = self._unit_weights(full)
        if claim.weights[LEADS] == full[LEADS] or not self._answers:
            weights = whole
        else:
            # a question's premise is the questioner's own, unless the answer to it says it too
            weights = whole.copy()
            premise = self._unit_weights(claim.weights)
            for asked, answer in self._answers:
                if float((raw[answer] * whole[answer]).max()) >= SUPPORTED:
                    weights[asked] = premise[asked]
        weighted = raw * weights
        if _NEGATION.search(claim.text):
            weighted = weighted * np.where(self._negated, 1.0, NEGATION)
        return weighted

    def _stems(self, text: str) -> frozenset[str]:
        """The stems of the content words of the claim ``text`` makes, names of things aside.

        A capitalised word after the first ("the Prime Minister", "the Welsh Government")
        names an office or a body that anyone in the room may mention: it is scored, but
        it is not a word a speaker can be told by.
        """
        claim = self.claim(text).text
        named = {w for raw in claim.split()[1:] if raw[:1].isupper() for w in fold(raw).split()}
        return frozenset(stem(w) for w in self._content_words(claim) if w not in named)

    def covers(self, support: Support, text: str) -> bool:
        """Whether ``support``'s span has every content word of the sentence ``text``."""
        return support.shared >= len(self._stems(text))

    def indistinct(self, text: str, speaker_name: str, other_name: str) -> bool:
        """Whether the words cannot tell ``speaker_name`` from ``other_name`` as the one who said ``text``.

        So when one of ``speaker_name``'s spans that counts for the sentence as much as
        ``other_name``'s best span does (both assert it, or both ask it) has every content
        word of the sentence that that span has: "Scott believes that that side of
        things is important" is as much Scott's "that side of things is important as
        well—…" as another's "I think it's really important".
        """
        sims = self.scores(text)
        claim = self.claim(text)
        theirs = self._by_speaker.get(other_name)
        own = self._by_speaker.get(speaker_name)
        if theirs is None or own is None or not theirs.size or not own.size:
            return False
        best = int(theirs[int(np.argmax(sims[theirs]))])
        shared = self._stems(text) & self._unit_stems[best]
        if not shared:
            return True
        weights = self._unit_weights(claim.weights)
        counts = weights[own] >= weights[best]
        return any(shared <= self._unit_stems[int(u)] for u in own[counts])

    def _best(self, sims: np.ndarray, rows: np.ndarray, stems: frozenset[str] = frozenset()) -> Support:
        if rows.size == 0:
            return Support(0.0, None, 0, 0)
        i = int(rows[int(np.argmax(sims[rows]))])
        u = self._units[i]
        kinds = (int(self._kinds[u.first]), int(self._kinds[u.second]))
        kind = KINDS[CONFIRMS if CONFIRMS in kinds else max(kinds, key=lambda k: (k != LEADS, k))]
        shared = len(stems & self._unit_stems[i])
        return Support(round(float(sims[i]), 4), u.turn, u.start, u.end, kind, shared)

    def support(self, text: str, speaker_name: str) -> Support:
        """How well ``speaker_name``'s own turns support ``text`` (best turn and span)."""
        self.prepare([text], [speaker_name])
        rows = self._by_speaker.get(speaker_name, np.zeros(0, dtype=np.int64))
        return self._best(self.scores(text), rows, self._stems(text))

    def ranking(self, text: str) -> list[tuple[str, Support]]:
        """Every speaker with their best support for ``text``, best first."""
        sims = self.scores(text)
        stems = self._stems(text)
        ranked = [(s, self._best(sims, rows, stems)) for s, rows in self._by_speaker.items()]
        return sorted(ranked, key=lambda sr: (-sr[1].score, sr[0]))

    def quote(self, support: Support) -> str:
        """The transcript words a support points at ("" when it points at nothing)."""
        if support.turn is None or support.turn not in self._turns:
            return ""
        return self._turns[support.turn].text[support.start : support.end]


_SCORERS: OrderedDict[str, SupportScorer] = OrderedDict()


def scorer_for(transcript: Transcript, keep: int = 4) -> SupportScorer:
    """A scorer for ``transcript``, reused while the same turns are checked again."""
    digest = hashlib.sha256()
    for t in transcript.turns:
        digest.update(f"{t.index}\x00{t.speaker_name}\x00{t.text}\x01".encode())
    key = digest.hexdigest()
    with _SCORERS_LOCK:
        if key in _SCORERS:
            _SCORERS.move_to_end(key)
            return _SCORERS[key]
    scorer = SupportScorer(transcript)
    with _SCORERS_LOCK:
        _SCORERS[key] = scorer
        while len(_SCORERS) > keep:
            _SCORERS.popitem(last=False)
    return scorer
