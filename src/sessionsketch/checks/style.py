"""Rule ``style``: the mechanical defects of a draft an editor would not publish (issue 12).

Each rule reads one sentence (and, for pronouns, the sentence before it in the paragraph)
and fires on a defect a rapporteur would fix by hand:

- ``style.name-twice``: the same person named twice in one sentence ("Williams noted that
  Williams was clear"); a full name, a family name or a given name each count as one
  mention, and a name run that is someone else's ("Kim Jong-un") is not a mention;
- ``style.capital-after-that``: a capital after "that" on a word that is no name, "I" or
  acronym ("said that Otherwise, ...");
- ``style.modal-had``: "may had", "would had", "did had";
- ``style.first-person`` / ``style.second-person``: "I", "my", "our", "us", "you", "your"
  outside quotation marks; "we" only where it is the voice of the sentence (the subject of
  the main clause or of what someone is reported to have said), since the general "we" of
  a relative or conditional clause ("the changes that we have seen") is the reference's;
- ``style.no-main-verb``: the parse finds no clause (a fragment);
- ``style.leading-connective``: "Otherwise,", "That said,", "Therefore,", "So", "And" ...
  at the start (``data/words/style_connectives.txt``); "But" only at a paragraph's start,
  before a comma or before another connective;
- ``style.procedure``: "can I ask", "my question is", "thank you, chair" ...
  (``data/words/style_procedure.txt``);
- ``style.too-long``: over 55 words (``MAX_WORDS``);
- ``style.verb-mismatch``: a reporting verb the content contradicts: "asked" with a
  declarative "that"-clause, a stating verb followed by a question ("noted that could
  ..."), "warned" for good news;
- ``style.dangling-pronoun``: a sentence opening "They", "Their", "Them" (or "These",
  "Those" standing alone), or a "they/them/their" with no plural or group noun before it
  in the sentence or in the sentence before.

:func:`sentence_problems` is the pure function behind the rule: the drafting engines call
it as a gate on each sentence they write. The registered rule runs it over every body
sentence with the names of the programme (or of the sketch's metadata block).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from sessionsketch import data
from sessionsketch.analysis import syntax
from sessionsketch.checks import Context, Finding, rule
from sessionsketch.text import word_count

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: A sentence longer than this many words is flagged (style.too-long).
MAX_WORDS = 55

RULES: tuple[str, ...] = (
    "style.name-twice",
    "style.capital-after-that",
    "style.modal-had",
    "style.first-person",
    "style.second-person",
    "style.no-main-verb",
    "style.leading-connective",
    "style.procedure",
    "style.too-long",
    "style.verb-mismatch",
    "style.dangling-pronoun",
)

SUGGESTIONS: dict[str, str] = {
    "style.name-twice": "name the person once; then a pronoun, the role or nothing",
    "style.capital-after-that": "the clause after 'that' is run on from speech: rewrite it",
    "style.modal-had": "write the verb after the modal in its base form ('may have')",
    "style.first-person": "say whom 'we'/'I' stands for (the government, the committee, the speaker)",
    "style.second-person": "say whom 'you' addresses (the minister, the witness)",
    "style.no-main-verb": "a fragment: complete the clause or leave the sentence out",
    "style.leading-connective": "drop the connective; it points at speech the sketch does not give",
    "style.procedure": "procedure and meta-talk do not belong in a sketch: leave it out",
    "style.too-long": "condense: keep the claim, drop asides and lists",
    "style.verb-mismatch": "choose a reporting verb that fits (asked for a question, said/noted otherwise)",
    "style.dangling-pronoun": "name who 'they' are, or join the sentence to the one it depends on",
}

_WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*")
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady"})
_SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "mp", "ms", "am", "phd", "obe", "mbe", "cbe", "qc", "kc"}
)
_MODAL_HAD_RE = re.compile(
    r"\b(?:may|might|must|can|could|would|should|will|shall|did|does|do|to)(?:\s+not|n['’]t)?"
    r"(?:\s+(?:also|still|even|just|already|never|not))?\s+had\b",
    re.IGNORECASE,
)
_QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("‘", "’"), ("'", "'"))
_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "our", "ours", "ourselves", "us"})
_SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves"})
_THEY = frozenset({"they", "them", "their", "theirs", "themselves"})
_OPENING_PRONOUNS = frozenset({"they", "their", "them", "theirs"})
_DEMONSTRATIVES = frozenset({"these", "those"})
_FUNCTION_POS = frozenset({"ADV", "VERB", "AUX", "PRON", "DET", "CCONJ", "SCONJ", "ADP", "PART", "INTJ"})
_WH = frozenset({"whether", "if", "how", "what", "why", "when", "who", "whom", "whose", "which", "where"})
_GENERIC_CLAUSES = frozenset({"relcl", "advcl", "acl", "csubj", "pcomp", "prep", "pobj"})
_INVERTING = frozenset(
    {"can", "could", "may", "might", "will", "would", "shall", "should", "must", "do", "does", "did"}
)
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})
_SUBORDINATORS = frozenset({"because", "although", "though", "if", "unless", "whereas", "since", "as"})
_MONTHS = frozenset({"may", "march", "june", "july", "august"})


# ---------------------------------------------------------------- word lists


@cache
def _connectives() -> tuple[tuple[tuple[str, ...], bool], ...]:
    """(words, comma required) for each listed connective, longest first."""
    out = []
    for line in data.phrases("style_connectives"):
        if line.startswith("!"):
            continue
        comma = line.endswith(",")
        out.append((tuple(_fold(line.rstrip(",")).split()), comma))
    return tuple(sorted(out, key=lambda x: -len(x[0])))


@cache
def _connective_exceptions() -> tuple[tuple[str, ...], ...]:
    return tuple(
        tuple(_fold(line[1:]).split()) for line in data.phrases("style_connectives") if line.startswith("!")
    )


@cache
def _procedure_re() -> re.Pattern[str]:
    alts = sorted({_fold(p) for p in data.phrases("style_procedure")}, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![\w'])")


def _fold(text: str) -> str:
    """Lower case, curly apostrophes straight, punctuation (but apostrophes) as spaces."""
    text = text.replace("’", "'").lower()
    text = re.sub(r"[^\w'-]+", " ", text)
    return " ".join(text.split())


def _strip_quotes(text: str) -> str:
    """``text`` with quoted passages blanked (same length, so offsets still hold)."""
    out = text
    for left, right in _QUOTE_PAIRS:
        if left == right == '"':
            pattern = re.compile(re.escape(left) + r"[^" + re.escape(left) + r"]*" + re.escape(right))
        elif left == "‘":  # ’ is also the apostrophe: a quote opens with ‘ after a space
            pattern = re.compile(r"(?:(?<=\s)|^)‘[^‘]*?(?:’(?=[\s.,;:!?)]|$)|$)")
        elif left == "'":  # a straight quote opens after a space or colon, before a letter
            pattern = re.compile(r"(?:(?<=[\s:])|^)'(?=\w).*?(?:'(?=[\s.,;:!?)]|$)|$)")
        else:
            pattern = re.compile(
                re.escape(left) + r"[^" + re.escape(right) + r"]*(?:" + re.escape(right) + r"|$)"
            )
        out = pattern.sub(lambda m: " " * len(m.group(0)), out)
    return out


def _bare(word: str) -> str:
    """A word without possessive 's and trailing full stop."""
    word = word.rstrip(".")
    return re.sub(r"['’]s?$", "", word)


