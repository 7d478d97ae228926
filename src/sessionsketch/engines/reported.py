"""Direct speech → reported speech, as a sketch writes it.

"I think we should engage him." said by Soeya becomes "Soeya argued that they should
engage him.": the reporting frame ("I think") is dropped and chooses the verb, first
and second person become third, the verb after a first-person subject agrees, and
auxiliaries are backshifted where that is safe (is → was, will → would, can → could).
A question becomes "asked whether ..." (yes/no) or "asked how ..." (wh-), with the
auxiliary moved after its subject when the subject can be found; otherwise the
sentence is not reported (:func:`report` returns ``None``).

Nothing here invents content: every word of a reported clause is the speaker's own,
except pronouns, the reporting verb and agreement/tense endings.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from sessionsketch.text import word_set

#: Frames that open a sentence without carrying content, and the verb each suggests.
_FRAMES: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(p, re.I), verb)
    for p, verb in [
        # conjunctions open a sentence with or without a comma ("So far" and "Also known"
        # are content); interjections only with one ("No, ..." but "No worker should ...")
        (r"^(and|but|so(?! (far|much|many|long|that|too)\b)|then|i mean|you know)\s*,?\s+", None),
        (r"^(however|nevertheless|on the other hand)\s*,?\s+", "countered"),
        (r"^also\s+(?=(i|we|you|they|the|it|there|this|that)\b)", None),
        (
            r"^(well|now|look|again|yes|no|okay|ok|indeed|of course|first(ly)?|second(ly)?|"
            r"third(ly)?|finally|lastly|obviously|clearly|frankly|honestly|as well|in fact|"
            r"actually|listen|anyway|i mean|you know|basically|right|sure|absolutely|also)\s*,\s*",
            None,
        ),
        (r"^(firstly|secondly|thirdly|finally|lastly|obviously|clearly|frankly|actually|basically)\s+", None),
        (
            r"^(mr\.?|madam|mister|mrs\.?|ms\.?)\s*(deputy\s+)?(chair|speaker|president|minister)\w*\s*"
            r"[,.!]?\s+",
            None,
        ),
        (r"^(chair|minister|deputy chair|chairman|chairwoman|president|sir)\s*,\s*", None),
        (
            r"^(i|we)(\s+would|'d|’d)\s+(just\s+)?((like|want) to\s+(just\s+)?(say|note|stress|emphasi[sz]e|"
            r"point out|argue|suggest|add|remind (you|everyone))|say|note|add)\s*(that\s+)?",
            "said",
        ),
        (
            r"^(i|we)\s+(really\s+|strongly\s+|do\s+|also\s+|genuinely\s+)*(think|believe|feel|consider)\s+(that\s+)?",
            "argued",
        ),
        (r"^i\s+(am|'m)\s+(convinced|sure|confident|certain)\s+(that\s+)?", "argued"),
        (r"^(i|we)\s+(guess|suppose|reckon|imagine)\s+(that\s+)?", "suggested"),
        (r"^(i|we)\s+(am|are|'m|'re)\s+(concerned|worried|afraid)\s+(that\s+)?", "warned"),
        (r"^(i|we)\s+(would\s+)?(suggest|propose|recommend)\s+(that\s+)?", "suggested"),
        (r"^(i|we)\s+(would\s+)?(agree|disagree)\s+(with\s+\w+\s+)?(that\s+)?", None),
        (r"^(i|we)\s+(know|understand|recognize|recognise|acknowledge)\s+that\s+", "acknowledged"),
        (
            r"^(in my (view|opinion)|from my (perspective|point of view)|for me|to me|personally)\s*,\s*",
            "argued",
        ),
        (
            r"^(let(\s+me|\s+us|'s|’s)\s+(just\s+)?(say|be clear|add|stress|point out|note|emphasi[sz]e|remind \w+)|"
            r"i\s+(must|have to|need to|should|would|can)\s+(just\s+)?(say|add|stress|point out|tell \w+))"
            r"\s*(,\s*|that\s+|:\s*)?",
            "said",
        ),
        (r"^(i|we)\s+(do\s+|really\s+|very much\s+)?hope\s+(that\s+)?", "hoped"),
        (r"^(what\s+i\s+(would|want to|'d)\s+say\s+is\s+(that\s+)?)", "said"),
        (r"^(the\s+(fact|truth|reality)\s+is\s+(that\s+)?)", "noted"),
        (r"^as\s+(you|we)\s+(all\s+|will\s+|may\s+)?(know|are aware|have heard)\s*,\s*", "noted"),
        (r"^(it\s+is|it's)\s+(important|essential|crucial|vital)\s+(to\s+note\s+)?that\s+", "stressed"),
    ]
]

_SUBJECTS_1SG = {"i": "SUBJ", "me": "OBJ", "my": "POSS", "mine": "POSSP", "myself": "REFL"}
_PLURAL_MAP = {"we": "they", "us": "them", "our": "their", "ours": "theirs", "ourselves": "themselves"}
_SECOND_MAP = {
    "you": "they",
    "your": "their",
    "yours": "theirs",
    "yourself": "themselves",
    "yourselves": "themselves",
}
_CONTRACTIONS = {
    "i'm": "i am",
    "i've": "i have",
    "i'll": "i will",
    "i'd": "i would",
    "we're": "we are",
    "we've": "we have",
    "we'll": "we will",
    "we'd": "we would",
    "you're": "you are",
    "you've": "you have",
    "you'll": "you will",
    "you'd": "you would",
    "let's": "let us",
    "they're": "they are",
    "they've": "they have",
    "they'll": "they will",
}
#: "it's" is "it is", or "it has" before "been" / "got" (then backshifted like the rest)
_IS_OR_HAS = word_set("it's that's there's what's here's")
_BACKSHIFT = {
    "is": "was",
    "are": "were",
    "am": "was",
    "will": "would",
    "can": "could",
    "won't": "would not",
    "can't": "could not",
    "isn't": "was not",
    "aren't": "were not",
    "don't": "did not",
    "doesn't": "did not",
    "shall": "should",
}
_MODALS = word_set(
    """
    can could will would shall should may might must did didn't couldn't wouldn't
    shouldn't was wasn't had hadn't
    """
)
_AUX = word_set(
    """
    is are was were will would can could should shall do does did has have had may might
    must am
    """
)
_WH = {"what", "why", "how", "when", "where", "who", "which", "whom", "whose"}
_SUBJ_PRONOUNS = {"i", "we", "you", "he", "she", "they", "it", "this", "that", "there"}
_DETERMINERS = word_set(
    """
    the a an this that these those his her their our your my its any some all each every
    """
)

_ASIDE_RE = re.compile(
    r",\s*((I|we)\s+(think|believe|suppose|guess|hope|understand|would say|must say|have to say)|"
    r"of course|you know|obviously|actually|frankly|in fact|if you like|as it were|"
    r"as (I|we) (said|say|mentioned|have said))\s*,(?=\s)",
    re.I,
)
#: Fillers a rapporteur leaves out (not after "not": "not really" is a point)
_FILLER_RE = re.compile(
    r"(?<=\w)(?<!\bnot)(?<!\bas)(?<!n't)(?<!n’t),?\s+(really|basically|sort of|you know|I mean)(?=,?\s+\w)",
    re.I,
)
#: A short aside between dashes: "a question—a really important question—about" → "a question about"
_DASH_ASIDE_RE = re.compile(r"\s*[—–]\s*[^—–.?!]{1,60}?\s*[—–]\s*|\s+-\s+[^-.?!]{1,60}?\s+-\s+")
_WORD_RE = re.compile(r"[A-Za-z’']+|[^A-Za-z’'\s]+|\s+")
_QUESTION_VERBS = re.compile(
    r"^(can|could|will|would|do|does|did|is|are|was|were|has|have|should|may|might)$"
)

FIRST_PERSON_RE = re.compile(r"\b(I|me|my|mine|myself|we|us|our|ours|ourselves|I'm|I've|I'll|I'd)\b")
SECOND_PERSON_RE = re.compile(r"\b(you|your|yours|yourself|yourselves)\b", re.I)


@dataclass(frozen=True)
class Referent:
    """How a clause refers to its speaker in the third person.

    ``subject`` is a pronoun ("she") when the programme gives one, else the family name
    ("Kim"); ``group`` replaces "we" ("they", "the government").
    """

    subject: str
    object: str
    possessive: str
    reflexive: str
    singular: bool = True  # takes "is"/"has"/"-s" agreement
    group: str = "they"
    group_object: str = "them"
    group_possessive: str = "their"


def referent_for(family_name: str, subject_pronoun: str | None = None, group: str = "they") -> Referent:
    """The third-person forms for a speaker: a pronoun only when the programme gives one."""
    forms = {
        "he": ("he", "him", "his", "himself", True),
        "she": ("she", "her", "her", "herself", True),
        "they": ("they", "them", "their", "themselves", False),
    }
    if subject_pronoun in forms:
        s, o, p, r, sing = forms[subject_pronoun]
        ref = Referent(s, o, p, r, sing)
    else:
        ref = Referent(family_name, family_name, f"{family_name}’s", family_name, True)
    if group == "they":
        return ref
    return Referent(
        ref.subject, ref.object, ref.possessive, ref.reflexive, ref.singular, group, group, f"{group}’s"
    )


@dataclass
class Reported:
    verb: str  # past tense reporting verb: "argued", "asked"
    clause: str  # the reported clause: "that they should engage him", "whether ..."
    question: bool = False


def strip_frames(text: str) -> tuple[str, str | None]:
    """Remove opening frames ("So,", "Mr. Chair,", "I think that"); the verb they suggest."""
    verb: str | None = None
    changed = True
    while changed:
        changed = False
        for pattern, v in _FRAMES:
            m = pattern.match(text)
            if m and m.end() > 0 and m.end() < len(text):
                text = text[m.end() :].lstrip(" ,")
                verb = verb or v
                changed = True
    return text, verb


def _third_person_verb(word: str) -> str:
    low = word.lower()
    special = {
        "am": "is",
        "are": "is",
        "were": "was",
        "have": "has",
        "do": "does",
        "go": "goes",
        "be": "is",
        "'m": "is",
        "was": "was",
        "don't": "doesn't",
    }
    if low in special:
        return special[low]
    if low in _MODALS or low in {"can", "will", "would", "should", "must", "may", "might", "could"}:
        return word
    past = low.endswith("ed") and not low.endswith("eed")  # "needed", but "need" → "needs"
    if not low.isalpha() or past or (low.endswith("s") and not low.endswith("ss")) or low in _PAST:
        return word
    if low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        return word[:-1] + "ies"
    if low.endswith(("sh", "ch", "x", "z", "o", "ss")):
        return word + "es"
    return word + "s"


def _tokens(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def _expand(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for k, t in enumerate(tokens):
        low = t.lower().replace("’", "'")
        expanded = _CONTRACTIONS.get(low)
        if low in _IS_OR_HAS:
            nxt = next((w.lower() for w in tokens[k + 1 : k + 3] if w.strip()), "")
            expanded = low[:-2] + (" has" if nxt in {"been", "got"} else " is")
        if expanded:
            parts = expanded.split()
            if t[0].isupper():
                parts[0] = parts[0].capitalize() if parts[0] != "i" else "I"
            for i, p in enumerate(parts):
                if i:
                    out.append(" ")
                out.append(p if p != "i" else "I")
        else:
            out.append(t)
    return out


def _transform(tokens: list[str], ref: Referent, backshift: bool) -> list[str]:
    """Person, agreement and (optionally) tense of a clause's tokens."""
    out: list[str] = []
    words_idx = [i for i, t in enumerate(tokens) if t.strip() and t[0].isalpha()]
    next_word: dict[int, int] = {a: b for a, b in itertools.pairwise(words_idx)}
    prev_word: dict[int, int] = {b: a for a, b in itertools.pairwise(words_idx)}
    agree_at: set[int] = set()
    plural_subject_at: set[int] = set()
    for i, t in enumerate(tokens):
        low = t.lower()
        if i in agree_at and ref.singular:
            t = _third_person_verb(t)
            low = t.lower()
            if t.lower() in {"don't"}:
                t = "doesn't"
        title = t.isupper() and len(t) > 1  # "Eluned Morgan AM" is an Assembly Member, not "am"
        if backshift and low in _BACKSHIFT and not title and (i not in plural_subject_at or low != "am"):
            repl = _BACKSHIFT[low]
            if low in {"are"} and i in agree_at and ref.singular:
                repl = "was"
            t = repl
        elif backshift and low in {"has", "have"}:
            j = next_word.get(i)
            nxt = tokens[j].lower() if j is not None else ""
            if nxt == "been" or (nxt.endswith("ed") and len(nxt) > 3):
                t = "had"
        if low == "i":
            out.append(ref.subject)
            j = next_word.get(i)
            nxt = tokens[j].lower() if j is not None else ""
            if j is not None and (nxt in _ADVERBS or nxt in {"do", "don't"} or nxt.endswith("ly")):
                if nxt in {"do", "don't"}:
                    agree_at.add(j)
                else:
                    k = next_word.get(j)
                    if k is not None:
                        agree_at.add(k)
            elif j is not None:
                agree_at.add(j)
            continue
        if low in _SUBJECTS_1SG:
            kind = _SUBJECTS_1SG[low]
            out.append(
                {"OBJ": ref.object, "POSS": ref.possessive, "POSSP": ref.possessive, "REFL": ref.reflexive}[
                    kind
                ]
            )
            continue
        if low in _PLURAL_MAP:
            repl = {"we": ref.group, "us": ref.group_object, "our": ref.group_possessive}.get(
                low, _PLURAL_MAP[low]
            )
            j = next_word.get(i)
            if low == "we" and ref.group != "they" and j is not None:
                agree_at.add(j)
            shared = j is not None and (tokens[j].lower() in _SHARED or tokens[j][:1].isupper())
            if low == "our" and ref.group != "they":
                if shared:
                    repl = "the"  # a minister's "our country" is the country, not the government's
                elif ref.group in out:
                    repl = "its"  # "the government would publish its plan"
            out.append(repl)
            continue
        if low in _SECOND_MAP:
            repl = _SECOND_MAP[low]
            if low == "you" and _is_object(tokens, i, prev_word.get(i), next_word.get(i)):
                repl = "them"  # "ask you what" → "ask them what"
            out.append(repl)
            continue
        out.append(t)
    return out


