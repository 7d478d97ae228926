"""Downloads of a sketch through the publishing writers (``writers.render_bytes``)."""

from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import Response

from sessionsketch.model import Sketch, Transcript

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def export_response(sketch: Sketch, fmt: str, stem: str, transcript: Transcript | None = None) -> Response:
    """The sketch rendered as ``fmt``, sent as a download (never shown inline)."""
    if fmt not in MEDIA_TYPES:
        raise HTTPException(404, f"no export format '{fmt}' (known: {', '.join(MEDIA_TYPES)})")
    from sessionsketch.writers import render_bytes

    data = render_bytes(sketch, fmt, transcript=transcript)
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{stem}.{fmt}"',
            # an exported HTML file must not run in our origin
            "Content-Security-Policy": "sandbox",
        },
    )
