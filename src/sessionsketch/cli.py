"""The ``sessionsketch`` command: thin wiring over the library.

Each module in :mod:`sessionsketch.commands` defines ``register(app)`` and adds its
own command(s); this module only builds the app, sets up messages and turns user
errors into one line and exit status 2.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import signal
import sys
import threading

import typer
from rich.console import Console
from rich.markup import escape

from sessionsketch import __version__
from sessionsketch.errors import UserError, caused_by_interrupt, interrupt_handler

err_console = Console(stderr=True, highlight=False, soft_wrap=True)

INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT, as a shell reports it); ``sessionsketch.__main__`` too."""

app = typer.Typer(
    name="sessionsketch",
    help="Draft, publish, read, check and archive session sketches.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _flags_without_type() -> None:
    """``--help`` lists on/off flags without a value type (typer shows ``<bool>`` after them).

    A flag takes no value, so its type column stays empty; every other option keeps its type.
    """
    try:
        from typer.core import TyperOption
    except ImportError:  # a typer without its own option class prints no type for flags
        return
    shown = TyperOption.display_type_rich
    if getattr(shown, "_sessionsketch", False):
        return

    def display_type_rich(self, ctx):  # type: ignore[no-untyped-def]
        if getattr(self, "is_flag", False) and self.metavar is None:
            return None
        return shown(self, ctx)

    display_type_rich._sessionsketch = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_without_type()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sessionsketch {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors on stderr."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Draft, publish, read, check and archive session sketches."""
    logger = logging.getLogger("sessionsketch")
    logger.setLevel(logging.ERROR if quiet else logging.INFO)


class _RichWarnings(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        level = record.levelname.lower()
        style = {"warning": "yellow", "error": "red"}.get(level, "dim")
        prefix = f"[{style}]{level}:[/{style}] " if level in ("warning", "error") else ""
        # the message is text (file names, speaker labels, sentences): never Rich markup
        err_console.print(prefix + escape(record.getMessage()), markup=True, highlight=False)


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


def _click_exceptions() -> tuple[tuple[type, ...], tuple[type, ...], tuple[type, ...]]:
    """(ClickException, Exit, Abort) classes of whichever click this typer uses.

    Typer 0.2x vendors click as ``typer._click``; older releases use ``click`` itself.
    Both are collected so a wrong flag is one line and exit 2 with either.
    """
    errors: list[type] = []
    exits: list[type] = [typer.Exit]
    aborts: list[type] = [typer.Abort]
    for name in ("typer._click.exceptions", "click.exceptions"):
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        errors.append(mod.ClickException)
        # typer's vendored click raises typer.Exit / typer.Abort themselves
        exits.extend(c for c in (getattr(mod, "Exit", None),) if c is not None)
        aborts.extend(c for c in (getattr(mod, "Abort", None),) if c is not None)
    return tuple(errors), tuple(exits), tuple(aborts)


_CLICK_ERRORS, _EXITS, _ABORTS = _click_exceptions()


def _usage_line(exc: Exception) -> str:
    """One line for a usage error: the command, the message and where help is."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        return f"{ctx.command_path}: {message} (see '{ctx.command_path} --help')"
    return message


def run(argv: list[str] | None = None) -> int:
    """Entry point: run the app, mapping user errors to one line and exit status 2."""
    _setup_logging()
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is (
        signal.default_int_handler
    ):
        signal.signal(signal.SIGINT, interrupt_handler)  # a Ctrl-C a library swallows still counts
    try:
        result = app(args=argv, prog_name="sessionsketch", standalone_mode=False)
    except UserError as exc:
        if exc.path == "-":
            exc.path = "<stdin>"  # '-' named standard input
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", markup=True, highlight=False)
        return 2
    except _EXITS as exc:
        return _interrupted(int(getattr(exc, "exit_code", 0) or 0))
    except (*_ABORTS, KeyboardInterrupt):  # an older typer turns Ctrl-C into Abort
        return _interrupted(INTERRUPTED)
    except SystemExit as exc:  # typer's --show-completion / --install-completion exit themselves
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except _CLICK_ERRORS as exc:
        err_console.print(f"[red]error:[/red] {escape(_usage_line(exc))}", markup=True, highlight=False)
        code = getattr(exc, "exit_code", 2)
        # a usage error is the user's: 2, as for every other user error
        return 2 if code in (1, 2) else code
    except Exception as exc:
        if caused_by_interrupt(exc):
            # Ctrl-C inside a C extension's start-up comes back as "ImportError: initialization
            # failed" raised from the KeyboardInterrupt (ctranslate2 while transcribe starts)
            return _interrupted(INTERRUPTED)
        raise
    # with standalone_mode=False click returns the exit code of typer.Exit / ctx.exit
    return _interrupted(result if isinstance(result, int) else 0)


def _interrupted(code: int) -> int:
    """Ctrl-C (status 130; typer returns it for a KeyboardInterrupt inside a command) is one
    line, ``aborted``, as it is during start-up (``sessionsketch.__main__``); other codes pass."""
    if code == INTERRUPTED:
        err_console.print("aborted")
    return code


def entry() -> None:
    """The console script's target before ``sessionsketch.__main__:main``, kept for installs
    made then; that one also turns a Ctrl-C while this module imports into status 130."""
    sys.exit(run())
