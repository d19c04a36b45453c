"""The view store in PostgreSQL: :class:`PostgresJourneysViews`, the library's PostgreSQL
tracking recorder with the view store's tables (in the event store's database and schema).
Imported only when a PostgreSQL store is opened."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import PersistenceError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder

from projections.views.dialect import PostgresDialect
from projections.views.sql import SQLJourneysViews
from projections.views.store import VIEWS_NAME


class PostgresJourneysViews(SQLJourneysViews, PostgresTrackingRecorder):
    """The view store in PostgreSQL (the library's tracking table is ``journeys_views_tracking``)."""

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.dialect = PostgresDialect(datastore.schema)
        tracking = self.dialect.qualified(self.tracking_table_name)
        self.forget_tracking_statement = f"DELETE FROM {tracking} WHERE application_name = %s"
        # One advisory lock per view store (per schema): its writers queue one after another.
        self.lock_key = zlib.crc32(f"journeys_views:{datastore.schema}".encode())

    def create_table(self) -> None:
        """The library's tracking table, created only when missing (opening an existing view
        store takes no lock a reader or a writer could be waiting on); two processes creating
        it at once both go on."""
        if not self._missing([self.tracking_table_name]):
            return
        try:
            super().create_table()
        except PersistenceError:
            if self._missing([self.tracking_table_name]):
                raise  # not another process's creation: a real failure

    def _exists(self, c: Any, name: str) -> bool:
        c.execute("SELECT to_regclass(%s) AS found", [self.dialect.qualified(name)])
        return self.dialect.values(c.fetchone())[0] is not None

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=True) as c:
            # Writers that interleave their deletes and upserts deadlock; this lock, held to
            # the end of the transaction, makes them take turns. Readers never take it.
            c.execute("SELECT pg_advisory_xact_lock(%s)", [self.lock_key])
            yield c

    def _record_position(self, c: Any, position: int) -> None:
        self._insert_tracking(c, Tracking(VIEWS_NAME, position))

    def _forget_position(self, c: Any) -> None:
        c.execute(self.forget_tracking_statement, [VIEWS_NAME])
