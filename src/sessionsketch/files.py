"""File helpers shared by readers and writers: decoding text, atomic output."""

from __future__ import annotations

import codecs
import contextlib
import json
import logging
import os
import stat
import tempfile
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sessionsketch.errors import UserError

log = logging.getLogger("sessionsketch")

#: Inputs larger than this are refused rather than read into memory.
MAX_INPUT_BYTES = 100 * 1024 * 1024


def read_bytes(path: str | Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Read a whole input file, refusing missing, unreadable or oversized files.

    ``-`` is standard input (read to its end, with the same size limit).
    """
    if str(path) == "-":
        import sys

        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise UserError(f"standard input is over {limit / 1e6:.0f} MB; refused", path)
        return data
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise UserError("no such file", path) from None
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror}", path) from None
    if p.is_dir():
        raise UserError("is a folder, not a file", path)
    if size > limit:
        raise UserError(
            f"file is {size / 1e6:.0f} MB; inputs larger than {limit / 1e6:.0f} MB are refused",
            path,
        )
    try:
        return p.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror}", path) from None


#: A zip-based input (DOCX) whose parts unpack to more than this is refused ...
MAX_UNPACKED_BYTES = MAX_INPUT_BYTES
#: ... and so is one that unpacks to more than this many times its own size, past 10 MB.
MAX_UNPACK_RATIO = 100


def check_unpacked_size(infos: list[Any], data: bytes, path: str | Path | None, what: str) -> None:
    """Refuse a zip bomb by the sizes the zip's directory declares, before decompressing:
    in total, and as a ratio to the zip's own size."""
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES or (
        unpacked > 10_000_000 and unpacked > MAX_UNPACK_RATIO * max(len(data), 1)
    ):
        raise UserError(
            f"the {what} unpacks to {unpacked / 1e6:.0f} MB from {len(data) / 1e6:.1f} MB; "
            f"refused (limits: {MAX_UNPACKED_BYTES / 1e6:.0f} MB, {MAX_UNPACK_RATIO}x past 10 MB)",
            path,
        )


def read_zip_part(data: bytes, path: str | Path | None, name: str, what: str = "zip file") -> bytes | None:
    """Part ``name`` of a zip-based input (a DOCX), or None when the zip has no such part.

    Zip bombs are refused before anything is decompressed, by the sizes the zip's
    directory declares (in total, and as a ratio to the zip's own size); the part is
    then read in chunks and refused as soon as it outgrows the limit, whatever was declared.
    """
    import io
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            check_unpacked_size(infos, data, path, what)
            if name not in {info.filename for info in infos}:
                return None
            chunks: list[bytes] = []
            size = 0
            with zf.open(name) as part:
                while chunk := part.read(1 << 20):
                    size += len(chunk)
                    if size > MAX_UNPACKED_BYTES:
                        raise UserError(f"the {what} unpacks to more than it declares; refused", path)
                    chunks.append(chunk)
            return b"".join(chunks)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        zlib.error,  # a damaged deflate stream
    ) as exc:
        reason = f"damaged or truncated zip: {type(exc).__name__}"
        raise UserError(f"not a readable {what} ({reason})", path) from None


