"""The PDF reader tells paragraphs apart by their spacing, wherever the lines wrap (issue 30 §12).

With other fonts than CI's, the tricky round trip's "> That quote mark …" paragraph filled
its one line, and "2) That number opens the paragraph …" was joined to it: the step between
lines was the median of every gap on the page, which the spacing of the metadata block
pulled up to a paragraph break, so only a short last line told the paragraphs apart. The
lines below are laid out as such a PDF is (positions in points), without any font.
"""

from __future__ import annotations

from sessionsketch.readers.sketch_pdf import _blocks

WIDTH, HEIGHT, LEFT, RIGHT = 595.0, 842.0, 63.0, 532.5
CHAR = (RIGHT - LEFT) / 86  # the body's average advance: a full line holds 86 characters


def line(text: str, top: float, full: bool = False, size: float = 14.7, bold: bool = False) -> dict:
    x1 = RIGHT if full else LEFT + CHAR * len(text)
    return {
        "text": text,
        "x0": LEFT,
        "x1": x1,
        "page_width": WIDTH,
        "page_height": HEIGHT,
        "top": top,
        "bottom": top + size,
        "size": size,
        "bold": bold,
        "band": False,
    }


FULL = "the harbour towns agreed to publish their tide tables every morning, Brennick said, and"


def page(last_line_full: bool) -> list[dict]:
    lines = [line(f"Field {i}: a value of the block", 100 + 24 * i) for i in range(8)]  # 24 pt apart
    top = 100 + 24 * 8 + 30
    for i in range(3):  # a paragraph of full lines, 16 pt apart
        lines.append(line(FULL, top + 16 * i, full=True))
    last = "> That quote mark, Marquand said, is not a quotation; = and + open no line either."
    lines.append(line(last, top + 48, full=last_line_full))
    lines.append(line("2) That number opens the paragraph, he said, and 3. does not start a list.", top + 72))
    return lines


def test_a_paragraph_break_is_read_whether_or_not_the_line_before_is_full() -> None:
    for full in (False, True):
        blocks = [b for b in _blocks([page(full)], set()) if b.lines[0].startswith(("the harbour", "2)"))]
        assert [b.lines[0][:2] for b in blocks] == ["th", "2)"], f"last line full: {full}"
        assert len(blocks[0].lines) == 4


def test_lines_of_one_paragraph_stay_together() -> None:
    lines = [line(FULL, 100 + 16 * i, full=True) for i in range(5)] + [line("2) the end.", 180)]
    (block,) = _blocks([lines], set())
    assert len(block.lines) == 6
