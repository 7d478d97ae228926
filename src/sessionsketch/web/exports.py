"""Downloads of a sketch through the publishing writers (the writer registry names the media type)."""

from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import Response

from sessionsketch.errors import UserError
from sessionsketch.model import Sketch, Transcript
from sessionsketch.writers import find_writer, render_bytes


def export_response(sketch: Sketch, fmt: str, stem: str, transcript: Transcript | None = None) -> Response:
    """The sketch rendered as ``fmt``, sent as a download (never shown inline)."""
    try:
        writer = find_writer(fmt)
    except UserError as exc:
        raise HTTPException(404, f"no export format: {exc.message}") from None
    data = render_bytes(sketch, writer.name, transcript=transcript)
    return Response(
        data,
        media_type=writer.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{stem}.{writer.extension}"',
            # an exported HTML file must not run in our origin
            "Content-Security-Policy": "sandbox",
        },
    )
