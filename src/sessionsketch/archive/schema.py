"""The archive's tables, shared by the SQLite and PostgreSQL backends."""

from __future__ import annotations

#: The tables both backends share; ``{id}`` and ``{ref}`` are the backend's key types.
TABLES = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id {id}, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0, created_at TEXT);
CREATE TABLE IF NOT EXISTS sketches (
    id {id}, status TEXT NOT NULL, title TEXT,
    sketch_json TEXT, published_json TEXT, programme_json TEXT, session_slug TEXT, transcript_json TEXT,
    transcript_name TEXT, speaker_map_json TEXT, content_hash TEXT,
    conference TEXT, year INTEGER, session_title TEXT, date TEXT,
    version INTEGER NOT NULL DEFAULT 1, published_version INTEGER,
    created_by TEXT, updated_by TEXT, created_at TEXT, updated_at TEXT, published_at TEXT,
    owner TEXT NOT NULL DEFAULT '', source_name TEXT);
CREATE INDEX IF NOT EXISTS sketches_conference ON sketches (conference);
CREATE INDEX IF NOT EXISTS sketches_status_conference ON sketches (status, conference);
CREATE INDEX IF NOT EXISTS sketches_status_session ON sketches (status, session_title);
CREATE TABLE IF NOT EXISTS sentences (
    id {id}, sketch_id {ref} NOT NULL REFERENCES sketches (id),
    paragraph INTEGER NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL,
    speaker TEXT, speaker_key TEXT, affiliation TEXT, conference TEXT, year INTEGER, session_title TEXT{sentence_extra});
CREATE INDEX IF NOT EXISTS sentences_sketch ON sentences (sketch_id);
CREATE INDEX IF NOT EXISTS sentences_speaker ON sentences (speaker_key);
CREATE INDEX IF NOT EXISTS sentences_speaker_sketch ON sentences (speaker_key, sketch_id);
CREATE INDEX IF NOT EXISTS sentences_affiliation ON sentences (affiliation);
CREATE INDEX IF NOT EXISTS sentences_conference ON sentences (conference);
CREATE TABLE IF NOT EXISTS appearances (
    sketch_id {ref} NOT NULL REFERENCES sketches (id), name TEXT NOT NULL, name_key TEXT NOT NULL,
    affiliation TEXT, role TEXT, conference TEXT, year INTEGER, date TEXT);
CREATE INDEX IF NOT EXISTS appearances_name ON appearances (name_key);
CREATE INDEX IF NOT EXISTS appearances_sketch ON appearances (sketch_id);
CREATE INDEX IF NOT EXISTS appearances_affiliation ON appearances (affiliation);
CREATE TABLE IF NOT EXISTS imports (
    id {id}, status TEXT NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL,
    failed INTEGER NOT NULL, log_json TEXT NOT NULL, created_by TEXT, created_at TEXT, updated_at TEXT);
CREATE TABLE IF NOT EXISTS login_failures (
    name TEXT NOT NULL, address TEXT NOT NULL, failed_at DOUBLE PRECISION NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_who ON login_failures (name, address, failed_at);
CREATE INDEX IF NOT EXISTS login_failures_when ON login_failures (failed_at);
CREATE TABLE IF NOT EXISTS sketch_editors (
    sketch_id {ref} NOT NULL REFERENCES sketches (id), name TEXT NOT NULL, PRIMARY KEY (sketch_id, name));
CREATE TABLE IF NOT EXISTS sketch_history (
    sketch_id {ref} NOT NULL REFERENCES sketches (id), version INTEGER NOT NULL, published_json TEXT NOT NULL,
    content_hash TEXT, owner TEXT NOT NULL DEFAULT '', source_name TEXT, replaced_by TEXT, replaced_at TEXT,
    PRIMARY KEY (sketch_id, version));
"""

#: Columns added since the first release, as (table, column, definition, statement run once when added).
#: ``Archive.migrate`` adds each one that an existing database lacks (``ALTER TABLE ... ADD COLUMN``).
COLUMNS_ADDED = (
    # logout, a new password and `user revoke` bump it: sessions signed with an older one end
    ("users", "session_generation", "INTEGER NOT NULL DEFAULT 0", None),
    # a draft is its creator's, shared with the editors they name or the whole team; drafts
    # made before owners existed stay open to everyone, as they were
    ("sketches", "team", "INTEGER NOT NULL DEFAULT 0", "UPDATE sketches SET team = 1"),
    # every sketch is someone's: its importer's or its creator's ('' for a command-line import
    # without --user); an import is keyed by (owner, file name), so one user's file never
    # replaces another's. Rows from before are their recorded creator's.
    ("sketches", "owner", "TEXT NOT NULL DEFAULT ''", "UPDATE sketches SET owner = COALESCE(created_by, '')"),
    # the imported file's name (or path), unique per owner; it was `source_key`, unique across
    # every user, which older databases keep (no longer written) beside it
    ("sketches", "source_name", "TEXT", "UPDATE sketches SET source_name = source_key"),
    # which process runs an import ("host:pid:start time") and when it last gave a sign of
    # life: a job whose process is gone is failed instead of "running" forever
    ("imports", "worker", "TEXT", None),
    ("imports", "heartbeat_at", "DOUBLE PRECISION", None),
)

#: Indexes on columns that ``COLUMNS_ADDED`` may have added; ``Archive.migrate`` creates them after.
INDEXES_ADDED = ("CREATE UNIQUE INDEX IF NOT EXISTS sketches_owner_source ON sketches (owner, source_name)",)
