"""``sessionsketch archive import|search|export|stats``: the archive from the command line.

The same library calls as the web app (``archive.importer``, ``Archive.find``), over the
embedded archive in ``--data DIR`` or PostgreSQL with ``--database URL``.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from sessionsketch.cluster import Task, open_pool, run_tasks
from sessionsketch.commands.common import scheduler_option
from sessionsketch.errors import UserError
from sessionsketch.files import MAX_INPUT_BYTES, atomic_output

DATA_HELP = "Archive folder (default: ./sessionsketch-data)."
DATABASE_HELP = "postgresql:// URL instead of --data."


def _open(data: Path | None, database: str | None) -> Any:
    try:
        from sessionsketch.archive import open_archive
    except ImportError as exc:  # pragma: no cover - the archive needs only the standard library and psycopg
        raise UserError(f"the web extra is missing ({exc.name}); pip install 'sessionsketch[web]'") from None
    return open_archive(data, database)


def _sketch_files(paths: list[Path]) -> list[Path]:
    """The files named, and the readable sketch files inside the folders named (sorted)."""
    from sessionsketch.readers import readers

    known = {e for r in readers("sketch").values() for e in r.extensions}
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower().lstrip(".") in known and not p.name.startswith(".")
            )
            if not found:
                raise UserError(f"no sketch files in this folder ({', '.join(sorted(known))})", path)
            out.extend(found)
        elif not path.exists():
            raise UserError("no such file", path)
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def register(app: typer.Typer) -> None:
    archive_app = typer.Typer(
        help="The searchable archive: import sketches, search them, export and count them.",
        no_args_is_help=True,
    )
    app.add_typer(archive_app, name="archive")

    @archive_app.command("import")
    def import_cmd(
        files: list[Path] = typer.Argument(
            ..., metavar="FILES...", help="Sketch files (PDF, DOCX, HTML, Markdown, JSON, text) or folders."
        ),
        data: Path | None = typer.Option(None, "--data", help=DATA_HELP),
        database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
        user: str | None = typer.Option(None, "--user", help="Name recorded as the importer."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
        jobs: int | None = typer.Option(
            None, "--jobs", "-j", min=1, help="Files read at once (default: one per core)."
        ),
        scheduler: str | None = scheduler_option("Run"),
    ) -> None:
        """Import sketches into the archive, each file in one transaction.

        A file imported again (same path) updates its sketch, or leaves it unchanged when its
        bytes are the same; a file that cannot be read is reported and leaves nothing behind.
        Files are read in parallel (local processes, or a Dask cluster with --scheduler) and
        published here, in the order given. Exit status 2 when any file failed.
        """
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from sessionsketch.archive.importer import ImportResult, import_sketch, parse_task

        paths = _sketch_files(files)
        with open_pool(scheduler, jobs, local_default=min(len(paths), os.cpu_count() or 1)) as pool:
            archive = _open(data, database)
            err = Console(stderr=True, highlight=False, soft_wrap=True)
            tasks = [
                Task(str(path), parse_task, {"sketch": path}, (str(path.resolve()),), MAX_INPUT_BYTES)
                for path in paths
            ]
            order = {id(task): i for i, task in enumerate(tasks)}
            settled: dict[int, tuple[Any, str | None]] = {}
            results: list[ImportResult] = []

            def publish() -> None:
                # in the order the files were given, as each is parsed (ids as a one-by-one import)
                while len(results) in settled:
                    value, message = settled.pop(len(results))
                    path = paths[len(results)]
                    if value is None:
                        results.append(ImportResult(str(path), "failed", message=message))
                        continue
                    sketch, digest = value
                    name = str(path.resolve())
                    read = lambda *_, sketch=sketch: sketch  # noqa: E731 - parsed by the task already
                    results.append(import_sketch(archive, name, b"", user, read, digest))
                    results[-1].file = str(path)

            def parsed(task: Task, value: Any) -> None:
                settled[order[id(task)]] = (value, None)
                publish()

            def failed(task: Task, message: str) -> None:
                settled[order[id(task)]] = (None, message)
                publish()

            try:
                with Progress(
                    TextColumn("importing"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    console=err,
                    disable=quiet or not err.is_terminal,
                    transient=True,
                ) as progress:
                    bar = progress.add_task("", total=len(paths))
                    run_tasks(
                        pool,
                        tasks,
                        parsed,
                        lambda done, total: progress.update(bar, completed=done, total=total),
                        failed,
                    )
            finally:
                archive.close()
        counts = Counter(r.status for r in results)
        for r in results:
            if r.status == "failed":
                err.print(f"[red]failed:[/red] {r.message or r.file}", markup=True, highlight=False)
        table = Table(title=f"{len(results)} file{'s' if len(results) != 1 else ''} imported")
        for column in ("created", "updated", "unchanged", "failed"):
            table.add_column(column, justify="right")
        table.add_row(*(str(counts.get(c, 0)) for c in ("created", "updated", "unchanged", "failed")))
        Console(stderr=True).print(table)
        if counts.get("failed"):
            raise typer.Exit(2)

    @archive_app.command("search")
    def search_cmd(
        query: str = typer.Argument(
            "", help='Words to find: "a phrase", OR, -word (leave out), prefix* — as in the search box.'
        ),
        speaker: str | None = typer.Option(None, "--speaker", help="Only this person's sentences."),
        affiliation: str | None = typer.Option(
            None, "--affiliation", help="Affiliation (exact, else containing)."
        ),
        conference: str | None = typer.Option(
            None, "--conference", help="Conference (exact, else containing)."
        ),
        session: str | None = typer.Option(None, "--session", help="Session title (exact, else containing)."),
        year: int | None = typer.Option(None, "--year", min=1000, max=9999, help="Year of the session."),
        to: str = typer.Option("table", "--to", help="table, json, jsonl or csv."),
        limit: int = typer.Option(20, "--limit", "-n", min=1, max=10_000, help="At most this many hits."),
        every_copy: bool = typer.Option(
            False, "--every-copy", help="List a sentence published in several sketches once per sketch."
        ),
        data: Path | None = typer.Option(None, "--data", help=DATA_HELP),
        database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
    ) -> None:
        """Search the archive's attributed sentences, best match first."""
        from sessionsketch.archive import SearchFilters
        from sessionsketch.archive.search import export_record, write_csv

        if to not in ("table", "json", "jsonl", "csv"):
            raise typer.BadParameter("choose table, json, jsonl or csv", param_hint="--to")
        filters = SearchFilters(
            speaker=speaker, affiliation=affiliation, conference=conference, session=session, year=year
        )
        if not query.strip() and not any((speaker, affiliation, conference, session, year)):
            raise UserError("give words to find or a filter (--speaker, --conference, --year ...)")
        archive = _open(data, database)
        try:
            result = archive.find(
                query,
                filters,
                limit=limit,
                facets=to in ("table", "json"),
                fold=not every_copy,
                highlight=False,
            )
        finally:
            archive.close()
        records = [export_record(h) for h in result.hits]
        if to == "csv":
            buffer = io.StringIO()
            write_csv(records, buffer)
            sys.stdout.write(buffer.getvalue())
        elif to == "jsonl":
            for record in records:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif to == "json":
            facets = {k: [vars(f) for f in v] for k, v in (result.facets or {}).items()}
            doc = {"query": query, "understood": result.understood, "total": result.total, "hits": records}
            sys.stdout.write(json.dumps({**doc, "facets": facets}, ensure_ascii=False, indent=2) + "\n")
        else:
            _print_hits(result, records)

    @archive_app.command("export")
    def export_cmd(
        out: Path = typer.Option(
            ..., "--output", "-o", help="JSON Lines file, one published sketch a line ('-': standard output)."
        ),
        data: Path | None = typer.Option(None, "--data", help=DATA_HELP),
        database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
    ) -> None:
        """Export every published sketch as JSON Lines (the sketch JSON with its archive id and dates)."""
        archive = _open(data, database)
        try:
            if str(out) == "-":
                n = _write_sketches(archive, sys.stdout)
            else:
                with atomic_output(out) as tmp, tmp.open("w", encoding="utf-8") as fh:
                    n = _write_sketches(archive, fh)
        finally:
            archive.close()
        if str(out) != "-":
            typer.echo(f"{n} sketch{'es' if n != 1 else ''} written to {out}", err=True)

    @archive_app.command("stats")
    def stats_cmd(
        to: str = typer.Option("table", "--to", help="table or json."),
        data: Path | None = typer.Option(None, "--data", help=DATA_HELP),
        database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
    ) -> None:
        """What the archive holds: sketches, sentences, people, conferences, years, who is quoted most."""
        if to not in ("table", "json"):
            raise typer.BadParameter("choose table or json", param_hint="--to")
        archive = _open(data, database)
        try:
            stats = archive.stats()
        finally:
            archive.close()
        if to == "json":
            sys.stdout.write(json.dumps(stats, ensure_ascii=False, indent=2) + "\n")
            return
        console = Console(highlight=False)
        totals = Table(title=f"{archive.backend} archive")
        for column in ("sketches", "sentences", "attributed", "people", "conferences"):
            totals.add_column(column, justify="right")
        totals.add_row(
            *(f"{stats[c]:,}" for c in ("sketches", "sentences", "attributed", "people", "conferences"))
        )
        console.print(totals)
        if stats["years"]:
            years = Table(title="By year")
            years.add_column("year")
            years.add_column("sketches", justify="right")
            years.add_column("sentences", justify="right")
            for y in stats["years"]:
                years.add_row(str(y["year"] or "—"), f"{y['sketches']:,}", f"{y['sentences']:,}")
            console.print(years)
        if stats["speakers"]:
            top = Table(title="Most quoted")
            top.add_column("speaker")
            top.add_column("sentences", justify="right")
            top.add_column("sketches", justify="right")
            for s in stats["speakers"]:
                top.add_row(s["speaker"], f"{s['sentences']:,}", f"{s['sketches']:,}")
            console.print(top)


def _print_hits(result: Any, records: list[dict[str, Any]]) -> None:
    console = Console(highlight=False, soft_wrap=False)
    if not records:
        console.print(f"nothing found for {result.understood or 'these filters'}", markup=False)
        return
    table = Table(show_lines=True)
    table.add_column("sentence", ratio=3, overflow="fold")
    table.add_column("speaker", ratio=1)
    table.add_column("where", ratio=1)
    for r in records:
        where = " · ".join(str(x) for x in (r["session"], r["conference"], r["year"]) if x)
        also = f"\n(also in {r['copies'] - 1} more)" if r["copies"] > 1 else ""
        table.add_row(r["sentence"], r["speaker"] or "unattributed", f"{where}\n{r['link']}{also}")
    console.print(table)
    more = " (more with --limit)" if result.has_more else ""
    total = f"{result.total:,} sentences" if result.total is not None else f"{len(records)} shown"
    console.print(
        f"{total} with {result.understood}{more}" if result.understood else total + more, markup=False
    )


def _write_sketches(archive: Any, out: Any) -> int:
    n = 0
    for record in archive.published_sketches():
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n
