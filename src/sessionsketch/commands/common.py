"""Helpers the commands share (not a command itself: no ``register``)."""

from __future__ import annotations

from pathlib import Path

from sessionsketch.model import Programme
from sessionsketch.readers.programme import load_programme


def optional_programme(path: Path | None) -> Programme | None:
    return load_programme(path) if path is not None else None
