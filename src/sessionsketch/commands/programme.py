"""``sessionsketch programme init``: a programme to edit, inferred from a transcript.

For someone holding only a transcript (an Otter export, a diarised recording): the
speaker labels are merged into people as ``draft TRANSCRIPT`` does
(:func:`sessionsketch.pipeline.transcript_programme`), each person's labels kept as
aliases so that a corrected name still matches them, roles guessed and marked for
checking, pronouns and affiliations left blank to fill. ``draft`` reads the file back.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path

import typer
import yaml

from sessionsketch.analysis.resolve import parse_label
from sessionsketch.commands.common import (
    diarisation_option,
    emit,
    from_option,
    is_stdio,
    single_speaker_option,
    stdin_once,
)
from sessionsketch.errors import UserError
from sessionsketch.model import Person, Programme, Transcript
from sessionsketch.pipeline import read_transcript, transcript_programme
from sessionsketch.readers.programme import load_speaker_map

log = logging.getLogger("sessionsketch")

_HEADER = """\
# A programme inferred from {source} by 'sessionsketch programme init'.
# Check it before drafting with it: the speaker labels were merged into people and their
# roles guessed (each marked 'check'); the names the labels give stay as aliases, so a
# name can be corrected (or a SPEAKER_00 named) and the transcript still matches it. Fill in what the transcript does not say: the
# conference, the session, and each person's pronouns (she/her, he/him, they/them) and
# affiliation. Roles: chair or moderator; speaker (a panellist or witness, reported at
# length); member (a committee member, reported through their questions).
"""


def scalar(value: str, flow: bool = False) -> str:
    """``value`` as a YAML scalar: plain where YAML reads it back unchanged (inside ``[...]``
    when ``flow``, where commas and brackets have a meaning), else quoted."""
    try:
        plain = yaml.safe_load(value) == value and ": " not in value and " #" not in value
    except yaml.YAMLError:
        plain = False
    if flow and any(ch in value for ch in ",[]{}"):
        plain = False
    return value if plain and value.strip() == value and value else json.dumps(value, ensure_ascii=False)


def _why_role(person: Person, labels: list[str]) -> str:
    named = next((lb for lb in labels if parse_label(lb).role == person.role), None)
    if named is not None:
        return f"check: the label '{named}' says so"
    if person.role in ("chair", "moderator"):
        return "check: guessed from what the turns do (welcomes, calls on people, moves between items)"
    return "check: a speaker (panellist, witness) or a member (asks questions)?"


def programme_yaml(programme: Programme, transcript: Transcript, source: str) -> str:
    """The programme as YAML to edit, with the guesses marked and the blanks left to fill."""
    labels: dict[int, list[str]] = {}
    turns: Counter[int] = Counter()
    words: Counter[int] = Counter()
    for t in transcript.turns:
        if t.speaker is None:
            continue
        key = id(t.speaker)
        turns[key] += 1
        words[key] += len(t.text.split())
        if t.label not in labels.setdefault(key, []):
            labels[key].append(t.label)
    session = programme.session
    lines = [_HEADER.format(source=source).rstrip("\n")]
    lines += [
        "conference:",
        "  name:  # the conference, or the committee",
        "session:",
        "  title:  # the session's title",
        "  date:  # YYYY-MM-DD",
    ]

    def person_lines(p: Person, indent: str, first: str) -> list[str]:
        own = labels.get(id(p), [])
        # the names the labels give, the current one too: a corrected name still matches them
        aliases = list(dict.fromkeys(n for n in (parse_label(lb).name for lb in own) if n))
        count = f"{turns[id(p)]} turn{'s' if turns[id(p)] != 1 else ''}, {words[id(p)]:,} words"
        out = [
            f"{indent}{first}name: {scalar(p.name)}  # {count}",
            f"{indent}  role: {p.role}  # {_why_role(p, own)}",
        ]
        if aliases:
            out.append(f"{indent}  aliases: [{', '.join(scalar(a, flow=True) for a in aliases)}]")
        out.append(f"{indent}  pronouns:")
        if p.affiliation:
            out.append(f"{indent}  affiliation: {scalar(p.affiliation)}  # check: from the label")
        else:
            out.append(f"{indent}  affiliation:")
        return out

    for key, group in (("moderators", session.moderators), ("speakers", session.speakers + session.others)):
        if not group:
            continue
        lines.append(f"  {key}:")
        for p in group:
            lines += person_lines(p, "    ", "- ")
    return "\n".join(lines) + "\n"


def register(app: typer.Typer) -> None:
    programme_app = typer.Typer(help="Programmes: write one to edit from a transcript.", no_args_is_help=True)
    app.add_typer(programme_app, name="programme")

    @programme_app.command("init")
    def init_cmd(
        transcript: Path = typer.Argument(
            ..., metavar="TRANSCRIPT", help="Transcript file in any format ('-': standard input)."
        ),
        out: Path | None = typer.Option(
            None, "--output", "-o", help="Programme YAML to write ('-' or none: standard output)."
        ),
        force: bool = typer.Option(False, "--force", help="Overwrite an existing programme file."),
        from_: str | None = from_option("transcript"),
        speaker_map: Path | None = typer.Option(
            None, "--speaker-map", "-m", help="YAML/JSON mapping of labels (SPEAKER_00) to names."
        ),
        single_speaker: str | None = single_speaker_option(),
        diarisation: Path | None = diarisation_option(),
    ) -> None:
        """Write a programme to edit: the transcript's speakers merged into people, roles guessed."""
        stdin_once(transcript, speaker_map, diarisation)
        if out is not None and not is_stdio(out):
            if out.suffix.lower() not in (".yaml", ".yml"):
                raise UserError("a programme is written as YAML: name it .yaml or .yml", out)
            if out.exists() and not force:
                raise UserError("exists; an edited programme is not overwritten without --force", out)
        smap = load_speaker_map(speaker_map)
        tr = read_transcript(
            transcript, None, smap, from_, single_speaker=single_speaker, diarisation=diarisation
        )
        programme = transcript_programme(tr, smap)
        people = programme.session.people
        if not people:
            raise UserError("no speaker label in the transcript names a person", transcript)
        emit(programme_yaml(programme, tr, str(transcript)), out)
        if out is not None and not is_stdio(out):
            log.info(
                "%s: %d people from %d speaker labels; check the roles and fill in the blanks",
                out,
                len(people),
                len({t.label for t in tr.turns}),
            )
