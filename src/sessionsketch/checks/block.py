"""Rule ``block``: the metadata block is complete and agrees with the programme.

A sketch's block names the session, the date, the time range, the rapporteur and the
moderator; every page carries the disclaimer. Missing or malformed entries are
reported; with a programme, a date, time or listed speaker that disagrees with it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sessionsketch.analysis.names import match_name
from sessionsketch.checks import Context, Finding, rule

_DATE_LINE_RE = re.compile(r"^\W*date\b[^:]*:\W*(.*)$", re.IGNORECASE | re.MULTILINE)


@rule("block")
def check_block(ctx: Context) -> Iterator[Finding]:
    """Missing or malformed date, time range, rapporteur, moderator, disclaimer."""
    meta = ctx.sketch.metadata
    where = ctx.block_location()
    if meta.date is None:
        written = _written_date(ctx)
        if written:
            yield Finding(
                "block.date",
                "error",
                f"the date '{written}' cannot be read",
                "write it as 'April 23, 2019' or 2019-04-23",
                ctx.block_location(written),
            )
        else:
            yield Finding("block.date", "error", "the block has no date", "add the session's date", where)
    if meta.start is None or meta.end is None:
        yield Finding(
            "block.time",
            "warning",
            "the block has no time range"
            if meta.start is None and meta.end is None
            else "the time range is incomplete",
            "add the session's time as 13:00-14:30",
            where,
        )
    elif meta.start >= meta.end:
        yield Finding(
            "block.time",
            "error",
            f"the time range {meta.start}-{meta.end} ends before it starts",
            "check the start and end times",
            ctx.block_location(meta.start),
        )
    if meta.rapporteur is None:
        yield Finding(
            "block.rapporteur", "warning", "the block names no rapporteur", "add the rapporteur", where
        )
    if meta.moderator is None:
        yield Finding(
            "block.moderator", "warning", "the block names no moderator", "add the moderator", where
        )
    if not (ctx.sketch.disclaimer or "").strip():
        yield Finding(
            "block.disclaimer",
            "warning",
            "the sketch has no disclaimer",
            "add the house disclaimer (it goes on every page)",
            where,
        )
    if ctx.programme is not None:
        yield from _against_programme(ctx)


def _written_date(ctx: Context) -> str | None:
    if not ctx.source_text:
        return None
    m = _DATE_LINE_RE.search(ctx.source_text)
    return m.group(1).strip() or None if m else None


def _against_programme(ctx: Context) -> Iterator[Finding]:
    meta = ctx.sketch.metadata
    session = ctx.programme.session if ctx.programme else None
    if session is None:
        return
    if session.date and meta.date and session.date != meta.date:
        yield Finding(
            "block.date",
            "error",
            f"the block dates the session {meta.date.isoformat()}, the programme {session.date.isoformat()}",
            f"write {session.date.isoformat()}",
            ctx.block_location(),
        )
    if (
        session.start
        and session.end
        and meta.start
        and meta.end
        and (meta.start, meta.end)
        != (
            session.start,
            session.end,
        )
    ):
        yield Finding(
            "block.time",
            "warning",
            f"the block gives {meta.start}-{meta.end}, the programme {session.start}-{session.end}",
            f"write {session.start}-{session.end}",
            ctx.block_location(meta.start),
        )
    listed = [match_name(p.name, ctx.people) for p in meta.speakers]
    listed_names = {m.person.name for m in listed if m is not None}
    for person in session.speakers:
        if meta.speakers and person.name not in listed_names:
            yield Finding(
                "block.speakers",
                "warning",
                f"{person.name} is on the programme but not listed among the speakers",
                f"add '{person.name}, {person.affiliation}'"
                if person.affiliation
                else f"add '{person.name}'",
                ctx.block_location(),
            )
