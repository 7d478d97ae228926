"""A programme with several sessions: the rapporteur picks which one the workbench is for.

The programme is FICTIONAL (invented people); the transcript is the fictional panel of
``data/fictional_panel.json``, which is the programme's second session.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient

from sessionsketch.archive import Archive

TRANSCRIPT = Path(__file__).parent / "data" / "fictional_panel.json"
PROGRAMME = b"""# A fictional conference: invented people, invented sessions.
conference: {name: Fictional Forum 2025, theme: Lamps and Harbours}
sessions:
  - number: 1
    title: Opening of the Forum
    date: 2025-05-01
    moderator: Oona Brackwater, Paper Harbour Council
    speakers:
      - Quentin Marlow, Office of Pretend Tides
  - number: 2
    title: The Lighthouse Alliance
    date: 2025-05-02
    rapporteur: Pim Vellacott, Nowhere Review
    moderator: Oona Brackwater, Paper Harbour Council
    speakers:
      - Ada Quillfeather, Institute of Imaginary Affairs
      - Bo Larkspur, Cloud Ministry
  - number: 3
    title: Harbour Fees
    date: 2025-05-03
    moderator: Ada Quillfeather, Institute of Imaginary Affairs
    speakers:
      - Rhea Tollgate, Guild of Invented Ports
"""


def create(client: TestClient, token: str, session: str | None = None):
    data = {"csrf_token": token}
    if session is not None:
        data["session"] = session
    return client.post(
        "/workbench",
        data=data,
        files={"programme_file": ("forum.yaml", PROGRAMME, "application/x-yaml")},
        follow_redirects=False,
    )


def sketch_id_of(r) -> int:
    return int(re.search(r"/workbench/(\d+)", r.headers["location"]).group(1))


def state(client: TestClient, sketch_id: int) -> dict:
    return client.get(f"/api/workbench/{sketch_id}").json()


def choose(client: TestClient, token: str, sketch_id: int, session: str, version: int | None = None, **kw):
    if version is None:
        version = state(client, sketch_id)["version"]
    return client.post(
        f"/workbench/{sketch_id}/session",
        data={"csrf_token": token, "session": session, "version": version},
        follow_redirects=False,
        **kw,
    )


def test_pick_a_session_when_creating(editor: tuple[TestClient, str]) -> None:
    client, token = editor
    for key in ("2", "the-lighthouse-alliance"):  # by number or by slug
        r = create(client, token, key)
        assert r.status_code == 303 and not r.headers["location"].endswith("#session")
        sketch_id = sketch_id_of(r)
        assert state(client, sketch_id)["session_slug"] == "the-lighthouse-alliance"
        page = client.get(f"/workbench/{sketch_id}").text
        assert "<h1>The Lighthouse Alliance</h1>" in page
        assert "Bo Larkspur" in page and "Quentin Marlow" not in page
    r = create(client, token, "7")
    assert r.status_code == 400
    message = html.unescape(r.text)
    assert "forum.yaml: no session '7'" in message and "(sessions: 1, 2, 3)" in message


def test_a_programme_of_several_sessions_offers_them_all(editor: tuple[TestClient, str]) -> None:
    client, token = editor
    r = create(client, token)
    assert r.status_code == 303 and r.headers["location"].endswith("#session")
    sketch_id = sketch_id_of(r)
    api = state(client, sketch_id)
    assert api["session_slug"] == "opening-of-the-forum"
    assert [s["title"] for s in api["sessions"]] == [
        "Opening of the Forum",
        "The Lighthouse Alliance",
        "Harbour Fees",
    ]
    page = client.get(f"/workbench/{sketch_id}").text
    chooser = page[page.index('id="session"') :]
    for slug in ("opening-of-the-forum", "the-lighthouse-alliance", "harbour-fees"):
        assert f'<option value="{slug}"' in chooser
    r = choose(client, token, sketch_id, "harbour-fees")
    assert r.status_code == 303
    page = client.get(f"/workbench/{sketch_id}").text
    assert "<h1>Harbour Fees</h1>" in page and "Rhea Tollgate" in page
    assert client.get("/workbench").text.count("Harbour Fees") == 1  # the list shows the new title


def test_switching_keeps_only_labels_of_the_new_sessions_people(editor: tuple[TestClient, str]) -> None:
    client, token = editor
    sketch_id = sketch_id_of(create(client, token, "2"))
    r = client.post(
        f"/workbench/{sketch_id}/transcript",
        data={"csrf_token": token, "version": state(client, sketch_id)["version"]},
        files={"transcript": ("panel.json", TRANSCRIPT.read_bytes(), "application/json")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    client.post(
        f"/workbench/{sketch_id}/speakers",
        data={
            "csrf_token": token,
            "version": state(client, sketch_id)["version"],
            "label": ["SPEAKER_02"],
            "person": ["Bo Larkspur"],
        },
    )
    assert state(client, sketch_id)["speaker_map"] == {"SPEAKER_02": "Bo Larkspur"}
    assert choose(client, token, sketch_id, "3").status_code == 303
    after = state(client, sketch_id)
    assert after["speaker_map"] == {}  # Bo Larkspur is not in "Harbour Fees"
    assert after["transcript"]["turns"]  # the transcript stays, resolved against the new session
    speakers = {t["speaker"] for t in after["transcript"]["turns"]}
    assert "Ada Quillfeather" in speakers and "Bo Larkspur" not in speakers


def test_unknown_or_stale_choices_are_refused(editor: tuple[TestClient, str], archive: Archive) -> None:
    client, token = editor
    sketch_id = sketch_id_of(create(client, token))
    before = archive.get(sketch_id).version
    r = choose(client, token, sketch_id, "nope")
    assert r.status_code == 400 and "no session 'nope'" in html.unescape(r.text)
    archive.update_workbench(sketch_id, "oona", speaker_map={})  # someone saves meanwhile
    r = choose(client, token, sketch_id, "2", version=before, headers={"Accept": "application/json"})
    assert r.status_code == 409 and r.json()["updated_by"] == "oona"
    assert archive.get(sketch_id).session_slug == "opening-of-the-forum"


def test_draft_the_chosen_session_then_switching_is_refused(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    client, token = editor
    sketch_id = sketch_id_of(create(client, token))
    assert choose(client, token, sketch_id, "the-lighthouse-alliance").status_code == 303
    client.post(
        f"/workbench/{sketch_id}/transcript",
        data={"csrf_token": token, "version": state(client, sketch_id)["version"]},
        files={"transcript": ("panel.json", TRANSCRIPT.read_bytes(), "application/json")},
    )
    r = client.post(
        f"/workbench/{sketch_id}/draft",
        data={"csrf_token": token, "version": state(client, sketch_id)["version"]},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    sketch = archive.get(sketch_id).sketch
    assert sketch.metadata.session == "The Lighthouse Alliance"
    assert [p.name for p in sketch.metadata.speakers] == ["Ada Quillfeather", "Bo Larkspur"]
    r = choose(client, token, sketch_id, "1")
    assert r.status_code == 400 and "drafted for" in r.text
    assert archive.get(sketch_id).session_slug == "the-lighthouse-alliance"
    page = client.get(f"/workbench/{sketch_id}").text
    assert f'action="/workbench/{sketch_id}/session"' not in page  # no chooser once drafted
