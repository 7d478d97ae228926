"""Who each sentence of a finished sketch reports on.

Rapporteurs name a speaker once ("Marc Knapper said"), then write "he noted", "Knapper
pushed back", "according to Kim", "the minister replied", or nothing at all for several
sentences. The rules, in the order they are tried for each sentence:

- a speaker the file itself records is kept exactly (sketch JSON, HTML ``data-speaker``);
- a participant named as the one reporting after "according to", "said X" or with
  "'s perspective/view" is the reporter;
- otherwise the grammar decides: the subject of the sentence's main verb (from the
  dependency parse, :mod:`sessionsketch.analysis.syntax`) is the reporter when it is a
  participant — by full name, family name, name without middle initial, a close
  misspelling (the ``why`` says "misspelt"), or a role the block gives ("the minister",
  "the chair"). So "Asked by Hefin David when …, Williams could give no date" is
  Williams's, "On examinations, Williams told Janet Finch-Saunders that …" too, and
  "Sian Gwenllian asked whether …" is Sian Gwenllian's: a questioner or an addressee
  named in a sentence is not its speaker. An aside ("…, she said, …") counts as well;
- a pronoun subject, or a plain sentence whose subject is no person ("Her principles
  cover …"), carries the current speaker over, across paragraph and page breaks;
- people talked about (Kim Jong-un, Trump, Moon) never take a sentence away: a name run
  such as "Kim Jong-un" that is not a participant blocks the family name inside it, and a
  participant named as an object ("convince Kim") does not become the subject;
- when unsure — a family name two participants share with neither in play, a role
  several people hold, a reporter the sketch never introduces — the sentence is left
  unattributed and ``why`` says why, rather than given to someone else;
- the opening framing paragraph, before anyone is named, belongs to no participant.

People are the programme's when one is given, else the sketch's block (moderator,
speakers and participants), plus anyone the body introduces as a reporter with a full
name ("Hefin David said …"). Names are found by
:class:`sessionsketch.analysis.mentions.NameFinder`; word lists live in
``data/words/`` (``attribution_verbs``, ``attribution_adverbs``, ``attribution_openers``,
``speech_verbs``, ``role_nouns``, ``family_first_surnames``).

The work per sentence is bounded, so a hostile file stays linear in time and memory: the
parser reads a sentence's first ``PARSED_CHARS`` characters, and the patterns around each
name it mentions read ``_WINDOW`` characters either side.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field

from sessionsketch.analysis import syntax
from sessionsketch.analysis.mentions import Mention, NameFinder
from sessionsketch.analysis.names import HONORIFICS, SUFFIXES, fold, match_name
from sessionsketch.data import phrases, words
from sessionsketch.model import Metadata, Person, PersonRef, Sentence, Sketch

#: ``Sentence.why`` of a sentence whose speaker the file itself records (HTML data-speaker).
MARKED_IN_FILE = "marked in the file (data-speaker)"
#: ``Sentence.why`` of a sentence whose speaker the sketch JSON records.
RECORDED_IN_FILE = "recorded in the sketch JSON"
_KEPT = frozenset({MARKED_IN_FILE, RECORDED_IN_FILE})


def _verb_forms(stem: str) -> set[str]:
    forms = {stem, stem + "s", stem + "es", stem + "ed", stem + "d"}
    if stem.endswith("y"):
        forms |= {stem[:-1] + "ied", stem[:-1] + "ies"}
    return forms


_STEMS = words("attribution_verbs")
_VERB_SET = {f for s in _STEMS for f in _verb_forms(s)}
_VERBS = sorted(_VERB_SET, key=len, reverse=True)
_ADVERBS = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases("attribution_adverbs"))
_OPENERS = words("attribution_openers")
_SPEECH = words("speech_verbs")
_FAMILY_FIRST_SURNAMES = words("family_first_surnames")
#: "minister" → "-" (found in affiliations), "chair" → "chair" (the block's chair or moderator)...
_ROLE_NOUNS = dict(tuple(part.strip() for part in line.split("=", 1)) for line in phrases("role_nouns"))
_TITLE_WORDS = {w for h in HONORIFICS for w in h.split()} | set(_ROLE_NOUNS) | {"finance", "prime", "foreign"}
_PERSONAL = {"he": "he", "she": "she", "they": "they", "him": "he", "her": "she", "them": "they"}

_AFTER_SUBJECT = re.compile(
    r"^(?:['’]s?)?\s*(?:,[^,]{1,80},\s*)?(?:(?:" + _ADVERBS + r")\s+)*(?:" + "|".join(_VERBS) + r")\b",
)
_PERSPECTIVE = re.compile(
    r"^['’]s?\s+(?:own\s+)?(?:perspective|view|views|opinion|assessment|analysis|argument|remarks|"
    r"comments|presentation|words|point of view|position|take|answer|response|estimate)\b",
    re.I,
)
_BEFORE_SUBJECT = re.compile(
    r"(?:according to|in the (?:view|words|opinion|estimation) of|for|as|per)\s+$", re.I
)
#: What puts the reporter after it: "according to Kim", "said Knapper", "For Zhu, ..." (at the start).
_SUBJECT_AFTER = re.compile(
    r"(?:according to|in the (?:view|words|opinion|estimation) of|[”\"’'],?\s*(?:said|noted|added|argued|"
    r"explained|asked|stressed|observed|remarked|warned|continued|replied|responded|countered)|^for)\s+$",
    re.I,
)
#: A sentence that gives someone's view in an aside: its subject is talked about, not reporting.
_VIEW_OF_ANOTHER = re.compile(
    r"\b(?:in|from|by) (?:his|her|their) (?:own )?(?:view|opinion|perspective|estimation|account|telling)\b"
    r"|,\s*(?:he|she|they) (?:said|says|noted|notes|argued|argues|added|adds|believes|thinks|warned|warns)\b",
    re.I,
)
_PRONOUN = re.compile(r"\b(?:he|she|they|his|her|their|him|them)\b", re.I)
_ROLE_RE = re.compile(r"\b(?:the|our)\s+(" + "|".join(map(re.escape, _ROLE_NOUNS)) + r")\b", re.I)

#: How far around a mention the words that make it the subject are looked for. Each mention
#: is read within this window, never the rest of the sentence: a long sentence naming people
#: again and again stays linear. Every pattern read there spans a few dozen characters; only a
#: run of hundreds of spaces inside one could tell the window from the whole sentence.
_WINDOW = 300


#: How much of a sentence the parser reads: the longest of 22,459 sentences in the QMSum
#: committee meetings has 849 characters, the reference sketch's longest 398. The grammar
#: read here (the main clause's subject, an aside) comes first in a rapporteur's sentence;
#: the patterns around names still read all of it. Without a bound one "sentence" of 40 KB
#: (a damaged file, a hostile upload) took 1.3 s and +185 MB of parser memory.
PARSED_CHARS = 2_000


def parsed_part(text: str) -> str:
    """The part of a sentence the parser reads: all of it, or its first ``PARSED_CHARS``
    characters cut at a space."""
    if len(text) <= PARSED_CHARS:
        return text
    cut = text.rfind(" ", 0, PARSED_CHARS)
    return text[: cut if cut > 0 else PARSED_CHARS]


def _after(text: str, m: Mention) -> str:
    """The words right after a mention (``_WINDOW`` characters of them)."""
    return text[m.end : m.end + _WINDOW]


def _comma_before(text: str, at: int) -> bool:
    """Whether the last character before ``at`` that is not a space is a comma.

    ``text[:at].rstrip().endswith(",")`` without copying the text: only the spaces right
    before ``at`` are read, and those before two different names never overlap.
    """
    i = at
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i > 0 and text[i - 1] == ","


# ----------------------------------------------------------------------------- people


def _without_postnominals(person: Person) -> Person:
    """A copy named without ", Jr." / "PhD" (so the family name is Marquand, not Jr.)."""
    name_words = person.name.replace(",", " ").split()
    while len(name_words) > 2 and fold(name_words[-1]) in SUFFIXES:
        name_words.pop()
    q = copy.copy(person)
    q.name = " ".join(name_words)
    if q.name != person.name:
        q.aliases = [*person.aliases, person.name]
    return q


def infer_family_name_first(people: list[Person], text: str) -> list[Person]:
    """Copies of ``people`` with ``family_name_first`` set where the text shows it.

    A person the text calls by the first word of their name alone ("Kim", "Soeya") and
    never by the last is written family name first. Without such evidence, a hyphenated
    last word (Sung-han) or a common East Asian family name in first place decides.
    """
    out = []
    for p in people:
        q = copy.copy(p)
        name_words = [w for w in re.split(r"\s+", p.name) if w and not re.fullmatch(r"[A-Z]\.?", w)]
        if len(name_words) >= 2 and not p.family_name_first:
            first, last = name_words[0], name_words[-1]
            alone_first = _alone_count(first, name_words, text)
            alone_last = _alone_count(last, name_words, text)
            if alone_first > alone_last:
                q.family_name_first = True
            elif alone_first == alone_last == 0:
                q.family_name_first = ("-" in last and len(name_words) == 2) or (
                    len(name_words) == 2 and fold(first) in _FAMILY_FIRST_SURNAMES
                )
        out.append(q)
    return out


def _alone_count(word: str, name_words: list[str], text: str) -> int:
    """How often ``word`` stands alone in ``text`` followed by a reporting verb or 'according to'."""
    n = 0
    for m in re.finditer(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text):
        # windows, not the rest of the text: a long text with many mentions stays linear
        after = text[m.end() : m.end() + _WINDOW]
        before = text[max(0, m.start() - _WINDOW) : m.start()]
        if _AFTER_SUBJECT.match(after) or _BEFORE_SUBJECT.search(before[-30:]):
            nxt = re.match(r"\s+(\S+)", after)
            prv = re.search(r"(\S+)\s+$", before)
            if (nxt and nxt.group(1).strip(",.’'") in name_words) or (
                prv and prv.group(1).strip(",.") in name_words
            ):
                continue
            n += 1
    return n


def block_people(meta: Metadata) -> list[Person]:
    """The people a sketch's block names: moderator, speakers, participants (never the rapporteur)."""
    people = [Person(meta.moderator.name, meta.moderator.affiliation, "moderator")] if meta.moderator else []
    people += [Person(p.name, p.affiliation) for p in meta.speakers]
    people += [Person(p.name, p.affiliation, "member") for p in meta.participants]
    return people


