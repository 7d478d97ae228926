"""Rule ``names``: every mention of a participant is spelt as the programme spells it.

A sketch may write a participant's full name, the name without a middle initial, the
family name alone or with an honorific ("Kim", "Dr Kim"). Any of those is correct.
A run of capitalised words that comes close to a participant's name without being one
of those forms ("Soeya Yoshida" for "Soeya Yoshihide", "Knaper" for "Knapper") is a
misspelling, reported with the right spelling and a safe fix. Names that come nowhere
near a participant (Kim Jong-un, Donald Trump) are other people and are left alone.
Names are found by :class:`sessionsketch.analysis.mentions.NameFinder`, the finder every
reader of names shares.
"""

from __future__ import annotations

from collections.abc import Iterator

from sessionsketch.analysis.mentions import (  # noqa: F401  (the names other rules and bench/ import)
    COMMON_WORD_COUNT,
    NEAR_RATIO,
    REPORTING_VERBS,
    VERY_COMMON_WORD_COUNT,
    Mention,
    NameFinder,
    is_common_word,
)
from sessionsketch.analysis.names import core_name, fold, match_name
from sessionsketch.checks import Context, Finding, Fix, rule


@rule("names")
def check_names(ctx: Context) -> Iterator[Finding]:
    """Misspelt participant names in the body, and names/affiliations in the block."""
    if not ctx.people:
        return
    finder = NameFinder(ctx.people, ctx.transcript_words)
    for passage in ctx.passages:
        for m in finder.mentions(passage.text):
            if m.kind != "near" or m.right is None or m.person is None:
                continue
            yield Finding(
                "names.misspelt",
                "error",
                f"'{m.written}' is not how the programme spells {m.person.name}",
                f"write '{m.right}'",
                passage.location,
                Fix(m.written, m.right),
            )
    if ctx.programme is None:
        return
    yield from _block_names(ctx)


def _block_names(ctx: Context) -> Iterator[Finding]:
    for ref in ctx.sketch.metadata.people:
        loc = ctx.block_location(ref.name)
        m = match_name(ref.name, ctx.people)
        if m is None:
            yield Finding(
                "names.block",
                "warning",
                f"'{ref.name}' is listed in the block but is not on the programme",
                "check the programme or remove the name",
                loc,
            )
            continue
        person = m.person
        if core_name(ref.name) != core_name(person.name):
            yield Finding(
                "names.misspelt",
                "error",
                f"the block writes '{ref.name}' for {person.name}",
                f"write '{person.name}'",
                loc,
                Fix(ref.name, person.name),
            )
        if person.affiliation and ref.affiliation and fold(ref.affiliation) != fold(person.affiliation):
            yield Finding(
                "names.affiliation",
                "error",
                f"{person.name}'s affiliation is '{ref.affiliation}' in the block "
                f"but '{person.affiliation}' in the programme",
                f"write '{person.affiliation}'",
                ctx.block_location(ref.affiliation),
                Fix(ref.affiliation, person.affiliation),
            )
        elif person.affiliation and not ref.affiliation:
            yield Finding(
                "names.affiliation",
                "warning",
                f"the block gives no affiliation for {person.name}",
                f"add '{person.affiliation}'",
                loc,
            )
