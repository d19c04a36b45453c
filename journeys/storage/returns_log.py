"""Where the returns log is kept: a table of its own beside the events, in the same store.

``journeys_returns_log`` (on SQLite in the store's file, on PostgreSQL in the store's schema,
under the same row-level security per LA as the access log) holds one row per return,
``(la, seq)`` its key: ``at``, ``user_name``, ``kind``, ``period``, ``body`` (JSON: what the
return was made from and its cells) and ``hash`` (:mod:`journeys.domain.returns_log`). Each
backend's recorder gives its own :class:`ReturnsLogStore`
(:meth:`journeys.storage.recorders.JourneysRecorder.returns_log`).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from journeys.domain.returns_log import ReturnMade, ReturnRecord, body_of, body_text, sealed_return
from journeys.storage.log_tables import ChainedTable, PostgresTable, SQLiteTable

RETURNS_LOG_TABLE = "journeys_returns_log"


class ReturnsLogStore(ABC):
    """The returns log of one store."""

    @abstractmethod
    def append(self, made: Sequence[ReturnMade]) -> list[ReturnRecord]:
        """Number, seal and store ``made`` (each after the latest record of its LA's log), in
        one transaction; the records as stored."""

    @abstractmethod
    def select(self, la: str | None = None, seq: int | None = None) -> list[ReturnRecord]:
        """The records of ``la`` (every LA when None), the one numbered ``seq`` if given,
        ordered by LA and number."""


class MemoryReturnsLog(ReturnsLogStore):
    """The returns log of an in-memory store: a list, for unit tests."""

    def __init__(self) -> None:
        self._records: list[ReturnRecord] = []
        self._lock = threading.Lock()

    def append(self, made: Sequence[ReturnMade]) -> list[ReturnRecord]:
        with self._lock:
            latest = {r.la: r for r in self._records}
            records = []
            for one in made:
                latest[one.la] = record = sealed_return(latest.get(one.la), one)
                records.append(record)
            self._records.extend(records)
        return records

    def select(self, la: str | None = None, seq: int | None = None) -> list[ReturnRecord]:
        found = [r for r in self._records if (la is None or r.la == la) and (seq is None or r.seq == seq)]
        return sorted(found, key=lambda r: (r.la, r.seq))


class SQLReturnsLog(ChainedTable[ReturnMade, ReturnRecord], ReturnsLogStore):
    """The returns log in SQL; a backend's subclass names the table, marks parameters and takes turns."""

    name = RETURNS_LOG_TABLE
    columns = ("la", "seq", "at", "user_name", "kind", "period", "body", "hash")

    def statements(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table} (la TEXT NOT NULL, seq BIGINT NOT NULL, at TEXT NOT NULL, "
            "user_name TEXT NOT NULL, kind TEXT NOT NULL, period TEXT NOT NULL, body TEXT NOT NULL, "
            "hash TEXT NOT NULL, PRIMARY KEY (la, seq))",
        ]

    def _seal(self, previous: ReturnRecord | None, item: ReturnMade) -> ReturnRecord:
        return sealed_return(previous, item)

    def _la(self, item: ReturnMade) -> str:
        return item.la

    def _row(self, record: ReturnRecord) -> tuple[Any, ...]:
        r = record
        return (r.la, r.seq, r.at, r.user, r.kind, r.period, body_text(r.body), r.hash)

    def _record(self, row: tuple[Any, ...]) -> ReturnRecord:
        la, seq, at, user, kind, period, body, hash_ = row
        return ReturnRecord(la, int(seq), at, user, kind, period, body_of(body), hash_)

    def append(self, made: Sequence[ReturnMade]) -> list[ReturnRecord]:
        return self._append(made)

    def select(self, la: str | None = None, seq: int | None = None) -> list[ReturnRecord]:
        return self._select([("la", "=", la), ("seq", "=", seq)])


class SQLiteReturnsLog(SQLiteTable[ReturnMade, ReturnRecord], SQLReturnsLog):
    """The returns log in the store's SQLite file."""


class PostgresReturnsLog(PostgresTable[ReturnMade, ReturnRecord], SQLReturnsLog):
    """The returns log in the store's PostgreSQL schema."""