_NAME_WORD = r"[A-Z][\w’'.]*(?:-[\w’'.]+)*"
_NAME_RUN = re.compile(_NAME_WORD + r"(?:\s+" + _NAME_WORD + r")*")


def _name_run(text: str, at: int) -> tuple[int, int] | None:
    """The run of capitalised words around character ``at`` ("Finance Minister Bill Morneau")."""
    for m in _NAME_RUN.finditer(text, max(0, at - 200), at + 200):
        if m.start() <= at < m.end():
            return m.start(), m.end()
    return None


def _reporters_named(sentences: list[Sentence], docs: list, finder: NameFinder) -> list[Person]:  # type: ignore[type-arg]
    """People the body introduces by full name as the subject of a verb of speech
    ("Hefin David said …") who are not among ``finder``'s people."""
    family = {fold(p.family_name) for p in finder.people}
    found: dict[str, Person] = {}
    for sent, doc in zip(sentences, docs, strict=True):
        if sent.why in _KEPT:
            continue
        root = syntax.root_of(doc)
        subj = syntax.subject_of(root)
        if subj is None or subj.pos_ != "PROPN" or root.text.lower() not in _SPEECH:
            continue
        span = _name_run(sent.text, subj.idx)
        if span is None or span[1] > subj.idx + len(subj.text) + 1:
            continue  # the subject is not the end of a name
        name_words = sent.text[span[0] : subj.idx + len(subj.text)].rstrip(".,").split()
        while name_words and fold(name_words[0]) in _TITLE_WORDS | _OPENERS:
            name_words.pop(0)  # "Finance Minister Bill Morneau" → Bill Morneau
        name = " ".join(name_words)
        if len(name_words) < 2 or any(fold(w) in family for w in name_words):
            continue  # one word, or "Kim Jong-un": someone else who shares a participant's family name
        start = sent.text.find(name, span[0])
        if any(m.start < start + len(name) and start < m.end for m in finder.mentions(sent.text)):
            continue  # a participant (or a misspelling of one)
        found.setdefault(fold(name), Person(name, None, "member"))
    return list(found.values())


