"""Who each sentence of a finished sketch reports on.

Rapporteurs name a speaker once ("Marc Knapper said"), then write "he noted", "Knapper
pushed back", "according to Kim", or nothing at all for several sentences. The rules:

- a participant becomes the subject when named as the one reporting: before a reporting
  verb ("Knapper likewise noted"), after "according to", or with "'s perspective/view";
  by full name, family name, name without middle initial, or a close misspelling (the
  ``why`` says "misspelt" so that ``check`` and ``--explain`` can report it);
- the current subject carries over through pronouns and unnamed sentences, across
  paragraph and page breaks, until another participant becomes the subject;
- people talked about (Kim Jong-un, Trump, Moon) never take a sentence away: a name run
  such as "Kim Jong-un" that is not a participant blocks the family name inside it, and a
  participant named as an object ("convince Kim") does not become the subject;
- the opening framing paragraph, before anyone is named, belongs to no participant.

Names are matched only through :mod:`sessionsketch.analysis.names`.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from sessionsketch.model import Metadata, Person, PersonRef, Sketch
from sessionsketch.analysis.names import HONORIFICS, SUFFIXES, fold, match_name

#: ``Sentence.why`` of a sentence whose speaker the file itself records (HTML data-speaker).
MARKED_IN_FILE = "marked in the file (data-speaker)"

_REPORTING_STEMS = [
    "note",
    "say",
    "said",
    "says",
    "argue",
    "return",
    "put",
    "suggest",
    "state",
    "push",
    "add",
    "explain",
    "emphasize",
    "emphasise",
    "stress",
    "observe",
    "believe",
    "point",
    "warn",
    "agree",
    "disagree",
    "counter",
    "contend",
    "claim",
    "remark",
    "highlight",
    "caution",
    "acknowledge",
    "assert",
    "maintain",
    "insist",
    "question",
    "ask",
    "respond",
    "reply",
    "conclude",
    "open",
    "close",
    "describe",
    "outline",
    "remind",
    "urge",
    "propose",
    "recommend",
    "express",
    "share",
    "think",
    "thought",
    "see",
    "saw",
    "feel",
    "felt",
    "view",
    "call",
    "offer",
    "raise",
    "underline",
    "underscore",
    "welcome",
    "doubt",
    "mention",
    "discuss",
    "speak",
    "spoke",
    "report",
    "recall",
    "turn",
    "focus",
    "present",
    "frame",
    "predict",
    "expect",
    "hope",
    "worry",
    "fear",
    "lament",
    "reiterate",
    "elaborate",
    "clarify",
    "identify",
    "posit",
    "reason",
    "tell",
    "told",
    "write",
    "wrote",
    "begin",
    "began",
    "start",
    "continue",
    "went",
    "go",
    "take",
    "took",
    "make",
    "made",
    "give",
    "gave",
    "lay",
    "laid",
    "echo",
    "concur",
    "dismiss",
    "reject",
    "criticize",
    "criticise",
    "praise",
    "predict",
    "stress",
    "summarize",
    "summarise",
    "characterize",
    "characterise",
    "compare",
    "contrast",
    "detail",
    "list",
    "cite",
    "quote",
    "admit",
    "concede",
    "estimate",
]

_ADVERBS = (
    r"also|likewise|further|then|later|again|however|too|similarly|first|next|finally|"
    r"additionally|subsequently|instead|in turn|meanwhile|separately|moreover|"
    r"notably|strongly|repeatedly|briefly|specifically|clearly|firmly|simply"
)


def _verb_forms(stem: str) -> list[str]:
    forms = {stem, stem + "s", stem + "es", stem + "ed", stem + "d"}
    if stem.endswith("e"):
        forms.add(stem + "d")
    if stem.endswith("y"):
        forms.add(stem[:-1] + "ied")
        forms.add(stem[:-1] + "ies")
    return sorted(forms, key=len, reverse=True)


_VERBS = sorted({f for s in _REPORTING_STEMS for f in _verb_forms(s)}, key=len, reverse=True)
_AFTER_SUBJECT = re.compile(
    r"^(?:['’]s?)?\s*(?:,[^,]{1,80},\s*)?(?:(?:" + _ADVERBS + r")\s+)*(?:" + "|".join(_VERBS) + r")\b",
)
#: After a participant's full name, any verb in the past or third person makes them the subject.
_AFTER_FULL_NAME = re.compile(
    r"^\s*(?:,[^,]{1,80},\s*)?(?:(?:" + _ADVERBS + r")\s+)*(?:[a-z]+ed|[a-z]{2,}s|has|had|was)\b"
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
_PRONOUN = re.compile(r"\b(?:he|she|they|his|her|their|him|them)\b", re.I)

_TOKEN = r"(?:[A-Z][\w’'.]*(?:-[\w’'.]+)*)"
_RUN_RE = re.compile(_TOKEN + r"(?:\s+" + _TOKEN + r")*")
_HONORIFIC_WORDS = {w for h in HONORIFICS for w in h.split()} | {"president", "chairman", "secretary"}
#: Words that may start a sentence just before a name ("Despite Kim's doubts", "When Knapper ...").
_COMMON = set(
    [
        "a",
        "about",
        "after",
        "against",
        "all",
        "also",
        "although",
        "an",
        "and",
        "as",
        "at",
        "because",
        "before",
        "but",
        "by",
        "despite",
        "during",
        "even",
        "for",
        "from",
        "given",
        "however",
        "if",
        "in",
        "instead",
        "like",
        "meanwhile",
        "moreover",
        "nevertheless",
        "next",
        "not",
        "now",
        "of",
        "on",
        "once",
        "only",
        "or",
        "since",
        "so",
        "still",
        "than",
        "that",
        "the",
        "then",
        "there",
        "therefore",
        "these",
        "this",
        "those",
        "though",
        "thus",
        "to",
        "under",
        "unlike",
        "until",
        "when",
        "whereas",
        "whether",
        "while",
        "with",
        "within",
        "without",
        "yet",
    ]
) | {
    "despite",
    "according",
    "while",
    "although",
    "though",
    "turning",
    "speaking",
    "asked",
    "like",
    "unlike",
    "following",
    "finally",
    "overall",
    "instead",
    "similarly",
    "meanwhile",
}
_FAMILY_FIRST_SURNAMES = set(
    [
        "kim",
        "lee",
        "park",
        "choi",
        "jung",
        "jeong",
        "kang",
        "cho",
        "yoon",
        "jang",
        "lim",
        "han",
        "oh",
        "seo",
        "shin",
        "kwon",
        "hwang",
        "ahn",
        "song",
        "yoo",
        "hong",
        "wang",
        "li",
        "zhang",
        "liu",
        "chen",
        "yang",
        "huang",
        "zhao",
        "wu",
        "zhou",
        "xu",
        "sun",
        "ma",
        "zhu",
        "hu",
        "guo",
        "he",
        "gao",
        "lin",
        "luo",
        "zheng",
        "liang",
        "xie",
        "tang",
        "feng",
        "deng",
        "cao",
        "peng",
        "zeng",
        "xiao",
        "tian",
        "dong",
        "pan",
        "yuan",
        "cai",
        "jiang",
        "yu",
        "du",
        "ye",
        "cheng",
        "wei",
        "su",
        "lu",
        "ding",
        "shen",
        "ren",
        "yao",
        "fu",
        "zhong",
        "cui",
        "qian",
    ]
)


@dataclass
class Mention:
    person: Person
    written: str
    start: int
    end: int
    kind: str  # "exact", "family", "fuzzy", ...


def _without_postnominals(person: Person) -> Person:
    """A copy named without ", Jr." / "PhD" (so the family name is Marquand, not Jr.)."""
    words = person.name.replace(",", " ").split()
    while len(words) > 2 and fold(words[-1]) in SUFFIXES:
        words.pop()
    q = copy.copy(person)
    q.name = " ".join(words)
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
        words = [w for w in re.split(r"\s+", p.name) if w and not re.fullmatch(r"[A-Z]\.?", w)]
        if len(words) >= 2 and not p.family_name_first:
            first, last = words[0], words[-1]
            alone_first = _alone_count(first, words, text)
            alone_last = _alone_count(last, words, text)
            if alone_first > alone_last:
                q.family_name_first = True
            elif alone_first == alone_last == 0:
                q.family_name_first = ("-" in last and len(words) == 2) or (
                    len(words) == 2 and fold(first) in _FAMILY_FIRST_SURNAMES
                )
        out.append(q)
    return out


#: How far around a mention the words that make it the subject are looked for.
_WINDOW = 300


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


def find_mentions(
    sentence: str, people: list[Person], cache: dict[str, object] | None = None
) -> list[Mention]:
    """Participants named in ``sentence`` (as subject or not), in order."""
    out: list[Mention] = []
    for m in _RUN_RE.finditer(sentence):
        tokens = [
            (t.group(0), m.start() + t.start(), m.start() + t.end()) for t in re.finditer(r"\S+", m.group(0))
        ]
        found = _best_subrun(tokens, people, m.start() == 0, {} if cache is None else cache)
        if found:
            out.append(found)
    return out


def _clean(token: str) -> str:
    """A token without a possessive or a closing full stop ("Kim’s" → "Kim", "Seiler." → "Seiler")."""
    token = re.sub(r"['’]s?$", "", token.rstrip(".,;:") if len(token) > 2 else token)
    return re.sub(r"['’]s?$", "", token)


def _best_subrun(
    tokens: list[tuple[str, int, int]], people: list[Person], at_start: bool, cache: dict[str, object]
) -> Mention | None:
    n = len(tokens)
    for size in range(min(n, 4), 0, -1):
        for i in range(0, n - size + 1):
            words = [_clean(t[0]) for t in tokens[i : i + size]]
            written = " ".join(words)
            if written not in cache:  # the same capitalised words recur in every sentence
                found = match_name(written, people, allow_family=True)
                if found is None and size == 1 and len(written) >= 5:
                    found = _fuzzy_family(written, people)
                cache[written] = found
            match = cache[written]
            if match is None:
                continue
            outside = [_clean(t[0]) for t in tokens[:i]] + [_clean(t[0]) for t in tokens[i + size :]]
            if not all(_ignorable(w, k == 0 and i > 0 and at_start) for k, w in enumerate(outside)):
                return None  # "Kim Jong-un": a different person who shares a family name
            start, end = tokens[i][1], tokens[i + size - 1][1] + len(words[-1])
            return Mention(match.person, written, start, end, match.kind)
    return None


def _fuzzy_family(word: str, people: list[Person]):
    from sessionsketch.analysis.names import NameMatch

    scored = sorted(((fuzz.ratio(fold(word), fold(p.family_name)), p) for p in people), key=lambda x: -x[0])
    if scored and scored[0][0] >= 85 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 5):
        return NameMatch(scored[0][1], float(scored[0][0]), "fuzzy")
    return None


def _ignorable(word: str, sentence_initial: bool) -> bool:
    w = fold(word)
    return w in _HONORIFIC_WORDS or (sentence_initial and w in _COMMON) or w in ("u s", "us")


def subject_of(sentence: str, mentions: list[Mention]) -> tuple[Mention, str] | None:
    """The mention that is the sentence's reporting subject, with the pattern that shows it."""
    for m in mentions:
        after = sentence[m.end :]
        before = sentence[: m.start]
        if _PERSPECTIVE.match(after):
            return m, f"“{m.written}’s …” is the sentence's point of view"
        verb = _AFTER_SUBJECT.match(after) or (" " in m.written and _AFTER_FULL_NAME.match(after))
        if verb:
            return m, f"“{m.written}{verb.group(0)}” names the reporter"
        lead = _SUBJECT_AFTER.search(before)
        if lead and (not lead.group(0).lower().startswith("for") or after.startswith(",")):
            said = lead.group(0).strip().lstrip("”\"’',").strip()
            return m, f"“{said} {m.written}” names the reporter"
    return None


