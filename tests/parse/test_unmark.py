"""Markdown inline markup taken off a line: escapes and character references are literal text."""

from __future__ import annotations

import pytest

from sessionsketch.readers.sketch_text import unmark


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("**Session:** Harbours *at* risk", "Session: Harbours at risk"),
        (r"a \*starred\* word and \_under\_ scores", "a *starred* word and _under_ scores"),
        (
            r"[the plan \[v2\]](https://plans.example/quay) and <https://plans.example>",
            "the plan [v2] and https://plans.example",
        ),
        ("&amp; &#60;b&#62; &#x2A;not emphasis&#x2A;", "& <b> *not emphasis*"),
        ("quay_north_v2 stays as typed", "quay_north_v2 stays as typed"),
        ("- a bullet", "a bullet"),
        ("> a quotation", "a quotation"),
        (r"\- not a bullet, \> not a quote", "- not a bullet, > not a quote"),
        ("\x00 a NUL stays", "\x00 a NUL stays"),
        ("\U000f0000 private use stays \\*", "\U000f0000 private use stays *"),
    ],
)
def test_unmark(line, text) -> None:
    assert unmark(line) == text
