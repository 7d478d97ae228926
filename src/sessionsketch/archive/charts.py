"""Charts as inline SVG, drawn on the server: no script and no CDN is needed to read them.

Each function returns markup that is safe to put into a page as it is (every text in it is
escaped here), with a ``<title>`` and a ``<desc>`` that say what the chart shows; pages put a
table of the same numbers beside it as its text alternative. Colours are presentation
attributes, not ``style``, so the pages' Content-Security-Policy (no inline styles) holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import count
from typing import Any

from markupsafe import Markup

#: Colours for series (conferences; the sketch and the transcript), distinguishable in grey too.
PALETTE = ("#23508e", "#d08a2b", "#4f9a6a", "#a3416e", "#6f6fb3", "#8a8a8a", "#3a8fa8", "#b36a3f")
OTHER = "#b8bec9"
#: After the label of a bar that is flagged (workbench.js adds and removes it as the editor edits).
FLAG = '<tspan class="flag"> ⚑</tspan>'

_ids = count(1)


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _open(width: int, height: int, title: str, desc: str, css: str) -> tuple[str, str]:
    n = next(_ids)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="chart-t{n} chart-d{n}">'
        f'<title id="chart-t{n}">{_esc(title)}</title><desc id="chart-d{n}">{_esc(desc)}</desc>'
    )
    return head, "</svg>"


@dataclass
class Stack:
    """One bar of a stacked bar chart: a label (a year) and a value per series."""

    label: str
    values: dict[str, int]


def stacked_bars(
    stacks: Sequence[Stack], title: str, unit: str, width: int = 560, height: int = 200, max_series: int = 6
) -> Markup:
    """Vertical bars, one per label (years, in order), each stacked by series (conferences)."""
    totals: dict[str, int] = {}
    for s in stacks:
        for name, v in s.values.items():
            totals[name] = totals.get(name, 0) + v
    ranked = sorted(totals, key=lambda k: (-totals[k], k))
    shown = ranked[:max_series]
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(shown)}
    legend_rows = len(shown) + (1 if len(ranked) > max_series else 0)
    top, left, bottom, legend_h = 14, 40, 26, 16 * legend_rows + 6
    plot_h = height - top - bottom
    peak = max((sum(s.values.values()) for s in stacks), default=0) or 1
    desc = "; ".join(
        f"{s.label}: {sum(s.values.values())} {unit} ("
        + ", ".join(f"{k} {v}" for k, v in sorted(s.values.items(), key=lambda kv: -kv[1]))
        + ")"
        for s in stacks
    )
    head, tail = _open(width, height + legend_h, title, desc or f"no {unit}", "stacked")
    parts = [head]
    slot = (width - left - 8) / max(1, len(stacks))
    bar = max(4.0, min(48.0, slot * 0.7))
    for tick in (0, peak // 2 if peak > 1 else None, peak):
        if tick is None:
            continue
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e6ec"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick}</text>')
    for i, s in enumerate(stacks):
        x = left + slot * i + (slot - bar) / 2
        y = top + plot_h
        for name in ranked:
            v = s.values.get(name, 0)
            if not v:
                continue
            h = plot_h * v / peak
            y -= h
            fill = colour.get(name, OTHER)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{fill}">'
                f"<title>{_esc(s.label)}, {_esc(name)}: {v} {_esc(unit)}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" class="label">'
            f"{_esc(s.label)}</text>"
        )
    ly = height + 4
    for name in shown:
        parts.append(f'<rect x="{left}" y="{ly}" width="10" height="10" fill="{colour[name]}"/>')
        parts.append(f'<text x="{left + 16}" y="{ly + 9}" class="legend">{_esc(name)}</text>')
        ly += 16
    if len(ranked) > max_series:
        parts.append(f'<rect x="{left}" y="{ly}" width="10" height="10" fill="{OTHER}"/>')
        parts.append(
            f'<text x="{left + 16}" y="{ly + 9}" class="legend">{len(ranked) - max_series} others</text>'
        )
    parts.append(tail)
    return Markup("".join(parts))


@dataclass
class Bar:
    """One row of a horizontal bar chart: a label and one value per series (0..1 shares, or counts)."""

    label: str
    values: Sequence[float]
    flag: str | None = None  # a note shown after the label (e.g. "missing from the sketch")


def grouped_bars(
    bars: Sequence[Bar],
    series: Sequence[str],
    title: str,
    percent: bool = True,
    width: int = 560,
    label_width: int = 170,
) -> Markup:
    """Horizontal bars, one group per label, one bar per series (shares as percentages, or counts)."""
    row_h = 8 + 12 * len(series)
    legend_h = 20
    height = legend_h + row_h * max(1, len(bars)) + 6
    peak = max((v for b in bars for v in b.values), default=0) or 1
    if percent:
        peak = max(peak, 0.01)

    def fmt(v: float) -> str:
        return f"{v * 100:.0f} %" if percent else f"{v:,.0f}"

    desc = "; ".join(
        f"{b.label}: "
        + ", ".join(f"{s} {fmt(v)}" for s, v in zip(series, b.values, strict=True))
        + (f" ({b.flag})" if b.flag else "")
        for b in bars
    )
    head, tail = _open(width, height, title, desc or "nothing to show", "grouped")
    head = head.replace(
        "<svg ", f'<svg data-label-width="{label_width}" data-plot-width="{width - label_width - 56}" ', 1
    )
    parts = [head]
    x = label_width
    for i, name in enumerate(series):
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 14}" y="13" class="legend">{_esc(name)}</text>')
        x += 14 + 7 * len(name) + 18
    plot_w = width - label_width - 56
    for r, b in enumerate(bars):
        y0 = legend_h + r * row_h
        label = b.label if len(b.label) <= 24 else b.label[:23] + "…"
        cls = "label flagged" if b.flag else "label"
        parts.append(f'<g class="bar-group" data-label="{_esc(b.label)}">')
        parts.append(
            f'<text x="{label_width - 8}" y="{y0 + row_h / 2 + 3:.1f}" text-anchor="end" class="{cls}">'
            f"{_esc(label)}{FLAG if b.flag else ''}<title>{_esc(b.label)}{': ' + _esc(b.flag) if b.flag else ''}"
            "</title></text>"
        )
        for i, v in enumerate(b.values):
            w = plot_w * v / peak
            y = y0 + 4 + 12 * i
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{max(w, 0.5):.1f}" height="10" '
                f'fill="{PALETTE[i % len(PALETTE)]}" data-series="{i}"><title>{_esc(b.label)}, '
                f"{_esc(series[i])}: {fmt(v)}</title></rect>"
            )
            parts.append(
                f'<text x="{label_width + w + 4:.1f}" y="{y + 9}" class="value" data-series="{i}">{fmt(v)}</text>'
            )
        parts.append("</g>")
    parts.append(tail)
    return Markup("".join(parts))


# ---------------------------------------------------------------------- fairness


#: Roles that run a session rather than speak in it: shown, but never flagged as left out.
CHAIR_ROLES = frozenset({"moderator", "chair", "rapporteur", "host"})
FAIRNESS_SERIES = ("transcript words", "sketch words", "sketch sentences")


@dataclass
class Share:
    """One participant's part of the transcript and of the sketch."""

    name: str
    role: str
    transcript_words: int
    sketch_words: int
    sentences: int
    transcript_share: float = 0.0
    sketch_share: float = 0.0
    sentence_share: float = 0.0

    @property
    def missing(self) -> bool:
        """Spoke in the session, and the sketch gives them nothing (a chair's procedure excepted)."""
        return self.transcript_words > 0 and self.sentences == 0 and self.role not in CHAIR_ROLES

    def to_dict(self) -> dict[str, object]:
        return {**self.__dict__, "missing": self.missing}


