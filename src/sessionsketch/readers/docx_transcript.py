"""Transcripts saved as Word documents: Microsoft Teams, Otter.ai, Google Meet.

Teams and Otter write the speaker's name and the time on one paragraph and the text on
the next (``Ada Quill   0:03``); Google Meet writes a heading block, then ``Name: text``
paragraphs or a name paragraph followed by the text, with a time paragraph every few
minutes. The paragraphs are read in order from ``word/document.xml`` (tabs and line
breaks kept) and go through the same line reader as the text exports. The zip is
checked for its unpacked size and ratio before anything is decompressed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import read_zip_part
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import cues_from_lines, merge_cues

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _sniff(data: bytes, path: Path) -> float:
    if not data.startswith(b"PK"):
        return 0.0
    return 0.9 if b"word/" in data[:65536] or path.suffix.lower() == ".docx" else 0.05


def paragraphs(xml: bytes, path: Path) -> list[str]:
    """The text of each body paragraph of ``document.xml``, in order (tabs and breaks kept)."""
    if _DECLARATION.search(xml[:4096]):
        raise UserError("a Word document with a DOCTYPE or entity declarations is refused", path)
    out: list[str] = []
    parts: list[str] = []
    try:
        for event, el in ET.iterparse(_Reader(xml), events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == f"{_W}p":
                    parts = []
                continue
            if tag == f"{_W}t":
                parts.append(el.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag == f"{_W}p":
                out.extend("".join(parts).split("\n"))
                out.append("")  # a paragraph ends: a blank line between paragraphs
                el.clear()
    except ET.ParseError as exc:
        raise UserError(
            f"not a readable Word document (damaged XML: {str(exc).split(':')[0]})", path
        ) from None
    except RecursionError:
        raise UserError("not a readable Word document (nested too deeply)", path) from None
    return out


class _Reader:
    """A file-like view of bytes for ``iterparse`` (which reads in chunks)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n is None or n < 0 else self.pos + n
        chunk = self.data[self.pos : end]
        self.pos += len(chunk)
        return chunk


@transcript_reader(
    "docx", extensions=("docx",), sniff=_sniff, description="Teams, Otter or Meet Word transcript"
)
def read_docx_transcript(data: bytes, path: Path) -> Transcript:
    xml = read_zip_part(data, path, "word/document.xml", "Word document")
    if xml is None:
        raise UserError("a zip file, but not a Word document (no word/document.xml)", path)
    lines = paragraphs(xml, path)
    cues = cues_from_lines(lines, path, name_alone=True)
    if not cues:
        raise UserError(
            "no speakers found in the Word document (expected 'Name  0:03' or 'Name: text')", path
        )
    return merge_cues(cues, path)
