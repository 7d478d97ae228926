"""Rule ``editor``: what a copy editor finds reading a sentence against its evidence (issue 29).

Each rule reads one body sentence with the sketch before it and, where the sentence
carries evidence (the transcript turns and spans it rests on), with those words:

- ``editor.verbatim``: a long sentence that is its evidence's words with the persons
  swapped (most of its word trigrams are the evidence's: at least ``VERBATIM_LONG`` of
  them from ``VERBATIM_MIN_WORDS`` words on, ``VERBATIM_STRICT`` from
  ``VERBATIM_SHORT_WORDS``), or a long direct quotation standing for the report;
- ``editor.fragment``: a clause cut off or garbled: a preposition without its object, a
  clause ending on a determiner, conjunction or subordinator, a verb of saying with nothing
  said, a reporting verb's "that" followed only by an "if"/"because" clause, a relative
  pronoun as the subject of a clause that is no relative clause, an object pronoun as a
  subject ("said that him talk"), speech disfluencies and transcription marks kept
  ("uh", "{disfmarker}", a word broken off and said again); a word written twice is
  ``language.doubled``'s, no main clause at all ``style.no-main-verb``'s;
- ``editor.referent``: a definite word that points back at nothing the sketch has said:
  a demonstrative ("those objectives", "that review") whose noun is not in the sentence
  or the ``RECENT`` sentences before it (a time, "this year", needs none), a
  demonstrative pronoun ("that is the end of that"), an ordinal ("the second") with
  nothing to count from, a "here"/"there" with no place named, a "they/them/their"
  whose antecedent in the transcript is not what the sketch says before it, and an
  institution written in for the generic "we" of the transcript ("if we look at …" →
  "if the government looks at …");
- ``editor.meaning``: the parse of the sentence against the parse of its evidence: a
  negation lost or added on the same verb, a hypothetical ("would", "if …") reported as
  fact, a past belief ("I thought …", "I used to …") reported as present fact, a
  question reported as a claim, someone else's words the speaker quoted ("Tim McMillan
  said, …", "they've said, '…") reported as the speaker's view;
- ``editor.qualification``: a claim cut before the speaker's own "but …", "although …" in
  the same transcript sentence (a rule of its own: the "but" often only goes on, so it
  is the least sure of the family);
- ``editor.misplaced-reply`` (needs the transcript): a sentence that reads as the answer
  to the question before it ("replied", "Asked by X …, Y …", or simply the answerer's
  sentence after "X asked …", with only the answerer's sentences in between) whose
  evidence does not answer that question: the turns it rests on come before the
  question, or answer a later question (someone else's; after "replied" or "Asked by",
  the same member's next question on something else; placed right after the question,
  the same member's question ``FOLLOW_UP_TURNS`` turns or more after it — a follow-up
  right after one answer is the same exchange, condensed);
- ``editor.lengthy`` (check's only, not the gate's): a sentence of ``LENGTHY_WORDS`` words
  or more at least ``LENGTHY_SHARE`` of whose words lie in runs of ``LENGTHY_RUN`` words of
  its evidence (the turn trimmed, not condensed), where ``editor.verbatim``'s stricter
  shares do not apply;
- ``editor.question-dropped`` (needs the transcript; check's only): a member's statement
  reported from a turn that goes on to ask a question (not a tag question, "…, isn't it?")
  which no sentence of the sketch reports: what led up to the question stands as the
  member's claim, and the question is lost;
- ``editor.question-order``: a reported wh-question left in the spoken question's order
  ("asked what has been X's role", "what work has X done"); the gate runs it too.

:func:`editor_problems` is the pure function behind verbatim, fragment, referent, meaning,
qualification and question-order, for the draft engine's gate; :func:`editor_problems_many` runs it over many sentences with one batch
of parsing. :func:`reply_problem` is the one behind ``editor.misplaced-reply``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sessionsketch.analysis import syntax
from sessionsketch.checks import Context, Finding, Passage, rule
from sessionsketch.text import SHORT_WORDS, word_count

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from sessionsketch.model import Transcript

RULES: tuple[str, ...] = (
    "editor.verbatim",
    "editor.fragment",
    "editor.referent",
    "editor.meaning",
    "editor.qualification",
    "editor.misplaced-reply",
    "editor.lengthy",
    "editor.question-dropped",
    "editor.question-order",
)

SUGGESTIONS: dict[str, str] = {
    "editor.verbatim": "condense: report the point in the rapporteur's words, a clause for a long turn",
    "editor.fragment": "complete the clause from the turn, or leave the sentence out",
    "editor.referent": "name what the word points to, as the turn does, or introduce it earlier",
    "editor.meaning": "report it as the turn says it (the negation, the condition, the belief, the question, whose words)",
    "editor.qualification": "keep the speaker's 'but …' if it limits the claim, or check that the claim stands alone",
    "editor.misplaced-reply": "put the sentence under the question it answers, or report the real answer",
    "editor.lengthy": "condense: the point in a clause or two of the rapporteur's own, or split it",
    "editor.question-dropped": "report the question the member went on to ask (… asked whether …), "
    "with the preamble in a clause at most, or leave the preamble out",
    "editor.question-order": "give the reported question a statement's order ('asked what the role has been')",
}

#: From this many words, a sentence most of whose trigrams are its evidence's is verbatim...
VERBATIM_MIN_WORDS = 30
#: ...that is, this share of its words lie in a trigram of the evidence;
VERBATIM_LONG = 0.75
#: from this many words, the share is ``VERBATIM_STRICT``.
VERBATIM_SHORT_WORDS = 25
VERBATIM_STRICT = 0.9
#: ``editor.lengthy``: from this many words, a sentence at least ``LENGTHY_SHARE`` of whose
#: words lie in runs of ``LENGTHY_RUN`` words of its evidence is the turn trimmed, not
#: condensed (an editor cuts a sentence over about 40 words unless it reads cleanly; a
#: lightly trimmed turn does not).
LENGTHY_WORDS = 35
LENGTHY_SHARE = 0.5
LENGTHY_RUN = 5
#: A demonstrative ("this review") points back this many sentences at most.
RECENT = 4
#: A reply placed right after a member's question that answers the same member's later
#: question is misplaced when that question came this many turns or more after the first
#: (the exchange went on; a follow-up right after one answer is the same exchange).
FOLLOW_UP_TURNS = 3
#: A direct quotation of this many words stands in for the report.
QUOTATION_WORDS = 15

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_QUOTE_RE = re.compile(r"[“\"]([^”\"]+)[”\"]")
#: A transcript's speaker label run into a turn ("Mr. Earl Dreeshen:", "Hon. Marie-Claude Bibeau:").
_INLINE_LABEL_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Hon|Right Hon|Rt Hon)\.? (?:[A-Z][\w'’-]+ ){0,3}[A-Z][\w'’-]+(?: \([^()]{1,80}\))?:(?= )"
)
#: What transcribers write for what is not a word: {disfmarker}, {vocalsound}, [laughter].
_MARKUP_RE = re.compile(r"[{}\[\]]|\b(?:disfmarker|vocalsound|nonvocalsound)\b", re.IGNORECASE)
_FILLED_PAUSES = frozenset({"uh", "um", "erm", "uhm", "hmm", "mm-hmm", "uh-huh"})
#: One-letter words English has (a broken-off word is any other: "r remote", "s particular").
_ONE_LETTER = frozenset({"a", "i", "o"})
#: A word that modifies the next one is a word, not a restart ("new newsletter").
_MODIFIER_DEPS = frozenset({"amod", "compound", "nummod", "poss", "det", "prep", "advmod"})
_ACCUSATIVE = frozenset({"him", "her", "them", "me", "us"})
#: The first and second person: a quotation holding one is the speaker's sentence, not a phrase.
_SPEAKING_PERSONS = frozenset(
    {
        "i",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "me",
        "my",
        "we",
        "we're",
        "we've",
        "we'll",
        "we'd",
        "us",
        "our",
        "you",
        "your",
    }
)
#: Words of the spoken exchange itself, which reported speech leaves out.
_SPEECH_MARKERS = frozenset({"please", "yeah", "yep", "okay"})
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
_ORDINALS = frozenset({"second", "third", "fourth", "latter", "former"})
_THEY = frozenset({"they", "them", "their", "theirs", "themselves"})
_WE = frozenset({"we", "us", "our"})
_NEGATIONS = frozenset({"not", "n't", "never", "no", "nothing", "nobody", "none", "neither", "nor", "cannot"})
_HYPOTHETICAL = frozenset({"would", "could", "might", "'d"})
_CONDITIONS = frozenset({"if", "unless", "whether"})
_CONTRASTS = frozenset({"but", "although", "though", "however", "except", "yet", "whereas"})
_ASKING = frozenset({"ask", "wonder", "query", "question", "inquire", "enquire", "press", "challenge"})
_REPLYING = frozenset({"reply", "respond", "answer", "retort", "counter"})


@dataclass
class _Parsed:
    """One sentence and its evidence, parsed."""

    text: str
    doc: Doc
    previous: list[str]
    previous_docs: list[Doc]
    evidence: list[Doc]
    before: Doc | None
    after: str
    names: frozenset[str]
    paragraph_start: bool = False


# ---------------------------------------------------------------- the pure functions


@dataclass(frozen=True)
class EditorItem:
    """One sentence as :func:`editor_problems_many` reads it (the arguments of :func:`editor_problems`)."""

    text: str
    previous_texts: Sequence[str] = ()
    evidence_texts: Sequence[str] = ()
    before: str = ""
    after: str = ""
    paragraph_start: bool = False


def editor_problems(
    text: str,
    previous_texts: Sequence[str],
    evidence_texts: Sequence[str],
    *,
    before: str = "",
    after: str = "",
    paragraph_start: bool = False,
    names: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """What an editor finds in one sketch sentence, as (rule id, message) pairs.

    ``previous_texts`` are the body sentences before it, in order (a "this X" may point
    back to the last ``RECENT`` of them, a "they" to the last one); ``evidence_texts`` the
    transcript words it rests on (its evidence spans; none: the rules that compare with
    the transcript stay silent); ``before`` and ``after`` the words of the evidence's turn
    just before and after the span (for what a pronoun stood for, and for a "but …" the
    span leaves out); ``paragraph_start`` whether it opens a paragraph (a "That is …"
    then has no sentence to take up); ``names`` the participants' names. Pure: the cached
    parser and nothing else.
    """
    item = EditorItem(text, previous_texts, evidence_texts, before, after, paragraph_start)
    return editor_problems_many([item], names)[0]


def editor_problems_many(
    items: Sequence[EditorItem], names: Sequence[str] = ()
) -> list[list[tuple[str, str]]]:
    """:func:`editor_problems` for many sentences, parsed in one batch (the gate's way: one call per draft)."""
    name_words = frozenset(w for n in names for w in _WORD_RE.findall(n))
    texts: list[str] = []
    for item in items:
        texts.append(item.text.strip())
        texts.extend(e for e in item.evidence_texts if e.strip())
        if _mentions_they(item.text):  # what a "they" stands for: the sentence before
            texts.extend(item.previous_texts[-1:])
        if _reads_before(item):  # ... the turn before; whose words they are
            texts.append(_tail(item.before))
    wanted = [t for t in texts if t]
    docs = dict(zip(wanted, syntax.parse_many(wanted, lemmas=False), strict=True))
    out = []
    for item in items:
        text = item.text.strip()
        if not text:
            out.append([])
            continue
        they = _mentions_they(text)
        parsed = _Parsed(
            text,
            docs[text],
            list(item.previous_texts),
            [docs[p] for p in item.previous_texts[-1:]] if they else [],
            [docs[e] for e in item.evidence_texts if e.strip()],
            docs[_tail(item.before)] if _reads_before(item) else None,
            item.after,
            name_words,
            item.paragraph_start,
        )
        out.append(_problems(parsed))
    return out


def last_sentence(text: str, chars: int = 240) -> str:
    """The last sentence of ``text`` (at most its last ``chars`` characters): what the draft
    engine's gate gives as ``before`` (:func:`_tail` keeps the last sentences of 400 characters;
    one sentence is what a pronoun of the span needs, and parses are the gate's cost)."""
    tail = text[-chars:].rstrip()
    cut = max(
        tail.rfind(". ", 0, len(tail) - 1),
        tail.rfind("? ", 0, len(tail) - 1),
        tail.rfind("! ", 0, len(tail) - 1),
    )
    return tail[cut + 2 :] if cut >= 0 else tail


#: The forms of ``_QUOTING_VERBS``: a turn before the span without one quotes no one.
_QUOTING_FORMS = re.compile(
    r"\b(?:say|says|said|saying|tell|tells|told|telling|write|writes|wrote|written|writing|"
    r"quote|quotes|quoted|quoting|put|puts|putting|state|states|stated|stating|claim|claims|claimed|claiming)\b",
    re.I,
)


def _reads_before(item: EditorItem) -> bool:
    """Whether the rules need the parse of the turn before the span: for what a "they" stands
    for, or for a verb that may quote someone (parses are the cost of these rules)."""
    if not (item.before.strip() and item.evidence_texts):
        return False
    return _mentions_they(item.text) or bool(_QUOTING_FORMS.search(_tail(item.before)))


def _mentions_they(text: str) -> bool:
    return any(w in _THEY for w in _words(text))


def _tail(before: str, chars: int = 400) -> str:
    """The last sentences of the turn before a span (at most ``chars`` characters)."""
    text = before.strip()
    if len(text) <= chars:
        return text
    cut = text[-chars:]
    m = re.search(r"[.?!]\s+", cut)
    return cut[m.end() :] if m else cut


def _problems(p: _Parsed) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for check in (_verbatim, _fragment, _referent, _meaning, _question_order):
        found = check(p)
        if found:
            out.append(found)
    return out


def _question_order(p: _Parsed) -> tuple[str, str] | None:
    inverted = inverted_question(p.doc)
    return (
        ("editor.question-order", f"{inverted}: the reported question keeps the spoken question's order")
        if inverted
        else None
    )


# ---------------------------------------------------------------- verbatim


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD_RE.findall(text)]


