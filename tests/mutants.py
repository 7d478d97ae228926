"""Damaged copies of a file for the seeded fuzz tests of every reader (transcripts and sketches)."""

from __future__ import annotations

import random
from collections.abc import Iterator

Mutant = tuple[str, bytes]


def byte_mutants(
    data: bytes,
    rng: random.Random,
    count: int = 16,
    *,
    flips: int = 8,
    inserted: int = 32,
    cut: int = 64,
    repeated: int = 256,
) -> Iterator[Mutant]:
    """Truncated, bytes flipped, a slice cut out, bytes inserted, a slice repeated.

    The keyword arguments bound each damage: how many bytes are flipped or inserted, how
    long a slice is cut out or repeated (a PDF or DOCX needs larger cuts than a caption file).
    """
    yield "empty", b""
    for i in range(count):
        d = bytearray(data)
        at = rng.randrange(len(d))
        kind = ("truncate", "flip", "cut", "insert", "repeat")[i % 5]
        if kind == "truncate":
            d = d[:at]
        elif kind == "flip":
            for _ in range(rng.randint(1, flips)):
                d[rng.randrange(len(d))] = rng.randrange(256)
        elif kind == "cut":
            del d[at : at + rng.randint(1, cut)]
        elif kind == "insert":
            d[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, inserted)))
        else:
            d[at:at] = d[at : at + rng.randint(1, repeated)]
        yield f"{kind} at {at}", bytes(d)
