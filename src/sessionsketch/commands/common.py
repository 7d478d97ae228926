"""Helpers the commands share (not a command itself: no ``register``)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from sessionsketch.model import Programme
from sessionsketch.readers.programme import load_programme


def optional_programme(path: Path | None) -> Programme | None:
    return load_programme(path) if path is not None else None


def unresolved_table(labels: list[tuple[str, int, int | None]]) -> None:
    """The labels that match no one (``pipeline.unresolved_labels``) as a table on stderr."""
    table = Table(title="Unresolved speaker labels")
    table.add_column("label")
    table.add_column("turns", justify="right")
    table.add_column("first turn", justify="right")
    for label, turns, first in labels:
        table.add_row(label, str(turns), "" if first is None else str(first))
    Console(stderr=True).print(table)
