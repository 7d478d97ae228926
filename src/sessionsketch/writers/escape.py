"""Escaping for text put into Markdown (HTML is escaped by Jinja2's autoescape)."""

from __future__ import annotations

import re
from urllib.parse import quote

# Characters that start inline markup anywhere in a line, and a '<' that would open an
# HTML tag, comment or autolink ('a < b' stays as it is).
_INLINE = re.compile(r"([\\`*_\[\]|~]|<(?=[A-Za-z/!?]))")
# An ampersand that would start an entity (&lt; &#60;).
_ENTITY = re.compile(r"&(?=#?\w+;)")
# Markup that only counts at the start of a line: headings, quotes, lists, rules.
_LINE_START = re.compile(r"^(\s*)([#>+=-])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")


def md_escape(value: object) -> str:
    """``value`` as literal Markdown text: it renders as itself, never as markup or HTML.

    Inline markup characters and a ``<`` that would open a tag get a backslash (CommonMark
    renders ``\\<`` as a literal ``<``), an ``&`` that would start an entity gets one too,
    and so does a character that would start a heading, quote or list at the beginning
    of a line.
    Newlines become spaces: one value is one line of the document.
    """
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_url(url: object) -> str:
    """A link target safe inside Markdown's ``(...)``: spaces, brackets and quotes encoded."""
    if url is None:
        return ""
    return quote(str(url).strip(), safe=":/?#@!$&'*+,;=%~.-_")
