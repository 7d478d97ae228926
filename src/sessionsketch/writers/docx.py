"""Word documents (python-docx), laid out by the style's HTML template.

The style's ``sketch.html.j2`` decides what goes where; this writer walks the rendered
HTML and turns each block into a Word paragraph in a named style ("Sketch Title",
"Sketch Body", ...) that an editor can restyle in Word. The running header (label and
conference) becomes the Word header; the disclaimer and a PAGE/NUMPAGES field become
the Word footer. ``style.yaml`` may set fonts, sizes, colours and ``word_styles``
(class → Word style name).
"""

from __future__ import annotations

import io
import re
from typing import Any

from sessionsketch.errors import UserError
from sessionsketch.model import Sketch, Transcript
from sessionsketch.writers import sketch_writer
from sessionsketch.writers.html import render_html
from sessionsketch.writers.styles import Style

#: HTML class (or tag) → Word paragraph style
WORD_STYLES: dict[str, str] = {
    "label": "Sketch Title",
    "conference": "Sketch Conference",
    "field": "Sketch Field",
    "person": "Sketch Person",
    "body-heading": "Sketch Heading",
    "section-heading": "Sketch Heading",
    "subheading": "Sketch Subheading",
    "paragraph": "Sketch Body",
    "key-issue": "Sketch Key Issue",
    "note": "Sketch Note",
    "disclaimer": "Sketch Disclaimer",
    "h1": "Sketch Title",
    "h2": "Sketch Heading",
    "h3": "Sketch Subheading",
    "p": "Sketch Body",
    "li": "Sketch Key Issue",
}
LABEL_CHAR_STYLE = "Sketch Label"
HEADER_STYLE = "Sketch Header"
FOOTER_STYLE = "Sketch Footer"
SKIP_CLASSES = {"running-header", "running-footer", "disclaimer", "evidence-panel", "logo"}
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Text Word can store (XML 1.0 forbids most control characters)."""
    return _XML_BAD.sub("", text)


def _rgb(value: Any, default: str) -> Any:
    from docx.shared import RGBColor

    text = str(value or default).lstrip("#")
    try:
        return RGBColor.from_string(text.upper())
    except ValueError:
        return RGBColor.from_string(default)


def _set_fonts(font: Any, latin: str, east_asian: str | None) -> None:
    from docx.oxml.ns import qn

    font.name = latin
    if east_asian:
        rpr = font.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        rfonts.set(qn("w:eastAsia"), east_asian)


def _define_styles(doc: Any, style: Style) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    body_font = style.setting("fonts", "body", default="Liberation Serif")
    heading_font = style.setting("fonts", "heading", default="Liberation Sans")
    east_asian = style.setting("fonts", "east_asian", default="Noto Serif CJK SC")
    body_size = float(style.setting("sizes", "body", default=11))
    label_size = float(style.setting("sizes", "label", default=20))
    small = float(style.setting("sizes", "small", default=8.5))
    accent = _rgb(style.setting("colours", "accent"), "1F3864")
    muted = _rgb(style.setting("colours", "muted"), "595959")

    normal = doc.styles["Normal"]
    _set_fonts(normal.font, body_font, east_asian)
    normal.font.size = Pt(body_size)

    def para(name: str, size: float, bold: bool = False, italic: bool = False, colour: Any = None,
             font: str | None = None, before: float = 0, after: float = 4, align: Any = None,
             keep_next: bool = False) -> Any:  # fmt: skip
        s = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        s.quick_style = True
        _set_fonts(s.font, font or body_font, east_asian)
        s.font.size = Pt(size)
        s.font.bold = bold
        s.font.italic = italic
        if colour is not None:
            s.font.color.rgb = colour
        pf = s.paragraph_format
        pf.space_before = Pt(before)
        pf.space_after = Pt(after)
        pf.widow_control = True
        pf.keep_with_next = keep_next
        if align is not None:
            pf.alignment = align
        return s

    para("Sketch Title", label_size, bold=True, colour=accent, font=heading_font, after=6)
    para("Sketch Conference", body_size, bold=True, after=10)
    para("Sketch Field", body_size, before=6, after=1, keep_next=True)
    para("Sketch Person", body_size, after=1)
    para("Sketch Heading", body_size + 1, bold=True, colour=accent, before=14, after=6, keep_next=True)
    para("Sketch Subheading", body_size, bold=True, before=8, after=3, keep_next=True)
    para("Sketch Body", body_size, after=8, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para("Sketch Key Issue", body_size, after=3, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para("Sketch Note", body_size, italic=True, colour=muted, after=8)
    para("Sketch Disclaimer", small, italic=True, colour=muted, after=0)
    para(HEADER_STYLE, small, colour=muted, font=heading_font, after=0)
    para(FOOTER_STYLE, small, colour=muted, font=heading_font, after=0, align=WD_ALIGN_PARAGRAPH.RIGHT)
    label = doc.styles.add_style(LABEL_CHAR_STYLE, WD_STYLE_TYPE.CHARACTER)
    label.font.bold = True
    label.font.color.rgb = accent


def _add_field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, separate, shown, end):
        run._r.append(el)


def _classes(el: Any) -> list[str]:
    return (el.get("class") or "").split()


def _word_style(el: Any, mapping: dict[str, str]) -> str:
    for cls in _classes(el):
        if cls in mapping:
            return mapping[cls]
    return mapping.get(el.tag, "Sketch Body")


def _add_inline(paragraph: Any, el: Any) -> None:
    """The element's text as runs: <strong>/<b> as "Sketch Label", <em>/<i> italic, <br> a break."""
    from docx.enum.text import WD_BREAK

    if el.text:
        paragraph.add_run(_clean(el.text))
    for child in el:
        if not isinstance(child.tag, str):  # comments
            pass
        elif child.tag == "br":
            paragraph.add_run().add_break(WD_BREAK.LINE)
        elif child.tag in ("strong", "b"):
            paragraph.add_run(_clean(child.text_content()), style=LABEL_CHAR_STYLE)
        elif child.tag in ("em", "i"):
            paragraph.add_run(_clean(child.text_content())).italic = True
        else:
            _add_inline(paragraph, child)
        if child.tail:
            paragraph.add_run(_clean(child.tail))


