"""Helpers the commands share (not a command itself: no ``register``)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from sessionsketch.errors import UserError
from sessionsketch.files import read_text
from sessionsketch.model import Programme
from sessionsketch.readers.programme import load_programme


def optional_programme(path: Path | None) -> Programme | None:
    return load_programme(path) if path is not None else None


def load_speaker_map(path: Path | None) -> dict[str, str] | None:
    """A YAML or JSON mapping ``{label: participant name}``, e.g. ``SPEAKER_00: Marc Knapper``."""
    if path is None:
        return None
    text = read_text(path)
    try:
        doc = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        line = getattr(exc, "lineno", None) or (
            exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None
        )
        raise UserError("invalid speaker map", path, line) from None
    if not isinstance(doc, dict):
        raise UserError("a speaker map must map labels to names (SPEAKER_00: Marc Knapper)", path)
    return {str(k): str(v) for k, v in doc.items()}
