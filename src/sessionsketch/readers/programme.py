"""Programme files (YAML or JSON) → :class:`~sessionsketch.model.Programme`, and speaker maps.

Validation errors name the file, the line and the field::

    programme.yaml:12: session.speakers[2].name is missing
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path
from typing import Any

import yaml

from sessionsketch.errors import UserError
from sessionsketch.files import decode_text, read_bytes, read_text
from sessionsketch.model import (
    DEFAULT_DISCLAIMER,
    DEFAULT_LABEL,
    ROLES,
    Conference,
    Person,
    Programme,
    Session,
)

log = logging.getLogger("sessionsketch")


class _Node(dict):
    """A mapping that remembers the line of itself and of each of its keys."""

    line: int | None = None
    key_lines: dict[str, int]


class _List(list):
    line: int | None = None
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Node:
    loader.flatten_mapping(node)
    out = _Node()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[str(key)] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _List:
    out = _List(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


#: A programme or speaker map nested deeper than this is refused (a real one is a few levels deep) ...
MAX_YAML_DEPTH = 64
#: ... and so is one whose aliases expand it by more than this many characters (a "billion laughs").
MAX_YAML_EXPANSION = 1_000_000


def load_yaml(text: str, path: str | Path | None, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """Parse YAML safely: a syntax error, nesting deeper than ``MAX_YAML_DEPTH`` or aliases that
    expand the document by more than ``MAX_YAML_EXPANSION`` characters is one line naming the line.

    The shape is checked on the parser's events (a loop, linear in the text) before anything
    is built, so neither a deep document nor an alias bomb costs memory or a RecursionError.
    """
    try:
        _check_yaml_shape(text, path)
        return yaml.load(text, Loader=loader)  # a SafeLoader (or a subclass of it)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise UserError(f"invalid YAML: {problem}", path, mark.line + 1 if mark else None) from None
    except RecursionError:  # not reached after the depth check; never a traceback all the same
        raise UserError("invalid YAML: nested too deeply", path) from None


def _check_yaml_shape(text: str, path: str | Path | None) -> None:
    # each open collection: [anchor, expanded size]; sizes of the anchored nodes already closed
    open_nodes: list[list[Any]] = []
    sizes: dict[str, int] = {}
    expanded = 0
    limit = len(text) + MAX_YAML_EXPANSION

    def add(size: int, event: Any) -> None:
        nonlocal expanded
        expanded += size
        if open_nodes:
            open_nodes[-1][1] += size
        if expanded > limit:
            raise UserError(
                f"invalid YAML: its aliases expand it by more than {MAX_YAML_EXPANSION:,} characters; refused",
                path,
                event.start_mark.line + 1,
            )

    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.ScalarEvent):
            size = len(event.value) + 1
            if event.anchor:
                sizes[event.anchor] = size
            add(size, event)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in sizes:
                raise UserError(
                    f"invalid YAML: alias *{event.anchor} is not defined before it is used "
                    "(or refers to the node that contains it)",
                    path,
                    event.start_mark.line + 1,
                )
            add(sizes[event.anchor], event)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            add(1, event)
            open_nodes.append([event.anchor, 1])
            if len(open_nodes) > MAX_YAML_DEPTH:
                raise UserError(
                    f"invalid YAML: nested more than {MAX_YAML_DEPTH} levels deep",
                    path,
                    event.start_mark.line + 1,
                )
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = open_nodes.pop()
            if open_nodes:  # the parent counted the collection's start; now its contents too
                open_nodes[-1][1] += size - 1
            if anchor:
                sizes[anchor] = size


def _load_json_text(text: str, path: str | Path | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
    except RecursionError:
        raise UserError("invalid JSON: nested too deeply", path) from None


class _Ctx:
    """Where we are in the file, for error messages."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, message: str, line: int | None) -> UserError:
        return UserError(f"{where} {message}" if where else message, self.path, line)


def _line(obj: Any, key: str | None = None) -> int | None:
    if isinstance(obj, _Node):
        if key is not None and key in obj.key_lines:
            return obj.key_lines[key]
        return obj.line
    if isinstance(obj, _List):
        return obj.line
    return None


def load_programme(path: str | Path) -> Programme:
    """Read and validate a programme file (``.yaml``, ``.yml`` or ``.json``)."""
    p = Path(path)
    text = decode_text(read_bytes(p), p)
    if not text.strip():
        raise UserError("programme is empty", p)
    if p.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        doc = _load_json_text(text, p)
    else:
        doc = load_yaml(text, p, _LineLoader)
    programme = programme_from_dict(doc, p)
    programme.source = str(p)
    return programme


