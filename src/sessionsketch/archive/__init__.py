"""The archive of sketches: storage and search behind one interface, two backends.

``open_archive(data_dir)`` gives the embedded SQLite archive (FTS5, bm25) in a folder;
``open_archive(database_url="postgresql://...")`` the PostgreSQL one (full-text search
with tsvector). Both have the same methods (:class:`Archive`).
"""

from __future__ import annotations

from pathlib import Path

from sessionsketch.archive.records import (
    DRAFT,
    PUBLISHED,
    ImportJob,
    NotFound,
    SearchFilters,
    SearchHit,
    SketchRecord,
    StaleVersion,
    content_hash,
)
from sessionsketch.archive.repository import Archive
from sessionsketch.archive.search import search_terms
from sessionsketch.errors import UserError

#: Where ``serve`` and ``user add`` keep the embedded archive unless told otherwise.
DEFAULT_DATA_DIR = Path("sessionsketch-data")

__all__ = [
    "DEFAULT_DATA_DIR",
    "DRAFT",
    "PUBLISHED",
    "Archive",
    "ImportJob",
    "NotFound",
    "SearchFilters",
    "SearchHit",
    "SketchRecord",
    "StaleVersion",
    "content_hash",
    "open_archive",
    "search_terms",
]


def open_archive(data_dir: str | Path | None = None, database_url: str | None = None) -> Archive:
    """Open (and create if needed) the archive: PostgreSQL if ``database_url`` is given, else SQLite in ``data_dir``."""
    if database_url:
        if not database_url.startswith(("postgresql://", "postgres://")):
            raise UserError("--database must be a postgresql:// URL", database_url.split("@")[-1])
        from sessionsketch.archive.postgres import PostgresArchive

        return PostgresArchive(database_url).init().migrate()
    from sessionsketch.archive.sqlite import SQLiteArchive

    folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    if folder.exists() and not folder.is_dir():
        raise UserError("is a file, not a folder", folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create folder: {exc.strerror}", folder) from None
    return SQLiteArchive(folder / "archive.sqlite3").init().migrate()
