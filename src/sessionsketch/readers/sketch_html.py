"""Finished sketches as HTML (lxml).

The publishing writer marks every sentence with ``data-speaker`` (and ``data-evidence``):
when those marks are there, they are the attributions, read as they are. The metadata
block, and the body of HTML without marks, go through the shared core in
:mod:`sessionsketch.readers.sketch_text` as blocks (headings, paragraphs, list items).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sessionsketch.analysis.attribute import MARKED_IN_FILE
from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Evidence, Paragraph, Sentence, Sketch
from sessionsketch.readers import sketch_reader
from sessionsketch.readers.sketch_text import Block, sketch_from_blocks, table_row_line

_BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption"}
_SKIP_INSIDE = {"tr", "dl", "script", "style", "nav", "template"}
_FURNITURE_CLASS = re.compile(r"\b(?:running-(?:header|footer)|page-(?:header|footer))\b")
_CONTAINER_TAGS = {"div", "section", "article", "header", "footer", "main", "aside"}


def _sniff(data: bytes, path: Path) -> float:
    head = data[:4096].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return 0.9
    return 0.3 if head.startswith(b"<") and b"<p" in data[:65536].lower() else 0.0


def _text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def _lines(el) -> list[str]:
    """An element's text split at <br>."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if child.tag == "br":
            parts.append("")
        else:
            parts[-1] += child.text_content()
        parts[-1] += child.tail or ""
    return [re.sub(r"\s+", " ", p).strip() for p in parts if p.strip()]


def _blocks(root) -> list[Block]:
    blocks: list[Block] = []
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("script", "style", "template", "nav"):
            continue
        if any(
            isinstance(a.tag, str)
            and (a.tag in _SKIP_INSIDE or _FURNITURE_CLASS.search(a.get("class") or ""))
            for a in el.iterancestors()
        ):
            continue
        if tag == "hr":
            blocks.append(Block([], "rule"))
            continue
        if _FURNITURE_CLASS.search(el.get("class") or "") and tag in _CONTAINER_TAGS | _BLOCK_TAGS:
            text = _text(el)  # a running header or footer (shown only in print): furniture
            if text:
                blocks.append(Block([text], "furniture"))
            continue
        if tag in ("tr", "dl"):  # a row of cells, or a definition list: one line per row/term
            if tag == "tr":
                rows = [[_text(c) for c in el if isinstance(c.tag, str) and c.tag in ("td", "th")]]
            else:
                rows, term = [], None
                for c in el:
                    if c.tag == "dt":
                        term = _text(c)
                    elif c.tag == "dd":
                        rows.append([term or "", _text(c)])
            for cells in rows:
                line = table_row_line(cells)
                if line:
                    blocks.append(Block([line]))
            continue
        if tag in _BLOCK_TAGS or (
            tag in _CONTAINER_TAGS
            and not any(
                isinstance(c.tag, str) and (c.tag in _BLOCK_TAGS or c.tag in _CONTAINER_TAGS) for c in el
            )
        ):
            if any(isinstance(a.tag, str) and a.tag in _BLOCK_TAGS for a in el.iterancestors()):
                continue
            lines = _lines(el)
            if not lines:
                continue
            kind = "heading" if re.fullmatch(r"h[1-6]", tag) else "para"
            blocks.append(Block(lines, kind))
    return blocks


def _span(item: object) -> Evidence | None:
    """One cited span, if it is one (:meth:`Evidence.from_dict` says what is)."""
    try:
        return Evidence.from_dict(item)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return None


def _evidence(value: str | None) -> list[Evidence]:
    """The spans in a ``data-evidence`` attribute (JSON, or "4:0-120" written by hand).

    What is not a span of a turn (a number out of range, an end before its start) is left out.
    """
    if not value:
        return []
    try:
        data = json.loads(value)
    except ValueError:
        items: list[object] = [list(m) for m in re.findall(r"(\d+)\s*[:/]\s*(\d+)\s*[-–]\s*(\d+)", value)]
    else:
        items = data if isinstance(data, list) else [data]
    return [span for span in map(_span, items) if span is not None]


def _marked_paragraphs(root) -> list[Paragraph] | None:
    # the sentences: marked elements with no marked element inside (a marked <p> is a paragraph)
    marked = root.xpath("//*[@data-speaker][not(.//*[@data-speaker])]")
    if not marked:
        return None
    paragraphs: list[Paragraph] = []
    parents: dict[object, Paragraph] = {}  # keyed by the element: lxml keeps one proxy per live element
    for el in marked:
        text = _text(el)
        if not text:
            continue
        parent = el.getparent()
        key = parent
        if key not in parents:
            parents[key] = Paragraph()
            paragraphs.append(parents[key])
            speaker = (
                (parent.get("data-paragraph-speaker") or parent.get("data-speaker"))
                if parent is not None
                else None
            )
            parents[key].speaker = speaker or None
        speaker = (el.get("data-speaker") or "").strip() or None
        parents[key].sentences.append(
            Sentence(text, speaker, _evidence(el.get("data-evidence")), confidence=1.0, why=MARKED_IN_FILE)
        )
    return paragraphs


@sketch_reader("html", extensions=("html", "htm"), sniff=_sniff, description="HTML of a finished sketch")
def read_sketch_html(data: bytes, path: Path) -> Sketch:
    import lxml.html
    from lxml import etree

    text = decode_text(data, path)
    if not text.strip():
        raise UserError("empty HTML file", path)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise UserError(f"not readable HTML ({exc})", path) from None
    marked = _marked_paragraphs(root)
    sketch = sketch_from_blocks(_blocks(root), path, warn=marked is None)
    if marked is not None:
        sketch.paragraphs = marked
    return sketch
