"""Where the access log is kept: a table of its own beside the events, in the same store.

``journeys_access_log`` (on SQLite in the store's file, on PostgreSQL in the store's schema)
holds one row per record, ``(la, seq)`` its key: ``at``, ``user_name``, ``child``, ``command``,
``purpose`` and ``hash`` (:mod:`journeys.domain.access_log`). Each backend's recorder gives its
own :class:`AccessLogStore` (:meth:`journeys.storage.recorders.JourneysRecorder.access_log`).

The table, its appends and its reads are those of every log chained per local authority
(:mod:`journeys.storage.log_tables`).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from journeys.domain.access_log import Access, AccessRecord, sealed
from journeys.storage.log_tables import ChainedTable, PostgresTable, SQLiteTable

ACCESS_LOG_TABLE = "journeys_access_log"


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


class SQLAccessLog(ChainedTable[Access, AccessRecord], AccessLogStore):
    """The access log in SQL; a backend's subclass names the table, marks parameters and takes turns."""

    name = ACCESS_LOG_TABLE
    columns = ("la", "seq", "at", "user_name", "child", "command", "purpose", "hash")

    def statements(self) -> list[str]:
        """The DDL of the table and its index (each IF NOT EXISTS)."""
        index = f"{ACCESS_LOG_TABLE}_child"
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table} (la TEXT NOT NULL, seq BIGINT NOT NULL, at TEXT NOT NULL, "
            "user_name TEXT NOT NULL, child TEXT NOT NULL, command TEXT NOT NULL, purpose TEXT, hash TEXT NOT NULL, "
            "PRIMARY KEY (la, seq))",
            f"CREATE INDEX IF NOT EXISTS {index} ON {self.table} (la, child, seq)",
        ]

    def _seal(self, previous: AccessRecord | None, item: Access) -> AccessRecord:
        return sealed(previous, item)

    def _la(self, item: Access) -> str:
        return item.la

    def _row(self, record: AccessRecord) -> tuple[Any, ...]:
        r = record
        return (r.la, r.seq, r.at, r.user, r.child, r.command, r.purpose, r.hash)

    def _record(self, row: tuple[Any, ...]) -> AccessRecord:
        la, seq, at, user, child, command, purpose, hash_ = row
        return AccessRecord(la, int(seq), at, user, child, command, purpose, hash_)

    def append(self, accesses: Sequence[Access]) -> list[AccessRecord]:
        return self._append(accesses)

    def select(
        self, la: str | None = None, child: str | None = None, first: str | None = None, last: str | None = None
    ) -> list[AccessRecord]:
        return self._select([("la", "=", la), ("child", "=", child), ("at", ">=", first), ("at", "<", last)])


class SQLiteAccessLog(SQLiteTable[Access, AccessRecord], SQLAccessLog):
    """The access log in the store's SQLite file."""


class PostgresAccessLog(PostgresTable[Access, AccessRecord], SQLAccessLog):
    """The access log in the store's PostgreSQL schema."""
