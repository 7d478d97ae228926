"""Charts (issue 17): inline SVG drawn on the server, with a text alternative; the workbench's
fairness chart; the person and conference pages. FICTIONAL panels: invented people and words.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient

from sessionsketch.archive import Archive
from sessionsketch.archive.charts import Bar, Stack, fairness, grouped_bars, stacked_bars
from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch
from sessionsketch.web.app import create_app

from .test_workbench import TRANSCRIPT, _saved_sketch, session_with_transcript

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_svg_is_well_formed_escaped_and_described() -> None:
    chart = stacked_bars(
        [Stack("2023", {"Forum <script>alert(1)</script>": 3, "Other": 1}), Stack("2024", {"Other": 2})],
        "Sentences & sessions",
        "sentences",
    )
    root = parsed(chart)
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert root.find(f"{SVG}title").text == "Sentences & sessions"
    desc = root.find(f"{SVG}desc").text
    assert "2023: 4 sentences" in desc and "2024: 2 sentences" in desc
    assert "<script>" not in str(chart) and "&lt;script&gt;" in str(chart)
    assert "style=" not in str(chart)  # the CSP forbids inline styles
    # bar heights follow the values: 2023's stack is twice 2024's
    heights = {}
    for rect in root.iter(f"{SVG}rect"):
        title = rect.find(f"{SVG}title")
        if title is not None:
            year = title.text.split(",")[0]
            heights[year] = heights.get(year, 0) + float(rect.get("height"))
    assert abs(heights["2023"] - 2 * heights["2024"]) < 0.5


def test_grouped_bars_are_proportional() -> None:
    root = parsed(
        grouped_bars([Bar("Ada", [0.5, 0.25]), Bar("Bo", [0.25, 0.0], flag="missing")], ["a", "b"], "T")
    )
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect") if r.get("data-series") is not None]
    assert widths[0] == 2 * widths[1] == 2 * widths[2]
    assert widths[3] < 1
    assert "missing" in root.find(f"{SVG}desc").text


def test_fairness_shares_and_who_is_missing() -> None:
    shares = fairness(
        [("Oona Brackwater", "moderator"), ("Ada Quillfeather", "speaker"), ("Bo Larkspur", "speaker")],
        [
            ("Oona Brackwater", "Welcome to the panel on harbours."),
            ("Ada Quillfeather", "one two three four five six"),
            ("Bo Larkspur", "one two"),
            (None, "an unresolved label says nothing for anyone"),
        ],
        [
            ("Ada Quillfeather", "Quillfeather said the harbours share tide tables."),
            (None, "The panel closed."),
        ],
    )
    by = {x.name: x for x in shares}
    assert by["Ada Quillfeather"].transcript_share == 6 / 14
    assert (by["Ada Quillfeather"].sketch_share, by["Ada Quillfeather"].sentence_share) == (1.0, 1.0)
    assert by["Bo Larkspur"].missing and not by["Ada Quillfeather"].missing
    assert not by["Oona Brackwater"].missing  # the chair's procedure is not reported


def test_workbench_shows_the_fairness_chart_and_its_svg(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    client, token = editor
    page, sid = session_with_transcript(client, token, map_labels=True)  # SPEAKER_02 is Bo Larkspur
    _saved_sketch(archive, sid)
    html = client.get(page).text
    assert 'id="fairness"' in html and "<svg" in html and "Fairness at a glance" in html
    # Bo Larkspur spoke in the transcript and has no sentence in the sketch: flagged
    missing = re.search(r'<p class="fairness-missing"[^>]*>.*?</p>', html, re.S)
    assert missing and "hidden" not in missing.group(0) and "Bo Larkspur" in missing.group(0)
    assert re.search(r'<tr data-name="Bo Larkspur"[^>]*class="missing"', html)
    svg = client.get(f"{page}/fairness.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)
    assert root.tag == f"{SVG}svg" and "Bo Larkspur" in root.find(f"{SVG}desc").text
    assert TRANSCRIPT.exists()


def _career(archive: Archive) -> None:
    for year, affiliation in ((2021, "Institute of Imaginary Affairs"), (2023, "University of Nowhere")):
        archive.publish(
            Sketch(
                metadata=Metadata(
                    conference=f"Fictional Forum {year}",
                    session=f"Harbour Session {year}",
                    date=dt.date(year, 5, 1),
                    speakers=[
                        PersonRef("Ada Quillfeather", affiliation),
                        PersonRef("Bo Larkspur", "Cloud Ministry"),
                    ],
                ),
                paragraphs=[
                    Paragraph(
                        speaker="Ada Quillfeather",
                        sentences=[
                            Sentence(
                                f"Quillfeather said the lighthouse keepers need tide tables in {year}.",
                                "Ada Quillfeather",
                            ),
                            Sentence(
                                "She added that lighthouse keepers deserve brighter lamps.",
                                "Ada Quillfeather",
                            ),
                        ],
                    ),
                    Paragraph(
                        speaker="Bo Larkspur",
                        sentences=[
                            Sentence(
                                "Larkspur warned that cloud tariffs could hurt the harbours.", "Bo Larkspur"
                            )
                        ],
                    ),
                ],
            ),
            source_key=f"career-{year}.json",
        )


def test_person_page_has_a_timeline_words_and_sessions(archive: Archive) -> None:
    _career(archive)
    client = TestClient(create_app(archive), base_url="https://testserver")
    html = client.get("/people/Ada Quillfeather").text
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(svgs) == 2
    timeline = parsed(svgs[0])
    desc = timeline.find(f"{SVG}desc").text
    # a year without sessions is shown as a gap
    assert "2021: 2 sentences" in desc and "2022: 0 sentences" in desc and "2023: 2 sentences" in desc
    assert 'id="timeline-table"' in html and "<td>2023</td>" in html
    assert "lighthouse" in html and 'class="words"' in html
    # sentences grouped by session, newest session first
    groups = re.findall(r'<section class="session-group">\s*<h3><a href="/sketches/\d+">([^<]+)</a>', html)
    assert groups == ["Harbour Session 2023", "Harbour Session 2021"]
    assert "University of Nowhere" in html and "Institute of Imaginary Affairs" in html


def test_conference_page_has_years_and_who_spoke_most(archive: Archive) -> None:
    _career(archive)
    client = TestClient(create_app(archive), base_url="https://testserver")
    html = client.get("/conferences/Fictional Forum 2023").text
    assert len(re.findall(r"<svg ", html)) == 2 and 'id="speakers-table"' in html
    rows = re.findall(r'<tr><td><a href="/people/[^"]+">([^<]+)</a></td><td>(\d+)</td>', html)
    assert rows == [("Ada Quillfeather", "2"), ("Bo Larkspur", "1")]


def test_person_pages_split_sessions_and_keep_their_order(any_archive: Archive) -> None:
    expected = []
    for n, day in enumerate((dt.date(2022, 1, 5), dt.date(2024, 1, 5), dt.date(2023, 1, 5))):
        lines = [f"Quillfeather noted harbour fact {n}-{i}." for i in range(7)]
        any_archive.publish(
            Sketch(
                metadata=Metadata(conference="Fictional Forum", session=f"Session {n}", date=day),
                paragraphs=[
                    Paragraph(
                        speaker="Ada Quillfeather",
                        sentences=[Sentence(t, "Ada Quillfeather") for t in lines[:4]],
                    ),
                    Paragraph(
                        speaker="Ada Quillfeather",
                        sentences=[Sentence(t, "Ada Quillfeather") for t in lines[4:]],
                    ),
                ],
            ),
            source_key=f"s{n}.json",
        )
        expected.append((day, lines))
    order = [t for _, lines in sorted(expected, reverse=True) for t in lines]  # newest session first
    seen = []
    for offset in range(0, 25, 5):
        person = any_archive.person("Ada Quillfeather", limit=5, offset=offset)
        assert person is not None and person["total"] == 21
        seen += [s["sentence"] for s in person["sentences"]]
        assert person["has_more"] == (offset + 5 < 21)
    assert seen == order
    assert {(t["year"], t["sessions"], t["sentences"]) for t in person["timeline"]} == {
        (2022, 1, 7),
        (2023, 1, 7),
        (2024, 1, 7),
    }
