"""``sessionsketch check``: lint a sketch against its programme and transcript."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from sessionsketch.checks import Finding, apply_fixes, at_least_warning, fix_text, run_checks
from sessionsketch.commands.common import (
    diarisation_option,
    from_option,
    is_stdio,
    legacy_format_option,
    one_of,
    optional_programme,
    pick_format,
    single_speaker_option,
    stdin_once,
    to_option,
)
from sessionsketch.errors import UserError
from sessionsketch.files import write_atomic
from sessionsketch.model import Sketch
from sessionsketch.pipeline import read_transcript, sketch_for_check
from sessionsketch.writers import write_sketch

_STYLE = {"error": "red", "warning": "yellow", "info": "dim"}


def format_finding(f: Finding) -> str:
    line = f"{f.location}: {f.severity} {f.rule}: {f.message}"
    return line + (f" — {f.suggestion}" if f.suggestion else "")


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check_cmd(
        sketch_file: Path = typer.Argument(
            ..., metavar="SKETCH", help="Sketch: JSON, Markdown, text, PDF, DOCX; '-' is standard input."
        ),
        programme: Path | None = typer.Option(None, "--programme", "-p", help="Programme YAML/JSON."),
        transcript: Path | None = typer.Option(None, "--transcript", "-t", help="Transcript of the session."),
        from_: str | None = from_option("sketch"),
        transcript_from: str | None = typer.Option(
            None, "--transcript-from", metavar="FORMAT", help="Format of the --transcript, if not detected."
        ),
        single_speaker: str | None = single_speaker_option(),
        diarisation: Path | None = diarisation_option(),
        to: str | None = to_option("findings as text or json (default text)"),
        fix: bool = typer.Option(
            False, "--fix", help="Apply the safe fixes (name spellings) and write back."
        ),
        out: Path | None = typer.Option(None, "--output", "-o", help="With --fix: write here, not in place."),
        unattributed: bool = typer.Option(
            False, "--unattributed", help="Chatham House: no names, affiliations or roles in the body."
        ),
        legacy_fmt: str | None = legacy_format_option("--to"),
    ) -> None:
        """Report misspelt names, left-out speakers, unsupported or misattributed sentences.

        Exit status 0: nothing at warning level or above; 1: findings; 2: unreadable input.
        """
        fmt = one_of(pick_format(to, "--to", legacy_fmt, "--format") or "text", "--to", ("text", "json"))
        if out is not None and not fix:
            raise UserError("--output goes with --fix")
        if is_stdio(out):
            raise UserError(
                "--fix -o -: the findings go to standard output; write the fixed sketch to a file"
            )
        if fix and is_stdio(sketch_file) and out is None:
            raise UserError("--fix on standard input: give -o OUT for the fixed sketch")
        stdin_once(sketch_file, programme, transcript, diarisation)
        prog = optional_programme(programme)
        given = sketch_for_check(sketch_file, prog, from_)
        tr = None
        if transcript is not None:
            tr = read_transcript(
                transcript,
                prog,
                None,
                transcript_from,
                single_speaker=single_speaker,
                diarisation=diarisation,
            )
        findings = run_checks(
            given.sketch, prog, tr, unattributed, source=sketch_file, source_text=given.text
        )
        if given.body_only:
            findings = [f for f in findings if not f.rule.startswith("block.")]
        if fix:
            fixed = _write_fixes(sketch_file, given.sketch, given.text, findings, out)
            Console(stderr=True, highlight=False).print(f"fixed {fixed} name spelling(s)")
            findings = [f for f in findings if f.fix is None]
        if fmt == "json":
            typer.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
        else:
            console = Console(highlight=False, soft_wrap=True)
            for f in findings:
                console.print(f"[{_STYLE[f.severity]}]{escape(format_finding(f))}[/]", markup=True)
            counts = {s: sum(1 for f in findings if f.severity == s) for s in _STYLE}
            console.print(", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items()))
        if at_least_warning(findings):
            raise typer.Exit(1)


def _write_fixes(
    src: Path, sketch: Sketch, text: str | None, findings: list[Finding], out: Path | None
) -> int:
    """Write the fixed sketch in the input's format (or to ``out``); the number of fixes."""
    dest = out or src
    to_fix = [f for f in findings if f.fix is not None]
    same_format = dest.suffix.lower() == src.suffix.lower()
    if text is not None and same_format:
        fixed_text, count = fix_text(text, to_fix)
        write_atomic(dest, fixed_text)
        return count
    fixed = apply_fixes(sketch, to_fix)
    if out is None and src.suffix.lower() != ".json":
        raise UserError(
            f"cannot write {src.suffix} in place; give -o OUT.json, .md, .html, .pdf or .docx", src
        )
    write_sketch(fixed, dest)
    return len(to_fix)
