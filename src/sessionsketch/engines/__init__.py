"""Drafting engines behind one interface, registered by name.

An engine turns a programme session and its resolved transcript into a Sketch whose
every sentence carries evidence (turn indices and character spans). The embedded
offline engine (``extractive``) is the default and the fallback; others (``llm``)
plug in beside it by registering themselves here, or from an outside package through
the ``sessionsketch.engines`` entry points (:mod:`sessionsketch.plugins`).

An engine never prints: what it has to tell the user (timings, rejected sentences, a
fallback) it leaves in its ``report`` (:class:`DraftReport`), which the caller logs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sessionsketch import plugins
from sessionsketch.errors import UserError
from sessionsketch.model import Programme, Session, Sketch, Transcript


@dataclass
class DraftOptions:
    words: int | None = None  # total body length; None = about 120 words per speaker
    include_moderator: bool = False
    unattributed: bool = False  # Chatham House: no names, affiliations or identifying roles
    extra: dict[str, Any] = field(default_factory=dict)  # engine-specific settings


@dataclass
class DraftReport:
    """What an engine tells the user about one draft (the CLI logs it; ``--quiet`` hides it)."""

    summary: str | None = None  # one line: time, requests, sentences kept
    details: list[str] = field(default_factory=list)  # one line each (``--explain``)
    notes: list[str] = field(default_factory=list)  # what the user should know (a fallback taken)
    figures: dict[str, Any] = field(default_factory=dict)  # the numbers behind the summary

    def lines(self) -> list[str]:
        return [*self.notes, *([self.summary] if self.summary else []), *self.details]


class Engine(Protocol):
    name: str

    def draft(
        self, programme: Programme, session: Session, transcript: Transcript, options: DraftOptions
    ) -> Sketch: ...


_ENGINES: dict[str, Callable[..., Engine]] = {}


def register_engine(name: str) -> Callable[[Callable[..., Engine]], Callable[..., Engine]]:
    """Register an engine factory under ``name`` (a class or a function returning an Engine)."""

    def deco(factory: Callable[..., Engine]) -> Callable[..., Engine]:
        _ENGINES[name] = factory
        return factory

    return deco


def engine_names() -> list[str]:
    plugins.load("engines")
    return sorted(_ENGINES)


def get_engine(name: str = "extractive", **settings: Any) -> Engine:
    plugins.load("engines")
    if name not in _ENGINES:
        raise UserError(f"unknown engine '{name}' (known: {', '.join(sorted(_ENGINES))})")
    return _ENGINES[name](**settings)


def draft_sketch(
    programme: Programme,
    transcript: Transcript,
    session: Session | None = None,
    engine: str | Engine = "extractive",
    options: DraftOptions | None = None,
) -> Sketch:
    """Draft a sketch of ``session`` (default: the programme's first) from ``transcript``."""
    eng = get_engine(engine) if isinstance(engine, str) else engine
    return eng.draft(programme, session or programme.session, transcript, options or DraftOptions())


def draft_with_report(
    programme: Programme,
    transcript: Transcript,
    session: Session | None = None,
    engine: str | Engine = "extractive",
    options: DraftOptions | None = None,
) -> tuple[Sketch, DraftReport]:
    """:func:`draft_sketch`, and what the engine reported about the draft (empty if nothing)."""
    eng = get_engine(engine) if isinstance(engine, str) else engine
    sketch = draft_sketch(programme, transcript, session, eng, options)
    report = getattr(eng, "report", None)
    return sketch, report if isinstance(report, DraftReport) else DraftReport()
