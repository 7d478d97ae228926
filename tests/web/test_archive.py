"""The archive repository, over SQLite and PostgreSQL: publish, re-import, search, pages, versions."""

from __future__ import annotations

import datetime as dt

import pytest

from sessionsketch.archive import Archive, SearchFilters, StaleVersion, search_terms
from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch

# A fictional panel: invented people, invented words.


def panel(year: int = 2024, affiliation: str = "Institute of Imaginary Affairs", extra: str = "") -> Sketch:
    return Sketch(
        metadata=Metadata(
            conference=f"Fictional Forum {year}",
            session="The Lighthouse Alliance",
            date=dt.date(year, 5, 2),
            rapporteur=PersonRef("Pim Vellacott", "Nowhere Review"),
            moderator=PersonRef("Oona Brackwater", "Paper Harbour Council"),
            speakers=[PersonRef("Ada Quillfeather", affiliation), PersonRef("Bo Larkspur", "Cloud Ministry")],
        ),
        paragraphs=[
            Paragraph(
                speaker="Ada Quillfeather",
                sentences=[
                    Sentence(
                        "Quillfeather argued that the lighthouse alliance needs new tide tables.",
                        "Ada Quillfeather",
                    ),
                    Sentence("She added that the harbour fees should fall." + extra, "Ada Quillfeather"),
                ],
            ),
            Paragraph(
                speaker="Bo Larkspur",
                sentences=[
                    Sentence("Larkspur warned that cloud tariffs could hurt the alliance.", "Bo Larkspur")
                ],
            ),
            Paragraph(sentences=[Sentence("The panel closed with questions from the floor.")]),
        ],
    )


def test_search_terms_drop_question_words() -> None:
    assert search_terms("What did Zhu Feng say about the alliance?") == ["zhu", "feng", "alliance"]


def test_publish_then_search_with_every_filter(any_archive: Archive) -> None:
    a = any_archive
    sid, action = a.publish(panel(), source_key="forum-2024.json")
    assert action == "created"
    hits, more = a.search("what did Ada Quillfeather say about the alliance")
    assert [h.sentence for h in hits] == [
        "Quillfeather argued that the lighthouse alliance needs new tide tables."
    ]
    assert not more
    hit = hits[0]
    assert (hit.speaker, hit.affiliation, hit.session, hit.year, hit.sketch_id) == (
        "Ada Quillfeather",
        "Institute of Imaginary Affairs",
        "The Lighthouse Alliance",
        2024,
        sid,
    )
    assert hit.to_dict()["link"] == f"/sketches/{sid}#p0-s0"
    # stemming: "alliances" finds "alliance"
    assert {h.speaker for h in a.search("alliances")[0]} == {"Ada Quillfeather", "Bo Larkspur"}
    assert [h.speaker for h in a.search("alliance", SearchFilters(speaker="Bo Larkspur"))[0]] == [
        "Bo Larkspur"
    ]
    assert [h.speaker for h in a.search("alliance", SearchFilters(affiliation="cloud"))[0]] == ["Bo Larkspur"]
    assert a.search("alliance", SearchFilters(year=2023))[0] == []
    assert len(a.search("alliance", SearchFilters(conference="fictional forum", year=2024))[0]) == 2
    assert len(a.search("alliance", SearchFilters(session="lighthouse"))[0]) == 2
    assert a.search("alliance", SearchFilters(session="no such session"))[0] == []
    # the unattributed closing sentence is stored but has no speaker
    assert [h.speaker for h in a.search("floor")[0]] == [None]


def test_reimport_updates_instead_of_duplicating(any_archive: Archive) -> None:
    a = any_archive
    first, _ = a.publish(panel(), source_key="forum.json", source_hash="h1")
    assert a.publish(panel(), source_key="forum.json", source_hash="h1") == (first, "unchanged")
    again, action = a.publish(panel(extra=" Gulls agreed."), source_key="forum.json", source_hash="h2")
    assert (again, action) == (first, "updated")
    assert a.counts() == {"sketches": 1, "sentences": 4}
    assert a.search("gulls")[0][0].sketch_id == first


def test_failed_publish_leaves_nothing(any_archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    a = any_archive
    a.publish(panel(), source_key="kept.json")
    original = type(a)._index

    def half_then_fail(self, cur, sketch_id, sketch, year):  # type: ignore[no-untyped-def]
        original(self, cur, sketch_id, sketch, year)  # rows written ...
        raise RuntimeError("disk full")  # ... then the import fails

    monkeypatch.setattr(type(a), "_index", half_then_fail)
    with pytest.raises(RuntimeError):
        a.publish(panel(2025), source_key="broken.json")
    with pytest.raises(RuntimeError):
        a.publish(panel(extra=" Changed."), source_key="kept.json")
    monkeypatch.undo()
    assert a.counts() == {"sketches": 1, "sentences": 4}
    assert a.search("", SearchFilters(year=2025))[0] == []
    assert a.search("changed")[0] == []


def test_person_and_conference_pages(any_archive: Archive) -> None:
    a = any_archive
    a.publish(panel(2023, "Institute of Imaginary Affairs"), source_key="a.json")
    a.publish(panel(2024, "University of Nowhere"), source_key="b.json")
    person = a.person("ada quillfeather")  # any spelling that folds to the same name
    assert person is not None
    assert person["name"] == "Ada Quillfeather"
    assert [(x["affiliation"], x["year"]) for x in person["affiliations"]] == [
        ("Institute of Imaginary Affairs", 2023),
        ("University of Nowhere", 2024),
    ]
    assert len(person["sentences"]) == 4
    assert a.person("Nobody Atall") is None
    assert [c["conference"] for c in a.conferences()] == ["Fictional Forum 2023", "Fictional Forum 2024"]
    assert {p["name"] for p in a.people()} >= {"Ada Quillfeather", "Pim Vellacott", "Oona Brackwater"}


def test_stale_save_is_refused_with_the_other_version(any_archive: Archive) -> None:
    a = any_archive
    sid = a.create_workbench({"session": {"title": "T"}}, "T", None, "pim")
    version = a.get(sid).version
    mine = panel()
    assert a.save_sketch(sid, mine, version, "pim") == version + 1
    theirs = panel(extra=" Theirs.")
    with pytest.raises(StaleVersion) as caught:
        a.save_sketch(sid, theirs, version, "oona")
    current = caught.value.current
    assert current.version == version + 1
    assert current.updated_by == "pim"
    assert current.sketch is not None and current.sketch.to_dict() == mine.to_dict()


def test_drafts_are_not_searchable_until_published(any_archive: Archive) -> None:
    a = any_archive
    sid = a.create_workbench({"session": {"title": "T"}}, "T", None, "pim")
    a.save_sketch(sid, panel(), a.get(sid).version, "pim")
    assert a.search("alliance")[0] == []
    a.publish(a.get(sid).sketch, sketch_id=sid, user="pim")  # type: ignore[arg-type]
    assert len(a.search("alliance")[0]) == 2
    # later edits stay in the workbench until published again
    a.save_sketch(sid, panel(extra=" Unpublished words."), a.get(sid).version, "pim")
    assert a.search("unpublished")[0] == []
    record = a.get(sid)
    assert record.published is not None and "Unpublished" not in record.published.to_dict().__repr__()
