"""Sessions that can be ended, and drafts that belong to someone (issue 16 §4).

A captured session cookie used to work for 14 days whatever its user did; any logged-in
user could read, edit and publish anyone's draft. The people are FICTIONAL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sessionsketch.archive import Archive
from sessionsketch.archive.users import add_user
from sessionsketch.cli import run
from sessionsketch.web.app import create_app

from .conftest import PASSWORD, log_in

DATA = Path(__file__).parent / "data"


@pytest.fixture
def app(any_archive: Archive):
    for name in ("rapporteur", "oona", "pim"):
        add_user(any_archive, name, PASSWORD)
    return create_app(any_archive)


def browser(app) -> TestClient:
    return TestClient(app, base_url="https://testserver")


def copy_of(client: TestClient, app) -> TestClient:
    """Another browser holding a copy of ``client``'s cookie (what a thief would hold)."""
    thief = browser(app)
    thief.cookies.set("sessionsketch", client.cookies.get("sessionsketch"), domain="testserver.local")
    return thief


def me(client: TestClient) -> str | None:
    return client.get("/api/me").json()["user"]


def test_logout_ends_a_copied_cookie(app) -> None:
    with browser(app) as client:
        token = log_in(client)
        with copy_of(client, app) as thief:
            assert me(thief) == "rapporteur"
            r = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
            assert r.status_code == 303
            assert me(thief) is None
            assert thief.get("/workbench", follow_redirects=False).status_code == 303  # to /login
        assert me(client) is None


def test_a_new_password_ends_existing_sessions(app, any_archive: Archive) -> None:
    with browser(app) as client, browser(app) as other:
        log_in(client)
        log_in(other, "oona")
        add_user(any_archive, "rapporteur", "another-fictional-pass")  # `user add` again: a new password
        assert me(client) is None
        assert me(other) == "oona"  # someone else's session goes on
        log_in(client, password="another-fictional-pass")
        assert me(client) == "rapporteur"


def test_user_revoke_ends_every_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sessionsketch.archive import open_archive

    archive = open_archive(tmp_path / "data")
    add_user(archive, "rapporteur", PASSWORD)
    app = create_app(archive)
    with browser(app) as laptop, browser(app) as phone:
        log_in(laptop)
        log_in(phone)
        assert run(["user", "revoke", "rapporteur", "--data", str(tmp_path / "data")]) == 0
        assert me(laptop) is None and me(phone) is None
        log_in(laptop)  # logging in again works
        assert me(laptop) == "rapporteur"
    capsys.readouterr()
    assert run(["user", "revoke", "nobody", "--data", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: no user 'nobody'"  # one line, exit 2
    archive.close()


# ---------------------------------------------------------------------- who may open a draft


def new_session(client: TestClient, token: str) -> int:
    r = client.post(
        "/workbench",
        data={"csrf_token": token},
        files={"programme_file": ("programme.yaml", (DATA / "fictional_programme.yaml").read_bytes())},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def drafted_session(client: TestClient, token: str) -> int:
    sketch_id = new_session(client, token)
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


def routes(sketch_id: int, token: str, version: int) -> list[tuple[str, str, dict]]:
    """Every workbench route of one session, with a request a colleague might send."""
    w = f"/workbench/{sketch_id}"
    form = {"csrf_token": token, "version": version}
    panel = {"transcript": ("panel.json", (DATA / "fictional_panel.json").read_bytes())}
    return [
        ("GET", w, {}),
        ("GET", f"/api/workbench/{sketch_id}", {}),
        ("GET", f"/api/workbench/{sketch_id}/findings", {}),
        ("GET", f"{w}/export/md", {}),
        ("GET", f"{w}/sharing", {}),
        ("POST", f"{w}/session", {"data": {**form, "session": "1"}}),
        ("POST", f"{w}/transcript", {"data": form, "files": panel}),
        ("POST", f"{w}/speakers", {"data": {**form, "label": ["SPEAKER_02"], "person": ["Bo Larkspur"]}}),
        ("POST", f"{w}/draft", {"data": form}),
        ("POST", f"{w}/sentences/0/0", {"data": {**form, "text": "A changed sentence.", "speaker": ""}}),
        ("POST", f"{w}/fixes", {"data": {**form, "finding": 0}}),
        ("POST", f"{w}/publish", {"data": form}),
        ("POST", f"{w}/sharing", {"data": {**form, "team": "true"}}),
    ]


def test_every_workbench_route_is_refused_to_others(app, any_archive: Archive) -> None:
    with browser(app) as owner, browser(app) as colleague:
        sketch_id = drafted_session(owner, log_in(owner))
        before = any_archive.get(sketch_id)
        token = log_in(colleague, "oona")
        for method, url, kw in routes(sketch_id, token, before.version):
            r = colleague.request(
                method, url, follow_redirects=False, headers={"Accept": "application/json"}, **kw
            )
            assert r.status_code == 403, (method, url, r.status_code, r.text)
            assert "not shared with you" in r.json()["detail"]
        after = any_archive.get(sketch_id)
        assert (after.version, after.status) == (before.version, before.status)  # nothing changed
        assert any_archive.sharing(sketch_id) == {"owner": "rapporteur", "team": False, "editors": []}
        listed = colleague.get("/workbench").text
        assert f"/workbench/{sketch_id}" not in listed
        assert f"/workbench/{sketch_id}" in owner.get("/workbench").text


def test_named_editors_and_the_team(app, any_archive: Archive) -> None:
    with browser(app) as owner, browser(app) as oona, browser(app) as pim:
        owner_token = log_in(owner)
        sketch_id = drafted_session(owner, owner_token)
        oona_token, pim_token = log_in(oona, "oona"), log_in(pim, "pim")
        share = owner.post(
            f"/workbench/{sketch_id}/sharing",
            data={"csrf_token": owner_token, "editors": ["oona"]},
            headers={"Accept": "application/json"},
        )
        assert share.json() == {"owner": "rapporteur", "team": False, "editors": ["oona"]}
        # an editor may open, edit and publish, but not change who may edit
        assert oona.get(f"/workbench/{sketch_id}").status_code == 200
        version = any_archive.get(sketch_id).version
        r = oona.post(
            f"/workbench/{sketch_id}/sentences/0/0",
            data={"csrf_token": oona_token, "version": version, "text": "An edit by Oona.", "speaker": ""},
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 200, r.text
        r = oona.post(
            f"/workbench/{sketch_id}/sharing",
            data={"csrf_token": oona_token, "team": "true"},
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 403 and "only rapporteur" in r.json()["detail"]
        assert pim.get(f"/api/workbench/{sketch_id}").status_code == 403
        # an unknown editor is refused; the team setting opens it to everyone
        r = owner.post(
            f"/workbench/{sketch_id}/sharing",
            data={"csrf_token": owner_token, "editors": ["nobody"]},
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 400 and "no user 'nobody'" in r.json()["detail"]
        owner.post(f"/workbench/{sketch_id}/sharing", data={"csrf_token": owner_token, "team": "true"})
        assert pim.get(f"/api/workbench/{sketch_id}").json()["sharing"]["team"] is True
        assert f"/workbench/{sketch_id}" in pim.get("/workbench").text
        r = pim.post(
            f"/workbench/{sketch_id}/publish",
            data={"csrf_token": pim_token, "version": any_archive.get(sketch_id).version},
            follow_redirects=False,
        )
        assert r.status_code == 303
        # the sharing page shows the owner's form to the owner only
        assert 'id="sharing"' in owner.get(f"/workbench/{sketch_id}/sharing").text
        assert 'id="sharing"' not in pim.get(f"/workbench/{sketch_id}/sharing").text
