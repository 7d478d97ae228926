"""Rule ``names``: misspelt participants flagged with the right spelling, others left alone."""

from __future__ import annotations

from sessionsketch.checks import apply_fixes, run_checks
from sessionsketch.checks.names import NameFinder
from sessionsketch.model import Paragraph, Person, PersonRef, Sentence, Sketch

from .conftest import SPEAKERS


def _names(sketch, programme):
    return [f for f in run_checks(sketch, programme, only=["names"])]


def _with_sentence(sketch: Sketch, text: str) -> Sketch:
    sketch.paragraphs.append(Paragraph([Sentence(text)]))
    return sketch


def test_correct_sketch_has_no_name_findings(sketch, programme) -> None:
    assert _names(sketch, programme) == []


def test_legitimate_forms_are_not_flagged(sketch, programme) -> None:
    text = (
        "Dr Quill agreed with Professor Otterly, and Tan Weiming with Weiming Tan; "
        "Ms Ada Quill and Bram Otterly's colleague Tan spoke last."
    )
    assert _names(_with_sentence(sketch, text), programme) == []


def test_non_participants_are_never_flagged(sketch, programme) -> None:
    text = "Kim Jong-un and Donald Trump met in Hanoi, while Gerald Plume of Seaview watched Tan Jing-wei."
    assert _names(_with_sentence(sketch, text), programme) == []


def test_near_misses_are_flagged_with_the_right_spelling(sketch, programme) -> None:
    text = "Dr Quil noted this, Bram Oterly agreed, and Tan Weiming disagreed with Tan Weiming."
    sketch.paragraphs[0].sentences[0].text = "Ada Quiill noted that the two towns chose to go further."
    sketch = _with_sentence(sketch, text)
    found = {(f.fix.old, f.fix.new) for f in _names(sketch, programme) if f.fix}
    assert found == {("Ada Quiill", "Ada Quill"), ("Quil", "Quill"), ("Bram Oterly", "Bram Otterly")}
    finding = next(f for f in _names(sketch, programme) if f.fix and f.fix.old == "Ada Quiill")
    assert finding.rule == "names.misspelt" and finding.severity == "error"
    assert (finding.location.paragraph, finding.location.sentence) == (0, 0)
    assert "Ada Quill" in finding.suggestion


def test_fixes_change_only_the_misspelt_names(sketch, programme) -> None:
    sketch = _with_sentence(sketch, "Later, Otterlly said that Quill was right.")
    fixed = apply_fixes(sketch, _names(sketch, programme))
    assert fixed.paragraphs[-1].sentences[0].text == "Later, Otterly said that Quill was right."
    assert fixed.paragraphs[0].sentences[0].text == sketch.paragraphs[0].sentences[0].text
    assert _names(fixed, programme) == []


def test_block_names_and_affiliations_must_match_the_programme(sketch, programme) -> None:
    sketch.metadata.speakers[1] = PersonRef("Bram Oterly", "Northern Fisheries Board")
    sketch.metadata.speakers[2] = PersonRef("Tan Weiming", "Saltmarsh College")
    findings = _names(sketch, programme)
    assert {(f.rule, f.fix.old, f.fix.new) for f in findings if f.fix} == {
        ("names.misspelt", "Bram Oterly", "Bram Otterly"),
        ("names.affiliation", "Saltmarsh College", "Saltmarsh University"),
    }
    fixed = apply_fixes(sketch, findings)
    assert [p.name for p in fixed.metadata.speakers] == [p.name for p in SPEAKERS]
    assert fixed.metadata.speakers[2].affiliation == "Saltmarsh University"
    assert _names(fixed, programme) == []


def test_acronyms_dates_and_common_words_are_not_names() -> None:
    finder = NameFinder([Person("Scott Simms"), Person("Michael Chong"), Person("Yvonne Jones")])
    text = "SMEs in China got a Bank loan by June3, said Simms; Jonse said so too."
    got = [(m.kind, m.written, m.right) for m in finder.mentions(text)]
    assert got == [("exact", "Simms", None), ("near", "Jonse", "Jones")]


def test_reference_sketch_reports_soeya_yoshida_only(reference_txt) -> None:
    from sessionsketch.files import read_text
    from sessionsketch.readers.programme import load_programme

    from ..conftest import EXAMPLES

    programme = load_programme(EXAMPLES / "asan-plenum-2019-rok-us-alliance" / "programme.yaml")
    finder = NameFinder(programme.session.people)
    mentions = list(finder.mentions(read_text(reference_txt)))
    near = [(m.written, m.right) for m in mentions if m.kind == "near"]
    assert near == [("Soeya Yoshida", "Soeya Yoshihide")]
    exact = {m.person.name for m in mentions if m.kind == "exact"}
    assert exact == {p.name for p in programme.session.people}


def test_names_rule_works_on_raw_text(reference_txt) -> None:
    from sessionsketch.files import read_text
    from sessionsketch.pipeline import plain_sketch
    from sessionsketch.readers.programme import load_programme

    from ..conftest import EXAMPLES

    programme = load_programme(EXAMPLES / "asan-plenum-2019-rok-us-alliance" / "programme.yaml")
    text = read_text(reference_txt)
    findings = run_checks(plain_sketch(text), programme, only=["names"], source_text=text)
    assert [(f.fix.old, f.fix.new, f.location.line) for f in findings if f.fix] == [
        ("Soeya Yoshida", "Soeya Yoshihide", 69)
    ]


def test_qmsum_meeting_names_right_and_wrong(qmsum_dir) -> None:
    from sessionsketch.pipeline import read_transcript

    transcript = read_transcript(qmsum_dir / "val" / "education_0.json")
    people = list({t.speaker.name: t.speaker for t in transcript.turns if t.speaker}.values())
    right = " ".join(f"{p.name} spoke, and later {p.family_name} said so." for p in people)
    finder = NameFinder(people)
    assert [m for m in finder.mentions(right) if m.kind != "exact"] == []
    assert [
        (m.written, m.right) for m in finder.mentions("Later Gethng noted that, and so did Lynne Naegle.")
    ] == [
        ("Gethng", "Gething"),
        ("Lynne Naegle", "Lynne Neagle"),
    ]
