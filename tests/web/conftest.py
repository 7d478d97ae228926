"""Fixtures for the web area: an archive (SQLite, or PostgreSQL when reachable), the app, clients."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sessionsketch.archive import Archive, open_archive
from sessionsketch.archive.users import add_user
from sessionsketch.web.app import create_app

#: Where the postgres-marked tests find their database (.ci/setup.d/web.sh creates it).
POSTGRES_URL = os.environ.get(
    "SESSIONSKETCH_TEST_POSTGRES",
    "postgresql://sessionsketch:sessionsketch@127.0.0.1:5432/sessionsketch_test",
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PASSWORD = "fictional-pass-123"
TABLES = "sketch_history, sketch_editors, sentences, appearances, imports, sketches, users, settings, login_failures"


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def _postgres_archive() -> Archive:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {TABLES} CASCADE")
    except Exception as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL} in CI: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} (run .ci/setup.d/web.sh): {exc}")
    return open_archive(database_url=POSTGRES_URL)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_archive(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Archive]:
    """The same tests over both backends."""
    archive = open_archive(tmp_path / "data") if request.param == "sqlite" else _postgres_archive()
    yield archive
    archive.close()


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    archive = open_archive(tmp_path / "data")
    yield archive
    archive.close()


@pytest.fixture
def client(archive: Archive) -> Iterator[TestClient]:
    """A logged-out browser (HTTPS, so the secure session cookie is sent)."""
    add_user(archive, "rapporteur", PASSWORD)
    with TestClient(create_app(archive), base_url="https://testserver") as c:
        yield c


def log_in(client: TestClient, name: str = "rapporteur", password: str = PASSWORD) -> str:
    """Log ``client`` in; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return client.get("/api/me").json()["csrf_token"]


@pytest.fixture
def editor(client: TestClient) -> tuple[TestClient, str]:
    """A logged-in client and its CSRF token."""
    return client, log_in(client)
