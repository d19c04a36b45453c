"""The returns log of a shared PostgreSQL store, under the row-level security of its LAs: a
role granted 825 lists and reads only 825's returns, a read-only role records the returns it
makes of its own LA and no other."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from journeys import JourneysApp, grant_access
from journeys.storage.returns_log import RETURNS_LOG_TABLE
from projections import projection_catch_up
from tests.helpers import Cli, record
from tests.journeys.storage.shared_store import SharedStore, shared_store

pytestmark = pytest.mark.postgres
QUARTER = "2015-Q1"


@pytest.fixture
def store() -> Iterator[SharedStore]:
    """Two children, of 825 and 928, recorded by the owner; role A granted 825, B 928 read-only."""
    for made in shared_store():
        app = JourneysApp(made.owner_url)
        try:
            for la in ("825", "928"):
                record(app, f"W{la}", "entered-care", "2015-01-05", la=la, legal_status="C2")
                record(app, f"W{la}", "adoption-decision", "2015-04-20", la=la)
            projection_catch_up(app)
            made.a = made.role("a")  # type: ignore[attr-defined]
            made.b = made.role("b")  # type: ignore[attr-defined]
            grant_access(app, made.a, ["825"])  # type: ignore[attr-defined]
            grant_access(app, made.b, ["928"], read_only=True)  # type: ignore[attr-defined]
        finally:
            app.close()
        yield made


def _return(run: Cli, la: str, out: Path) -> str:
    made = run("asglb", "--quarter", QUARTER, "--la", la, "--out", str(out), "--json", la=None)
    assert made.exit_code == 0, made.output
    (found,) = json.loads(made.output)["returns"]
    return str(found)


def test_each_role_reads_and_records_the_returns_of_its_own_las(store: SharedStore, tmp_path: Path) -> None:
    owner = Cli(store.owner_url)
    assert _return(owner, "825", tmp_path / "825.csv") == "825-1"
    assert _return(owner, "928", tmp_path / "928.csv") == "928-1"
    a, b = Cli(store.url(store.a)), Cli(store.url(store.b))  # type: ignore[attr-defined]
    listed = json.loads(a("returns", "list", "--json", la=None).output)["returns"]
    assert [r["id"] for r in listed] == ["825-1"]
    assert a("returns", "show", "928-1", la=None).output.startswith("Error: no return 928-1 is recorded")
    # the reader of 928 records the return it makes of 928, numbered after the owner's
    assert _return(b, "928", tmp_path / "928-b.csv") == "928-2"
    assert [r["id"] for r in json.loads(owner("returns", "list", "--json", la=None).output)["returns"]] == [
        "825-1",
        "928-1",
        "928-2",
    ]
    assert b("returns", "verify", la=None).exit_code == 0
    with store.connect(store.b) as conn:  # type: ignore[attr-defined]
        assert conn.execute(f"SELECT count(*) FROM {RETURNS_LOG_TABLE} WHERE la = '825'").fetchone() == (0,)
        row = "('825', 99, 'x', 'b', 'asglb', 'p', '{}', 'h')"
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"INSERT INTO {RETURNS_LOG_TABLE} VALUES {row}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"UPDATE {RETURNS_LOG_TABLE} SET user_name = 'b'")