#: What a minister's "our" shares with everyone: "our country" → "the country".
_SHARED = word_set(
    """
    government country nation economy people citizens communities community province
    provinces society democracy parliament sector sectors industry industries farmers
    workers businesses seniors families students youth children veterans fishers producers
    small agricultural health local rural indigenous
    """
)
_OBJECT_AFTER = word_set(
    """
    to for with from at about of by on ask asked tell told thank thanked give gave show
    showed let help helped remind assure assured urge urged invite invited join send
    """
)
_PAST = word_set(
    """
    said told made gave got went did had saw heard knew took put brought thought felt found
    left met paid read sent set spent stood understood wrote spoke began came became kept
    held lost meant ran
    """
)


def _is_object(tokens: list[str], i: int, prev: int | None, nxt: int | None) -> bool:
    """Whether "you" at ``tokens[i]`` is an object ("told you"), not a subject ("you know")."""
    after = tokens[nxt].lower() if nxt is not None else ""
    if after and (_verbish(after) or after in _PAST or after.endswith("ed") or after in _ADVERBS):
        return False
    before = tokens[prev].lower() if prev is not None else ""
    return before in _OBJECT_AFTER or (before.endswith(("ed", "ing")) and len(before) > 4)


_ADVERBS = word_set(
    "also really just always never still all both only already probably certainly even actually"
)


