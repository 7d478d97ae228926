"""Rule ``coverage``: every listed speaker reported on, nobody else, in proportion."""

from __future__ import annotations

from sessionsketch.checks import run_checks
from sessionsketch.model import Sentence, Turn

from .conftest import QUILL


def _coverage(sketch, programme, transcript=None):
    return run_checks(sketch, programme, transcript, only=["coverage"])


def test_full_coverage_has_no_findings(sketch, programme, transcript) -> None:
    assert _coverage(sketch, programme, transcript) == []


def test_a_listed_speaker_never_reported_on(sketch, programme) -> None:
    sketch.paragraphs = [p for p in sketch.paragraphs if p.speaker != "Bram Otterly"]
    findings = _coverage(sketch, programme)
    assert [(f.rule, f.message.split(" is")[0]) for f in findings] == [("coverage.missing", "Bram Otterly")]


def test_reporting_on_someone_not_on_the_programme(sketch, programme) -> None:
    sketch.paragraphs[1].sentences.append(Sentence("Gerald Plume noted that the ferries were late."))
    sketch.paragraphs[1].sentences.append(Sentence("He said the tide was high.", "Gerald Plume"))
    findings = _coverage(sketch, programme)
    assert sorted(f.rule for f in findings) == ["coverage.outsider", "coverage.outsider"]
    assert all(f.location.paragraph == 1 for f in findings)


def test_body_shares_far_out_of_line_with_speaking_time(sketch, programme, transcript) -> None:
    long_turn = "The ferry timetable matters to every harbour family and every trader in town. " * 40
    transcript.turns.append(Turn(4, "Ada Quill", long_turn, QUILL))
    findings = _coverage(sketch, programme, transcript)
    assert {f.rule for f in findings} == {"coverage.share"}
    quill = next(f for f in findings if f.message.startswith("Ada Quill has"))
    assert "of the body but 9" in quill.message  # about 40% of the body, 90-odd % of the time
