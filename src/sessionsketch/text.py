"""Sentences and words: one splitter for engines, readers and checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd


@dataclass(frozen=True)
class Span:
    """A sentence of ``source`` at ``[start, end)``."""

    text: str
    start: int
    end: int


@lru_cache(maxsize=4)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False, char_span=True)


_PARA_RE = re.compile(r"\n\s*\n")


def split_sentences(text: str, language: str = "en") -> list[Span]:
    """Split ``text`` into sentences with character spans into ``text``.

    Spans exclude surrounding white space, so ``text[s.start:s.end] == s.text``.
    Paragraph breaks always end a sentence.
    """
    out: list[Span] = []
    pos = 0
    for block in _PARA_RE.split(text):
        base = text.find(block, pos)
        pos = base + len(block)
        if not block.strip():
            continue
        for seg in _segmenter(language).segment(block):
            raw = seg.sent
            start = base + seg.start
            stripped = raw.strip()
            if not stripped:
                continue
            lead = len(raw) - len(raw.lstrip())
            s = start + lead
            out.append(Span(stripped, s, s + len(stripped)))
    return out


_WORD_RE = re.compile(r"[\w][\w'’-]*")


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))
