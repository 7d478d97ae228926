"""QMSum meeting JSON: ``{"meeting_transcripts": [{"speaker", "content"}], ...}``."""

from __future__ import annotations

from pathlib import Path

from sessionsketch.errors import UserError
from sessionsketch.files import load_json
from sessionsketch.model import Transcript, Turn
from sessionsketch.readers import transcript_reader


def _sniff(data: bytes, path: Path) -> float:
    # the key may come after a long "topic_list": look through the whole object
    if data.lstrip()[:1] != b"{":
        return 0.0
    return 0.9 if b'"meeting_transcripts"' in data else 0.0


@transcript_reader("qmsum", extensions=("json",), sniff=_sniff, description="QMSum meeting JSON")
def read_qmsum(data: bytes, path: Path) -> Transcript:
    """Read a QMSum meeting file; each entry of ``meeting_transcripts`` is one turn."""
    doc = load_json(data, path)
    entries = doc.get("meeting_transcripts") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise UserError("not a QMSum meeting: 'meeting_transcripts' must be a list", path)
    turns: list[Turn] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or "speaker" not in entry or "content" not in entry:
            raise UserError(f"meeting_transcripts[{i}] needs 'speaker' and 'content'", path)
        turns.append(Turn(index=i, label=str(entry["speaker"]).strip(), text=str(entry["content"]).strip()))
    return Transcript(turns=turns)
