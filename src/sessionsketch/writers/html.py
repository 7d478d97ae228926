"""One self-contained HTML file: CSS inlined, sentences carry speaker and evidence.

With a transcript, the cited turns are embedded as JSON (``<``, ``>`` and ``&`` written
as ``\\u`` escapes, so no transcript text can close the script element) and the style's
``evidence-panel.html.j2`` shows them when a sentence is hovered, focused or clicked.
"""

from __future__ import annotations

import json
from typing import Any

from sessionsketch.model import Sketch, Transcript
from sessionsketch.writers import sketch_writer
from sessionsketch.writers.styles import Style
from sessionsketch.writers.view import sketch_view


def cited_turns(sketch: Sketch, transcript: Transcript) -> dict[str, dict[str, Any]]:
    """The transcript turns the sketch's evidence cites, by turn index."""
    wanted = {e.turn for s in sketch.sentences for e in s.evidence}
    return {
        str(t.index): {"label": t.label, "speaker": t.speaker_name, "text": t.text}
        for t in transcript.turns
        if t.index in wanted
    }


def script_json(data: Any) -> str:
    """JSON safe to put inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_html(sketch: Sketch, style: Style, transcript: Transcript | None, paged: bool) -> str:
    """The style's ``sketch.html.j2`` rendered (paged: for the PDF, with ``print.css``)."""
    context = sketch_view(sketch, style, transcript)
    css = style.text("sketch.css")
    if paged:
        css += "\n" + style.text("print.css")
    context.update(
        css=css,
        paged=paged,
        evidence_panel=transcript is not None and not paged,
        turns_json=script_json(cited_turns(sketch, transcript)) if transcript is not None else "{}",
    )
    return style.render("sketch.html.j2", context, autoescape=True)


@sketch_writer("html", ("html", "htm"), "text/html; charset=utf-8")
def write_html(sketch: Sketch, style: Style, transcript: Transcript | None = None) -> bytes:
    return render_html(sketch, style, transcript, paged=False).encode("utf-8")
