"""Rule ``support`` (with a transcript): each sentence rests on its speaker's own turns.

Every sentence attributed to a participant is scored against that participant's turns
with :class:`sessionsketch.analysis.support.SupportScorer`, which weighs each turn's
words by what the turn does: a statement is supported by turns that assert it (or say
yes to it), not by a question that proposes it, an echo or a quotation; "X asked
whether …" is supported by X's question. A sentence that another participant's turns
support clearly better is a *misattribution*; so is a weakly supported sentence in a
paragraph whose sentences, read together, rest on another participant's turns — unless
the words cannot tell the two apart (one shared content word, only names of offices, or
the named speaker has every shared word too). One that nobody's turns support is
*unsupported*. The message quotes the best supporting
turn.
"""

from __future__ import annotations

from collections.abc import Iterator

from sessionsketch.analysis.support import SUPPORTED, Support
from sessionsketch.checks import Context, Finding, rule

#: Another speaker's support must beat the named speaker's by this much...
MISATTRIBUTION_MARGIN = 0.15
#: ...and the named speaker's must be at most this fraction of it.
MISATTRIBUTION_RATIO = 0.6
#: Below this, nobody's turns support the sentence.
UNSUPPORTED = 0.12
#: Another speaker's span must share this many of the sentence's content words (or all of
#: them): one word in common ("So, that's a problem for us") is no sign of who said it.
MISATTRIBUTION_SHARED = 2


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _misattributed(own: float, other: float) -> bool:
    """Whether another speaker's support beats the named speaker's clearly enough."""
    return other >= SUPPORTED and other - own >= MISATTRIBUTION_MARGIN and own <= other * MISATTRIBUTION_RATIO


def _paragraph_speakers(ctx: Context, rankings: dict[str, dict[str, Support]]) -> dict[tuple[int, str], str]:
    """For each paragraph's run of sentences under one speaker, who said them, read together.

    A paragraph attributed to the wrong person is the misattribution parsing makes (a
    heading read as a name, a questioner taken for the speaker). Sentence by sentence,
    loosely paraphrased ones may match nobody clearly; averaged over the paragraph, the
    real speaker shows. Maps (paragraph, named speaker) to the speaker whose mean support
    beats the named one's by the sentence rule's margins; runs of one sentence are left
    to that rule.
    """
    groups: dict[tuple[int, str], list[dict[str, Support]]] = {}
    for passage in ctx.passages:
        if passage.speaker:
            groups.setdefault((passage.paragraph, passage.speaker), []).append(rankings[passage.text])
    out = {}
    for (paragraph, named), ranks in groups.items():
        if len(ranks) < 2:
            continue
        mean = {who: sum(r[who].score for r in ranks) / len(ranks) for who in ranks[0]}
        others = [who for who in mean if who != named]
        if named not in mean or not others:
            continue
        best = max(others, key=lambda who: (mean[who], who))
        if _misattributed(mean[named], mean[best]):
            out[(paragraph, named)] = best
    return out


@rule("support", needs_transcript=True, attributed_only=True)
def check_support(ctx: Context) -> Iterator[Finding]:
    """Sentences no turn supports, and sentences (or paragraphs) another participant said."""
    scorer = ctx.scorer
    # parse the sentences, and the turns that could support them, in one batch
    attributed = [p for p in ctx.passages if p.speaker]
    scorer.prepare([p.text for p in attributed], [p.speaker for p in attributed])
    rankings = {p.text: dict(scorer.ranking(p.text)) for p in ctx.passages if p.speaker}
    paragraphs = _paragraph_speakers(ctx, rankings)
    for passage in ctx.passages:
        if not passage.speaker:
            continue
        ranking = rankings[passage.text]
        own = scorer.support(passage.text, passage.speaker)
        others = sorted(
            ((n, s) for n, s in ranking.items() if n != passage.speaker), key=lambda ns: (-ns[1].score, ns[0])
        )
        if (
            others
            and _misattributed(own.score, others[0][1].score)
            and not scorer.indistinct(passage.text, passage.speaker, others[0][0])
            and (others[0][1].shared >= MISATTRIBUTION_SHARED or scorer.covers(others[0][1], passage.text))
        ):
            name, best = others[0]
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
        name = paragraphs.get((passage.paragraph, passage.speaker))
        if name is not None and own.score < SUPPORTED and own.score <= ranking[name].score:
            best = ranking[name]
            where = f"turn {best.turn}: “{_quote(scorer.quote(best))}”; " if best.turn is not None else ""
            yield Finding(
                "support.misattributed",
                "error",
                f"attributed to {passage.speaker}, but its paragraph rests on what {name} said "
                f"({where}support {best.score:.2f} against {own.score:.2f})",
                f"attribute the paragraph to {name}, or rewrite it from {passage.speaker}'s turns",
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
