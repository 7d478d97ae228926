"""``sessionsketch check``: lint a sketch against its programme and transcript."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import typer
from rich.console import Console

from sessionsketch.checks import Finding, apply_fixes, at_least_warning, fix_text, run_checks
from sessionsketch.commands.common import optional_programme
from sessionsketch.errors import UserError
from sessionsketch.files import read_text, write_atomic
from sessionsketch.model import DEFAULT_DISCLAIMER, Paragraph, Person, Programme, Sentence, Sketch
from sessionsketch.readers import read_sketch, read_transcript
from sessionsketch.text import split_sentences, word_count

log = logging.getLogger("sessionsketch")

TEXT_FORMATS = (".md", ".markdown", ".txt", ".text")
_STYLE = {"error": "red", "warning": "yellow", "info": "dim"}


def read_sketch_for_check(path: Path, programme: Programme | None) -> tuple[Sketch, str | None, bool]:
    """The sketch, the text it was read from (Markdown/text) and whether only its body was read.

    Uses the parse area's ``parse_sketch`` (read + attribute) when present. A text file no
    sketch reader claims is read as plain text: its prose paragraphs become the body, so
    the names and language rules still run on it.
    """
    from sessionsketch import readers

    text = read_text(path) if path.suffix.lower() in TEXT_FORMATS else None
    parse = getattr(readers, "parse_sketch", None)
    try:
        sketch = parse(path, programme) if parse is not None else read_sketch(path)
        return sketch, text, False
    except UserError:
        if text is None:
            raise
    log.warning("%s: no sketch reader for this file; checking its paragraphs as plain text", path)
    return plain_sketch(text, programme.session.people if programme else None), text, True


def plain_sketch(text: str, people: list[Person] | None = None) -> Sketch:
    """A sketch whose body is the prose paragraphs of ``text`` (no block read)."""
    paragraphs = []
    for block in text.split("\n\n"):
        prose = " ".join(block.split())
        if word_count(prose) < 12 or "](http" in prose or prose.startswith(("#", "**", "[", "---", "|")):
            continue
        if prose.lstrip("*_\\ ").lower().startswith(DEFAULT_DISCLAIMER[:20].lower()):
            continue
        paragraphs.append(Paragraph([Sentence(s.text) for s in split_sentences(prose)]))
    sketch = Sketch(paragraphs=paragraphs, disclaimer=None)
    try:
        from sessionsketch.analysis.attribute import attribute_sketch
    except ImportError:
        return sketch
    return attribute_sketch(sketch, people)


def format_finding(f: Finding) -> str:
    line = f"{f.location}: {f.severity} {f.rule}: {f.message}"
    return line + (f" — {f.suggestion}" if f.suggestion else "")


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check_cmd(
        sketch_file: Path = typer.Argument(
            ..., metavar="SKETCH", help="Sketch: JSON, Markdown, text, PDF, DOCX."
        ),
        programme: Path | None = typer.Option(None, "--programme", "-p", help="Programme YAML/JSON."),
        transcript: Path | None = typer.Option(None, "--transcript", "-t", help="Transcript of the session."),
        fmt: str = typer.Option("text", "--format", "-f", help="Findings as text or json."),
        fix: bool = typer.Option(
            False, "--fix", help="Apply the safe fixes (name spellings) and write back."
        ),
        out: Path | None = typer.Option(None, "--output", "-o", help="With --fix: write here, not in place."),
        unattributed: bool = typer.Option(
            False, "--unattributed", help="Chatham House: no names, affiliations or roles in the body."
        ),
    ) -> None:
        """Report misspelt names, left-out speakers, unsupported or misattributed sentences.

        Exit status 0: nothing at warning level or above; 1: findings; 2: unreadable input.
        """
        if fmt not in ("text", "json"):
            raise UserError(f"--format must be 'text' or 'json', not '{fmt}'")
        if out is not None and not fix:
            raise UserError("--output goes with --fix")
        prog = optional_programme(programme)
        sketch, text, plain = read_sketch_for_check(sketch_file, prog)
        tr = read_transcript(transcript, prog) if transcript is not None else None
        findings = run_checks(sketch, prog, tr, unattributed, source=sketch_file, source_text=text)
        if plain:
            findings = [f for f in findings if not f.rule.startswith("block.")]
        if fix:
            fixed = _write_fixes(sketch_file, sketch, text, findings, out)
            Console(stderr=True, highlight=False).print(f"fixed {fixed} name spelling(s)")
            findings = [f for f in findings if f.fix is None]
        if fmt == "json":
            typer.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
        else:
            console = Console(highlight=False, soft_wrap=True)
            for f in findings:
                console.print(f"[{_STYLE[f.severity]}]{format_finding(f)}[/]", markup=True)
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
    if dest.suffix.lower() == ".json":
        write_atomic(dest, json.dumps(fixed.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return len(to_fix)
    if out is None:
        raise UserError(
            f"cannot write {src.suffix} in place; give -o OUT.json, .md, .html, .pdf or .docx", src
        )
    try:
        from sessionsketch.writers import write_sketch
    except ImportError:
        raise UserError("writing this format is not available yet; use -o OUT.json", dest) from None
    write_sketch(fixed, dest)
    return len(to_fix)
