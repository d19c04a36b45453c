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
from journeys.storage.recorders import NewRow, SQLJourneysRecorder


class PostgresJourneysRecorder(SQLJourneysRecorder, postgres.PostgresApplicationRecorder):
    """Tables live in the store's schema; the log is numbered by ``notification_id``."""

    _mark = "%s"
    _number = "notification_id"

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
        self.insert_events(
            [StoredEvent(originator_id=k, originator_version=v, topic=t, state=s) for k, v, t, s in rows]
        )

    def end_bulk(self) -> None:
        """Nothing: a load changes no setting of PostgreSQL's."""


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
