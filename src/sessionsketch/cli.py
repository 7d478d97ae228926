"""The ``sessionsketch`` command: thin wiring over the library.

Each module in :mod:`sessionsketch.commands` defines ``register(app)`` and adds its
own command(s); this module only builds the app, sets up messages and turns user
errors into one line and exit status 2.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys

import typer
from rich.console import Console

from sessionsketch import __version__
from sessionsketch.errors import UserError

err_console = Console(stderr=True, highlight=False, soft_wrap=True)

app = typer.Typer(
    name="sessionsketch",
    help="Draft, publish, read, check and archive session sketches.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sessionsketch {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors on stderr."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Draft, publish, read, check and archive session sketches."""
    logger = logging.getLogger("sessionsketch")
    logger.setLevel(logging.ERROR if quiet else logging.INFO)


class _RichWarnings(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        level = record.levelname.lower()
        style = {"warning": "yellow", "error": "red"}.get(level, "dim")
        prefix = f"[{style}]{level}:[/{style}] " if level in ("warning", "error") else ""
        err_console.print(prefix + record.getMessage(), markup=True, highlight=False)


def _setup_logging() -> None:
    logger = logging.getLogger("sessionsketch")
    if not any(isinstance(h, _RichWarnings) for h in logger.handlers):
        logger.addHandler(_RichWarnings())
    logger.propagate = False
    logger.setLevel(logging.INFO)


def _register_commands() -> None:
    from sessionsketch import commands

    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"sessionsketch.commands.{mod.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()


def run(argv: list[str] | None = None) -> int:
    """Entry point: run the app, mapping user errors to one line and exit status 2."""
    _setup_logging()
    try:
        app(args=argv, prog_name="sessionsketch", standalone_mode=False)
    except UserError as exc:
        err_console.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        return 130
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # click usage errors and friends
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            return exc.exit_code
        raise
    return 0


def entry() -> None:
    sys.exit(run())
