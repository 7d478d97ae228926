"""What a PDF may cost to read: its compressed streams may not inflate past a bound.

A PDF of 1 MB can hold Flate streams that inflate to gigabytes (a deflate bomb); PDFium
inflates them in C, where no limit of ours applies, and ``sessionsketch parse`` peaked at
2 GB. :func:`refuse_pdf_bomb` runs before PDFium sees the file: it finds each stream
(``stream`` … ``endstream``), inflates those whose dictionary names ``FlateDecode`` (once per
``FlateDecode`` in the filter chain) a megabyte at a time, and counts what comes out. Past
``MAX_INFLATED_BYTES`` in all the file is refused in one line. Memory stays at a few
megabytes and time at that of inflating the bound; nothing here uses a regular expression.
A stream that does not inflate cleanly is left to PDFium to judge.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from sessionsketch.errors import UserError

#: All of a PDF's Flate streams together may inflate to this much (a sketch's PDF, fonts and
#: all, inflates to a few megabytes).
MAX_INFLATED_BYTES = 256 * 1024 * 1024
_PIECE = 1024 * 1024
#: How far before ``stream`` the stream's dictionary is looked for.
_DICTIONARY_REACH = 4096


def refuse_pdf_bomb(data: bytes, path: Path | str, limit: int = MAX_INFLATED_BYTES) -> None:
    """Raise :class:`UserError` naming ``path`` when the PDF's Flate streams inflate past ``limit`` bytes."""
    total = 0
    for raw, flates in _flate_streams(data):
        for piece in _inflate_chain(raw, flates):
            total += len(piece)
            if total > limit:
                raise UserError(
                    f"its compressed streams inflate to more than {limit // (1024 * 1024)} MB "
                    "(a deflate bomb?); refused",
                    path,
                )


def _flate_streams(data: bytes) -> Iterator[tuple[memoryview, int]]:
    """Each stream's bytes and how many ``FlateDecode`` filters its dictionary names."""
    view = memoryview(data)
    pos = 0
    while True:
        start = data.find(b"stream", pos)
        if start < 0:
            return
        pos = start + 6
        if data[max(0, start - 3) : start] == b"end":
            continue  # "endstream"
        begin = start + 6
        if data[begin : begin + 2] == b"\r\n":
            begin += 2
        elif data[begin : begin + 1] in (b"\n", b"\r"):
            begin += 1
        end = data.find(b"endstream", begin)
        if end < 0:
            end = len(data)
        reach = max(0, start - _DICTIONARY_REACH)
        head = data.rfind(b"obj", reach, start)
        dictionary = data[head if head >= 0 else reach : start]
        flates = dictionary.count(b"FlateDecode")
        if flates:
            yield view[begin:end], flates
        pos = end


def _inflate_chain(raw: memoryview, flates: int) -> Iterator[bytes]:
    pieces: Iterable[bytes] = (bytes(raw[i : i + _PIECE]) for i in range(0, len(raw), _PIECE))
    for _ in range(flates):
        pieces = _inflate(pieces)
    return iter(pieces)


def _inflate(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Inflate ``pieces`` lazily, at most a megabyte out at a time; stop quietly where the data is bad."""
    inflater = zlib.decompressobj()
    try:
        for piece in pieces:
            pending = piece
            while pending:
                out = inflater.decompress(pending, _PIECE)
                pending = inflater.unconsumed_tail
                if out:
                    yield out
                if inflater.eof:
                    return
        rest = inflater.flush()
        if rest:
            yield rest
    except zlib.error:
        return
