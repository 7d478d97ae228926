"""Parliamentary debates as TheyWorkForYou / ParlParse XML.

``<publicwhip><speech speakername="Ada Quill" time="14:32:00"><p>…</p></speech></publicwhip>``:
each ``speech`` is a turn by its ``speakername`` (a speech without one, or marked
``nospeaker="true"``, is unidentified), its paragraphs joined; ``time`` becomes the turn's
start (seconds since midnight). Headings are not speech.

ParlParse writes a ``DOCTYPE`` whose internal subset declares HTML's named characters
(``<!ENTITY mdash "&#8212;">``), and files without it still use them. Those are
honoured safely, before the XML parser sees the document: each declaration must be a
short literal whose only references are character references, so nothing can expand
into more entities (no "billion laughs"); external entities (``SYSTEM``, ``PUBLIC``) and
parameter entities are refused; nothing is ever loaded from a file or the network. An
undeclared name HTML5 knows (``&pound;``) is read as that character. The ``DOCTYPE`` is
then removed, so the parser never sees a DTD.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from html.entities import html5
from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text
from sessionsketch.model import Transcript
from sessionsketch.readers import transcript_reader
from sessionsketch.readers._cues import UNIDENTIFIED, Cue, head_text, merge_cues, normal_label, parse_clock

_DECLARATION = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(r"^\s*<\?xml[^>]*\?>")
# the DOCTYPE, its external id, and its internal subset; each part bounded and stopping at
# the character that ends it, so a hostile "<!DOCTYPE <!DOCTYPE …" is read in linear time
_DOCTYPE = re.compile(
    r"<!DOCTYPE[ \t\n]+[\w:.\-]{1,80}(?P<external>(?:[ \t\n][^\[>]{0,400})?)(?:\[(?P<subset>[^\]]{0,100000})\])?[ \t\n]*>"
)
# the value starts at the first character that is not white space, so a run of spaces is
# read once (with "[ \t\n]+" then "[^>]", a run of n spaces was split n ways: quadratic)
_ENTITY_DECL = re.compile(
    r"^ENTITY[ \t\n]+(?P<pe>%[ \t\n]+)?(?P<name>[A-Za-z_][\w.\-]{0,63})[ \t\n]+(?P<rest>[^>\s][^>]{0,100000})>[ \t\n]*$"
)
_CHAR_REF = re.compile(r"&#(?:\d{1,7}|x[0-9A-Fa-f]{1,6});")
_ENTITY_REF = re.compile(r"&(?P<name>[A-Za-z][A-Za-z0-9]{0,40});")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
#: the longest entity value honoured: HTML's named characters are one or two characters
MAX_ENTITY_VALUE = 64


def _sniff(data: bytes, path: Path) -> float:
    head = head_text(data)
    if "<publicwhip" in head or "<!DOCTYPE publicwhip" in head:
        return 0.95
    return 0.8 if "<speech" in head and "speakername=" in head else 0.0


@transcript_reader("parlparse", extensions=("xml",), sniff=_sniff, description="TheyWorkForYou/ParlParse XML")
def read_parlparse(data: bytes, path: Path) -> Transcript:
    text = _resolve_entities(decode_text(data, path), path)
    if _DECLARATION.search(text):
        raise UserError(
            "XML with a DOCTYPE that cannot be read safely (or entity declarations outside it) "
            "is refused (entities can expand without limit)",
            path,
            text[: _DECLARATION.search(text).start()].count("\n") + 1,
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
        raise UserError(
            "no speech found in the transcript (no <speech> elements: expected TheyWorkForYou/ParlParse XML)",
            path,
        )
    return merge_cues(cues, path)


def _declared_entities(subset: str, path: Path, line: int) -> dict[str, str]:
    """The internal subset's ``<!ENTITY name "value">`` declarations, refused when unsafe."""
    entities: dict[str, str] = {}
    for chunk in subset.split("<!")[1:]:
        if chunk.startswith("--") or not chunk.startswith("ENTITY"):
            continue  # comments, ELEMENT and ATTLIST declarations: nothing is expanded from them
        m = _ENTITY_DECL.match(chunk)
        if not m:
            raise UserError(f"unreadable entity declaration '<!{chunk.strip()[:40]}'", path, line)
        name, rest = m.group("name"), m.group("rest").strip()
        if m.group("pe") or rest.startswith(("SYSTEM", "PUBLIC")):
            kind = "parameter" if m.group("pe") else "external"
            raise UserError(
                f"XML declaring the {kind} entity '{name}' is refused (it could read other files or the network)",
                path,
                line,
            )
        if len(rest) < 2 or rest[0] not in "\"'" or rest[-1] != rest[0]:
            raise UserError(f"entity '{name}' has no quoted value", path, line)
        value = rest[1:-1]
        if "&" in _CHAR_REF.sub("", value) or "<" in value:
            raise UserError(
                f"entity '{name}' refers to other entities or markup; refused (entities that expand "
                "into entities can grow without limit)",
                path,
                line,
            )
        if len(value) > MAX_ENTITY_VALUE:
            raise UserError(
                f"entity '{name}' is longer than {MAX_ENTITY_VALUE} characters; refused (repeated, a long "
                "entity can grow a small file without limit)",
                path,
                line,
            )
        entities[name] = html.unescape(value)
    return entities


def _resolve_entities(text: str, path: Path) -> str:
    """The document with its DOCTYPE removed and named entities replaced by their characters.

    The DOCTYPE's lines are kept as blank lines, so errors name the file's own lines.
    """
    declared: dict[str, str] = {}
    first = text.find("<!DOCTYPE")  # only the first is tried: one bounded match, linear time
    m = _DOCTYPE.match(text, first) if first >= 0 else None
    if m:
        prolog = _ENCODING.sub("", text[: m.start()], count=1).strip("\ufeff \t\n")
        if prolog and not (prolog.startswith("<!--") and prolog.endswith("-->")):
            m = None  # a DOCTYPE after the root element is no DOCTYPE: refused by the caller
    if m:
        line = text[: m.start()].count("\n") + 1
        if m.group("subset") is not None:
            declared = _declared_entities(m.group("subset"), path, line)
        text = text[: m.start()] + "\n" * m.group(0).count("\n") + text[m.end() :]

    def character(ref: re.Match[str]) -> str:
        name = ref.group("name")
        if name in _XML_ENTITIES:
            return ref.group(0)
        value = declared.get(name)
        if value is None:
            value = html5.get(name + ";")
        if value is None:
            return ref.group(0)  # unknown: the parser names it and its line
        return value.replace("&", "&amp;").replace("<", "&lt;")

    return _ENTITY_REF.sub(character, text)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
