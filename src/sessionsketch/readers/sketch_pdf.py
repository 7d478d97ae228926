"""Finished sketches as PDF (PDFium through pypdfium2, the engine pdfplumber ships with).

Lines are read with their position on the page. A line that comes back at the same place
on several pages (the running "Session Sketch" heading, the conference line, the
disclaimer footer, page numbers) is page furniture: it is dropped, except where it first
appears above the body on page one (the title area the metadata is read from). Paragraphs
come from line spacing, first-line indentation and font size; paragraphs and sentences
cut by a page break, and words hyphenated at a line end, are joined again by the shared
core in :mod:`sessionsketch.readers.sketch_text`.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import re
from pathlib import Path
from statistics import median
from typing import Any

from sessionsketch.errors import UserError
from sessionsketch.model import Sketch
from sessionsketch.pdf_limits import refuse_pdf_bomb
from sessionsketch.readers import sketch_reader
from sessionsketch.readers.sketch_text import Block, sketch_from_blocks

log = logging.getLogger("sessionsketch")

#: Lines within this many points of each other's top on different pages are "the same place".
SAME_PLACE_PT = 4.0
#: Running headers and footers sit in the top or bottom fifth of a page.
BAND = 0.2


def _sniff(data: bytes, path: Path) -> float:
    return 0.95 if data[:1024].lstrip().startswith(b"%PDF") else 0.0


def _open(data: bytes, path: Path) -> Any:
    import pypdfium2 as pdfium

    refuse_pdf_bomb(data, path)  # before PDFium inflates anything (issue 30 item 4)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UserError("the PDF is encrypted (password protected); decrypt it first", path) from None
        raise UserError("not a readable PDF: damaged or truncated", path) from None


_BOLD_FONT = re.compile(rb"bold|black|heavy|semibold|demi", re.I)


def _is_bold(pdfium_c: Any, textpage: Any, index: int, buffer: Any) -> bool:
    """Bold by weight, or by the font's name ("Liberation-Serif-Bold") when the weight is not set."""
    if pdfium_c.FPDFText_GetFontWeight(textpage.raw, index) >= 600:
        return True
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buffer, len(buffer), ctypes.byref(flags))
    return bool(_BOLD_FONT.search(buffer.value))


