"""Rule ``coverage``: the body reports on the panel, the whole panel, in proportion.

A listed speaker the body never mentions or reports on; a body that reports what
someone not on the programme said; and, with a transcript, a speaker whose share of
the body is far out of line with their share of the speaking time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from sessionsketch.analysis.names import fold, strip_titles
from sessionsketch.checks import Context, Finding, rule
from sessionsketch.checks.names import REPORTING_VERBS, NameFinder
from sessionsketch.text import word_count

#: A speaker's body share this many times above or below their speaking share is out of line.
SHARE_RATIO = 3.0
#: ...and only when the shares differ by at least this much.
SHARE_GAP = 0.10
#: Shares this far apart are out of line whatever their ratio.
SHARE_GAP_ALWAYS = 0.25

_REPORTED_BY_RE = re.compile(
    r"(?:^|(?<=[\s(“\"]))((?:[A-Z][\w’'.-]*\s+){0,2}[A-Z][\w’'-]*)(?:[’']s)?\s+(?:also\s+|likewise\s+|further\s+)?"
    rf"(?:{REPORTING_VERBS})\b"
)
_NOT_NAMES = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "we",
        "this",
        "that",
        "these",
        "those",
        "the",
        "there",
        "then",
        "however",
        "but",
        "and",
        "while",
        "minister",
        "chair",
        "moderator",
        "speaker",
        "panel",
        "panelists",
        "panellists",
        "rapporteur",
        "audience",
        "government",
        "committee",
        "president",
        "secretary",
        "member",
        "members",
    ]
)


@rule("coverage", attributed_only=True)
def check_coverage(ctx: Context) -> Iterator[Finding]:
    """Speakers left out, people reported who are not on the programme, shares out of line."""
    if not ctx.sketch.paragraphs:
        return
    finder = NameFinder(ctx.people)
    covered: set[str] = {p.speaker for p in ctx.passages if p.speaker}
    covered |= {p.speaker for p in ctx.sketch.paragraphs if p.speaker}
    for passage in ctx.passages:
        covered |= {m.person.name for m in finder.mentions(passage.text) if m.person is not None}
        yield from _outsiders(ctx, finder, passage)
    where = ctx.block_location()
    for person in ctx.reported:
        if person.name not in covered:
            yield Finding(
                "coverage.missing",
                "warning",
                f"{person.name} is a listed speaker but the body never reports on them",
                f"add a paragraph on what {person.family_name} argued, or take them off the list",
                where,
            )
    names = {p.name for p in ctx.people}
    for passage in ctx.passages:
        if passage.speaker and ctx.programme is not None and passage.speaker not in names:
            yield Finding(
                "coverage.outsider",
                "warning",
                f"the sentence is attributed to {passage.speaker}, who is not on the programme",
                "attribute it to a participant or add them to the programme",
                passage.location,
            )
    if ctx.transcript is not None:
        yield from _shares(ctx)


def _outsiders(ctx: Context, finder: NameFinder, passage) -> Iterator[Finding]:
    if ctx.programme is None:
        return
    for m in _REPORTED_BY_RE.finditer(passage.text):
        written = m.group(1)
        words = fold(written).split()
        if not words or words[0] in _NOT_NAMES or not strip_titles(fold(written)):
            continue
        if any(w in _NOT_NAMES for w in words):
            continue
        if list(finder.mentions(written)) or list(finder.mentions(passage.text[m.start(1) : m.end()])):
            continue
        yield Finding(
            "coverage.outsider",
            "warning",
            f"the body reports what {written} said, but {written} is not on the programme",
            "check the name against the programme, or add them to it",
            passage.location,
        )


def _shares(ctx: Context) -> Iterator[Finding]:
    assert ctx.transcript is not None
    spoken: Counter[str] = Counter()
    for turn in ctx.transcript.turns:
        if turn.speaker is not None:
            spoken[turn.speaker.name] += word_count(turn.text)
    reported = [p.name for p in ctx.reported if spoken[p.name] > 0] or list(spoken)
    written: Counter[str] = Counter()
    for passage in ctx.passages:
        if passage.speaker in reported:
            written[passage.speaker] += word_count(passage.text)
    total_written = sum(written.values())
    total_spoken = sum(spoken[n] for n in reported)
    if not total_written or not total_spoken:
        return
    for name in reported:
        said = spoken[name] / total_spoken
        got = written[name] / total_written
        if abs(said - got) < SHARE_GAP:
            continue
        if abs(said - got) >= SHARE_GAP_ALWAYS or got * SHARE_RATIO < said or got > said * SHARE_RATIO:
            yield Finding(
                "coverage.share",
                "warning",
                f"{name} has {got:.0%} of the body but {said:.0%} of the speaking time",
                "give each speaker room in proportion to what they said",
                ctx.block_location(),
            )