def copied_share(text: str, evidence: Sequence[str]) -> float:
    """The share of the sentence's words that lie in a word trigram of its evidence."""
    words = _words(text)
    grams = set()
    for e in evidence:
        ew = _words(e)
        grams |= set(zip(ew, ew[1:], ew[2:], strict=False))
    covered = [False] * len(words)
    for i in range(len(words) - 2):
        if tuple(words[i : i + 3]) in grams:
            covered[i] = covered[i + 1] = covered[i + 2] = True
    return sum(covered) / len(words) if words else 0.0


def _verbatim(p: _Parsed) -> tuple[str, str] | None:
    for m in _QUOTE_RE.finditer(p.text):
        n = word_count(m.group(1))
        if n >= QUOTATION_WORDS:
            return ("editor.verbatim", f"a direct quotation of {n} words stands in for the report")
        quoted = _words(m.group(1))
        person = next((w for w in quoted if w in _SPEAKING_PERSONS), None)
        if person and n >= 4:
            return (
                "editor.verbatim",
                f"the speaker's own sentence quoted ('{person}' and all): report it in the third person",
            )
    unquoted = _unquoted_tokens(p.doc)
    for tok in p.doc:
        if tok.lower_ in _SPEECH_MARKERS and tok.i in unquoted and tok.text.islower():
            return ("editor.verbatim", f"'{tok.text}' belongs to the spoken words, not to reported speech")
    if not p.evidence:
        return None
    n = word_count(p.text)
    if n < VERBATIM_SHORT_WORDS:
        return None
    share = copied_share(p.text, [e.text for e in p.evidence])
    if (n >= VERBATIM_MIN_WORDS and share >= VERBATIM_LONG) or share >= VERBATIM_STRICT:
        return ("editor.verbatim", f"{n} words, {share:.0%} of them the transcript's own")
    return None


