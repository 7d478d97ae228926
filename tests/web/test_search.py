"""Search as an analyst uses it (issue 17), over SQLite and PostgreSQL: the query syntax and its
errors, highlighted words and snippets, facets, filters on stored values, duplicates shown once,
exports. FICTIONAL panels: invented people, invented words.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from fastapi.testclient import TestClient

from sessionsketch.archive import Archive, SearchFilters
from sessionsketch.archive.query import QuerySyntaxError, parse_query
from sessionsketch.archive.search import export_hits
from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch
from sessionsketch.web.app import create_app

LONG_TAIL = " ".join(["and the gulls circled the old pier while the tide came in"] * 4)


def forum(year: int, session: str, lines: list[tuple[str, str, str]], conference: str = "") -> Sketch:
    """A sketch of ``lines`` = [(speaker, affiliation, sentence)]."""
    people: dict[str, str] = {}
    paragraphs: list[Paragraph] = []
    for speaker, affiliation, text in lines:
        people.setdefault(speaker, affiliation)
        if not paragraphs or paragraphs[-1].speaker != speaker:
            paragraphs.append(Paragraph(speaker=speaker))
        paragraphs[-1].sentences.append(Sentence(text, speaker))
    return Sketch(
        metadata=Metadata(
            conference=conference or f"Fictional Forum {year}",
            session=session,
            date=dt.date(year, 3, 1),
            speakers=[PersonRef(n, a) for n, a in people.items()],
        ),
        paragraphs=paragraphs,
    )


ADA = ("Ada Quillfeather", "Institute of Imaginary Affairs")
BO = ("Bo Larkspur", "Cloud_Ministry 100%")
CY = ("Cy Marram", "Paper Harbour Council")


def fill(a: Archive) -> dict[str, int]:
    ids = {}
    ids["tides"], _ = a.publish(
        forum(
            2023,
            "Tide Tables",
            [
                (*ADA, "Quillfeather argued that the lighthouse alliance needs new tide tables."),
                (*ADA, "She said harbour fees should fall before the winter, " + LONG_TAIL + "."),
                (*BO, "Larkspur warned that cloud tariffs could hurt the alliance."),
            ],
        ),
        source_key="tides.json",
    )
    ids["lamps"], _ = a.publish(
        forum(
            2024,
            "Lamp Funds",
            [
                (*CY, "Marram proposed an educational lamp fund for the harbour schools."),
                (*BO, "Larkspur said the educators had asked for brighter lamps."),
            ],
        ),
        source_key="lamps.json",
    )
    # the same sketch imported again under another name: its sentences are published twice
    ids["tides-copy"], _ = a.publish(
        forum(
            2023,
            "Tide Tables",
            [(*ADA, "Quillfeather argued that the lighthouse alliance needs new tide tables.")],
            conference="Fictional Forum 2023 (copy)",
        ),
        source_key="tides-copy.json",
    )
    return ids


def test_the_query_syntax_is_read_the_same_for_both_backends() -> None:
    q = parse_query('"tide tables" OR fees -cloud educat* what did Ada say')
    assert q.show() == '"tide tables" OR fees educat* ada -cloud'
    assert q.fts5() == '(("tide tables" OR "fees") AND "educ"* AND "ada") NOT "cloud"'
    assert q.tsquery() == "(('tide' <-> 'tables') | 'fees') & 'educ':* & 'ada' & !'cloud'"
    assert parse_query("What did Zhu Feng say about the alliance?").terms == ["zhu", "feng", "alliance"]
    # nothing but stop words: they are searched for rather than nothing
    assert parse_query("the").terms == ["the"]
    # a hyphenated word is a phrase, not an exclusion
    assert parse_query("covid-19").fts5() == '"covid 19"'


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ('"tide tables', "quote is not closed"),
        ("fees OR", "OR needs something"),
        ("OR fees", "OR needs something"),
        ("fees OR OR tides", "OR needs something"),
        ("-cloud -tariffs", "only words to leave out"),
        ("e*", "at least 2 letters"),
        ("ti*de", "only at the end"),
        ('ti"de', "quote in the middle"),
    ],
)
def test_a_query_that_cannot_be_read_says_why(query: str, says: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert says in str(caught.value) and "\n" not in str(caught.value)


def test_phrases_or_exclusion_prefix_and_highlighting(any_archive: Archive) -> None:
    a = any_archive
    fill(a)
    said = lambda q: sorted(h.sentence for h in a.find(q).hits)  # noqa: E731
    assert said('"tide tables"') == [
        "Quillfeather argued that the lighthouse alliance needs new tide tables."
    ]
    assert said('"tables tide"') == []
    assert len(said("tariffs OR fees")) == 2
    assert said("alliance -cloud") == [
        "Quillfeather argued that the lighthouse alliance needs new tide tables."
    ]
    # a prefix finds the words it starts, however the index stems them
    assert said("educat*") == [
        "Larkspur said the educators had asked for brighter lamps.",
        "Marram proposed an educational lamp fund for the harbour schools.",
    ]
    hit = a.find("tariffs alliance").hits[0]
    assert [t for t, matched in hit.parts if matched] == ["tariffs", "alliance"]
    assert "".join(t for t, _ in hit.parts) == hit.sentence
    assert hit.to_dict()["highlight"] == (
        "Larkspur warned that cloud <mark>tariffs</mark> could hurt the <mark>alliance</mark>."
    )
    # a long sentence comes with a snippet around the match; a short one has none
    long_hit = a.find("winter").hits[0]
    assert long_hit.snippet_parts is not None
    snippet = "".join(t for t, _ in long_hit.snippet_parts)
    assert "winter" in snippet and len(snippet.split()) < len(long_hit.sentence.split()) / 2
    assert hit.snippet_parts is None


def test_facets_count_the_matches_and_narrow(any_archive: Archive) -> None:
    a = any_archive
    fill(a)
    result = a.find("alliance OR lamps OR lamp")
    assert result.facets is not None
    speakers = {f.value: f.count for f in result.facets["speaker"]}
    assert speakers == {"Ada Quillfeather": 2, "Bo Larkspur": 2, "Cy Marram": 1}
    assert {f.value: f.count for f in result.facets["year"]} == {"2023": 3, "2024": 2}
    assert {f.value for f in result.facets["conference"]} == {
        "Fictional Forum 2023",
        "Fictional Forum 2024",
        "Fictional Forum 2023 (copy)",
    }
    narrowed = a.find("alliance OR lamps OR lamp", SearchFilters(speaker="Bo Larkspur", year=2024))
    assert [h.sentence for h in narrowed.hits] == [
        "Larkspur said the educators had asked for brighter lamps."
    ]
    assert narrowed.total == 1


def test_filters_name_stored_values_and_wildcards_are_characters(any_archive: Archive) -> None:
    a = any_archive
    fill(a)
    by = lambda **f: {h.speaker for h in a.find("alliance OR lamps", SearchFilters(**f)).hits}  # noqa: E731
    assert by(affiliation="cloud_ministry 100%") == {"Bo Larkspur"}
    assert by(affiliation="100%") == {"Bo Larkspur"}
    # '%' and '_' match only themselves, never anything
    assert by(affiliation="%") == {"Bo Larkspur"}  # the one affiliation with a '%' in it
    assert by(affiliation="_") == {"Bo Larkspur"}
    assert by(affiliation="Institute%Affairs") == set()
    assert by(affiliation="Institute_of") == set()
    assert by(affiliation="Cloud Ministry") == set()
    assert by(session="lamp funds") == {"Bo Larkspur", "Cy Marram"}
    # a conference named exactly is that one, not every one that contains it
    assert len(a.find("alliance", SearchFilters(conference="Fictional Forum 2023")).hits) == 2
    assert len(a.find("alliance", SearchFilters(conference="fictional forum 2023 (copy)")).hits) == 1
    assert len(a.find("alliance", SearchFilters(conference="forum 2023")).hits) == 2


def test_a_sentence_published_twice_is_shown_once(any_archive: Archive) -> None:
    a = any_archive
    ids = fill(a)
    hits = a.find("lighthouse").hits
    assert len(hits) == 1
    hit = hits[0]
    assert hit.copies == 2 and hit.sketch_id == ids["tides"]
    assert [x["sketch_id"] for x in hit.also_in] == [ids["tides-copy"]]
    assert hit.also_in[0]["conference"] == "Fictional Forum 2023 (copy)"
    # the plain list (a person's page) still sees every copy
    assert len(a.search("lighthouse")[0]) == 2
    assert a.counts()["sentences"] == 6


def test_search_page_api_and_exports(any_archive: Archive) -> None:
    a = any_archive
    ids = fill(a)
    client = TestClient(create_app(a), base_url="https://testserver")
    page = client.get("/search", params={"q": "alliance"})
    assert page.status_code == 200
    assert "lighthouse <mark>alliance</mark>" in page.text
    assert f'href="/sketches/{ids["tides"]}#p0-s0"' in page.text
    assert "also in" in page.text and f'href="/sketches/{ids["tides-copy"]}"' in page.text
    assert (
        'data-facet="speaker"' in page.text and "?q=alliance&amp;speaker=Bo+Larkspur&amp;page=1" in page.text
    )
    # a syntax error is a line under the box, never a 500
    bad = client.get("/search", params={"q": '"alliance'})
    assert bad.status_code == 200 and 'class="query-error"' in bad.text and "not closed" in bad.text
    api_bad = client.get("/api/search", params={"q": "-alliance"})
    assert api_bad.status_code == 400 and "only words to leave out" in api_bad.json()["detail"]
    body = client.get("/api/search", params={"q": "alliance", "year": "2023"}).json()
    assert body["total"] == 2 and body["facets"]["year"] == [{"value": "2023", "count": 3}]
    exported = client.get("/search/export.csv", params={"q": "alliance OR brighter", "year": "2024"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["speaker"] for r in rows] == ["Bo Larkspur"]
    assert rows[0]["link"] == f"https://testserver/sketches/{ids['lamps']}#p1-s0"
    js = client.get("/search/export.json", params={"q": "lighthouse"}).json()
    assert js["hits"][0]["copies"] == 2
    assert js["hits"][0]["also_in"] == [f"https://testserver/sketches/{ids['tides-copy']}"]
    assert client.get("/search/export.xml", params={"q": "x"}).status_code == 404
    assert client.get("/search/export.csv", params={"q": '"x'}).status_code == 400


def test_a_sentence_that_looks_like_a_formula_is_not_one_in_the_csv(tmp_path, archive: Archive) -> None:  # type: ignore[no-untyped-def]
    archive.publish(forum(2024, "Sums", [(*ADA, "=1+2 was all Quillfeather wrote on the lamp board.")]))
    client = TestClient(create_app(archive), base_url="https://testserver")
    rows = list(csv.DictReader(io.StringIO(client.get("/search/export.csv", params={"q": "lamp"}).text)))
    assert rows[0]["sentence"] == "'=1+2 was all Quillfeather wrote on the lamp board."


def test_an_archive_made_before_the_search_indexes_gets_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sessionsketch.archive import open_archive

    a = open_archive(tmp_path / "data")
    fill(a)
    with a._borrow() as conn:  # as an archive from before issue 17 was
        for statement in (
            "DROP INDEX sentences_affiliation",
            "DROP INDEX sentences_conference",
            "DROP INDEX appearances_affiliation",
            "DROP TABLE sentences_vocab",
        ):
            conn.execute(statement)
    a.close()
    b = open_archive(tmp_path / "data")
    names = {r["name"] for r in b._rows("SELECT name FROM sqlite_master")}
    assert {
        "sentences_affiliation",
        "sentences_conference",
        "appearances_affiliation",
        "sentences_vocab",
    } <= names
    assert [h.speaker for h in b.find("alliance", SearchFilters(affiliation="100%")).hits] == ["Bo Larkspur"]
    person = b.person("Ada Quillfeather")
    assert person is not None and person["total"] == 3
    b.close()


WORDS = [
    "amber",
    "birch",
    "cedar",
    "dune",
    "ember",
    "fjord",
    "gorse",
    "heath",
    "inlet",
    "juniper",
    "kelp",
    "lagoon",
]


def harbour(a: Archive) -> list[str]:
    """Twelve sentences with 'harbour', published in this order (the last four are the newest)."""
    people = [ADA, BO, CY]
    lines = [(*people[i % 3], f"The harbour needs {w} buoys.") for i, w in enumerate(WORDS)]
    a.publish(forum(2024, "Harbour Buoys", lines), source_key="buoys.json")
    return [text for _, _, text in lines]


def test_a_large_match_is_ranked_and_counted_over_its_newest_sentences(any_archive: Archive) -> None:
    a = any_archive
    said = harbour(a)
    a.window, a.count_cap = 4, 8  # as WINDOW and COUNT_CAP, small
    result = a.find("harbour")
    # more than the window: ranked and counted by facet over the four newest, counted up to the cap
    assert result.window == 4 and result.total is None
    assert (result.matched, result.matched_more, result.matched_label) == (8, True, "8+")
    assert {h.sentence for h in result.hits} == set(said[-4:])
    assert result.facets is not None
    assert sum(f.count for f in result.facets["speaker"]) == 4
    assert result.to_dict()["window"] == 4 and result.to_dict()["matched"] == 8
    # under the cap the count is exact
    a.count_cap = 50
    counted = a.find("harbour")
    assert (counted.window, counted.matched, counted.matched_more, counted.matched_label) == (
        4,
        12,
        False,
        "12",
    )
    # a match that fits the window is ranked and counted whole, as before
    small = a.find("amber OR birch")
    assert small.window is None and small.total == 2 and small.matched is None
    # with a filter: PostgreSQL counts the filtered match; SQLite knows it is more than the window
    narrowed = a.find("harbour", SearchFilters(year=2024))
    assert narrowed.window == 4 and narrowed.total is None
    if a.backend == "sqlite":
        assert (narrowed.matched, narrowed.matched_more, narrowed.matched_label) == (4, True, "4+")
    else:
        assert (narrowed.matched, narrowed.matched_more) == (12, False)
    assert {h.sentence for h in narrowed.hits} == set(said[-4:])
    if a.backend == "postgresql":  # the planner expects a match far above the cap: read, not counted
        a._clearly_broad = lambda *args: True  # type: ignore[method-assign]
        broad = a.find("harbour")
        assert (broad.window, broad.matched, broad.matched_more, broad.total) == (4, 4, True, None)
        assert {h.sentence for h in broad.hits} == set(said[-4:])
        del a._clearly_broad
    # a speaker filter narrows inside the full-text index and still checks the speaker exactly
    ada = a.find("harbour", SearchFilters(speaker="Ada Quillfeather"))
    assert ada.window is None and ada.total == 4 and {h.speaker for h in ada.hits} == {"Ada Quillfeather"}
    # exports and search() still rank every matching sentence
    assert len(a.search("harbour", limit=50)[0]) == 12
    assert len(list(export_hits(a, "harbour", None))) == 12


def test_the_search_page_says_what_a_large_match_was_counted_over(any_archive: Archive) -> None:
    a = any_archive
    harbour(a)
    a.window, a.count_cap = 4, 8
    client = TestClient(create_app(a), base_url="https://testserver")
    page = client.get("/search", params={"q": "harbour"})
    assert page.status_code == 200
    summary = page.text.split('id="search-summary"')[1].split("</p>")[0]
    assert "8+ sentences" in summary and "more than 8 published, every copy counted" in summary
    assert "the 4 most recently published" in summary
    assert (
        'id="facet-window"' in page.text
        and "of the 4 most recently published matching sentences (of 8+)" in page.text
    )
    body = client.get("/api/search", params={"q": "harbour"}).json()
    assert body["total"] is None and body["window"] == 4
    assert (body["matched"], body["matched_more"]) == (8, True)
    # exact up to the cap: no "more than"
    a.count_cap = 50
    exact = client.get("/search", params={"q": "harbour"}).text
    summary = exact.split('id="search-summary"')[1].split("</p>")[0]
    assert "12 sentences" in summary and "(12 published, every copy counted)" in summary
    assert "more than" not in summary
