"""Access per local authority on a shared PostgreSQL store, enforced by the server: real roles,
raw SQL, every table the catalog lists (so a table made without row-level security fails)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys import JourneyError, JourneysApp, StoreError, grant_access, revoke_access
from journeys.domain import journey_id
from journeys.storage.access import WITHOUT_LA
from journeys.storage.access_log import ACCESS_LOG_TABLE
from journeys.storage.returns_log import RETURNS_LOG_TABLE
from projections import counts, projection_catch_up, projection_rebuild, scorecard, waiting
from tests.helpers import Cli, load_generated, record
from tests.journeys.storage.shared_store import LAS, SharedStore, first_column, shared_store, tables

LOGS = (ACCESS_LOG_TABLE, RETURNS_LOG_TABLE)  # a granted reader inserts into these, for its own LAs

pytestmark = pytest.mark.postgres

# What a role with no grant meets: no privilege on the tables, and none on the schema (whose
# tables it then cannot even name).
NOTHING_TO_SEE = (psycopg.errors.InsufficientPrivilege, psycopg.errors.UndefinedTable)


@pytest.fixture(scope="module")
def store() -> Iterator[SharedStore]:
    """Generated journeys of three LAs, loaded and recorded by the store's owner, its read
    model rebuilt and caught up; role A granted 825, role B 928 read-only."""
    for made in shared_store():
        app = JourneysApp(made.owner_url)
        try:
            load_generated(app, 240, 7, las=3, batch_size=100)
            record(app, "OWN1", "entered-care", "2016-01-04", la="928")  # through save, not the load
            projection_rebuild(app, workers=1)
            record(app, "OWN2", "entered-care", "2016-02-01", la="825")
            projection_catch_up(app)
            made.a = made.role("a")  # type: ignore[attr-defined]
            made.b = made.role("b")  # type: ignore[attr-defined]
            grant_access(app, made.a, ["825"])  # type: ignore[attr-defined]
            grant_access(app, made.b, ["928"], read_only=True)  # type: ignore[attr-defined]
        finally:
            app.close()
        yield made


def test_every_table_of_the_store_has_row_level_security_enabled_and_forced(store: SharedStore) -> None:
    with store.connect(store.owner) as conn:
        found = tables(conn, store.schema)
    assert {"journeys_events", "journeys_access", "child_summary", "adoption_months"} <= set(found)
    for name, table in found.items():
        assert table["rls"] and table["forced"], name
        assert table["la"] or name in WITHOUT_LA, f"{name} has no la column, and is not a table without child data"


def test_a_role_granted_825_reads_no_row_of_928_from_any_table(store: SharedStore) -> None:
    a = store.a  # type: ignore[attr-defined]
    with store.connect(store.owner) as owner, store.connect(a) as conn:
        found = tables(owner, store.schema)
        for name, table in found.items():
            if not table["la"]:
                continue
            theirs = f'SELECT count(*) FROM "{name}" WHERE la IS DISTINCT FROM %s'
            assert conn.execute(theirs, ["825"]).fetchone() == (0,), name
            assert conn.execute(f'SELECT count(*) FROM "{name}" WHERE la = %s', ["928"]).fetchone() == (0,), name
        # the owner sees the rows A does not: the test could fail
        for name in ("journeys_events", "child_summary"):
            assert owner.execute(f'SELECT count(*) FROM "{name}" WHERE la = %s', ["928"]).fetchone()[0] > 0
            assert conn.execute(f'SELECT count(*) FROM "{name}" WHERE la = %s', ["825"]).fetchone()[0] > 0
        assert conn.execute("SELECT DISTINCT role FROM journeys_access").fetchall() == [(a,)]
        assert conn.execute("SELECT count(*) FROM journeys_views_tracking").fetchone()[0] > 0


def test_a_read_only_role_cannot_insert_update_or_delete(store: SharedStore) -> None:
    b = store.b  # type: ignore[attr-defined]
    with store.connect(store.owner) as owner:
        found = tables(owner, store.schema)
        before = owner.execute("SELECT count(*) FROM journeys_events").fetchone()
    with store.connect(b) as conn:
        assert conn.execute("SELECT count(*) FROM journeys_events WHERE la = '928'").fetchone()[0] > 0
        for name in found:
            column = first_column(conn, store.schema, name)
            for statement in (
                *([] if name in LOGS else [f'INSERT INTO "{name}" SELECT * FROM "{name}" LIMIT 1']),
                f'UPDATE "{name}" SET "{column}" = "{column}"',
                f'DELETE FROM "{name}"',
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
    app = JourneysApp(store.url(b))
    try:
        with pytest.raises(StoreError, match="may not write there"):
            record(app, "NEW-B", "entered-care", "2016-03-01", la="928")
    finally:
        app.close()
    with store.connect(store.owner) as owner:
        assert owner.execute("SELECT count(*) FROM journeys_events").fetchone() == before


def test_a_read_only_role_logs_what_it_looks_at_for_its_own_la_only(store: SharedStore) -> None:
    b = store.b  # type: ignore[attr-defined]
    row = "(%s, 1000000, '2016-03-01T00:00:00+00:00', 'x', 'C1', 'show', NULL, 'h')"
    with store.connect(b) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):  # 825 is not B's
        conn.execute(f"INSERT INTO {ACCESS_LOG_TABLE} VALUES {row}", ["825"])
    run = Cli(store.url(b))
    shown = run("show", "OWN1", "--la", "928", "--purpose", "surgery")
    assert shown.exit_code == 0, shown.output
    logged = json.loads(run("access-log", "OWN1", "--la", "928", "--json").stdout)
    assert [(r["child"], r["purpose"]) for r in logged["records"]][-1:] == [("OWN1", "surgery")]


def test_a_writing_role_records_its_own_la_only_and_changes_no_stored_row(store: SharedStore) -> None:
    a = store.a  # type: ignore[attr-defined]
    app = JourneysApp(store.url(a))
    try:
        record(app, "NEW-A", "entered-care", "2016-03-01", la="825")
        with pytest.raises(StoreError, match="may not write there"):
            record(app, "NEW-A", "entered-care", "2016-03-01", la="928")
    finally:
        app.close()
    with store.connect(a) as conn:
        assert conn.execute("UPDATE journeys_events SET topic = 'x'").rowcount == 0  # no update policy: no row
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM journeys_events")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM child_summary")
    with store.connect(store.owner) as owner:
        assert owner.execute("SELECT count(*) FROM journeys_events WHERE topic = 'x'").fetchone() == (0,)
    app = JourneysApp(store.owner_url)
    try:
        assert [e.kind for e in app.entries("825", "NEW-A")] == ["opened", "entered-care"]
        assert app.recorder.stored_streams([journey_id("928", "NEW-A")]) == set()
    finally:
        app.close()


def test_a_cross_la_report_run_as_825_counts_only_825(store: SharedStore) -> None:
    owner = JourneysApp(store.owner_url)
    limited = JourneysApp(store.url(store.a))  # type: ignore[attr-defined]
    try:
        projection_catch_up(owner)
        assert limited.visible_las() == ["825"] and owner.visible_las() is None
        for report in (
            lambda app, las: counts(app, las=las),
            lambda app, las: waiting(app, as_at=date(2016, 3, 31), las=las),
            lambda app, las: scorecard(app, period="2012-17", las=las),
        ):
            assert report(limited, [])["all"] == report(owner, ["825"])["825"]
            assert report(owner, [])["all"] != report(owner, ["825"])["825"]
    finally:
        limited.close()
        owner.close()


def test_a_limited_role_neither_catches_up_nor_rebuilds_the_read_model(store: SharedStore) -> None:
    limited = JourneysApp(store.url(store.a))  # type: ignore[attr-defined]
    try:
        with pytest.raises(JourneyError, match="cannot catch the read model up"):
            projection_catch_up(limited)
        with pytest.raises(JourneyError, match="cannot rebuild"):
            projection_rebuild(limited)
        with pytest.raises(StoreError, match="only the store's owner"):
            grant_access(limited, "anyone", ["928"])
    finally:
        limited.close()


def test_revoking_every_la_leaves_a_role_no_privilege(store: SharedStore) -> None:
    c = store.role("c")
    app = JourneysApp(store.owner_url)
    try:
        grant_access(app, c, ["909"])
        assert revoke_access(app, c) == 1
    finally:
        app.close()
    with store.connect(c) as conn, pytest.raises(NOTHING_TO_SEE):
        conn.execute("SELECT count(*) FROM journeys_events")


def test_a_store_made_before_events_carried_their_la_gets_them_when_its_owner_opens_it() -> None:
    for made in shared_store():
        app = JourneysApp(made.owner_url)
        try:
            load_generated(app, 30, 3, las=2, batch_size=50)
        finally:
            app.close()
        with made.connect(made.owner) as conn:
            expected = conn.execute("SELECT la, count(*) FROM journeys_events GROUP BY la ORDER BY la").fetchall()
            conn.execute("DROP TABLE journeys_access CASCADE")
            conn.execute("ALTER TABLE journeys_events DISABLE ROW LEVEL SECURITY")
            conn.execute("ALTER TABLE journeys_events DROP COLUMN la")
        JourneysApp(made.owner_url).close()
        with made.connect(made.owner) as conn:
            found = conn.execute("SELECT la, count(*) FROM journeys_events GROUP BY la ORDER BY la").fetchall()
            assert found == expected and {la for la, _ in found} == set(LAS[:2])
            assert tables(conn, made.schema)["journeys_events"]["forced"]


GRANTS = st.dictionaries(st.sampled_from(LAS), st.booleans(), max_size=3)  # la -> read only
QUERIES = st.lists(
    st.tuples(
        st.sampled_from(["journeys_events", "child_summary", "plan_change", "family_finding", "adoption_months"]),
        st.sampled_from([None, *LAS, ""]),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grants=GRANTS, queries=QUERIES, write_to=st.sampled_from(LAS))
def test_no_query_of_a_granted_role_returns_a_row_of_another_la(
    store: SharedStore, grants: dict[str, bool], queries: list[tuple[str, str | None]], write_to: str
) -> None:
    role = store.property_role if hasattr(store, "property_role") else None  # type: ignore[has-type]
    if role is None:
        role = store.property_role = store.role("p")  # type: ignore[attr-defined]
    owner = JourneysApp(store.owner_url)
    try:
        revoke_access(owner, role)
        for read_only in (True, False):
            chosen = [la for la, ro in grants.items() if ro is read_only]
            if chosen:
                grant_access(owner, role, chosen, read_only=read_only)
    finally:
        owner.close()
    granted = set(grants)
    if not granted:
        with store.connect(role) as conn, pytest.raises(NOTHING_TO_SEE):
            conn.execute("SELECT la FROM journeys_events")
        return
    with store.connect(role) as conn:
        for table, la in queries:
            sql = f'SELECT DISTINCT la FROM "{table}"' + ("" if la is None else " WHERE la = %s")
            seen = {row[0] for row in conn.execute(sql, [] if la is None else [la]).fetchall()}
            assert seen <= granted, (table, la, seen)
    owner = JourneysApp(store.owner_url)
    app = JourneysApp(store.url(role))
    try:
        assert set(app.visible_las() or []) == granted
        assert {la for la, _child, _entries in app.streams()} <= granted
        if len(granted) == 1:  # a report of all, run as the role, is the owner's of that LA
            (only,) = granted
            assert counts(app)["all"] == counts(owner, las=[only])[only]
        child = f"P-{uuid.uuid4().hex[:8]}"
        if grants.get(write_to) is False:
            record(app, child, "entered-care", "2016-05-02", la=write_to)
        else:
            with pytest.raises(StoreError, match="may not write there"):
                record(app, child, "entered-care", "2016-05-02", la=write_to)
    finally:
        app.close()
        owner.close()
