"""The view store in PostgreSQL: :class:`PostgresJourneysViews`, the library's PostgreSQL
tracking recorder with the view store's tables (in the event store's database and schema).
Imported only when a PostgreSQL store is opened."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from eventsourcing.persistence import OperationalError, PersistenceError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder

from journeys.storage import access
from projections.views.dialect import PostgresDialect
from projections.views.sql import LAYOUTS, SQLJourneysViews
from projections.views.store import JourneysViews

# A swap waits this long for the read model's tables (a query elsewhere holds them), and a
# write that waited too long, or was chosen to break a deadlock, is tried this many times.
SWAP_LOCK_TIMEOUT = 2  # seconds
ATTEMPTS = 10


class PostgresJourneysViews(SQLJourneysViews, PostgresTrackingRecorder):
    """The view store in PostgreSQL (the library's tracking table is ``journeys_views_tracking``)."""

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.dialect = PostgresDialect(schema=datastore.schema)
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
        self._write(lambda c: access.protect(c, self.datastore.schema, [self.tracking_table_name]))

    # -- row-level security (journeys.storage.access) ---------------------------------------
    # Every table of the view store has it, enabled and forced, as the events table does: a
    # role granted some local authorities reads only their rows, and writes none (the store's
    # owner keeps the read model current). Tables are protected as they are made (a rebuild's
    # too: a swap renames them with their policies and privileges); an older view store's
    # when its owner opens it.

    def prepare(self, location: str) -> None:
        super().prepare(location)
        names = [*(layout.name for layout in LAYOUTS), self.tracking_table_name]
        with self.datastore.transaction(commit=False) as c:
            missing = access.unprotected(c, self.datastore.schema, names)
        if missing:
            # Not the owner, it fails: the tables stay unreadable to granted roles (they are
            # granted only protected tables) until the owner opens the view store.
            with suppress(PersistenceError):
                self._write(lambda c: access.protect(c, self.datastore.schema, missing))

    def _protect_layouts(self, c: Any) -> None:
        access.protect(c, self.datastore.schema, [self.dialect.named(layout.name) for layout in LAYOUTS])

    def _create(self, c: Any) -> None:
        super()._create(c)
        self._protect_layouts(c)

    def _create_afresh(self, c: Any) -> None:
        super()._create_afresh(c)
        self._protect_layouts(c)

    def _exists(self, c: Any, name: str) -> bool:
        c.execute("SELECT to_regclass(%s) AS found", [self.dialect.qualified(name)])
        return self.dialect.values(c.fetchone())[0] is not None

    def _write(self, body: Callable[[Any], None]) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self._writing() as c:
                    body(c)
                return
            except OperationalError as error:
                if attempt == ATTEMPTS or not _waited_too_long(error):
                    raise

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=True) as c:
            # Writers that interleave their deletes and upserts deadlock; this lock, held to
            # the end of the transaction, makes them take turns. Readers never take it.
            c.execute("SELECT pg_advisory_xact_lock(%s)", [self.lock_key])
            yield c

    def _tracked(self, c: Any) -> int | None:
        return self._max_tracking_id(self.tracking_name, c)

    def _record_position(self, c: Any, position: int) -> None:
        self._insert_tracking(c, Tracking(self.tracking_name, position))

    def _forget_position(self, c: Any) -> None:
        c.execute(self.forget_tracking_statement, [self.tracking_name])

    def swap_in(self, rebuilt: JourneysViews, position: int) -> bool:
        rebuilt.create_indexes()  # before, in their own transaction: the swap renames them
        return super().swap_in(rebuilt, position)

    def _swap_tables(self, c: Any, rebuilt: SQLJourneysViews) -> None:
        # Renames are quick: readers wait only for this transaction, and a reader that waited
        # finds the rebuilt table under the name. The lock is taken on every table at once,
        # with a limit, so a long query elsewhere makes the swap try again rather than hold
        # the readers queued behind it.
        live = ", ".join(self.dialect.qualified(layout.name) for layout in LAYOUTS)
        c.execute(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}s'")
        c.execute(f"LOCK TABLE {live} IN ACCESS EXCLUSIVE MODE")
        for layout in LAYOUTS:
            c.execute(f"DROP TABLE {self.dialect.qualified(layout.name)}")
            c.execute(
                f"ALTER TABLE {rebuilt.dialect.qualified(layout.name)} RENAME TO {self.dialect.named(layout.name)}"
            )
            for index in (f"{layout.name}_pkey", *layout.index_names()):
                c.execute(
                    f"ALTER INDEX IF EXISTS {rebuilt.dialect.qualified(index)} RENAME TO {self.dialect.named(index)}"
                )


def _waited_too_long(error: Exception) -> bool:
    """Whether PostgreSQL gave up on a lock (the swap's time limit, or a deadlock it broke)."""
    text = str(error).lower()
    return "lock timeout" in text or "deadlock detected" in text
