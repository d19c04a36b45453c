"""A log chained per local authority, kept in a table of its own beside the events: what the
access log (:mod:`journeys.storage.access_log`) and the returns log
(:mod:`journeys.storage.returns_log`) share.

Each log names its table, its columns (``la`` and ``seq`` first, its key), its DDL, how a new
item is sealed after its LA's latest record, and how a record becomes a row and back; each
backend (:class:`SQLiteTable`, :class:`PostgresTable`) says how the table is named, made and
locked. Appending reads an LA's latest record and writes the next, so two writers must take
turns: the transaction first takes the write lock (on SQLite a write statement that changes
nothing; on PostgreSQL an advisory lock per LA, held to its end), then reads, seals and inserts.
"""

from __future__ import annotations

import zlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, ClassVar, Generic, TypeVar

Item = TypeVar("Item")
Record = TypeVar("Record")


class ChainedTable(ABC, Generic[Item, Record]):
    """A log in SQL; a subclass names the table and its rows, a backend marks parameters,
    makes the table and takes turns."""

    name: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
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

    @abstractmethod
    def statements(self) -> list[str]:
        """The DDL of the table and its index (each IF NOT EXISTS)."""

    @abstractmethod
    def _seal(self, previous: Record | None, item: Item) -> Record:
        """``item`` numbered and sealed after ``previous``, its LA's latest record."""

    @abstractmethod
    def _la(self, item: Item) -> str:
        """The local authority whose log ``item`` goes to."""

    @abstractmethod
    def _row(self, record: Record) -> tuple[Any, ...]:
        """``record`` as the values of :attr:`columns`."""

    @abstractmethod
    def _record(self, row: tuple[Any, ...]) -> Record:
        """A row of :attr:`columns` as a record."""

    def _ready(self) -> None:
        if not self._prepared:
            self._create()
            self._prepared = True

    def _transaction(self, *, commit: bool) -> AbstractContextManager[Any]:
        transaction: AbstractContextManager[Any] = self.datastore.transaction(commit=commit)
        return transaction

    def _append(self, items: Sequence[Item]) -> list[Record]:
        """Number, seal and store ``items`` (in their order, each after the latest record of its
        LA's log), all in one transaction; the records as stored."""
        self._ready()
        mark, columns = self._mark, ", ".join(self.columns)
        made: list[Record] = []
        with self._transaction(commit=True) as cursor:
            latest: dict[str, Record | None] = {}
            for la in sorted({self._la(i) for i in items}):  # one order of locks for every writer
                self._take_turn(cursor, la)
                cursor.execute(f"SELECT {columns} FROM {self.table} WHERE la = {mark} ORDER BY seq DESC LIMIT 1", [la])
                row = cursor.fetchone()
                latest[la] = None if row is None else self._record(values_of(row))
            for item in items:
                latest[self._la(item)] = record = self._seal(latest[self._la(item)], item)
                made.append(record)
            cursor.executemany(
                f"INSERT INTO {self.table} ({columns}) VALUES ({', '.join([mark] * len(self.columns))})",
                [self._row(r) for r in made],
            )
        return made

    def _select(self, conditions: Sequence[tuple[str, str, Any]]) -> list[Record]:
        """The records whose ``column op value`` holds for each condition whose value is not
        None, ordered by LA and number."""
        self._ready()
        where, params = [], []
        for column, op, value in conditions:
            if value is not None:
                where.append(f"{column} {op} {self._mark}")
                params.append(value)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._transaction(commit=False) as cursor:
            cursor.execute(f"SELECT {', '.join(self.columns)} FROM {self.table}{clause} ORDER BY la, seq", params)
            return [self._record(values_of(row)) for row in cursor.fetchall()]


class SQLiteTable(ChainedTable[Item, Record]):
    """A log in the store's SQLite file."""

    _mark = "?"

    @property
    def table(self) -> str:
        return self.name

    def _create(self) -> None:
        with self._transaction(commit=True) as cursor:
            for statement in self.statements():
                cursor.execute(statement)

    def _take_turn(self, cursor: Any, la: str) -> None:
        # A write statement takes SQLite's one write lock when it starts, whatever it changes:
        # the read that follows sees the latest record, and no other writer can add one.
        cursor.execute(f"UPDATE {self.table} SET seq = seq WHERE 0")


class PostgresTable(ChainedTable[Item, Record]):
    """A log in the store's PostgreSQL schema."""

    _mark = "%s"

    @property
    def table(self) -> str:
        return f'"{self.datastore.schema}"."{self.name}"'

    def _lock_key(self, what: str) -> int:
        return zlib.crc32(f"{self.name}:{self.datastore.schema}:{what}".encode())

    def _create(self) -> None:
        with self._transaction(commit=False) as cursor:
            cursor.execute("SELECT to_regclass(%s) AS found", [self.table])
            if values_of(cursor.fetchone())[0] is not None:
                return
        with self._transaction(commit=True) as cursor:
            # made one at a time: two at once would both try to enter the table in the catalog
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [self._lock_key("create")])
            for statement in self.statements():
                cursor.execute(statement)

    def _take_turn(self, cursor: Any, la: str) -> None:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [self._lock_key(la)])


def values_of(row: Any) -> tuple[Any, ...]:
    """A row as a tuple, whether the cursor gives tuples, ``sqlite3.Row`` or dicts."""
    return tuple(row.values()) if isinstance(row, dict) else tuple(row)
