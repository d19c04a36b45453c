"""Where the access log is kept: a table of its own beside the events, in the same store.

``journeys_access_log`` (on SQLite in the store's file, on PostgreSQL in the store's schema)
holds one row per record, ``(la, seq)`` its key: ``at``, ``user_name``, ``child``, ``command``,
``purpose`` and ``hash`` (:mod:`journeys.domain.access_log`). Each backend's recorder gives its
own :class:`AccessLogStore` (:meth:`journeys.storage.recorders.JourneysRecorder.access_log`).

Appending reads an LA's latest record and writes the next, so two writers must take turns: the
transaction first takes the write lock (on SQLite a write statement that changes nothing; on
PostgreSQL an advisory lock per LA, held to its end), then reads, seals and inserts.
"""

from __future__ import annotations

import threading
import zlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, ClassVar

from journeys.domain.access_log import Access, AccessRecord, sealed

ACCESS_LOG_TABLE = "journeys_access_log"
_COLUMNS = "la, seq, at, user_name, child, command, purpose, hash"


class AccessLogStore(ABC):
    """The access log of one store."""

    @abstractmethod
    def append(self, accesses: Sequence[Access]) -> list[AccessRecord]:
        """Number, seal and store ``accesses`` (in their order, each after the latest record of
        its LA's log), all in one transaction; the records as stored."""

    @abstractmethod
    def select(
        self, la: str | None = None, child: str | None = None, first: str | None = None, last: str | None = None
    ) -> list[AccessRecord]:
        """The records of ``la`` (every LA when None), of ``child`` if given, stored at or after
        ``first`` and before ``last`` (stamps, as :func:`journeys.domain.access_log.stamp` writes
        them), ordered by LA and number."""


class MemoryAccessLog(AccessLogStore):
    """The access log of an in-memory store: a list, for unit tests."""

    def __init__(self) -> None:
        self._records: list[AccessRecord] = []
        self._lock = threading.Lock()

    def append(self, accesses: Sequence[Access]) -> list[AccessRecord]:
        with self._lock:
            latest = {r.la: r for r in self._records}
            made = []
            for access in accesses:
                latest[access.la] = record = sealed(latest.get(access.la), access)
                made.append(record)
            self._records.extend(made)
        return made

    def select(
        self, la: str | None = None, child: str | None = None, first: str | None = None, last: str | None = None
    ) -> list[AccessRecord]:
        found = [
            r
            for r in self._records
            if (la is None or r.la == la)
            and (child is None or r.child == child)
            and (first is None or r.at >= first)
            and (last is None or r.at < last)
        ]
        return sorted(found, key=lambda r: (r.la, r.seq))