def _lengthy(text: str, evidence: Sequence[str]) -> str | None:
    """``editor.lengthy``: a long sentence at least half of whose words lie in runs of
    ``LENGTHY_RUN`` words or more of its evidence (``LENGTHY_WORDS``, ``LENGTHY_SHARE``): the turn
    trimmed rather than condensed. A hand-written sentence that sums up whole turns shares
    their trigrams ("the Welsh Government", "in the next") but not such runs. ``check``'s only:
    not in :func:`editor_problems`, whose ``editor.verbatim`` the draft engine's acceptability
    model reads as it was fitted."""
    if not evidence:
        return None
    n = word_count(text)
    if n < LENGTHY_WORDS:
        return None
    share = _run_share(text, evidence, LENGTHY_RUN)
    if share < LENGTHY_SHARE:
        return None
    return (
        f"{n} words, {share:.0%} of them in runs of {LENGTHY_RUN} or more of the transcript's words: "
        "the turn trimmed, not condensed"
    )


_WH_TAGS = frozenset({"WDT", "WP", "WRB", "WP$"})
_ASKING_VERBS = frozenset({"ask", "wonder", "inquire", "enquire", "query"})


def inverted_question(doc: Doc) -> str | None:
    """``editor.question-order``: a reported wh-question in the spoken question's order ("asked
    what has been X's role", "what work has X done", "what clarity is there", "to what extent
    are decisions being made"): the auxiliary or "be" comes before the subject. The words, quoted."""
    for verb in doc:
        if verb.pos_ != "VERB" or syntax.lemma(verb).lower() not in _ASKING_VERBS:
            continue
        for clause in [c for c in verb.children] + [
            g for c in verb.children if c.dep_ == "prep" for g in c.children
        ]:
            if clause.i < verb.i or not (
                clause.dep_ == "ccomp"
                or (clause.dep_ in {"advcl", "pcomp"} and clause.pos_ in {"VERB", "AUX"})
            ):
                continue
            wh = next((t for t in doc[verb.i + 1 : clause.i] if t.tag_ in _WH_TAGS), None)
            if wh is None or wh.lower_ in {"whether", "if"} or wh.i > verb.i + 5:
                continue
            if any(
                t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"}
                for t in doc[wh.i + 1 : clause.i]
            ):
                continue  # another clause between the wh-word and this one
            nxt = doc[clause.i + 1] if clause.i + 1 < len(doc) else None
            if syntax.lemma(clause) == "be" and nxt is not None and nxt.lower_ == "there":
                return f"'{doc[wh.i : nxt.i + 1].text}'"  # "what clarity is there"
            subject = next((t for t in clause.children if t.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
            if subject is None or subject.i < wh.i or wh in subject.subtree:
                # the wh-phrase is the subject: "what has been the role", "what extent are decisions"
                attr = next(
                    (
                        t
                        for t in clause.children
                        if t.dep_ == "attr"
                        and t.pos_ in {"NOUN", "PROPN"}
                        and t.i > clause.i
                        and wh not in t.subtree
                    ),
                    None,
                )
                if attr is not None and syntax.lemma(clause) == "be":
                    return f"'{doc[wh.i : attr.i + 1].text}'"
                if (
                    syntax.lemma(clause) == "be"
                    and subject is not None
                    and subject.i == wh.i
                    and nxt is not None
                    and nxt.pos_ in {"DET", "NOUN", "PROPN"}
                ):
                    return f"'{doc[wh.i : nxt.i + 1].text} …'"  # "what has been the board's role"
                continue
            finite = [t for t in clause.children if t.dep_ in {"aux", "auxpass"}]
            if clause.pos_ == "AUX":
                finite.append(clause)
            if any(wh.i < t.i < subject.i for t in finite):
                return f"'{doc[wh.i : subject.i + 1].text}'"  # "what work has Blaney"
    return None


def _run_share(text: str, evidence: Sequence[str], k: int) -> float:
    """The share of the sentence's words that lie in a run of ``k`` words of its evidence."""
    words = _words(text)
    grams: set[tuple[str, ...]] = set()
    for e in evidence:
        ew = _words(e)
        grams |= {tuple(ew[i : i + k]) for i in range(len(ew) - k + 1)}
    covered = [False] * len(words)
    for i in range(len(words) - k + 1):
        if tuple(words[i : i + k]) in grams:
            covered[i : i + k] = [True] * k
    return sum(covered) / len(words) if words else 0.0


# ---------------------------------------------------------------- fragments


def _fragment(p: _Parsed) -> tuple[str, str] | None:
    doc = p.doc
    m = _MARKUP_RE.search(p.text)
    if m:
        return ("editor.fragment", f"transcription mark '{m.group(0)}' left in")
    m = _INLINE_LABEL_RE.search(p.text)
    if m:  # crosstalk the transcript wrote into the turn: "… provisions Mr. Earl Dreeshen: Madam Chair …"
        return ("editor.fragment", f"a speaker's label '{m.group(0)}' inside the sentence")
    for tok in doc:
        low = tok.lower_
        if low in _FILLED_PAUSES:
            return ("editor.fragment", f"the filled pause '{tok.text}' left in")
        if (
            tok.is_alpha
            and len(tok) <= 2
            and tok.text.islower()
            and low not in SHORT_WORDS
            and tok.whitespace_
        ):
            # a word begun and abandoned: "without th further ado", "what f what else" (in a
            # quotation too: a garbled quotation is no better than a garbled report)
            return ("editor.fragment", f"a word broken off: '{tok.text}'")
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if (
            nxt is not None
            and tok.is_alpha
            and nxt.is_alpha
            and len(tok) < len(nxt)
            and nxt.lower_.startswith(low)
            and tok.whitespace_
            and (
                (len(tok) == 1 and low not in _ONE_LETTER and not tok.text.isupper())
                or (len(tok) >= 3 and not tok.is_stop and tok.dep_ not in _MODIFIER_DEPS)
            )
        ):
            # a speaker's restart: the word begun, then said whole ("man manipulate", "Everyth everything")
            return ("editor.fragment", f"a word broken off: '{tok.text} {nxt.text}'")
        if (
            low in _ACCUSATIVE
            and tok.dep_ in {"nsubj", "nsubjpass"}
            and tok.text.islower()
            and (
                tok.head.tag_ in {"VBZ", "VBP", "VBD"}
                or any(c.lower_ == "that" and c.dep_ == "mark" for c in tok.head.children)
            )
        ):
            return ("editor.fragment", f"'{tok.text} {tok.head.text}': an object pronoun as the subject")
    for sent in doc.sents:
        found = _cut_off(sent)
        if found:
            return ("editor.fragment", found)
    return None


def _unquoted_tokens(doc: Doc) -> set[int]:
    inside = False
    out = set()
    for tok in doc:
        if tok.text in {"“", "”", '"'}:
            inside = tok.text == "“" or (tok.text == '"' and not inside)
            continue
        if not inside:
            out.add(tok.i)
    return out


def _reports(verb: Token) -> bool:
    """Whether a verb reports speech or thought (said, replied, noted, believes …: ``data/words``)."""
    from sessionsketch.checks.style import _is_reporting

    return _is_reporting(verb)


def _stranded(prep: Token) -> bool:
    """Whether a preposition without an object is stranded by the grammar, not cut off.

    Its object may have moved: into a relative or wh-clause ("what they asked for", "the
    hubs that children go to"), into the subject of a passive ("needs are catered for") or
    out of an infinitive ("nothing to worry about").
    """
    head = prep.head
    if head.dep_ in {"relcl", "acl"}:
        return True
    if any(c.dep_ in {"auxpass", "nsubjpass"} for c in head.children):
        return True
    if head.dep_ == "xcomp" and head.head.pos_ in {"NOUN", "PRON", "ADJ"}:
        return True
    for t in head.subtree:
        if t.i >= prep.i:
            break
        if t.tag_ in {"WDT", "WP", "WRB"} or (t.lower_ == "that" and t.dep_ in {"dobj", "pobj", "nsubj"}):
            return True
    return False


def _cut_off(sent: Span) -> str | None:
    """A clause the parse shows cut off: a dependent missing where the grammar needs one."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if not words:
        return None
    last = words[-1]
    if last.pos_ in {"DET", "CCONJ", "SCONJ"} and last.dep_ not in {"advmod", "npadvmod"}:
        return f"the sentence ends on '{last.text}': the clause is cut off"
    for tok in sent:
        if (
            tok.lower_ == "that"
            and tok.tag_ == "IN"
            and tok.dep_ in {"mark", "dobj"}
            and tok.head.pos_ == "VERB"
            and _reports(tok.head)
        ):
            verb = tok.head  # "replied that if that was rolled out …": the clause after "that" never comes
            if not any(c.dep_ in {"ccomp", "xcomp", "parataxis"} for c in verb.children) and any(
                c.dep_ == "advcl" and c.i > tok.i for c in verb.children
            ):
                return f"'{verb.text} that …' holds only a subordinate clause: what was said is cut off"
        if (
            tok.tag_ in {"WDT", "WP"}
            and tok.dep_ in {"nsubj", "nsubjpass"}
            and tok.head.dep_ not in {"relcl", "acl", "ccomp", "csubj", "advcl", "pcomp", "xcomp"}
            and not sent.text.rstrip().endswith("?")
            and tok.i > sent.start
        ):
            return f"'{tok.text} {tok.head.text}': a relative clause with nothing to attach to"
        if tok.dep_ == "prep" and tok.pos_ == "ADP" and not list(tok.children) and not _stranded(tok):
            nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
            if nxt is None or (nxt.is_punct and nxt.text in {",", ".", ";", ":"}):
                return f"'{tok.text}' has no object: the clause is cut off"
        if (
            tok.pos_ == "VERB"
            and syntax.lemma(tok) in {"say", "tell"}
            and tok.dep_ in {"relcl", "conj", "advcl", "ccomp"}
            and not any(
                c.dep_ in {"ccomp", "dobj", "xcomp", "parataxis", "advcl", "dative", "nsubj"}
                for c in tok.children
            )
        ):
            return f"'{tok.text}' says nothing: what was said is cut off"
    return None


# ---------------------------------------------------------------- referents


_TIME_NOUNS = frozenset(
    {
        "year",
        "week",
        "month",
        "day",
        "time",
        "morning",
        "afternoon",
        "evening",
        "point",
        "stage",
        "moment",
        "session",
        "meeting",
        "country",
        "way",
        "kind",
        "sort",
        "regard",
        "respect",
        "end",
        "reason",
        "case",
        "summer",
        "winter",
        "spring",
        "autumn",
        "term",
        "weekend",
        "century",
        "decade",
        "period",
        "quarter",
    }
)


def _lemmas(docs: Sequence[Doc]) -> set[str]:
    return {syntax.lemma(t).lower() for d in docs for t in d if t.pos_ in {"NOUN", "PROPN", "VERB"}}


#: The referent rule's finding for a demonstrative with nothing to point to ("'these children':
#: no children in …"): the determiner and the noun, for a caller that would say "the children".
POINTING_FINDING = re.compile(r"^'(this|that|these|those|This|That|These|Those) ([\w-]+)': no ")


def _referent(p: _Parsed) -> tuple[str, str] | None:
    doc = p.doc
    unquoted = _unquoted_tokens(doc)
    earlier_words = {w for t in p.previous[-RECENT:] for w in _words(t)}
    for tok in doc:
        if tok.i not in unquoted:
            continue
        low = tok.lower_
        if low not in _DEMONSTRATIVES and low not in _ORDINALS and low not in {"here", "there"}:
            continue
        before = {syntax.lemma(t).lower() for t in doc[: tok.i]} | {t.lower_ for t in doc[: tok.i]}
        if low in _DEMONSTRATIVES and tok.dep_ == "det" and tok.head.pos_ in {"NOUN", "PROPN"}:
            noun = tok.head
            lemma = syntax.lemma(noun).lower()
            if lemma in _TIME_NOUNS or noun.lower_ in _TIME_NOUNS:
                continue
            if not p.paragraph_start and _opening_adjunct(noun):
                continue  # "In this sense, …": the sentence before, taken as a whole
            forms = {lemma, noun.lower_}
            if forms & earlier_words or forms & before or _stem(lemma) in {_stem(w) for w in earlier_words}:
                continue
            if _takes_up_clause(noun):
                continue  # "rates doubled, and households cannot carry that burden"
            return (
                "editor.referent",
                f"'{tok.text} {noun.text}': no {noun.text} in this sentence or the {RECENT} before it "
                "for it to point to",
            )
        if low in _DEMONSTRATIVES and tok.tag_ == "DT" and tok.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"}:
            # a demonstrative pronoun: as the subject after a sentence of the same paragraph it takes
            # up that sentence ("That is where the negotiations begin"); as an object, or opening a
            # paragraph, it points at something in the spoken exchange the sketch does not give
            if tok.dep_.startswith("nsubj") and not p.paragraph_start and p.previous:
                continue
            if any(c.dep_ in {"prep", "relcl", "acl"} for c in tok.children):
                continue  # "those for children", "those who …": a noun of the sentence, or anyone
            if low in {"these", "those"} and (
                _plural_in(doc[: tok.i])
                or (p.previous and _plural_in(syntax.parse(p.previous[-1], lemmas=False)))
            ):
                continue  # "some of those": the plural just named
            return ("editor.referent", f"'{tok.text}' points back to nothing the sketch has said")
        if low in {"here", "there"} and tok.dep_ == "advmod" and tok.text.islower():
            # a place in the room: "in there", "arrangements are in place there", "here is an image"
            place = any(t.pos_ == "PROPN" for t in doc[: tok.i]) or any(
                w[:1].isupper() for t in p.previous[-1:] for w in t.split()[1:]
            )
            if not place:
                return ("editor.referent", f"'{tok.text}': which place? The sketch names none")
        if low in _ORDINALS and tok.i > 0 and doc[tok.i - 1].lower_ == "the" and not tok.text[:1].isupper():
            head = tok.head if tok.dep_ == "amod" else tok
            noun_low = syntax.lemma(head).lower() if head is not tok else ""
            if (
                noun_low and (noun_low in earlier_words or noun_low in before)
            ) or "first" in before | earlier_words:
                continue
            return ("editor.referent", f"'the {tok.text}' of what? Nothing before it in the sketch")
    return _they(p, unquoted) or _generic_we(p)


def _takes_up_clause(noun: Token) -> bool:
    """Whether "that X" sits in a clause joined to an earlier clause of the same sentence that
    says something ("Water rates have doubled, and households cannot carry that burden"): the
    demonstrative takes up what that clause said, not something outside the sentence."""
    clause = next((a for a in noun.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    if clause is None or clause.dep_ != "conj" or clause.head.i >= noun.i:
        return False
    first = clause.head
    return first.pos_ in {"VERB", "AUX"} and not (first.dep_ == "ROOT" and _reports(first))


def _plural_in(tokens: Doc | Span) -> bool:
    return any(t.tag_ in {"NNS", "NNPS"} for t in tokens)


def _opening_adjunct(noun: Token) -> bool:
    """Whether a noun is the object of a preposition that opens the sentence ("In this sense, …")."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep":
        return False
    first = _first_word(noun.doc)
    return first is not None and first.i == prep.i


def _stem(word: str) -> str:
    return word[:5]


def _first_word(doc: Doc) -> Token | None:
    return next((t for t in doc if not t.is_punct), None)


def _they(p: _Parsed, unquoted: set[int]) -> tuple[str, str] | None:
    """A "they/them/their" the transcript used for something the sketch does not say before it."""
    if not p.evidence:
        return None
    doc = p.doc
    for tok in doc:
        if tok.lower_ not in _THEY or tok.i not in unquoted:
            continue
        meant = _antecedent_in_evidence(p, tok)
        if meant is None:
            continue
        lemma = syntax.lemma(meant).lower()
        here = {syntax.lemma(t).lower() for t in doc[: tok.i]}
        here |= {syntax.lemma(t).lower() for d in p.previous_docs for t in d}
        if lemma in here or meant.lower_ in here:
            continue
        return (
            "editor.referent",
            f"'{tok.text}' stood for the {_phrase(meant)} in the transcript, which the sketch does not name",
        )
    return None


def _phrase(noun: Token) -> str:
    mods = [c for c in noun.lefts if c.dep_ in {"amod", "compound"}]
    return " ".join([m.text for m in mods] + [noun.text])


def _antecedent_in_evidence(p: _Parsed, tok: Token) -> Token | None:
    """The plural noun nearest before the matching pronoun of the evidence (or the turn before it)."""
    doc = tok.doc
    neighbours = {doc[i].lower_ for i in (tok.i - 1, tok.i + 1) if 0 <= i < len(doc) and not doc[i].is_punct}
    for ev in p.evidence:
        for cand in ev:
            if cand.lower_ != tok.lower_:
                continue
            around = {ev[i].lower_ for i in (cand.i - 1, cand.i + 1) if 0 <= i < len(ev)}
            if not neighbours & around:
                continue  # another "them" of the turn
            noun = _nearest_plural(list(ev[: cand.i]))
            if noun is None and p.before is not None:
                noun = _nearest_plural(list(p.before))
            return noun
    return None


def _nearest_plural(tokens: list[Token]) -> Token | None:
    """The plural a "they" after ``tokens`` most likely stands for.

    Sentence by sentence backwards: a plural subject first (the subject is what a
    following pronoun takes up), else the nearest plural noun; a first- or second-person
    pronoun in between ends the search (the speaker's "we" came between).
    """
    if not tokens:
        return None
    sentences: dict[int, list[Token]] = {}
    for t in tokens:
        sentences.setdefault(t.sent.start, []).append(t)
    for start in sorted(sentences, reverse=True):
        words = sentences[start]
        plurals = [t for t in words if t.tag_ in {"NNS", "NNPS"} and t.dep_ not in {"compound", "npadvmod"}]
        subjects = [t for t in plurals if t.dep_ in {"nsubj", "nsubjpass"}]
        if subjects:
            return subjects[-1]
        for t in reversed(words):
            if t in plurals:
                return t
            if t.lower_ in {"we", "i", "you"}:
                return None
    return None


#: Verbs whose "we" is anyone who looks (the generic "we": "if we look at the data we see …").
_GENERIC_WE_VERBS = frozenset(
    {"look", "see", "find", "notice", "compare", "consider", "think", "know", "hear"}
)


def _generic_we(p: _Parsed) -> tuple[str, str] | None:
    """An institution in the sketch where the evidence says a generic "we" ("if we look at …")."""
    if not p.evidence:
        return None
    generic = set()
    for ev in p.evidence:
        for t in ev:
            if t.pos_ != "VERB" or syntax.lemma(t) not in _GENERIC_WE_VERBS:
                continue
            subj = syntax.subject_of(t)
            if subj is not None and subj.lower_ == "we":
                in_condition = any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in t.children)
                if in_condition or t.dep_ == "advcl":
                    generic.add(syntax.lemma(t))
    if not generic:
        return None
    for t in p.doc:
        if t.pos_ != "VERB" or syntax.lemma(t) not in generic:
            continue
        subj = syntax.subject_of(t)
        if subj is None or subj.pos_ not in {"NOUN", "PROPN"} or subj.text in p.names:
            continue
        return (
            "editor.referent",
            f"'{_phrase(subj)} {t.text}': the transcript's 'we' here is anyone looking, not an institution",
        )
    return None


# ---------------------------------------------------------------- meaning


def _negated(verb: Token) -> bool:
    """Whether a verb is negated, or a verb it complements ("not able to give", "never wanted to")."""
    node = verb
    while True:
        if _negated_here(node):
            return True
        if node.dep_ not in {"xcomp", "acomp"} or node.head.i == node.i:
            return False
        node = node.head


def _negated_anywhere(verb: Token) -> bool:
    """Whether a verb or any clause above it is negated ("I'm not in a position to give …")."""
    return _negated_here(verb) or any(_negated_here(a) for a in _ancestors(verb))


def _negated_here(verb: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in _NEGATIONS for c in verb.children):
        return True
    for c in verb.children:  # "no reason", "nothing"
        if c.dep_ in {"dobj", "attr", "nsubj"} and (
            c.lower_ in _NEGATIONS or any(d.lower_ == "no" and d.dep_ == "det" for d in c.children)
        ):
            return True
    return False


def _content_verbs(doc: Doc) -> list[Token]:
    return [t for t in doc if t.pos_ in {"VERB", "AUX"} and t.dep_ != "aux" and t.dep_ != "auxpass"]


def _clause_lemmas(verb: Token) -> set[str]:
    """The lemmas of a verb's own content words (subject, objects, complements) — what identifies the clause."""
    out = set()
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "acomp", "prep", "xcomp", "oprd", "pobj"}:
            for t in c.subtree:
                if t.pos_ in {"NOUN", "PROPN", "ADJ", "VERB", "NUM"}:
                    out.add(syntax.lemma(t).lower())
    return out


