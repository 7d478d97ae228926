"""Drafting engines behind one interface, registered by name.

An engine turns a programme session and its resolved transcript into a Sketch whose
every sentence carries evidence (turn indices and character spans). The embedded
offline engine (``extractive``) is the default and the fallback; others (``llm``)
plug in beside it by registering themselves here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sessionsketch.errors import UserError
from sessionsketch.model import Programme, Session, Sketch, Transcript


@dataclass
class DraftOptions:
    words: int | None = None  # total body length; None = about 120 words per speaker
    include_moderator: bool = False
    unattributed: bool = False  # Chatham House: no names, affiliations or identifying roles
    language: str = "en"
    extra: dict[str, Any] = field(default_factory=dict)  # engine-specific settings


class Engine(Protocol):
    name: str

    def draft(
        self, programme: Programme, session: Session, transcript: Transcript, options: DraftOptions
    ) -> Sketch: ...


_ENGINES: dict[str, Callable[..., Engine]] = {}
_LOADED = False


def register_engine(name: str) -> Callable[[Callable[..., Engine]], Callable[..., Engine]]:
    """Register an engine factory under ``name`` (a class or a function returning an Engine)."""

    def deco(factory: Callable[..., Engine]) -> Callable[..., Engine]:
        _ENGINES[name] = factory
        return factory

    return deco


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")


def engine_names() -> list[str]:
    _load()
    return sorted(_ENGINES)


def get_engine(name: str = "extractive", **settings: Any) -> Engine:
    _load()
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
