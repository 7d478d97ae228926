"""PDF through HTML and CSS paged media (WeasyPrint).

The style's HTML template is rendered with ``print.css`` added: ``@page`` margin boxes
carry the running header (label and conference), the disclaimer and "Page N of M".
Nothing is fetched: only ``data:`` URLs (an embedded logo) are loaded.
"""

from __future__ import annotations

import logging

from sessionsketch.errors import UserError
from sessionsketch.model import Sketch, Transcript
from sessionsketch.writers import sketch_writer
from sessionsketch.writers.html import render_html
from sessionsketch.writers.styles import Style

log = logging.getLogger("sessionsketch")


def _data_urls_only() -> object:
    """A URL fetcher that loads ``data:`` URLs (an embedded logo) and refuses the rest."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before the URLFetcher class: a plain function
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args: object, **kwargs: object) -> object:
            if not url.startswith("data:"):
                raise ValueError(f"not fetched: {url[:80]}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols={"data"})


@sketch_writer("pdf", ("pdf",), "application/pdf")
def write_pdf(sketch: Sketch, style: Style, transcript: Transcript | None = None) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango missing
        raise UserError(f"PDF output needs WeasyPrint and Pango: {exc}") from None
    html = render_html(sketch, style, transcript, paged=True)
    # WeasyPrint logs every unsupported CSS property; keep the user's console quiet.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=str(style.path), url_fetcher=_data_urls_only())
    return document.write_pdf()