def _aligned(doc: Doc, evidence: Sequence[Doc]) -> Iterator[tuple[Token, Token]]:
    """Pairs (sentence verb, evidence verb) with the same lemma and a content word in common."""
    for v in _content_verbs(doc):
        lemma = syntax.lemma(v).lower()
        if lemma in {"be", "have", "do", "say", "note", "add", "explain", "argue", "believe", "think"}:
            continue
        own = _clause_lemmas(v)
        best = None
        best_shared = 0
        for ev in evidence:
            for w in _content_verbs(ev):
                if syntax.lemma(w).lower() != lemma:
                    continue
                shared = len(own & _clause_lemmas(w))
                if shared > best_shared:
                    best, best_shared = w, shared
        if best is not None:
            yield v, best


def _ancestors(tok: Token) -> Iterator[Token]:
    node = tok
    while node.head.i != node.i:
        node = node.head
        yield node


def _conditional(verb: Token) -> str | None:
    """ "would"/"could"/"might", or an "if"/"unless" clause, on a verb or a clause above it."""
    for node in (verb, *_ancestors(verb)):
        if node.dep_ in {"ROOT"} and node is not verb:
            break
        for c in node.children:
            if c.dep_ == "aux" and c.lower_ in _HYPOTHETICAL:
                return c.text
            if c.dep_ == "mark" and c.lower_ in _CONDITIONS:
                return c.text
        if node.dep_ in {"ccomp", "relcl"}:
            break
    return None