def _page_lines(page: Any) -> list[dict[str, Any]]:
    """The page's text lines, top to bottom, with position, font size and weight."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    width = page.get_width()
    textpage = page.get_textpage()
    font_name = ctypes.create_string_buffer(128)
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        # PDFium reports a hyphen at a line break as U+FFFE and runs the two lines together:
        # it is the hyphen of the word ("Ste-Marie"); one character for one, so indices hold
        text = text.replace("\ufffe", "-")
        lines = []
        index = 0
        for raw_line in re.split(r"(\r\n|\n|\r)", text):
            if raw_line in ("\r\n", "\n", "\r"):
                index += len(raw_line)
                continue
            first, index = index, index + len(raw_line)
            if not raw_line.strip():
                continue
            # one line of PDFium's text may hold several lines of the page: after a hyphen at
            # a line's end (U+FFFE) it runs on into the next text drawn, which at a page's foot
            # is the running header at its top. The line is cut where the characters jump to
            # another line of the page, so the words stay where they are printed.
            start, extent = first, None  # the segment's (bottom, top) so far
            boxes: dict[int, tuple[float, ...]] = {}  # each character's box, asked of PDFium once
            for i in range(first, min(index, count)):
                if raw_line[i - first].isspace():
                    continue
                box = boxes[i] = textpage.get_charbox(i)
                if box[2] <= box[0]:
                    continue
                if extent is not None and (box[3] < extent[0] or box[1] > extent[1]):
                    # wholly below or above the segment so far: another line of the page
                    lines += _line_of(
                        textpage, pdfium_c, font_name, raw_line, first, start, i, width, height, boxes
                    )
                    start, extent = i, None
                extent = (
                    (box[1], box[3]) if extent is None else (min(extent[0], box[1]), max(extent[1], box[3]))
                )
            lines += _line_of(
                textpage, pdfium_c, font_name, raw_line, first, start, min(index, count), width, height, boxes
            )
    finally:
        textpage.close()
    lines.sort(key=lambda ln: (round(ln["top"]), ln["x0"]))
    return lines


def _line_of(
    textpage: Any,
    pdfium_c: Any,
    font_name: Any,
    raw_line: str,
    first: int,
    start: int,
    stop: int,
    width: float,
    height: float,
    char_boxes: dict[int, tuple[float, ...]],
) -> list[dict[str, Any]]:
    """Characters ``start`` to ``stop`` of the page (``raw_line`` begins at ``first``) as a
    line with its position, font size and weight; none when they are only white space."""
    line = raw_line[start - first : stop - first].strip()
    if not line:
        return []
    boxes, sizes, bold, sampled = [], [], 0, 0
    for i in range(start, stop):
        if raw_line[i - first].isspace():
            continue
        box = char_boxes[i]
        if box[2] > box[0]:
            boxes.append(box)
        sizes.append(pdfium_c.FPDFText_GetFontSize(textpage.raw, i))
        if len(sizes) % 6 == 1:  # sampled: the weight rarely changes within a word
            sampled += 1
            bold += _is_bold(pdfium_c, textpage, i, font_name)
    if not boxes:
        return []
    top = height - max(b[3] for b in boxes)
    bottom = height - min(b[1] for b in boxes)
    return [
        {
            "text": line,
            "x0": min(b[0] for b in boxes),
            "x1": max(b[2] for b in boxes),
            "page_width": width,
            "page_height": height,
            "top": top,
            "bottom": bottom,
            "size": round(median(sizes), 1),
            "bold": bold > sampled / 2,
            "band": top < height * BAND or bottom > height * (1 - BAND),
        }
    ]


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _body_size(pages: list[list[dict[str, Any]]]) -> float:
    """The font size most of the text is set in."""
    sizes = [ln["size"] for lines in pages for ln in lines if ln["size"]]
    return median(sizes) if sizes else 0.0


def _footers(pages: list[list[dict[str, Any]]]) -> set[tuple[int, int]]:
    """(page, line) indexes of the lines at the foot of a page, in the bottom band and in a
    smaller type than the body: a footer even where there is no other page to repeat it."""
    body_size = _body_size(pages)
    out: set[tuple[int, int]] = set()
    for pi, lines in enumerate(pages):
        for li in range(len(lines) - 1, -1, -1):
            ln = lines[li]
            if ln["top"] < ln["page_height"] * (1 - BAND) or ln["size"] >= body_size - 1:
                break
            out.add((pi, li))
    return out


def _furniture(pages: list[list[dict[str, Any]]]) -> set[tuple[int, int]]:
    """(page, line) indexes of lines repeated at the same place on other pages, and footers."""
    if len(pages) < 2:
        return _footers(pages)
    seen: dict[str, list[tuple[int, int, float]]] = {}
    for pi, lines in enumerate(pages):
        for li, ln in enumerate(lines):
            if ln["band"]:
                seen.setdefault(_norm(ln["text"]), []).append((pi, li, ln["top"]))
    out = _footers(pages)
    for places in seen.values():
        pages_with = {p for p, _, _ in places}
        if len(pages_with) < 2:
            continue
        for p, li, top in places:
            if any(q != p and abs(top - t) <= SAME_PLACE_PT for q, _, t in places):
                out.add((p, li))
    return out


def _full_line(line: dict[str, Any], next_word: str, right_edge: float) -> bool:
    """Whether ``next_word`` could not have fitted on ``line``: the text was wrapped, not ended."""
    char_width = (line["x1"] - line["x0"]) / max(len(line["text"]), 1)
    return line["x1"] + char_width * (len(next_word) + 1) > right_edge


def _clearly_short(line: dict[str, Any], next_word: str, right_edge: float) -> bool:
    """Whether ``next_word`` would have fitted on ``line`` with room to spare (so the line ended there)."""
    char_width = (line["x1"] - line["x0"]) / max(len(line["text"]), 1)
    return line["x1"] + 1.6 * char_width * (len(next_word) + 1) < right_edge


def _blocks(pages: list[list[dict[str, Any]]], furniture: set[tuple[int, int]]) -> list[Block]:
    body_size = _body_size(pages)
    lefts = [ln["x0"] for lines in pages for ln in lines]
    margin = min(lefts) if lefts else 0.0
    rights = [
        ln["x1"] for pi, lines in enumerate(pages) for li, ln in enumerate(lines) if (pi, li) not in furniture
    ]
    # the text's right edge: the longest line, or the left margin mirrored when no line is that long
    widths = [ln["page_width"] for lines in pages for ln in lines]
    right_edge = max([*rights, (max(widths) - margin) if widths else 0.0])
    pairs = [
        (a, b)
        for lines in pages
        for a, b in itertools.pairwise(lines)
        if 0 < b["top"] - a["top"] < 3 * max(body_size, 1)
    ]
    # the step from one line to the next inside a paragraph: measured where a full line goes
    # on in the same type (a wrap, surely inside one paragraph), not over every gap, which
    # the spacing of headings, blocks and paragraphs pulls up. With the median of every gap a
    # paragraph break could pass for a line step, and then only where the lines happened to
    # wrap told two paragraphs apart (issue 30 §12: other fonts, other wraps).
    inside = [
        b["top"] - a["top"]
        for a, b in pairs
        if (a["size"], a["bold"]) == (b["size"], b["bold"])
        and _full_line(a, b["text"].split()[0], right_edge)
    ]
    gaps = inside or [b["top"] - a["top"] for a, b in pairs]
    line_step = median(gaps) if gaps else body_size * 1.2
    last_body: dict[str, Any] | None = None  # the last body line before a page break
    blocks: list[Block] = []
    for pi, lines in enumerate(pages):
        # furniture on page one stays only above the first body line (the title area)
        keep_top = pi == 0
        prev: dict[str, Any] | None = None
        for li, ln in enumerate(lines):
            if (pi, li) in furniture and not keep_top:
                # kept aside as furniture: the disclaimer is found there once
                if blocks and blocks[-1].kind == "furniture" and blocks[-1].page == pi + 1:
                    blocks[-1].lines.append(ln["text"])
                else:
                    blocks.append(Block([ln["text"]], "furniture", pi + 1))
                continue
            if (pi, li) not in furniture:
                keep_top = False
            heading = ln["size"] > body_size + 1.5
            new = (
                prev is None
                or heading
                or blocks[-1].kind in ("heading", "furniture")
                or ln["top"] - prev["top"] > line_step * 1.45
                or ln["top"] < prev["top"]
                or (ln["x0"] > margin + 8 and prev["x0"] <= margin + 8)
                or ln["size"] != prev["size"]
                or ln["bold"] != prev["bold"]
                # a short line ending a sentence: the paragraph ended there, however tight the spacing
                or (
                    re.search(r"[.!?…][\"'”’)]*$", prev["text"]) is not None
                    and _clearly_short(prev, ln["text"].split()[0], right_edge)
                )
            )
            if new:
                blocks.append(Block([ln["text"]], "heading" if heading else "para", pi + 1))
                if prev is None and last_body is not None and not heading:
                    # a full last line before the break and no indent after it: the paragraph goes on
                    blocks[-1].extra["continues"] = (
                        _full_line(last_body, ln["text"].split()[0], right_edge)
                        and ln["x0"] <= margin + 8
                        and (ln["size"], ln["bold"]) == (last_body["size"], last_body["bold"])
                    )
            else:
                if prev is not None and _full_line(prev, ln["text"].split()[0], right_edge):
                    # the line goes on from a full one: one person's affiliation wrapped, not the next person
                    blocks[-1].extra.setdefault("wrapped", set()).add(len(blocks[-1].lines))
                blocks[-1].lines.append(ln["text"])
            prev = ln
        if prev is not None:
            last_body = prev
    return blocks


@sketch_reader("pdf", extensions=("pdf",), sniff=_sniff, description="PDF of a finished sketch")
def read_sketch_pdf(data: bytes, path: Path) -> Sketch:
    pdf = _open(data, path)
    try:
        pages = []
        has_images = False
        for page in pdf:
            try:
                pages.append(_page_lines(page))
                has_images = has_images or any(
                    obj.type == 3
                    for obj in page.get_objects(max_depth=1)  # FPDF_PAGEOBJ_IMAGE
                )
            finally:
                page.close()
    except UserError:
        raise
    except Exception as exc:
        raise UserError(f"not a readable PDF (damaged or truncated: {type(exc).__name__})", path) from None
    finally:
        pdf.close()
    if not any(pages):
        if has_images:
            raise UserError("the PDF has no text layer (a scan?); it needs OCR first", path)
        raise UserError("the PDF has no text", path)
    return sketch_from_blocks(_blocks(pages, _furniture(pages)), path)
