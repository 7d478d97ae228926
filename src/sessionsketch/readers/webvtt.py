"""WebVTT captions: Teams ``<v Name>`` voice tags, Zoom ``Name: text`` cues, YouTube captions.

A cue's first line that begins with a label starts that speaker's turn, whatever the
label's case or shape (``yuki wang:``, ``Speaker 1:``, ``SPEAKER_00:``, ``iPhone:``);
``>>`` marks a change of speaker as live captioners write it. YouTube's captions repeat
each line in the next cue (and tag every word with its time): in a file with those tags,
a line with word times is new speech, and a line without them that repeats one of the
last few lines (or grows the last one) is read once.

yt-dlp and other downloaders sometimes save YouTube's captions without the ``WEBVTT``
line: cues with ``.`` fractions and WebVTT's own marks (cue settings such as
``align:start``, ``<c>`` and ``<00:00:01.200>`` tags, ``<v Name>``) read as WebVTT all the
same, and ``--from vtt`` reads a file without the header.

A cue that names nobody in a file whose other cues name their speakers (Zoom labels only
the first cue of a run) continues the speaker before it only when it follows that cue
without a pause (at most :data:`CONTINUATION_GAP` seconds); after a longer pause it could
be anyone's reply, so it is read as an unidentified speaker, with one warning giving how
many cues and the first line.
"""

from __future__ import annotations

import html
import logging
import re
from collections import deque
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import (
    SPEAKER_CHANGE,
    UNIDENTIFIED,
    Cue,
    cue_line,
    head_text,
    merge_cues,
    normal_label,
    read_label,
    timed_blocks,
    warn_if_unlabelled,
)

log = logging.getLogger("sessionsketch")

#: a cue with no label continues the speaker before it only when it starts this close (seconds)
#: to the end of the cue before; after a longer pause it could be someone else's reply
CONTINUATION_GAP = 1.0

# bounded, and stopping at the next "<", so a run of "<v <v <v" is read in linear time
_VOICE = re.compile(r"<v(?:\.[\w.\-]{0,80})?[ \t]+(?P<name>[^<>\n]{1,200})>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>\n]{0,400}>")
_ROLLING = re.compile(r"<c[.>]|<\d{1,2}:\d\d[:.]")
_WORD_TIME = re.compile(r"<\d{1,2}:\d\d[:.]")
# a WebVTT timing line (fractions after "."), and the marks only WebVTT has: cue settings
# after the times, <c> and <00:00:01.200> tags, <v Name> voices
_VTT_TIMING = re.compile(
    r"^[ \t]*(?:\d{1,3}:)?\d\d:\d\d\.\d{3}[ \t]+-->[ \t]+(?:\d{1,3}:)?\d\d:\d\d\.\d{3}", re.M
)
_VTT_MARK = re.compile(
    r"-->[ \t]+\S{1,40}[ \t]+(?:align|position|line|size|region|vertical):|<c[.>]|<\d{1,2}:\d\d[:.]|<v[ .]"
)
#: how many of the lines read last a rolling caption line is compared with
_ROLLING_WINDOW = 3


def headerless_vtt(head: str) -> bool:
    """Whether ``head`` is WebVTT saved without its ``WEBVTT`` line: WebVTT timings and marks."""
    return bool(_VTT_TIMING.search(head) and _VTT_MARK.search(head))


def _sniff(data: bytes, path: Path) -> float:
    head = head_text(data)
    if head.lstrip("\ufeff \n").startswith("WEBVTT"):
        return 1.0
    # no header (yt-dlp and others save YouTube captions so): WebVTT's own marks decide
    return 0.95 if headerless_vtt(head) else 0.0


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub("", text)).strip()


@transcript_reader(
    "vtt", extensions=("vtt",), sniff=_sniff, description="WebVTT: Teams <v Name>, Zoom Name: text, YouTube"
)
def read_webvtt(data: bytes, path: Path) -> Transcript:
    text = decode_text(data, path)
    rolling = bool(_ROLLING.search(text))
    cues: list[Cue] = []
    label = UNIDENTIFIED
    recent: deque[str] = deque(maxlen=_ROLLING_WINDOW)  # the rolling caption lines read last
    blocks = timed_blocks(text, path, ".")
    labelled = any(_names_speaker(b.lines) for b in blocks)
    unsure: list[int] = []  # lines of label-less cues after a pause, read as unidentified
    previous_end: float | None = None
    for block in blocks:
        paused = previous_end is None or block.start - previous_end > CONTINUATION_GAP
        if labelled and paused and label != UNIDENTIFIED and not _names_speaker(block.lines):
            label = UNIDENTIFIED
            unsure.append(block.line + 1)
        previous_end = block.end
        body = "\n".join(block.lines)
        voices = list(_VOICE.finditer(body))
        if voices:
            lead = _plain(body[: voices[0].start()])
            if lead:
                cues.append(Cue(label, lead, block.start, block.end))
            for i, v in enumerate(voices):
                stop = voices[i + 1].start() if i + 1 < len(voices) else len(body)
                label = normal_label(v.group("name"))
                cues.append(Cue(label, _plain(body[v.end() : stop]), block.start, block.end))
            continue
        for offset, line in enumerate(block.lines):
            plain = _plain(line)
            if not plain:
                continue
            if rolling:
                plain = _rolling_new_text(line, plain, recent)
                if not plain:
                    continue  # YouTube repeats the line before at the top of each cue
            label = cue_line(
                plain, label, offset == 0, block.start, block.end, path, block.line + 1 + offset, cues
            )
    if not cues:
        raise UserError("no speech found in the transcript (no WebVTT cue holds any text)", path)
    if unsure:
        log.warning(
            "%s: %d cue(s) name no speaker and follow a pause of more than %g s (first at line %d); "
            "read as '%s', not given to the speaker before",
            path,
            len(unsure),
            CONTINUATION_GAP,
            unsure[0],
            UNIDENTIFIED,
        )
    warn_if_unlabelled(cues, path)
    return merge_cues(cues, path)


def _names_speaker(lines: list[str]) -> bool:
    """Whether a cue's first line gives its speaker: a voice tag, a ``>>`` or a sure label."""
    first = next((ln for ln in lines if ln.strip()), "")
    if _VOICE.search(first):
        return True
    plain = _plain(first)
    if SPEAKER_CHANGE.match(plain):
        return True
    found = read_label(plain, cue_start=True)
    return bool(found and found.sure)


def _rolling_new_text(line: str, plain: str, recent: deque[str]) -> str:
    """What a line of rolling captions adds: all of it when its words carry times (new
    speech), nothing when it repeats a line read lately, the rest when it grows the last."""
    if _WORD_TIME.search(line):
        recent.append(plain)
        return plain
    if plain in recent:
        return ""
    if recent and plain.startswith(recent[-1] + " "):
        added = plain[len(recent[-1]) + 1 :]
        recent.append(plain)
        return added
    recent.append(plain)
    return plain
