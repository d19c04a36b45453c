"""A PostgreSQL store, and its read model, each hold a connection or two to the server, not a
pool's worth. With the library's default pool, five connections per store were opened at once
(six, as the first was asked for before the pool had one ready), so a report held twelve and a
load in four processes thirty: a dozen people at work on a server of the default 100 connections
were refused ("sorry, too many clients already"). Another connection is still made whenever a
command needs one more at once.
"""

from __future__ import annotations

import uuid

import pytest

from journeys import JourneysApp
from projections import projection_catch_up
from tests.helpers import POSTGRES_URL, record

pytestmark = pytest.mark.postgres


def _sessions(name: str) -> int:
    """The server's sessions whose application name is ``name``."""
    import psycopg

    assert POSTGRES_URL
    with psycopg.connect(POSTGRES_URL, autocommit=True, application_name="journeys-test-counting") as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)).fetchone()
    return int(row[0]) if row else 0


def test_a_store_and_its_read_model_hold_a_connection_or_two_each(
    postgres_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"journeys-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("PGAPPNAME", name)  # libpq names every connection this process makes
    app = JourneysApp(postgres_store)
    try:
        record(app, "C1", "entered-care", "2014-01-06")
        assert _sessions(name) <= 2
        assert projection_catch_up(app).events > 0
        assert _sessions(name) <= 4
    finally:
        app.close()
