"""Issue 30, item 5: an anonymous export costs what a search page costs, and exports do not pile up.

``/search/export.csv?q=th*`` on a 100,000-sentence archive ranked every match, 500 at a
time, up to 10,000 rows (12 s; four at once 29 s, delaying other searches). Anonymous
exports are now the search page's own bounded query, at most ``ANONYMOUS_EXPORT_LIMIT`` rows;
logged-in users keep the full export; one server process runs at most ``EXPORTS_AT_ONCE``
exports and refuses one more with 429. The tests count queries and rows, never time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import threading

import pytest
from fastapi.testclient import TestClient

from sessionsketch.archive import Archive
from sessionsketch.archive.importer import import_sketch
from sessionsketch.archive.search import ANONYMOUS_EXPORT_LIMIT, SearchIndex
from sessionsketch.archive.users import add_user
from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch
from sessionsketch.web import public
from sessionsketch.web.app import create_app

from .conftest import PASSWORD, log_in

MORE = ANONYMOUS_EXPORT_LIMIT + 40


def _many_sentences() -> bytes:
    sentences = [
        Sentence(f"Quillfeather said that the harbour lamp number {i} should stay lit.", "Ada Quillfeather")
        for i in range(MORE)
    ]
    sketch = Sketch(
        metadata=Metadata(
            conference="Fictional Forum 2024",
            session="Harbour Lamps",
            date=dt.date(2024, 5, 2),
            speakers=[PersonRef("Ada Quillfeather", "Harbour Institute")],
        ),
        paragraphs=[Paragraph(speaker="Ada Quillfeather", sentences=sentences)],
    )
    return json.dumps(sketch.to_dict()).encode()


@pytest.fixture
def client(archive: Archive) -> TestClient:
    add_user(archive, "rapporteur", PASSWORD)
    assert import_sketch(archive, "lamps.json", _many_sentences(), user="rapporteur").status == "created"
    return TestClient(create_app(archive), base_url="https://testserver")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_an_anonymous_export_is_one_bounded_query(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, object]] = []
    real_find = SearchIndex.find

    def find(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        return real_find(self, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "find", find)
    r = client.get("/search/export.csv", params={"q": "harb*"})
    assert r.status_code == 200
    assert len(_rows(r.text)) == ANONYMOUS_EXPORT_LIMIT
    assert r.headers["x-export-limit"] == str(ANONYMOUS_EXPORT_LIMIT)
    assert len(calls) == 1 and calls[0]["bounded"] is True
    doc = client.get("/search/export.json", params={"q": "harb*"}).json()
    assert doc["limit"] == ANONYMOUS_EXPORT_LIMIT and len(doc["hits"]) == ANONYMOUS_EXPORT_LIMIT


def test_a_logged_in_export_has_every_row(client: TestClient) -> None:
    log_in(client)
    r = client.get("/search/export.csv", params={"q": "harb*"})
    assert r.status_code == 200 and len(_rows(r.text)) == MORE


def test_one_export_too_many_is_refused_not_queued(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside = threading.Event()
    release = threading.Event()
    real_export_hits = public.export_hits

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        inside.set()
        release.wait()
        return real_export_hits(*args, **kwargs)

    monkeypatch.setattr(public, "EXPORTS_AT_ONCE", 1)
    monkeypatch.setattr(public, "_exports", threading.BoundedSemaphore(1))
    monkeypatch.setattr(public, "export_hits", held)
    answers: list[int] = []
    first = threading.Thread(
        target=lambda: answers.append(client.get("/search/export.csv", params={"q": "lamp"}).status_code)
    )
    first.start()
    try:
        assert inside.wait(120), "the first export never started"
        second = client.get("/search/export.csv", params={"q": "lamp"})
        assert second.status_code == 429 and "try again" in second.text
        assert second.headers["retry-after"] == "5"
        assert client.get("/api/search", params={"q": "lamp"}).status_code == 200  # searches go on
    finally:
        release.set()
        first.join()
    assert answers == [200]
    assert client.get("/search/export.csv", params={"q": "lamp"}).status_code == 200  # the slot is free again