# ---------------------------------------------------------------- names


def _name_words(name: str) -> list[str]:
    """The words of a name a sketch may use alone (no honorifics, initials, post-nominals)."""
    words = [w.strip(",") for w in name.split()]
    words = [w for w in words if w and not re.fullmatch(r"[A-Z]\.?", w)]
    while len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[-1].lower().rstrip(".") in _SUFFIXES:
        words.pop()
    return words


def _people_words(names: Sequence[str]) -> list[tuple[str, frozenset[str]]]:
    return _people_words_of(tuple(names))


@lru_cache(maxsize=8)
def _people_words_of(names: tuple[str, ...]) -> list[tuple[str, frozenset[str]]]:
    """The same names for every sentence of a sketch: their words are worked out once."""
    return [(n, frozenset(_name_words(n))) for n in dict.fromkeys(names) if n and n.strip()]


def _stopword(word: str) -> bool:
    syntax.import_spacy()
    from spacy.lang.en.stop_words import STOP_WORDS

    return word.lower() in STOP_WORDS


def _name_mentions(text: str, people: list[tuple[str, frozenset[str]]]) -> Counter[str]:
    """How many times each person is mentioned: one per run of their name's words.

    A run of capitalised words that holds a word of nobody's name ("Kim Jong-un", "Williams
    Review") is someone or something else, and not a mention.
    """
    all_words = {w for _, ws in people for w in ws}
    tokens = [(m.start(), _bare(m.group(0))) for m in _WORD_RE.finditer(text)]
    counts: Counter[str] = Counter()
    i = 0
    while i < len(tokens):
        word = tokens[i][1]
        if not word[:1].isupper() or (word not in all_words and (i == 0 or _stopword(word))):
            i += 1
            continue
        run = [word]
        j = i + 1
        while j < len(tokens) and tokens[j][1][:1].isupper() and _adjacent(text, tokens[j - 1], tokens[j]):
            if re.fullmatch(r"[A-Z]", tokens[j][1]):  # a middle initial
                j += 1
                continue
            run.append(tokens[j][1])
            j += 1
        i = j
        titles = data.words("style_titles")
        while len(run) > 1 and run[0].lower() in titles and run[0] not in all_words:
            run.pop(0)  # "Minister Kirsty Williams", "Ms Bowden"
        if not set(run) <= all_words:
            continue
        for person, words in people:
            if set(run) <= words:
                counts[person] += 1
    return counts


