"""The port of the event store that journeys needs beyond the library's application recorder.

:class:`JourneysRecorder` names the few queries and commands a journey store answers for many
streams at once: the rows of many streams, which of them are stored, the streams whose latest
event lies in a window of the log (the read side's rebuild), and a load's bulk insert. Each
backend is a subclass of the library's own application recorder (the pattern of the library's
``examples/searchabletimestamps``), chosen through ``PERSISTENCE_MODULE`` (see
:func:`journeys.storage.location.store_env`): :mod:`journeys.storage.sqlite`,
:mod:`journeys.storage.postgres` (imported only when a PostgreSQL store is opened) and
:mod:`journeys.storage.popo` (in memory).

The recorders return rows, ``(stream, version, topic, state)`` as the events table holds them
(a stream id as the backend gives it: hex text on SQLite, a UUID elsewhere);
:mod:`journeys.storage.decoding` turns rows into entries.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from itertools import chain
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder

from journeys.domain.errors import StoreError
from journeys.storage.access_log import AccessLogStore
from journeys.storage.child_keys import ChildKeys
from journeys.storage.returns_log import ReturnsLogStore

StoredRow = tuple[Any, int, str, bytes]  # stream (as stored), version, topic, state
NewRow = tuple[UUID, int, str, bytes]  # a load's new event: stream, version, stored topic, stored state

# How many stream ids one query names (well inside the 999 parameters of SQLite's oldest limit).
STREAMS_PER_QUERY = 500

_COLUMNS = "originator_id, originator_version, topic, state"


@dataclass(frozen=True)
class Grant:
    """One database role's access to one local authority of a shared store."""

    role: str
    la: str
    read_only: bool


class JourneysRecorder(ApplicationRecorder):
    """An application recorder that also answers for many streams at once."""

    # whether other processes can open the same store (not so an in-memory one)
    shared_between_processes: ClassVar[bool] = True
    # the key table of an erasable store (sealing format 2), None for format 1
    child_keys: ChildKeys | None = None

    @property
    def sealing_format(self) -> int:
        """1: hashes over the plain content, values in clear (or under the store-wide cipher);
        2 (erasable): protected values stored as tokens under each child's key, hashes over
        the stored content (see docs/data-protection.md)."""
        return 1 if self.child_keys is None else 2

    def open_child_keys(self, make: bool) -> None:
        """Find the store's key table (a store of format 2); with ``make``, make it when the
        store holds no event yet. A store that cannot hold one (in memory) stays format 1."""

    def erasure_compact(self) -> None:
        """After an erasure: whatever the backend needs so no copy of the destroyed key stays
        in its files."""

    @abstractmethod
    def select_streams(self, streams: Sequence[UUID]) -> list[StoredRow]:
        """The rows of ``streams``, ordered by stream and version (a stream with no events has
        none), read :data:`STREAMS_PER_QUERY` streams to a query."""

    @abstractmethod
    def stored_streams(self, streams: Collection[UUID]) -> set[UUID]:
        """Which of ``streams`` have stored events, in a few queries, so a load never reads back
        a child it is about to open."""

    @abstractmethod
    def select_streams_ending(self, first: int, last: int) -> Iterator[StoredRow]:
        """The rows of every stream whose latest event has a notification id from ``first`` to
        ``last``: each stream's rows in version order (the streams' rows may interleave)."""

    @abstractmethod
    def insert_bulk(self, rows: Sequence[NewRow], las: Mapping[UUID, str] | None = None) -> None:
        """Insert a load batch's new events in one transaction (raises the library's
        ``IntegrityError``, inserting nothing, if any of them is already stored); ``las``
        gives each stream's local authority, which a PostgreSQL store keeps beside its events."""

    @abstractmethod
    def end_bulk(self) -> None:
        """After a load: whatever the store settled for the load's batches put back."""

    @abstractmethod
    def make_access_log(self) -> AccessLogStore:
        """The store's access log, as this backend keeps it."""

    def access_log(self) -> AccessLogStore:
        """The store's access log (who looked at which child), kept beside the events: one
        for the recorder's life."""
        found: AccessLogStore | None = getattr(self, "_journeys_access_log", None)
        if found is None:
            found = self._journeys_access_log = self.make_access_log()
        return found

    @abstractmethod
    def make_returns_log(self) -> ReturnsLogStore:
        """The store's returns log, as this backend keeps it."""

    def returns_log(self) -> ReturnsLogStore:
        """The store's returns log (what each return made or imported said), kept beside the
        events: one for the recorder's life."""
        found: ReturnsLogStore | None = getattr(self, "_journeys_returns_log", None)
        if found is None:
            found = self._journeys_returns_log = self.make_returns_log()
        return found

    # -- access per local authority: only a PostgreSQL store is shared between users ------

    def visible_las(self) -> list[str] | None:
        """The local authorities whose rows this store lets the connected user see; None for
        every one (a SQLite file, the owner of a PostgreSQL store)."""
        return None

    def access_grants(self) -> list[Grant]:
        raise single_user()

    def grant_access(self, role: str, las: Sequence[str], *, read_only: bool) -> None:
        raise single_user()

    def revoke_access(self, role: str, las: Sequence[str]) -> int:
        raise single_user()


