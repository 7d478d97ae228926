"""The institute's house rule: no exclamation marks in a sketch."""

from __future__ import annotations

from collections.abc import Iterator

from sessionsketch.checks import Context, Finding, rule


@rule("house.exclamation")
def exclamations(ctx: Context) -> Iterator[Finding]:
    """An exclamation mark in the body."""
    for passage in ctx.passages:
        if "!" in passage.text:
            yield Finding("house.exclamation", "warning", "an exclamation mark", location=passage.location)
