"""Metadata forms, name splitting and attribution rules, one at a time (fictional people)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sessionsketch.analysis.attribute import attribute_sketch, infer_family_name_first
from sessionsketch.cli import run
from sessionsketch.model import Metadata, Paragraph, Person, PersonRef, Sentence, Sketch
from sessionsketch.readers.sketch_text import parse_date, parse_times, split_conference, split_person


@pytest.mark.parametrize(
    ("text", "date", "start", "end"),
    [
        ("April 23, 2019 / 13:00-14:30", dt.date(2019, 4, 23), "13:00", "14:30"),
        ("23 April 2019, 13:00–14:30", dt.date(2019, 4, 23), "13:00", "14:30"),
        ("2019-04-23 13:00 – 14:30", dt.date(2019, 4, 23), "13:00", "14:30"),
        ("Tuesday, April 23, 2019, 1:00 pm - 2:30 pm", dt.date(2019, 4, 23), "13:00", "14:30"),
        ("23rd of April 2019, 10:30 a.m. to 12:00 p.m.", dt.date(2019, 4, 23), "10:30", "12:00"),
        ("Apr. 3, 2020 / 1-2:30 p.m.", dt.date(2020, 4, 3), "13:00", "14:30"),
        ("11 Sept 2021, 9:00", dt.date(2021, 9, 11), "09:00", None),
    ],
)
def test_date_and_time_forms(text, date, start, end) -> None:
    got_date, rest = parse_date(text)
    assert got_date == date
    assert parse_times(rest) == (start, end)


@pytest.mark.parametrize(
    ("text", "name", "affiliation"),
    [
        (
            "Sue Mi Terry, Center for Strategic and International Studies",
            "Sue Mi Terry",
            "Center for Strategic and International Studies",
        ),
        (
            "Troy Stangarone, Korea Economic Institute of America",
            "Troy Stangarone",
            "Korea Economic Institute of America",
        ),
        (
            "Ines Halvorsen, Institute for Coastal Studies, Velmora",
            "Ines Halvorsen",
            "Institute for Coastal Studies, Velmora",
        ),
        (
            "Tadeo R. Marquand, Jr., Velmora Institute of Engineering",
            "Tadeo R. Marquand, Jr.",
            "Velmora Institute of Engineering",
        ),
        (
            "Mara Quell, PhD, University of Oster, Department of Tides",
            "Mara Quell, PhD",
            "University of Oster, Department of Tides",
        ),
        ("Lin Qiao (Coastal Insurance Council)", "Lin Qiao", "Coastal Insurance Council"),
        ("Orla Brennick", "Orla Brennick", None),
    ],
)
def test_name_and_affiliation_split_at_first_comma_after_the_name(text, name, affiliation) -> None:
    assert split_person(text) == PersonRef(name, affiliation)


def test_conference_and_quoted_theme() -> None:
    assert split_conference("Asan Plenum 2019: “Korea’s Choice”") == ("Asan Plenum 2019", "Korea’s Choice")
    assert split_conference('Velmora Forum 2031: "Living with Water"') == (
        "Velmora Forum 2031",
        "Living with Water",
    )


def test_family_name_first_inferred_from_the_text() -> None:
    people = [Person("Soeya Yoshihide"), Person("Orla Brennick"), Person("Park Ji-woo"), Person("Zhu Feng")]
    inferred = infer_family_name_first(people, "Soeya noted that the quays matter. Brennick said so too.")
    assert [p.family_name for p in inferred] == ["Soeya", "Brennick", "Park", "Zhu"]
    assert people[0].family_name == "Yoshihide"  # the caller's people are not changed


def _sketch(*paragraphs: list[str], speakers: list[str]) -> Sketch:
    return Sketch(
        metadata=Metadata(speakers=[PersonRef(n) for n in speakers]),
        paragraphs=[Paragraph([Sentence(t) for t in p]) for p in paragraphs],
    )


def test_a_leader_sharing_a_family_name_never_takes_the_sentence() -> None:
    sketch = _sketch(
        ["Kim Sung-han noted that the talks had stalled.", "Kim Jong-un said little in public."],
        ["Orla Brennick argued that Kim Jong-un wants relief.", "Kim will wait, in her view."],
        ["Kim noted that the next summit matters."],
        speakers=["Kim Sung-han", "Orla Brennick"],
    )
    got = [s.speaker for s in attribute_sketch(sketch).sentences]
    assert got == ["Kim Sung-han", "Kim Sung-han", "Orla Brennick", "Orla Brennick", "Kim Sung-han"]


def test_people_talked_about_and_objects_do_not_switch() -> None:
    sketch = _sketch(
        ["The session asked how towns adapt."],
        [
            "Tadeo Marquand said the quays work.",
            "Governor Falk disagrees, and Brennick has doubts.",
            "Moon visited.",
        ],
        speakers=["Orla Brennick", "Tadeo Marquand"],
    )
    out = attribute_sketch(sketch)
    assert [s.speaker for s in out.sentences] == [None, "Tadeo Marquand", "Tadeo Marquand", "Tadeo Marquand"]
    assert "opening framing" in out.sentences[0].why
    assert "Brennick named, but not as the reporter" in out.sentences[2].why


def test_middle_initial_and_misspelt_family_name() -> None:
    sketch = _sketch(
        ["Sydney Seiler noted that drills resumed.", "Knaper pushed back on that."],
        speakers=["Sydney A. Seiler", "Marc Knapper"],
    )
    out = attribute_sketch(sketch).sentences
    assert [s.speaker for s in out] == ["Sydney A. Seiler", "Marc Knapper"]
    assert "misspelt" in out[1].why and out[1].confidence < out[0].confidence


def test_given_people_override_the_block() -> None:
    sketch = _sketch(["Brennick said the walls buy time."], speakers=[])
    out = attribute_sketch(
        sketch, [Person("Orla Brennick", role="speaker"), Person("Ines Halvorsen", role="rapporteur")]
    )
    assert out.sentences[0].speaker == "Orla Brennick"
    assert sketch.sentences[0].speaker is None  # the input is not changed


def test_cli_prints_json_and_explains(fictional_files, capsys) -> None:
    assert run(["parse", str(fictional_files["md"]), "--explain"]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["metadata"]["session"] == "Harbours at Risk"
    assert doc["paragraphs"][1]["sentences"][0]["speaker"] == "Orla Brennick"
    assert "¶2.1  Orla Brennick  0.95" in captured.err
    assert "opening framing paragraph" in captured.err


def test_cli_parses_a_folder(fictional_files, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert run(["parse", str(fictional_files["md"].parent), "-o", str(out)]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        "marked.html.json",
        "panel.docx.json",
        "panel.html.json",
        "panel.md.json",
        "panel.pdf.json",
    ]
    assert "parsed 5 of 5" in capsys.readouterr().err
    doc = json.loads((out / "panel.pdf.json").read_text())
    assert doc["metadata"]["speakers"][2]["name"] == "Park Ji-woo"


def test_the_moderator_by_role() -> None:
    sketch = Sketch(
        metadata=Metadata(moderator=PersonRef("Dalia Okonkwo-Reyes"), speakers=[PersonRef("Orla Brennick")]),
        paragraphs=[
            Paragraph(
                [
                    Sentence("Orla Brennick argued that walls buy time."),
                    Sentence("The moderator then asked about money."),
                ]
            )
        ],
    )
    got = attribute_sketch(sketch).sentences
    assert [s.speaker for s in got] == ["Orla Brennick", "Dalia Okonkwo-Reyes"]
    assert "The moderator then asked" in got[1].why


def test_metadata_in_tables_and_definition_lists(tmp_path) -> None:
    import docx

    from sessionsketch.readers import read_sketch

    body = "Orla Brennick argued that sea walls buy time but not safety, and that towns must move inland."
    md = tmp_path / "t.md"
    md.write_text(
        "# Session Sketch\n\n| | |\n|---|---|\n| **Session:** | Harbours at Risk |\n"
        "| Date/Time | 23 April 2031, 1:00 pm - 2:30 pm |\n| Moderator | Dalia Okonkwo-Reyes, Velmora Radio |\n\n"
        f"**Speakers:**\n\n- Orla Brennick, Harbour Towns Alliance\n- Lin Qiao, Coastal Council\n\n{body}\n",
        encoding="utf-8",
    )
    html = tmp_path / "t.html"
    html.write_text(
        "<html><body><h1>Session Sketch</h1><table><tr><th>Session</th><td>Harbours at Risk</td></tr>"
        "<tr><th>Date/Time</th><td>2031-04-23, 13:00-14:30</td></tr></table><dl><dt>Moderator</dt>"
        "<dd>Dalia Okonkwo-Reyes, Velmora Radio</dd><dt>Speakers</dt><dd>Orla Brennick, Harbour Towns Alliance</dd>"
        f"<dd>Lin Qiao, Coastal Council</dd></dl><p>{body}</p></body></html>",
        encoding="utf-8",
    )
    document = docx.Document()
    table = document.add_table(rows=0, cols=2)
    for label, value in (
        ("Session", "Harbours at Risk"),
        ("Date/Time", "April 23, 2031 / 13:00-14:30"),
        ("Moderator", "Dalia Okonkwo-Reyes, Velmora Radio"),
        ("Speakers", "Orla Brennick, Harbour Towns Alliance"),
        ("", "Lin Qiao, Coastal Council"),
    ):
        row = table.add_row().cells
        row[0].text, row[1].text = label, value
    document.add_paragraph(body)
    path = tmp_path / "t.docx"
    document.save(path)
    for source in (md, html, path):
        m = read_sketch(source).metadata
        assert (m.session, m.date, m.start, m.end) == (
            "Harbours at Risk",
            dt.date(2031, 4, 23),
            "13:00",
            "14:30",
        ), source
        assert m.moderator == PersonRef("Dalia Okonkwo-Reyes", "Velmora Radio"), source
        assert [p.name for p in m.speakers] == ["Orla Brennick", "Lin Qiao"], source
        assert [s.text for s in read_sketch(source).sentences] == [body], source


def test_html_marks_on_paragraphs_and_sentences_with_evidence(tmp_path) -> None:
    from sessionsketch.pipeline import parse_sketch

    path = tmp_path / "marked.html"
    path.write_text(
        "<html><body><p><b>Speakers:</b> Orla Brennick, Harbour Towns Alliance; Lin Qiao, Coastal Council</p>"
        '<p data-speaker="Orla Brennick"><span data-speaker="Orla Brennick" '
        'data-evidence=\'[{"turn": 3, "start": 0, "end": 40}]\'>She said walls buy time.</span> '
        '<span data-speaker="">The town agreed.</span></p>'
        '<p><span data-speaker="Lin Qiao" data-evidence="7:10-52">Premiums rise.</span></p></body></html>',
        encoding="utf-8",
    )
    sketch = parse_sketch(path)
    assert [p.name for p in sketch.metadata.speakers] == ["Orla Brennick", "Lin Qiao"]
    assert [(s.text, s.speaker) for s in sketch.sentences] == [
        ("She said walls buy time.", "Orla Brennick"),
        ("The town agreed.", None),
        ("Premiums rise.", "Lin Qiao"),
    ]
    assert [e.to_dict() for e in sketch.sentences[0].evidence] == [{"turn": 3, "start": 0, "end": 40}]
    assert [e.to_dict() for e in sketch.sentences[2].evidence] == [{"turn": 7, "start": 10, "end": 52}]
