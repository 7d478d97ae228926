"""Issue 30 §6 and §11: ids past 2⁶³ and negative positions are "not found", never a 500 or
another sentence; choosing a session writes only over the version it was shown. FICTIONAL people.
"""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from sessionsketch.archive import Archive

from .test_sessions import create, sketch_id_of
from .test_workbench import _saved_sketch, session_with_transcript, version_of

HUGE = [str(2**63), str(2**64 + 7), "9" * 40, "-1", "-" + str(2**63 + 1)]


@pytest.mark.parametrize("number", HUGE)
def test_ids_past_the_range_are_not_found_for_anyone(client: TestClient, number: str) -> None:
    for url in (f"/sketches/{number}", f"/api/sketches/{number}", f"/sketches/{number}/export/md"):
        r = client.get(url, headers={"Accept": "application/json"})
        assert r.status_code == 404, (url, r.status_code, r.text)


@pytest.mark.parametrize("number", HUGE)
def test_ids_past_the_range_are_not_found_for_an_editor(editor: tuple[TestClient, str], number: str) -> None:
    client, token = editor
    for url in (
        f"/workbench/{number}",
        f"/api/workbench/{number}",
        f"/api/workbench/{number}/findings",
        f"/workbench/{number}/fairness.svg",
        f"/workbench/{number}/export/md",
        f"/workbench/{number}/sharing",
        f"/api/imports/{number}",
        f"/import/{number}",
    ):
        r = client.get(url, headers={"Accept": "application/json"})
        assert r.status_code == 404, (url, r.status_code, r.text)
    for url in (
        f"/workbench/{number}/session",
        f"/workbench/{number}/draft",
        f"/workbench/{number}/publish",
        f"/workbench/{number}/fixes",
        f"/workbench/{number}/sentences/0/0",
    ):
        r = client.post(
            url,
            data={"csrf_token": token, "version": "1", "session": "1", "finding": "0", "text": "x"},
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 404, (url, r.status_code, r.text)


@pytest.mark.parametrize(
    ("p", "s"), [("-1", "-1"), ("0", "-1"), ("-1", "0"), (str(2**63), "0"), ("0", "9" * 30)]
)
def test_negative_or_huge_sentence_positions_are_not_found(
    editor: tuple[TestClient, str], archive: Archive, p: str, s: str
) -> None:
    """``…/sentences/-1/-1`` once edited the last sentence of the last paragraph."""
    client, token = editor
    page, sketch_id = session_with_transcript(client, token)
    version = _saved_sketch(archive, sketch_id)
    before = archive.get(sketch_id).sketch.to_dict()  # type: ignore[union-attr]
    r = client.post(
        f"{page}/sentences/{p}/{s}",
        data={"csrf_token": token, "text": "Changed by a negative index.", "speaker": "", "version": version},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 404, r.text
    record = archive.get(sketch_id)
    assert record.version == version
    assert record.sketch.to_dict() == before  # type: ignore[union-attr]


@pytest.mark.parametrize("version", [str(2**63), "-" + str(2**64), "9" * 40])
def test_versions_past_the_range_are_refused_not_a_500(
    editor: tuple[TestClient, str], archive: Archive, version: str
) -> None:
    client, token = editor
    page, sketch_id = session_with_transcript(client, token)
    _saved_sketch(archive, sketch_id)
    r = client.post(
        f"{page}/sentences/0/0",
        data={"csrf_token": token, "text": "A version nobody has.", "speaker": "", "version": version},
        headers={"Accept": "application/json"},
    )
    assert r.status_code in (409, 422), r.text


def test_choosing_a_session_writes_only_over_the_version_it_checked(
    editor: tuple[TestClient, str], archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another editor's save between the version check and the write is not overwritten."""
    client, token = editor
    sketch_id = sketch_id_of(create(client, token, "1"))
    page = f"/workbench/{sketch_id}"
    seen = version_of(client, page)
    real = archive.update_workbench
    raced = threading.Event()

    def after_the_check(sketch_id_: int, user: str | None, expected_version: int | None = None, **fields):
        if not raced.is_set():
            raced.set()  # someone maps a label in between: the version moves on
            real(sketch_id_, "someone-else", speaker_map={"SPEAKER_09": "Ada Quillfeather"})
        return real(sketch_id_, user, expected_version, **fields)

    monkeypatch.setattr(archive, "update_workbench", after_the_check)
    r = client.post(
        page + "/session",
        data={"csrf_token": token, "session": "3", "version": seen},
        headers={"Accept": "application/json"},
    )
    assert raced.is_set(), "the route did not write (pick a session the programme has)"
    assert r.status_code == 409, r.text
    record = archive.get(sketch_id)
    assert record.version == seen + 1
    assert record.speaker_map == {"SPEAKER_09": "Ada Quillfeather"}


@pytest.mark.parametrize("page", [str(2**63), "9" * 40])
def test_pages_past_the_range_are_refused_not_a_500(client: TestClient, page: str) -> None:
    for url in (f"/people/Ada%20Quill?page={page}", f"/search?q=harbour&page={page}"):
        r = client.get(url)
        assert r.status_code in (404, 422), (url, r.status_code)
