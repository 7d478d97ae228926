"""Helpers the commands share (not a command itself: no ``register``).

The flags mean one thing on every command, as pandoc's do: ``--from`` is the input's
format, ``--to`` the output's, ``-`` standard input for any input file and ``-o -``
standard output. ``--format``/``-f`` (the output in ``render``, ``transcript``, ``check``
and ``draft``, the input in ``parse``) and ``transcript --input-format`` still work, with
a warning naming the flag to use.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from sessionsketch.errors import UserError
from sessionsketch.files import write_atomic
from sessionsketch.model import Programme
from sessionsketch.readers.programme import load_programme

log = logging.getLogger("sessionsketch")

STDIO = "-"
"""The file name that stands for standard input (an input) or standard output (``-o -``)."""


def is_stdio(path: Path | str | None) -> bool:
    return path is not None and str(path) == STDIO


def optional_programme(path: Path | None) -> Programme | None:
    return load_programme(path) if path is not None else None


def stdin_once(*paths: Path | str | None) -> None:
    """Refuse ``-`` for more than one input: standard input can be read only once."""
    if sum(1 for p in paths if is_stdio(p)) > 1:
        raise UserError("'-' (standard input) can stand for one input file only")


def legacy_format(value: str | None, flag: str, use: str) -> str | None:
    """A deprecated format flag's value, with a warning that names the flag to use instead."""
    if value is not None:
        log.warning("%s is deprecated: use %s %s", flag, use, value)
    return value


def pick_format(new: str | None, new_flag: str, old: str | None, old_flag: str) -> str | None:
    """``--to``/``--from`` and its deprecated alias as one value; a user error when they disagree."""
    legacy = legacy_format(old, old_flag, new_flag)
    if new is not None and legacy is not None and new.lower() != legacy.lower():
        raise UserError(f"{new_flag} {new} and {old_flag} {legacy} disagree; give {new_flag} only")
    return new if new is not None else legacy


def one_of(value: str, flag: str, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices`` (case-insensitive), else a one-line user error."""
    if value.lower() not in choices:
        raise UserError(f"{flag} must be {' or '.join(repr(c) for c in choices)}, not '{value}'")
    return value.lower()


def emit(data: bytes | str, out: Path | None) -> None:
    """Write ``data`` to ``out`` atomically, or to standard output when ``out`` is None or ``-``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if out is None or is_stdio(out):
        sys.stdout.flush()  # what was printed as text goes first
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    try:
        write_atomic(out, raw)
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", out) from None


# ----------------------------------------------------------------------- shared options


def from_option(what: str = "input") -> typer.models.OptionInfo:
    return typer.Option(
        None, "--from", metavar="FORMAT", help=f"Format of the {what}, if not detected (see docs/cli.md)."
    )


def to_option(choices: str) -> typer.models.OptionInfo:
    return typer.Option(None, "--to", metavar="FORMAT", help=f"Output format: {choices}.")


def legacy_format_option(use: str) -> typer.models.OptionInfo:
    return typer.Option(None, "--format", "-f", hidden=True, help=f"Deprecated: use {use}.")


def single_speaker_option() -> typer.models.OptionInfo:
    return typer.Option(
        None,
        "--single-speaker",
        metavar="NAME",
        help="Whisper JSON without speakers: all of it is NAME's.",
    )


def diarisation_option() -> typer.models.OptionInfo:
    return typer.Option(
        None,
        "--diarisation",
        "--diarization",
        metavar="RTTM",
        help="Whisper JSON without speakers: who spoke when, from a pyannote RTTM file.",
    )


def scheduler_option(lead: str = "With a folder: run") -> typer.models.OptionInfo:
    return typer.Option(
        None,
        "--scheduler",
        metavar="ADDRESS",
        envvar="SESSIONSKETCH_SCHEDULER",
        show_envvar=True,
        help=f"{lead} each file as a task on this Dask scheduler (tcp://host:8786; "
        "'local': this machine's processes). See docs/scale.md.",
    )


def unresolved_table(labels: list[tuple[str, int, int | None]]) -> None:
    """The labels that match no one (``pipeline.unresolved_labels``) as a table on stderr."""
    table = Table(title="Unresolved speaker labels")
    table.add_column("label")
    table.add_column("turns", justify="right")
    table.add_column("first turn", justify="right")
    for label, turns, first in labels:
        table.add_row(label, str(turns), "" if first is None else str(first))
    Console(stderr=True).print(table)
