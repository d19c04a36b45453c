"""The PostgreSQL store under its events table's lock: a bulk insert that waited for the lock
finishes once it is released, and opening the store or reading a child never waits for it.

Each test holds the lock as a load's insert does (``LOCK TABLE … IN EXCLUSIVE MODE`` in an open
transaction of its own connection). The thread joins have timeouts only so that a regression
fails instead of hanging the suite; no test asserts how long anything takes.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from journeys import JourneysApp
from tests.helpers import HANG_GUARD, LA, POSTGRES_URL, events_locked, record, store_schema

pytestmark = pytest.mark.postgres


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    done: list[Any] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as error:  # handed to the test, which re-raises it
            done.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, done


def _wait_for_lock_waiter(store: str) -> None:
    """Until a session waits for a lock on ``store``'s tables (the insert has reached the server). Read on a
    connection of its own: within a transaction pg_stat_activity keeps the view of its first read."""
    import psycopg

    assert POSTGRES_URL
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        for _ in range(HANG_GUARD * 10):
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s",
                (f'%"{store_schema(store)}"%',),
            ).fetchone()
            if row and row[0]:
                return
            time.sleep(0.1)
    pytest.fail("the insert never reached the lock")


def _end_stuck_sessions(store: str) -> None:
    """Ends the server sessions still working on the store's schema (after a hang, so that the
    schema can be dropped)."""
    import psycopg

    assert POSTGRES_URL
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE %s",
            (f'%"{store_schema(store)}"%',),
        )


def test_a_bulk_insert_that_waited_for_the_lock_finishes_when_it_is_released(postgres_store: str) -> None:
    # Tens of megabytes: more than the socket holds while the server waits for the lock, which
    # is what left the library's pipelined insert waiting for ever (ClientRead on the server).
    rows = [(uuid.uuid4(), 1, "journeys.test.v1", b'{"text":"' + b"x" * 400 + b'"}') for _ in range(50_000)]
    app = JourneysApp(postgres_store)
    try:
        with events_locked(postgres_store):
            thread, done = _in_thread(lambda: app.recorder.insert_bulk(rows, {row[0]: "825" for row in rows}))
            _wait_for_lock_waiter(postgres_store)
            time.sleep(1)  # let the client fill the socket while the server waits
        thread.join(HANG_GUARD)
        if thread.is_alive():
            _end_stuck_sessions(postgres_store)
            pytest.fail("the bulk insert hung after the lock was released")
        assert done == [None]
        assert app.recorder.max_notification_id() == len(rows)
    finally:
        app.close()


def test_opening_the_store_and_showing_a_child_do_not_wait_for_a_load(postgres_store: str) -> None:
    app = JourneysApp(postgres_store)
    record(app, "C1", "entered-care", "2013-01-01")
    app.close()

    def open_and_show() -> str:
        reader = JourneysApp(postgres_store)
        try:
            return reader.show(LA, "C1").child
        finally:
            reader.close()

    with events_locked(postgres_store):
        thread, done = _in_thread(open_and_show)
        thread.join(HANG_GUARD)
        assert not thread.is_alive(), "opening the store waited for the events table's lock"
    assert done == ["C1"]


def test_a_new_store_gets_its_tables_and_an_existing_one_keeps_them(postgres_store: str) -> None:
    app = JourneysApp(postgres_store)
    try:
        assert app.recorder.tables_made()  # type: ignore[attr-defined]
        record(app, "C1", "entered-care", "2013-01-01")
    finally:
        app.close()
    again = JourneysApp(postgres_store)
    try:
        assert again.show(LA, "C1").child == "C1"
    finally:
        again.close()
