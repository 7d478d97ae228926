"""Access and injection: logged-out writes refused, CSRF-less writes refused, XSS payloads inert."""

from __future__ import annotations

import json
import re

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from sessionsketch.archive import Archive
from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC_WRITES = {"/login"}  # logging in is the one write a stranger may attempt (still needs the CSRF token)
XSS_NAME = '<script>alert("name")</script>Eve Q. Mallory'
XSS_TEXT = 'Mallory said <img src=x onerror=alert("text")> about the "harbour".'
XSS_QUERY = '"><script>alert("query")</script>'


def _api_routes(routes: list) -> list[APIRoute]:
    out: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append(route)
        elif getattr(route, "original_router", None) is not None:  # FastAPI >= 0.16x wraps included routers
            out.extend(_api_routes(route.original_router.routes))
    return out


def write_routes(client: TestClient) -> list[tuple[str, str]]:
    routes = []
    for route in _api_routes(client.app.routes):  # type: ignore[attr-defined]
        for method in sorted(route.methods & WRITE_METHODS):
            path = re.sub(r"\{[^}]+\}", "0", route.path).replace("/workbench/0", "/workbench/1")
            routes.append((method, path))
    return routes


def _state(archive: Archive) -> tuple:
    record = archive.get(1)
    return (record.version, archive.counts(), len(archive.workbench_list()))


def _seed(archive: Archive) -> None:
    archive.create_workbench(
        {"session": {"title": "Seed", "speakers": ["Ada Quillfeather"]}}, "Seed", None, "x"
    )


def test_every_write_endpoint_is_listed(client: TestClient) -> None:
    paths = {p for _, p in write_routes(client)}
    for expected in (
        "/workbench",
        "/workbench/1/transcript",
        "/workbench/1/speakers",
        "/workbench/1/draft",
        "/workbench/1/sentences/0/0",
        "/workbench/1/fixes",
        "/workbench/1/publish",
        "/import",
        "/logout",
    ):
        assert expected in paths


def test_logged_out_writes_are_refused(client: TestClient, archive: Archive) -> None:
    _seed(archive)
    before = _state(archive)
    # a stranger who has a CSRF token (from any public page) is still refused
    token = client.get("/api/me").json()["csrf_token"]
    for method, path in write_routes(client):
        if path in PUBLIC_WRITES or path == "/logout":
            continue
        for headers in ({}, {"X-CSRF-Token": token}):
            r = client.request(
                method, path, data={"csrf_token": token}, headers=headers, follow_redirects=False
            )
            assert r.status_code == 401, (method, path, r.status_code)
    assert _state(archive) == before
    # and the workbench pages are not shown: GETs go to the login page
    r = client.get("/workbench/1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert client.get("/api/workbench/1").status_code == 401


def test_csrf_less_writes_are_refused(editor: tuple[TestClient, str], archive: Archive) -> None:
    client, token = editor
    _seed(archive)
    before = _state(archive)
    for method, path in write_routes(client):
        for data, headers in (({}, {}), ({"csrf_token": "forged"}, {}), ({}, {"X-CSRF-Token": "forged"})):
            r = client.request(method, path, data=data, headers=headers, follow_redirects=False)
            assert r.status_code == 403, (method, path, data, headers, r.status_code)
    assert _state(archive) == before
    # the same request with the token goes through
    r = client.post("/workbench", data={"csrf_token": token, "title": "Real"}, follow_redirects=False)
    assert r.status_code == 303


def test_login_needs_the_right_password_and_a_token(client: TestClient) -> None:
    token = client.get("/api/me").json()["csrf_token"]
    r = client.post("/login", data={"name": "rapporteur", "password": "wrong-password", "csrf_token": token})
    assert r.status_code == 401 and "wrong user name or password" in r.text
    r = client.post("/login", data={"name": "rapporteur", "password": "fictional-pass-123"})
    assert r.status_code == 403
    assert client.get("/api/me").json()["user"] is None


def test_session_cookie_is_signed_secure_and_httponly(client: TestClient) -> None:
    token = client.get("/api/me").json()["csrf_token"]
    r = client.post(
        "/login",
        data={"name": "rapporteur", "password": "fictional-pass-123", "csrf_token": token},
        follow_redirects=False,
    )
    cookie = r.headers["set-cookie"]
    assert "secure" in cookie.lower() and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    # a tampered cookie is not a login (replaced in the jar, not added beside the real one)
    stored = next(c for c in client.cookies.jar if c.name == "sessionsketch")
    value, domain = stored.value, stored.domain
    tampered = value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    client.cookies.clear()
    client.cookies.set("sessionsketch", tampered, domain=domain)
    r = client.get("/api/me")
    assert tampered in r.request.headers["cookie"] and value not in r.request.headers["cookie"]
    assert r.json()["user"] is None
    client.cookies.clear()
    client.cookies.set("sessionsketch", value, domain=domain)
    assert client.get("/api/me").json()["user"] == "rapporteur"  # the untouched cookie still is


def _xss_sketch() -> Sketch:
    return Sketch(
        metadata=Metadata(
            conference="Fictional <b>Forum</b> 2024",
            session="<svg onload=alert(1)>Harbours",
            speakers=[PersonRef(XSS_NAME, '<a href="javascript:alert(1)">Inst</a>')],
        ),
        paragraphs=[Paragraph(speaker=XSS_NAME, sentences=[Sentence(XSS_TEXT, XSS_NAME)])],
    )


def _inert(html: str) -> None:
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>Forum", 'href="javascript:'):
        assert raw not in html, raw


def test_xss_in_the_archive_is_inert(client: TestClient, archive: Archive) -> None:
    sid, _ = archive.publish(_xss_sketch(), source_key="xss.json")
    pages = [
        f"/sketches/{sid}",
        "/search?q=harbour",
        "/search?q=" + XSS_QUERY,
        "/search?q=x&speaker=" + XSS_QUERY,
        "/people",
        "/people/" + XSS_NAME,
        "/conferences",
        "/conferences/Fictional <b>Forum</b> 2024",
        "/",
    ]
    for page in pages:
        r = client.get(page)
        assert r.status_code in (200, 404), page
        _inert(r.text)
    r = client.get(f"/sketches/{sid}")
    assert "&lt;img src=x onerror=alert(&#34;text&#34;)&gt;" in r.text
    assert "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;" in r.text
    # the JSON API returns the text as data, with a JSON content type
    r = client.get("/api/search", params={"q": "harbour"})
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["hits"][0]["sentence"] == XSS_TEXT
    # pages may not run inline script at all
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_xss_in_the_workbench_is_inert(editor: tuple[TestClient, str]) -> None:
    client, token = editor
    r = client.post(
        "/workbench",
        data={"csrf_token": token, "title": "<svg onload=alert(1)>Harbours", "speakers": XSS_NAME + ", Inst"},
        follow_redirects=False,
    )
    page = r.headers["location"]
    transcript = {
        "meeting_transcripts": [
            {"speaker": '<img src=x onerror=alert("label")>', "content": XSS_TEXT},
            {"speaker": XSS_NAME, "content": "A fictional reply about tides and harbours."},
        ]
    }
    r = client.post(
        page + "/transcript",
        data={"csrf_token": token, "version": 1},
        files={
            "transcript": ("<script>t</script>.json", json.dumps(transcript).encode(), "application/json")
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    html = client.get(page).text
    _inert(html)
    assert "&lt;img src=x onerror=alert(&#34;label&#34;)&gt;" in html  # the unresolved label, shown as text
