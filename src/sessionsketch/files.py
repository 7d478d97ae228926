"""File helpers shared by readers and writers: decoding text, atomic output."""

from __future__ import annotations

import codecs
import contextlib
import json
import logging
import os
import tempfile
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
    """Yield a temporary path beside ``dest``; rename it onto ``dest`` on success.

    On any exception the temporary file is removed and ``dest`` is left untouched,
    so a failed write never leaves a half-written output behind.
    """
    dest = Path(dest)
    parent = dest.parent if str(dest.parent) else Path(".")
    if dest.is_dir():
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
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", dest) from None
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp makes the file 0600; give the output the mode any new file would get.
    with contextlib.suppress(OSError):
        os.chmod(tmp_path, 0o666 & ~_UMASK)
    try:
        yield tmp_path
        os.replace(tmp_path, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


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
