"""Direct speech → reported speech, on a dependency parse.

A transcript sentence is parsed (:mod:`sessionsketch.analysis.syntax`); this module reads
the parse and plans, token by token, what a rapporteur would keep and how it changes:

- **frames** that carry no content but choose the reporting verb ("I think that …",
  "What I would say is …", "Can I ask whether …", "Let me be clear: …") are taken off;
  discourse markers, vocatives ("Minister, …"), leading connectives ("Otherwise, …"),
  fillers and parenthetical asides go;
- **people**: "I" becomes the speaker (a slot the writer fills with the name, a pronoun
  or the role, so no name is written twice), "we" whoever the speaker speaks for
  ("the Welsh Government", "the committee"), "you" the one addressed; a verb whose
  subject changed agrees with it ("I am" → "she is", "we are" → "the government is");
  when a referent cannot be resolved ("we" with no institution, a witness's generic
  "you", a sentence that opens on "they" or "this") the sentence is not reported;
- **tense** stays as spoken: the present for what still holds, as the reference sketch
  writes it — so nothing like "may had" is ever produced;
- **questions** become indirect ("Will the schools reopen?" → "whether the schools will
  reopen"; "Does the guidance apply…?" → "whether the guidance applies…");
- **condensing**: a sentence over :data:`LONG` words loses appositions, asides and
  trailing clauses the parse marks as removable, and is cut at an independent clause
  boundary; what cannot be brought under :data:`MAX_WORDS` is not reported.

Nothing here invents content: every word of a reported clause is the speaker's own,
except the people it names, agreement endings and the reporting verb the writer adds.
The plan keeps the character span of what remains, so evidence points at it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

from sessionsketch.analysis import syntax
from sessionsketch.data import phrases, words
from sessionsketch.text import ends_with_question_mark

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: Still used by the LLM gate: first or second person left in a reported sentence.
FIRST_PERSON_RE = re.compile(r"\b(I|me|my|mine|myself|we|us|our|ours|ourselves|I'm|I've|I'll|I'd)\b")
SECOND_PERSON_RE = re.compile(r"\b(you|your|yours|yourself|yourselves)\b", re.I)

LONG = 32  # a reported clause longer than this is condensed
SHORT_CLAUSE = 8  # words: a last clause this short is not cut off a long sentence
DASHED_ASIDE = 22  # tokens: "made it very clear—and … look at the website—how they will …" is an aside
MAX_WORDS = 38  # and one still longer than this is not reported (an editor cuts a sentence of 40)
MIN_WORDS = 4  # nor one that condensing left shorter than this
QUOTE_MOST = 30  # words: the longest quotation, once condensed
MIN_CONTENT = 2  # nor a statement with fewer content words (nouns, names, numbers, adjectives, verbs)

# Slots the writer fills with the speaker's forms (name, pronoun or role).
SUBJ, OBJ, POSS, REFL = "\x00S", "\x00O", "\x00P", "\x00R"
SLOT_RE = re.compile("\x00[SOPR]")

_WH = frozenset({"what", "why", "how", "when", "where", "who", "which", "whom", "whose"})
_CLITICS = {"'m": "am", "’m": "am", "'re": "are", "’re": "are", "'ve": "have", "’ve": "have",
            "'ll": "will", "’ll": "will", "'d": "would", "’d": "would", "'s": "is", "’s": "is"}  # fmt: skip
_SPEAKER_FORMS = {"i": SUBJ, "me": OBJ, "my": POSS, "mine": POSS, "myself": REFL}
_GROUP_FORMS = {"we": "S", "us": "O", "our": "P", "ours": "P", "ourselves": "O"}
_YOU_FORMS = {"you": "S", "your": "P", "yours": "P", "yourself": "O", "yourselves": "O"}
_DANGLING = frozenset({"they", "them", "their", "theirs", "these", "those", "this", "that", "he", "she",
                       "him", "her", "his"})  # fmt: skip


@cache
def _frame_verbs() -> dict[str, str]:
    """Frame verb lemma → reporting verb ("think" → "believes")."""
    return dict(line.split(None, 1) for line in phrases("report_frames"))  # type: ignore[misc]


@dataclass(frozen=True)
class Voice:
    """Whom a speaker's first and second person stand for.

    ``singular`` says how a verb agrees with the speaker's slot (True for "she", a name
    or a role; False for "they"). ``group`` is what "we" means ("the Welsh Government",
    "the committee"), ``None`` when it cannot be told; ``addressee`` what "you" means.
    """

    singular: bool = True
    group: str | None = None
    group_singular: bool = True
    addressee: str | None = None
    addressee_singular: bool = True
    addressee_pronoun: tuple[str, str, str, str] | None = None  # after the first "you": "she", "her", …
    # "we" is the group only in a clause with one of these lemmas (a member's "we" is the
    # committee only where the clause is about its work); empty: always
    group_only_with: frozenset[str] = frozenset()
    lower_words: frozenset[str] = frozenset()  # words the transcript writes in lower case somewhere


@dataclass
class Reported:
    """A planned reported clause: its text with speaker slots, and what it is."""

    text: str  # the clause, first word lower-cased unless a name; speaker slots inside
    kind: str  # "statement" or "question"
    verb: str | None  # the reporting verb the frame or content suggests ("warned", "asked")
    start: int  # the span of the source sentence the clause rests on
    end: int
    self_subject: bool = False  # the clause opens with the speaker as subject ("\x00S is …")
    qword: str = ""  # "whether" or the wh-phrase that opens a question
    lead: str | None = None  # a topic the speaker led with ("the hubs" from "In terms of the hubs, …")
    pushback: bool = False  # opened by "No," / "I disagree" / "that's not the case"
    words: int = 0
    notes: list[str] = field(default_factory=list)

    def plain(self) -> str:
        """The clause as a sentence of its own (no reporting verb): capitalised."""
        return self.text[:1].upper() + self.text[1:]


class NotReported(Exception):
    """A sentence that cannot be reported safely (the reason is the message)."""


# --------------------------------------------------------------------------- the plan


class _Plan:
    """Which tokens of a sentence are kept and what each becomes."""

    def __init__(self, sent: Span, voice: Voice) -> None:
        self.sent = sent
        self.voice = voice
        self.keep: set[int] = {t.i for t in sent if not t.is_space}
        self.repl: dict[int, str] = {}
        self.space_before: set[int] = set()
        self.moves: list[tuple[int, int]] = []  # (token, after token): auxiliaries of questions
        self.prefix = ""  # a word the clause opens with that the speaker did not say ("whether")
        self.question_root: Token | None = None  # the root of a question that follows a preamble
        self.chains: dict[int, tuple[str, str, str | None]] = {}  # token → (referent, first form, later form)
        self.before: dict[int, str] = {}  # a word put before a token ("whether" before a second question)

    def chain(self, i: int, kind: str, first: str, later: str | None) -> None:
        """A referent named at its first kept mention and by ``later`` after (if given)."""
        self.repl[i] = first
        self.chains[i] = (kind, first, later)

    def drop(self, tokens) -> None:
        for t in tokens:
            self.keep.discard(t.i)

    def drop_subtree(self, tok: Token) -> None:
        self.drop(tok.subtree)

    def kept(self) -> list[Token]:
        order = [t for t in self.sent if t.i in self.keep]
        for tok_i, after_i in self.moves:
            tok = next((t for t in order if t.i == tok_i), None)
            if tok is None:
                continue
            order.remove(tok)
            # after the last kept token up to ``after_i`` (which may itself be gone: a space
            # token, a dropped word), never at the end for want of it
            pos = next((k for k, t in enumerate(order) if t.i == after_i), None)
            if pos is None:
                pos = max((k for k, t in enumerate(order) if t.i <= after_i), default=-1)
            order.insert(pos + 1, tok)
        return order

    def _cut_after(self, tok: Token, gone: set[int]) -> bool:
        """Whether words after ``tok`` were removed, here or from the end of the rendering
        (``gone``), so that a trailing "and"/"for" dangles."""
        nxt = next((t for t in self.sent.doc[tok.i + 1 : self.sent.end] if not t.is_space), None)
        return (nxt is not None and not nxt.is_punct and (nxt.i not in self.keep or nxt.i in gone)) or (
            nxt is not None and nxt.text in {",", ";", ":", "—", "–"}
        )

    def render(self) -> tuple[str, int, int]:
        toks = self.kept()
        gone: set[int] = set()
        while toks and (
            (toks[-1].is_punct and toks[-1].text not in {")", "”", "’"})
            or toks[-1].is_space
            or (
                self._cut_after(toks[-1], gone)
                and (
                    toks[-1].dep_ in {"cc", "prep", "mark", "det", "aux", "advmod", "intj"}
                    or (
                        _lower(toks[-1])
                        in {"also", "as", "and", "but", "or", "so", "than", "that", "which", "who"}
                        and toks[-1].dep_ not in {"pobj", "dobj", "nsubj", "attr"}  # "look at that" keeps it
                    )
                )
            )
        ):
            gone.add(toks.pop().i)
        while toks and toks[0].is_punct and toks[0].text not in {"“", "‘", "(", "£", "$", "€"}:
            toks.pop(0)
        if not toks:
            raise NotReported("nothing left")
        out: list[str] = []
        named: set[str] = set()
        for k, t in enumerate(toks):
            word = self.repl.get(t.i, t.text)
            if t.i in self.chains:
                kind, first, later = self.chains[t.i]
                word = later if kind in named and later else first
                named.add(kind)
            if t.i in self.before:
                word = f"{self.before[t.i]} {word}"
            if k and (t.i in self.space_before or _needs_space(toks[k - 1], t)):
                out.append(" ")
            out.append(word)
        text = "".join(out)
        if self.prefix:
            common = toks[0].pos_ != "PROPN" and toks[0].i not in self.repl and toks[0].text != "I"
            text = f"{self.prefix} {text[:1].lower() if common else text[:1]}{text[1:]}"
        text = re.sub(r"\s+", " ", text)
        text = re.sub(r"\s+([,;:.!?%)\]])", r"\1", text)
        text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)  # ", ," left by removals
        text = re.sub(r"[\s,;:—–-]+$", "", text).strip()
        start = min(t.idx for t in toks) - self.sent.start_char
        end = max(t.idx + len(t.text) for t in toks) - self.sent.start_char
        return text, start, end


def _needs_space(prev: Token, tok: Token) -> bool:
    """Whether two tokens kept side by side are written with a space between them."""
    if prev.i + 1 == tok.i:
        return bool(prev.whitespace_)
    if tok.is_punct and tok.text in {",", ".", ";", ":", "?", "!", ")", "”", "’"}:
        return False
    return prev.text not in {"(", "“", "‘", "£", "$", "€"}


# ------------------------------------------------------------------- reading the parse


def _same(a: Token | None, b: Token | None) -> bool:
    """Whether two tokens are the same (spaCy makes a new Token object on every access)."""
    return a is not None and b is not None and a.i == b.i


def _lower(tok: Token) -> str:
    return tok.text.lower().replace("’", "'")


def _title_word(tok: Token) -> str:
    """A token as a title word: "Mr." is "mr"; "Mr.Chair", as some records run them together, "chair"."""
    low = _lower(tok).rstrip(".")
    glued = _GLUED_TITLE.fullmatch(low)
    return glued.group(1) if glued else low


_GLUED_TITLE = re.compile(r"(?:mr|mrs|ms|madam|madame)\.(\w+)")


def _starts(sent: Span, start: int, phrase: str) -> int:
    """Tokens of ``phrase`` at ``start`` (0 when the sentence does not continue with it)."""
    parts = phrase.split()
    if start + len(parts) > sent.end:
        return 0
    for k, part in enumerate(parts):
        if _lower(sent.doc[start + k]) != part:
            return 0
    return len(parts)


def _strip_opening(plan: _Plan) -> tuple[int, list[str]]:
    """Skip discourse markers, vocatives and connectives at the start; what was skipped."""
    sent = plan.sent
    i = sent.start
    skipped: list[str] = []
    markers = phrases("report_openers")
    titles = words("report_vocatives")
    changed = True
    while changed and i < sent.end - 1:
        changed = False
        tok = sent.doc[i]
        low = _lower(tok)
        if tok.is_punct or tok.is_space:
            i += 1
            changed = True
            continue
        for phrase in markers:
            n = _starts(sent, i, phrase)
            if not n:
                continue
            nxt = sent.doc[i + n] if i + n < sent.end else None
            comma = nxt is not None and nxt.text in {",", ":", "—", "–"}
            # interjections and markers stand alone with a comma; conjunctions need none
            loose_now = (
                phrase == "now"
                and nxt is not None
                and _lower(nxt) in {"when", "if", "in", "on", "with", "as"}
            )
            if (
                comma
                or loose_now
                or phrase in {"and", "but", "so", "or", "then", "also", "because", "plus", "of course"}
            ):
                if (
                    phrase in {"so", "then", "also"}
                    and not comma
                    and nxt is not None
                    and nxt.pos_ in {"ADJ", "ADV", "NUM"}
                ):
                    continue  # "so many", "so far", "then Minister …"
                main = tok.head.head
                if (
                    tok.dep_ == "mark"
                    and tok.head.dep_ == "advcl"
                    and main.i > tok.head.right_edge.i
                    and any(  # a main clause with a subject of its own, not a relative clause
                        c.dep_ in syntax.SUBJECT_DEPS
                        and c.tag_ not in {"WDT", "WP"}
                        and c.i > tok.head.right_edge.i
                        for c in main.children
                    )
                ):
                    continue  # "Because funding fell, they borrowed": a clause before the main one
                skipped.append(phrase)
                i += n + (1 if comma else 0)
                changed = True
                break
        if changed:
            continue
        # a vocative: "Minister, …", "Chair, …", "Lynne, …", "Mr Davies, …"
        j = i
        while j < sent.end and (sent.doc[j].pos_ == "PROPN" or _title_word(sent.doc[j]) in titles):
            j += 1
        addressed = any(_title_word(sent.doc[k]) in titles for k in range(i, j)) or (
            sent.doc[i].dep_ in {"npadvmod", "intj", "vocative"}
        )
        if i < j < sent.end and sent.doc[j].text == "," and j - i <= 4 and addressed:
            skipped.append(sent.doc[i:j].text)
            i = j + 1
            changed = True
        if low in {"thank", "thanks"}:
            raise NotReported("thanks")
    plan.drop(sent.doc[sent.start : i])
    return i, skipped


def _content_root(plan: _Plan, start: int) -> tuple[Token, str | None, bool]:
    """Follow frames ("I think that", "I'd like to say", "Can I ask whether") to the content.

    Returns the root of what is reported, the verb the frames suggest, and whether a
    frame made it an (embedded) question.
    """
    sent = plan.sent
    root = syntax.root_of(sent)
    if root.i not in plan.keep:  # the part kept after a preamble has a root of its own
        tops = [t for t in sent if t.i in plan.keep and (t.head.i not in plan.keep or t.head.i == t.i)]
        root = next((t for t in tops if t.pos_ in {"VERB", "AUX"}), tops[0] if tops else root)
    frames = _frame_verbs()
    verb: str | None = None
    asked = False
    node = root
    inherited = False  # "I'd like to say …": "say" has the subject of "like"
    for _ in range(5):
        subj = syntax.subject_of(node)
        subj_low = _lower(subj) if subj is not None else ""
        lemma = syntax.lemma(node).lower()
        # "let me point out": the parse may make "me" the subject of "point"
        first_person = subj_low in {"i", "we"} or (inherited and (subj is None or subj_low in {"me", "us"}))
        comp = [c for c in node.children if c.dep_ in {"ccomp", "xcomp", "advcl", "attr"} and c.i > node.i]
        if (
            comp
            and comp[0].dep_ == "advcl"
            and any(c.dep_ == "mark" and _lower(c) == "as" for c in comp[0].children)
        ):
            # "I think, as Albert said, that …": the aside goes with the frame (the parse may
            # hang the content on the aside's verb)
            comp = (
                [c for c in comp[1:] if c.dep_ == "ccomp"]
                or [c for c in comp[0].children if c.dep_ == "ccomp" and c.i > comp[0].i]
                or comp
            )
        # "What I would say is that X": a clausal subject that frames, the complement reports
        if lemma == "be" and any(c.dep_ == "csubj" for c in node.children):
            cs = next(c for c in node.children if c.dep_ == "csubj")
            if (
                syntax.lemma(cs).lower() in frames
                and any(_lower(t) in {"i", "we"} for t in cs.subtree)
                and comp
            ):
                verb = verb or frames[syntax.lemma(cs).lower()]
                plan.drop(t for t in sent if t.i < comp[0].left_edge.i and t.i >= start)
                node = comp[0]
                plan.drop(c for c in node.children if c.dep_ == "mark" and _lower(c) == "that")
                continue
        wants_to_know = (  # "I'd like to know (from her) why …": a question
            lemma == "know"
            and inherited
            and comp
            and _lower(sent.doc[comp[0].left_edge.i]) in _WH | {"whether", "if"}
        )
        if not comp and lemma == "ask" and first_person:
            # "Can I ask (you a question) about the tariff?": asked about the tariff
            heads = [node] + [
                c for c in node.children if c.dep_ == "dobj" and syntax.lemma(c).lower() == "question"
            ]
            comp = [
                c
                for h in heads
                for c in h.children
                if c.dep_ == "prep" and _lower(c) in {"about", "on"} and c.i > node.i
            ]
            if not comp:  # "Chair, can I ask my last question?": procedure
                raise NotReported("asks leave to ask")
        if (
            (lemma in {"ask", "wonder"} and (first_person or subj is None) and comp)
            or (lemma == "tell" and subj_low == "you" and comp)
            or wants_to_know
        ):
            asked = True
        elif lemma in {"like", "want", "wish", "have", "need", "let", "must", "go"} and (
            first_person or lemma == "let"
        ):
            if not comp or (
                lemma != "let"
                and comp[0].dep_ != "xcomp"
                and not any(c.dep_ == "mark" for c in comp[0].children)
            ):
                break  # "we could have the unions balloting": not "I have to say"
        elif (
            lemma in frames
            and first_person
            and comp
            and not any(c.dep_ == "neg" for c in node.children)
            and _lower(sent.doc[comp[0].left_edge.i]) not in _WH  # "I know why …" keeps its verb
        ):
            verb = verb or frames[lemma]
        else:
            break
        target = comp[0]
        if target.dep_ == "xcomp" and syntax.lemma(target).lower() in {
            "start",
            "begin",
            "conclude",
            "finish",
            "end",
        }:
            # "I'd like to start by saying that X": on to "saying"
            by = next((c for c in target.children if c.dep_ == "prep" and _lower(c) == "by"), None)
            said = next((c for c in by.children if c.dep_ == "pcomp"), None) if by is not None else None
            if said is not None and syntax.lemma(said).lower() in frames:
                plan.drop(t for t in sent if start <= t.i < said.i)
                start, node, inherited = said.i, said, first_person
                continue
        if (
            target.dep_ == "xcomp"
            and syntax.lemma(target).lower() in frames | {"ask": "asked", "be": "said"}
            and syntax.lemma(target).lower() != "be"
        ):
            # "I'd like to say that X": drop "I'd like to", go on from "say"
            plan.drop(t for t in sent if start <= t.i < target.i)
            start, node, inherited = target.i, target, first_person
            continue
        if lemma == "let" and syntax.lemma(target).lower() in frames:
            plan.drop(t for t in sent if start <= t.i < target.i)
            start, node, inherited = target.i, target, True
            continue
        if target.dep_ == "xcomp" and not asked:
            break
        # keep "with X" of "I agree with X that …" in the verb
        if lemma == "agree":
            with_pp = next((c for c in node.children if c.dep_ == "prep" and c.i < target.i), None)
            if with_pp is not None:
                verb = "agreed " + " ".join(t.text for t in with_pp.subtree)
        plan.drop(t for t in sent if start <= t.i < target.left_edge.i)
        node = target
        start = target.left_edge.i
        mark = next((c for c in node.children if c.dep_ == "mark" and _lower(c) in {"that"}), None)
        if mark is not None:
            plan.drop([mark])
        if asked:
            break
    return node, verb, asked


def _question(plan: _Plan, root: Token, embedded: bool) -> str:
    """Make a direct question indirect; returns the question word ("whether" or a wh-phrase)."""
    sent = plan.sent
    kept = [t for t in sent if t.i in plan.keep and not t.is_punct]
    if not kept:
        raise NotReported("empty question")
    first = kept[0]
    if embedded:
        mark = next((t for t in kept[:3] if _lower(t) in {"whether", "if"}), None)
        if mark is not None:
            plan.repl[mark.i] = "whether"
            return "whether"
        if _lower(first) in _WH:
            _uninvert_embedded(plan, kept)
            return _lower(first)
        if _lower(first) in {"about", "on"}:  # "can I ask about X" → asked about X
            return "about"
        raise NotReported("an embedded question without a question word")
    if plan.question_root is not None:
        root = plan.question_root
    conjuncts = [
        t
        for t in sent
        if t.dep_ == "conj"
        and t.pos_ in {"VERB", "AUX"}
        and t.i > root.i
        and t.i in plan.keep
        # "Has X been framed so that it is not possible …, and is that going to be …?": the
        # second question may hang off a clause of the first, not off its root
        and (t.head.i == root.i or t.head.i in {x.i for x in root.subtree})
    ]
    for conj in conjuncts:
        if conj.i not in plan.keep:
            continue  # gone with an earlier conjunct
        csubj = syntax.subject_of(conj)
        if conj.head.i != root.i and not any(
            c.dep_ in {"aux", "auxpass"} and csubj is not None and c.i < csubj.i for c in conj.children
        ):
            continue  # "… concerned that money is lost and that that will …": not a question of its own
        if (
            csubj is not None
            and csubj.head.i == conj.i
            and _lower(csubj) in _DANGLING
            and csubj.i not in plan.repl
        ):
            # "…, but will they do it?": a second question about someone unnamed goes
            cut = conj.left_edge.i
            while cut > sent.start and (sent.doc[cut - 1].is_punct or sent.doc[cut - 1].dep_ == "cc"):
                cut -= 1
            plan.drop(t for t in sent if cut <= t.i <= conj.right_edge.i)
            continue
        caux = next(
            (
                c
                for c in conj.children
                if c.dep_ in {"aux", "auxpass"} and csubj is not None and c.i < csubj.i
            ),
            None,
        )
        if caux is not None and csubj is not None and csubj.head.i == conj.i:
            _uninvert(plan, caux, csubj, conj)
            if (
                first.pos_ == "AUX"
                or first.dep_ in {"aux", "auxpass"}
                or first.tag_ == "MD"
                or conj.left_edge.i == caux.i
            ):
                # "will the pipes be replaced, and will the towns pay", "how long will X stay
                # closed, and will the staff be paid": a second yes/no question
                plan.before[csubj.left_edge.i] = "whether"
            continue
        opener = sent.doc[conj.left_edge.i]
        if (
            opener.i == conj.i
            and conj.tag_ in {"MD", "VBP", "VBZ", "VBD"}
            and syntax.lemma(conj).lower() in {"be", "have", "do", "will", "can", "shall", "may"}
            and (csubj is None or csubj.i > conj.i or csubj.head.i != conj.i)
        ):
            # "…, and have any children's homes closed?" parsed with "have" as the verb: a
            # second question that cannot be put in order goes
            cut = conj.i
            while cut > sent.start and (sent.doc[cut - 1].is_punct or sent.doc[cut - 1].dep_ == "cc"):
                cut -= 1
            plan.drop(t for t in sent if cut <= t.i <= conj.right_edge.i)
    subjects = [c for c in root.children if c.dep_ in syntax.SUBJECT_DEPS and c.i in plan.keep]
    aux_first = next((c for c in root.children if c.dep_ in {"aux", "auxpass"} and c.i < root.i), None)
    if aux_first is not None and len(subjects) > 1:  # "how many X does the government need": the later one
        subjects = [c for c in subjects if c.i > aux_first.i] or subjects
    subj = subjects[0] if subjects else syntax.subject_of(root)
    if subj is not None and _lower(subj) in _DANGLING | {"it"} and subj.i not in plan.repl:
        raise NotReported(f"asks about '{subj.text}' with nothing to refer to")
    wh_at = _wh_phrase(kept)
    if wh_at:  # "To what extent has X limited Y?" → "to what extent X has limited Y"
        first = kept[wh_at]
    if wh_at or _lower(first) in _WH or first.tag_ in {"WDT", "WP", "WP$", "WRB"}:
        qword = _lower(first)
        if wh_at:
            qword = " ".join(_lower(t) for t in kept[: wh_at + 1])
        aux = next(
            (c for c in root.children if c.dep_ in {"aux", "auxpass"} and c.i < root.i and c.tag_ != "TO"),
            None,
        )
        if root.pos_ == "AUX" and root.i < (subj.i if subj is not None else -1):
            aux = root  # "What is the plan?" → "what the plan is"
        how_much = _lower(first) == "how" and len(kept) > 1 and _lower(kept[1]) in _HOW_MUCH
        if subj is None and first.tag_ == "WRB" and not how_much:
            raise NotReported("a question without its subject")  # "how are going to address that?"
        if subj is None or any(t.i in {x.i for x in subj.subtree} for t in [first]):
            return qword  # the wh-phrase is the subject: no inversion ("how many staff have been tested")
        if (
            qword == "what"
            and aux is root
            and first.i + 1 == root.i
            and syntax.lemma(root).lower() == "be"
            and not any(
                t.i in plan.keep and not t.is_punct for t in sent[subj.right_edge.i + 1 - sent.start :]
            )
            and any(t.pos_ in {"VERB", "AUX"} for t in subj.subtree if t.i != subj.i)
        ):
            # "What are the challenges these care settings are facing?": "about the challenges
            # these care settings are facing", not "what the challenges … are facing are"
            plan.drop([first, root])
            plan.prefix = "about"
            return "about"
        if aux is not None and aux.i < subj.i:
            _uninvert(plan, aux, subj, root)
        return qword
    # yes/no: the auxiliary comes first
    own = next(
        (c for c in first.children if c.dep_ in {"expl", "nsubj", "nsubjpass"} and c.i > first.i), None
    )
    if first.pos_ == "AUX" and first.i != root.i and own is not None:
        # "Is there a correlation …, that schools may be …?" parsed with "Is" as a clause of
        # its own: its own subject follows it
        subj, root = own, first
    subj_end = subj.right_edge.i if subj is not None else None
    if first.pos_ == "AUX" or first.dep_ in {"aux", "auxpass"} or first.tag_ == "MD":
        if subj is None or subj.i < first.i:
            raise NotReported("no subject after the auxiliary")
        _uninvert(plan, first, subj, root)
        plan.prefix = "whether"
        return "whether"
    if subj_end is not None:  # a declarative with a question mark: "So you're saying X?"
        plan.prefix = "whether"
        return "whether"
    raise NotReported("a question that cannot be made indirect")


def _wh_phrase(kept: list[Token]) -> int:
    """Where the question word is in a question led by a preposition ("To what extent …",
    "In which areas …", "For how long …"); 0 if the question does not open that way."""
    at = 0
    while at < min(len(kept), 3) and kept[at].pos_ == "ADP":
        at += 1
    if 0 < at < len(kept) and (_lower(kept[at]) in _WH or kept[at].tag_ in {"WDT", "WP", "WRB"}):
        return at
    return 0


def _question_preamble(plan: _Plan) -> None:
    """Drop what comes before the question proper: "Following on from X, what is being done …?"."""
    kept = [t for t in plan.sent if t.i in plan.keep and not t.is_punct]
    if not kept or _is_question_start(kept[0]):
        return
    sent = plan.sent
    lead_end = next(
        (
            t
            for t in kept[1:]
            if _is_question_start(t)
            and (
                sent.doc[t.i - 1].text in {",", ":", ";", "—", "–"}
                or (  # "There's no relaxation, but what's happening in practice?"
                    _lower(sent.doc[t.i - 1]) in {"but", "so", "and"}
                    and t.i - 2 >= sent.start
                    and sent.doc[t.i - 2].text in {",", ";", "—", "–"}
                    and _lower(t) in _WH
                )
            )
        ),
        None,
    )
    if lead_end is None:
        return
    plan.drop(t for t in sent if t.i < lead_end.i)
    root = lead_end
    while root.dep_ != "ROOT" and not (
        root.pos_ in {"VERB", "AUX"} and root.dep_ not in {"aux", "auxpass", "xcomp", "csubj", "csubjpass"}
    ):  # "whose role would it be to assess this": the question's verb is "be", not "assess"
        root = root.head
    plan.question_root = root


def _subject_end(subj: Token, copula: bool = False) -> int:
    """The last token of a subject's noun phrase (not of a clause hanging off it).

    A relative clause opened by its pronoun or its own subject is the subject's own
    ("companies that have acquired another company", "the boundaries you are considering").
    After an inverted copula (``copula``), a subject that would run to the end of the
    sentence has swallowed the predicate ("Is the minister in difficulty?" parsed with "in
    difficulty" on "minister"): it ends before an adjective hung after a noun ("Is the chair
    of the board mindful of …?"), else before its first prepositional phrase. An adjective
    read as the subject's apposition is the predicate too.
    """
    end = subj.i
    for child in subj.rights:
        if child.text in {",", "—", "–", "("}:
            break  # "Could the President, in very clear terms, tell …": an aside after the subject
        if child.dep_ == "appos" and child.pos_ == "ADJ":
            break  # "Is the minister mindful of …?" with "mindful" read as an apposition
        if child.left_edge.i > end + 1:
            # not next to the subject: "what planning have you done for those costs—those
            # unforeseen costs—that …" with the dashed aside hung on "you"
            break
        relative = child.dep_ == "relcl" and any(
            (c.tag_ in {"WDT", "WP"} or c.dep_ in syntax.SUBJECT_DEPS) and c.i < child.i
            for c in child.children
        )
        if not relative and (
            child.dep_ in {"acl", "relcl", "advcl", "ccomp", "xcomp"} or child.pos_ in {"VERB", "AUX"}
        ):
            break
        end = max(end, child.right_edge.i)
    rest = [t for t in subj.doc[end + 1 : subj.sent.end] if not t.is_punct]
    if copula and not rest:
        adjective = next(
            (
                t
                for t in subj.subtree
                if t.pos_ == "ADJ" and t.dep_ in {"amod", "appos"} and t.i > t.head.i > subj.i - 1
            ),
            None,
        )
        prep = next((c for c in subj.rights if c.dep_ == "prep"), None)
        if adjective is not None:  # "Is the chair of the board mindful of …?"
            end = adjective.i - 1
        elif prep is not None:
            end = max([subj.i, *(c.right_edge.i for c in subj.rights if c.i < prep.i)])
    return end


def _uninvert_embedded(plan: _Plan, kept: list[Token]) -> None:
    """ "(Can you tell me) when will the schools reopen" → "when the schools will reopen"."""
    k = 1
    if (
        _lower(kept[0]) == "how"
        and len(kept) > 1
        and _lower(kept[1]) in {"many", "much", "far", "often", "long"}
    ):
        k = 2
    if k >= len(kept):
        return
    aux = kept[k]
    if not (aux.tag_ == "MD" or (aux.pos_ == "AUX" and aux.tag_ in {"VBZ", "VBP", "VBD"})):
        return
    verb = aux.head if aux.dep_ in {"aux", "auxpass"} else aux
    subj = syntax.subject_of(verb)
    if subj is not None and subj.i > aux.i and subj.i in plan.keep:
        _uninvert(plan, aux, subj, verb)


def _is_question_start(tok: Token) -> bool:
    return (
        _lower(tok) in _WH
        or tok.tag_ in {"WDT", "WP", "WP$", "WRB"}
        or (
            tok.pos_ == "AUX"
            and tok.tag_ in {"MD", "VBZ", "VBP", "VBD"}
            and tok.dep_ in {"aux", "auxpass", "ROOT"}
        )
    )


def _uninvert(plan: _Plan, aux: Token, subj: Token, root: Token) -> None:
    """Move an inverted auxiliary after its subject ("will the schools" → "the schools will")."""
    low = _lower(aux)
    if syntax.lemma(aux).lower() == "do" and aux.i != root.i:
        plan.drop([aux])
        singular = subj.tag_ in {"NN", "NNP"} or (_lower(subj) == "you" and plan.voice.addressee_singular)
        if low == "did":
            plan.repl[root.i] = _inflect(root, "VBD")
        elif (low == "do" and singular and root.tag_ in {"VB", "VBP"}) or (
            low == "does" and root.tag_ in {"VB", "VBP"}
        ):  # "do you anticipate" → "the minister anticipates"
            plan.repl[root.i] = third_person(syntax.lemma(root))
        if any(c.dep_ == "neg" for c in aux.head.children):
            raise NotReported("a negative question")
        return
    if aux.i == root.i and aux.tag_ == "MD":
        raise NotReported("a modal parsed as the main verb")  # "Can the Minister of … list …?"
    copula = aux.i == root.i and syntax.lemma(aux).lower() == "be"
    plan.moves.append((aux.i, _subject_end(subj, copula=copula)))
    word = plan.repl.get(aux.i, aux.text)
    if word[:1].isupper() and word != "I":
        plan.repl[aux.i] = word.lower()
    neg = aux.doc[aux.i + 1] if aux.i + 1 < len(aux.doc) else None
    if neg is not None and neg.dep_ == "neg" and neg.i < subj.i:
        plan.moves.append((neg.i, aux.i))
        plan.repl[neg.i] = "not"
        plan.space_before.add(neg.i)


# ------------------------------------------------------------------------------- people


def _agree(plan: _Plan, subj: Token, singular: bool) -> None:
    """Make the verb of a subject that became third person singular agree with it."""
    if not singular:
        return
    verb = subj.head
    chain = sorted((c for c in verb.children if c.dep_ in {"aux", "auxpass"}), key=lambda c: c.i)
    target = chain[0] if chain else verb
    if target.i in plan.keep:
        plan.repl[target.i] = _third_singular(target, plan.repl.get(target.i))
    # "I am and will remain …": coordinated verbs agree too
    for c in verb.children:
        own = syntax.subject_of(c)
        if c.dep_ != "conj" or (own is not None and not _same(own, subj)):
            continue
        shared_aux = any(
            syntax.lemma(a).lower() in _SHARED_AUX or a.tag_ == "MD"
            for a in verb.children
            if a.dep_ in {"aux", "auxpass"}
        )
        own_aux = any(a.dep_ in {"aux", "auxpass"} for a in c.children)
        if c.tag_ == "VBP" or (c.tag_ == "VB" and not own_aux and not shared_aux and verb.tag_ != "VB"):
            # "… has worked very hard, and continues to do so"; not "will work and see"
            plan.repl[c.i] = _third_singular(c, None) if c.tag_ == "VBP" else third_person(c.text)
        else:  # "… have replaced the pipes and have paid for them"
            caux = min(
                (a for a in c.children if a.dep_ in {"aux", "auxpass"}), key=lambda a: a.i, default=None
            )
            if caux is not None and caux.tag_ == "VBP" and caux.i in plan.keep:
                plan.repl[caux.i] = _third_singular(caux, plan.repl.get(caux.i))


_SHARED_AUX = frozenset(
    {"do", "to", "will", "would", "can", "could", "shall", "should", "may", "might", "must"}
)


def _third_singular(tok: Token, current: str | None) -> str:
    word = current or tok.text
    low = word.lower().replace("’", "'")
    if low in _CLITICS and low != "'s":  # "we'll" → "it will", never "it 'll"
        word = low = "had" if low == "'d" and syntax.lemma(tok) == "have" else _CLITICS[low]
    table = {"am": "is", "'m": "is", "are": "is", "'re": "is", "were": "was", "have": "has", "'ve": "has",
             "do": "does", "don't": "doesn't"}  # fmt: skip
    if low in table:
        return table[low]
    if tok.tag_ == "VBP":
        return third_person(word)
    return word


def third_person(verb: str) -> str:
    """The third person singular of a present verb ("apply" → "applies", "fix" → "fixes")."""
    low = verb.lower()
    irregular = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if low in irregular:
        return irregular[low]
    if low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        return verb[:-1] + "ies"
    if low.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    return verb + "s"


def _inflect(tok: Token, tag: str) -> str:
    if tag != "VBD":
        raise NotReported(f"cannot inflect '{tok.text}'")
    word = past_tense(syntax.lemma(tok))
    return word.capitalize() if tok.text[:1].isupper() and tok.i != 0 else word


_PAST = dict(line.split() for line in phrases("verb_past"))


def past_tense(verb: str) -> str:
    """The simple past of a verb's base form ("consider" → "considered", "stop" → "stopped").

    Irregular verbs, and verbs of more than one syllable that double their last
    consonant, come from ``data/words/verb_past.txt``; the rest follow the spelling
    rules. Written here rather than taken from lemminflect, whose tables took 0.25 s to
    load for the one verb a draft may need.
    """
    low = verb.lower()
    if low in _PAST:
        return _PAST[low]
    for prefix in _VERB_PREFIXES:  # "overrun" → "overran", "backstop" → "backstopped"
        rest = low[len(prefix) :]
        if low.startswith(prefix) and (rest in _PAST or (prefix in _WORD_PREFIXES and _syllables(rest) == 1)):
            return prefix + past_tense(rest)
    if low.endswith("e"):
        return low + "d"
    if low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        return low[:-1] + "ied"
    if _syllables(low) == 1 and re.search(r"[^aeiou][aeiou][^aeiouwxy]$", low):  # "stop", not "visit"
        return low + low[-1] + "ed"
    return low + "ed"


_VERB_PREFIXES = ("back", "out", "over", "under", "up", "off", "in", "re", "un", "mis", "with", "fore")
#: prefixes that are words: what follows is a verb of its own ("backstop", "outstrip")
_WORD_PREFIXES = ("back", "out", "over", "under", "up")


def _syllables(word: str) -> int:
    return len(re.findall(r"[aeiou]+|y(?![aeiou])", word))


def _people(plan: _Plan, root: Token) -> bool:
    """First and second person → the speaker's slots, their group, the addressee.

    Returns whether the clause's own subject is the speaker.
    """
    voice = plan.voice
    sent = plan.sent
    self_subject = False
    shared = words("report_shared")
    for tok in sent:
        if tok.i not in plan.keep:
            continue
        low = _lower(tok)
        if low in _CLITICS and tok.i > sent.start and tok.tag_.startswith(("VB", "MD")):
            if tok.i not in plan.repl:
                full = _CLITICS[low]
                if low in {"'s", "’s"}:
                    nxt = next((t for t in sent.doc[tok.i + 1 : sent.end] if t.tag_ != "RB"), None)
                    full = (
                        "has" if _perfect_s(nxt) else "is"
                    )  # "that's largely been"  # "what's happened", "who's involved"
                elif low in {"'d", "’d"} and syntax.lemma(tok) == "have":
                    full = "had"
                plan.repl[tok.i] = full
            plan.space_before.add(tok.i)
        if low in _INTENSIVE and tok.dep_ == "appos" and _lower(sent.doc[tok.i - 1]) in _INTENSIVE[low]:
            plan.drop([tok])  # "I myself represent …": the subject says it already
        elif low in _SPEAKER_FORMS and tok.pos_ == "PRON":
            subject = tok.dep_ in syntax.SUBJECT_DEPS or (
                tok.dep_ == "conj" and tok.head.dep_ in syntax.SUBJECT_DEPS
            )
            plan.repl[tok.i] = SUBJ if low == "myself" and subject else _SPEAKER_FORMS[low]
            for other in tok.conjuncts:  # "myself and colleague Albert Heaney": his colleague
                first = sent.doc[other.left_edge.i]
                if (
                    first.tag_ == "NN"
                    and first.i in plan.keep
                    and first.i not in plan.repl
                    and not any(c.dep_ in {"det", "poss"} for c in other.children)
                ):
                    plan.repl[first.i] = f"{POSS} {first.text}"
            if low == "i" and tok.dep_ in syntax.SUBJECT_DEPS:
                _agree(plan, tok, voice.singular)
                if tok.head.i == root.i:
                    self_subject = True
        elif low in _GROUP_FORMS and tok.pos_ == "PRON":
            if voice.group is None:
                raise NotReported("'we' with no one to stand for")
            form = _GROUP_FORMS[low]
            nxt = sent.doc[tok.i + 1] if tok.i + 1 < sent.end else None
            if form == "P" and nxt is not None and (_lower(nxt) in shared or _lower(tok.head) in shared):
                plan.repl[tok.i] = "the"  # a minister's "our country" is the country
            elif form == "P" and nxt is not None and syntax.lemma(nxt).lower() in voice.group.lower().split():
                # "our board" of the Valley Water Board is the board itself
                after = sent.doc[nxt.i + 1] if nxt.i + 1 < sent.end else None
                if after is not None and after.tag_ == "POS":  # "our government's policy": its policy
                    plan.chain(
                        tok.i, "group", _group_form(voice.group, "P"), "its" if voice.group_singular else None
                    )
                    plan.drop([nxt, after])
                else:
                    plan.chain(tok.i, "group", voice.group, "it" if voice.group_singular else None)
                    plan.drop([nxt])
            elif form == "O" and low == "us" and _lower(sent.doc[tok.i - 1]) in {"of", "all"}:
                raise NotReported("'all of us' is everyone")
            elif (
                form == "O"
                and low == "us"
                and syntax.lemma(_governor(tok)).lower() not in words("report_us_verbs")
            ):
                # "workers who dedicate their lives to feed us": everyone, not the government;
                # "us" is the group only where an institution is told, asked, given, joined …
                raise NotReported("'us' may be everyone")
            elif form == "S" and any(
                _lower(c) in {"all", "both"} and c.dep_ in {"advmod", "det", "appos", "nsubj", "dep"}
                for c in [*tok.children, *tok.head.children]
                if c.i > tok.i
            ):
                raise NotReported("'we all' is everyone")  # "we've all got a role to play"
            else:  # the group once by name, then "it" (decided when the kept words are known)
                if voice.group_only_with and (
                    # "our report" is the committee's; "our armed forces" is not, whatever the clause
                    syntax.lemma(tok.head).lower() not in voice.group_only_with
                    if form == "P"
                    else form != "O"
                    and not any(
                        syntax.lemma(t).lower() in voice.group_only_with for t in sent if t.i in plan.keep
                    )
                ):
                    # "the workers who bring food to our tables", "we are in a climate
                    # emergency": a member's "we" may be the country, not the committee
                    raise NotReported(f"a member's '{tok.text}' may not be {voice.group}")  # nor quoted
                later = ("its" if form == "P" else "it") if voice.group_singular else None
                plan.chain(tok.i, "group", _group_form(voice.group, form), later)
            if form == "S" and tok.dep_ in syntax.SUBJECT_DEPS:
                _agree(plan, tok, voice.group_singular)
        elif low in _YOU_FORMS and tok.pos_ == "PRON":
            if voice.addressee is None:
                raise NotReported("'you' with no one addressed")
            if _generic_you(tok):
                # "you'd have thought there would be a carrot", "if you look at the figures":
                # anyone, not the witness addressed
                raise NotReported("a generic 'you'")
            form = _YOU_FORMS[low]
            pron = voice.addressee_pronoun
            later = {"S": pron[0], "O": pron[1], "P": pron[2]}[form] if pron is not None else None
            plan.chain(tok.i, "you", _group_form(voice.addressee, form), later)
            if form == "S" and tok.dep_ in syntax.SUBJECT_DEPS:
                _agree(plan, tok, voice.addressee_singular)
    return self_subject


_GENERIC_YOU_VERBS = frozenset(
    {"think", "imagine", "expect", "know", "see", "find", "look", "say", "argue", "suppose"}
)
_GENERIC_YOU_MODALS = frozenset({"would", "'d", "’d", "could", "might", "can", "may"})


def _generic_you(tok: Token) -> bool:
    """Whether a subject 'you' means anyone: with a modal before a verb of thinking or
    seeing ("you'd have thought", "you can see", "you might argue"), or in a condition
    ("if you look at …")."""
    if tok.dep_ not in syntax.SUBJECT_DEPS:
        return False
    head = tok.head
    if syntax.lemma(head).lower() not in _GENERIC_YOU_VERBS:
        return False
    aux = {_lower(c) for c in head.children if c.dep_ in {"aux", "auxpass"}}
    condition = any(c.dep_ == "mark" and _lower(c) in {"if", "when", "once"} for c in head.children)
    return bool(aux & _GENERIC_YOU_MODALS) or condition


# an intensive reflexive after its own subject ("I myself", "we ourselves") adds nothing reported
_INTENSIVE = {"myself": {"i"}, "ourselves": {"we"}, "yourself": {"you"}, "yourselves": {"you"}}


def _governor(tok: Token) -> Token:
    """The verb a pronoun belongs to, through a preposition ("write to us": write)."""
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ in {"prep", "dative", "agent"}:
        head = head.head
    return head


def _perfect_s(nxt: Token | None) -> bool:
    """Whether "'s" before ``nxt`` is "has" ("what's happened", "it's been", "she's done it")."""
    if nxt is None or nxt.tag_ != "VBN":
        return False  # "it's clear", "she's going"
    if _lower(nxt) in words("verb_perfect_s"):
        return True
    return any(c.dep_ in {"dobj", "dative"} for c in nxt.children)  # "she's done the work"


def _group_form(noun: str, form: str) -> str:
    if form == "P":
        return noun + ("’" if noun.endswith("s") else "’s")
    return noun


def _check_referents(plan: _Plan, root: Token, lead: bool = False) -> None:
    """A clause that opens on a pronoun with nothing in it to refer to is not reported."""
    kept = [t for t in plan.kept() if not t.is_punct]
    if not kept:
        raise NotReported("empty")
    first = kept[0]
    low = _lower(first)
    own = first.i in plan.repl  # the clause opens on the speaker ("I" written as their name)
    if (
        not own
        and low in _DANGLING
        and (first.pos_ == "PRON" or first.dep_ in syntax.SUBJECT_DEPS or first.dep_ == "poss")
    ):
        raise NotReported(f"opens on '{first.text}' with nothing to refer to")
    if not own and low == "it" and first.dep_ in syntax.SUBJECT_DEPS and first.dep_ != "expl":
        head = first.head
        extraposed = any(c.dep_ in {"ccomp", "xcomp", "csubj"} for c in head.children) or any(
            c.dep_ in {"acomp", "attr"} and any(g.dep_ in {"xcomp", "ccomp"} for g in c.children)
            for c in head.children
        )
        if not extraposed:
            raise NotReported("opens on 'it' with nothing to refer to")
    # "they" anywhere, with no plural noun (or name, or "X and Y") before it in the clause:
    # "the government will continue to work with them" names no one "them" could be
    plural_seen = lead
    name_seen = False
    clause_before = False  # a coordinated clause before: a demonstrative may take it up
    nouns: set[str] = set()
    for t in kept:
        if t.tag_ in {"NNS", "NNPS"} or t.pos_ == "PROPN" or (t.dep_ == "conj" and t.pos_ == "NOUN"):
            plural_seen = True
        if t.pos_ == "PROPN" and t.i not in plan.repl:
            name_seen = True  # someone named (not the speaker or the one addressed)
        if _lower(t) in {"they", "them", "their", "theirs"} and t.i not in plan.repl and not plural_seen:
            raise NotReported(f"'{t.text}' with nothing to refer to")
        # "she understands that this is a novel coronavirus": the transcript's "she" is someone
        # else, and under the speaker's name it reads as the speaker
        if _lower(t) in {"he", "she", "him", "her", "his", "hers"} and t.i not in plan.repl and not name_seen:
            raise NotReported(f"'{t.text}' is someone the sketch does not name")
        # "that evidence", "those children", "this memo": a thing the sketch has not given
        if (
            _lower(t) in {"this", "that", "these", "those"}
            and t.dep_ == "det"
            and t.i not in plan.repl
            and t.head.pos_ == "NOUN"
            and t.head.i > t.i
            and syntax.lemma(t.head).lower() not in words("report_deictic")
            and syntax.lemma(t.head).lower() not in nouns
            and not clause_before  # "rates have doubled, and households cannot carry that burden"
        ):
            raise NotReported(f"'{t.text} {t.head.text}' refers to what the sketch does not give")
        # "what she would spend it on", "he is on it", "half of those": an object pronoun
        # with no noun before it in the clause takes up what the sketch does not give
        if (
            _lower(t) in {"it", "this", "that", "these", "those"}
            and t.pos_ == "PRON"
            and t.dep_ in {"dobj", "pobj", "dative"}
            and t.i not in plan.repl
            and not nouns
            and not plural_seen
        ):
            raise NotReported(f"'{t.text}' with nothing to refer to")
        if t.pos_ in {"NOUN", "PROPN"}:
            nouns.add(syntax.lemma(t).lower())
        if t.dep_ == "cc" or t.text == ";":
            clause_before = True


def _check_backreference(plan: _Plan, question: bool = False) -> None:
    """ "Can you answer that question?", "those figures": a point that rests on what came before.

    A question about a bare "that" or "this" ("what conversations are happening around
    that?") asks about what the member said before it, which the sketch does not give.
    """
    back = words("report_backreference")
    kept = [t for t in plan.sent if t.i in plan.keep]
    if question:
        bare = next(
            (
                t
                for t in kept
                if _lower(t) in {"that", "this"}
                and t.tag_ != "WDT"  # "the figure that the board uses"
                and t.dep_ in {"pobj", "dobj"}
                and t.i not in plan.repl
            ),
            None,
        )
        if bare is not None:
            raise NotReported(f"asks about '{bare.text}' with nothing to refer to")
    for a, b in itertools.pairwise(kept):
        if (
            _lower(a) in {"that", "this", "those", "these"}
            and a.dep_ == "det"
            and syntax.lemma(b).lower() in back
        ):
            raise NotReported(f"'{a.text} {b.text}' refers to what the sketch does not give")


# ---------------------------------------------------------------------------- trimming


_AFFIRMATIONS = frozenset({"yes", "yeah", "okay", "ok", "right"})  # mid-sentence, set off by commas


def _trim(plan: _Plan, root: Token) -> None:
    """Fillers, parenthetical asides, tag endings; more when the clause is long."""
    sent = plan.sent
    fillers = words("report_fillers")
    for tok in sent:
        if tok.i not in plan.keep:
            continue
        low = _lower(tok)
        if low in fillers and tok.dep_ in {"advmod", "intj"} and tok.head.pos_ in {"VERB", "AUX", "ADJ"}:
            if tok.i > sent.start and _lower(sent.doc[tok.i - 1]) in {"not", "n't", "never", "no"}:
                continue  # "not really", "wouldn't just": the filler carries the negation's point
            plan.drop([tok, *(c for c in tok.children if c.dep_ == "advmod")])  # "very clearly"
            _drop_orphan_commas(plan, tok.i)
        elif (
            low in _AFFIRMATIONS
            and tok.dep_ == "intj"
            and tok.i > sent.start
            and sent.doc[tok.i - 1].text == ","
        ):
            plan.drop([tok])  # "they are more price sensitive, yes, and …"
            _drop_orphan_commas(plan, tok.i)
        elif (
            low in {"sort", "kind"}
            and tok.i + 1 < sent.end
            and _lower(sent.doc[tok.i + 1]) == "of"
            and tok.dep_ in {"advmod", "amod"}
        ):
            plan.drop([tok, sent.doc[tok.i + 1]])
        elif (
            tok.dep_ == "advcl"
            and syntax.lemma(tok).lower() in {"say", "mention", "note", "indicate", "point", "outline"}
            and any(c.dep_ == "mark" and _lower(c) == "as" for c in tok.children)
            and len(list(tok.subtree)) <= 6
            and not any(c.dep_ in {"dobj", "ccomp"} for c in tok.children)
        ):
            # "as Meilyr already said, …", "as the minister mentioned": an aside
            plan.drop_subtree(tok)
            _drop_orphan_commas(plan, tok.left_edge.i)
        elif tok.dep_ == "parataxis" and tok.i > root.i and len(list(tok.subtree)) <= 4:
            # ", I think,", ", you know,", ", as I said,"
            plan.drop_subtree(tok)
            _drop_orphan_commas(plan, tok.left_edge.i)
    asides = _asides()
    lows = [_lower(t) for t in sent]
    for k, low in enumerate(lows):
        for phrase, ending_ok in asides.get(low, ()):
            n = len(phrase)
            if tuple(lows[k : k + n]) != phrase:
                continue
            at = sent.start + k
            before = lows[k - 1] if k else ","
            after = lows[k + n] if k + n < len(lows) else "."
            ending = ending_ok and after in {".", "?", "!", ","}
            if (before in {",", "—", "–", "("} and after in {",", ".", "?", "!", "—", "–", ")"}) or ending:
                plan.drop(sent.doc[at : at + n])
                _drop_orphan_commas(plan, at)
    _drop_dashed_asides(plan)
    if _count(plan) > LONG:
        _condense(plan, root)
        _check_intact(plan, root)


_COMPLEMENTS = frozenset({"ccomp", "xcomp", "dobj", "attr", "acomp", "pobj", "pcomp", "oprd"})


def _check_intact(plan: _Plan, root: Token) -> None:
    """What condensing left must still be a sentence: every kept word hangs from a kept word
    (up to the clause's root), and a kept verb or preposition keeps an object or complement it
    had ("we know from the piloting [that …]", "if we are reopening schools[, we …]" would be
    fragments)."""
    inside = {t.i for t in root.subtree}
    for t in plan.sent:
        if t.i not in plan.keep or t.is_punct or t.i == root.i or t.i not in inside:
            continue
        if t.head.i not in plan.keep:
            raise NotReported("condensing cut a clause off its head")
        had = [c for c in t.children if c.dep_ in _COMPLEMENTS]
        if had and not any(c.i in plan.keep for c in had):
            raise NotReported("condensing cut a word off its complement")
    had = [c for c in root.children if c.dep_ in _COMPLEMENTS]
    if had and not any(c.i in plan.keep for c in had):
        raise NotReported("condensing cut the clause off its complement")


@cache
def _asides() -> dict[str, tuple[tuple[tuple[str, ...], bool], ...]]:
    """Asides by first word: (words, may also end a sentence). Parentheticals like "I think"
    go only between commas; the listed asides ("and so on") also at the end."""
    table: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    listed = [(tuple(p.split()), True) for p in phrases("report_asides")]
    framing = [
        (tuple(p.split()), False)
        for p in ("i think", "i believe", "i mean", "i suppose", "i guess", "you know")
    ]
    for words_, ending in [*listed, *framing]:
        table.setdefault(words_[0], []).append((words_, ending))
    return {k: tuple(v) for k, v in table.items()}


def _drop_orphan_commas(plan: _Plan, at: int) -> None:
    """After a removal, a comma left on each side becomes one (or none at the start)."""
    sent = plan.sent
    before = next((t for t in reversed(sent.doc[sent.start : at]) if t.i in plan.keep), None)
    after = next((t for t in sent.doc[at : sent.end] if t.i in plan.keep), None)
    if before is not None and after is not None and before.text == "," and after.text == ",":
        plan.drop([before, after])  # "because, I think, they" → "because they"
    elif after is not None and after.text == "," and before is None:
        plan.drop([after])


def _drop_dashed_asides(plan: _Plan) -> None:
    sent = plan.sent
    dashes = [
        t.i
        for t in sent
        if t.text in {"—", "–", "-", "--"} and t.i in plan.keep and (t.whitespace_ or t.text != "-")
    ]
    for a, b in itertools.pairwise(dashes):
        if 0 < b - a <= DASHED_ASIDE:
            plan.drop(sent.doc[a : b + 1])
            return
    if len(dashes) == 1 and sent.end - dashes[0] <= 9:
        plan.drop(sent.doc[dashes[0] : sent.end])
    elif len(dashes) == 1 and dashes[0] - sent.start > 3:
        # "…set up the advisory group under Professor Gardner—it's to understand …": the part
        # before the dash, if it is a clause of its own; else the sentence broke off
        before = [t for t in sent.doc[sent.start : dashes[0]] if t.i in plan.keep and not t.is_punct]
        if len(before) >= 6 and any(t.pos_ in {"VERB", "AUX"} for t in before):
            plan.drop(sent.doc[dashes[0] : sent.end])
        else:
            raise NotReported("a sentence broken off at a dash")


def _count(plan: _Plan) -> int:
    return sum(1 for t in plan.sent if t.i in plan.keep and not t.is_punct)


def _condense(plan: _Plan, root: Token) -> None:
    """Shorten a long clause by what the parse marks as removable, never by new words."""
    sent = plan.sent
    # appositions and non-restrictive relative clauses set off by commas
    for tok in sent:
        if _count(plan) <= LONG:
            return
        if tok.i not in plan.keep:
            continue
        if tok.dep_ in {"appos", "relcl", "acl"} and tok.left_edge.i > sent.start:
            before = sent.doc[tok.left_edge.i - 1]
            if before.text == ",":
                plan.drop_subtree(tok)
                plan.drop([before])
    # trailing adverbial clauses and prepositional phrases after a comma
    for tok in sorted(root.children, key=lambda t: -t.i):
        if _count(plan) <= LONG:
            return
        if tok.i > root.i and tok.dep_ in {"advcl", "npadvmod", "parataxis"} and tok.left_edge.i > sent.start:
            before = sent.doc[tok.left_edge.i - 1]
            if before.text in {",", ";", "—", "–"} and tok.right_edge.i >= max(plan.keep, default=0) - 1:
                plan.drop(t for t in sent if before.i <= t.i <= tok.right_edge.i)
    # cut at the first independent clause boundary ("…, and the X is …"; "…; …")
    if _count(plan) > LONG:
        for tok in root.children:
            if (
                tok.dep_ in {"conj", "parataxis"}
                and tok.i > root.i
                and (
                    syntax.subject_of(tok) is not None
                    and not _same(syntax.subject_of(tok), syntax.subject_of(root))
                )
            ):
                cut = tok.left_edge.i
                while cut > sent.start and (sent.doc[cut - 1].is_punct or sent.doc[cut - 1].dep_ == "cc"):
                    cut -= 1
                if sum(1 for t in sent if t.i >= cut and not t.is_punct) < SHORT_CLAUSE:
                    # "…that they remain, and their families remain, supported": a short last
                    # clause may carry what both share; cutting it saves little and breaks the first
                    break
                plan.drop(t for t in sent if t.i >= cut)
                break
    # lists: keep the first three items of a long coordination
    if _count(plan) > LONG:
        for tok in sent:
            conjs = [c for c in tok.children if c.dep_ == "conj"]
            if len(conjs) >= 3 and tok.i in plan.keep:
                last = conjs[1]
                plan.drop(t for t in sent if last.right_edge.i < t.i <= conjs[-1].right_edge.i)
                break


# ------------------------------------------------------------------------------ report


_LEADS = ("in terms of", "with regard to", "with regards to", "in relation to", "regarding", "on the issue of",
          "on the question of", "when it comes to", "as for", "as regards", "turning to", "in respect of")  # fmt: skip


def _lead(plan: _Plan, start: int) -> tuple[str | None, int]:
    """A topic the speaker leads with ("In terms of the hubs, …") → ("the hubs", next start)."""
    sent = plan.sent
    for phrase in _LEADS:
        n = _starts(sent, start, phrase)
        if not n:
            continue
        comma = next((t for t in sent.doc[start + n : min(sent.end, start + n + 12)] if t.text == ","), None)
        if comma is None:
            return None, start
        topic = sent.doc[start + n : comma.i]
        if any(_lower(t) in _SPEAKER_FORMS | _GROUP_FORMS | _YOU_FORMS for t in topic):
            return None, start
        plan.drop(sent.doc[start : comma.i + 1])
        return topic.text, comma.i + 1
    return None, start


#: Words that point back at what was said before the sentence.
_BACK_WORDS = frozenset({"this", "that", "these", "those", "it", "them", "such"})
#: What a fronted phrase may not be dropped for: a condition, an exception, a negation.
_KEEP_LEAD = frozenset(
    {
        "if",
        "unless",
        "when",
        "whenever",
        "once",
        "until",
        "whether",
        "provided",
        "without",
        "except",
        "instead",
        "apart",
        "not",
        "n't",
        "no",
        "never",
        "only",
        "but",
        "although",
        "though",
    }
)


def _strip_back_lead(plan: _Plan, start: int) -> int:
    """A fronted link to what came before — "That is why we allocated …", "As a consequence
    of that approach, the duty covers …", "On that basis, we …" — dropped, so that the main
    clause, which makes the point, stands on its own. Not a condition, an exception or a
    negation ("If that happens, …", "Without that, …"): those change what the clause says."""
    sent = plan.sent
    toks = [t for t in sent.doc[start : min(sent.end, start + 14)] if t.i in plan.keep]
    if len(toks) < 4:
        return start
    lows = [_lower(t) for t in toks]
    rest: int | None = None
    if lows[0] in {"that", "this"} and lows[1] in {"is", "'s", "’s"} and lows[2] in {"why", "because"}:
        rest = toks[3].i  # "That is why X": X
        main = next((t for t in sent.doc[rest : sent.end] if t.dep_ in syntax.SUBJECT_DEPS), None)
        if main is None or main.head.i < rest:
            return start
    else:
        comma = next((k for k, t in enumerate(toks) if t.text == ","), None)
        if comma is None or comma < 2:
            return start
        lead = toks[:comma]
        if (
            not any(w in _BACK_WORDS and t.pos_ in {"PRON", "DET"} for w, t in zip(lows, lead, strict=False))
            or any(w in _KEEP_LEAD for w in lows[:comma])
            # a subordinate clause ("Now that we have the pumps, …") says when or why, not "as I said"
            or any(t.dep_ == "mark" for t in lead)
        ):
            return start
        heads = [t for t in lead if not (lead[0].i <= t.head.i <= lead[-1].i) or t.head.i == t.i]
        if len(heads) != 1:
            return start
        head = heads[0]
        main = head.head
        if (
            head.dep_ not in {"prep", "advmod", "advcl", "npadvmod", "obl"}
            or main.i <= toks[comma].i
            or main.pos_ not in {"VERB", "AUX"}
            or not any(c.dep_ in syntax.SUBJECT_DEPS and c.i > toks[comma].i for c in main.children)
        ):
            return start
        rest = toks[comma].i + 1
    plan.drop(sent.doc[start:rest])
    return rest


#: "I can confirm that X", "I would say to the committee that X": a first-person frame the
#: parser often misreads in a long sentence ("that" taken for an object, the content split
#: up); the content is then parsed on its own.
_SURFACE_FRAME = re.compile(
    r"^(?P<frame>\W*(?:(?:so|well|and|but|now|yes|no|okay|ok|chair|minister)\W+)*"
    r"I\s+(?:(?:can|could|would|will|must|should|do|just|really|certainly|'d|’d|want\s+to|"
    r"would\s+like\s+to|'d\s+like\s+to|’d\s+like\s+to|have\s+to|need\s+to)\s+)*"
    r"(?P<verb>confirm|say|tell\s+you|assure\s+you|stress|emphasi[sz]e|reiterate|underline|"
    r"point\s+out|add|note|acknowledge|accept|admit|think|believe|hope|fear|suggest|"
    r"recognise|recognize|understand)"
    r"\s+(?:(?:to\s+(?:the\s+committee|you|members)|again|very\s+clearly|clearly)\s+)*that\s+)"
    r"(?P<rest>\S.*)$",
    re.I | re.S,
)


def report(sent: Span, voice: Voice) -> Reported:
    """Plan the reported form of one parsed transcript sentence.

    Raises :class:`NotReported` when it cannot be reported safely (thanks, a referent
    that cannot be resolved, no main verb, too long even condensed).
    """
    framed = _SURFACE_FRAME.match(sent.text)
    if framed and not ends_with_question_mark(sent.text):
        # the content parsed alone, reported with the frame's verb
        rest = framed.group("rest")
        shift = sent.text.index(rest, framed.start("rest"))
        inner = _report(syntax.parse_many([rest], lemmas=False)[0][:], voice)
        lemma = framed.group("verb").split()[0].lower()
        verb = "said" if lemma in {"tell", "assure"} else _frame_verbs().get(lemma, "said")
        if lemma == "point":
            verb = "noted"
        verb = (inner.verb or verb) if lemma in {"say", "add", "tell", "assure"} else verb
        return replace(inner, verb=verb, start=inner.start + shift, end=inner.end + shift)
    return _report(sent, voice)


def _report(sent: Span, voice: Voice) -> Reported:
    text = sent.text.strip()
    if not text:
        raise NotReported("empty")
    if re.search(r"(\w[—–-]|\s[—–-]+|\.\.\.|…)\W*$", text):
        raise NotReported("interrupted")
    if _TAG_QUESTION.search(text):
        # "we are still seeing people falling through the gaps, aren't we?": a statement put
        # for agreement, and the parse takes the tag for the question ("whether the
        # committee is not")
        raise NotReported("a tag question")
    broken = _BROKEN_OFF.search(text)
    if broken and not re.search("[—–]", text[broken.end() :]):
        # "the detail of the fund and the—there are two funds" (but "used to—with childcare
        # settings and so on—the idea that …" is an aside between two dashes)
        raise NotReported("broken off mid-phrase")
    question = ends_with_question_mark(text)
    plan = _Plan(sent, voice)
    start, skipped = _strip_opening(plan)
    start = _strip_meta(plan, start)
    k = start
    while k < sent.end and _lower(sent.doc[k]) in {"just", "simply", "only"}:
        k += 1
    that = sent.doc[k] if k < sent.end else None
    if (
        that is not None
        and _lower(that) == "that"
        and that.dep_ == "mark"
        and that.head.dep_ == "ROOT"
        and any(
            c.dep_ in syntax.SUBJECT_DEPS and c.i > k for c in that.head.children
        )  # not "That, again, comes …"
    ):
        plan.drop(sent.doc[start : k + 1])  # "Yes, just that the committee has been trying …"
        start = k + 1
    start, stressed = _strip_make_clear(plan, start)
    if stressed:
        question = False  # "Can I make it absolutely clear, X?": X, stressed, not a question
    start = _strip_back_lead(plan, start)
    lead, start = _lead(plan, start)
    if question:
        start = _after_colon(plan, start)
    root, verb, asked = _content_root(plan, start)
    verb = stressed or verb
    if asked and _direct_after(plan, root):
        asked = False  # "Could I ask, with regard to X, do they apply …?": a direct question
    pushback = bool(set(skipped) & {"no", "well no"}) or verb in {"disagreed"}
    let = syntax.root_of(sent)  # "But let's go in …": "'s" may hang off the next verb
    if (
        (syntax.lemma(root).lower() == "let" and any(_lower(c) in {"'s", "’s", "us"} for c in root.children))
        or (
            _lower(let) == "let"
            and let.i + 1 < sent.end
            and _lower(sent.doc[let.i + 1]) in {"'s", "’s", "us"}
        )
        or re.match(r"(?i)\W*(so,? |well,? |and |but )?let(’s|'s| us)\b", text)
    ):
        raise NotReported("an exhortation ('let's …')")
    if syntax.lemma(root).lower() == "appreciate" and any(
        syntax.lemma(t).lower() in {"question", "comment", "point"} for t in root.subtree if t.dep_ == "dobj"
    ):
        raise NotReported("thanks")  # "I appreciate my honourable colleague's question."
    if syntax.lemma(root).lower() in {"thank", "welcome", "congratulate"} or any(
        syntax.lemma(t).lower() == "thank" and t.pos_ == "VERB" for t in sent[: min(len(sent), 12)]
    ):
        raise NotReported("thanks")
    finite = any(c.dep_ in {"aux", "auxpass"} and _lower(c) != "to" for c in root.children)
    if root.tag_ in {"VB", "VBG"} and syntax.subject_of(root) is None and not (question or asked or finite):
        # "Just to add to what the minister said.", "Have a lower limit.", "Moving on, then, to …"
        raise NotReported("no main clause")
    if root.pos_ not in {"VERB", "AUX"} and not syntax.has_main_verb(sent):
        raise NotReported("no main verb")
    _drop_vocatives(plan)
    if question and not asked:
        _question_preamble(plan)
    self_subject = _people(plan, plan.question_root or root)
    qword = ""
    if question or asked:
        qword = _question(plan, root, embedded=asked)
        kind, verb = "question", "asked"
    else:
        kind = "statement"
    _trim(plan, root)
    _check_referents(plan, root, lead=lead is not None)
    _check_backreference(plan, question=bool(qword))
    opening = next((t for t in sent if t.i in plan.keep and not t.is_punct), None)
    mark = next((c for c in root.children if c.dep_ == "mark" and _lower(c) == "that"), None)
    if (
        not (question or asked)
        and root.tag_ in {"VBZ", "VBP", "VBD"}
        and not any(c.dep_ in syntax.SUBJECT_DEPS for c in root.children)
        and (
            (mark is not None and (opening is None or mark.i <= opening.i))  # the clause opens on it
            or (
                opening is not None
                and (
                    opening.i == root.i
                    or (opening.dep_ == "advmod" and opening.head.i == root.i and opening.i < root.i)
                )
            )
        )
    ):
        # "I think that, again, comes back to our challenge": the parse took the subject
        # ("that") for the frame's conjunction; "I think the community of practice—…—
        # actually brings people together" took it for the frame's object: what the clause
        # is about is not said
        raise NotReported("a finite verb without its subject")
    if qword != "about" and not any(
        t.tag_ in _FINITE
        or (
            t.pos_ in {"VERB", "AUX"}
            and any(c.dep_ in syntax.SUBJECT_DEPS and c.i in plan.keep for c in t.children)
        )
        for t in sent
        if t.i in plan.keep
    ):
        # "My question is for the Prime Minister.": once the frame goes, no verb is left
        raise NotReported("no finite verb left")
    clause, s, e = plan.render()
    n = len(re.findall(r"[A-Za-z0-9’'\x00-]+", clause))
    if n < MIN_WORDS:
        raise NotReported("too short once reported")
    if kind == "statement" and _content_words(sent, plan) < MIN_CONTENT:
        # "there is a temptation", "he has got a long list": a clause that says too little
        # to stand as a point
        raise NotReported("too little said")
    if n > MAX_WORDS:
        raise NotReported("too long even condensed")
    clause = _lower_first(clause, plan)
    if _unbalanced_quotes(clause):
        raise NotReported("a quotation cut in two")
    left = FIRST_PERSON_RE.search(clause) or SECOND_PERSON_RE.search(clause)
    if left:  # a person the parse did not see (a pronoun mis-tagged, inside an aside): not guessed
        raise NotReported(f"'{left.group()}' left unresolved")
    if kind == "statement" and not self_subject and clause.startswith(SUBJ):
        self_subject = True
    if _MODAL_THEN_ARTICLE.search(clause):
        # "when the Liberal government table will an economic update": a verb read as a
        # noun put the auxiliary in the wrong place
        raise NotReported("a modal before an article")
    if kind == "question" and _STILL_INVERTED.match(clause):
        # "how do your allocations … support …" parsed with "do" as the main verb: no
        # subject and verb to put in order, so the question cannot be made indirect
        raise NotReported("a question left inverted")
    return Reported(
        text=clause,
        kind=kind,
        verb=verb,
        start=s,
        end=e,
        self_subject=self_subject and kind == "statement",
        qword=qword,
        lead=lead,
        pushback=pushback,
        words=n,
    )


_FINITE = frozenset({"VBZ", "VBP", "VBD", "MD"})
_CONTENT_POS = frozenset({"NOUN", "PROPN", "NUM", "ADJ", "VERB"})
_LIGHT_VERBS = frozenset(
    {"be", "have", "get", "do", "go", "make", "say", "think", "see", "look", "know", "want"}
)


def _content_words(sent: Span, plan: _Plan) -> int:
    """Kept words that carry content (light verbs such as 'have', 'get' and 'be' do not)."""
    return sum(
        1
        for t in sent
        if t.i in plan.keep
        and (
            t.i in plan.repl  # "we" written as "the government"
            or (t.pos_ in _CONTENT_POS and not t.is_stop and syntax.lemma(t).lower() not in _LIGHT_VERBS)
        )
    )


# "…, isn't it?", "…, are you, as individual HEIs?", "…, wouldn't it, really?" (but not
# "…, have you, to roll that out?", whose question goes on)
_TAG_QUESTION = re.compile(
    r",\s*(?:is|are|was|were|do|does|did|have|has|had|can|could|will|would|should|shall|might|must)"
    r"(?:n[’']t)?(?:\s+not)?\s+(?:you|it|they|he|she|we|there|that|I)"
    r"(?:\s*,\s*(?!to\b)[^\s,?]+(?:\s+[^\s,?]+){0,2})?\s*\?[\s\"'”’)]*$",
    re.I,
)
# a speaker who stops after a word that cannot end a phrase and starts again after a dash
_BROKEN_OFF = re.compile(
    r"\b(?:the|a|an|and|or|but|of|to|in|on|for|with|from|by|at|our|their|its|my|your)"
    r"\s?[—–]",
    re.I,
)
_HOW_MUCH = frozenset({"many", "much"})  # "how many staff have been tested": the subject itself
_MODAL_THEN_ARTICLE = re.compile(
    r"\b(?:will|would|can|could|shall|should|may|might|must) (?:a|an|the|of)\b", re.I
)

# an indirect question never has "do" straight after its question word ("how do they …"),
# nor a modal before its subject pronoun ("whose role would it be")
_STILL_INVERTED = re.compile(
    r"(?:how|what|why|when|where|which|who)(?: (?:many|much|far|often|long))? (?:do|does|did)\b"
    r"|.*\b(?:will|would|can|could|shall|should|may|might|must) (?:it|there|he|she|they)\b"
)


def quote(sent: Span) -> Reported | None:
    """The sentence as a quotation in the speaker's own words (openers and vocatives off).

    For a speaker none of whose points can be put in reported speech because the sketch
    cannot tell whom their "we" or "you" means: a quotation needs no referent resolved.
    """
    plan = _Plan(sent, Voice())
    try:
        start, _ = _strip_opening(plan)
        _strip_back_lead(plan, start)
        _drop_vocatives(plan)
        # fillers and asides go from a quotation too, and a long one is cut at a clause
        # boundary as a reported clause is: an editor prints a short quotation, not a paragraph
        _trim(plan, sent.root)
        if _count(plan) > LONG:
            _condense(plan, sent.root)
            _check_intact(plan, sent.root)
        # a quotation needs its referents as much as reported speech does ("That's something
        # we did at the time", "we are looking at them in that way"): only "I" and "we" are
        # the speaker's own
        _check_referents(plan, sent.root)
        _check_backreference(plan)
        text, s, e = plan.render()
    except NotReported:
        return None
    if len(text.split()) > QUOTE_MOST or len(text.split()) < MIN_WORDS:
        return None
    if sent.text.rstrip().endswith("?") or _unbalanced_quotes(text) or "“" in text or '"' in text:
        return None
    text = text[:1].upper() + text[1:]
    return Reported(text=text, kind="quote", verb="said", start=s, end=e, words=len(text.split()))


def _strip_make_clear(plan: _Plan, start: int) -> tuple[int, str | None]:
    """ "I want to make it very clear: X", "We made it clear that X", "I want to be clear
    that X": stressed that X."""
    sent = plan.sent
    _drop_vocatives(plan)  # "make it very clear, Mr. Chair: X"
    toks = [t for t in sent.doc[start : min(sent.end, start + 16)] if t.i in plan.keep]
    lows = [_lower(t) for t in toks]
    for k in range(len(toks) - 2):
        if lows[k] in {"make", "made", "making"} and lows[k + 1] == "it":
            m = k + 2
        elif lows[k] in {"be", "am", "'m", "’m", "are", "'re", "’re"}:
            m = k + 1  # "I want to be very clear that X"
        else:
            continue
        if m < len(toks) and lows[m] in {"very", "absolutely", "quite", "really", "perfectly", "crystal"}:
            m += 1
        if m + 1 >= len(toks) or lows[m] != "clear" or lows[m + 1] not in {":", "that", ","}:
            continue
        who = next((j for j in range(k) if lows[j] in {"i", "we", "let"}), None)
        if who is None:
            return start, None  # someone else made it clear: a point, not a frame
        end = toks[m + 1].i + 1
        if who and toks[who - 1].text == "," and toks[0].pos_ == "ADP":
            # "On the food agency, let me be very clear that X": the topic stays as the lead
            plan.drop(sent.doc[toks[who].i : end])
            return start, "stressed"
        plan.drop(sent.doc[start:end])
        return end, "stressed"
    return start, None


def _strip_meta(plan: _Plan, start: int) -> int:
    """ "The first thing to say is that …", "My question is …": announced, not made."""
    sent = plan.sent
    for phrase in phrases("report_meta_frames"):
        n = _starts(sent, start, phrase)
        if n:
            end = start + n
            mark = next(
                (
                    t
                    for t in sent.doc[end : min(end + 10, sent.end)]
                    if _lower(t) == "that" and t.dep_ == "mark"
                ),
                None,
            )
            if mark is not None and not any(t.pos_ in {"VERB", "AUX"} for t in sent.doc[end : mark.i]):
                end = mark.i  # "Just to say for the committee, really importantly, that …"
            while end < sent.end and (sent.doc[end].is_punct or _lower(sent.doc[end]) == "that"):
                end += 1
            plan.drop(sent.doc[start:end])
            return end
    return start


def _after_colon(plan: _Plan, start: int) -> int:
    """A question after a preamble and a colon: "And the final question: how important is …?"."""
    sent = plan.sent
    colons = [t.i for t in sent if t.text in {":", ";"} and t.i >= start]
    if not colons:
        return start
    cut = colons[-1] + 1
    rest = [t for t in sent.doc[cut : sent.end] if not t.is_punct]
    if len(rest) >= 4 and any(t.pos_ in {"VERB", "AUX"} for t in rest):
        plan.drop(sent.doc[start:cut])
        return cut
    return start


def _direct_after(plan: _Plan, root: Token) -> bool:
    """Whether what an "ask" frame leads to is itself a direct question (an auxiliary first)."""
    kept = [t for t in plan.sent if t.i in plan.keep and not t.is_punct]
    return bool(kept) and kept[0].pos_ == "AUX" and _lower(kept[0]) not in {"whether", "if"}


def _drop_vocatives(plan: _Plan) -> None:
    """ ", Minister," in mid-sentence: an address, not content."""
    sent = plan.sent
    titles = words("report_vocatives")
    toks = list(sent)
    for k, t in enumerate(toks):
        if t.text != "," or k + 2 >= len(toks):
            continue
        j = k + 1
        while j < len(toks) and j - k <= 3 and (_title_word(toks[j]) in titles or toks[j].pos_ == "PROPN"):
            j += 1
        if (
            j > k + 1
            and j < len(toks)
            and toks[j].text in {",", "?", ".", ":", ";"}
            and any(_title_word(toks[x]) in titles for x in range(k + 1, j))
        ):
            # ", Mr. Chair, to …" → " to …"; ", Minister?" → "?"; ", Mr. Chair: X" → ": X"
            plan.drop(toks[k : j + (1 if toks[j].text == "," else 0)])


def _unbalanced_quotes(text: str) -> bool:
    """ "stay Learning' policy": a closing quote whose opening the clause lost (or the reverse)."""
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return True
    # "between 'em", "'cause", "'til": an apostrophe for letters left out opens nothing
    opened = len(re.findall(r"(?:^|[\s(])[‘'](?!(?:em|cause|cos|til|till|n|round|bout)\b)\w", text, re.I))
    # a closing quote after a word or its punctuation; after an "s" it may be a plural
    # possessive ("parents' views") or close a quotation ("the 'Healthy Wales' plan")
    closed = len(re.findall(r"[A-Za-rt-z.,!?][’'](?=[\s,.;:)]|$)", text))
    after_s = len(re.findall(r"s[’'](?=[\s,.;:)]|$)", text))
    # "saying, 'Well, this is now what it is finding": opened and never closed
    return closed > opened or opened > closed + after_s


def _lower_first(clause: str, plan: _Plan) -> str:
    """Lower-case the first word unless it is a name, "I", an acronym or a slot."""
    if not clause or clause[0] == "\x00":
        return clause
    first = next((t for t in plan.kept() if not t.is_punct), None)
    if first is None:
        return clause
    word = plan.repl.get(first.i, first.text)
    if word != first.text:
        return clause  # a replacement decides its own case ("the Welsh Government")
    if (len(word) > 1 and word[1:].lower() != word[1:]) or word == "I":
        return clause  # "I", acronyms, CamelCase names
    nxt = first.doc[first.i + 1] if first.i + 1 < len(first.doc) else None
    two_word_name = (
        nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper()
    )  # "Qualifications Wales"
    if first.pos_ == "PROPN" and (
        two_word_name or not (first.i == plan.sent.start and word.lower() in plan.voice.lower_words)
    ):
        return clause  # a name; but a sentence's first word the speakers write in lower case is not
    lower = plan.voice.lower_words
    if word[:1].isupper() and (
        # capitalised after the words that went, and not after a colon: mid-sentence in the source
        (first.i != plan.sent.start and first.doc[first.i - 1].text not in {":", "“", '"', "‘"})
        or (first.pos_ == "ADJ" and lower and word.lower() not in lower)  # "Canadian workers"
    ):
        return clause
    return clause[:1].lower() + clause[1:]


# --------------------------------------------------------------------------- verbs

_CUES: list[tuple[str, re.Pattern[str]]] = [
    # not "concerns" or "crisis": "listening to the concerns of Canadians", "throughout this
    # crisis" report no risk ("I'm concerned that …" is a frame and warns by itself)
    # not "business risk management programs", "a risk assessment": names of things
    ("warned", re.compile(r"\b(risks?(?! management| assessment| register)|danger\w*|threat\w*|worr\w+|fear\w*|catastroph\w+|damag\w+|harm\w*)\b", re.I)),
    ("argued", re.compile(r"\b(should|must|need to|needs to|have to|has to|ought to|it is time)\b", re.I)),
    ("suggested", re.compile(r"\b(perhaps|maybe|could consider|might want|suggest\w*|propos\w+)\b", re.I)),
    ("noted", re.compile(r"\d")),
    ("explained", re.compile(r"\b(because|so that|in order to)\b", re.I)),
]  # fmt: skip


def choose_verb(rep: Reported) -> str:
    """The reporting verb that fits: the frame's, else one the content calls for."""
    if rep.kind == "question":
        return "asked"
    if rep.verb:
        return rep.verb
    for verb, pattern in _CUES:
        if pattern.search(rep.text):
            return verb
    return "said"