# ----------------------------------------------------------------------------- one sentence


def _main_verbs(doc) -> list:  # type: ignore[no-untyped-def]
    """The verbs of the sentence's main clause, the one a rapporteur writes first.

    Before a colon or semicolon ("Williams could give no date: the next phase will come …")
    the parser often hangs the first clause on the second; that first clause leads.
    """
    root = syntax.root_of(doc)
    verbs = []
    # a sentence that opens with its subject ("Marilne Gill can already suggest …, that would
    # bring …"): the parser may root a later clause; the opening clause leads
    opening = next((t for t in doc if t.dep_ in syntax.SUBJECT_DEPS), None)
    if opening is not None and opening.left_edge.i == 0 and opening.head.i < root.i:
        verbs.append(opening.head)
    stops = [t.i for t in doc if t.text in (":", ";", "—", "–") and t.i < len(doc) - 1]
    if stops and stops[0] < root.i:
        cut = stops[0]
        verbs += [t for t in doc[:cut] if t.pos_ in ("VERB", "AUX") and t.head.i >= cut and t.dep_ != "aux"]
    # the parser may split one sentence in two ("…, so in accordance with Standing Order 17.22
    # Gareth Rogers calls …"): the other roots come after the first
    later = [t for t in doc if t.dep_ == "ROOT" and t.i > root.i]
    return [*dict.fromkeys([*verbs, root, *later])]