def _lower_first(text: str, lower_words: frozenset[str] | set[str] = frozenset()) -> str:
    """Lower-case the clause's first word unless it is "I", an acronym or a name."""
    if not text:
        return text
    words = _FIRST_WORDS_RE.findall(text[:80])
    if not words:
        return text
    first = words[0]
    if first in {"I"} or (len(first) > 1 and first[1:].lower() != first[1:]):
        return text  # "I", acronyms, CamelCase names
    low = first.lower().replace("’", "'").split("'")[0]  # "That's" → "that"
    if low in _COMMON_STARTS:
        return text[0].lower() + text[1:]
    name_follows = len(words) > 1 and words[1][:1].isupper() and words[1] != "I"
    if low in lower_words and not name_follows:  # "Moving forward", not "First Nations"
        return text[0].lower() + text[1:]
    return text


_FIRST_WORDS_RE = re.compile(r"[A-Za-z][A-Za-z’'-]*")


_COMMON_STARTS = word_set(
    """
    the a an this that these those there it its we our they their he she his her you your
    in on at for if when while as many most some all every each no not one two three more
    less what how why where who which both since because after before during without with
    by from to any people everyone nobody nothing everything something too only even just
    over under about today yesterday tomorrow right once such so also however now then yet
    still again here
    """
)


