"""Bulk import through the web: progress, re-import updates, failures leave nothing behind."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fastapi.testclient import TestClient

from sessionsketch.archive import Archive
from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch


def fictional(year: int, words: str) -> bytes:
    sketch = Sketch(
        metadata=Metadata(
            conference=f"Fictional Forum {year}",
            session="Harbour Fees",
            date=dt.date(year, 5, 2),
            speakers=[PersonRef("Ada Quillfeather", f"Harbour Institute {year}")],
        ),
        paragraphs=[Paragraph(speaker="Ada Quillfeather", sentences=[Sentence(words, "Ada Quillfeather")])],
    )
    return json.dumps(sketch.to_dict()).encode()


def test_bulk_import_progress_and_reimport(editor: tuple[TestClient, str], archive: Archive) -> None:
    client, token = editor
    files = [
        (
            "files",
            (
                "forum-2023.json",
                fictional(2023, "Quillfeather argued that harbour fees should fall."),
                "application/json",
            ),
        ),
        (
            "files",
            (
                "forum-2024.json",
                fictional(2024, "Quillfeather proposed a shared lamp fund."),
                "application/json",
            ),
        ),
        ("files", ("notes.json", b'{"metadata": ', "application/json")),  # broken: nothing may be left of it
    ]
    r = client.post("/import", data={"csrf_token": token}, files=files, follow_redirects=False)
    assert r.status_code == 303
    progress = r.headers["location"]
    job = client.get("/api/imports/" + progress.rsplit("/", 1)[1]).json()
    assert (job["status"], job["total"], job["done"], job["failed"]) == ("done", 3, 3, 1)
    assert [e["status"] for e in job["log"]] == ["created", "created", "failed"]
    assert "notes.json" in job["log"][2]["message"]
    page = client.get(progress).text
    assert "3 of 3 files, 1 failed" in page
    assert archive.counts() == {"sketches": 2, "sentences": 2}

    # the person page shows both years and both affiliations
    person = client.get("/api/people/Ada Quillfeather").json()
    assert [(a["affiliation"], a["year"]) for a in person["affiliations"]] == [
        ("Harbour Institute 2023", 2023),
        ("Harbour Institute 2024", 2024),
    ]
    assert "Harbour Institute 2024" in client.get("/people/Ada%20Quillfeather").text

    # the same file again: unchanged; a new version of it: updated, not duplicated
    again = [
        ("files", ("forum-2024.json", fictional(2024, "Quillfeather proposed a shared lamp fund."), "x/y"))
    ]
    r = client.post(
        "/import", data={"csrf_token": token}, files=again, headers={"Accept": "application/json"}
    )
    assert r.status_code == 202
    assert client.get(r.json()["url"]).json()["log"][0]["status"] == "unchanged"
    changed = [
        ("files", ("forum-2024.json", fictional(2024, "Quillfeather proposed a larger lamp fund."), "x/y"))
    ]
    r = client.post(
        "/import", data={"csrf_token": token}, files=changed, headers={"Accept": "application/json"}
    )
    assert client.get(r.json()["url"]).json()["log"][0]["status"] == "updated"
    assert archive.counts() == {"sketches": 2, "sentences": 2}
    hits = client.get("/api/search", params={"q": "lamp fund"}).json()["hits"]
    assert [h["sentence"] for h in hits] == ["Quillfeather proposed a larger lamp fund."]


def test_public_pages_and_api(any_archive: Archive) -> None:
    """The public pages and the read API, over SQLite and PostgreSQL."""
    from sessionsketch.archive.importer import import_sketch
    from sessionsketch.web.app import create_app

    archive = any_archive
    client = TestClient(create_app(archive), base_url="https://testserver")
    result = import_sketch(
        archive, "forum.json", fictional(2024, "Quillfeather proposed a shared lamp fund.")
    )
    assert result.status == "created"
    sid = result.sketch_id
    assert "Quillfeather proposed a shared lamp fund." in client.get(f"/sketches/{sid}").text
    assert client.get("/api/sketches").json()[0]["id"] == sid
    assert (
        client.get(f"/api/sketches/{sid}").json()["sketch"]["paragraphs"][0]["speaker"] == "Ada Quillfeather"
    )
    conference = client.get("/api/conferences/Fictional Forum 2024").json()
    assert [s["id"] for s in conference["sessions"]] == [sid]
    assert "Harbour Fees" in client.get("/conferences/Fictional%20Forum%202024").text
    hit_page = client.get("/search", params={"q": "what did Ada Quillfeather say about the lamp fund"}).text
    assert "<mark>Quillfeather</mark> proposed a shared <mark>lamp</mark> <mark>fund</mark>." in hit_page
    assert f"/sketches/{sid}#p0-s0" in hit_page
    assert client.get("/api/search", params={"q": "lamp", "year": 2023}).json()["hits"] == []
    # the search form sends empty filters; a bad year is a clear 422, on the page and in the API
    page = client.get("/search", params={"q": "lamp", "speaker": "", "year": "", "session": ""})
    assert page.status_code == 200 and "Quillfeather proposed a shared <mark>lamp</mark> fund." in page.text
    bad = client.get("/search", params={"q": "lamp", "year": "last year"})
    assert bad.status_code == 422 and "year" in bad.text and "<!doctype html>" in bad.text
    assert client.get("/api/search", params={"q": "lamp", "year": "1999x"}).status_code == 422
    assert client.get("/api/people/Nobody").status_code == 404
    assert client.get("/sketches/999").status_code == 404
    schema = client.get("/openapi.json").json()
    assert {
        "/api/search",
        "/api/people/{name}",
        "/api/conferences/{name}",
        "/api/sketches/{sketch_id}",
    } <= set(schema["paths"])


def test_import_published_formats_round_trip(editor: tuple[TestClient, str], archive: Archive) -> None:
    """PDF, DOCX and Markdown made by the publishing writers import back with their speakers."""
    from sessionsketch.writers import render_bytes

    client, token = editor
    sketch = Sketch.from_dict(json.loads(fictional(2025, "Quillfeather proposed a shared lamp fund.")))
    files = [
        ("files", (f"forum.{fmt}", render_bytes(sketch, fmt), "application/octet-stream"))
        for fmt in ("pdf", "docx", "md")
    ]
    r = client.post(
        "/import", data={"csrf_token": token}, files=files, headers={"Accept": "application/json"}
    )
    job = client.get(r.json()["url"]).json()
    assert [e["status"] for e in job["log"]] == ["created"] * 3, job["log"]
    hits = client.get("/api/search", params={"q": "lamp fund"}).json()["hits"]
    # the same sentence published three times is one hit that says where else it is
    assert len(hits) == 1 and hits[0]["speaker"] == "Ada Quillfeather" and hits[0]["copies"] == 3
    assert len({hits[0]["sketch_id"], *(a["sketch_id"] for a in hits[0]["also_in"])}) == 3


def test_import_the_reference_sketch_and_ask_who_said_what(
    editor: tuple[TestClient, str], reference_txt: Path
) -> None:
    """The real Asan Plenum 2019 sketch, imported as text: "what did Zhu Feng say about the alliance"."""
    client, token = editor
    files = [("files", (reference_txt.name, reference_txt.read_bytes(), "text/plain"))]
    r = client.post(
        "/import", data={"csrf_token": token}, files=files, headers={"Accept": "application/json"}
    )
    assert client.get(r.json()["url"]).json()["log"][0]["status"] == "created"
    hits = client.get("/api/search", params={"q": "what did Zhu Feng say about the alliance"}).json()["hits"]
    assert hits and hits[0]["speaker"] == "Zhu Feng"
    assert hits[0]["sentence"].startswith("Zhu Feng noted that the U.S.-Korea alliance")
    assert (hits[0]["conference"], hits[0]["year"], hits[0]["session"]) == (
        "Asan Plenum 2019",
        2019,
        "ROK-U.S. Alliance",
    )
    person = client.get("/api/people/Zhu Feng").json()
    assert person["affiliations"] == [
        {"affiliation": "Nanjing University", "year": 2019, "conference": "Asan Plenum 2019"}
    ]
