"""Rule ``support`` (with a transcript): each sentence rests on its speaker's own turns.

Every sentence attributed to a participant is scored against that participant's turns
with :class:`sessionsketch.analysis.support.SupportScorer`, which weighs each turn's
words by what the turn does: a statement is supported by turns that assert it (or say
yes to it), not by a question that proposes it, an echo or a quotation; "X asked
whether …" is supported by X's question. A sentence that another participant's turns
support clearly better is a *misattribution*; one that nobody's turns support is
*unsupported*. The message quotes the best supporting turn.
"""

from __future__ import annotations

from collections.abc import Iterator

from sessionsketch.analysis.support import SUPPORTED
from sessionsketch.checks import Context, Finding, rule

#: Another speaker's support must beat the named speaker's by this much...
MISATTRIBUTION_MARGIN = 0.15
#: ...and the named speaker's must be at most this fraction of it.
MISATTRIBUTION_RATIO = 0.6
#: Below this, nobody's turns support the sentence.
UNSUPPORTED = 0.12


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@rule("support", needs_transcript=True, attributed_only=True)
def check_support(ctx: Context) -> Iterator[Finding]:
    """Sentences no turn supports, and sentences another participant said."""
    scorer = ctx.scorer
    # parse the sentences, and the turns that could support them, in one batch
    scorer.prepare(p.text for p in ctx.passages if p.speaker)
    for passage in ctx.passages:
        if not passage.speaker:
            continue
        own = scorer.support(passage.text, passage.speaker)
        ranking = scorer.ranking(passage.text)
        others = [(n, s) for n, s in ranking if n != passage.speaker]
        if others:
            name, best = others[0]
            if (
                best.score >= SUPPORTED
                and best.score - own.score >= MISATTRIBUTION_MARGIN
                and own.score <= best.score * MISATTRIBUTION_RATIO
            ):
                yield Finding(
                    "support.misattributed",
                    "error",
                    f"attributed to {passage.speaker}, but {name} said it "
                    f"(turn {best.turn}: “{_quote(scorer.quote(best))}”; support {best.score:.2f} "
                    f"against {own.score:.2f})",
                    f"attribute it to {name}, or rewrite it from {passage.speaker}'s turns",
                    passage.location,
                )
                continue
        if own.score < UNSUPPORTED:
            hint = (
                f" (closest: turn {own.turn}: “{_quote(scorer.quote(own))}”)" if own.turn is not None else ""
            )
            yield Finding(
                "support.unsupported",
                "warning",
                f"nothing {passage.speaker} said supports this sentence (support {own.score:.2f}){hint}",
                "check it against the transcript",
                passage.location,
            )
