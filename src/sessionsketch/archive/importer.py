"""Bulk import of finished sketches (PDF, DOCX, Markdown, JSON, text) into the archive.

Each file is read and attributed by ``pipeline.parse_sketch`` (as ``sessionsketch parse`` does), then put
into the archive in one transaction: a file that fails leaves nothing behind, and a
file imported again under the same name updates its sketch instead of adding one.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

from sessionsketch.archive.repository import IMPORT_HEARTBEAT_SECONDS, Archive, content_hash
from sessionsketch.errors import UserError
from sessionsketch.model import Sketch
from sessionsketch.pipeline import parse_sketch

log = logging.getLogger("sessionsketch")


@dataclass
class ImportResult:
    file: str
    status: str  # "created", "updated", "unchanged", "failed"
    sketch_id: int | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "status": self.status,
            "sketch_id": self.sketch_id,
            "message": self.message,
        }


def read_sketch_file(name: str, data: bytes | Path) -> Sketch:
    """Parse and attribute one sketch file given as bytes (or where they were saved); errors name ``name``."""
    if isinstance(data, Path):
        data = data.read_bytes()
    suffix = PurePath(name).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"sketch{suffix if suffix.isascii() and len(suffix) <= 9 else ''}"
        path.write_bytes(data)
        try:
            return parse_sketch(path)
        except UserError as exc:
            raise UserError(exc.message, name, exc.line) from None


#: How a file's bytes become a sketch: ``read_sketch_file`` here, a budgeted child process on the web.
SketchReader = Callable[[str, bytes | Path], Sketch]


def import_sketch(
    archive: Archive,
    name: str,
    data: bytes | Path,
    user: str | None = None,
    read: SketchReader = read_sketch_file,
    source_hash: str | None = None,
) -> ImportResult:
    """Parse one sketch file (its bytes, or the path of a saved upload) and publish it as ``user``'s
    sketch ``name``. ``source_hash``: the bytes' :func:`content_hash` when ``read`` does not
    read ``data`` (a sketch parsed by a worker of ``archive import --scheduler``)."""
    try:
        sketch = read(name, data)
        if not sketch.sentences:
            raise UserError("no sentences found: is this a session sketch?", name)
        digest = source_hash or _hash_of(data)
        sketch_id, action = archive.publish(sketch, source_key=name, source_hash=digest, user=user)
    except UserError as exc:
        return ImportResult(name, "failed", message=str(exc))
    except Exception as exc:  # one bad file must not stop a bulk import
        log.exception("import of %s failed", name)
        detail = exc.detail if isinstance(getattr(exc, "detail", None), str) else None
        return ImportResult(
            name, "failed", message=detail or f"{name}: could not be read ({type(exc).__name__})"
        )
    return ImportResult(name, action, sketch_id)


def parse_task(paths: dict[str, Path], name: str) -> tuple[Sketch, str]:
    """One file of ``archive import`` on a worker (its bytes at ``paths['sketch']``): the
    sketch parsed and attributed, and the bytes' hash; the client publishes it."""
    data = paths["sketch"].read_bytes()
    return read_sketch_file(name, data), content_hash(data)


def _hash_of(data: bytes | Path) -> str:
    if isinstance(data, bytes):
        return content_hash(data)
    digest = hashlib.sha256()
    with data.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def run_import(
    archive: Archive,
    job_id: int,
    files: list[tuple[str, bytes | Path]],
    user: str | None = None,
    read: SketchReader = read_sketch_file,
) -> None:
    """Import ``files`` one by one, recording progress on import job ``job_id``.

    While it runs, the job's heartbeat is renewed every ``IMPORT_HEARTBEAT_SECONDS`` (a file's
    read may take the whole parse budget), so a reader on another host can tell a live job
    from one whose process died (``Archive.import_job``).
    """
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(IMPORT_HEARTBEAT_SECONDS):
            try:
                archive.import_heartbeat(job_id)
            except Exception:  # a missed beat is not worth stopping the import for
                log.warning("could not renew the heartbeat of import %s", job_id, exc_info=True)

    beating = threading.Thread(target=beat, name=f"import-{job_id}-heartbeat", daemon=True)
    beating.start()
    try:
        for name, data in files:
            result = import_sketch(archive, name, data, user, read)
            archive.record_import(job_id, result.to_dict(), failed=result.status == "failed")
    finally:
        stop.set()
        beating.join()
        archive.finish_import(job_id)
