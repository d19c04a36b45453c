"""The web app's pages and forms over HTTP (Starlette's test client, the real app and store):
friendly error pages, CSRF, the action forms recording events, the static report's files."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from journeys import JourneysApp, parse_date
from tests.web.conftest import AS_AT, load_evaluation


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, JourneysApp]]:
    from web import create_app

    store = str(tmp_path / "journeys.db")
    load_evaluation(store)
    app = JourneysApp(store)
    try:
        yield TestClient(create_app(app, user="tester")), app
    finally:
        app.close()


def token(client: TestClient, path: str) -> str:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, path
    return found.group(1)


def test_bad_input_is_a_page_not_a_traceback(client: tuple[TestClient, JourneysApp]) -> None:
    http, _ = client
    for path, status in (("/?as_at=31-31-2016", 400), ("/?status=late", 400), ("/child/825/NO-SUCH", 404),
                         ("/nowhere", 404), ("/figure?id=nonsense", 400)):  # fmt: skip
        page = http.get(path)
        assert page.status_code == status, path
        assert "Traceback" not in page.text and 'id="error-message"' in page.text, path


def test_a_form_without_its_token_records_nothing(client: tuple[TestClient, JourneysApp]) -> None:
    http, app = client
    before = len(app.entries("825", "B0193"))
    page = http.post("/child/825/B0193/actions", data={"text": "x", "owner": "y", "due": "2016-04-14"})
    assert page.status_code == 403
    http.get("/")  # a token cookie now, but the form still carries none
    assert http.post("/child/825/B0193/actions", data={"text": "x", "owner": "y", "due": "2016-04-14",
                                                        "csrf_token": "forged" * 8}).status_code == 403  # fmt: skip
    assert len(app.entries("825", "B0193")) == before


def test_actions_added_changed_and_cancelled_through_the_forms(client: tuple[TestClient, JourneysApp]) -> None:
    http, app = client
    child = f"/child/825/B0193?as_at={AS_AT}"
    sent = {"csrf_token": token(http, child), "text": "Book panel", "owner": "J Smith", "due": "2016-04-14"}
    done = http.post(f"/child/825/B0193/actions?as_at={AS_AT}", data=sent)
    assert "Added action A1" in done.text
    edit = {"csrf_token": sent["csrf_token"], "owner": "A Jones", "due": "2016-04-21", "text": ""}
    changed = http.post(f"/child/825/B0193/actions/A1/edit?as_at={AS_AT}", data=edit)
    assert "Action A1 changed" in changed.text and "A Jones" in changed.text and "2016-04-21" in changed.text
    refused = http.post("/child/825/B0193/actions/A1/cancel", data={"csrf_token": sent["csrf_token"], "reason": ""})
    assert refused.status_code == 400
    gone = http.post("/child/825/B0193/actions/A1/cancel", data={"csrf_token": sent["csrf_token"], "reason": "done"})
    assert "Action A1 cancelled" in gone.text
    kinds = [e.kind for e in app.entries("825", "B0193")]
    assert kinds[-3:] == ["action-added", "action-edited", "action-cancelled"]
    assert {e.source for e in app.entries("825", "B0193")[-3:]} == {"web"}


def test_the_static_report_needs_nothing_from_a_server(tmp_path: Path, client: tuple[TestClient, JourneysApp]) -> None:
    from web import write_report
    from web.query import Query

    _, app = client
    written = write_report(app, tmp_path / "out", Query(as_at=parse_date(AS_AT, "as at"), la="928"))
    pages = list(written.folder.glob("*.html"))
    assert written.index.exists() and len(pages) == written.pages
    assert (written.folder / "assets" / "govuk-frontend.min.css").exists()
    for page in pages:
        text = page.read_text()
        assert not re.search(r'(src|href)="(https?:)?//', text), page.name  # nothing fetched
        assert 'href="/' not in text and 'src="/' not in text, page.name  # every link relative
        assert "<form" not in text or 'method="post"' not in text, page.name  # no forms without a server
    assert "<svg" in (written.folder / "cohorts.html").read_text()


def test_every_page_that_shows_a_child_is_in_the_access_log(
    tmp_path: Path, client: tuple[TestClient, JourneysApp]
) -> None:
    from journeys import access_records
    from web import write_report
    from web.query import Query

    http, app = client
    assert http.get(f"/child/825/B0193?as_at={AS_AT}&purpose=surgery").status_code == 200
    looked = access_records(app, la="825", child="B0193")
    assert [(r.user, r.command, r.purpose) for r in looked] == [("tester", "web: child page", "surgery")]
    assert http.get("/child/825/NO-SUCH").status_code == 404  # a child not found is not logged
    assert access_records(app, la="825", child="NO-SUCH") == []

    scorecard = http.get(f"/scorecard?as_at={AS_AT}").text
    figure = re.search(r'href="(/figure\?id=[^"]+)"', scorecard)
    assert figure, "the scorecard links its figures"
    before = len(access_records(app))
    shown = http.get(figure.group(1).replace("&amp;", "&"))
    assert shown.status_code == 200
    children = set(re.findall(r'href="/child/(\d+)/([^"?/]+)', shown.text))
    after = [r for r in access_records(app) if r.command == "web: figure"]
    assert children and {(r.la, r.child) for r in after} == children

    written = write_report(app, tmp_path / "out", Query(as_at=parse_date(AS_AT, "as at"), la="928"), user="auditor")
    reported = [r for r in access_records(app) if r.command == "report --out"]
    assert len(reported) == written.children and {r.user for r in reported} == {"auditor"}
    assert len(access_records(app)) == before + len(after) + written.children


def test_the_caseload_is_shown_a_page_at_a_time_its_links_keeping_filters_and_dates(
    client: tuple[TestClient, JourneysApp],
) -> None:
    http, _ = client
    everyone = http.get(f"/?la=928&as_at={AS_AT}&size=1000").text
    every_child = re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a>', everyone)
    assert len(every_child) > 100
    first = http.get(f"/?la=928&as_at={AS_AT}&known_at=2030-01-01").text
    assert re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a>', first) == every_child[:100]
    pages = -(-len(every_child) // 100)
    assert f"Showing 1 to 100, page 1 of {pages}." in first
    following = re.search(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"', first)
    assert following, "a link to the next page"
    href = following.group(1).replace("&amp;", "&")
    assert href == f"/?as_at={AS_AT}&known_at=2030-01-01&la=928&page=2"
    second = http.get(href).text
    shown = re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a>', second)
    assert shown == every_child[100:200]
    assert 'rel="prev"' in second and 'aria-current="page"' in second

    overdue = http.get(f"/?la=928&as_at={AS_AT}&status=overdue&sort=child&size=5&page=2").text
    rows = re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a>', overdue)
    assert len(rows) == 5 and rows == sorted(rows)
    links = {h.replace("&amp;", "&") for h in re.findall(r'govuk-pagination__link" href="([^"]+)"', overdue)}
    assert f"/?as_at={AS_AT}&la=928&status=overdue&sort=child&size=5" in links  # page 1: no page in the address
    assert all("status=overdue" in h and "sort=child" in h and f"as_at={AS_AT}" in h for h in links)
    last = http.get(f"/?la=928&as_at={AS_AT}&page=999").text  # past the end: the last page
    assert f"page {pages} of {pages}." in last
    assert http.get("/?page=0").status_code == 400 and http.get("/?size=lots").status_code == 400


def test_children_with_no_period_of_care_have_a_caseload_line_and_a_page(
    client: tuple[TestClient, JourneysApp],
) -> None:
    http, app = client
    app.record("825", "U1", "family-finding", parse_date("2016-01-05", "on"), {}, recorded_by="t")
    app.record("825", "D1", "child-details", parse_date("2014-01-19", "on"), {}, recorded_by="t")
    app.add_action("825", "D1", text="Ask about care", owner="J Smith", due=parse_date("2016-03-01", "d"),
                   recorded_by="t")  # fmt: skip
    page = http.get(f"/?la=825&as_at={AS_AT}&stage=not-in-care&sort=child")
    assert page.status_code == 200
    listed = re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a>', page.text)
    assert {"D1", "U1"} <= set(listed) and listed == sorted(listed)
    line = page.text[page.text.index(">D1</a>") :].split("</tr>")[0]
    assert "J Smith" in line and "30 days late" in line  # its overdue action, due 1 March
    for child in ("D1", "U1"):
        assert http.get(f"/child/825/{child}?as_at={AS_AT}").status_code == 200, child
    assert http.get(f"/agenda?la=825&as_at={AS_AT}").status_code == 200