def _adjacent(text: str, a: tuple[int, str], b: tuple[int, str]) -> bool:
    """Whether two word tokens are separated by white space only (or an initial's dot)."""
    end = a[0] + len(a[1])
    gap = text[end : b[0]]
    return bool(re.fullmatch(r"(?:['’]s)?\.?\s+", gap)) and not gap.startswith(("'", "’"))


# ---------------------------------------------------------------- the rules


def sentence_problems(text: str, previous: str | None, names: Sequence[str]) -> list[tuple[str, str]]:
    """The style defects of one sketch sentence, as (rule id, message) pairs.

    ``previous`` is the sentence before it in the same paragraph (None at a paragraph's
    start): a "they" may find its antecedent there. ``names`` are the participants' names
    as the programme (or the sketch's block) writes them. Pure: no Context, no I/O beyond
    the cached parser and word lists; the drafting engines call it on every sentence.
    """
    text = text.strip()
    if not text:
        return []
    docs = syntax.parse_many([text] if previous is None else [text, previous], lemmas=False)
    doc = docs[0]
    prev_doc = docs[1] if previous is not None else None
    unquoted = _strip_quotes(text)
    people = _people_words(names)
    name_words = {w for _, ws in people for w in ws}
    out: list[tuple[str, str]] = []

    counts = _name_mentions(unquoted, people)
    for person, n in counts.items():
        if n >= 2:
            out.append(("style.name-twice", f"{person} is named {n} times in one sentence"))

    out.extend(_capital_after_that(doc, name_words))

    for m in _MODAL_HAD_RE.finditer(unquoted):
        out.append(("style.modal-had", f"'{' '.join(m.group(0).split())}': a modal takes 'have', not 'had'"))
        break

    first = _first_person(doc, unquoted)
    if first:
        out.append(("style.first-person", f"'{first}' outside quotation marks: who is it?"))
    second = _person_words(doc, unquoted, _SECOND_PERSON)
    if second:
        out.append(("style.second-person", f"'{second}' outside quotation marks: whom does it address?"))

    if not _has_clause(doc):
        out.append(("style.no-main-verb", "the sentence has no main verb"))

    connective = _leading_connective(text, previous)
    if connective:
        out.append(("style.leading-connective", f"opens with the connective '{connective}'"))

    m = _procedure_re().search(_fold(text))
    if m:
        out.append(("style.procedure", f"'{m.group(0)}' is procedure, not substance"))

    n_words = word_count(text)
    if n_words > MAX_WORDS:
        out.append(("style.too-long", f"{n_words} words (more than {MAX_WORDS})"))

    mismatch = _verb_mismatch(doc)
    if mismatch:
        out.append(("style.verb-mismatch", mismatch))

    dangling = _dangling(doc, prev_doc, unquoted, previous is None, name_words)
    if dangling:
        out.append(("style.dangling-pronoun", dangling))
    return out


