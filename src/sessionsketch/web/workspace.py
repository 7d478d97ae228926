"""A workbench session as the library sees it: programme, session, resolved transcript, sketch.

The archive stores what the rapporteur gave (the programme document, the transcript's
turns as read, the label map, the working sketch); this module rebuilds the model from
them with the library's own functions (``programme_from_dict``, ``read_transcript``,
``resolve_transcript``), and revises a sentence's evidence with ``SupportScorer``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sessionsketch.analysis.resolve import resolve_transcript
from sessionsketch.archive import SketchRecord
from sessionsketch.errors import UserError
from sessionsketch.model import Evidence, Programme, Sentence, Session, Sketch, Transcript, Turn
from sessionsketch.pipeline import read_transcript
from sessionsketch.readers.programme import programme_from_dict


@dataclass
class Workspace:
    record: SketchRecord
    programme: Programme  # narrowed to the chosen session
    session: Session
    transcript: Transcript | None
    sessions: list[Session]  # every session of the programme, to choose from

    @property
    def participant_names(self) -> list[str]:
        return [p.name for p in self.session.participants]


def open_workspace(record: SketchRecord) -> Workspace:
    if record.programme is None:
        raise UserError(
            f"sketch {record.id} was imported, not drafted here; it cannot be edited in the workbench"
        )
    programme = programme_from_dict(record.programme, f"workbench/{record.id}/programme")
    sessions = list(programme.sessions)
    session = next((s for s in sessions if s.slug == record.session_slug), programme.session)
    programme = dataclasses.replace(programme, sessions=[session])
    transcript = None
    if record.transcript is not None:
        transcript = transcript_from_turns(record.transcript, record.transcript_name)
        resolve_transcript(transcript, programme, record.speaker_map)
    return Workspace(record, programme, session, transcript, sessions)


def transcript_from_turns(turns: list[dict[str, Any]], source: str | None) -> Transcript:
    """The transcript as read (speakers not yet resolved) from its stored turns."""
    return Transcript(
        turns=[
            Turn(index=t["index"], label=t["label"], text=t["text"], start=t.get("start"), end=t.get("end"))
            for t in turns
        ],
        source=source,
    )


def stored_turns(transcript: Transcript) -> list[dict[str, Any]]:
    return [
        {"index": t.index, "label": t.label, "text": t.text, "start": t.start, "end": t.end}
        for t in transcript.turns
    ]


def read_uploaded_transcript(
    path: Path, shown_name: str, programme: Programme, speaker_map: dict[str, str], fmt: str | None = None
) -> Transcript:
    """Read an uploaded transcript with the readers; errors name the uploaded file, not the temporary one."""
    try:
        return read_transcript(path, programme, speaker_map, fmt or None)
    except UserError as exc:
        raise UserError(exc.message, shown_name, exc.line) from None


def programme_document(data: bytes | Path, shown_name: str, suffix: str) -> dict[str, Any]:
    """An uploaded programme file (YAML or JSON; its bytes or where it was saved), validated by
    ``load_programme``, as a document to store.

    YAML is read by ``load_yaml``: aliases that would blow it up, or nesting too deep, are refused.
    """
    import tempfile

    if isinstance(data, Path):
        data = data.read_bytes()

    from sessionsketch.files import decode_text
    from sessionsketch.readers.programme import load_programme, load_yaml

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"programme{suffix if suffix in ('.yaml', '.yml', '.json') else '.yaml'}"
        path.write_bytes(data)
        try:
            load_programme(path)
        except UserError as exc:
            raise UserError(exc.message, shown_name, exc.line) from None
    text = decode_text(data, shown_name)
    doc = (
        json.loads(text)
        if path.suffix == ".json" or text.lstrip().startswith("{")
        else load_yaml(text, shown_name)
    )
    # dates and times as text, so the document round-trips through JSON
    return json.loads(json.dumps(doc, default=str))


# ---------------------------------------------------------------------- evidence after an edit


def revise_sentence(
    sentence: Sentence, text: str, speaker: str | None, transcript: Transcript | None
) -> tuple[Sentence, bool]:
    """The sentence with new text/speaker, and whether the transcript still supports it.

    Unchanged sentences keep everything. A changed one keeps its evidence when the
    scorer finds it supported in one of the turns it already rests on; supported
    elsewhere, it rests on the span the scorer found; unsupported, its evidence is
    cleared (the editor and ``check`` then show it as unsupported).
    """
    text = " ".join(text.split())
    if text == sentence.text and speaker == sentence.speaker:
        return sentence, bool(sentence.evidence) or speaker is None
    revised = Sentence(text=text, speaker=speaker, evidence=list(sentence.evidence))
    if transcript is None or speaker is None:
        # nothing to weigh a framing sentence against: keep what it had
        return revised, True
    from sessionsketch.analysis.support import SUPPORTED, scorer_for

    result = scorer_for(transcript).support(text, speaker)
    if result.score < SUPPORTED or result.turn is None:
        revised.evidence = []
        return revised, False
    if not any(e.turn == result.turn for e in sentence.evidence) or speaker != sentence.speaker:
        revised.evidence = [Evidence(turn=result.turn, start=result.start, end=result.end)]
    return revised, True


# ---------------------------------------------------------------------- evidence after a new transcript


def reanchor_evidence(sketch: Sketch, old: Transcript, new: Transcript) -> tuple[Sketch, int, int]:
    """The sketch with its evidence moved to the replacing transcript ``new``; how many spans
    moved and how many were dropped.

    A span keeps its place where the new transcript says the same words there; otherwise it
    moves to where the new transcript says those words (the same speaker label first, then
    the nearest turn); words the new transcript no longer has lose their span, so no evidence
    ever points at a turn that is gone (``check`` then shows the sentence as unsupported).
    """
    revised = Sketch.from_dict(sketch.to_dict())
    old_turns = {t.index: t for t in old.turns}
    new_turns = {t.index: t for t in new.turns}
    moved = dropped = 0
    for paragraph in revised.paragraphs:
        for sentence in paragraph.sentences:
            kept: list[Evidence] = []
            for e in sentence.evidence:
                before = old_turns.get(e.turn)
                words = before.text[e.start : e.end] if before is not None else ""
                here = new_turns.get(e.turn)
                if words.strip() and here is not None and here.text[e.start : e.end] == words:
                    kept.append(e)
                    continue
                found = (
                    _find_words(words, before.label if before else None, e.turn, new)
                    if words.strip()
                    else None
                )
                if found is None:
                    dropped += 1
                    continue
                moved += 1
                kept.append(found)
            sentence.evidence = kept
    return revised, moved, dropped


def _find_words(words: str, label: str | None, near: int, transcript: Transcript) -> Evidence | None:
    best: tuple[tuple[bool, int], Evidence] | None = None
    for turn in transcript.turns:
        at = turn.text.find(words)
        if at < 0:
            continue
        rank = (turn.label != label, abs(turn.index - near))
        if best is None or rank < best[0]:
            best = (rank, Evidence(turn=turn.index, start=at, end=at + len(words)))
    return best[1] if best else None