def _past_belief(verb: Token) -> str | None:
    """The "I thought" or "I used to" a verb stands under."""
    if any(c.lower_ == "used" for c in verb.children) or (
        verb.lower_ == "used" and any(c.dep_ == "xcomp" for c in verb.children)
    ):
        return "used to"
    node = verb.head
    if verb.dep_ == "ccomp" and node.tag_ == "VBD" and syntax.lemma(node) in _BELIEF:
        subj = syntax.subject_of(node)
        if subj is not None and subj.lower_ in {"i", "we"}:
            return f"{subj.text} {node.text}"
    return None


_BELIEF = frozenset({"think", "believe", "assume", "imagine", "suppose", "expect"})


def _under_report_of_belief(verb: Token) -> bool:
    for node in _ancestors(verb):
        if syntax.lemma(node) in {"think", "believe", "assume", "imagine", "suppose", "expect", "use"}:
            return True
        if node.lower_ in {"once", "previously", "formerly"}:
            return True
    return any(c.lower_ in {"once", "previously", "formerly", "used"} for c in verb.children)


def _meaning(p: _Parsed) -> tuple[str, str] | None:
    if not p.evidence:
        return None
    doc = p.doc
    asked = _is_asking(doc)
    if not asked and all(_is_question_text(e.text) for e in p.evidence):
        return ("editor.meaning", "the turn asks this as a question; the sentence reports it as a claim")
    for v, w in _aligned(doc, p.evidence):
        lost = _negated(w) and not _negated_anywhere(v)
        added = _negated(v) and not _negated_anywhere(w)
        if lost or added:
            how = "lost" if lost else "added"
            return (
                "editor.meaning",
                f"negation {how}: the turn says '{_clause(w)}', the sentence '{_clause(v)}'",
            )
        cond = _conditional(w)
        if cond and not _conditional(v) and not asked:
            return (
                "editor.meaning",
                f"a hypothetical reported as fact: the turn has '{cond}' on '{_clause(w)}'",
            )
        belief = _past_belief(w)
        if belief and not _under_report_of_belief(v):
            return ("editor.meaning", f"a past belief ('{belief}') reported as fact: '{_clause(w)}'")
    quoted = _quoting(p.before) if p.before is not None else None
    if quoted and not asked:
        return (
            "editor.meaning",
            f"the turn quotes someone else ('{quoted}'): the words are not the speaker's view",
        )
    if not asked and p.after:
        cut = _qualification(p.after)
        if cut:
            return ("editor.qualification", f"the turn goes on '{cut}': the qualification is dropped")
    return None


