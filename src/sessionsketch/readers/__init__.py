"""The reader registry: formats by name, file extension and content sniffing.

Each module in this package registers its readers with :func:`transcript_reader` or
:func:`sketch_reader`. Detecting a format is the registry's job, not each reader's:
``detect`` asks every reader of a kind to score the input (content first, extension as
a tie-breaker) and picks the best.

A transcript reader is ``read(data: bytes, path: Path) -> Transcript`` returning turns
whose speakers are not yet resolved; a sketch reader is ``read(data: bytes, path: Path)
-> Sketch``. Readers only read: resolving speakers and attributing sentences are the
pipeline's (:mod:`sessionsketch.pipeline`). Outside packages add readers through the
``sessionsketch.readers`` entry points (:mod:`sessionsketch.plugins`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sessionsketch import plugins
from sessionsketch.errors import UserError
from sessionsketch.files import check_text_input, read_bytes

if TYPE_CHECKING:
    from sessionsketch.model import Sketch, Transcript

Sniffer = Callable[[bytes, Path], float]


@dataclass
class Reader:
    name: str
    kind: str  # "transcript" or "sketch"
    read: Callable[..., Any]
    extensions: tuple[str, ...] = ()
    sniff: Sniffer | None = None
    description: str = ""
    options: dict[str, Any] = field(default_factory=dict)


_REGISTRY: dict[str, dict[str, Reader]] = {"transcript": {}, "sketch": {}}


def _register(kind: str, name: str, extensions: tuple[str, ...], sniff: Sniffer | None, description: str):
    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRY[kind][name] = Reader(
            name=name,
            kind=kind,
            read=fn,
            extensions=tuple(e.lower().lstrip(".") for e in extensions),
            sniff=sniff,
            description=description or (fn.__doc__ or "").strip().split("\n")[0],
        )
        return fn

    return deco


def transcript_reader(
    name: str, extensions: tuple[str, ...] = (), sniff: Sniffer | None = None, description: str = ""
):
    """Register a transcript reader ``read(data, path) -> Transcript``."""
    return _register("transcript", name, extensions, sniff, description)


def sketch_reader(
    name: str, extensions: tuple[str, ...] = (), sniff: Sniffer | None = None, description: str = ""
):
    """Register a sketch reader ``read(data, path) -> Sketch``."""
    return _register("sketch", name, extensions, sniff, description)


def readers(kind: str) -> dict[str, Reader]:
    """Every reader of ``kind`` by name: the package's own and the plugins' (entry points)."""
    plugins.load("readers")
    return dict(_REGISTRY[kind])


def detect(data: bytes, path: Path, kind: str, fmt: str | None = None) -> Reader:
    """Pick the reader for ``data``: the named ``fmt``, else the best sniffing score.

    A reader whose extension matches gets a small bonus, so content decides and the
    extension breaks ties. Raises a user error when no reader claims the input.
    """
    table = readers(kind)
    if fmt:
        if fmt not in table:
            raise UserError(f"unknown {kind} format '{fmt}' (known: {', '.join(sorted(table))})", path)
        return table[fmt]
    ext = path.suffix.lower().lstrip(".")
    best: tuple[float, Reader] | None = None
    for r in table.values():
        score = 0.0
        if r.sniff is not None:
            try:
                score = float(r.sniff(data, path))
            except Exception:  # a sniffer must never break detection
                score = 0.0
        if kind == "transcript" and score <= 0:
            continue  # a transcript reader must recognise the content; the extension only breaks ties
        if ext and ext in r.extensions:
            score += 0.25 if score > 0 else 0.1
        if score > 0 and (best is None or score > best[0]):
            best = (score, r)
    if best is None:
        if kind == "transcript" and _holds_no_speech(data):
            raise UserError(
                "no speech found in the transcript (only timings, headers, headings or empty lists)", path
            )
        raise UserError(f"cannot tell the {kind} format: {_looks_like(data, path, table)}", path)
    return best[1]


# a line with no speech in it: a caption header, a cue number or timing, a Markdown heading or
# rule, JSON punctuation; each alternative anchored and bounded, so a line is read in linear time
_NO_SPEECH_LINE = re.compile(
    r"^[ \t]*(?:WEBVTT\b.*|Kind:.*|Language:.*|NOTE\b.*|\d{1,7}"
    r"|[\d:.,]{4,16}[ \t]*(?:-->|,)[ \t]*[\d:.,]{4,16}(?:[ \t].*)?"
    r"|#{1,6}(?:[ \t].*)?|(?:-[ \t]*){3,}|\.\.\.|[\[\]{}(),:\"' \t]*)$"
)
_EMPTY_LISTS = ("segments", "chunks", "monologues", "meeting_transcripts", "words")


def _holds_no_speech(data: bytes) -> bool:
    """Whether a file no reader claims holds no speech at all: empty lists in a JSON
    transcript, or only caption timings and headers, headings, front matter, punctuation."""
    text = data.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if text.startswith(("{", "[")):
        try:
            doc = json.loads(text)
        except ValueError:
            return False
        if doc == []:
            return True
        return (
            isinstance(doc, dict)
            and any(doc.get(k) == [] for k in _EMPTY_LISTS)
            and not any(isinstance(doc.get(k), list) and doc.get(k) for k in _EMPTY_LISTS)
        )
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].rstrip() == "---":  # YAML front matter
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in {"---", "..."}), None)
        if end is not None:
            lines = lines[end + 1 :]
    return all(_NO_SPEECH_LINE.match(line) for line in lines)


def _looks_like(data: bytes, path: Path, table: dict[str, Reader]) -> str:
    """One line for a file no reader claims: the formats tried and what the file looked like."""
    head = data[:512].decode("utf-8", errors="replace").lstrip("\ufeff \r\n")
    first = head.splitlines()[0].strip() if head.strip() else ""
    shown = "binary data" if "\x00" in first or data.startswith(b"PK") else f"'{first[:60]}'"
    ext = path.suffix.lower() or "none"
    return f"no reader recognised it (tried: {', '.join(sorted(table))}); it starts {shown}, extension {ext}"


def read_transcript_file(path: str | Path, fmt: str | None = None) -> Transcript:
    """Read a transcript in any registered format, as written: speakers not yet resolved.

    ``sessionsketch.pipeline.read_transcript`` reads and resolves against a programme.
    """
    p = Path(path)
    data = read_bytes(p)
    if not data.startswith(b"PK\x03\x04"):  # zip-based transcripts (.docx) are binary
        check_text_input(data, p)
    reader = detect(data, p, "transcript", fmt)
    transcript = reader.read(data, p)
    transcript.source = str(p)
    transcript.format = reader.name
    return transcript


def read_sketch(path: str | Path, fmt: str | None = None) -> Sketch:
    """Read a finished sketch (JSON, Markdown, text, PDF, DOCX, HTML) into the model."""
    p = Path(path)
    data = read_bytes(p)
    reader = detect(data, p, "sketch", fmt)
    return reader.read(data, p)
