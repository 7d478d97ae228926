"""Writers: a sketch turned into the documents an institute publishes.

One module per format registers itself with :func:`sketch_writer`; modules are imported
only when their format is asked for (WeasyPrint is slow to import)::

    write_sketch(sketch, Path("out.pdf"))                 # format from the extension, atomic
    render_bytes(sketch, "html", style="igf-report", transcript=transcript)

A writer is ``fn(sketch, style, transcript) -> bytes``; ``style`` is a loaded
:class:`~sessionsketch.writers.styles.Style` (a folder of templates and CSS).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import write_atomic
from sessionsketch.model import Sketch, Transcript
from sessionsketch.writers.styles import Style, load_style

Writer = Callable[[Sketch, Style, "Transcript | None"], bytes]

#: format -> module that registers its writer (imported on first use)
_MODULES: dict[str, str] = {
    "md": "sessionsketch.writers.markdown",
    "json": "sessionsketch.writers.json_sketch",
    "html": "sessionsketch.writers.html",
    "pdf": "sessionsketch.writers.pdf",
    "docx": "sessionsketch.writers.docx",
}
_ALIASES: dict[str, str] = {"markdown": "md", "htm": "html", "txt": "md"}
_WRITERS: dict[str, Writer] = {}

FORMATS: tuple[str, ...] = tuple(_MODULES)
"""Every output format, by the extension that selects it."""


def sketch_writer(fmt: str) -> Callable[[Writer], Writer]:
    """Register ``fn(sketch, style, transcript) -> bytes`` as the writer for ``fmt``."""

    def register(fn: Writer) -> Writer:
        _WRITERS[fmt] = fn
        return fn

    return register


def normalise_format(fmt: str, path: str | Path | None = None) -> str:
    key = fmt.lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key not in _MODULES:
        raise UserError(f"unknown output format '{key}' (known: {', '.join(FORMATS)})", path)
    return key


def format_of(dest: str | Path) -> str:
    """The output format an output file's extension names."""
    suffix = Path(dest).suffix
    if not suffix:
        raise UserError(f"no extension to choose the format from (use one of: {', '.join(FORMATS)})", dest)
    return normalise_format(suffix, dest)


def get_writer(fmt: str) -> Writer:
    key = normalise_format(fmt)
    if key not in _WRITERS:
        importlib.import_module(_MODULES[key])
    return _WRITERS[key]


def render_bytes(
    sketch: Sketch,
    fmt: str,
    style: str | Path | Style = "session-sketch",
    transcript: Transcript | None = None,
) -> bytes:
    """The sketch as a document in ``fmt`` (md, html, pdf, docx, json)."""
    writer = get_writer(fmt)
    loaded = style if isinstance(style, Style) else load_style(style)
    return writer(sketch, loaded, transcript)


def write_sketch(
    sketch: Sketch,
    dest: Path,
    fmt: str | None = None,
    style: str | Path | Style = "session-sketch",
    transcript: Transcript | None = None,
) -> None:
    """Write the sketch to ``dest`` (format from its extension unless ``fmt``).

    The document is rendered in full before anything is written, then written through
    a temporary file and a rename: a failed render or write leaves no file behind. A
    missing output folder is created.
    """
    key = normalise_format(fmt, dest) if fmt else format_of(dest)
    data = render_bytes(sketch, key, style, transcript)
    write_atomic(dest, data)


__all__ = [
    "FORMATS",
    "Style",
    "format_of",
    "get_writer",
    "load_style",
    "render_bytes",
    "sketch_writer",
    "write_sketch",
]
