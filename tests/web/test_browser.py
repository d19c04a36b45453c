"""The app in a real headless browser (Debian's chromium, driven by Playwright; nothing is
downloaded): the caseload of the evaluation fixtures, filtered to overdue, a child, an action
added, seen on the agenda, completed, and the agenda again. Each page is screenshotted under
the test's temporary folder and checked with axe-core (run in the page, from the npm package
`make install` vendors): no serious or critical violation."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import AS_AT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip("no chromium browser (apt-get install -y chromium; .ci/run installs it)", allow_module_level=True)


def axe_path() -> Path:
    from web.assets import axe_script

    found = axe_script()
    if found is None:
        pytest.skip("axe-core is not installed (make install puts it in .venv/npm)")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield context.new_page()
    context.close()


def serious_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(axe_path()))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


class Visit:
    """Each page seen: a full-page screenshot, and the accessibility check."""

    def __init__(self, page: Any, folder: Path) -> None:
        self.page, self.folder, self.count = page, folder, 0

    def __call__(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=True)
        assert serious_violations(self.page) == [], name


def test_overdue_child_action_through_the_agenda(server: str, page: Any, tmp_path: Path) -> None:
    folder = tmp_path / "screenshots"
    folder.mkdir()
    seen = Visit(page, folder)

    page.goto(f"{server}/?as_at={AS_AT}")
    assert page.title().startswith("Caseload")
    everyone = page.locator("#caseload tbody tr").count()
    seen("caseload")

    page.select_option("#status", "overdue")
    page.select_option("#stage", "placement-order")  # with an adoption plan: on the agenda too
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"status=overdue"))
    assert f"as_at={AS_AT}" in page.url  # the dates are carried in the URL
    rows = page.locator("#caseload tbody tr")
    assert 0 < rows.count() < everyone
    statuses = page.locator("#caseload tbody tr td.milestone-status .govuk-tag").all_inner_texts()
    assert statuses and set(statuses) == {"overdue"}
    assert set(page.locator("#caseload tbody tr td:nth-child(3)").all_inner_texts()) == {"placement-order"}
    seen("caseload-overdue")

    first = rows.first.locator("th a")
    child = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(rf"/child/\d+/{child}\?as_at={AS_AT}"))
    assert page.locator("h1").inner_text().startswith(f"Child {child}")
    assert page.locator(".journeys-chart svg").count() == 1  # the journey timeline
    seen("child")

    text = "Chase the placement hearing date"
    page.fill("#text", text)
    page.fill("#owner", "Team manager")
    page.fill("#due", "2016-04-14")
    page.get_by_role("button", name="Add action").click()
    page.wait_for_load_state()
    assert "Added action A1" in page.locator(".govuk-notification-banner").inner_text()
    assert text in page.locator("#actions").inner_text()
    seen("child-action-added")

    page.get_by_role("link", name="Surgery agenda").click()
    page.wait_for_url(re.compile(rf"/agenda\?as_at={AS_AT}"))
    row = page.locator("tr", has=page.get_by_role("link", name=child, exact=True))
    assert text in row.inner_text() and "Team manager" in row.inner_text()
    seen("agenda-with-action")

    row.get_by_role("link", name=child, exact=True).click()
    page.get_by_role("button", name="Complete A1").click()
    page.wait_for_load_state()
    assert "Action A1 done" in page.locator(".govuk-notification-banner").inner_text()
    assert text not in page.locator("#actions").inner_text()
    assert "action-done" in page.locator("#history").inner_text()
    seen("child-action-done")

    page.get_by_role("link", name="Surgery agenda").click()
    page.wait_for_url(re.compile(r"/agenda"))
    row = page.locator("tr", has=page.get_by_role("link", name=child, exact=True))
    assert text not in row.inner_text()
    seen("agenda-after")
    assert len(list(folder.glob("*.png"))) == seen.count == 7


@pytest.mark.parametrize(
    "path",
    ["/scorecard?as_at=2016-03-31", "/cohorts?as_at=2016-09-30&la=825", "/stages?as_at=2016-03-31",
     "/plan-changes?la=928", "/child/825/NO-SUCH-CHILD"],
)  # fmt: skip
def test_report_pages_have_no_serious_accessibility_violation(
    server: str, page: Any, path: str, tmp_path: Path
) -> None:
    page.goto(server + path)
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    assert serious_violations(page) == []


def test_a_figure_links_to_its_children(server: str, page: Any) -> None:
    page.goto(f"{server}/cohorts?as_at=2016-09-30&la=825")
    page.locator("table a.govuk-link").first.click()
    page.wait_for_url(re.compile(r"/figure\?id="))
    children = page.locator("tbody th a")
    assert children.count() >= 1
    name = children.first.inner_text()
    children.first.click()
    assert page.locator("h1").inner_text().startswith(f"Child {name}")


def test_the_static_report_opens_from_disk(evaluation_store: str, page: Any, tmp_path: Path) -> None:
    from journeys import JourneysApp, parse_date
    from web import write_report
    from web.query import Query

    app = JourneysApp(evaluation_store)
    try:
        written = write_report(app, tmp_path / "report", Query(as_at=parse_date(AS_AT, "as at"), la="825"))
    finally:
        app.close()
    page.goto(written.index.as_uri())
    assert page.locator("#caseload tbody tr").count() > 0
    font = page.evaluate("getComputedStyle(document.querySelector('.govuk-heading-l')).fontFamily")
    assert "GDS Transport" in font  # GOV.UK Frontend's CSS is there, from the copied assets
    loaded = page.evaluate("document.fonts.check('19px \"GDS Transport\"')")
    assert loaded
    page.get_by_role("link", name="Cohorts").click()
    page.wait_for_url(re.compile(r"cohorts\.html$"))  # count() does not wait for the page to load
    page.locator(".journeys-chart svg").first.wait_for()
    assert page.locator(".journeys-chart svg").count() >= 1
    page.screenshot(path=str(tmp_path / "static-cohorts.png"), full_page=True)
    page.go_back()
    page.locator("#caseload tbody th a").first.click()
    assert page.locator("h1").inner_text().startswith("Child")
    assert serious_violations(page) == []
