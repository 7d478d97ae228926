"""End to end in headless Chromium: the rapporteur's whole flow against the real server.

Log in, create a session, upload a transcript, map a label, draft, select a sentence and
see its evidence, edit it, run check and see a finding, export a PDF, publish, and find
the edited sentence in the archive. Set ``SESSIONSKETCH_EDITOR_PNG=docs/editor.png`` to
save a screenshot of the editor with its evidence panel.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sessionsketch.archive import open_archive
from sessionsketch.archive.users import add_user
from sessionsketch.web.process import serve_in_background

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PASSWORD = "fictional-pass-123"
EDITED = "Quillfeather said that the harbours now share their tide tables every morning."
MISSPELT = "Quilfeather warned that the northern islands will turn off their lamps."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("Chromium is missing in CI (.ci/setup.d/web.sh installs Debian's chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    data = tmp_path_factory.mktemp("e2e-data")
    archive = open_archive(data)
    add_user(archive, "rapporteur", PASSWORD)
    archive.close()
    # "localhost": Chromium keeps the secure session cookie on it over plain HTTP
    with serve_in_background(data, host_name="localhost") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _needs_library() -> None:
    from sessionsketch.engines import engine_names

    missing = [
        m for m in ("sessionsketch.support", "sessionsketch.checks", "sessionsketch.writers") if not _has(m)
    ]
    if "extractive" not in engine_names():
        missing.append("the extractive engine")
    if missing:
        if IN_CI:
            pytest.fail(f"missing: {', '.join(missing)}")
        pytest.skip(f"not landed yet: {', '.join(missing)}")


def _has(module: str) -> bool:
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError:
        return False
    return bool(getattr(mod, "__path__", None) or getattr(mod, "__file__", None))


def test_rapporteur_flow_in_chromium(server: str, browser: object, tmp_path: Path) -> None:
    _needs_library()
    from playwright.sync_api import expect

    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # log in
    page.goto(server + "/login")
    page.fill('input[name="name"]', "rapporteur")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button:has-text("Log in")')
    expect(page).to_have_url(server + "/workbench")

    # create a session from the form
    form = page.locator("#new-session")
    form.locator('input[name="conference"]').fill("Fictional Forum 2025")
    form.locator('input[name="title"]').fill("The Lighthouse Alliance")
    form.locator('input[name="date"]').fill("2025-05-02")
    form.locator('input[name="moderator"]').fill("Oona Brackwater, Paper Harbour Council")
    form.locator('textarea[name="speakers"]').fill(
        "Ada Quillfeather, Institute of Imaginary Affairs\nBo Larkspur, Cloud Ministry"
    )
    form.locator('button[type="submit"]').click()
    expect(page.locator("h1")).to_have_text("The Lighthouse Alliance")
    workbench_url = page.url.split("#")[0]

    # upload the transcript, map the unresolved label
    page.set_input_files('input[name="transcript"]', str(DATA / "fictional_panel.json"))
    page.click('button:has-text("Upload transcript")')
    page.select_option('select[aria-label="Participant for SPEAKER_02"]', "Bo Larkspur")
    page.click('button:has-text("Save speakers")')
    expect(page.locator("tr.unresolved")).to_have_count(0)

    # draft
    page.click("#draft-button")
    first = page.locator("li.sentence").first
    expect(first).to_be_visible()

    # selecting a sentence highlights the turns it rests on
    first.locator("textarea").click()
    expect(page.locator(".turn.evidence").first).to_be_visible()
    expect(page.locator(".turn.evidence mark").first).to_be_visible()

    # edit it: saved as made (on change), the version goes up
    version = int(page.locator("#editor").get_attribute("data-version") or "0")
    first.locator("textarea").fill(EDITED)
    first.locator("select").select_option("Ada Quillfeather")
    expect(first.locator(".status")).to_contain_text("saved")
    assert int(page.locator("#editor").get_attribute("data-version") or "0") > version
    expect(page.locator(".turn.evidence").first).to_be_visible()
    if os.environ.get("SESSIONSKETCH_EDITOR_PNG"):
        first.locator("textarea").click()
        page.screenshot(path=os.environ["SESSIONSKETCH_EDITOR_PNG"], full_page=False)

    # a second sentence with a misspelt name: check must say so, inline
    second = page.locator("li.sentence").nth(1)
    second.locator("textarea").fill(MISSPELT)
    second.locator("textarea").blur()
    expect(second.locator(".status")).to_contain_text("saved")
    page.click("#run-check")
    expect(page.locator("#findings .finding").first).to_be_visible()
    expect(page.locator("li.sentence .finding").first).to_be_visible()

    # export a PDF
    with page.expect_download() as download_info:
        page.click('a[href$="/export/pdf"]')
    pdf = tmp_path / "sketch.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # publish, then find the edited sentence in the archive
    page.goto(workbench_url)
    page.click("#publish-button")
    expect(page.locator("article.sketch")).to_contain_text(EDITED)
    page.goto(server + "/search")
    page.fill('input[name="q"]', "what did Ada Quillfeather say about tide tables")
    page.click('form.search button[type="submit"]')
    expect(page.locator("ol.hits li").first).to_contain_text(EDITED)
    assert not errors, errors
    context.close()


def test_logged_out_browser_cannot_reach_the_workbench(server: str, browser: object) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server + "/workbench")
    assert page.url.startswith(server + "/login")
    context.close()
