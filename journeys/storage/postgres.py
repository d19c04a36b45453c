"""The PostgreSQL journey store: the library's PostgreSQL application recorder with the port's
queries (``PERSISTENCE_MODULE=journeys.storage.postgres``).

Only a PostgreSQL store imports this module, and with it psycopg: the CLI starts quickly on
SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing import postgres
from eventsourcing.persistence import ApplicationRecorder, PersistenceError, StoredEvent
from psycopg.rows import tuple_row

from journeys.domain.errors import StoreError
from journeys.storage.access_log import AccessLogStore, PostgresAccessLog
from journeys.storage.recorders import NewRow, SQLJourneysRecorder

# Whether the store's schema already holds what the library's DDL makes: the events table, its
# notification index, the composite type and the insert function. A catalog read takes no lock
# on the events table, where CREATE INDEX IF NOT EXISTS takes a SHARE lock before it looks, and so
# waits behind any load's EXCLUSIVE lock.
_MADE = """
SELECT
  (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND c.relname IN (%s, %s)) AS relations,
  (SELECT count(*) FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid AND t.typname = %s) AS types,
  (SELECT count(*) FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid AND p.proname = %s) AS functions
FROM pg_catalog.pg_namespace n WHERE n.nspname = %s
"""


class PostgresJourneysRecorder(SQLJourneysRecorder, postgres.PostgresApplicationRecorder):
    """Tables live in the store's schema; the log is numbered by ``notification_id``."""

    _mark = "%s"
    _number = "notification_id"

    def create_table(self) -> None:
        """The library's DDL, run only when the store does not hold its tables yet: opening an
        existing store (``show``, a report) never waits on a running load's lock. Commands that
        open a new store at once make its tables one after the other: made at the same moment,
        the catalog refuses all but one ("duplicate key value violates unique constraint
        pg_type_typname_nsp_index", "tuple concurrently updated")."""
        if not self.tables_made():
            with self._one_at_a_time():
                if not self.tables_made():  # not made by another while this one waited
                    super().create_table()
                    return
        self.datastore.register_type_adapters()

    @contextmanager
    def _one_at_a_time(self) -> Iterator[None]:
        """An advisory lock on the store's schema, held by a connection of its own (outside any
        transaction, so that no idle-in-transaction timeout ends it) while the DDL runs on another."""
        key = f"journeys tables of {self.datastore.schema}"
        with self.datastore.get_connection() as conn:
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
            conn.commit()
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
                conn.commit()

    def tables_made(self) -> bool:
        """Whether the schema holds everything the library's DDL makes, read from the catalog."""
        names = (
            self.events_table_name,
            self.notification_id_index_name,
            self.stored_event_type_name,
            self.pg_function_name_insert_events,
            self.datastore.schema,
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(_MADE, names)
            row = cursor.fetchone()
        return row is not None and tuple(row.values()) == (2, 1, 1)

    @property
    def _table(self) -> str:
        return f'"{self.datastore.schema}"."{self.events_table_name}"'

    def _ids(self, streams: Iterable[UUID]) -> list[Any]:
        return [str(stream) for stream in streams]

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=False) as cursor:
            reading: Any = cursor
            reading.row_factory = tuple_row  # plain tuples, as SQLite gives them: no dict per event
            yield reading

    def insert_bulk(self, rows: Sequence[NewRow]) -> None:
        """The library's insert (lock the table, notify, insert the rows), in one transaction
        of plain round trips rather than the library's pipeline.

        Why not the library's ``insert_events``: it sends the statements in psycopg's pipeline
        mode, and psycopg (3.3.9) stops sending a pipeline's last command once the socket is not
        writable, then waits only to read. A batch of several megabytes sent while another
        process holds the table's lock fills the socket; once the lock is released the server
        waits for the rest of the INSERT (``ClientRead``) and the client for its results, for
        ever, holding the table's lock (psycopg issue #685 is the same shape). A plain execute
        flushes everything before it waits for a result.
        """
        events = [StoredEvent(originator_id=k, originator_version=v, topic=t, state=s) for k, v, t, s in rows]
        if not events:
            return
        with self.datastore.transaction(commit=True) as cursor:
            self._insert_stored_events(cursor, events)

    def end_bulk(self) -> None:
        """Nothing: a load changes no setting of PostgreSQL's."""

    def make_access_log(self) -> AccessLogStore:
        return PostgresAccessLog(self.datastore)


class PostgresJourneysFactory(postgres.PostgresFactory):
    application_recorder_class = PostgresJourneysRecorder

    def application_recorder(self) -> ApplicationRecorder:
        """The recorder, its table made ready; when the pool cannot connect, the server's own
        reason (the pool says only that it waited), found by one direct connection."""
        try:
            return super().application_recorder()
        except PersistenceError as error:
            raise self._connection_error(error) from None

    def _connection_error(self, error: Exception) -> StoreError:
        get = self.env.get
        dbname, host = get(self.POSTGRES_DBNAME) or "", get(self.POSTGRES_HOST) or ""
        port, user = get(self.POSTGRES_PORT) or "5432", get(self.POSTGRES_USER) or ""
        password = get(self.POSTGRES_PASSWORD) or ""
        where = f"the PostgreSQL store {dbname!r} on {host}:{port} as {user!r}"
        try:
            psycopg.connect(
                dbname=dbname,
                host=host,
                port=port,
                user=user,
                password=password or None,
                connect_timeout=int(get(self.POSTGRES_CONNECT_TIMEOUT) or "5"),
            ).close()
        except psycopg.Error as direct:
            reason = " ".join(str(direct).split())
        else:
            reason = " ".join(str(error).split())
        if password:
            reason = reason.replace(password, "***")
        return StoreError(
            f"cannot open {where}: {reason}",
            "check --store (or JOURNEYS_STORE): the server, port, database and user of the postgresql:// URL",
        )