_ROLE_RE = re.compile(r"\b(?:the|our)\s+(moderator|chair|chairperson|host)\b", re.I)


def _role_subject(sentence: str, people: list[Person]) -> tuple[Mention, str] | None:
    """ "The moderator then asked ...": the one participant with that role as the reporter."""
    for m in _ROLE_RE.finditer(sentence):
        if not _AFTER_SUBJECT.match(sentence[m.end() :]):
            continue
        moderators = [p for p in people if p.role in ("moderator", "chair")]
        if len(moderators) == 1:
            mention = Mention(moderators[0], m.group(0), m.start(), m.end(), "role")
            return (
                mention,
                f"“{m.group(0)}{_AFTER_SUBJECT.match(sentence[m.end() :]).group(0)}” names the reporter",
            )
    return None


def attribute_sketch(sketch: Sketch, people: list[Person] | None = None) -> Sketch:
    """Set every sentence's ``speaker``, ``confidence`` and ``why``; returns a new sketch.

    ``people`` default to the metadata block's moderator and speakers (the rapporteur
    reports, never speaks). Speaker names are the canonical ``Person.name``.
    """
    out = copy.deepcopy(sketch)
    if people is None:
        meta = out.metadata
        people = (
            [Person(meta.moderator.name, meta.moderator.affiliation, "moderator")] if meta.moderator else []
        )
        people += [Person(p.name, p.affiliation) for p in meta.speakers]
    else:
        people = [p for p in people if p.role != "rapporteur"]
    text = " ".join(s.text for s in out.sentences)
    canonical = {id(p): p.name for p in people}
    people = infer_family_name_first([_without_postnominals(p) for p in people], text)
    canonical = {id(q): name for q, name in zip(people, canonical.values(), strict=True)}
    current: Person | None = None
    anyone_named = False
    cache: dict[str, object] = {}
    for p_index, para in enumerate(out.paragraphs):
        for s_index, sent in enumerate(para.sentences):
            if sent.why == MARKED_IN_FILE:
                current = next((p for p in people if canonical[id(p)] == sent.speaker), current)
                anyone_named = anyone_named or sent.speaker is not None
                continue
            mentions = find_mentions(sent.text, people, cache)
            subject = subject_of(sent.text, mentions) or _role_subject(sent.text, people)
            if subject is not None:
                mention, how = subject
                current = mention.person
                anyone_named = True
                sent.speaker = canonical[id(current)]
                if mention.kind == "fuzzy":
                    sent.confidence = 0.75
                    sent.why = f"{how}; “{mention.written}” is misspelt for {canonical[id(current)]}"
                else:
                    sent.confidence = 0.95 if " " in mention.written else 0.9
                    sent.why = how
                continue
            if current is None:
                sent.speaker = None
                sent.confidence = 0.8
                sent.why = (
                    "opening framing paragraph: no participant named yet"
                    if not anyone_named and p_index == 0
                    else "no participant named as the reporter yet"
                )
                continue
            sent.speaker = canonical[id(current)]
            pronoun = _PRONOUN.search(sent.text)
            carried = "from the previous paragraph" if s_index == 0 else "from the previous sentence"
            if pronoun:
                sent.confidence = 0.85 if s_index else 0.8
                sent.why = f"“{pronoun.group(0)}” carries {canonical[id(current)]} over {carried}"
            else:
                sent.confidence = 0.75 if s_index else 0.65
                sent.why = (
                    f"no participant named as the reporter; {canonical[id(current)]} carried over {carried}"
                )
            others = [m.written for m in mentions if m.person is not current]
            if others:
                sent.confidence = max(0.5, sent.confidence - 0.15)
                sent.why += f" ({', '.join(others)} named, but not as the reporter)"
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
    return out