def load_json(data: bytes, path: str | Path | None = None) -> Any:
    """Parse a JSON file; bad JSON (or nesting too deep to read) is a one-line user error."""
    try:
        return json.loads(decode_text(data, path))
    except json.JSONDecodeError as exc:
        raise UserError(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
    except RecursionError:
        raise UserError("invalid JSON: nested too deeply", path) from None


def decode_text(data: bytes, path: str | Path | None = None) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16/32 with BOM, else cp1252.

    Binary data (NUL bytes without a UTF-16/32 BOM) is refused with a user error.
    """
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _normalise_newlines(data.decode(enc))
            except UnicodeDecodeError as exc:
                raise UserError(f"not valid {enc.upper()} text ({exc.reason})", path) from None
    if b"\x00" in data[:8192]:
        raise UserError("binary file, not text", path)
    try:
        return _normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        log.warning("%s: not UTF-8; read as Windows-1252/Latin-1", path or "input")
        return _normalise_newlines(data.decode("cp1252", errors="replace"))


_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def check_text_input(data: bytes, path: str | Path | None = None) -> None:
    """Refuse an input that is empty (or only white space) or binary, with one clear line."""
    body = data
    for bom in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if not body.replace(b"\x00", b"").strip():
                raise UserError("file is empty", path)
            return
    if not body.strip():
        raise UserError("file is empty", path)
    if b"\x00" in body[:8192]:
        raise UserError("binary file, not text", path)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | Path, limit: int = MAX_INPUT_BYTES) -> str:
    return decode_text(read_bytes(path, limit), path)


@contextlib.contextmanager
def atomic_output(dest: str | Path, mkdirs: bool = True) -> Iterator[Path]:
    """Yield a temporary path; once the caller has written it, it becomes ``dest``.

    On any exception the temporary file is removed and ``dest`` is left untouched,
    so a failed write never leaves a half-written output behind.

    What is at ``dest`` is written to, never replaced (issue 30 §10): a symlink is followed
    and the file it points to is replaced (the link stays; ``latest.md -> 2025/x.md``); a
    device, FIFO or socket (``/dev/null``, ``/dev/stdout``, a pipe) is opened and the
    finished output copied into it, where a rename would swap the device for a regular
    file. A regular file is replaced by a rename, keeping its permissions.
    """
    dest = Path(dest)
    descriptor = _descriptor(dest)
    target = descriptor or _final_target(dest)
    through = descriptor is not None or _special(target)
    if through:
        tmp_path = _temporary(Path(tempfile.gettempdir()), dest)
        try:
            yield tmp_path
            _copy_into(tmp_path, target, dest)
        finally:
            with contextlib.suppress(OSError):
                tmp_path.unlink()
        return
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise UserError("is a folder; give a file name", dest)
    if not parent.exists():
        if not mkdirs:
            raise UserError("folder does not exist", parent)
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create folder: {exc.strerror or exc}", parent) from None
    elif not parent.is_dir():
        raise UserError("is a file, not a folder", parent)
    tmp_path = _temporary(parent, target)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)  # a file replaced keeps its permissions
    except OSError:
        mode = 0o666 & ~_UMASK  # mkstemp makes the file 0600; a new output gets the usual mode
    with contextlib.suppress(OSError):
        os.chmod(tmp_path, mode)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def _temporary(folder: Path, dest: Path) -> Path:
    """A new empty file in ``folder`` named after ``dest``; a user error when none can be made."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", dest) from None
    os.close(fd)
    return Path(tmp)


def _hops(dest: Path, hops: int = 40) -> Iterator[Path]:
    """``dest`` and each path its symlinks lead to, in order (a link's own folder resolves a
    relative target). Stops at what is no link, at a link whose target names no path (the
    ``pipe:[…]`` of ``/proc/self/fd/1``) and at what cannot be read; UserError past ``hops``."""
    for _ in range(hops):
        yield dest
        try:
            if not dest.is_symlink():
                return
            link = os.readlink(dest)
        except OSError:
            return
        if not link.startswith("/") and ":[" in link:  # "pipe:[1234]", "socket:[…]": not a path
            return
        dest = dest.parent / link
    raise UserError("too many levels of symbolic links", dest)


def _final_target(dest: Path) -> Path:
    """Where ``dest`` leads through its symlinks; ``dest`` itself when it is no link."""
    return deque(_hops(dest), maxlen=1)[0]


def _descriptor(dest: Path) -> Path | None:
    """The ``/proc/self/fd/N`` (or ``/dev/fd/N``) that ``dest`` leads through, if any: an
    open descriptor (``/dev/stdout`` of a shell's ``> out.md`` or ``>> log.md``) is written
    into as it is, never renamed over."""
    try:
        for hop in _hops(dest):
            parts = hop.parts
            if (len(parts) == 5 and parts[:2] == ("/", "proc") and parts[3] == "fd") or (
                len(parts) == 4 and parts[:3] == ("/", "dev", "fd")
            ):
                return hop if parts[-1].isdigit() else None
    except UserError:
        return None
    return None


def _special(path: Path) -> bool:
    """Whether ``path`` is something other than a regular file or a folder (followed through links)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _copy_into(source: Path, target: Path, dest: Path) -> None:
    """Write the finished output in ``source`` into the device or pipe at ``target``."""
    parts = target.parts
    own = parts[-1].isdigit() and (
        parts[:3] == ("/", "dev", "fd") or (parts[1:3] in (("proc", "self"), ("proc", str(os.getpid()))))
    )
    try:
        # our own descriptor is written through itself: at its offset, in its mode (append),
        # where opening /proc/self/fd/N anew would truncate a regular file behind it
        sink = os.fdopen(os.dup(int(parts[-1])), "wb") if own else open(target, "wb")  # noqa: SIM115
        with open(source, "rb") as src, sink as out:
            while chunk := src.read(1 << 20):
                out.write(chunk)
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", dest) from None


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Read once at import: os.umask() can only be read by setting it, which is not thread-safe.
_UMASK = _read_umask()


def write_atomic(dest: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``dest`` through a temporary file and a rename."""
    with atomic_output(dest) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