def programme_from_dict(doc: Any, path: str | Path = "<programme>") -> Programme:
    """Validate a parsed programme document and build the model."""
    ctx = _Ctx(Path(path))
    if not isinstance(doc, dict):
        raise ctx.fail("", "a programme must be a mapping with 'conference' and 'session' or 'sessions'", 1)
    conf_doc = doc.get("conference") or {}
    if isinstance(conf_doc, str):
        conf_doc = {"name": conf_doc}
    if not isinstance(conf_doc, dict):
        raise ctx.fail("conference", "must be a mapping or a name", _line(doc, "conference"))
    conference = _conference(conf_doc, ctx)

    if "sessions" in doc and "session" in doc:
        raise ctx.fail("", "give either 'session' or 'sessions', not both", _line(doc, "sessions"))
    raw_sessions: list[tuple[str, Any, int | None]]
    if "sessions" in doc:
        seq = doc["sessions"]
        if not isinstance(seq, list) or not seq:
            raise ctx.fail("sessions", "must be a non-empty list", _line(doc, "sessions"))
        lines = getattr(seq, "item_lines", [None] * len(seq))
        raw_sessions = [(f"sessions[{i}]", s, lines[i]) for i, s in enumerate(seq)]
    elif "session" in doc:
        raw_sessions = [("session", doc["session"], _line(doc, "session"))]
    else:
        raise ctx.fail("session", "is missing (give 'session' or 'sessions')", _line(doc))
    sessions = [_session(where, s, line, ctx) for where, s, line in raw_sessions]
    _check_unique_slugs(sessions, ctx)

    speaker_map = doc.get("speaker_map") or {}
    if not isinstance(speaker_map, dict):
        raise ctx.fail("speaker_map", "must map transcript labels to names", _line(doc, "speaker_map"))
    disclaimer = doc.get("disclaimer", DEFAULT_DISCLAIMER)
    return Programme(
        conference=conference,
        sessions=sessions,
        speaker_map={str(k): str(v) for k, v in speaker_map.items()},
        disclaimer=str(disclaimer) if disclaimer else None,
        label=str(doc.get("label") or DEFAULT_LABEL),
    )


def _conference(doc: dict, ctx: _Ctx) -> Conference:
    dates = doc.get("dates")
    start = _date(doc.get("start_date"), "conference.start_date", ctx, _line(doc, "start_date"))
    end = _date(doc.get("end_date"), "conference.end_date", ctx, _line(doc, "end_date"))
    if isinstance(dates, list) and dates:
        start = start or _date(dates[0], "conference.dates[0]", ctx, _line(doc, "dates"))
        end = end or _date(dates[-1], f"conference.dates[{len(dates) - 1}]", ctx, _line(doc, "dates"))
    elif dates is not None:
        start = start or _date(dates, "conference.dates", ctx, _line(doc, "dates"))
    return Conference(
        name=_str(doc.get("name")),
        theme=_str(doc.get("theme")),
        url=_str(doc.get("url")),
        start_date=start,
        end_date=end,
    )


def _session(where: str, doc: Any, line: int | None, ctx: _Ctx) -> Session:
    if not isinstance(doc, dict):
        raise ctx.fail(where, "must be a mapping", line)
    s = Session(
        title=_str(doc.get("title")),
        number=_str(doc.get("number")),
        date=_date(doc.get("date"), f"{where}.date", ctx, _line(doc, "date")),
        start=_time(doc.get("start"), f"{where}.start", ctx, _line(doc, "start")),
        end=_time(doc.get("end"), f"{where}.end", ctx, _line(doc, "end")),
        venue=_str(doc.get("venue")),
        description=_str(doc.get("description")),
        slug=_str(doc.get("slug")),
    )
    if s.start and s.end and s.end < s.start:
        raise ctx.fail(f"{where}.end", f"({s.end}) is before start ({s.start})", _line(doc, "end"))
    if not s.slug:
        s.slug = slugify(s.title or (f"session-{s.number}" if s.number else "session"))
    if doc.get("rapporteur") is not None:
        s.rapporteur = _person(
            doc["rapporteur"], f"{where}.rapporteur", "rapporteur", ctx, _line(doc, "rapporteur")
        )
    for key in ("moderator", "moderators", "chair"):
        if doc.get(key) is None:
            continue
        default_role = "chair" if key == "chair" else "moderator"
        items = doc[key] if isinstance(doc[key], list) else [doc[key]]
        lines = getattr(doc[key], "item_lines", None) or [_line(doc, key)] * len(items)
        for i, item in enumerate(items):
            label = f"{where}.{key}[{i}]" if isinstance(doc[key], list) else f"{where}.{key}"
            s.moderators.append(_person(item, label, default_role, ctx, lines[i]))
    for key, default_role in (("speakers", "speaker"), ("participants", "member"), ("others", "member")):
        seq = doc.get(key)
        if seq is None:
            continue
        if not isinstance(seq, list):
            raise ctx.fail(f"{where}.{key}", "must be a list", _line(doc, key))
        lines = getattr(seq, "item_lines", [_line(doc, key)] * len(seq))
        for i, item in enumerate(seq):
            person = _person(item, f"{where}.{key}[{i}]", default_role, ctx, lines[i])
            (s.speakers if person.role in ("speaker", "discussant") else s.others).append(person)
    _dedupe(s, ctx, where)
    return s


