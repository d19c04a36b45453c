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

from eventsourcing import postgres
from eventsourcing.persistence import StoredEvent
from psycopg.rows import tuple_row

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
