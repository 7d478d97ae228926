"""Progress of a transcription: a bar with an estimate on a terminal, a log line per block otherwise."""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

log = logging.getLogger("sessionsketch")


@contextlib.contextmanager
def reporter(path: str | Path) -> Iterator[Callable[[float, float], None]]:
    """Yield a ``progress(done_seconds, total_seconds)`` callback; the bar is gone afterwards."""
    name = Path(str(path)).name
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(
            TextColumn(f"transcribing {name}"),
            BarColumn(),
            TextColumn("{task.completed:.0f}/{task.total:.0f} s of audio"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        task = bar.add_task("transcribe", total=None)

        def update(done: float, total: float) -> None:
            bar.update(task, completed=done, total=total or None)

        with bar:
            yield update
        return

    started = time.monotonic()

    def log_line(done: float, total: float) -> None:
        spent = time.monotonic() - started
        left = f", about {spent / done * (total - done):.0f} s left" if total > done > 0 else ""
        log.info("%s: transcribed %.0f of %.0f s of audio in %.0f s%s", path, done, total, spent, left)

    yield log_line