#: Verbs that introduce someone's words; a quotation by another than the speaker follows.
_QUOTING_VERBS = frozenset({"say", "tell", "write", "quote", "put", "state", "claim"})


def _quoting(before: Doc) -> str | None:
    """The frame ("Tim McMillan … said,", "they've said, '…") the span's words are quoted under.

    Read in the turn's last two sentences before the span: a verb of saying whose subject
    is not the speaker ("I", "we") and which has no clause of its own before the span (what
    it introduces is the span), or "let me quote …".
    """
    sents = list(before.sents)[-2:]
    if not sents:
        return None
    for sent in reversed(sents):
        for tok in reversed(list(sent)):
            if tok.pos_ != "VERB" or syntax.lemma(tok).lower() not in _QUOTING_VERBS:
                continue
            subj = syntax.subject_of(tok)
            lemma = syntax.lemma(tok).lower()
            if lemma == "quote" and subj is not None and subj.lower_ in {"me", "i", "we", "us"}:
                return _frame(tok)
            if subj is None or subj.lower_ in {"i", "we", "you"}:
                continue
            if lemma == "say" and subj.lower_ in {"it", "that", "this", "which"}:
                continue
            if lemma == "put" and not any(c.lower_ == "it" for c in tok.children):
                continue  # "as X put it", not "X have put in place"
            rest = before.text[tok.idx + len(tok) :]
            if re.match(r"^\s*,?\s*[“‘'\"]", rest) and not re.search(
                r"[”’'\"](?:\s|$)", rest.lstrip(" ,“‘'\"")
            ):
                return _frame(tok)  # an open quotation runs on into the span
            said = [c for c in tok.children if c.dep_ in {"ccomp", "dobj", "xcomp"} and c.i > tok.i]
            if said and sent is sents[-1] and any(not t.is_punct for t in said[0].subtree):
                continue  # it said something of its own before the span
            return _frame(tok)
    return None