def single_user() -> StoreError:
    return StoreError(
        "access per local authority is for a shared PostgreSQL store: a SQLite store is single-user, "
        "and the file is the boundary (whoever can read the file reads every child in it)",
        "keep the file where only its users can read it, or share a postgresql:// store (see docs/data-protection.md)",
    )


class SQLJourneysRecorder(JourneysRecorder):
    """The port's queries in SQL, the same for SQLite and PostgreSQL: a subclass says how its
    events table is named, how a parameter is marked, which column numbers the log, how a
    stream id is passed, and opens a reading cursor that gives plain tuples."""

    _mark: ClassVar[str]  # a parameter's placeholder
    _number: ClassVar[str]  # the column holding an event's notification id

    @property
    @abstractmethod
    def _table(self) -> str:
        """The events table, quoted and qualified as a statement names it."""

    @abstractmethod
    def _ids(self, streams: Iterable[UUID]) -> list[Any]:
        """Stream ids as the events table stores them."""

    @abstractmethod
    def _reading(self) -> AbstractContextManager[Any]:
        """A cursor in a transaction that does not commit, whose rows are plain tuples."""

    def _marks(self, count: int) -> str:
        return ", ".join([self._mark] * count)

    def select_streams(self, streams: Sequence[UUID]) -> list[StoredRow]:
        return self._select_streams(streams, _COLUMNS, "ORDER BY originator_id, originator_version")

    def stored_streams(self, streams: Collection[UUID]) -> set[UUID]:
        return {UUID(str(row[0])) for row in self._select_streams(streams, "DISTINCT originator_id")}

    def _select_streams(self, streams: Iterable[UUID], columns: str, order: str = "") -> list[Any]:
        ids = self._ids(streams)
        found: list[Any] = []
        with self._reading() as cursor:
            for start in range(0, len(ids), STREAMS_PER_QUERY):
                chunk = ids[start : start + STREAMS_PER_QUERY]
                cursor.execute(
                    f"SELECT {columns} FROM {self._table} WHERE originator_id IN ({self._marks(len(chunk))}) {order}",
                    chunk,
                )
                found.extend(cursor.fetchall())
        return found

    def select_streams_ending(self, first: int, last: int) -> Iterator[StoredRow]:
        """Each stream belongs to the one window that holds its latest event, so walking the log
        in windows reads (and a rebuild derives) every child once.

        The window's events are read as one range of notification ids; one look-up per stream
        in the primary key's index (which holds the notification id) says where each stream
        begins and ends; only a stream ending here that began in an earlier window has its
        earlier events read by id. Its earlier rows come first, then the window's (in
        notification order, which is a stream's version order)."""
        table, mark, number = self._table, self._mark, self._number
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT {_COLUMNS} FROM {table} WHERE {number} BETWEEN {mark} AND {mark} ORDER BY {number}",
                [first, last],
            )
            window: list[StoredRow] = cursor.fetchall()
            ids = list(dict.fromkeys(row[0] for row in window))
            began: dict[Any, int] = {}  # stream ending in the window -> its first notification id
            for start in range(0, len(ids), STREAMS_PER_QUERY):
                chunk = ids[start : start + STREAMS_PER_QUERY]
                cursor.execute(
                    f"SELECT originator_id, MIN({number}), MAX({number}) FROM {table} "
                    f"WHERE originator_id IN ({self._marks(len(chunk))}) GROUP BY originator_id",
                    chunk,
                )
                for raw, low, high in cursor.fetchall():
                    if high <= last:
                        began[raw] = low
            earlier = [raw for raw, low in began.items() if low < first]
            rows: list[StoredRow] = []
            for start in range(0, len(earlier), STREAMS_PER_QUERY):
                chunk = earlier[start : start + STREAMS_PER_QUERY]
                cursor.execute(
                    f"SELECT {_COLUMNS} FROM {table} "
                    f"WHERE originator_id IN ({self._marks(len(chunk))}) AND {number} < {mark} "
                    "ORDER BY originator_id, originator_version",
                    [*chunk, first],
                )
                rows.extend(cursor.fetchall())
        return chain(rows, (row for row in window if row[0] in began))


def journeys_recorder(recorder: ApplicationRecorder) -> JourneysRecorder:
    """``recorder`` as the port, or a :class:`StoreError` for a persistence module that is not
    one of journeys' (an environment that set ``PERSISTENCE_MODULE`` itself)."""
    if not isinstance(recorder, JourneysRecorder):
        raise StoreError(
            f"the store's recorder {type(recorder).__qualname__} is not a journeys recorder",
            "leave PERSISTENCE_MODULE unset: the store's path or URL chooses it",
        )
    return recorder
