"""Failed logins are limited per user name and client address: 5 in 15 minutes, then 429.

Time is a fake clock the test moves by hand (no sleeping, nothing measured).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sessionsketch.archive import Archive
from sessionsketch.archive.users import add_user
from sessionsketch.web.app import create_app
from sessionsketch.web.security import LoginLimiter

PASSWORD = "fictional-pass-456"
WRONG = "not-the-password"


class Clock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


def browser(archive: Archive, clock: Clock, address: str = "203.0.113.7") -> TestClient:
    """A client from ``address``; every app over the same archive shares the failures (as workers do)."""
    app = create_app(archive)
    app.state.login_limiter.clock = clock
    return TestClient(app, base_url="https://testserver", client=(address, 50000))


def attempt(client: TestClient, name: str = "rapporteur", password: str = WRONG, **headers: str):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with its smallest costs: these tests try passwords dozens of times, not guess them."""
    from argon2 import PasswordHasher

    from sessionsketch.archive import users

    monkeypatch.setattr(users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def users(archive: Archive) -> Archive:
    add_user(archive, "rapporteur", PASSWORD)
    add_user(archive, "oona", PASSWORD)
    return archive


@pytest.fixture
def client(users: Archive, clock: Clock) -> Iterator[TestClient]:
    with browser(users, clock) as c:
        yield c


def test_five_failures_then_429_even_with_the_right_password(client: TestClient, clock: Clock) -> None:
    for _ in range(5):
        assert attempt(client).status_code == 401
        clock.now += 10
    r = attempt(client, password=PASSWORD)
    assert r.status_code == 429
    # free again when the first failure leaves the 15-minute window: 900 s after it, 50 s have passed
    assert r.headers["retry-after"] == "850"
    assert "too many failed logins" in r.text and "15 minutes" in r.text
    assert client.get("/api/me").json()["user"] is None


def test_the_limit_lifts_as_failures_leave_the_window(client: TestClient, clock: Clock) -> None:
    for _ in range(5):
        attempt(client)
        clock.now += 60
    assert attempt(client).status_code == 429  # at +300 s: the first failure (at 0) expires at 900
    clock.now += 599
    assert attempt(client).headers["retry-after"] == "1"
    clock.now += 1
    r = attempt(client)  # one failure out of the window: one more try, which fails again
    assert r.status_code == 401
    r = attempt(client, password=PASSWORD)
    assert r.status_code == 429 and r.headers["retry-after"] == "60"  # the second failure (at 60) is next
    clock.now += 60
    assert attempt(client, password=PASSWORD).status_code == 303


def test_per_user_name_and_address(users: Archive, client: TestClient, clock: Clock) -> None:
    for _ in range(5):
        attempt(client)
    assert attempt(client, password=PASSWORD).status_code == 429
    assert attempt(client, name="oona", password=PASSWORD).status_code == 303  # another name, same address
    with browser(users, clock, address="198.51.100.4") as elsewhere:  # the same name from elsewhere
        assert attempt(elsewhere, password=PASSWORD).status_code == 303


def test_a_success_clears_the_count(client: TestClient) -> None:
    for _ in range(4):
        assert attempt(client).status_code == 401
    assert attempt(client, password=PASSWORD).status_code == 303
    client.cookies.clear()
    for _ in range(4):
        assert attempt(client).status_code == 401
    assert attempt(client, password=PASSWORD).status_code == 303


def test_unknown_names_are_limited_too(client: TestClient) -> None:
    for _ in range(5):
        assert attempt(client, name="nobody").status_code == 401
    assert attempt(client, name="nobody").status_code == 429


def test_workers_share_the_count(users: Archive, clock: Clock) -> None:
    """Two apps over one archive, as ``serve --workers 2`` runs: failures on either count for both."""
    with browser(users, clock) as one, browser(users, clock) as two:
        for c in (one, two, one, two, one):
            assert attempt(c).status_code == 401
        assert attempt(two, password=PASSWORD).status_code == 429
        assert attempt(one, password=PASSWORD).status_code == 429


def test_json_clients_get_429_with_retry_after(client: TestClient) -> None:
    for _ in range(5):
        attempt(client)
    r = attempt(client, Accept="application/json")
    assert r.status_code == 429
    assert r.headers["retry-after"] == "900"
    assert r.json()["retry_after"] == 900 and "too many failed logins" in r.json()["detail"]


def test_old_failures_are_forgotten(any_archive: Archive, clock: Clock) -> None:
    """The archive keeps a failure only while it counts (both backends)."""
    limiter = LoginLimiter(any_archive, clock=clock)
    for _ in range(5):
        limiter.failed("ada", "192.0.2.1")
        clock.now += 1
    assert limiter.retry_after("ada", "192.0.2.1") == 895
    assert limiter.retry_after("ada", "192.0.2.2") is None
    clock.now += 2000
    limiter.failed("bo", "192.0.2.1")  # a new failure sweeps out the expired ones
    assert any_archive.login_failures("ada", "192.0.2.1", since=0) == []
    assert len(any_archive.login_failures("bo", "192.0.2.1", since=0)) == 1
    assert limiter.retry_after("ada", "192.0.2.1") is None