def _frame(verb: Token) -> str:
    subj = syntax.subject_of(verb)
    words = verb.doc[subj.left_edge.i if subj is not None else verb.i : verb.i + 1].text
    return " ".join(words.split()[-8:])


def _qualification(after: str) -> str | None:
    """The "but …" with which the speaker's own sentence goes on after the span."""
    head = after.lstrip()
    end = re.search(r"[.?!](?:\s|$)", head)
    rest = head[: end.start()] if end else head
    m = re.search(r"(?:^|[,;:–—-]\s*)(but|although|though|except|however|whereas)\b", rest, re.IGNORECASE)
    if not m:
        return None
    words = rest[m.start(1) :].split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")


def _clause(verb: Token) -> str:
    words = [t for t in verb.subtree]
    lo = min(t.i for t in words)
    hi = max(t.i for t in words)
    span = verb.doc[lo : hi + 1].text
    span = " ".join(span.split())
    return span if len(span) <= 90 else span[:89].rstrip() + "…"


def _is_asking(doc: Doc) -> bool:
    """Whether the sentence reports a question ("asked whether …", "Asked by …", "wondered")."""
    for t in doc:
        if t.pos_ in {"VERB"} and syntax.lemma(t).lower() in _ASKING:
            return True
        if t.lower_ in {"whether", "question"}:
            return True
    return doc.text.rstrip(" \"'”’)").endswith("?")


def _is_question_text(text: str) -> bool:
    return text.rstrip(" \"'”’)").endswith("?")


# ---------------------------------------------------------------- replies


def reply_problem(
    transcript: Transcript, question_turns: Sequence[int], reply_turns: Sequence[int], answerer: str | None
) -> str | None:
    """Why the turns ``reply_turns`` (the answerer's) do not answer the question of ``question_turns``.

    None when they do: the reply's first turn comes after the question's last, and no
    one other than the answerer put another question in between. Otherwise one line
    naming the turn to look at.
    """
    clash = _reply_clash(transcript, question_turns, reply_turns, answerer)
    return clash.why if clash else None


@dataclass(frozen=True)
class _Clash:
    """Why a reply does not answer a question: ``why`` names the turns; ``later`` is the turn
    of the later question it answers (None: the reply comes before the question), ``again``
    whether the same member asked it, ``question`` the question's last turn."""

    why: str
    question: int
    later: int | None = None
    again: bool = False


def _reply_clash(
    transcript: Transcript, question_turns: Sequence[int], reply_turns: Sequence[int], answerer: str | None
) -> _Clash | None:
    if not question_turns or not reply_turns:
        return None
    by_index = {t.index: t for t in transcript.turns}
    q = max(question_turns)
    r = min(reply_turns)
    if r < q:
        return _Clash(f"the answer (turn {r}) comes before the question (turn {q})", q)
    asker = by_index[q].speaker_name if q in by_index else None
    for i in range(r - 1, q, -1):
        turn = by_index.get(i)
        if turn is None or turn.speaker_name in (None, answerer) or not _asks(turn.text):
            continue
        who = turn.speaker_name or turn.label
        if who == asker and _same_question(turn.text, by_index[q].text if q in by_index else ""):
            return None  # the asker pressing the same question
        again = " again" if who == asker else ""
        return _Clash(
            f"turn {r} answers the question {who} asked{again} at turn {i}, not the one at turn {q}",
            q,
            i,
            who == asker,
        )
    return None


def _asks(text: str) -> bool:
    """Whether a turn puts a question: a sentence of it ends with a question mark."""
    return "?" in text


def _content(text: str) -> set[str]:
    """The words of ``text`` that are not stop words (spaCy's English list), folded."""
    syntax.import_spacy()
    from spacy.lang.en.stop_words import STOP_WORDS

    return {w for w in _words(text) if len(w) > 2 and w not in STOP_WORDS}


def _same_question(later: str, first: str) -> bool:
    """Whether a follow-up question presses the first again (its question's words are the first's).

    The last sentence ending with "?" of ``later`` is its question; with no content word
    of its own ("Will he do that?") it points back at the first.
    """
    asked = [s for s in re.split(r"(?<=[.?!])\s+", later) if s.rstrip(" \"'”’)").endswith("?")]
    words = _content(asked[-1] if asked else later)
    if not words:
        return True
    return len(words & _content(first)) / len(words) >= 0.5


# ---------------------------------------------------------------- the registered rule


def _names(ctx: Context) -> list[str]:
    out: list[str] = []
    for p in ctx.people:
        out.append(p.name)
        out.extend(a for a in p.aliases if a)
    return out


def _evidence(ctx: Context) -> dict[tuple[int, int], tuple[list[str], str, str, list[int]]]:
    """Per body sentence: its evidence texts, the turn words before and after, and its turns."""
    out = {}
    by_index = {t.index: t for t in ctx.transcript.turns} if ctx.transcript is not None else {}
    for i, para in enumerate(ctx.sketch.paragraphs):
        for j, sent in enumerate(para.sentences):
            texts, before, after, turns = [], "", "", []
            for e in sent.evidence:
                turn = by_index.get(e.turn)
                if turn is None:
                    continue
                turns.append(e.turn)
                end = e.end if e.end > e.start else len(turn.text)
                texts.append(turn.text[e.start : end])
                if not before:
                    before = turn.text[: e.start]
                after = turn.text[end:]
            out[(i, j)] = (texts, before, after, turns)
    return out


