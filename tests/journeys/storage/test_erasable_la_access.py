"""The key table of an erasable PostgreSQL store is under the same row-level security as the
events: real roles, raw SQL. A role granted 825 reads only 825's keys, records a new child of
825 (its key inserted with it), cannot change or destroy a key, and cannot erase."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from journeys import JourneyError, JourneysApp, erase, grant_access, load_retention_rules, today
from tests.helpers import load_generated, record
from tests.journeys.storage.shared_store import SharedStore, shared_store, tables

pytestmark = pytest.mark.postgres
ERASABLE = {"JOURNEYS_ERASABLE": "1"}


@pytest.fixture(scope="module")
def store() -> Iterator[SharedStore]:
    for made in shared_store():
        app = JourneysApp(made.owner_url, ERASABLE)
        try:
            assert app.sealing_format == 2
            load_generated(app, 120, 3, las=3, batch_size=50)
            made.a = made.role("a")  # type: ignore[attr-defined]
            grant_access(app, made.a, ["825"])  # type: ignore[attr-defined]
        finally:
            app.close()
        yield made


def test_the_key_table_has_row_level_security_and_an_la_column(store: SharedStore) -> None:
    with store.connect(store.owner) as conn:
        found = tables(conn, store.schema)
    table = found["journeys_child_keys"]
    assert table["rls"] and table["forced"] and table["la"]


def test_a_role_reads_the_keys_of_its_las_only_and_cannot_change_one(store: SharedStore) -> None:
    role: str = store.a  # type: ignore[attr-defined]
    with store.connect(store.owner) as conn:
        every = set(first_column(conn.execute("SELECT DISTINCT la FROM journeys_child_keys")))
    assert {"825", "928"} <= every  # the owner sees every LA's keys: the check below can fail
    with store.connect(role) as conn:
        assert set(first_column(conn.execute("SELECT DISTINCT la FROM journeys_child_keys"))) == {"825"}
        changed = conn.execute("UPDATE journeys_child_keys SET key = NULL").rowcount if _may_update(conn) else 0
        assert changed == 0
    with store.connect(store.owner) as conn:
        assert first_column(conn.execute("SELECT count(*) FROM journeys_child_keys WHERE key IS NULL")) == [0]


def first_column(cursor: psycopg.Cursor) -> list[object]:  # type: ignore[type-arg]
    return [row[0] for row in cursor.fetchall()]


def _may_update(conn: psycopg.Connection) -> bool:
    try:
        conn.execute("UPDATE journeys_child_keys SET key = key WHERE false")
    except psycopg.errors.InsufficientPrivilege:
        return False
    return True


def test_a_granted_writer_records_a_new_child_with_its_key_but_cannot_erase(store: SharedStore) -> None:
    role: str = store.a  # type: ignore[attr-defined]
    app = JourneysApp(store.url(role))
    try:
        record(app, "NEWKEY1", "entered-care", "2016-01-04", la="825")
        assert app.show("825", "NEWKEY1").events == 1
        with pytest.raises(JourneyError, match="only the store's owner can erase"):
            erase(
                app,
                "825",
                "NEWKEY1",
                reason="x",
                override_retention="y",
                recorded_by="a",
                as_at=today(),
                rules=load_retention_rules(),
            )
    finally:
        app.close()
    with store.connect(store.owner) as conn:
        assert b"NEWKEY1" not in b"".join(
            bytes(state) for state in first_column(conn.execute("SELECT state FROM journeys_events"))
        )
        assert first_column(conn.execute("SELECT count(*) FROM journeys_child_keys WHERE la = '825'"))[0] > 0
