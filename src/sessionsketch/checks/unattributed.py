"""Rule ``unattributed`` (Chatham House sketches): nobody in the body can be identified.

Under the Chatham House rule a sketch reports what was said, not who said it: any
participant's name (or family name alone, or a near misspelling of it), affiliation,
or identifying role in the body is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sessionsketch.checks import Context, Finding, rule
from sessionsketch.checks.names import NameFinder
from sessionsketch.analysis.names import fold

_ROLE_RE = re.compile(
    r"\b(?:the\s+)?(?:moderator|chair(?:man|woman|person)?|rapporteur|minister|ambassador|senator|"
    r"professor|president|secretary|governor|director|commissioner|chief\s+executive|ceo)\b"
    r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?",
    re.IGNORECASE,
)


@rule("unattributed", unattributed_only=True)
def check_unattributed(ctx: Context) -> Iterator[Finding]:
    """Names, affiliations and identifying roles of participants in the body."""
    finder = NameFinder(ctx.people)
    affiliations = sorted({p.affiliation for p in ctx.people if p.affiliation}, key=lambda a: -len(a))
    for passage in ctx.passages:
        for m in finder.mentions(passage.text):
            yield Finding(
                "unattributed.name",
                "error",
                f"'{m.written}' names a participant in an unattributed sketch",
                "say 'one speaker' or 'a participant' instead",
                passage.location,
            )
        folded = f" {fold(passage.text)} "
        for aff in affiliations:
            if f" {fold(aff)} " in folded:
                yield Finding(
                    "unattributed.affiliation",
                    "error",
                    f"'{aff}' identifies a participant's institution in an unattributed sketch",
                    "describe the institution in general terms or leave it out",
                    passage.location,
                )
        for m in _ROLE_RE.finditer(passage.text):
            if m.group(0)[0].islower() and not m.group(0).lower().startswith("the "):
                continue
            yield Finding(
                "unattributed.role",
                "error",
                f"'{m.group(0)}' identifies a participant by their role",
                "leave out roles that point at one person",
                passage.location,
            )