def _finish(tokens: list[str]) -> str:
    text = "".join(tokens)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,;:!?%)\]])|([(\[])\s+", r"\1\2", text)  # "Government , and" → "Government, and"
    text = re.sub(r"[\s,;:]*[.!?…]+[\"'”’)]*$", "", text)
    return text.lstrip("—–-,;: ")


def _declarative_question(tokens: list[str]) -> str | None:
    """'will the minister commit to X' → 'the minister will commit to X' (or None)."""
    words = [t for t in tokens if t.strip()]
    if not words:
        return None
    aux = words[0]
    if aux.lower() not in _AUX:
        return None
    rest = words[1:]
    if not rest:
        return None
    # subject: a pronoun, or a determiner phrase / proper noun run up to the next verb-ish word
    if rest[0].lower() in _SUBJ_PRONOUNS or rest[0][0].isupper():
        n = 1
        while n < len(rest) and rest[n][:1].isupper() and rest[n].isalpha():
            n += 1
    elif rest[0].lower() in _DETERMINERS:
        n = 1
        while n < len(rest) and n < 5 and rest[n].isalpha() and not _verbish(rest[n]):
            n += 1
        if n >= len(rest) or not _verbish(rest[n]):
            return None
    else:
        return None
    if aux.lower() in {"do", "does", "did"}:
        aux_words: list[str] = []  # "does the minister agree" → "the minister agrees": keep plain
        verb_fix = {"do": "", "does": "", "did": "did"}[aux.lower()]
        if verb_fix:
            aux_words = [verb_fix]
    else:
        aux_words = [aux.lower()]
    out = rest[:n] + aux_words + rest[n:]
    return " ".join(out)


_VERB_HINTS = word_set(
    """
    commit provide tell confirm give do make take ensure know explain extend be have agree
    support allow help consider release answer table say put get pay accept admit
    apologize apologise act stop start fix reverse change see look think want need plan
    intend going been expect share work invest stand meet launch come go use protect
    increase reduce cut raise keep believe understand recognize recognise guarantee
    implement fund update address respond deliver cover include follow bring call describe
    clarify assure let
    """
)


def _verbish(word: str) -> bool:
    low = word.lower()
    return low in _VERB_HINTS or low in _AUX or (low.endswith("ing") and len(low) > 5)


def report(
    text: str, ref: Referent, backshift: bool = True, lower_words: frozenset[str] | set[str] = frozenset()
) -> Reported | None:
    """Reported form of one transcript sentence, or None when it cannot be reported safely.

    ``lower_words`` are words the transcript writes in lower case somewhere: a clause
    starting with one of them is lower-cased ("Moving forward" → "moving forward").
    """
    text = text.strip()
    if not text:
        return None
    is_question = text.rstrip("\"'”’) ").endswith("?")
    text = _ASIDE_RE.sub("", text)  # "on, I believe, 18 March" → "on 18 March"
    text = _DASH_ASIDE_RE.sub(" ", text)
    text = _FILLER_RE.sub("", text)  # "it was sort of late, you know" → "it was late"
    body, frame_verb = strip_frames(text)
    tokens = _expand(_tokens(body))
    if is_question:
        words = [t for t in tokens if t.strip()]
        if not words:
            return None
        first = words[0].lower()
        if first in _WH:
            # "how many X will the government provide" → "how many X the government would provide"
            k = next((i for i, w in enumerate(words) if i > 0 and w.lower() in _AUX), None)
            if k is None:
                decl = " ".join(words)
            else:
                tail = _declarative_question(words[k:])
                if tail is None:
                    if k == 1 or (words[k + 1 : k + 2] and _verbish(words[k + 1])):
                        decl = " ".join(words)  # "who is responsible", "what happened"
                    else:
                        return None
                else:
                    decl = " ".join([*words[:k], tail])
            clause_tokens = _tokens(decl)
            lead = ""
        else:
            decl = _declarative_question(words)
            if decl is None:
                return None
            clause_tokens = _tokens(decl)
            lead = "whether "
        out = _finish(_transform(clause_tokens, ref, backshift))
        out = _lower_first(out, lower_words)
        if not out or FIRST_PERSON_RE.search(out):
            return None
        return Reported("asked", lead + out, question=True)
    out = _finish(_transform(tokens, ref, backshift))
    if not out:
        return None
    out = _lower_first(out, lower_words)
    if FIRST_PERSON_RE.search(out):
        return None
    verb = frame_verb or choose_verb(body)
    return Reported(verb, "that " + out)


_CUES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\b(risk|danger|dangerous|threat|worr|concern|fear|crisis|catastroph|warn)", re.I),
        "warned",
    ),
    (re.compile(r"\b(should|must|need to|needs to|have to|has to|ought to|it is time)\b", re.I), "argued"),
    (re.compile(r"\b(suggest|propose|recommend|perhaps|maybe|could consider|might)\b", re.I), "suggested"),
    (re.compile(r"^(but|however|no|i disagree|that is not|that's not)\b", re.I), "countered"),
    (re.compile(r"\d"), "noted"),
    (re.compile(r"\b(because|since|so that|which means|in order to)\b", re.I), "explained"),
]


def choose_verb(text: str) -> str:
    for pattern, verb in _CUES:
        if pattern.search(text):
            return verb
    return "said"
