"""Finished sketches as Word documents (python-docx).

Headers and footers are separate parts of a DOCX, so the body holds no page furniture
except what an author typed into it (a disclaimer line, a rule): the shared core in
:mod:`sessionsketch.readers.sketch_text` handles that. Body paragraphs and table cells
are read in document order; "Heading" styles make headings; soft line breaks make lines.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import check_unpacked_size
from sessionsketch.model import Sketch
from sessionsketch.readers import sketch_reader
from sessionsketch.readers.sketch_text import Block, sketch_from_blocks, table_row_line

#: A DOCX whose parts unpack to more than this is refused, as a file this large would be.


def _sniff(data: bytes, path: Path) -> float:
    if not data.startswith(b"PK"):
        return 0.0
    return 0.9 if b"word/" in data[:65536] or path.suffix.lower() == ".docx" else 0.05


def _blocks(document) -> list[Block]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    blocks: list[Block] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs = [DocxParagraph(child, document)]
        elif tag == "tbl":
            for row in Table(child, document).rows:
                line = table_row_line([cell.text.replace("\n", " ") for cell in row.cells])
                if line:
                    blocks.append(Block([line]))
            continue
        else:
            continue
        for para in paragraphs:
            text = para.text
            if not text.strip():
                continue
            style = (para.style.name if para.style is not None else "") or ""
            kind = "heading" if style.lower().startswith(("heading", "title")) else "para"
            blocks.append(Block([line for line in text.split("\n") if line.strip()], kind))
    # headers and footers are parts of their own: furniture, read only for the disclaimer
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if part.is_linked_to_previous and part is not section.header and part is not section.footer:
                continue
            lines = [p.text for p in part.paragraphs if p.text.strip()]
            if lines:
                blocks.append(Block(lines, "furniture"))
    return blocks


@sketch_reader("docx", extensions=("docx",), sniff=_sniff, description="Word document of a finished sketch")
def read_sketch_docx(data: bytes, path: Path) -> Sketch:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UserError("not a Word document (not a valid zip/DOCX file, or truncated)", path) from None
    if "word/document.xml" not in names and "[Content_Types].xml" not in names:
        raise UserError("a zip file, but not a Word document (no word/document.xml)", path)
    # python-docx unpacks every part into memory: a zip bomb is refused first, by the sizes
    # its directory declares (zipfile stops at the declared size when it reads), as for DOCX
    # transcripts
    check_unpacked_size(infos, data, path, "Word document")
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UserError(f"not a readable Word document ({type(exc).__name__})", path) from None
    except Exception as exc:  # damaged XML inside a valid zip
        raise UserError(f"not a readable Word document ({type(exc).__name__})", path) from None
    return sketch_from_blocks(blocks, path)
