"""Otter.ai text exports: ``Ada Quill  0:34`` on its own line, the text below.

``Unknown Speaker`` is speech Otter could not attribute; the closing "Transcribed by
https://otter.ai" is not speech. Exports without times (a name alone on its line, the
text below) and with ``Speaker 1:`` labels are read too.
"""

from __future__ import annotations

import re
from pathlib import Path

from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import head_text, label_like
from sessionsketch.readers.plain_text import read_lines

_HEADER = re.compile(
    r"^[ \t]*+(?P<label>[^\t:\[\]\n]{1,80}?)[ \t]{2,}+\d{1,2}:\d\d(?::\d\d)?[ \t]*+$", re.MULTILINE
)


def _sniff(data: bytes, path: Path) -> float:
    text = head_text(data)
    if (
        "otter.ai" in text[-4096:].casefold()
        or "otter.ai" in data[-512:].decode("utf-8", "ignore").casefold()
    ):
        return 0.9
    lines = sum(1 for ln in text.split("\n") if ln.strip())
    headers = sum(1 for m in _HEADER.finditer(text) if label_like(m.group("label")))
    return 0.8 if headers and headers * 4 >= lines else 0.0


@transcript_reader("otter", extensions=("txt",), sniff=_sniff, description="Otter.ai text export")
def read_otter(data: bytes, path: Path) -> Transcript:
    return read_lines(data, path, name_alone=True, what="speakers ('Name  0:34' lines)")
