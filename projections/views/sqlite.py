"""The view store in SQLite: :class:`SQLiteJourneysViews`, the library's SQLite tracking
recorder with the view store's tables (in their own file beside the event store's)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from projections.views.dialect import SQLITE
from projections.views.sql import SQLJourneysViews
from projections.views.store import VIEWS_NAME


class SQLiteJourneysViews(SQLJourneysViews, SQLiteTrackingRecorder):
    """The view store in a SQLite file (the library's tracking table there is ``tracking``)."""

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.dialect = SQLITE
        self.forget_tracking_statement = "DELETE FROM tracking WHERE application_name = ?"

    def _exists(self, c: Any, name: str) -> bool:
        c.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
        return int(self.dialect.values(c.fetchone())[0]) > 0

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """A transaction writing rows and the position. A SQLite view store commits without
        waiting for the disk (``synchronous=NORMAL``; the library opens it in WAL mode): each
        commit is still atomic with its position, so after a power cut the read model is at an
        earlier position, consistent, and catches up again. It is derived data."""
        with self.datastore.get_connection(commit=True) as connection:
            setting = connection.cursor()
            setting.execute("PRAGMA synchronous=NORMAL")  # not allowed inside a transaction
            setting.sqlite_cursor.close()
            with connection.transaction(commit=True) as c:
                yield c

    def _record_position(self, c: SQLiteCursor, position: int) -> None:
        self._insert_tracking(c, Tracking(VIEWS_NAME, position))

    def _forget_position(self, c: SQLiteCursor) -> None:
        c.execute(self.forget_tracking_statement, [VIEWS_NAME])

    def _after_reset(self) -> None:
        # Emptying a big table writes all its pages to the write-ahead log; fold the log
        # back into the file now, or every write after it pays for it (a national rebuild
        # took about a third longer).
        with self.datastore.get_connection(commit=True) as connection:
            checkpoint = connection.cursor()
            checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            checkpoint.sqlite_cursor.close()
