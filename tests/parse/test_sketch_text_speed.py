"""``unmark`` works on whole strings (a line and its mask, cut a slice at a time) instead of one
character at a time; it must read every line exactly as the per-character version did.

The per-character version is kept here as the reference: each character a token marked literal
or not, every pattern matched on the masked characters and the tokens rebuilt around each match.
"""

from __future__ import annotations

import html
import random
import re

import pytest

from sessionsketch.readers import sketch_text
from sessionsketch.readers.sketch_text import unmark

Token = tuple[str, bool]


def _reference_tokens(line: str) -> list[Token]:
    out: list[Token] = []
    at = 0
    for m in sketch_text._LITERAL_RE.finditer(line):
        out += [(c, False) for c in line[at : m.start()]]
        literal = m.group(1) if m.group(1) is not None else html.unescape(m.group(0))
        out += [(c, True) for c in literal]
        at = m.end()
    return out + [(c, False) for c in line[at:]]


def _reference_without(tokens: list[Token], pattern: re.Pattern[str], keep: int | None = None) -> list[Token]:
    masked = "".join(sketch_text._MASK if literal else c for c, literal in tokens)
    out: list[Token] = []
    at = 0
    for m in pattern.finditer(masked):
        out += tokens[at : m.start()]
        if keep is not None:
            out += tokens[m.start(keep) : m.end(keep)]
        at = m.end()
    return out + tokens[at:]


def reference_unmark(line: str) -> str:
    tokens = _reference_tokens(line)
    tokens = _reference_without(tokens, sketch_text._LINK_RE, keep=1)
    tokens = _reference_without(tokens, sketch_text._AUTOLINK_RE, keep=1)
    for pattern in (
        sketch_text._BULLET,
        sketch_text._QUOTE,
        sketch_text._STRONG,
        sketch_text._EMPHASIS,
        sketch_text._STAR_BULLET,
    ):
        tokens = _reference_without(tokens, pattern)
    return "".join(c for c, _ in tokens).strip()


#: Pieces of Markdown and of what only looks like it: escapes, references (known, unknown, of
#: NUL, of two characters), links, autolinks, bullets, quotes, emphasis, NUL, non-ASCII.
PIECES = [
    *"*_[]()<>\\&#;:/ -+.1aA\t\x00xX0é“\u00a0",
    "&amp;",
    "&#60;",
    "&#x3C;",
    "&#x2A;",
    "&#0;",
    "&foo;",
    "&NotEqualTilde;",
    "\\*",
    "\\_",
    "\\[",
    "\\\\",
    "\\<",
    "**",
    "__",
    "](",
    "https://a.example",
    "[a](https://a.example)",
    "<https://a.example>",
    "- ",
    "> ",
    "2) ",
    "* ",
]


def _lines(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 24))) for _ in range(count)]


@pytest.mark.parametrize("seed", range(4))
def test_unmark_reads_random_lines_as_the_per_character_version(seed: int) -> None:
    for line in _lines(5_000, seed):
        assert unmark(line) == reference_unmark(line), repr(line)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   ",
        "plain words, no markup at all",
        "**Speakers:** Ada Quill, *Harbour Institute*",
        r"\*\*not strong\*\* but **strong** and \_\_",
        "&amp;&amp; **a** &#42;b&#42; _c_",
        "- [Ada Quill](https://a.example) &lt;chair&gt;",
        "> *quoted* \\> and <https://a.example> \\<https://b.example>",
        "*\\* The views expressed are the rapporteur's own.*",
        "Sentence 0 " + "and the towns will publish their figures monthly " * 50,
        "**a " * 2_000,
        "\\*&amp;_a " * 1_000,
    ],
)
def test_unmark_reads_markdown_as_the_per_character_version(line: str) -> None:
    assert unmark(line) == reference_unmark(line)