def fairness(
    people: Sequence[tuple[str, str]],
    turns: Sequence[tuple[str | None, str]],
    sentences: Sequence[tuple[str | None, str]],
) -> list[Share]:
    """Each participant's share of the transcript's words against their share of the sketch's words and
    sentences. ``people`` are (name, role); ``turns`` and ``sentences`` are (speaker name or None, text);
    words of nobody's (unresolved turns, unattributed sentences) count for no one."""
    from sessionsketch.text import word_count

    shares = {name: Share(name, role, 0, 0, 0) for name, role in people}
    for speaker, text in turns:
        if speaker in shares:
            shares[speaker].transcript_words += word_count(text)
    for speaker, text in sentences:
        if speaker in shares:
            shares[speaker].sketch_words += word_count(text)
            shares[speaker].sentences += 1
    spoken = sum(x.transcript_words for x in shares.values()) or 1
    written = sum(x.sketch_words for x in shares.values()) or 1
    counted = sum(x.sentences for x in shares.values()) or 1
    for x in shares.values():
        x.transcript_share = x.transcript_words / spoken
        x.sketch_share = x.sketch_words / written
        x.sentence_share = x.sentences / counted
    return [x for x in shares.values() if x.transcript_words or x.sentences or x.role not in CHAIR_ROLES]


def fairness_chart(
    shares: Sequence[Share], title: str = "Share of the transcript and of the sketch"
) -> Markup:
    bars = [
        Bar(
            x.name,
            [x.transcript_share, x.sketch_share, x.sentence_share],
            "spoke and is missing from the sketch" if x.missing else None,
        )
        for x in shares
    ]
    return grouped_bars(bars, FAIRNESS_SERIES, title, percent=True, width=520, label_width=150)


def sketch_fairness(session: Any, transcript: Any, sketch: Any) -> list[Share]:
    """:func:`fairness` of a workbench sketch: the session's participants, the transcript's turns as
    resolved, the sketch's attributed sentences."""
    people = [(p.name, p.role) for p in session.participants]
    turns = [(t.speaker_name, t.text) for t in transcript.turns] if transcript is not None else []
    sentences = [(s.speaker, s.text) for s in sketch.sentences] if sketch is not None else []
    return fairness(people, turns, sentences)


def fairness_view(session: Any, transcript: Any, sketch: Any) -> dict[str, Any]:
    """What the workbench shows beside the editor: the shares, the chart, who is missing."""
    shares = sketch_fairness(session, transcript, sketch)
    return {
        "shares": [x.to_dict() for x in shares],
        "chart": fairness_chart(shares),
        "missing": [x.name for x in shares if x.missing],
        "chair_roles": sorted(CHAIR_ROLES),
    }
