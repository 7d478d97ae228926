"""Uploaded files: read within the size limit, kept only as bytes to parse, never served back."""

from __future__ import annotations

import re
from pathlib import PurePath

from fastapi import HTTPException, Request, UploadFile

_SUFFIX_RE = re.compile(r"^\.[A-Za-z0-9]{1,8}$")


async def read_upload(request: Request, upload: UploadFile) -> bytes:
    """The uploaded file's bytes; 413 beyond the app's upload limit, 400 when empty."""
    limit: int = request.app.state.max_upload_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"upload too large: the limit is {limit / 1024 / 1024:.0f} MB")
    if not data:
        raise HTTPException(400, f"{PurePath(upload.filename or 'the upload').name} is empty")
    return data


def safe_suffix(filename: str | None) -> str:
    """The file name's extension if it is a plain one (".vtt", ".json"), else "" — readers sniff the content."""
    suffix = PurePath(filename or "").suffix.lower()
    return suffix if _SUFFIX_RE.match(suffix) else ""


def safe_name(filename: str | None) -> str:
    """A file's base name with anything odd replaced, for keys and messages."""
    name = PurePath((filename or "upload").replace("\\", "/")).name
    return re.sub(r"[^\w.+-]+", "_", name)[:200] or "upload"
