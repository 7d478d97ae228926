"""Writers: a sketch turned into the documents an institute publishes.

One module per format registers itself with :func:`sketch_writer`, declaring there the
file extensions that select it (the first is the one it writes), and its media type;
outside packages add formats through the ``sessionsketch.writers`` entry points
(:mod:`sessionsketch.plugins`)::

    write_sketch(sketch, Path("out.pdf"))                 # format from the extension, atomic
    render_bytes(sketch, "html", style="igf-report", transcript=transcript)

A writer is ``fn(sketch, style, transcript) -> bytes``; ``style`` is a loaded
:class:`~sessionsketch.writers.styles.Style` (a folder of templates and CSS). The heavy
libraries (WeasyPrint, python-docx) are imported inside the writers, so registering
them all costs little.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sessionsketch import plugins
from sessionsketch.errors import UserError
from sessionsketch.files import write_atomic
from sessionsketch.model import Sketch, Transcript
from sessionsketch.writers.styles import Style, load_style

WriteFn = Callable[[Sketch, Style, "Transcript | None"], bytes]


@dataclass(frozen=True)
class Writer:
    """One output format: its name, the extensions that select it, its media type."""

    name: str
    write: WriteFn
    extensions: tuple[str, ...]
    media_type: str

    @property
    def extension(self) -> str:
        """The extension a file in this format is written with."""
        return self.extensions[0]

    @property
    def printable(self) -> bool:
        """Text that may go to standard output (Markdown, HTML, JSON), not a binary document."""
        return self.media_type.startswith("text/") or self.media_type.startswith("application/json")


_WRITERS: dict[str, Writer] = {}


def sketch_writer(
    name: str, extensions: tuple[str, ...] = (), media_type: str = "application/octet-stream"
) -> Callable[[WriteFn], WriteFn]:
    """Register ``fn(sketch, style, transcript) -> bytes`` as the writer of format ``name``.

    ``extensions`` select it (``-o x.htm``, ``--format markdown``); the first is the one it
    writes. Without any, the format's name is its extension.
    """
    exts = tuple(e.lower().lstrip(".") for e in extensions) or (name,)

    def register(fn: WriteFn) -> WriteFn:
        _WRITERS[name] = Writer(name, fn, exts, media_type)
        return fn

    return register


def writers() -> dict[str, Writer]:
    """Every registered writer by format name (built-in and plugins)."""
    plugins.load("writers")
    return dict(_WRITERS)


def formats() -> list[str]:
    """The format names, in the order they registered."""
    return list(writers())


def find_writer(fmt: str, path: str | Path | None = None) -> Writer:
    """The writer a format name or extension names (``md``, ``markdown``, ``.htm``, ``pdf``)."""
    key = fmt.lower().lstrip(".")
    table = writers()
    if key in table:
        return table[key]
    for w in table.values():
        if key in w.extensions:
            return w
    raise UserError(f"unknown output format '{key}' (known: {', '.join(table)})", path)


def writer_for(dest: str | Path) -> Writer:
    """The writer an output file's extension names."""
    suffix = Path(dest).suffix
    if not suffix:
        raise UserError(f"no extension to choose the format from (use one of: {', '.join(formats())})", dest)
    return find_writer(suffix, dest)


def render_bytes(
    sketch: Sketch,
    fmt: str,
    style: str | Path | Style = "session-sketch",
    transcript: Transcript | None = None,
) -> bytes:
    """The sketch as a document in ``fmt`` (md, html, pdf, docx, json, or a plugin's)."""
    writer = find_writer(fmt)
    loaded = style if isinstance(style, Style) else load_style(style)
    return writer.write(sketch, loaded, transcript)


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
    writer = find_writer(fmt, dest) if fmt else writer_for(dest)
    data = render_bytes(sketch, writer.name, style, transcript)
    write_atomic(dest, data)


__all__ = [
    "Style",
    "Writer",
    "find_writer",
    "formats",
    "load_style",
    "render_bytes",
    "sketch_writer",
    "write_sketch",
    "writer_for",
    "writers",
]
