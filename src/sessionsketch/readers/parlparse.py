"""Parliamentary debates as TheyWorkForYou / ParlParse XML.

``<publicwhip><speech speakername="Ada Quill" time="14:32:00"><p>…</p></speech></publicwhip>``:
each ``speech`` is a turn by its ``speakername`` (a speech without one, or marked
``nospeaker="true"``, is unidentified), its paragraphs joined; ``time`` becomes the turn's
start (seconds since midnight). Headings are not speech. Documents that declare entities
or a DTD are refused, so a small file cannot expand into a huge one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import UNIDENTIFIED, Cue, head_text, merge_cues, normal_label, parse_clock

_DECLARATION = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(r"^\s*<\?xml[^>]*\?>")


def _sniff(data: bytes, path: Path) -> float:
    head = head_text(data)
    if "<publicwhip" in head:
        return 0.95
    return 0.8 if "<speech" in head and "speakername=" in head else 0.0


@transcript_reader("parlparse", extensions=("xml",), sniff=_sniff, description="TheyWorkForYou/ParlParse XML")
def read_parlparse(data: bytes, path: Path) -> Transcript:
    text = decode_text(data, path)
    if _DECLARATION.search(text):
        raise UserError(
            "XML with a DOCTYPE or entity declarations is refused (entities can expand without limit)", path
        )
    text = _ENCODING.sub("", text, count=1)  # decoded already; the declared encoding no longer applies
    parser = ET.XMLPullParser(events=("end",))
    cues: list[Cue] = []
    try:
        parser.feed(text)
        parser.close()
        for _event, el in parser.read_events():
            if _local(el.tag) != "speech":
                continue
            paragraphs = [" ".join("".join(p.itertext()).split()) for p in el.iter() if _local(p.tag) == "p"]
            if not paragraphs:
                paragraphs = [" ".join("".join(el.itertext()).split())]
            name = (el.get("speakername") or "").strip()
            if not name or el.get("nospeaker") == "true":
                name = UNIDENTIFIED
            start = parse_clock(el.get("time") or "")
            cues.append(Cue(normal_label(name), " ".join(p for p in paragraphs if p), start))
            el.clear()
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise UserError(f"invalid XML: {str(exc).split(':')[0]}", path, line) from None
    except RecursionError:
        raise UserError("invalid XML: nested too deeply", path) from None
    if not cues:
        raise UserError("no <speech> elements found (expected TheyWorkForYou/ParlParse XML)", path)
    return merge_cues(cues, path)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
