"""The workbench through its HTTP interface (FastAPI TestClient): the rapporteur's flow."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from sessionsketch.archive import Archive
from sessionsketch.model import Evidence, Paragraph, Sentence, Sketch

DATA = Path(__file__).parent / "data"
PROGRAMME = DATA / "fictional_programme.yaml"
TRANSCRIPT = DATA / "fictional_panel.json"


def create_session(client: TestClient, token: str) -> str:
    r = client.post(
        "/workbench",
        data={"csrf_token": token},
        files={"programme_file": ("programme.yaml", PROGRAMME.read_bytes(), "application/x-yaml")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return r.headers["location"]


def version_of(client: TestClient, page: str) -> int:
    """The version the session's page shows (every write that could lose work sends it back)."""
    return client.get("/api/workbench/" + page.rsplit("/", 1)[1]).json()["version"]


def upload_transcript(client: TestClient, token: str, page: str) -> None:
    r = client.post(
        page + "/transcript",
        data={"csrf_token": token, "version": version_of(client, page)},
        files={"transcript": ("panel.json", TRANSCRIPT.read_bytes(), "application/json")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def session_with_transcript(client: TestClient, token: str, map_labels: bool = False) -> tuple[str, int]:
    """A session from the fictional programme with its transcript; SPEAKER_02 mapped to Bo Larkspur if asked."""
    page = create_session(client, token)
    upload_transcript(client, token, page)
    if map_labels:
        r = client.post(
            page + "/speakers",
            data={
                "csrf_token": token,
                "version": version_of(client, page),
                "label": ["SPEAKER_02"],
                "person": ["Bo Larkspur"],
            },
            follow_redirects=False,
        )
        assert r.status_code == 303
    return page, int(page.rsplit("/", 1)[1])


def test_create_session_from_the_form(editor: tuple[TestClient, str]) -> None:
    client, token = editor
    r = client.post(
        "/workbench",
        data={
            "csrf_token": token,
            "conference": "Fictional Forum 2025",
            "title": "Harbour Fees",
            "date": "2025-05-03",
            "start": "09:00",
            "end": "10:00",
            "moderator": "Oona Brackwater, Paper Harbour Council",
            "speakers": "Ada Quillfeather, Institute of Imaginary Affairs\n\nBo Larkspur, Cloud Ministry\n",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "Harbour Fees" in page
    assert "Ada Quillfeather, Institute of Imaginary Affairs" in page
    assert "Bo Larkspur, Cloud Ministry" in page
    assert "Harbour Fees" in client.get("/workbench").text


def test_form_and_programme_errors_name_the_field_and_line(editor: tuple[TestClient, str]) -> None:
    client, token = editor
    r = client.post("/workbench", data={"csrf_token": token, "title": "X", "date": "2025-13-40"})
    assert r.status_code == 400
    assert "session.date" in r.text and "is not a date" in r.text
    bad = b"conference: Fictional\nsession:\n  title: X\n  speakers: [unclosed\n"
    r = client.post(
        "/workbench",
        data={"csrf_token": token},
        files={"programme_file": ("mine.yaml", bad, "application/x-yaml")},
    )
    assert r.status_code == 400
    assert re.search(r"mine\.yaml:\d+: invalid YAML", r.text), r.text


def test_upload_transcript_then_map_unresolved_labels(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    client, token = editor
    page = create_session(client, token)
    upload_transcript(client, token, page)
    sketch_id = int(page.rsplit("/", 1)[1])
    state = client.get(f"/api/workbench/{sketch_id}").json()
    assert state["transcript"]["unresolved"] == ["SPEAKER_02"]
    speakers = {t["label"]: t["speaker"] for t in state["transcript"]["turns"]}
    assert speakers["Ada Quillfeather"] == "Ada Quillfeather"
    assert speakers["Oona Brackwater"] == "Oona Brackwater"
    html = client.get(page).text
    assert 'value="SPEAKER_02"' in html  # the mapping table offers the label ...
    assert '<option value="Bo Larkspur"' in html  # ... and the participants
    r = client.post(
        page + "/speakers",
        data={
            "csrf_token": token,
            "version": version_of(client, page),
            "label": ["SPEAKER_02"],
            "person": ["Bo Larkspur"],
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    state = client.get(f"/api/workbench/{sketch_id}").json()
    assert state["transcript"]["unresolved"] == []
    assert [t["speaker"] for t in state["transcript"]["turns"] if t["label"] == "SPEAKER_02"] == [
        "Bo Larkspur"
    ] * 2
    # only the session's participants may be chosen
    r = client.post(
        page + "/speakers",
        data={
            "csrf_token": token,
            "version": version_of(client, page),
            "label": ["SPEAKER_02"],
            "person": ["Nobody"],
        },
    )
    assert r.status_code == 400


def test_unreadable_transcript_is_refused_with_its_name(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    client, token = editor
    page = create_session(client, token)
    r = client.post(
        page + "/transcript",
        data={"csrf_token": token, "version": version_of(client, page)},
        files={
            "transcript": ("broken.json", b'{"meeting_transcripts": [{"speaker": 1}]}', "application/json")
        },
    )
    assert r.status_code == 400
    assert "broken.json" in r.text
    assert archive.get(int(page.rsplit("/", 1)[1])).transcript is None  # nothing half-saved


def test_upload_limit(archive: Archive) -> None:
    from sessionsketch.archive.users import add_user
    from sessionsketch.web.app import create_app

    add_user(archive, "rapporteur", "fictional-pass-123")
    with TestClient(create_app(archive, max_upload_bytes=2000), base_url="https://testserver") as client:
        token = client.get("/api/me").json()["csrf_token"]
        client.post(
            "/login", data={"name": "rapporteur", "password": "fictional-pass-123", "csrf_token": token}
        )
        token = client.get("/api/me").json()["csrf_token"]
        r = client.post("/workbench", data={"csrf_token": token, "title": "Small"}, follow_redirects=False)
        page = r.headers["location"]
        r = client.post(
            page + "/transcript",
            data={"csrf_token": token, "version": 1},
            files={"transcript": ("big.json", b" " * 5000, "application/json")},
        )
        assert r.status_code == 413


def _saved_sketch(
    archive: Archive,
    sketch_id: int,
    text: str = "Quillfeather said the harbours now share their tide tables every morning.",
    framing: bool = True,
) -> int:
    """Put a small working sketch in place (as if drafted) and return its version."""
    paragraphs = [
        Paragraph(
            speaker="Ada Quillfeather",
            sentences=[Sentence(text, "Ada Quillfeather", [Evidence(1, 0, 120)])],
        )
    ]
    if framing:
        paragraphs.append(Paragraph(sentences=[Sentence("The panel took questions from the floor.")]))
    return archive.save_sketch(
        sketch_id, Sketch(paragraphs=paragraphs), archive.get(sketch_id).version, "rapporteur"
    )


def test_second_stale_save_is_refused_and_shows_the_other_version(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    client, token = editor
    page, sketch_id = session_with_transcript(client, token)
    opened = _saved_sketch(archive, sketch_id)  # both editors open this version
    # the other editor saves first (a framing sentence: no speaker, nothing to weigh)
    r = client.post(
        page + "/sentences/1/0",
        data={
            "csrf_token": token,
            "text": "The panel closed with questions.",
            "speaker": "",
            "version": opened,
        },
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["version"] == opened + 1
    # our save, based on the version we opened, is refused and shows theirs
    r = client.post(
        page + "/sentences/1/0",
        data={"csrf_token": token, "text": "Mine, not theirs.", "speaker": "", "version": opened},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 409
    body = r.json()
    assert body["version"] == opened + 1
    assert body["sentence"]["text"] == "The panel closed with questions."
    assert "not saved" in body["detail"]
    assert archive.get(sketch_id).sketch.paragraphs[1].sentences[0].text == "The panel closed with questions."  # type: ignore[union-attr]
    # the same refusal without JavaScript: the page, with their version shown
    r = client.post(
        page + "/sentences/1/0",
        data={"csrf_token": token, "text": "Mine again.", "speaker": "", "version": opened},
    )
    assert r.status_code == 409
    assert "not saved" in r.text and "The panel closed with questions." in r.text


def test_edit_keeps_supported_evidence_and_marks_unsupported(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    client, token = editor
    page, sketch_id = session_with_transcript(client, token)
    version = _saved_sketch(archive, sketch_id)
    url = page + "/sentences/0/0"
    json_ = {"Accept": "application/json"}
    # a rewording the transcript still supports keeps resting on Ada's turn
    r = client.post(
        url,
        data={
            "csrf_token": token,
            "text": "Quillfeather noted that the harbours share their tide tables every morning.",
            "speaker": "Ada Quillfeather",
            "version": version,
        },
        headers=json_,
    )
    assert r.status_code == 200, r.text
    assert r.json()["supported"] is True
    assert {e["turn"] for e in r.json()["sentence"]["evidence"]} <= {1, 4}
    # a claim nobody made is kept as written but marked unsupported (no evidence)
    r = client.post(
        url,
        data={
            "csrf_token": token,
            "text": "Quillfeather demanded that every volcano be painted purple by Tuesday.",
            "speaker": "Ada Quillfeather",
            "version": r.json()["version"],
        },
        headers=json_,
    )
    assert r.status_code == 200
    assert r.json()["supported"] is False
    assert r.json()["sentence"]["evidence"] == []
    assert 'class="sentence unsupported"' in client.get(page).text


def test_draft_then_publish_search_and_export(editor: tuple[TestClient, str], archive: Archive) -> None:
    client, token = editor
    page, sketch_id = session_with_transcript(client, token, map_labels=True)
    r = client.post(
        page + "/draft",
        data={"csrf_token": token, "version": version_of(client, page)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    record = archive.get(sketch_id)
    assert record.sketch is not None and record.sketch.sentences
    assert all(s.evidence for s in record.sketch.sentences if s.speaker)
    assert {s.speaker for s in record.sketch.sentences} >= {"Ada Quillfeather", "Bo Larkspur"}
    html = client.get(page).text
    assert "data-evidence='[{" in html  # each sentence carries the turns it rests on
    r = client.post(
        page + "/publish",
        data={"csrf_token": token, "version": version_of(client, page)},
        follow_redirects=False,
    )
    assert r.headers["location"] == f"/sketches/{sketch_id}"
    bo = next(s for s in record.sketch.sentences if s.speaker == "Bo Larkspur")
    hits = client.get("/api/search", params={"q": bo.text, "speaker": "Bo Larkspur"}).json()["hits"]
    assert hits and hits[0]["sentence"] == bo.text and hits[0]["sketch_id"] == sketch_id
    assert bo.text in client.get(f"/sketches/{sketch_id}").text

    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("json", b"{")):
        for url in (f"{page}/export/{fmt}", f"/sketches/{sketch_id}/export/{fmt}"):
            r = client.get(url)
            assert r.status_code == 200 and r.content.startswith(magic), url
            assert "attachment" in r.headers["content-disposition"]
    # the writer registry names the media type and the file's extension; an alias selects it too
    r = client.get(f"{page}/export/htm")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-disposition"] == f'attachment; filename="sketch-{sketch_id}.html"'
    assert client.get(f"{page}/export/odt").status_code == 404
    html = client.get(page).text
    assert all(f'/export/{fmt}"' in html for fmt in ("pdf", "docx", "html", "md", "json"))


def test_transcript_format_can_be_named(editor: tuple[TestClient, str], archive: Archive) -> None:
    client, token = editor
    page = create_session(client, token)
    upload = {"transcript": ("panel.txt", TRANSCRIPT.read_bytes(), "text/plain")}
    r = client.post(
        page + "/transcript",
        data={"csrf_token": token, "format": "no-such-format", "version": 1},
        files=upload,
    )
    assert r.status_code == 400 and "unknown transcript format" in r.text
    r = client.post(
        page + "/transcript",
        data={"csrf_token": token, "format": "qmsum", "version": 1},
        files=upload,
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert len(archive.get(int(page.rsplit("/", 1)[1])).transcript or []) == 7


def test_drafting_over_someone_elses_newer_edits_is_refused(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    client, token = editor
    page, sketch_id = session_with_transcript(client, token)
    seen = archive.get(sketch_id).version
    newer = _saved_sketch(archive, sketch_id)  # someone edits after our page was shown
    r = client.post(
        page + "/draft", data={"csrf_token": token, "version": seen}, headers={"Accept": "application/json"}
    )
    assert r.status_code == 409
    assert r.json()["version"] == newer
    assert archive.get(sketch_id).version == newer  # their edits are still there


def test_check_findings_inline_and_one_click_fix(editor: tuple[TestClient, str], archive: Archive) -> None:
    client, token = editor
    page, sketch_id = session_with_transcript(client, token, map_labels=True)
    misspelt_text = "Quilfeather said the harbours now share their tide tables every morning."
    version = _saved_sketch(archive, sketch_id, misspelt_text, framing=False)
    findings = client.get(f"/api/workbench/{sketch_id}/findings").json()["findings"]
    misspelt = [f for f in findings if f["rule"] == "names.misspelt"]
    assert len(misspelt) == 1 and misspelt[0]["anchor"] == "p0-s0" and misspelt[0]["fixable"]
    html = client.get(page, params={"check": 1}).text
    sentence_html = html[html.index('id="p0-s0"') : html.index("</li>", html.index('id="p0-s0"'))]
    assert "names.misspelt" in sentence_html and "Accept fix" in sentence_html  # inline, beside its sentence
    assert 'href="#p0-s0"' in html  # and linked from the list
    r = client.post(
        page + "/fixes",
        data={"csrf_token": token, "finding": misspelt[0]["index"], "version": version},
        follow_redirects=False,
    )
    assert r.status_code == 303
    fixed = archive.get(sketch_id)
    assert fixed.version == version + 1
    assert fixed.sketch.sentences[0].text.startswith("Quillfeather said")  # type: ignore[union-attr]
    # a second click on the old page is refused: the version moved on
    r = client.post(page + "/fixes", data={"csrf_token": token, "finding": 0, "version": version})
    assert r.status_code == 409
