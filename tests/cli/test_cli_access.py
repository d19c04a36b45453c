"""`journeys access grant|revoke|list`: on a shared PostgreSQL store, as its owner; on SQLite,
one Error line saying the file is the boundary, and no file made."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeys import JourneysApp
from tests.helpers import Cli, load_generated
from tests.journeys.storage.shared_store import SharedStore, shared_store

SINGLE_USER = "Error: access per local authority is for a shared PostgreSQL store: a SQLite store is single-user"


@pytest.mark.parametrize(
    "args", [["grant", "team_825", "--la", "825"], ["revoke", "team_825"], ["list"], ["list", "--json"]]
)
def test_on_sqlite_each_access_command_says_the_file_is_the_boundary(tmp_path: Path, args: list[str]) -> None:
    store = tmp_path / "journeys.db"
    result = Cli(str(store))("access", *args)
    assert result.exit_code == 1
    assert result.output.startswith(SINGLE_USER) and "the file is the boundary" in result.output
    assert result.output.count("\n") == 1
    assert not store.exists()


def test_every_access_command_has_help_with_an_example(tmp_path: Path) -> None:
    cli = Cli(str(tmp_path / "journeys.db"))
    for command in ([], ["grant"], ["revoke"], ["list"]):
        result = cli("access", *command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output


@pytest.fixture
def store() -> Iterator[SharedStore]:
    for made in shared_store():
        app = JourneysApp(made.owner_url)
        try:
            load_generated(app, 90, 5, las=2, batch_size=100)
        finally:
            app.close()
        yield made


@pytest.mark.postgres
def test_the_owner_grants_lists_and_revokes_and_a_granted_role_s_report_says_what_it_sees(store: SharedStore) -> None:
    owner = Cli(store.owner_url)
    role = store.role("team")
    granted = owner("access", "grant", role, "--la", "825", "--la", "928", "--read-only", la=None)
    assert granted.exit_code == 0, granted.output
    assert owner("access", "revoke", role, "--la", "928", la=None).exit_code == 0
    listed = json.loads(owner("access", "list", "--json", la=None).output)
    assert listed == {"grants": [{"role": role, "la": "825", "read_only": True}]}
    assert role in owner("access", "list", la=None).output

    limited = Cli(store.url(role))
    report = limited("counts", la=None)
    assert report.exit_code == 0, report.output
    assert report.output.splitlines()[0].startswith("Local authorities visible to this database role: 825")
    data = json.loads(limited("counts", "--json", la=None).output)
    assert data["las_visible"] == ["825"]
    assert data["by_la"]["all"] == json.loads(owner("counts", "--json", "--la", "825", la=None).output)["by_la"]["825"]
    assert "las_visible" not in json.loads(owner("counts", "--json", la=None).output)

    refused = limited("access", "grant", role, "--la", "928", la=None)
    assert refused.exit_code == 1 and refused.output.startswith("Error: only the store's owner can grant access")
    assert owner("access", "revoke", role, la=None).exit_code == 0
    assert owner("access", "revoke", role, la=None).output.startswith(f"Error: {role} holds no grant")


@pytest.mark.postgres
def test_granting_a_role_the_server_does_not_have_is_one_error_line(store: SharedStore) -> None:
    result = Cli(store.owner_url)("access", "grant", "no_such_role_here", "--la", "825", la=None)
    assert result.exit_code == 1
    assert result.output.startswith("Error: there is no role 'no_such_role_here' on the server")
    assert result.output.count("\n") == 1
