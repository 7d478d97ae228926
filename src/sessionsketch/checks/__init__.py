"""The editor's linter: rules that read a sketch and report findings.

Each rule family is a module in this package whose functions are registered with
:func:`rule` (outside packages add rules through the ``sessionsketch.checks`` entry
points, :mod:`sessionsketch.plugins`); a rule takes a :class:`Context` (the sketch, its
programme, its transcript, where each sentence sits in the source file) and yields
:class:`Finding` objects. :func:`run_checks` runs every rule that applies;
:func:`apply_fixes` applies the safe fixes (name spellings) to a sketch, and
:func:`fix_text` applies them to the text of a Markdown or plain-text sketch in place.

The pieces live in ``findings`` (Finding, Location, Fix), ``context`` (Context,
Passage) and ``fixes``; every name is importable from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sessionsketch import plugins
from sessionsketch.checks.context import Context, Passage
from sessionsketch.checks.findings import SEVERITIES, Finding, Fix, Location, at_least_warning
from sessionsketch.checks.fixes import apply_fixes, fix_text, replace_words
from sessionsketch.model import Programme, Sketch, Transcript

__all__ = [
    "SEVERITIES",
    "Context",
    "Finding",
    "Fix",
    "Location",
    "Passage",
    "Rule",
    "RuleSpec",
    "apply_fixes",
    "at_least_warning",
    "fix_text",
    "replace_words",
    "rule",
    "rules",
    "run_checks",
]


Rule = Callable[[Context], Iterable[Finding]]


@dataclass
class RuleSpec:
    name: str
    check: Rule
    needs_transcript: bool = False
    unattributed_only: bool = False
    attributed_only: bool = False
    description: str = ""


_RULES: dict[str, RuleSpec] = {}


def rule(
    name: str,
    needs_transcript: bool = False,
    unattributed_only: bool = False,
    attributed_only: bool = False,
) -> Callable[[Rule], Rule]:
    """Register a rule family function under ``name``."""

    def deco(fn: Rule) -> Rule:
        _RULES[name] = RuleSpec(
            name,
            fn,
            needs_transcript,
            unattributed_only,
            attributed_only,
            (fn.__doc__ or "").strip().split("\n")[0],
        )
        return fn

    return deco


def rules() -> dict[str, RuleSpec]:
    """Every rule family by name: the package's own and the plugins' (entry points)."""
    plugins.load("checks")
    return dict(_RULES)


_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def run_checks(
    sketch: Sketch,
    programme: Programme | None = None,
    transcript: Transcript | None = None,
    unattributed: bool = False,
    source: str | Path | None = None,
    source_text: str | None = None,
    only: Iterable[str] | None = None,
) -> list[Finding]:
    """Every finding of every rule that applies, in the order of the sketch.

    ``source`` is the file the sketch was read from (for locations; a Markdown or text
    file is read to give line numbers). Rules that need a transcript run only with one;
    the ``unattributed`` rule runs only for Chatham House sketches, and the rules about
    who said what only for attributed ones.
    """
    ctx = Context(
        sketch,
        programme=programme,
        transcript=transcript,
        unattributed=unattributed,
        source=source,
        source_text=source_text,
    )
    wanted = set(only) if only is not None else None
    findings: list[Finding] = []
    for spec in rules().values():
        if wanted is not None and spec.name not in wanted:
            continue
        if spec.needs_transcript and transcript is None:
            continue
        if spec.unattributed_only and not unattributed:
            continue
        if spec.attributed_only and unattributed:
            continue
        findings.extend(spec.check(ctx))
    return sorted(findings, key=_sort_key)


def _sort_key(f: Finding) -> tuple[int, int, int, int, str]:
    loc = f.location
    return (
        -1 if loc.paragraph is None else loc.paragraph,
        loc.sentence or 0,
        loc.line or 0,
        _ORDER.get(f.severity, 9),
        f.rule,
    )