_BLOCKS = {"h1", "h2", "h3", "h4", "p", "li"}


def _blocks(el: Any) -> list[Any]:
    """Block elements in reading order, skipping page furniture and scripts."""
    out: list[Any] = []
    for child in el:
        if not isinstance(child.tag, str) or child.tag in ("script", "style", "aside", "img"):
            continue
        if SKIP_CLASSES & set(_classes(child)):
            continue
        if child.tag in _BLOCKS:
            out.append(child)
        else:
            out.extend(_blocks(child))
    return out


@sketch_writer("docx", ("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
def write_docx(sketch: Sketch, style: Style, transcript: Transcript | None = None) -> bytes:
    import docx
    import lxml.html
    from docx.shared import Mm

    html = render_html(sketch, style, None, paged=False)
    root = lxml.html.document_fromstring(html)
    mapping = {**WORD_STYLES, **(style.setting("word_styles", default={}) or {})}

    doc = docx.Document()
    _define_styles(doc, style)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)
    section.left_margin = section.right_margin = Mm(22)

    header = section.header.paragraphs[0]
    header.style = doc.styles[HEADER_STYLE]
    for el in root.find_class("running-header")[:1]:
        parts = [_clean(" ".join(span.text_content().split())) for span in el]
        if parts:
            header.add_run(parts[0], style=LABEL_CHAR_STYLE)
        for part in parts[1:]:
            header.add_run("    " + part)

    footer = section.footer
    notes = root.find_class("running-footer")
    first = footer.paragraphs[0]
    if notes:
        first.style = doc.styles["Sketch Disclaimer"]
        first.add_run(_clean(" ".join(notes[0].text_content().split())))
        pages = footer.add_paragraph(style=doc.styles[FOOTER_STYLE])
    else:
        first.style = doc.styles[FOOTER_STYLE]
        pages = first
    pages.add_run("Page ")
    _add_field(pages, "PAGE")
    pages.add_run(" of ")
    _add_field(pages, "NUMPAGES")

    if style.logo_path is not None:
        if not style.logo_path.is_file():
            raise UserError("logo file not found", style.logo_path)
        doc.add_picture(str(style.logo_path), height=Mm(14))

    body = root.find("body")
    for el in _blocks(body if body is not None else root):
        paragraph = doc.add_paragraph(style=doc.styles[_word_style(el, mapping)])
        _add_inline(paragraph, el)

    doc.core_properties.title = _clean(sketch.metadata.session or "")
    doc.core_properties.subject = _clean(sketch.metadata.conference or "")
    if sketch.metadata.rapporteur:
        doc.core_properties.author = _clean(sketch.metadata.rapporteur.name)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