def _person(doc: Any, where: str, default_role: str, ctx: _Ctx, line: int | None) -> Person:
    if isinstance(doc, str):
        doc = _split_name_affiliation(doc)
    if not isinstance(doc, dict):
        raise ctx.fail(where, "must be a name or a mapping with 'name'", line)
    name = _str(doc.get("name"))
    if not name:
        raise ctx.fail(f"{where}.name", "is missing", _line(doc) or line)
    role = _str(doc.get("role")) or default_role
    if role not in ROLES:
        raise ctx.fail(
            f"{where}.role", f"'{role}' is not one of {', '.join(ROLES)}", _line(doc, "role") or line
        )
    aliases = doc.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list):
        raise ctx.fail(f"{where}.aliases", "must be a list of names", _line(doc, "aliases") or line)
    return Person(
        name=" ".join(name.split()),
        affiliation=_str(doc.get("affiliation")),
        role=role,
        aliases=[str(a) for a in aliases if str(a).strip()],
        family_name_first=bool(doc.get("family_name_first", False)),
        pronouns=_str(doc.get("pronouns")),
    )


def _split_name_affiliation(text: str) -> dict[str, str]:
    """ "Marc Knapper, U.S. Department of State" → name and affiliation."""
    name, _, affiliation = text.partition(",")
    out = {"name": name.strip()}
    if affiliation.strip():
        out["affiliation"] = affiliation.strip()
    return out


def _dedupe(s: Session, ctx: _Ctx, where: str) -> None:
    seen: set[str] = set()
    for group in (s.moderators, s.speakers, s.others):
        keep = []
        for p in group:
            key = p.name.casefold()
            if key in seen:
                log.warning("%s: %s: '%s' is listed twice; keeping the first", ctx.path, where, p.name)
                continue
            seen.add(key)
            keep.append(p)
        group[:] = keep


def _check_unique_slugs(sessions: list[Session], ctx: _Ctx) -> None:
    seen: dict[str, int] = {}
    for s in sessions:
        assert s.slug
        if s.slug in seen:
            seen[s.slug] += 1
            s.slug = f"{s.slug}-{seen[s.slug]}"
        else:
            seen[s.slug] = 1


def pick_session(programme: Programme, key: str | None, path: str | Path) -> Session:
    """The session named by number, slug or title slug (none named: the first, said when
    there are more); an unknown name is a user error listing the sessions."""
    if key is None:
        if len(programme.sessions) > 1:
            log.info(
                "%s: %d sessions; drafting the first (choose with --session)", path, len(programme.sessions)
            )
        return programme.session
    found = find_session(programme, key)
    if found is not None:
        return found
    known = ", ".join(str(s.number or s.slug) for s in programme.sessions)
    raise UserError(f"no session '{key}' in the programme (sessions: {known})", path)


def find_session(programme: Programme, key: str) -> Session | None:
    """The session a number, slug or title names (a title compares by its slug), or None."""
    wanted = {key, slug_key(key)} - {""}
    for s in programme.sessions:
        if wanted & {str(s.number or ""), s.slug or "", slug_key(s.title or "")}:
            return s
    return None


def slug_key(text: str) -> str:
    """ASCII letters and digits joined by hyphens: how a title or a file stem names a session."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def slugify(text: str) -> str:
    from sessionsketch.analysis.names import fold

    return re.sub(r"\s+", "-", fold(text))[:60] or "session"


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value: Any, where: str, ctx: _Ctx, line: int | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ctx.fail(where, f"'{value}' is not a date (write YYYY-MM-DD)", line) from None


def _time(value: Any, where: str, ctx: _Ctx, line: int | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 13:00 as the base-60 integer 780
        if 0 <= value < 24 * 60:
            return f"{value // 60:02d}:{value % 60:02d}"
        raise ctx.fail(where, f"'{value}' is not a time (write HH:MM)", line)
    m = re.fullmatch(r"([01]?\d|2[0-3])[:.h]([0-5]\d)", str(value).strip())
    if not m:
        raise ctx.fail(where, f"'{value}' is not a time (write HH:MM)", line)
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def load_speaker_map(path: Path | None) -> dict[str, str] | None:
    """A YAML or JSON mapping ``{label: participant name}``, e.g. ``SPEAKER_00: Marc Knapper``."""
    if path is None:
        return None
    text = read_text(path)
    try:
        doc = _load_json_text(text, path) if text.lstrip().startswith("{") else load_yaml(text, path)
    except UserError as exc:
        raise UserError(f"invalid speaker map: {exc.message}", path, exc.line) from None
    if not isinstance(doc, dict):
        raise UserError("a speaker map must map labels to names (SPEAKER_00: Marc Knapper)", path)
    return {str(k): str(v) for k, v in doc.items()}
