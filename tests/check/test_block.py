"""Rule ``block``: the metadata block is complete, well formed and agrees with the programme."""

from __future__ import annotations

import datetime as dt

from sessionsketch.checks import run_checks


def _rules(sketch, programme=None, source_text=None):
    return sorted(f.rule for f in run_checks(sketch, programme, only=["block"], source_text=source_text))


def test_complete_block_has_no_findings(sketch, programme) -> None:
    assert _rules(sketch, programme) == []
    assert _rules(sketch) == []


def test_missing_entries_are_reported(sketch) -> None:
    meta = sketch.metadata
    meta.date = None
    meta.start = meta.end = None
    meta.rapporteur = meta.moderator = None
    sketch.disclaimer = None
    assert _rules(sketch) == [
        "block.date",
        "block.disclaimer",
        "block.moderator",
        "block.rapporteur",
        "block.time",
    ]


def test_malformed_date_and_backwards_time_range(sketch) -> None:
    sketch.metadata.date = None
    sketch.metadata.start, sketch.metadata.end = "14:30", "13:00"
    findings = run_checks(sketch, only=["block"], source_text="**Date/Time:** Apirl 32nd / 14:30-13:00\n")
    messages = {f.rule: f.message for f in findings}
    assert "'Apirl 32nd / 14:30-13:00' cannot be read" in messages["block.date"]
    assert "ends before it starts" in messages["block.time"]
    assert next(f for f in findings if f.rule == "block.date").location.line == 1


def test_block_must_agree_with_the_programme(sketch, programme) -> None:
    sketch.metadata.date = dt.date(2031, 5, 7)
    sketch.metadata.start = "09:00"
    sketch.metadata.speakers = sketch.metadata.speakers[:2]
    findings = run_checks(sketch, programme, only=["block"])
    assert sorted(f.rule for f in findings) == ["block.date", "block.speakers", "block.time"]
    assert any("Tan Weiming" in f.message for f in findings if f.rule == "block.speakers")
