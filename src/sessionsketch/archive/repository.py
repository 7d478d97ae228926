"""The archive: sketches (drafts in the workbench and published ones), their attributed
sentences, the people who appear in them, users and import jobs.

One repository, two backends. :class:`Archive` holds every query; a backend
(:mod:`.sqlite`, :mod:`.postgres`) supplies the connection, the schema, transactions
and the full-text search clause. SQL is written once with ``?`` placeholders. The
tables are in :mod:`.schema`, the records it returns in :mod:`.records`, indexing and
search in :mod:`.search` (:class:`~.search.SearchIndex`, which ``Archive`` extends).
"""

from __future__ import annotations

import os
import queue
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sessionsketch.archive.records import (
    DRAFT,
    PUBLISHED,
    ImportJob,
    NotFound,
    SketchRecord,
    StaleVersion,
    content_hash,
    dumps,
    loads,
    title_of,
    utc_now,
    year_of,
)
from sessionsketch.archive.schema import COLUMNS_ADDED, INDEXES_ADDED
from sessionsketch.archive.search import SearchIndex
from sessionsketch.model import Sketch


class Archive(SearchIndex):
    """Storage and search. Subclasses provide ``_connect``, ``SCHEMA``, ``_write`` and ``_match``."""

    SCHEMA: tuple[str, ...] = ()
    backend = "?"

    #: Connections kept open and shared by the threads that serve requests (warm page caches).
    pool_size = 4

    def __init__(self) -> None:
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._conns: list[Any] = []
        self._conns_lock = threading.Lock()

    # ------------------------------------------------------------------ plumbing

    def _connect(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    @contextmanager
    def _borrow(self) -> Iterator[Any]:
        """A connection for one statement or transaction, from the pool (opened on demand)."""
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = None
            with self._conns_lock:
                if len(self._conns) < self.pool_size:
                    conn = self._connect()
                    self._conns.append(conn)
            if conn is None:
                conn = self._idle.get(timeout=120)
        try:
            yield conn
        finally:
            self._idle.put(conn)

    def _sql(self, sql: str) -> str:
        return sql

    @contextmanager
    def _write(self) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    def _rows(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]:
        with self._borrow() as conn:
            cur = conn.cursor()
            cur.execute(self._sql(sql), tuple(params))
            return list(cur.fetchall())

    def _row(self, sql: str, params: tuple | list = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _exec(self, cur: Any, sql: str, params: tuple | list = ()) -> Any:
        cur.execute(self._sql(sql), tuple(params))
        return cur

    def _insert(self, cur: Any, sql: str, params: tuple | list) -> int:
        """Run an INSERT ... RETURNING id and return the id."""
        cur.execute(self._sql(sql + " RETURNING id"), tuple(params))
        row = cur.fetchone()
        return int(row["id"])

    def _insert_one(self, sql: str, params: tuple | list) -> int:
        """One INSERT in a transaction of its own; the new row's id."""
        with self._write() as cur:
            return self._insert(cur, sql, params)

    def init(self) -> Archive:
        with self._write() as cur:
            for statement in self.SCHEMA:
                self._exec(cur, statement)
        return self

    def migrate(self) -> Archive:
        """Bring a database made by an earlier version up to date: add the columns it lacks.

        Each check and ``ALTER TABLE`` runs in a write transaction (on SQLite the write lock,
        on PostgreSQL an advisory lock), so servers opening one database at once add a column once.
        """
        for table, column, definition, once in COLUMNS_ADDED:
            with self._write() as cur:
                if self.backend == "postgresql":
                    self._exec(cur, "SELECT pg_advisory_xact_lock(73218)")
                    present = self._exec(
                        cur,
                        "SELECT column_name AS name FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND table_name = ?",
                        (table,),
                    ).fetchall()
                else:
                    present = self._exec(cur, f"PRAGMA table_info({table})").fetchall()
                if column in {row["name"] for row in present}:
                    continue
                self._exec(cur, f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
                if once:
                    self._exec(cur, once)
        with self._write() as cur:
            if self.backend == "postgresql":
                self._exec(cur, "SELECT pg_advisory_xact_lock(73218)")
            for statement in INDEXES_ADDED:
                self._exec(cur, statement)
        return self

    def close(self) -> None:
        with self._conns_lock:
            for conn in self._conns:
                with suppress(Exception):
                    conn.close()
            self._conns.clear()
        self._idle = queue.LifoQueue()

    # ------------------------------------------------------------------ settings

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self._row("SELECT value FROM settings WHERE key = ?", (key,))
        return row["value"] if row else default

    def set_setting(self, key: str, value: str, overwrite: bool = True) -> str:
        """Store ``value`` under ``key``; with ``overwrite=False`` keep an existing value. Returns the stored value."""
        with self._write() as cur:
            if overwrite:
                self._exec(
                    cur,
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            else:
                self._exec(
                    cur,
                    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                    (key, value),
                )
        stored = self.setting(key)
        assert stored is not None
        return stored

    # ------------------------------------------------------------------ users

    def add_user(self, name: str, password_hash: str, is_admin: bool = False) -> None:
        with self._write() as cur:
            self._exec(
                cur,
                "INSERT INTO users (name, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, "
                # a new password ends the sessions opened with the old one
                "is_admin = excluded.is_admin, session_generation = users.session_generation + 1",
                (name, password_hash, 1 if is_admin else 0, utc_now()),
            )

    def user(self, name: str) -> dict[str, Any] | None:
        return self._row("SELECT name, password_hash, is_admin FROM users WHERE name = ?", (name,))

    def session_generation(self, name: str) -> int | None:
        """The user's session generation (a session signed with another has ended); None if no such user."""
        row = self._row("SELECT session_generation FROM users WHERE name = ?", (name,))
        return int(row["session_generation"]) if row else None

    def end_sessions(self, name: str) -> bool:
        """End every session of ``name`` (logout, ``user revoke``); False when there is no such user."""
        with self._write() as cur:
            row = self._exec(
                cur,
                "UPDATE users SET session_generation = session_generation + 1 WHERE name = ? RETURNING name",
                (name,),
            ).fetchone()
        return row is not None

    def user_names(self) -> list[str]:
        return [r["name"] for r in self._rows("SELECT name FROM users ORDER BY name")]

    def set_password_hash(self, name: str, password_hash: str) -> None:
        with self._write() as cur:
            self._exec(cur, "UPDATE users SET password_hash = ? WHERE name = ?", (password_hash, name))

    def user_count(self) -> int:
        row = self._row("SELECT COUNT(*) AS n FROM users")
        return int(row["n"]) if row else 0

    # ------------------------------------------------------------------ failed logins

    def login_failures(self, name: str, address: str, since: float) -> list[float]:
        """When (seconds since the epoch, oldest first) ``name`` failed to log in from ``address`` after ``since``."""
        rows = self._rows(
            "SELECT failed_at FROM login_failures WHERE name = ? AND address = ? AND failed_at > ? "
            "ORDER BY failed_at",
            (name, address, since),
        )
        return [float(r["failed_at"]) for r in rows]

    def record_login_failure(self, name: str, address: str, at: float, forget_before: float) -> None:
        """Note a failed login; failures from before ``forget_before`` (anyone's) are forgotten."""
        with self._write() as cur:
            self._exec(cur, "DELETE FROM login_failures WHERE failed_at < ?", (forget_before,))
            self._exec(
                cur,
                "INSERT INTO login_failures (name, address, failed_at) VALUES (?, ?, ?)",
                (name, address, at),
            )

    def claim_login_attempt(
        self, name: str, address: str, at: float, since: float, max_failures: int
    ) -> list[float] | None:
        """Count and record a login attempt in one transaction.

        With fewer than ``max_failures`` failures of ``name`` from ``address`` since ``since``,
        the attempt is recorded as a failure at ``at`` (a right password clears it) and None is
        returned: the password may be checked. Otherwise nothing is recorded and the failures
        (oldest first) are returned: the attempt is refused. Concurrent attempts are counted one
        after the other (SQLite's write lock; a PostgreSQL advisory lock per name and address).
        """
        with self._write() as cur:
            if self.backend == "postgresql":
                self._exec(cur, "SELECT pg_advisory_xact_lock(hashtext(?))", (f"login\n{name}\n{address}",))
            rows = self._exec(
                cur,
                "SELECT failed_at FROM login_failures WHERE name = ? AND address = ? AND failed_at > ? "
                "ORDER BY failed_at",
                (name, address, since),
            ).fetchall()
            if len(rows) >= max_failures:
                return [float(r["failed_at"]) for r in rows]
            self._exec(cur, "DELETE FROM login_failures WHERE failed_at < ?", (since,))
            self._exec(
                cur,
                "INSERT INTO login_failures (name, address, failed_at) VALUES (?, ?, ?)",
                (name, address, at),
            )
        return None

    def clear_login_failures(self, name: str, address: str) -> None:
        with self._write() as cur:
            self._exec(cur, "DELETE FROM login_failures WHERE name = ? AND address = ?", (name, address))

    # ------------------------------------------------------------------ sketches

    def _record(self, row: dict[str, Any]) -> SketchRecord:
        sketch_doc = loads(row["sketch_json"])
        return SketchRecord(
            id=int(row["id"]),
            status=row["status"],
            title=row["title"],
            version=int(row["version"]),
            sketch=Sketch.from_dict(sketch_doc) if sketch_doc else None,
            published=Sketch.from_dict(loads(row["published_json"])) if row["published_json"] else None,
            programme=loads(row["programme_json"]),
            session_slug=row["session_slug"],
            transcript=loads(row["transcript_json"]),
            transcript_name=row["transcript_name"],
            speaker_map=loads(row["speaker_map_json"]) or {},
            source_key=row["source_name"],
            owner=row["owner"] or None,
            content_hash=row["content_hash"],
            conference=row["conference"],
            year=row["year"],
            session_title=row["session_title"],
            date=row["date"],
            published_version=row["published_version"],
            created_by=row["created_by"],
            updated_by=row["updated_by"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    def get(self, sketch_id: int) -> SketchRecord:
        row = self._row("SELECT * FROM sketches WHERE id = ?", (sketch_id,))
        if row is None:
            raise NotFound(f"no sketch {sketch_id}")
        return self._record(row)

    def create_workbench(
        self, programme: dict[str, Any], title: str | None, session_slug: str | None, user: str | None
    ) -> int:
        now = utc_now()
        return self._insert_one(
            "INSERT INTO sketches (status, title, programme_json, session_slug, speaker_map_json, version, "
            "owner, created_by, updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
            (DRAFT, title, dumps(programme), session_slug, "{}", user or "", user, user, now, now),
        )

    def update_workbench(
        self, sketch_id: int, user: str | None, expected_version: int | None = None, **fields: Any
    ) -> int:
        """Set workbench fields (programme, session_slug, transcript, transcript_name,
        speaker_map, sketch) and bump the version. Returns the new version.

        With ``expected_version``, raises :class:`StaleVersion` (carrying the current record)
        when someone saved since that version, and changes nothing."""
        columns = {
            "programme": ("programme_json", dumps),
            "session_slug": ("session_slug", None),
            "transcript": ("transcript_json", dumps),
            "transcript_name": ("transcript_name", None),
            "speaker_map": ("speaker_map_json", dumps),
            "sketch": ("sketch_json", lambda s: dumps(s.to_dict()) if s is not None else None),
            "title": ("title", None),
        }
        sets, params = [], []
        for name, value in fields.items():
            col, conv = columns[name]
            sets.append(f"{col} = ?")
            params.append(conv(value) if conv and value is not None else value)
        where, key = ("id = ?", [sketch_id])
        if expected_version is not None:
            where, key = ("id = ? AND version = ?", [sketch_id, expected_version])
        with self._write() as cur:
            row = self._exec(
                cur,
                f"UPDATE sketches SET {', '.join(sets)}, version = version + 1, updated_by = ?, updated_at = ? "
                f"WHERE {where} RETURNING version",
                (*params, user, utc_now(), *key),
            ).fetchone()
        if row is None:
            if expected_version is not None:
                raise StaleVersion(self.get(sketch_id))
            raise NotFound(f"no sketch {sketch_id}")
        return int(row["version"])

    def save_sketch(self, sketch_id: int, sketch: Sketch, expected_version: int, user: str | None) -> int:
        """Save an edited sketch if nobody saved since ``expected_version``; return the new version.

        Raises :class:`StaleVersion` (carrying the current record) when the stored version differs.
        """
        with self._write() as cur:
            row = self._exec(
                cur,
                "UPDATE sketches SET sketch_json = ?, version = version + 1, updated_by = ?, updated_at = ? "
                "WHERE id = ? AND version = ? RETURNING version",
                (dumps(sketch.to_dict()), user, utc_now(), sketch_id, expected_version),
            ).fetchone()
        if row is None:
            raise StaleVersion(self.get(sketch_id))
        return int(row["version"])

    def workbench_list(self, user: str | None = None) -> list[SketchRecord]:
        """The workbench's sessions, newest first; with ``user``, only those ``user`` may open."""
        if user is None:
            rows = self._rows(
                "SELECT * FROM sketches WHERE programme_json IS NOT NULL "
                "ORDER BY updated_at DESC, id DESC LIMIT 500"
            )
        else:
            rows = self._rows(
                "SELECT * FROM sketches WHERE programme_json IS NOT NULL AND (created_by = ? OR team = 1 "
                "OR id IN (SELECT sketch_id FROM sketch_editors WHERE name = ?)) "
                "ORDER BY updated_at DESC, id DESC LIMIT 500",
                (user, user),
            )
        return [self._record(r) for r in rows]

    # ------------------------------------------------------------------ who may edit a draft

    def sharing(self, sketch_id: int) -> dict[str, Any]:
        """Who may open a workbench session: ``owner`` (its creator), named ``editors``, or the ``team``."""
        row = self._row("SELECT created_by, team FROM sketches WHERE id = ?", (sketch_id,))
        if row is None:
            raise NotFound(f"no sketch {sketch_id}")
        editors = self._rows(
            "SELECT name FROM sketch_editors WHERE sketch_id = ? ORDER BY name", (sketch_id,)
        )
        return {
            "owner": row["created_by"],
            "team": bool(row["team"]),
            "editors": [r["name"] for r in editors],
        }

    def may_edit(self, sketch_id: int, user: str) -> bool:
        s = self.sharing(sketch_id)
        return s["team"] or user == s["owner"] or user in s["editors"]

    def set_sharing(self, sketch_id: int, team: bool, editors: list[str]) -> None:
        with self._write() as cur:
            row = self._exec(
                cur, "UPDATE sketches SET team = ? WHERE id = ? RETURNING id", (1 if team else 0, sketch_id)
            ).fetchone()
            if row is None:
                raise NotFound(f"no sketch {sketch_id}")
            self._exec(cur, "DELETE FROM sketch_editors WHERE sketch_id = ?", (sketch_id,))
            for name in sorted(set(editors)):
                self._exec(
                    cur, "INSERT INTO sketch_editors (sketch_id, name) VALUES (?, ?)", (sketch_id, name)
                )

    def published(self, conference: str | None = None, limit: int = 200) -> list[SketchRecord]:
        if conference is None:
            rows = self._rows(
                "SELECT * FROM sketches WHERE status = ? ORDER BY date DESC, id DESC LIMIT ?",
                (PUBLISHED, limit),
            )
        else:
            rows = self._rows(
                "SELECT * FROM sketches WHERE status = ? AND conference = ? ORDER BY date, session_title, id LIMIT ?",
                (PUBLISHED, conference, limit),
            )
        return [self._record(r) for r in rows]

    def publish(
        self,
        sketch: Sketch,
        *,
        sketch_id: int | None = None,
        source_key: str | None = None,
        source_hash: str | None = None,
        user: str | None = None,
    ) -> tuple[int, str]:
        """Put a sketch into the archive's published sketches, in one transaction.

        ``sketch_id`` publishes a workbench draft (the caller has checked that ``user`` may
        edit it); ``source_key`` (an imported file's name) updates the sketch that ``user``
        imported earlier under that name, never another user's: the same name from another
        user is another sketch. Whenever a published sketch is replaced, the version it
        replaces is kept in its history (:meth:`history`). Returns
        ``(id, "created" | "updated" | "unchanged")``.
        """
        md = sketch.metadata
        doc = dumps(sketch.to_dict())
        digest = source_hash or content_hash(doc.encode())
        now = utc_now()
        year = year_of(sketch)
        date = md.date.isoformat() if md.date else None
        owner = user or ""
        with self._write() as cur:
            if sketch_id is None and source_key is not None:
                if self.backend == "postgresql":
                    # one import of a name at a time per owner (SQLite's write lock does the same)
                    self._exec(
                        cur, "SELECT pg_advisory_xact_lock(hashtext(?))", (f"import\n{owner}\n{source_key}",)
                    )
                row = self._exec(
                    cur,
                    "SELECT id, content_hash FROM sketches WHERE owner = ? AND source_name = ?",
                    (owner, source_key),
                ).fetchone()
                if row is not None:
                    if row["content_hash"] == digest:
                        return int(row["id"]), "unchanged"
                    sketch_id = int(row["id"])
            # what publishing sets, whether the row is new or not
            published = {
                "status": PUBLISHED,
                "sketch_json": doc,
                "published_json": doc,
                "content_hash": digest,
                "conference": md.conference,
                "year": year,
                "session_title": md.session,
                "date": date,
                "updated_by": user,
                "updated_at": now,
                "published_at": now,
            }
            if sketch_id is None:
                action = "created"
                fields = {**published, "title": title_of(sketch), "source_name": source_key, "owner": owner}
                fields |= {"version": 1, "published_version": 1, "created_by": user, "created_at": now}
                sketch_id = self._insert(
                    cur,
                    f"INSERT INTO sketches ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)})",
                    list(fields.values()),
                )
            else:
                action = "updated"
                # the published version this replaces stays in the history
                self._exec(
                    cur,
                    "INSERT INTO sketch_history (sketch_id, version, published_json, content_hash, owner, "
                    "source_name, replaced_by, replaced_at) "
                    "SELECT id, COALESCE(published_version, version), published_json, content_hash, owner, "
                    "source_name, ?, ? FROM sketches WHERE id = ? AND published_json IS NOT NULL "
                    "ON CONFLICT (sketch_id, version) DO NOTHING",
                    (user, now, sketch_id),
                )
                where, key = "id = ?", [sketch_id]
                if source_key is not None:
                    where, key = "id = ? AND owner = ?", [sketch_id, owner]
                row = self._exec(
                    cur,
                    f"UPDATE sketches SET {', '.join(f'{k} = ?' for k in published)}, "
                    "title = COALESCE(title, ?), version = version + 1, published_version = version + 1 "
                    f"WHERE {where} RETURNING id",
                    [*published.values(), title_of(sketch), *key],
                ).fetchone()
                if row is None:
                    raise NotFound(f"no sketch {sketch_id}")
            self._index(cur, sketch_id, sketch, year)
        return sketch_id, action

    def owner_of(self, sketch_id: int) -> str | None:
        """Whose sketch this is (its importer or creator); None for one made without a user."""
        row = self._row("SELECT owner FROM sketches WHERE id = ?", (sketch_id,))
        if row is None:
            raise NotFound(f"no sketch {sketch_id}")
        return row["owner"] or None

    def history(self, sketch_id: int) -> list[dict[str, Any]]:
        """The published versions a sketch replaced, oldest first: version, sketch (as JSON), who replaced it, when."""
        rows = self._rows(
            "SELECT version, published_json, content_hash, replaced_by, replaced_at FROM sketch_history "
            "WHERE sketch_id = ? ORDER BY version",
            (sketch_id,),
        )
        return [
            {
                "version": int(r["version"]),
                "sketch": loads(r["published_json"]),
                "content_hash": r["content_hash"],
                "replaced_by": r["replaced_by"],
                "replaced_at": r["replaced_at"],
            }
            for r in rows
        ]

    def delete(self, sketch_id: int) -> None:
        with self._write() as cur:
            self._exec(cur, "DELETE FROM sentences WHERE sketch_id = ?", (sketch_id,))
            self._exec(cur, "DELETE FROM appearances WHERE sketch_id = ?", (sketch_id,))
            self._exec(cur, "DELETE FROM sketch_editors WHERE sketch_id = ?", (sketch_id,))
            self._exec(cur, "DELETE FROM sketch_history WHERE sketch_id = ?", (sketch_id,))
            self._exec(cur, "DELETE FROM sketches WHERE id = ?", (sketch_id,))

    # ------------------------------------------------------------------ import jobs

    def start_import(self, total: int, user: str | None) -> int:
        """A new import job, "running" in this process (see :func:`process_identity`)."""
        now = utc_now()
        return self._insert_one(
            "INSERT INTO imports (status, total, done, failed, log_json, created_by, created_at, updated_at, "
            "worker, heartbeat_at) VALUES ('running', ?, 0, 0, '[]', ?, ?, ?, ?, ?)",
            (total, user, now, now, process_identity(), time.time()),
        )

    def record_import(self, job_id: int, entry: dict[str, Any], failed: bool) -> None:
        with self._write() as cur:
            row = self._exec(cur, "SELECT log_json FROM imports WHERE id = ?", (job_id,)).fetchone()
            log = loads(row["log_json"]) if row else []
            log.append(entry)
            self._exec(
                cur,
                "UPDATE imports SET done = done + 1, failed = failed + ?, log_json = ?, updated_at = ?, "
                "heartbeat_at = ?, status = CASE WHEN done + 1 >= total THEN 'done' ELSE status END "
                "WHERE id = ? AND status = 'running'",
                (1 if failed else 0, dumps(log), utc_now(), time.time(), job_id),
            )

    def import_heartbeat(self, job_id: int) -> None:
        """The job's process is alive and working on it (``run_import`` calls it while a file is read)."""
        with self._write() as cur:
            self._exec(
                cur,
                "UPDATE imports SET heartbeat_at = ? WHERE id = ? AND status = 'running'",
                (time.time(), job_id),
            )

    def finish_import(self, job_id: int) -> None:
        with self._write() as cur:
            self._exec(
                cur,
                "UPDATE imports SET status = 'done', updated_at = ? WHERE id = ? AND status = 'running'",
                (utc_now(), job_id),
            )

    def _fail_import(self, cur: Any, row: dict[str, Any], message: str) -> None:
        """Mark a running job failed: the files not yet read count as failed, ``message`` ends its log."""
        log = loads(row["log_json"]) or []
        left = int(row["total"]) - int(row["done"])
        log.append(
            {"file": None, "status": "failed", "sketch_id": None, "message": message.format(left=left)}
        )
        self._exec(
            cur,
            "UPDATE imports SET status = 'failed', failed = failed + ?, log_json = ?, updated_at = ? "
            "WHERE id = ? AND status = 'running'",
            (left, dumps(log), utc_now(), row["id"]),
        )

    def fail_interrupted_imports(self) -> int:
        """Mark imports still "running" as failed (their server stopped mid-way); how many there were.

        Called once when a server starts, before it takes requests: no import can be running then.
        """
        failed = 0
        with self._write() as cur:
            rows = self._exec(
                cur, "SELECT id, total, done, log_json FROM imports WHERE status = 'running'"
            ).fetchall()
            for row in rows:
                self._fail_import(
                    cur,
                    row,
                    f"interrupted: the server stopped before {{left}} of {row['total']} files "
                    "were read; import them again",
                )
                failed += 1
        return failed

    def _fail_if_abandoned(self, job_id: int) -> None:
        """Fail a running job whose process has died (or, on another host, gone silent past the lease)."""
        with self._write() as cur:
            row = self._exec(
                cur,
                "SELECT id, total, done, log_json, worker, heartbeat_at FROM imports "
                "WHERE id = ? AND status = 'running'",
                (job_id,),
            ).fetchone()
            if row is None:
                return
            why = abandoned(row["worker"], row["heartbeat_at"])
            if why:
                self._fail_import(
                    cur, row, why + f"; {{left}} of {row['total']} files were not read: import them again"
                )

    def import_job(self, job_id: int) -> ImportJob:
        row = self._row("SELECT * FROM imports WHERE id = ?", (job_id,))
        if row is None:
            raise NotFound(f"no import {job_id}")
        if row["status"] == "running" and abandoned(row.get("worker"), row.get("heartbeat_at")):
            self._fail_if_abandoned(job_id)
            row = self._row("SELECT * FROM imports WHERE id = ?", (job_id,)) or row
        return ImportJob(
            id=int(row["id"]),
            status=row["status"],
            total=int(row["total"]),
            done=int(row["done"]),
            failed=int(row["failed"]),
            log=loads(row["log_json"]) or [],
            created_by=row["created_by"],
            created_at=row["created_at"],
        )


# ---------------------------------------------------------------------- which process runs an import

#: A job on another host is given up when its heartbeat is older than this (``run_import`` beats
#: every ``IMPORT_HEARTBEAT_SECONDS``, and a file's read is bounded by the parse budget).
IMPORT_LEASE_SECONDS = 180.0
IMPORT_HEARTBEAT_SECONDS = 15.0


def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id") as f:
            return f.read().strip()[:8]
    except OSError:
        return "0"


def _start_time(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, from /proc); "0" where unknown; None if no such process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except FileNotFoundError:
        return None
    except (OSError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return "0"


_HOST = f"{socket.gethostname()}#{_boot_id()}"


def process_identity(pid: int | None = None) -> str:
    """``host#boot:pid:start time`` of this process: a pid reused after it died names another process."""
    pid = os.getpid() if pid is None else pid
    return f"{_HOST}:{pid}:{_start_time(pid) or '0'}"


def abandoned(worker: str | None, heartbeat_at: float | None, now: float | None = None) -> str | None:
    """Why a running job's process can no longer finish it, or None while it may.

    On this host the process is checked directly (gone, or its pid now another process's);
    elsewhere only the heartbeat tells, and it must be older than the lease.
    """
    if not worker:
        return None  # recorded before workers were: the server's start marks it
    host, _, rest = worker.partition(":")
    pid_text, _, started = rest.partition(":")
    if host == _HOST and pid_text.isdigit():
        current = _start_time(int(pid_text))
        if current is None or (started not in ("", "0") and current not in ("0", started)):
            return f"the server process that ran this import (pid {pid_text}) stopped"
        return None
    now = time.time() if now is None else now
    if heartbeat_at is not None and now - float(heartbeat_at) > IMPORT_LEASE_SECONDS:
        return f"the server process that ran this import ({host}) gave no sign of life for {IMPORT_LEASE_SECONDS:.0f} s"
    return None
