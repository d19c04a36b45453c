"""A shared deployment (`journeys serve --config FILE`): each request's user named by the proxy's
header, every page limited to that user's local authorities, actions and the access log
recorded as that user; the config file checked before the server starts; PostgreSQL's access
rules applied when the store has them. The real app and store, through Starlette's test client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from journeys import JourneysApp, access_records, grant_access, parse_date
from tests.helpers import Cli
from tests.web.conftest import AS_AT, load_evaluation
from web import InvalidDeployment, create_app, load_deployment

# Starlette's test client sends every request from the address "testclient": the proxy here.
CONFIG = """
[identity]
header = "X-Remote-User"
proxies = ["testclient"]

[[users]]
name = "jsmith"
las = ["825"]

[[users]]
name = "kpatel"
las = ["825", "928"]
"""


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[tuple[TestClient, JourneysApp]]:
    store = str(tmp_path / "journeys.db")
    load_evaluation(store)
    config = tmp_path / "users.toml"
    config.write_text(CONFIG)
    app = JourneysApp(store)
    try:
        yield TestClient(create_app(app, user="server", deployment=load_deployment(config))), app
    finally:
        app.close()


def as_user(name: str) -> dict[str, str]:
    return {"X-Remote-User": name}


def las_linked(html: str) -> set[str]:
    return set(re.findall(r'href="/child/(\d+)/', html))


def test_each_user_sees_only_their_local_authorities(shared: tuple[TestClient, JourneysApp]) -> None:
    http, app = shared
    assert las_linked(http.get(f"/?as_at={AS_AT}&size=1000", headers=as_user("kpatel")).text) == {"825", "928"}
    mine = http.get(f"/?as_at={AS_AT}&size=1000", headers=as_user("jsmith"))
    assert mine.status_code == 200 and las_linked(mine.text) == {"825"}
    assert las_linked(http.get(f"/agenda?as_at={AS_AT}", headers=as_user("jsmith")).text) == {"825"}
    scorecard = http.get(f"/scorecard?as_at={AS_AT}", headers=as_user("jsmith")).text
    assert "825" in scorecard and "928" not in scorecard
    for path in (f"/?la=928&as_at={AS_AT}", f"/agenda?la=928&as_at={AS_AT}", "/child/928/N0001",
                 f"/scorecard?la=928&as_at={AS_AT}", f"/cohorts?la=928&as_at={AS_AT}"):  # fmt: skip
        refused = http.get(path, headers=as_user("jsmith"))
        assert refused.status_code == 403, path
        assert "not one of yours" in refused.text and "Traceback" not in refused.text, path
    assert access_records(app, la="928") == []  # nothing of 928 was shown
    assert http.get(f"/?la=928&as_at={AS_AT}", headers=as_user("kpatel")).status_code == 200


def test_a_request_names_a_known_user_and_comes_through_the_proxy(
    shared: tuple[TestClient, JourneysApp], tmp_path: Path
) -> None:
    http, app = shared
    for headers in ({}, as_user("someone"), as_user("")):
        page = http.get("/", headers=headers)
        assert page.status_code == 403 and "Traceback" not in page.text and "/child/" not in page.text
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text(CONFIG.replace('["testclient"]', '["10.0.0.7"]'))
    direct = TestClient(create_app(app, user="server", deployment=load_deployment(elsewhere)))
    page = direct.get("/", headers=as_user("jsmith"))  # the header is not trusted from this address
    assert page.status_code == 403 and "proxy" in page.text


def test_actions_and_the_access_log_are_recorded_as_the_user(shared: tuple[TestClient, JourneysApp]) -> None:
    http, app = shared
    child = f"/child/825/B0193?as_at={AS_AT}"
    page = http.get(child + "&purpose=surgery", headers=as_user("jsmith"))
    assert page.status_code == 200
    looked = access_records(app, la="825", child="B0193")
    assert [(r.user, r.command) for r in looked] == [("jsmith", "web: child page")]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    sent = {"csrf_token": token.group(1), "text": "Book panel", "owner": "J Smith", "due": "2016-04-14"}
    done = http.post(f"/child/825/B0193/actions?as_at={AS_AT}", data=sent, headers=as_user("jsmith"),
                     follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    added = app.entries("825", "B0193")[-1]
    assert (added.kind, added.recorded_by, added.source) == ("action-added", "jsmith", "web")
    before = len(app.entries("928", "N0001"))
    refused = http.post(f"/child/928/N0001/actions?as_at={AS_AT}", data=sent, headers=as_user("jsmith"))
    assert refused.status_code == 403 and len(app.entries("928", "N0001")) == before
    agreed = http.post("/agenda/actions", headers=as_user("jsmith"),
                       data={**sent, "la": "928", "child": "N0001"})  # fmt: skip
    assert agreed.status_code == 403 and len(app.entries("928", "N0001")) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[users]]\nname = 'a'\n", "las must list"),
        ("[[users]]\nname = 'a'\nlas = ['825']\nshoe = 1\n", "unknown key(s) shoe"),
        ("[identity]\nheader = ''\n[[users]]\nname = 'a'\nlas = ['825']\n", "identity.header"),
        ("[[users]]\nname = 'a'\nlas = ['825']\n[[users]]\nname = 'a'\nlas = ['928']\n", "named twice"),
        ("users = [", "not valid TOML"),
        ("", "no [[users]]"),
    ],
)
def test_a_bad_config_is_one_error_line_and_nothing_served(run: Cli, tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "users.toml"
    config.write_text(text)
    with pytest.raises(InvalidDeployment, match=re.escape(message)):
        load_deployment(config)
    result = run("serve", "--config", str(config), "--port", "1")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output and len(result.output.splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.postgres
def test_on_a_store_with_access_rules_a_user_is_given_only_what_their_role_is_granted(tmp_path: Path) -> None:
    from tests.journeys.storage.shared_store import shared_store

    for made in shared_store():
        app = JourneysApp(made.owner_url)
        try:
            app.record("825", "C1", "entered-care", parse_date("2015-01-05", "on"), {}, recorded_by="t")
            app.record("928", "C2", "entered-care", parse_date("2015-01-05", "on"), {}, recorded_by="t")
            team = made.role("team")
            grant_access(app, team, ["825"])
            config = tmp_path / "users.toml"
            with_role = CONFIG.replace('las = ["825"]\n', f'las = ["825"]\nrole = "{team}"\n', 1)
            config.write_text(with_role.replace('las = ["825", "928"]\n', f'las = ["825", "928"]\nrole = "{team}"\n'))
            with pytest.raises(InvalidDeployment, match="do not grant to role"):
                create_app(app, user="server", deployment=load_deployment(config))  # kpatel's 928
            config.write_text(with_role.split('[[users]]\nname = "kpatel"')[0])  # jsmith only
            http = TestClient(create_app(app, user="server", deployment=load_deployment(config)))
            assert las_linked(http.get("/?as_at=2016-01-01", headers=as_user("jsmith")).text) == {"825"}
        finally:
            app.close()