@rule("editor", attributed_only=True)
def check_editor(ctx: Context) -> Iterator[Finding]:
    """What an editor finds: verbatim lifts, fragments, missing referents, changed meaning, misplaced replies."""
    evidence = _evidence(ctx)
    items = []
    previous: list[str] = []
    for passage in ctx.passages:
        texts, before, after, _ = evidence.get((passage.paragraph, passage.sentence), ([], "", "", []))
        start = passage.sentence == 0
        items.append(EditorItem(passage.text, list(previous), texts, before, after, start))
        previous.append(passage.text)
    results = editor_problems_many(items, _names(ctx))
    for passage, item, found in zip(ctx.passages, items, results, strict=True):
        turns = evidence.get((passage.paragraph, passage.sentence), ([], "", "", []))[3]
        where = f" (turn {', '.join(map(str, turns))})" if turns else ""
        for rule_id, message in found:
            yield Finding(rule_id, "warning", message + where, SUGGESTIONS[rule_id], passage.location)
        if not any(rule_id == "editor.verbatim" for rule_id, _ in found):
            lengthy = _lengthy(item.text, item.evidence_texts)
            if lengthy:
                rule_id = "editor.lengthy"
                yield Finding(rule_id, "warning", lengthy + where, SUGGESTIONS[rule_id], passage.location)
    if ctx.transcript is not None:
        yield from _misplaced_replies(ctx, evidence)
        yield from _dropped_questions(ctx, evidence)


def _exchange(passages: Sequence[Passage], docs: Sequence[Doc], k: int) -> int | None:
    """The question sentence sentence ``k`` reads as answering: the nearest one before it in
    its paragraph, another speaker's, with only sentences of ``k``'s speaker in between; or,
    for a paragraph's first sentence, the last sentence of the paragraph before if that is
    another speaker's question."""
    speaker = passages[k].speaker
    j = k - 1
    while j >= 0 and passages[j].paragraph == passages[k].paragraph:
        if passages[j].speaker == speaker:
            if _is_asking(docs[j]):
                return None
            j -= 1
            continue
        return j if passages[j].speaker is not None and _is_asking(docs[j]) else None
    # a paragraph that opens right after another's closing question reads as its answer too
    # (the editor audits: a reply on the budget under a paragraph ending on a question on mergers)
    if j == k - 1 and j >= 0 and passages[j].speaker not in (None, speaker) and _is_asking(docs[j]):
        return j
    return None


_ASKED_BY_RE = re.compile(r"^\W*(?:When\s+)?[Aa]sked\b")


def _misplaced_replies(
    ctx: Context, evidence: dict[tuple[int, int], tuple[list[str], str, str, list[int]]]
) -> Iterator[Finding]:
    assert ctx.transcript is not None
    by_index = {t.index: t for t in ctx.transcript.turns}
    passages = ctx.passages
    docs = syntax.parse_many([p.text for p in passages], lemmas=False)
    for k, passage in enumerate(passages):
        turns = evidence[(passage.paragraph, passage.sentence)][3]
        if not turns or not passage.speaker:
            continue
        doc = docs[k]
        own = [t for t in turns if by_index[t].speaker_name == passage.speaker]
        others = [t for t in turns if by_index[t].speaker_name not in (None, passage.speaker)]
        question: list[int] = []
        asker = None
        how = ""
        if _ASKED_BY_RE.match(passage.text) and others:
            question, asker, how = others, by_index[others[0]].speaker_name, "'Asked …'"
        elif (j := _exchange(passages, docs, k)) is not None:
            prev = passages[j]
            question = evidence[(prev.paragraph, prev.sentence)][3]
            asker = prev.speaker
            replied = any(
                (t.pos_ == "VERB" and syntax.lemma(t).lower() in _REPLYING)
                or (t.lower_ in {"reply", "response", "answer"} and t.head.lower_ in {"in", "by way of"})
                for t in doc
            )
            how = (
                "'replied'"
                if replied
                else "placed after the question"
                if j == k - 1
                else "in the answer to it"
            )
        if not question or not own or (_is_asking(doc) and not _ASKED_BY_RE.match(passage.text)):
            continue
        clash = _reply_clash(ctx.transcript, question, own, passage.speaker)
        why = clash.why if clash else None
        if (
            clash is not None
            and clash.again
            and how != "'replied'"
            and (
                how != "placed after the question"
                or clash.later is None
                or clash.later - clash.question < FOLLOW_UP_TURNS
            )
        ):
            # an exchange the sketch condenses: the member's follow-up right after the answer
            # (question, answer, follow-up), or an answer the sketch gives in several sentences
            why = None
        if why:
            yield Finding(
                "editor.misplaced-reply",
                "warning",
                f"reads as {passage.speaker}'s answer to {asker} ({how}), but {why}",
                SUGGESTIONS["editor.misplaced-reply"],
                passage.location,
            )


#: A tag question ("…, isn't it?") asks nothing of the witnesses.
_TAG_QUESTION_RE = re.compile(
    r",\s*(?:is|are|was|were|do|does|did|have|has|had|can|could|will|would|should)(?:n['’]t)?"
    r"(?:\s+not)?\s+(?:it|they|we|you|he|she|there|that|i)\s*\?\s*$",
    re.IGNORECASE,
)


def _question_after(after: str) -> str | None:
    """The first real question (not a tag question) in the rest of a turn after a span."""
    for sent in re.split(r"(?<=[.?!])\s+", after.strip()):
        sent = sent.strip()
        if sent.rstrip(" \"'”’)").endswith("?") and not _TAG_QUESTION_RE.search(sent):
            return sent
    return None


def _dropped_questions(
    ctx: Context, evidence: dict[tuple[int, int], tuple[list[str], str, str, list[int]]]
) -> Iterator[Finding]:
    """``editor.question-dropped``: a member's statement reported from a turn that goes on to ask
    a question the sketch does not report (no sentence of the sketch reports a question from
    that turn): the preamble stands as the member's claim and the question is lost."""
    assert ctx.transcript is not None
    by_index = {t.index: t for t in ctx.transcript.turns}
    passages = ctx.passages
    docs = syntax.parse_many([p.text for p in passages], lemmas=False)
    asked_turns = {
        t
        for p, doc in zip(passages, docs, strict=True)
        if _is_asking(doc)
        for t in evidence[(p.paragraph, p.sentence)][3]
    }
    for passage, doc in zip(passages, docs, strict=True):
        _, _, after, turns = evidence[(passage.paragraph, passage.sentence)]
        if not turns or not passage.speaker or _is_asking(doc):
            continue
        last = max(turns)
        turn = by_index.get(last)
        if turn is None or turn.speaker_name != passage.speaker or last in asked_turns:
            continue
        question = _question_after(after)
        if question is None:
            continue
        words = question.split()
        shown = " ".join(words[:12]) + ("…" if len(words) > 12 else "")
        yield Finding(
            "editor.question-dropped",
            "warning",
            f"turn {last} goes on to ask '{shown}': the sketch reports what led up to the question "
            f"as {passage.speaker}'s claim and leaves the question out",
            SUGGESTIONS["editor.question-dropped"],
            passage.location,
        )