def _capital_after_that(doc: Doc, name_words: set[str]) -> Iterator[tuple[str, str]]:
    for tok in doc[1:-1]:
        if tok.lower_ != "that":
            continue
        nxt = doc[tok.i + 1]
        word = nxt.text
        if not word[:1].isupper() or word == "I" or _bare(word) in name_words:
            continue
        if len(word) > 1 and (word.isupper() or "." in word.rstrip(".")):  # an acronym: EU, U.S.
            continue
        if nxt.is_punct or nxt.like_num:
            continue
        after = doc[nxt.i + 1] if nxt.i + 1 < len(doc) else None
        in_a_name = after is not None and after.text[:1].isupper() and after.text != "I"
        function_word = (nxt.is_stop and nxt.lower_ not in _MONTHS) or (
            nxt.pos_ in _FUNCTION_POS and nxt.pos_ != "PROPN" and not in_a_name  # "that Flying Start helped"
        )
        if function_word:
            yield ("style.capital-after-that", f"'that {word}': a capital after 'that'")
            return


def _person_words(doc: Doc, unquoted: str, wanted: frozenset[str]) -> str | None:
    for tok in doc:
        if tok.lower_ not in wanted or unquoted[tok.idx : tok.idx + len(tok)] != tok.text:
            continue
        if tok.text == "US":  # the United States
            continue
        return tok.text
    return None


def _is_reporting(tok: Token) -> bool:
    """Whether a verb reports speech or thought (said, noted, asked, believes ...)."""
    verbs = data.words("style_reporting") | data.words("style_asking")
    lemma = syntax.lemma(tok).lower()
    forms = {tok.lower_, lemma, lemma + "s", lemma + "es", lemma[:-1] + "ies"}
    return bool(forms & verbs)


def _first_person(doc: Doc, unquoted: str) -> str | None:
    for tok in doc:
        if unquoted[tok.idx : tok.idx + len(tok)] != tok.text:
            continue
        low = tok.lower_
        if tok.text == "US" or (low == "i" and tok.text != "I"):
            continue
        if (
            low == "i"
            and tok.i > 1
            and doc[tok.i - 1].text[:1].isupper()
            and not doc[tok.i - 1].is_sent_start
        ):
            continue  # "World War I", "Phase I"
        if low in _FIRST_PERSON:
            return tok.text
        if low == "we" and _voice_of_sentence(tok):
            return tok.text
    return None


def _voice_of_sentence(tok: Token) -> bool:
    """Whether a "we" is the subject of the main clause or of a reported clause.

    Walking up from its verb: a relative, adverbial or prepositional clause, or the
    complement of a verb that does not report speech ("time to realize that we ..."),
    makes it the general "we" a rapporteur may write.
    """
    node = tok.head
    while node.dep_ != "ROOT" and node.head.i != node.i:
        if node.dep_ in _GENERIC_CLAUSES:
            return False
        if node.dep_ == "ccomp" and not _is_reporting(node.head):
            return False
        if node.dep_ == "xcomp":
            return False
        node = node.head
    return True


def _has_clause(doc: Doc) -> bool:
    """Whether some sentence of ``doc`` is a main clause (not a fragment).

    ``syntax.has_main_verb`` decides, with two corrections: a finite verbal root after a
    word the tagger misread ("Otterly argued …": a name ending -ly read as an adverb) is a
    clause, and a root under "because"/"although"/"if", or with "which" as its subject, is
    a subordinate clause standing alone.
    """
    from sessionsketch.analysis.syntax import has_main_verb, root_of, subject_of

    for sent in doc.sents:
        root = root_of(sent)
        ok = has_main_verb(sent) or (
            root.tag_ in _FINITE
            and any(t.text[:1].isupper() or t.pos_ in _NOMINAL for t in sent if t.i < root.i)
        )
        if not ok:
            continue
        opening = next((t for t in sent if not t.is_punct), None)
        if (
            opening is not None
            and opening.dep_ == "mark"
            and opening.head.i == root.i
            and opening.lower_ in _SUBORDINATORS
        ):
            continue  # "Because the hubs are open."
        subject = subject_of(root)
        if (
            subject is not None
            and subject.lower_ in {"which", "whereby"}
            and not sent.text.rstrip().endswith("?")
        ):
            continue
        return True
    return False


def _leading_connective(text: str, previous: str | None) -> str | None:
    head = text.lstrip("\"'“‘([ ")
    words = _fold(head).split()
    if not words:
        return None
    for exc in _connective_exceptions():
        if tuple(words[: len(exc)]) == exc:
            return None
    for phrase, comma in _connectives():
        if tuple(words[: len(phrase)]) != phrase:
            continue
        after = re.match(
            r"\W*" + r"\W+".join(re.escape(w) for w in phrase) + r"(\W*)", head.lower().replace("’", "'")
        )
        if comma and not (after and "," in after.group(1)):
            continue
        return " ".join(head.split()[: len(phrase)]).rstrip(",")
    if words[0] == "but":
        rest = head[3:].lstrip()
        nxt = tuple(words[1:3])
        joined = any(nxt[: len(p)] == p for p, _ in _connectives())
        if previous is None or rest.startswith(",") or joined:
            return head.split()[0].rstrip(",")
    return None