@dataclass
class _Reporter:
    """What a sentence says about its reporter."""

    person: Person | None = None  # the reporter, when the sentence names one
    how: str = ""
    confidence: float = 0.9
    pronoun: str | None = None  # the sentence's subject is this pronoun: carry the speaker over
    unsure: str | None = None  # the sentence names a reporter who cannot be told: unattributed
    verb: str = ""  # the reporting verb as written ("asked", "told")


@dataclass
class _Question:
    """A question a sentence reports ("Hefin David asked whether Morgan would …")."""

    asker: Person
    addressee: Person | None  # the participant it was put to, when the sentence names one
    before: Person | None  # who was speaking before it was put


#: A participial lead-in naming the questioner: the one who answered follows it.
_LEAD_IN = re.compile(r"(?:asked|pressed|questioned|challenged|quizzed|urged)\s+by\b", re.I)
#: The reporting phrase of a question.
_ASKED = re.compile(r"\b(?:ask|asks|asked|asking|wondered|queried|pressed|questioned)\b", re.I)


@dataclass
class _Attributor:
    people: list[Person]
    finder: NameFinder
    canonical: dict[int, str]
    current: Person | None = None
    unsure_before: bool = False  # the current speaker was lost to an unsure sentence
    named: list[Person] = field(default_factory=list)  # named as reporter in this paragraph
    question: _Question | None = None  # the question the last sentence reported

    # -------------------------------------------------------------- reading one sentence

    def reporter(self, text: str, doc, mentions: list[Mention]) -> _Reporter | None:  # type: ignore[no-untyped-def]
        """The reporter ``text`` names, a pronoun standing for one, or None (no one named)."""
        opening = next((m for m in mentions if m.start == 0 and m.person is not None), None)
        if opening is not None:  # "Williams knows that …", "X asked what Y's view is": the opening decides
            verb = _AFTER_SUBJECT.match(text[opening.end :])
            if verb:
                found = self._named(opening, f"“{opening.written}{verb.group(0)}” names the reporter")
                found.verb = verb.group(0).split()[-1]
                return found
        marked = self._marked(text, mentions)
        if marked is not None:
            return marked
        any_subject = False
        for verb in _main_verbs(doc):
            # every subject the parser gives the verb ("The surveys—Bryn Pellow does not know …")
            subjects = [c for c in verb.children if c.dep_ in syntax.SUBJECT_DEPS]
            subjects = subjects or [s for s in [syntax.subject_of(verb)] if s is not None]
            for subj in subjects:
                any_subject = True
                found = self._subject(text, subj, verb, mentions)
                if found is not None and (found.person or found.unsure or found.pronoun):
                    found.verb = verb.text
                    return found
        root = syntax.root_of(doc)
        for tok in doc:
            aside = tok.dep_ == "parataxis" and tok.text.lower() in _SPEECH  # "…, she said, …"
            joined = tok.dep_ in ("conj", "advcl") and tok.head is root  # "…, so Gareth Rogers calls …"
            subj = syntax.subject_of(tok) if aside or joined else None
            if subj is None or (joined and subj.head is not tok):
                continue
            found = self._subject(text, subj, tok, mentions)
            if found is not None and (found.person or found.unsure or (aside and found.pronoun)):
                found.verb = tok.text
                return found
        lead = _LEAD_IN.match(text)
        if lead:  # "Asked by X where …, Joly replied that …": the parser lost the clause after the lead-in
            for m in mentions:
                if m.person is not None and _comma_before(text, m.start):
                    verb = _AFTER_SUBJECT.match(_after(text, m))
                    if verb:
                        found = self._named(
                            m, f"“{lead.group(0)}…, {m.written}{verb.group(0)}” names the reporter"
                        )
                        found.verb = verb.group(0).split()[-1]
                        return found
        if not any_subject:  # no clause the parser could read: the name before a reporting verb
            return self._by_pattern(text, mentions)
        return None

    def _marked(self, text: str, mentions: list[Mention]) -> _Reporter | None:
        """ "according to Kim", "said Knapper", "Kim Sung-han's perspective"."""
        for m in mentions:
            if m.person is None:
                continue
            if _PERSPECTIVE.match(_after(text, m)):
                return self._named(m, f"“{m.written}’s …” is the sentence's point of view")
            # the words before the name, searched in place: pos keeps "^for" to the sentence's start
            lead = _SUBJECT_AFTER.search(text, max(0, m.start - _WINDOW), m.start)
            if lead and (not lead.group(0).lower().startswith("for") or text.startswith(",", m.end)):
                said = lead.group(0).strip().lstrip("”\"’',").strip()
                return self._named(m, f"“{said} {m.written}” names the reporter")
        return None

    def _by_pattern(self, text: str, mentions: list[Mention]) -> _Reporter | None:
        for m in mentions:
            verb = _AFTER_SUBJECT.match(_after(text, m)) if m.person is not None else None
            if verb:
                return self._named(m, f"“{m.written}{verb.group(0)}” names the reporter")
        for r in _ROLE_RE.finditer(text):
            verb = _AFTER_SUBJECT.match(text[r.end() : r.end() + _WINDOW])
            if verb:
                return self._role(r.group(1), f"“{r.group(0)}{verb.group(0)}”")
        return None

    def _subject(self, text: str, subj, verb, mentions: list[Mention]) -> _Reporter | None:  # type: ignore[no-untyped-def]
        """What the subject of ``verb`` says about the reporter."""
        hit = next((m for m in mentions if m.start <= subj.idx < m.end), None)
        start = min([subj.left_edge.idx, *([hit.start] if hit is not None else [])])
        if subj.i < verb.i and verb.idx + len(verb.text) - start <= 80:
            phrase = f"“{text[start : verb.idx + len(verb.text)]}”"
        else:
            said = hit.written if hit is not None else subj.text
            phrase = f"“{said} … {verb.text}”" if subj.i < verb.i else f"“{verb.text} … {said}”"
        reports = syntax.lemma(verb).lower() in _STEMS or verb.text.lower() in _VERB_SET
        if hit is not None and not reports and _VIEW_OF_ANOTHER.search(text):
            return None  # "Kim will wait, in her view": a participant talked about, not reporting
        if hit is not None:
            if hit.person is not None:
                return self._named(hit, f"{phrase}: {hit.written} is the subject")
            return self._shared(hit, phrase)
        lower = subj.text.lower()
        if subj.pos_ == "PRON" and lower in _PERSONAL:
            return _Reporter(pronoun=lower)
        if reports and lower in _ROLE_NOUNS and any(c.lower_ in ("the", "our") for c in subj.children):
            qualifiers = tuple(c.lower_ for c in subj.lefts if c.dep_ in ("compound", "amod"))
            # "the harbour minister of Ostrava, Karel Dvorak, …" is somebody identified otherwise
            named_otherwise = any(c.dep_ in ("appos", "prep", "acl", "relcl") for c in subj.children)
            return self._role(lower, phrase, qualifiers, unknown_is_unsure=not named_otherwise)
        return None

    def _named(self, m: Mention, how: str) -> _Reporter:
        assert m.person is not None
        if m.kind == "near":
            right = self.canonical[id(m.person)]
            return _Reporter(m.person, f"{how}; “{m.written}” is misspelt for {right}", 0.75)
        return _Reporter(m.person, how, 0.95 if " " in m.written else 0.9)

    def _shared(self, m: Mention, phrase: str) -> _Reporter:
        """A family name two participants share: the one in play, else unsure."""
        names = " or ".join(self.canonical[id(p)] for p in m.candidates)
        if self.current is not None and self.current in m.candidates:
            return _Reporter(
                self.current, f"{phrase}: “{m.written}” is {names}; {self.current.name} is in play", 0.8
            )
        recent = next((p for p in reversed(self.named) if p in m.candidates), None)
        if recent is not None:
            return _Reporter(recent, f"{phrase}: “{m.written}” is {names}; {recent.name} was named last", 0.7)
        return _Reporter(unsure=f"{phrase}: “{m.written}” could be {names}")

    def _role(
        self, word: str, phrase: str, qualifiers: tuple[str, ...] = (), unknown_is_unsure: bool = False
    ) -> _Reporter | None:
        """ "the minister", "the prime minister", "the chair": the one participant the role fits.

        ``qualifiers`` ("prime", "education") must appear in the holder's affiliation too.
        """
        word = word.lower()
        block_role = _ROLE_NOUNS.get(word, "-")

        def holds(p: Person) -> bool:
            affiliation = (p.affiliation or "").lower()
            if qualifiers:
                exact = re.search(rf"\b{re.escape(' '.join(qualifiers))} {re.escape(word)}\b", affiliation)
                if not exact and not all(re.search(rf"\b{re.escape(q)}", affiliation) for q in qualifiers):
                    return False
            return (
                (block_role != "-" and p.role in ("moderator", "chair"))
                or p.role == word
                or re.search(rf"\b{re.escape(word)}\b", affiliation) is not None
            )

        holders = [p for p in self.people if holds(p)]
        if qualifiers and len(holders) > 1:  # "the prime minister": the one named so, not a deputy
            exact = [
                p
                for p in holders
                if re.search(
                    rf"(?:^|,\s*){re.escape(' '.join(qualifiers))} {re.escape(word)}\b",
                    (p.affiliation or "").lower(),
                )
            ]
            holders = exact or holders
        word = " ".join([*qualifiers, word])
        if not holders:
            if unknown_is_unsure:  # "the cabinet secretary replied", and nobody in the block is one
                return _Reporter(unsure=f"{phrase}: nobody the block lists is “the {word}”")
            return None  # somebody else's role ("the harbour minister, Park Min-seo"): talked about
        if len(holders) == 1:
            return _Reporter(holders[0], f"{phrase} names the reporter by role", 0.85)
        if self.current is not None and self.current in holders:
            return _Reporter(self.current, f"{phrase}: the {word} in play", 0.75)
        who = ", ".join(self.canonical[id(p)] for p in holders) or "nobody in the block"
        return _Reporter(unsure=f"{phrase}: “the {word}” could be {who}")

    # -------------------------------------------------------------- one sentence's speaker

    def attribute(self, sent: Sentence, doc, s_index: int, first_paragraph: bool, anyone_named: bool) -> bool:  # type: ignore[no-untyped-def]
        """Set ``sent``'s speaker, confidence and why; True once someone has been named."""
        mentions = list(self.finder.mentions(sent.text))
        found = self.reporter(sent.text, doc, mentions)
        if found is not None and found.unsure:
            sent.speaker, sent.confidence, sent.why = None, 0.5, f"unsure: {found.unsure}"
            self.current, self.unsure_before = None, True
            return True
        if found is not None and found.person is not None:
            before = self.current
            self.current, self.unsure_before = found.person, False
            self.named.append(found.person)
            sent.speaker, sent.confidence, sent.why = (
                self.canonical[id(found.person)],
                found.confidence,
                found.how,
            )
            self.question = (
                _Question(found.person, self._addressee(sent.text, mentions, found.person), before)
                if _ASKED.fullmatch(found.verb)
                else None
            )
            return True
        if found is None and self.question is not None:
            question, self.question = self.question, None
            answer = self._answer(question)
            if answer is not None:  # the answer to the question just reported
                who, how = answer
                self.current = who
                sent.speaker, sent.confidence = self.canonical[id(who)], 0.7
                sent.why = f"names no reporter after {self.canonical[id(question.asker)]}'s question: {how}"
                return True
        if found is not None and found.pronoun and self.current is not None:
            self._check_pronoun(found.pronoun)
            if not _ASKED.fullmatch(found.verb):
                self.question = None  # the one who asked goes on in their own voice
        if self.current is None:
            sent.speaker, sent.confidence = None, 0.8
            if self.unsure_before:
                sent.why = "unsure: follows a sentence whose reporter could not be told"
            elif not anyone_named and first_paragraph:
                sent.why = "opening framing paragraph: no participant named yet"
            else:
                sent.why = "no participant named as the reporter yet"
            return anyone_named
        name = self.canonical[id(self.current)]
        sent.speaker = name
        carried = "from the previous paragraph" if s_index == 0 else "from the previous sentence"
        pronoun = found.pronoun if found is not None and found.pronoun else None
        pronoun_match = pronoun or (
            _PRONOUN.search(sent.text).group(0) if _PRONOUN.search(sent.text) else None
        )
        if pronoun_match:
            sent.confidence = 0.85 if s_index else 0.8
            sent.why = f"“{pronoun_match}” carries {name} over {carried}"
        else:
            sent.confidence = 0.75 if s_index else 0.65
            sent.why = f"no participant named as the reporter; {name} carried over {carried}"
        others = [m.written for m in mentions if m.person is not self.current]
        if others:
            sent.confidence = max(0.5, sent.confidence - 0.15)
            sent.why += f" ({', '.join(others)} named, but not as the reporter)"
        return anyone_named

    def _addressee(self, text: str, mentions: list[Mention], asker: Person) -> Person | None:
        """Whom a question is put to: the one other participant it names, or the role it names."""
        others = {m.person.name: m.person for m in mentions if m.person is not None and m.person is not asker}
        if len(others) == 1:
            return next(iter(others.values()))
        if not others:
            for r in _ROLE_RE.finditer(text):
                found = self._role(r.group(1), f"“{r.group(0)}”")
                if found is not None and found.person is not None and found.person is not asker:
                    return found.person
        return None

    def _answer(self, question: _Question) -> tuple[Person, str] | None:
        """Who answers a question: its addressee, else whoever spoke before it was put."""
        if question.addressee is not None:
            return (
                question.addressee,
                f"the answer of {self.canonical[id(question.addressee)]}, to whom it was put",
            )
        if question.before is not None and question.before is not question.asker:
            return (
                question.before,
                f"the answer of {self.canonical[id(question.before)]}, who spoke before it",
            )
        return None

    def _check_pronoun(self, pronoun: str) -> None:
        """ "She said" after a man's sentence: the last person named this paragraph whom it fits."""
        fits = {"he": "he", "she": "she"}.get(pronoun)
        have = self.current.subject_pronoun if self.current is not None else None
        if fits is None or have is None or have == fits:
            return
        other = next((p for p in reversed(self.named) if p.subject_pronoun == fits), None)
        if other is not None:
            self.current = other


