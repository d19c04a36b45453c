"""Several commands that open a new PostgreSQL store at once all open it: its tables are made by
one of them while the others wait, not by all at the same moment (when the catalog refused all but
one: "duplicate key value violates unique constraint pg_type_typname_nsp_index", "tuple
concurrently updated"; 10 rounds of 8 opens failed 10 times). Each open is a thread here, with its
own connections, as a process would have; the barrier lets them go together.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from journeys import JourneysApp
from tests.helpers import HANG_GUARD, postgres_schema_url, record

pytestmark = pytest.mark.postgres

OPENS = 8
ROUNDS = 3


def _fresh_store() -> Iterator[str]:
    yield from postgres_schema_url()


def _opened_at_once(store: str) -> list[BaseException]:
    """OPENS threads, let go together, each opening ``store`` and recording for a child of its own;
    what they raised."""
    failures: list[BaseException] = []
    together = threading.Barrier(OPENS)

    def open_and_record(child: str) -> None:
        together.wait()
        try:
            app = JourneysApp(store)
            try:
                record(app, child, "entered-care", "2014-01-06")
            finally:
                app.close()
        except BaseException as error:  # handed to the test
            failures.append(error)

    threads = [threading.Thread(target=open_and_record, args=(f"C{n}",)) for n in range(OPENS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_GUARD)
    assert not any(thread.is_alive() for thread in threads), "an open waited for ever"
    return failures


def test_opens_of_a_new_store_at_once_all_succeed() -> None:
    for _ in range(ROUNDS):
        for store in _fresh_store():
            assert _opened_at_once(store) == []
            app = JourneysApp(store)
            try:
                assert app.verify().streams == OPENS
            finally:
                app.close()