def _verb_mismatch(doc: Doc) -> str | None:
    asking = data.words("style_asking")
    stating = data.words("style_reporting")
    positive = data.words("style_positive")
    for tok in doc:
        low = tok.lower_
        if low not in asking and low not in stating:
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is None or nxt.lower_ != "that":
            continue
        clause = doc[tok.i + 2 :]
        if not len(clause):
            continue
        if low in asking:
            verb = next((t for t in clause if t.pos_ in {"VERB", "AUX"}), None)
            if verb is None:
                continue
            # "asked that the report be published / should be": a request, fine
            if verb.tag_ == "VB" or verb.lower_ in {"should", "must"}:
                continue
            return f"'{tok.text} that …' with a statement: '{tok.text}' needs a question"
        first = clause[0]
        after = clause[1] if len(clause) > 1 else None
        inverted = (
            first.lower_ in _INVERTING
            and after is not None
            and (after.pos_ in {"PRON", "PROPN"} and after.lower_ != "that")
        )
        if inverted:  # "noted that could David ...": a question, not a statement
            return f"'{tok.text} that {first.text} {after.text} …' reports a question with a verb for a statement"
        if low in {"warned", "warns", "cautioned", "cautions"}:
            hit = next((t.text for t in clause[:8] if t.lower_ in positive), None)
            if hit:
                return f"'{tok.text}' reports good news ('{hit}'): warned is for a risk"
    end = doc.text.rstrip(" \"'”’)")
    if end.endswith("?"):
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        if root is not None and root.lower_ in stating and root.lower_ not in asking:
            return f"a question reported with '{root.text}'"
    return None


def _dangling(
    doc: Doc, prev_doc: Doc | None, unquoted: str, paragraph_start: bool, name_words: set[str]
) -> str | None:
    first = next((t for t in doc if not t.is_punct), None)
    if first is None:
        return None
    low = first.lower_
    if low in _OPENING_PRONOUNS:
        return f"opens with '{first.text}': whom does it stand for?"
    if low in _DEMONSTRATIVES and (first.dep_ != "det" or paragraph_start):
        return f"opens with '{first.text}': what does it point back to?"
    for tok in doc:
        if tok.lower_ not in _THEY or unquoted[tok.idx : tok.idx + len(tok)] != tok.text:
            continue
        if _has_antecedent(doc[: tok.i], name_words) or (
            prev_doc is not None and _has_antecedent(prev_doc, name_words)
        ):
            continue
        return f"'{tok.text}' has no antecedent in this sentence or the one before"
    return None


def _has_antecedent(span, name_words: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """Whether a span holds a plural or group noun "they" may stand for.

    A participant's name is no antecedent even when the tagger reads a final -s as a
    plural ("Davies", "Williams").
    """
    groups = data.words("style_collective")
    for tok in span:
        if _bare(tok.text) in name_words:
            continue
        if tok.tag_ in {"NNS", "NNPS"}:
            return True
        if tok.pos_ in {"NOUN", "PROPN"} and (tok.lower_ in groups or syntax.lemma(tok).lower() in groups):
            return True
        if tok.dep_ == "conj" and tok.pos_ in {"NOUN", "PROPN"}:  # "Steve Davies and Huw Morris"
            return True
    return False


# ---------------------------------------------------------------- the registered rule


def _names(ctx: Context) -> list[str]:
    out: list[str] = []
    for p in ctx.people:
        out.append(p.name)
        out.extend(a for a in p.aliases if a and not a.isupper())
    return out


@rule("style")
def check_style(ctx: Context) -> Iterator[Finding]:
    """Mechanical drafting defects: names twice, run-on speech, person, fragments, length."""
    names = _names(ctx)
    previous: str | None = None
    last_paragraph = -1
    for passage in ctx.passages:
        if passage.paragraph != last_paragraph:
            previous, last_paragraph = None, passage.paragraph
        for rule_id, message in sentence_problems(passage.text, previous, names):
            yield Finding(rule_id, "warning", message, SUGGESTIONS.get(rule_id), passage.location)
        previous = passage.text
