"""Google Meet transcripts saved as text: a heading block, then ``Name: text`` paragraphs
(or a name on its own line with the text below) and a time on a line of its own every
few minutes, which becomes the next turn's start. Meet's closing note is not speech.
"""

from __future__ import annotations

import re
from pathlib import Path

from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import head_text
from sessionsketch.readers.plain_text import labelled_share, read_lines

_TIME_LINE = re.compile(r"^[ \t]*+\d{1,2}:\d\d:\d\d[ \t]*+$", re.MULTILINE)


def _sniff(data: bytes, path: Path) -> float:
    text = head_text(data)
    top = text[:600].casefold()
    if "transcript" not in top or not _TIME_LINE.search(text):
        return 0.0
    labelled, _ = labelled_share(data)
    return 0.7 if labelled else 0.5


@transcript_reader("meet", extensions=("txt",), sniff=_sniff, description="Google Meet transcript (text)")
def read_meet(data: bytes, path: Path) -> Transcript:
    return read_lines(data, path, name_alone=True, what="speakers ('Name: text')")