def attribute_sketch(sketch: Sketch, people: list[Person] | None = None) -> Sketch:
    """Set every sentence's ``speaker``, ``confidence`` and ``why``; returns a new sketch.

    ``people`` default to the metadata block's moderator, speakers and participants (the
    rapporteur reports, never speaks); either way the body may add people it introduces
    as reporters by full name. Speaker names are the canonical ``Person.name``. Speakers
    the file records (sketch JSON, HTML marks) are kept as they are.
    """
    out = copy.deepcopy(sketch)
    people = block_people(out.metadata) if people is None else [p for p in people if p.role != "rapporteur"]
    sentences = out.sentences
    docs = syntax.parse_many((parsed_part(s.text) for s in sentences), lemmas=False)
    text = " ".join(s.text for s in sentences)
    originals = list(people)
    people = infer_family_name_first([_without_postnominals(p) for p in people], text)
    learned = _reporters_named(sentences, docs, NameFinder(people))
    people += learned
    canonical = {id(q): p.name for q, p in zip(people, originals + learned, strict=True)}
    attributor = _Attributor(people, NameFinder(people), canonical)
    by_name = {canonical[id(p)]: p for p in people}
    anyone_named = False
    k = 0
    for p_index, para in enumerate(out.paragraphs):
        attributor.named = []
        for s_index, sent in enumerate(para.sentences):
            doc = docs[k]
            k += 1
            if sent.why in _KEPT:
                attributor.current = by_name.get(sent.speaker or "", attributor.current)
                anyone_named = anyone_named or sent.speaker is not None
                continue
            anyone_named = attributor.attribute(sent, doc, s_index, p_index == 0, anyone_named)
        counts = Counter(s.speaker for s in para.sentences if s.speaker)
        para.speaker = counts.most_common(1)[0][0] if counts else None
    return out


def canonical_metadata(meta: Metadata, people: list[Person]) -> Metadata:
    """The block's names replaced by the programme's canonical spellings where they match."""
    out = copy.deepcopy(meta)

    def canon(ref: PersonRef | None) -> PersonRef | None:
        if ref is None:
            return None
        match = match_name(ref.name, people, allow_family=False)
        if match is None:
            return ref
        return PersonRef(match.person.name, ref.affiliation or match.person.affiliation)

    out.rapporteur = canon(out.rapporteur)
    out.moderator = canon(out.moderator)
    out.speakers = [p for p in (canon(s) for s in out.speakers) if p is not None]
    out.participants = [p for p in (canon(s) for s in out.participants) if p is not None]
    return out
