"""Rule ``unattributed``: no names, affiliations or identifying roles in a Chatham House body."""

from __future__ import annotations

from sessionsketch.checks import run_checks
from sessionsketch.model import Paragraph, Sentence, Sketch


def _sketch(*texts: str) -> Sketch:
    return Sketch(paragraphs=[Paragraph([Sentence(t) for t in texts])])


def test_clean_unattributed_body(programme) -> None:
    sketch = _sketch(
        "One speaker noted that lighthouse trade has doubled.",
        "Another participant called for a subsidy scheme for small boats, as Kim Jong-un never did.",
    )
    assert run_checks(sketch, programme, unattributed=True, only=["unattributed"]) == []


def test_names_affiliations_and_roles_are_errors(programme) -> None:
    sketch = _sketch(
        "Quill noted that lighthouse trade has doubled.",
        "A researcher from Saltmarsh University said the marsh is shrinking.",
        "The moderator asked whether the wall would hold.",
        "Bram Oterly called for subsidies.",
    )
    findings = run_checks(sketch, programme, unattributed=True, only=["unattributed"])
    assert [(f.rule, f.location.sentence) for f in findings] == [
        ("unattributed.name", 0),
        ("unattributed.affiliation", 1),
        ("unattributed.role", 2),
        ("unattributed.name", 3),
    ]
    assert all(f.severity == "error" for f in findings)


def test_rule_runs_only_for_unattributed_sketches(programme) -> None:
    sketch = _sketch("Quill noted that lighthouse trade has doubled.")
    assert run_checks(sketch, programme, unattributed=False, only=["unattributed"]) == []


def test_who_said_what_rules_do_not_run_on_unattributed_sketches(programme, transcript) -> None:
    sketch = _sketch("One speaker noted that lighthouse trade has doubled.")
    sketch.paragraphs[0].sentences[0].speaker = "Bram Otterly"  # would be misattributed
    findings = run_checks(sketch, programme, transcript, unattributed=True)
    assert not [f for f in findings if f.rule.startswith(("coverage.", "support."))]
    assert [f for f in run_checks(sketch, programme, transcript) if f.rule == "support.misattributed"]
