"""``sessionsketch`` and ``python -m sessionsketch``: the console script's entry.

Importing the command line (typer, rich and every module in :mod:`sessionsketch.commands`)
takes a moment, and a Ctrl-C during it used to print a traceback: it came before
:func:`sessionsketch.cli.run` could turn it into exit status 130. This module imports
nothing at the top but :mod:`sys`, and :func:`main` imports the command line inside the
same handling an interrupted command gets — one line (``aborted``) and status 130.
"""

import sys

INTERRUPTED = 130
"""The exit status after Ctrl-C (128 + SIGINT), as :data:`sessionsketch.cli.INTERRUPTED`."""


def main() -> None:
    """Run the command line; a Ctrl-C at any point is one line and exit status 130."""
    try:
        from sessionsketch.cli import run

        sys.exit(run())
    except Exception as exc:
        from sessionsketch.errors import caused_by_interrupt  # nothing but sys at the top

        if not caused_by_interrupt(exc):
            raise
        _aborted()
    except KeyboardInterrupt:
        _aborted()


def _aborted() -> None:
    try:
        sys.stderr.write("aborted\n")
        sys.stderr.flush()
    except (KeyboardInterrupt, OSError):  # a second Ctrl-C, or stderr already closed
        pass
    sys.exit(INTERRUPTED)


if __name__ == "__main__":
    main()
