"""The view store in SQLite: :class:`SQLiteJourneysViews`, the library's SQLite tracking
recorder with the view store's tables (in their own file beside the event store's)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError, PersistenceError, Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from journeys.storage.sqlite import compact_sqlite
from projections.views.dialect import SQLITE
from projections.views.sql import LAYOUTS, SQLJourneysViews

# How many times a write the database refuses as locked is tried (each attempt first waits
# up to the busy timeout for the lock, see views_env).
ATTEMPTS = 5


class SQLiteJourneysViews(SQLJourneysViews, SQLiteTrackingRecorder):
    """The view store in a SQLite file (the library's tracking table there is ``tracking``)."""

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.dialect = SQLITE
        self.forget_tracking_statement = "DELETE FROM tracking WHERE application_name = ?"

    def create_table(self) -> None:
        """The library's tracking table, created only when missing (opening an existing view
        store writes nothing); two processes creating it at once both go on."""
        if not self._missing(["tracking"]):
            return
        try:
            super().create_table()
        except PersistenceError:
            if self._missing(["tracking"]):
                raise  # not another process's creation: a real failure

    def compact(self) -> None:
        compact_sqlite(self.datastore)

    def _exists(self, c: Any, name: str) -> bool:
        found = self.dialect.named(name)
        c.execute("SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', 'index') AND name = ?", [found])
        return int(self.dialect.values(c.fetchone())[0]) > 0

    def _write(self, body: Callable[[Any], None]) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self._writing() as c:
                    body(c)
                return
            except OperationalError as error:
                if attempt == ATTEMPTS or not _locked(error):
                    raise

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """A transaction writing rows and the position. It begins IMMEDIATE: it takes the write
        lock before it reads, so a second writer waits for the first (the busy timeout) instead
        of failing when it finds its snapshot out of date.

        A SQLite view store commits without waiting for the disk (``synchronous=NORMAL``; the
        library opens it in WAL mode): each commit is still atomic with its position, so after
        a power cut the read model is at an earlier position, consistent, and catches up
        again. It is derived data."""
        with self.datastore.get_connection(commit=True) as connection:
            c = connection.cursor()
            try:
                c.execute("PRAGMA synchronous=NORMAL")  # not allowed inside a transaction
                c.execute("BEGIN IMMEDIATE")
                try:
                    yield c
                    connection.commit()
                except BaseException:
                    connection.rollback()
                    raise
            except sqlite3.IntegrityError as error:
                raise IntegrityError(error) from error
            except sqlite3.OperationalError as error:
                raise OperationalError(error) from error
            except sqlite3.Error as error:
                raise PersistenceError(error) from error
            finally:
                c.sqlite_cursor.close()

    def _tracked(self, c: SQLiteCursor) -> int | None:
        return self._max_tracking_id(self.tracking_name, c)

    def _record_position(self, c: SQLiteCursor, position: int) -> None:
        self._insert_tracking(c, Tracking(self.tracking_name, position))

    def _forget_position(self, c: SQLiteCursor) -> None:
        c.execute(self.forget_tracking_statement, [self.tracking_name])

    def _swap_tables(self, c: Any, rebuilt: SQLJourneysViews) -> None:
        # SQLite cannot rename an index, and an index's name is the database's: the rebuilt
        # tables' indexes are made here, under their names, after the rename. Readers go on
        # reading the old tables (each its snapshot of the write-ahead log) until this commits.
        for layout in LAYOUTS:
            c.execute(f"DROP TABLE IF EXISTS {self.dialect.qualified(layout.name)}")
            for index in layout.index_names():
                c.execute(f"DROP INDEX IF EXISTS {rebuilt.dialect.qualified(index)}")
            c.execute(
                f"ALTER TABLE {rebuilt.dialect.qualified(layout.name)} RENAME TO {self.dialect.named(layout.name)}"
            )
        for statement in self._indexes_sql():
            c.execute(statement)


def _locked(error: Exception) -> bool:
    """Whether SQLite refused for a lock another connection holds (worth trying again)."""
    text = str(error).lower()
    return "locked" in text or "busy" in text
