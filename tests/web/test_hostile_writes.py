"""The rest of issue 16 §4: atomic login limits, trusted proxies, versions on every write that
can lose work, interrupted imports, one answer for drafts and missing sketches, a /docs page
without a CDN, and databases from before all this. The people are FICTIONAL.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from sessionsketch.archive import Archive, open_archive
from sessionsketch.archive import users as users_module
from sessionsketch.archive.users import add_user
from sessionsketch.web import public
from sessionsketch.web.app import create_app
from sessionsketch.web.process import serve_in_background

from .conftest import PASSWORD, csrf_of, log_in
from .test_import import fictional

DATA = Path(__file__).parent / "data"
WRONG = "not-the-password"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(users_module, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def try_login(client: TestClient, password: str = WRONG, **headers: str) -> int:
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"name": "rapporteur", "password": password, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )
    return r.status_code


# ---------------------------------------------------------------------- the login limiter


def test_sixteen_wrong_logins_at_once_check_the_password_five_times(
    any_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(any_archive, "rapporteur", PASSWORD)
    checked: list[str] = []
    real = public.authenticate

    def slow_check(archive: Archive, name: str, password: str) -> bool:
        checked.append(name)
        time.sleep(0.2)  # a real argon2 check takes this long: the window the others race through
        return real(archive, name, password)

    monkeypatch.setattr(public, "authenticate", slow_check)
    app = create_app(any_archive)
    statuses: list[int] = []
    clients = [
        TestClient(app, base_url="https://testserver", client=("203.0.113.7", 5000)) for _ in range(16)
    ]
    tokens = [csrf_of(c.get("/login").text) for c in clients]
    go = threading.Barrier(16)

    def attempt(c: TestClient, token: str) -> None:
        go.wait()
        r = c.post(
            "/login",
            data={"name": "rapporteur", "password": WRONG, "csrf_token": token},
            follow_redirects=False,
        )
        statuses.append(r.status_code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in clients:
        c.close()
    assert len(checked) == 5
    assert sorted(statuses) == [401] * 5 + [429] * 11


# ---------------------------------------------------------------------- X-Forwarded-For


def test_forwarded_for_is_ignored_unless_the_proxy_is_named(archive: Archive) -> None:
    add_user(archive, "rapporteur", PASSWORD)
    app = create_app(archive)
    with TestClient(app, base_url="https://testserver", client=("127.0.0.1", 5000)) as local:
        for i in range(5):  # a local process claiming a new address each time
            assert try_login(local, **{"X-Forwarded-For": f"198.51.100.{i}"}) == 401
        assert try_login(local, **{"X-Forwarded-For": "198.51.100.99"}) == 429
    proxied = create_app(archive, trusted_proxies=["10.0.0.0/8"])
    with TestClient(proxied, base_url="https://testserver", client=("10.1.2.3", 5000)) as proxy:
        # the proxy names the client: each client has its own count
        for _ in range(5):
            assert try_login(proxy, **{"X-Forwarded-For": "192.0.2.10"}) == 401
        assert try_login(proxy, **{"X-Forwarded-For": "192.0.2.10"}) == 429
        assert try_login(proxy, PASSWORD, **{"X-Forwarded-For": "192.0.2.11"}) == 303
        # a client's own X-Forwarded-For in front of the proxy's does not hide it
        assert try_login(proxy, **{"X-Forwarded-For": "192.0.2.77, 192.0.2.10"}) == 429


def test_the_server_ignores_forwarded_for_from_local_processes(tmp_path: Path) -> None:
    """Through uvicorn, which on its own trusted X-Forwarded-For from any process on 127.0.0.1."""
    archive = open_archive(tmp_path / "data")
    add_user(archive, "rapporteur", PASSWORD)
    archive.close()
    with (
        serve_in_background(tmp_path / "data", extra_args=("--insecure-cookies",)) as base,
        httpx.Client(base_url=base) as http,
    ):
        codes = []
        for i in range(6):
            page = http.get("/login")
            r = http.post(
                "/login",
                data={"name": "rapporteur", "password": WRONG, "csrf_token": csrf_of(page.text)},
                headers={"X-Forwarded-For": f"198.51.100.{i}"},
            )
            codes.append(r.status_code)
    assert codes == [401] * 5 + [429]


# ---------------------------------------------------------------------- versions on writes that can lose work


def new_drafted_session(client: TestClient, token: str) -> int:
    r = client.post(
        "/workbench",
        data={"csrf_token": token},
        files={"programme_file": ("programme.yaml", (DATA / "fictional_programme.yaml").read_bytes())},
        follow_redirects=False,
    )
    sketch_id = int(r.headers["location"].rsplit("/", 1)[1])
    r = client.post(
        f"/workbench/{sketch_id}/transcript",
        data={"csrf_token": token, "version": 1},
        files={"transcript": ("panel.json", (DATA / "fictional_panel.json").read_bytes())},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    r = client.post(
        f"/workbench/{sketch_id}/draft", data={"csrf_token": token, "version": 2}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return sketch_id


def test_draft_and_transcript_need_the_version(editor: tuple[TestClient, str], archive: Archive) -> None:
    client, token = editor
    sketch_id = new_drafted_session(client, token)
    before = archive.get(sketch_id)
    json_only = {"Accept": "application/json"}
    panel = {"transcript": ("panel.json", (DATA / "fictional_panel.json").read_bytes())}
    for path, files in (("draft", None), ("transcript", panel)):
        r = client.post(
            f"/workbench/{sketch_id}/{path}", data={"csrf_token": token}, files=files, headers=json_only
        )
        assert r.status_code == 422, (path, r.text)  # no version: refused, not overwritten
        r = client.post(
            f"/workbench/{sketch_id}/{path}",
            data={"csrf_token": token, "version": before.version - 1},
            files=files,
            headers=json_only,
        )
        assert r.status_code == 409, (path, r.text)
        assert r.json()["version"] == before.version
    after = archive.get(sketch_id)
    assert after.version == before.version and after.sketch.to_dict() == before.sketch.to_dict()


def test_speaker_mapping_and_publish_need_the_version(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    """The label map and publishing could lose work too: a stale version is refused with 409 and
    changes nothing; the version the page showed is taken."""
    client, token = editor
    sketch_id = new_drafted_session(client, token)
    json_only = {"Accept": "application/json"}
    mapping = {"label": ["SPEAKER_02"], "person": ["Bo Larkspur"]}
    for path, extra in (("speakers", mapping), ("publish", {})):
        before = archive.get(sketch_id)
        r = client.post(
            f"/workbench/{sketch_id}/{path}", data={"csrf_token": token, **extra}, headers=json_only
        )
        assert r.status_code == 422, (path, r.text)  # no version: refused
        # someone saved after this page was shown (their version is the archive's now)
        r = client.post(
            f"/workbench/{sketch_id}/{path}",
            data={"csrf_token": token, "version": before.version - 1, **extra},
            headers=json_only,
        )
        assert r.status_code == 409, (path, r.text)
        assert r.json()["version"] == before.version and "not saved" in r.json()["detail"]
        after = archive.get(sketch_id)
        assert (after.version, after.status, after.speaker_map) == (
            before.version,
            before.status,
            before.speaker_map,
        )
        # the current version is taken
        r = client.post(
            f"/workbench/{sketch_id}/{path}",
            data={"csrf_token": token, "version": before.version, **extra},
            headers=json_only,
        )
        assert r.status_code == 200, (path, r.text)
        assert r.json()["version"] > before.version
    record = archive.get(sketch_id)
    assert record.speaker_map == {"SPEAKER_02": "Bo Larkspur"}
    assert record.published_version == record.version
    assert client.get(f"/api/sketches/{sketch_id}").status_code == 200
    # the page's plain forms carry the version (workbench.js keeps them current after an edit)
    page = client.get(f"/workbench/{sketch_id}").text
    for path in ("speakers", "publish"):
        form = re.search(rf'<form method="post" action="/workbench/{sketch_id}/{path}".*?</form>', page, re.S)
        assert form and f'name="version" value="{record.version}"' in form.group(0), path


def test_a_stale_page_cannot_publish_over_a_newer_edit(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    """Publishing from a page opened before a colleague's edit publishes nothing: the archive
    keeps (and the public sees) the colleague's newer sentence once it is published, never the old one."""
    client, token = editor
    sketch_id = new_drafted_session(client, token)
    opened = archive.get(sketch_id).version
    r = client.post(
        f"/workbench/{sketch_id}/sentences/0/0",
        data={
            "csrf_token": token,
            "version": opened,
            "text": "A newer opening by a colleague.",
            "speaker": "",
        },
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 200, r.text
    r = client.post(
        f"/workbench/{sketch_id}/publish",
        data={"csrf_token": token, "version": opened},
        follow_redirects=False,
    )
    assert r.status_code == 409 and "not saved" in r.text  # the page again, with the newer version
    record = archive.get(sketch_id)
    assert record.published_version is None
    assert record.sketch.paragraphs[0].sentences[0].text == "A newer opening by a colleague."


def test_a_replaced_transcript_leaves_no_evidence_pointing_at_missing_turns(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    import json

    client, token = editor
    sketch_id = new_drafted_session(client, token)
    before = archive.get(sketch_id)
    assert any(e.turn >= 3 for s in before.sketch.sentences for e in s.evidence)
    # the new transcript drops the first turn and keeps the first half of the rest
    panel = json.loads((DATA / "fictional_panel.json").read_text())
    turns = panel["meeting_transcripts"][1:4]
    panel["meeting_transcripts"] = turns
    r = client.post(
        f"/workbench/{sketch_id}/transcript",
        data={"csrf_token": token, "version": before.version},
        files={"transcript": ("shorter.json", json.dumps(panel).encode())},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 200, r.text
    answer = r.json()
    after = archive.get(sketch_id)
    texts = {t["index"]: t["text"] for t in after.transcript}
    old_texts = {t["index"]: t["text"] for t in before.transcript}
    kept = 0
    for old, new in zip(before.sketch.sentences, after.sketch.sentences, strict=True):
        for e in new.evidence:
            assert e.turn in texts and 0 <= e.start < e.end <= len(texts[e.turn])
            kept += 1
        # what a span still points at is the same words as before
        old_words = {old_texts[e.turn][e.start : e.end] for e in old.evidence}
        assert {texts[e.turn][e.start : e.end] for e in new.evidence} <= old_words
    assert answer["evidence_moved"] > 0 and answer["evidence_dropped"] > 0
    assert kept == sum(len(s.evidence) for s in before.sketch.sentences) - answer["evidence_dropped"]


# ---------------------------------------------------------------------- imports, public answers, /docs


def test_an_interrupted_import_is_marked_failed_when_the_server_starts(any_archive: Archive) -> None:
    job = any_archive.start_import(3, "rapporteur")  # the server was killed after one file
    any_archive.record_import(job, {"file": "a.json", "status": "created", "sketch_id": None}, failed=False)
    assert any_archive.import_job(job).status == "running"
    add_user(any_archive, "rapporteur", PASSWORD)
    with TestClient(create_app(any_archive), base_url="https://testserver") as client:
        log_in(client)
        state = client.get(f"/api/imports/{job}").json()
        assert state["status"] == "failed" and state["failed"] == 2
        assert "interrupted" in state["log"][-1]["message"]
        page = client.get(f"/import/{job}").text
        assert "interrupted" in page and 'http-equiv="refresh"' not in page  # the page stops polling


def test_an_import_is_seen_only_by_the_user_who_started_it(any_archive: Archive) -> None:
    """Another editor gets the answer a missing import gets, on the page and in the API."""
    for name in ("rapporteur", "oona"):
        add_user(any_archive, name, PASSWORD)
    app = create_app(any_archive)
    sketch = fictional(2025, "Quillfeather argued that harbour fees should fall.")
    with (
        TestClient(app, base_url="https://testserver") as mine,
        TestClient(app, base_url="https://testserver") as theirs,
    ):
        token = log_in(mine)
        log_in(theirs, "oona")
        r = mine.post(
            "/import",
            data={"csrf_token": token},
            files={"files": ("lighthouse.json", sketch)},
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 202, r.text
        job = r.json()["job"]
        missing = job + 1000
        assert mine.get(f"/api/imports/{job}").json()["total"] == 1
        assert mine.get(f"/import/{job}").status_code == 200
        for url, other in (
            (f"/api/imports/{job}", f"/api/imports/{missing}"),
            (f"/import/{job}", f"/import/{missing}"),
        ):
            seen, absent = theirs.get(url), theirs.get(other)
            assert (seen.status_code, absent.status_code) == (404, 404), url
            if url.startswith("/api/"):
                assert seen.json()["detail"] == f"no import {job}"
                assert absent.json()["detail"] == f"no import {missing}"
            else:
                assert "lighthouse.json" not in seen.text and f"no import {job}" in seen.text
        with TestClient(app, base_url="https://testserver") as stranger:  # logged out
            assert stranger.get(f"/api/imports/{job}", follow_redirects=False).status_code in (401, 303)


def test_anonymous_readers_cannot_tell_drafts_from_missing_sketches(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    client, token = editor
    draft_id = new_drafted_session(client, token)
    missing = draft_id + 1000
    with TestClient(client.app, base_url="https://testserver") as stranger:
        answers = [stranger.get(f"/api/sketches/{i}") for i in (draft_id, missing)]
        assert [a.status_code for a in answers] == [404, 404]
        details = [a.json()["detail"] for a in answers]
        assert details == [f"no published sketch {draft_id}", f"no published sketch {missing}"]
        pages = [stranger.get(f"/sketches/{i}") for i in (draft_id, missing)]
        assert [p.status_code for p in pages] == [404, 404]
        messages = [re.search(r'<p class="error"[^>]*>(.*?)</p>', p.text).group(1) for p in pages]
        assert messages == [f"no published sketch {draft_id}", f"no published sketch {missing}"]


def test_docs_page_is_local_and_within_the_csp(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    page = r.text
    assert "/api/search" in page and "/openapi.json" in page
    assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", page)  # no inline script
    assert not re.search(r"""(src|href)=["']https?://""", page)  # nothing from a CDN
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").json()["paths"]


# ---------------------------------------------------------------------- databases from before


def test_a_database_from_before_keeps_working(any_archive: Archive) -> None:
    """Drop what this release added, as an older database lacks it; reopening adds it back."""
    add_user(any_archive, "rapporteur", PASSWORD)
    old_draft = any_archive.create_workbench(
        {"session": {"title": "Old", "speakers": ["Ada Quill"]}}, "Old", None, "x"
    )
    with any_archive._write() as cur:
        cur.execute("DROP TABLE sketch_editors")
        cur.execute("ALTER TABLE users DROP COLUMN session_generation")
        cur.execute("ALTER TABLE sketches DROP COLUMN team")
    reopened = any_archive.init().migrate()
    assert reopened.session_generation("rapporteur") == 0
    assert reopened.sharing(old_draft) == {
        "owner": "x",
        "team": True,
        "editors": [],
    }  # open to all, as before
    reopened.migrate()  # a second open changes nothing
    with TestClient(create_app(reopened), base_url="https://testserver") as client:
        log_in(client)
        assert client.get(f"/api/workbench/{old_draft}").status_code == 200
        token = client.get("/api/me").json()["csrf_token"]
        r = client.post("/workbench", data={"csrf_token": token, "title": "New"}, follow_redirects=False)
        new_id = int(r.headers["location"].rsplit("/", 1)[1])
        assert reopened.sharing(new_id) == {"owner": "rapporteur", "team": False, "editors": []}
