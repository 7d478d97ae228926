"""Issue 30, item 3: one user's import never replaces another's sketch; a re-import keeps history.

An imported sketch is its importer's: the archive keys it by (owner, file name), so user B
importing a file named like user A's creates B's own sketch and leaves A's rows as they were.
The same owner importing changed bytes under the same name updates the sketch and keeps the
version it replaces in the sketch's history. Archives made before owners existed are migrated
(the owner is the importer recorded then) on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from sessionsketch.archive import Archive
from sessionsketch.archive.importer import import_sketch
from sessionsketch.archive.users import add_user
from sessionsketch.web.app import create_app

from .conftest import PASSWORD, log_in
from .test_import import fictional

A_WORDS = "Quillfeather argued that harbour fees should fall."
B_WORDS = "Quillfeather proposed a shared lamp fund."


def _rows(archive: Archive, sketch_id: int) -> dict[str, object]:
    """What the archive holds of one sketch: its row and its indexed sentences."""
    record = archive.get(sketch_id)
    sentences = archive._rows("SELECT text FROM sentences WHERE sketch_id = ? ORDER BY id", (sketch_id,))
    return {
        "published": record.published.to_dict() if record.published else None,
        "version": record.version,
        "updated_by": record.updated_by,
        "sentences": [r["text"] for r in sentences],
    }


def test_another_users_import_of_the_same_name_leaves_mine_alone(any_archive: Archive) -> None:
    a = import_sketch(any_archive, "report.md", fictional(2023, A_WORDS), user="ada")
    before = _rows(any_archive, a.sketch_id)
    b = import_sketch(any_archive, "report.md", fictional(2024, B_WORDS), user="bo")
    assert (a.status, b.status) == ("created", "created")
    assert b.sketch_id != a.sketch_id
    assert _rows(any_archive, a.sketch_id) == before  # nothing of A's changed
    assert any_archive.owner_of(a.sketch_id) == "ada"
    assert any_archive.owner_of(b.sketch_id) == "bo"
    # each sees their own when they import again
    again = import_sketch(any_archive, "report.md", fictional(2024, B_WORDS), user="bo")
    assert (again.status, again.sketch_id) == ("unchanged", b.sketch_id)
    assert any_archive.counts()["sketches"] == 2


def test_a_reimport_by_the_owner_updates_and_keeps_history(any_archive: Archive) -> None:
    first = import_sketch(any_archive, "report.md", fictional(2023, A_WORDS), user="ada")
    old = any_archive.get(first.sketch_id).published
    second = import_sketch(any_archive, "report.md", fictional(2023, B_WORDS), user="ada")
    assert (second.status, second.sketch_id) == ("updated", first.sketch_id)
    history = any_archive.history(first.sketch_id)
    assert [(h["version"], h["replaced_by"]) for h in history] == [(1, "ada")]
    assert history[0]["sketch"] == old.to_dict()
    assert any_archive.get(first.sketch_id).published.sentences[0].text == B_WORDS
    # unchanged bytes add nothing to the history
    import_sketch(any_archive, "report.md", fictional(2023, B_WORDS), user="ada")
    assert len(any_archive.history(first.sketch_id)) == 1


def test_two_users_import_report_md_through_the_web(archive: Archive) -> None:
    add_user(archive, "ada", PASSWORD)
    add_user(archive, "bo", PASSWORD)
    app = create_app(archive)
    with (
        TestClient(app, base_url="https://testserver") as ada,
        TestClient(app, base_url="https://testserver") as bo,
    ):
        jobs = []
        for client, name, words in ((ada, "ada", A_WORDS), (bo, "bo", B_WORDS)):
            token = log_in(client, name)
            r = client.post(
                "/import",
                data={"csrf_token": token},
                files=[("files", ("report.md", fictional(2023, words), "application/json"))],
                headers={"Accept": "application/json"},
            )
            assert r.status_code == 202, r.text
            jobs.append(client.get(r.json()["url"]).json())
        assert [j["log"][0]["status"] for j in jobs] == ["created", "created"]
        a_id, b_id = (j["log"][0]["sketch_id"] for j in jobs)
        assert a_id != b_id
        assert (
            ada.get(f"/api/sketches/{a_id}").json()["sketch"]["paragraphs"][0]["sentences"][0]["text"]
            == A_WORDS
        )
        # ada imports a new version: her history has the old one; bo cannot read ada's history
        token = ada.get("/api/me").json()["csrf_token"]
        r = ada.post(
            "/import",
            data={"csrf_token": token},
            files=[("files", ("report.md", fictional(2023, A_WORDS + " Twice."), "application/json"))],
            headers={"Accept": "application/json"},
        )
        entry = ada.get(r.json()["url"]).json()["log"][0]
        assert (entry["status"], entry["sketch_id"]) == ("updated", a_id)
        history = ada.get(f"/api/sketches/{a_id}/history").json()
        assert [v["version"] for v in history["versions"]] == [1] and history["owner"] == "ada"
        assert bo.get(f"/api/sketches/{a_id}/history").status_code == 404
        assert bo.get(f"/api/sketches/{b_id}/history").json()["versions"] == []
        hits = ada.get("/api/search", params={"q": "Quillfeather"}).json()["hits"]
        assert {h["sentence"] for h in hits} == {A_WORDS + " Twice.", B_WORDS}


OLD_SKETCHES = """CREATE TABLE sketches (
    id {id}, status TEXT NOT NULL, title TEXT,
    sketch_json TEXT, published_json TEXT, programme_json TEXT, session_slug TEXT, transcript_json TEXT,
    transcript_name TEXT, speaker_map_json TEXT, source_key TEXT UNIQUE, content_hash TEXT,
    conference TEXT, year INTEGER, session_title TEXT, date TEXT,
    version INTEGER NOT NULL DEFAULT 1, published_version INTEGER,
    created_by TEXT, updated_by TEXT, created_at TEXT, updated_at TEXT, published_at TEXT,
    team INTEGER NOT NULL DEFAULT 0)"""


def test_an_archive_from_before_owners_is_migrated(any_archive: Archive) -> None:
    """The sketches table as the previous release made it (a global UNIQUE source key, no owner)."""
    key = (
        "BIGSERIAL PRIMARY KEY"
        if any_archive.backend == "postgresql"
        else "INTEGER PRIMARY KEY AUTOINCREMENT"
    )
    doc = fictional(2023, A_WORDS).decode()
    with any_archive._write() as cur:
        for table in ("sketch_history", "sketch_editors", "sentences", "appearances", "sketches"):
            cur.execute(
                f"DROP TABLE IF EXISTS {table}" + (" CASCADE" if any_archive.backend == "postgresql" else "")
            )
        cur.execute(OLD_SKETCHES.format(id=key))
        any_archive._exec(
            cur,
            "INSERT INTO sketches (status, title, published_json, sketch_json, source_key, content_hash, "
            "created_by, updated_by, version, published_version) "
            "VALUES ('published', 'Old', ?, ?, 'report.md', 'h0', 'ada', 'ada', 1, 1)",
            (doc, doc),
        )
        cur.execute(
            "INSERT INTO sketches (status, title, programme_json, created_by, version) "
            "VALUES ('draft', 'Draft', '{}', NULL, 1)"
        )
    old_id = int(any_archive._row("SELECT id FROM sketches WHERE source_key = 'report.md'")["id"])
    reopened = any_archive.init().migrate()
    reopened.migrate()  # a second open changes nothing
    assert reopened.owner_of(old_id) == "ada"
    assert reopened.get(old_id).source_key == "report.md"
    b = import_sketch(reopened, "report.md", fictional(2024, B_WORDS), user="bo")
    assert b.status == "created" and b.sketch_id != old_id
    assert reopened.get(old_id).title == "Old" and reopened.get(old_id).version == 1
    a = import_sketch(reopened, "report.md", fictional(2024, A_WORDS), user="ada")
    assert (a.status, a.sketch_id) == ("updated", old_id)
    assert [h["version"] for h in reopened.history(old_id)] == [1]
