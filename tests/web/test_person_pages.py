"""A person page pages through everything the person said, however much that is.

FICTIONAL panels: invented people, invented (numbered) sentences.
"""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from sessionsketch.archive import Archive
from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch

SPEAKER = "Ada Quillfeather"
SKETCHES, PARAGRAPHS, SENTENCES = 13, 10, 10  # 1,300 sentences: more than one page, more than 1,000


def talkative_sketch(n: int) -> Sketch:
    return Sketch(
        metadata=Metadata(
            conference="Fictional Forum 2025",
            session=f"Harbour Session {n}",
            date=dt.date(2025, 5, 1) + dt.timedelta(days=n),
            speakers=[PersonRef(SPEAKER, "Institute of Imaginary Affairs")],
        ),
        paragraphs=[
            Paragraph(
                speaker=SPEAKER,
                sentences=[
                    Sentence(f"Quillfeather noted lamp fact number {n}-{p}-{s}.", SPEAKER)
                    for s in range(SENTENCES)
                ],
            )
            for p in range(PARAGRAPHS)
        ],
    )


def published(archive: Archive) -> set[str]:
    said = set()
    for n in range(SKETCHES):
        sketch = talkative_sketch(n)
        archive.publish(sketch, source_key=f"session-{n}.json")
        said |= {s.text for s in sketch.sentences}
    return said


def test_the_api_pages_through_every_sentence(client: TestClient, archive: Archive) -> None:
    said = published(archive)
    seen: list[str] = []
    page = 1
    while True:
        r = client.get(f"/api/people/{SPEAKER}", params={"page": page})
        assert r.status_code == 200
        body = r.json()
        assert body["total"] == len(said) and body["page"] == page and body["per_page"] == 100
        assert len(body["sentences"]) <= body["per_page"]
        assert len(body["affiliations"]) == 1 and len(body["appearances"]) == SKETCHES
        seen += [h["sentence"] for h in body["sentences"]]
        if not body["has_more"]:
            break
        page += 1
    assert page == 13
    assert len(seen) == len(said) and set(seen) == said  # every sentence once, none twice
    past = client.get(f"/api/people/{SPEAKER}", params={"page": 99}).json()
    assert past["sentences"] == [] and past["has_more"] is False and past["total"] == len(said)
    assert client.get(f"/api/people/{SPEAKER}", params={"page": 0}).status_code == 422


def test_the_page_shows_where_it_is_and_links_on(client: TestClient, archive: Archive) -> None:
    said = published(archive)
    first = client.get(f"/people/{SPEAKER}").text
    assert "1,300 sentences" in first and "1–100" in first
    assert "page=2" in first and "page=0" not in first and "← previous" not in first
    assert len(re.findall(r'<li class="hit">', first)) == 100
    last = client.get(f"/people/{SPEAKER}", params={"page": 13}).text
    assert "1,201–1,300" in last and "← previous" in last and "next →" not in last
    shown = set(re.findall(r"Quillfeather noted lamp fact number [\d-]+\.", last))
    assert len(shown) == 100 and shown <= said
