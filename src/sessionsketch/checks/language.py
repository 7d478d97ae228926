"""Rule ``language``: words commonly confused, doubled words, sentences cut at a page break.

Each confusion is a pattern of the wrong word in a context that gives it away
("the broader principals of", "its time to", "an affect on"); a word right in other
contexts is never flagged. These are reported with a suggestion, never fixed
automatically: only name spellings are safe to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sessionsketch.checks import Context, Finding, rule

_ADJ = (
    r"broader|broad|basic|core|key|fundamental|democratic|guiding|general|shared|same|first|"
    r"founding|universal|common|main|underlying|liberal|moral|ethical|economic|market"
)

CONFUSIONS: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(rf"\b(?:(?:{_ADJ})\s+principals|principals\s+(?:such\s+as|underlying))\b", re.I),
        "principals",
        "principles (rules, ideas); principals are people",
    ),
    (
        re.compile(r"\b(?:school|head|college|deputy)\s+principles\b|\bprinciples\s+and\s+teachers\b", re.I),
        "principles",
        "principals (heads of schools)",
    ),
    (
        re.compile(
            r"\bits\s+(?:time|a|an|not|been|going|clear|hard|important|likely|possible|"
            r"necessary|true|worth|unclear|difficult|essential)\b",
            re.I,
        ),
        "its",
        "it's (it is / it has)",
    ),
    (
        re.compile(r"\bit['’]s\s+(?:own|members|allies|policy|policies|citizens|people)\b", re.I),
        "it's",
        "its",
    ),
    (
        re.compile(
            r"\b(?:an|the|any|no|little|negative|positive|significant|adverse)\s+affect\b(?!\s+(?:the|a|an|our|their|its)\b)"
            r"|\baffect\s+(?:on|upon)\b",
            re.I,
        ),
        "affect",
        "effect (the noun)",
    ),
    (
        re.compile(
            r"\b(?:will|would|could|can|may|might|to|not|negatively|directly|adversely)\s+effect\s+"
            r"(?:the|our|their|its|his|her|children|people|how)\b|\beffected\s+by\b",
            re.I,
        ),
        "effect",
        "affect (the verb)",
    ),
]

_DOUBLED_RE = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_DOUBLES_ALLOWED = frozenset({"had", "that", "is"})
_END_RE = re.compile(r"[.!?…][\"'”’)\]]*$|[.!?…]\s*[*_]*$")


@rule("language")
def check_language(ctx: Context) -> Iterator[Finding]:
    """Commonly confused words, doubled words, sentences cut at a page break."""
    for passage in ctx.passages:
        for pattern, word, right in CONFUSIONS:
            for m in pattern.finditer(passage.text):
                yield Finding(
                    "language.confused",
                    "error",
                    f"'{m.group(0)}': {word} is the wrong word here",
                    f"write {right}",
                    passage.location,
                )
        for m in _DOUBLED_RE.finditer(passage.text):
            if m.group(1).lower() in _DOUBLES_ALLOWED or m.group(1).isdigit():
                continue
            yield Finding(
                "language.doubled",
                "warning",
                f"'{m.group(0)}': the word is written twice",
                f"write '{m.group(1)}' once",
                passage.location,
            )
    for i, para in enumerate(ctx.sketch.paragraphs):
        if not para.sentences:
            continue
        last = para.sentences[-1].text.rstrip()
        first = para.sentences[0].text.lstrip("\"'“‘(")
        loc_last = next(
            p.location for p in ctx.passages if p.paragraph == i and p.sentence == len(para.sentences) - 1
        )
        loc_first = next(p.location for p in ctx.passages if p.paragraph == i and p.sentence == 0)
        if last and not _END_RE.search(last):
            yield Finding(
                "language.cut",
                "warning",
                f"the paragraph ends mid-sentence ('…{last[-40:]}')",
                "join it with its end (a page break may have cut it) or finish the sentence",
                loc_last,
            )
        if i > 0 and first[:1].islower():
            yield Finding(
                "language.cut",
                "warning",
                f"the paragraph starts mid-sentence ('{first[:40]}…')",
                "join it to the sentence it continues (a page break may have cut it)",
                loc_first,
            )
