"""The search, person and workbench pages in Chromium (issue 17): highlighted results, facets that
narrow, snippets that open, charts drawn without script errors under the CSP, and the fairness
chart following the editor's edits. FICTIONAL panels: invented people, invented words.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sessionsketch.archive import open_archive
from sessionsketch.archive.users import add_user
from sessionsketch.model import Evidence, Paragraph, Sentence, Sketch
from sessionsketch.web.process import serve_in_background

from .test_charts import _career
from .test_e2e import CHROMIUM, CHROMIUM_ARGS, DATA, IN_CI, PASSWORD

pytestmark = pytest.mark.browser


#: how long a browser action or assertion may wait (a loaded 2-core machine; not a timing test)
BROWSER_WAIT_MS = 30_000


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("Chromium is missing in CI (.ci/setup.d/web.sh installs Debian's chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    data = tmp_path_factory.mktemp("charts-data")
    archive = open_archive(data)
    add_user(archive, "rapporteur", PASSWORD)
    _career(archive)
    archive.close()
    return data


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    with serve_in_background(data_dir, host_name="localhost") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    # expect() waits 5 s by default, whatever the context's timeout: on a loaded 2-core CI
    # machine an inline finding took longer (issue 30, item 12). Assertions wait as long as
    # actions do; they still return as soon as the condition holds.
    expect.set_options(timeout=BROWSER_WAIT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def new_page(browser: object) -> tuple[object, list[str]]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    problems: list[str] = []
    watch(page, problems)
    return page, problems


def watch(page: object, problems: list[str]) -> None:
    """Collect script errors, CSP violations and failed requests (the browser's own favicon aside)."""

    def console(m: object) -> None:
        text = m.text  # type: ignore[attr-defined]
        if m.type == "error" and not text.startswith("Failed to load resource"):  # type: ignore[attr-defined]
            problems.append(text)

    def response(r: object) -> None:
        if r.status >= 400 and not r.url.endswith("/favicon.ico"):  # type: ignore[attr-defined]
            problems.append(f"{r.status} {r.url}")  # type: ignore[attr-defined]

    page.on("console", console)  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: problems.append(str(e)))  # type: ignore[attr-defined]
    page.on("response", response)  # type: ignore[attr-defined]


def test_search_highlights_narrows_and_links_to_the_sentence(server: str, browser: object) -> None:
    from playwright.sync_api import expect

    page, problems = new_page(browser)
    page.goto(server + "/search?q=lighthouse")  # type: ignore[attr-defined]
    expect(page.locator(".hit mark").first).to_have_text("lighthouse")  # type: ignore[attr-defined]
    # the same sentence said in both years is one result
    expect(page.locator("#search-summary")).to_contain_text("3 sentences")  # type: ignore[attr-defined]
    page.locator('[data-facet="year"] a', has_text="2023").click()  # type: ignore[attr-defined]
    expect(page.locator("#search-summary")).to_contain_text("2 sentences")  # type: ignore[attr-defined]
    assert "year=2023" in page.url  # type: ignore[attr-defined]
    page.locator("a.in-sketch").first.click()  # type: ignore[attr-defined]
    target = page.locator(".sentence:target")  # type: ignore[attr-defined]
    expect(target).to_contain_text("lighthouse keepers")
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.goto(server + '/search?q="lighthouse')  # type: ignore[attr-defined]
    expect(page.locator(".query-error")).to_contain_text("not closed")  # type: ignore[attr-defined]
    assert problems == []
    page.context.close()  # type: ignore[attr-defined]


def test_person_page_charts_render_without_script(server: str, browser: object) -> None:
    from playwright.sync_api import expect

    page, problems = new_page(browser)
    page.goto(server + "/people/Ada%20Quillfeather")  # type: ignore[attr-defined]
    charts = page.locator("svg.chart")  # type: ignore[attr-defined]
    expect(charts).to_have_count(2)
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    bars = page.locator("svg.chart").first.locator("rect[fill]")  # type: ignore[attr-defined]
    assert bars.count() >= 2
    page.locator("details.chart-data summary").click()  # type: ignore[attr-defined]
    expect(page.locator("#timeline-table")).to_be_visible()  # type: ignore[attr-defined]
    assert problems == []  # a CSP violation (inline style or script) is a console error
    page.context.close()  # type: ignore[attr-defined]


def test_fairness_chart_follows_the_edits(server: str, browser: object, data_dir: Path) -> None:
    from playwright.sync_api import expect

    from .test_e2e import create_session, log_in

    page = log_in(browser, server)
    problems: list[str] = []
    watch(page, problems)
    create_session(page, "Fair Shares")
    page.set_input_files('input[name="transcript"]', str(DATA / "fictional_panel.json"))  # type: ignore[attr-defined]
    page.click('button:has-text("Upload transcript")')  # type: ignore[attr-defined]
    page.select_option('select[aria-label="Participant for SPEAKER_02"]', "Bo Larkspur")  # type: ignore[attr-defined]
    page.click('button:has-text("Save speakers")')  # type: ignore[attr-defined]
    sketch_id = int(page.url.split("/workbench/")[1].split("#")[0].split("?")[0])  # type: ignore[attr-defined]
    archive = open_archive(data_dir)
    sentence = Sentence(
        "Quillfeather said the harbours now share their tide tables every morning.",
        "Ada Quillfeather",
        [Evidence(1, 0, 120)],
    )
    archive.save_sketch(
        sketch_id,
        Sketch(paragraphs=[Paragraph(speaker="Ada Quillfeather", sentences=[sentence])]),
        archive.get(sketch_id).version,
        "rapporteur",
    )
    archive.close()
    page.goto(f"{server}/workbench/{sketch_id}")  # type: ignore[attr-defined]
    missing = page.locator(".fairness-missing")  # type: ignore[attr-defined]
    expect(missing).to_contain_text("Bo Larkspur")
    bo_bar = page.locator('g.bar-group[data-label="Bo Larkspur"] rect[data-series="1"]')  # type: ignore[attr-defined]
    assert float(bo_bar.get_attribute("width")) < 1
    # the editor gives the sentence to Bo Larkspur: the chart and the flag follow before any reload
    page.select_option('select[aria-label="Speaker of sentence 1.1"]', "Bo Larkspur")  # type: ignore[attr-defined]
    expect(missing).to_contain_text("Ada Quillfeather")
    expect(missing).not_to_contain_text("Bo Larkspur")
    assert float(bo_bar.get_attribute("width")) > 100
    expect(page.locator('tr[data-name="Bo Larkspur"] td.sentences')).to_contain_text("1 (100 %)")  # type: ignore[attr-defined]
    assert problems == []
    page.context.close()  # type: ignore[attr-defined]
