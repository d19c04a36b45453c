"""The read model read as a BI tool reads it: straight from its tables, with a connection of its
own (sqlite3 or psycopg), never through the engine; and a reader that keeps reading while other
processes work, for the rebuild tests."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from projections.views import views_location
from tests.helpers import POSTGRES_URL, store_schema

# Every table of the read model, with its key (its rows are compared in that order).
TABLES = {
    "child_summary": "la, child, period",
    "adoption_months": "la, month, placed, k",
    "plan_change": "stream_id, seq",
    "family_finding": "stream_id, seq",
    "unreadable_stream": "stream_id",
}
POSITION = "journeys_views"  # the tracked position's application name
REBUILD_TABLE, REBUILD_POSITION = "rebuild_child_summary", "journeys_views_rebuild"  # a rebuild under way


@dataclass(frozen=True)
class Observation:
    """What one read saw, all from one snapshot: the figures a BI tool would take from the
    tables, the tracked position, and how far a rebuild under way had got (None when none was)."""

    figures: tuple[int, ...]
    position: int
    rebuilding: int | None
    at: float  # time.monotonic() when it was read


def _postgres(store: str) -> Any:
    import psycopg

    assert POSTGRES_URL
    return psycopg.connect(POSTGRES_URL, autocommit=True)


def _figures_sql(table: Any, tracking: str, rebuilt: str) -> str:
    # One statement: one snapshot on PostgreSQL too. The tables are named in the order the
    # swap locks them, as a reader that reads them all at once should.
    return (
        f"SELECT (SELECT count(*) FROM {table('child_summary')}),"
        f" (SELECT coalesce(sum(n), 0) FROM {table('adoption_months')} WHERE la = ''),"
        f" (SELECT count(*) FROM {table('plan_change')}),"
        f" (SELECT count(*) FROM {table('family_finding')}),"
        f" (SELECT count(*) FROM {table('unreadable_stream')}),"
        f" (SELECT coalesce(max(notification_id), 0) FROM {tracking} WHERE application_name = '{POSITION}'),"
        f" {rebuilt},"
        f" (SELECT max(notification_id) FROM {tracking} WHERE application_name = '{REBUILD_POSITION}')"
    )


@contextmanager
def reading(store: str) -> Iterator[Any]:
    """A function that reads one :class:`Observation` of ``store``'s read model, on a
    connection of its own kept open until the block ends."""
    if store.startswith("postgresql"):
        conn = _postgres(store)
        schema = store_schema(store)
        sql = _figures_sql(
            lambda name: f'"{schema}"."{name}"',
            f'"{schema}"."journeys_views_tracking"',
            f'to_regclass(\'"{schema}"."{REBUILD_TABLE}"\') IS NOT NULL',
        )

        def observe() -> Observation:
            row = conn.execute(sql).fetchone()
            return Observation(
                tuple(int(v) for v in row[:5]), int(row[5]), row[7] if row[6] else None, time.monotonic()
            )

    else:
        conn = sqlite3.connect(views_location(store), isolation_level=None, timeout=30)
        sql = _figures_sql(
            lambda name: name,
            "tracking",
            f"(SELECT count(*) FROM sqlite_master WHERE name = '{REBUILD_TABLE}')",
        )

        def observe() -> Observation:
            conn.execute("BEGIN")  # a read transaction: one snapshot of the write-ahead log
            try:
                row = conn.execute(sql).fetchone()
            finally:
                conn.execute("ROLLBACK")
            return Observation(
                tuple(int(v) for v in row[:5]), int(row[5]), row[7] if row[6] else None, time.monotonic()
            )

    try:
        yield observe
    finally:
        conn.close()


def observe(store: str) -> Observation:
    with reading(store) as read:
        return read()


@dataclass
class Watch:
    """Every observation a :func:`watching` reader made, and what stopped it, if anything."""

    seen: list[Observation] = field(default_factory=list)
    failure: BaseException | None = None

    def during_rebuild(self) -> list[Observation]:
        return [o for o in self.seen if o.rebuilding is not None]


@contextmanager
def watching(store: str) -> Iterator[Watch]:
    """A thread that observes ``store``'s read model again and again until the block ends."""
    watch = Watch()
    stop = threading.Event()

    def keep_reading() -> None:
        try:
            with reading(store) as read:
                while not stop.is_set():
                    watch.seen.append(read())
                    time.sleep(0.002)
        except BaseException as error:  # reported by the test, not lost in the thread
            watch.failure = error

    reader = threading.Thread(target=keep_reading, daemon=True)
    reader.start()
    try:
        yield watch
    finally:
        stop.set()
        reader.join(timeout=60)


def tables(store: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of ``store``'s read model in key order, and the position."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    if store.startswith("postgresql"):
        schema = store_schema(store)
        with _postgres(store) as conn:
            for name, key in TABLES.items():
                found[name] = [tuple(r) for r in conn.execute(f'SELECT * FROM "{schema}"."{name}" ORDER BY {key}')]
            tracking = f'"{schema}"."journeys_views_tracking"'
            found["position"] = [
                tuple(r)
                for r in conn.execute(f"SELECT notification_id FROM {tracking} WHERE application_name = %s", [POSITION])
            ]
        return found
    conn = sqlite3.connect(views_location(store))
    try:
        for name, key in TABLES.items():
            found[name] = [tuple(r) for r in conn.execute(f"SELECT * FROM {name} ORDER BY {key}")]
        found["position"] = [
            tuple(r)
            for r in conn.execute("SELECT notification_id FROM tracking WHERE application_name = ?", [POSITION])
        ]
    finally:
        conn.close()
    return found


def rebuild_tables_left(store: str) -> list[str]:
    """The names of the tables a rebuild fills that are in ``store``'s view store."""
    if store.startswith("postgresql"):
        with _postgres(store) as conn:
            rows = conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename LIKE 'rebuild\\_%%'",
                [store_schema(store)],
            ).fetchall()
    else:
        conn = sqlite3.connect(views_location(store))
        try:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'rebuild\\_%' ESCAPE '\\'").fetchall()
        finally:
            conn.close()
    return sorted(str(r[0]) for r in rows)