class SQLAccessLog(AccessLogStore):
    """The access log in SQL; a subclass names the table, marks parameters and takes turns."""

    _mark: ClassVar[str]

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore
        self._prepared = False

    @property
    @abstractmethod
    def table(self) -> str:
        """The table, quoted and qualified as a statement names it."""

    @abstractmethod
    def _create(self) -> None:
        """Create the table and its index when missing."""

    @abstractmethod
    def _take_turn(self, cursor: Any, la: str) -> None:
        """Hold the lock that makes writers of ``la``'s log take turns, to the transaction's end."""

    def statements(self) -> list[str]:
        """The DDL of the table and its index (each IF NOT EXISTS)."""
        index = f"{ACCESS_LOG_TABLE}_child"
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table} (la TEXT NOT NULL, seq BIGINT NOT NULL, at TEXT NOT NULL, "
            "user_name TEXT NOT NULL, child TEXT NOT NULL, command TEXT NOT NULL, purpose TEXT, hash TEXT NOT NULL, "
            "PRIMARY KEY (la, seq))",
            f"CREATE INDEX IF NOT EXISTS {index} ON {self.table} (la, child, seq)",
        ]

    def _ready(self) -> None:
        if not self._prepared:
            self._create()
            self._prepared = True

    def _transaction(self, *, commit: bool) -> AbstractContextManager[Any]:
        transaction: AbstractContextManager[Any] = self.datastore.transaction(commit=commit)
        return transaction

    def append(self, accesses: Sequence[Access]) -> list[AccessRecord]:
        self._ready()
        mark = self._mark
        made: list[AccessRecord] = []
        with self._transaction(commit=True) as cursor:
            latest: dict[str, AccessRecord | None] = {}
            for la in sorted({a.la for a in accesses}):  # one order of locks for every writer
                self._take_turn(cursor, la)
                cursor.execute(f"SELECT {_COLUMNS} FROM {self.table} WHERE la = {mark} ORDER BY seq DESC LIMIT 1", [la])
                row = cursor.fetchone()
                latest[la] = None if row is None else _record(row)
            for access in accesses:
                latest[access.la] = record = sealed(latest[access.la], access)
                made.append(record)
            cursor.executemany(
                f"INSERT INTO {self.table} ({_COLUMNS}) VALUES ({', '.join([mark] * 8)})",
                [_values(r) for r in made],
            )
        return made

    def select(
        self, la: str | None = None, child: str | None = None, first: str | None = None, last: str | None = None
    ) -> list[AccessRecord]:
        self._ready()
        where, params = [], []
        for column, op, value in (("la", "=", la), ("child", "=", child), ("at", ">=", first), ("at", "<", last)):
            if value is not None:
                where.append(f"{column} {op} {self._mark}")
                params.append(value)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._transaction(commit=False) as cursor:
            cursor.execute(f"SELECT {_COLUMNS} FROM {self.table}{clause} ORDER BY la, seq", params)
            return [_record(row) for row in cursor.fetchall()]


class SQLiteAccessLog(SQLAccessLog):
    """The access log in the store's SQLite file."""

    _mark = "?"

    @property
    def table(self) -> str:
        return ACCESS_LOG_TABLE

    def _create(self) -> None:
        with self._transaction(commit=True) as cursor:
            for statement in self.statements():
                cursor.execute(statement)

    def _take_turn(self, cursor: Any, la: str) -> None:
        # A write statement takes SQLite's one write lock when it starts, whatever it changes:
        # the read that follows sees the latest record, and no other writer can add one.
        cursor.execute(f"UPDATE {self.table} SET seq = seq WHERE 0")


class PostgresAccessLog(SQLAccessLog):
    """The access log in the store's PostgreSQL schema."""

    _mark = "%s"

    @property
    def table(self) -> str:
        return f'"{self.datastore.schema}"."{ACCESS_LOG_TABLE}"'

    def _lock_key(self, what: str) -> int:
        return zlib.crc32(f"{ACCESS_LOG_TABLE}:{self.datastore.schema}:{what}".encode())

    def _create(self) -> None:
        with self._transaction(commit=False) as cursor:
            cursor.execute("SELECT to_regclass(%s) AS found", [self.table])
            if _values_of(cursor.fetchone())[0] is not None:
                return
        with self._transaction(commit=True) as cursor:
            # made one at a time: two at once would both try to enter the table in the catalog
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [self._lock_key("create")])
            for statement in self.statements():
                cursor.execute(statement)

    def _take_turn(self, cursor: Any, la: str) -> None:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [self._lock_key(la)])


def _values_of(row: Any) -> tuple[Any, ...]:
    """A row as a tuple, whether the cursor gives tuples, ``sqlite3.Row`` or dicts."""
    return tuple(row.values()) if isinstance(row, dict) else tuple(row)


def _record(row: Any) -> AccessRecord:
    la, seq, at, user, child, command, purpose, hash_ = _values_of(row)
    return AccessRecord(la, int(seq), at, user, child, command, purpose, hash_)


def _values(record: AccessRecord) -> tuple[Any, ...]:
    r = record
    return (r.la, r.seq, r.at, r.user, r.child, r.command, r.purpose, r.hash)
