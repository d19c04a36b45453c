"""The SQLite journey store: the library's SQLite application recorder with the port's queries
and a load's bulk insert (``PERSISTENCE_MODULE=journeys.storage.sqlite``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing import sqlite
from eventsourcing.persistence import IntegrityError, PersistenceError

from journeys.domain.errors import StoreError
from journeys.storage.access_log import AccessLogStore, SQLiteAccessLog
from journeys.storage.child_keys import CHILD_KEYS_TABLE, ChildKeys
from journeys.storage.recorders import NewRow, SQLJourneysRecorder
from journeys.storage.returns_log import ReturnsLogStore, SQLiteReturnsLog

_CHILD_KEYS_DDL = (
    f"CREATE TABLE IF NOT EXISTS {CHILD_KEYS_TABLE} (stream TEXT PRIMARY KEY, la TEXT NOT NULL, key BLOB, "
    "created_at TEXT NOT NULL, erased_at TEXT, reason TEXT)"
)

# Set on the connection that saves a load's batches. A batch's new streams land on index
# pages all over the (stream, version) primary key: a larger page cache keeps them between
# batches, and copying the log into the database every 20,000 pages rather than 1,000 writes
# each page once for many batches. (Measured on 1.35M rows of 300,000 streams in batches of
# 5,000: 25.6 s with the defaults, 14.2 s with these.) Each batch is still committed,
# synchronously, in its own transaction.
SQLITE_LOAD_PRAGMAS = ("PRAGMA cache_size = -65536", "PRAGMA wal_autocheckpoint = 20000")
SQLITE_DEFAULT_PRAGMAS = ("PRAGMA cache_size = -2000", "PRAGMA wal_autocheckpoint = 1000")


class SQLiteJourneysRecorder(SQLJourneysRecorder, sqlite.SQLiteApplicationRecorder):
    """Stream ids are stored as hex text; the log is numbered by ``rowid``."""

    _mark = "?"
    _number = "rowid"

    @property
    def _table(self) -> str:
        return self.events_table_name

    def _ids(self, streams: Iterable[UUID]) -> list[Any]:
        return [stream.hex for stream in streams]

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.sqlite_cursor.row_factory = None  # plain tuples: no sqlite3.Row per event
            yield cursor

    def open_child_keys(self, make: bool) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [CHILD_KEYS_TABLE])
            found = cursor.fetchone() is not None
            if not found and make:
                cursor.execute(f"SELECT 1 FROM {self.events_table_name} LIMIT 1")
                if cursor.fetchone() is None:  # a new store: made erasable
                    cursor.execute(_CHILD_KEYS_DDL)
                    found = True
        if found:
            self.child_keys = ChildKeys(CHILD_KEYS_TABLE, "?", self._reading, _hex, "PRAGMA secure_delete = ON")

    def _insert_events(self, c: Any, stored_events: Sequence[Any], **kwargs: Any) -> Sequence[int] | None:
        """The library's insert; on an erasable store, the new journeys' keys (and an
        erasure's destruction of one) in the same transaction."""
        ids = super()._insert_events(c, stored_events, **kwargs)
        if self.child_keys is not None:
            keys = self.child_keys
            keys.written(keys.write(c, (_as_uuid(e.originator_id) for e in stored_events)))
        return ids

    def erasure_compact(self) -> None:
        compact_sqlite(self.datastore)

    def insert_bulk(self, rows: Sequence[NewRow], las: Mapping[UUID, str] | None = None) -> None:
        """The library's own insert statement, executed once for the whole batch (its
        application recorder inserts row by row to return notification ids, which a load does
        not use), with the load's settings on the connection."""
        with self.datastore.transaction(commit=True) as cursor:
            for pragma in SQLITE_LOAD_PRAGMAS:
                cursor.execute(pragma)
            cursor.executemany(self.insert_events_statement, _hex_rows(rows))
            if self.child_keys is not None:
                keys = self.child_keys
                keys.written(keys.write(cursor, (row[0] for row in rows if row[1] == 1)))

    def end_bulk(self) -> None:
        """The connections' settings back to the defaults, and the write-ahead log copied into
        the database (what a load did not leave to later commits)."""
        if not self.datastore.pool.is_journal_mode_wal:
            return
        with self.datastore.transaction(commit=False) as cursor:
            for pragma in SQLITE_DEFAULT_PRAGMAS:
                cursor.execute(pragma)
        with self.datastore.get_connection(commit=True) as connection, connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def make_access_log(self) -> AccessLogStore:
        return SQLiteAccessLog(self.datastore)

    def make_returns_log(self) -> ReturnsLogStore:
        return SQLiteReturnsLog(self.datastore)


# What SQLite's own words mean for the person at the keyboard: (words in the error, what is
# wrong, what to do). The first that matches wins.
SQLITE_CONDITIONS = (
    (
        ("readonly", "read-only"),
        "the store {path!r} is read-only",
        "ask for write access to the file and its folder (SQLite writes PATH-wal and PATH-shm beside it), "
        "or work on a copy",
    ),
    (
        ("locked", "busy"),
        "the store {path!r} is locked by another process",
        "wait for the other command (a load, an import or a rebuild) to finish, then try again",
    ),
    (
        ("not a database", "malformed", "disk image"),
        "the store {path!r} is damaged ({reason})",
        "restore it from a backup, or load its events again into a new store (`journeys load`)",
    ),
    (
        ("full",),
        "there is no room to write the store {path!r} ({reason})",
        "free some disk space (or move the store), then try again",
    ),
    (
        ("unable to open",),
        "cannot open the store {path!r} ({reason})",
        "check that the file and its folder exist and that you may read and write them",
    ),
)


def sqlite_store_error(path: str, error: BaseException) -> StoreError:
    """The typed error for a failure of SQLite on the store ``path``."""
    reason = str(error)
    words = reason.lower()
    for keys, message, remedy in SQLITE_CONDITIONS:
        if any(key in words for key in keys):
            return StoreError(message.format(path=path, reason=reason), remedy)
    return StoreError(f"the store {path!r} failed: {reason}")


class SQLiteJourneysDatastore(sqlite.SQLiteDatastore):
    """The library's datastore, whose every failure of the database (opening it included: the
    library's pool sets the journal mode on a new connection outside its own conversion) is a
    :class:`StoreError` saying what is wrong. A conflict of versions stays the library's
    ``IntegrityError``: the application answers that one."""

    @contextmanager
    def get_connection(self, *, commit: bool) -> Iterator[sqlite.SQLiteConnection]:
        try:
            with super().get_connection(commit=commit) as connection:
                yield connection
        except IntegrityError:
            raise
        except (sqlite3.Error, PersistenceError) as error:
            raise sqlite_store_error(self.pool.db_name, error) from None


class SQLiteJourneysFactory(sqlite.SQLiteFactory):
    """The library's SQLite factory on a :class:`SQLiteJourneysDatastore`; with the setting
    ``SQLCIPHER_KEY`` (see :func:`journeys.storage.location.store_env`) its connections are
    SQLCipher's, keyed (:mod:`journeys.storage.sqlcipher`, imported only then)."""

    application_recorder_class = SQLiteJourneysRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        library = self.datastore
        self.datastore = SQLiteJourneysDatastore(
            db_name=library.pool.db_name,
            lock_timeout=library.pool.lock_timeout,
            single_row_tracking=library.single_row_tracking,
            originator_id_type=library.originator_id_type,
        )
        library.close()
        key = self.env.get("SQLCIPHER_KEY") or ""
        if key:
            from journeys.storage.sqlcipher import keyed_pool

            plain = self.datastore.pool
            self.datastore.pool = keyed_pool(key, plain)
            plain.close()


def _hex_rows(rows: Sequence[NewRow]) -> list[tuple[str, int, str, bytes]]:
    """Rows with their stream ids as SQLite stores them (hex text), each id converted once
    for a run of its rows (a journey's rows come together)."""
    converted: list[tuple[str, int, str, bytes]] = []
    last: UUID | None = None
    text = ""
    for key, version, topic, state in rows:
        if key is not last:
            last, text = key, key.hex
        converted.append((text, version, topic, state))
    return converted


def compact_sqlite(datastore: sqlite.SQLiteDatastore) -> None:
    """After an erasure: freed pages zeroed (``secure_delete``), the write-ahead log copied
    into the file and emptied, and the file rebuilt (``VACUUM``), so that no page of the file
    or of its log still holds a destroyed key, or rows as they were before."""
    with datastore.get_connection(commit=True) as connection, connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _hex(stream: UUID) -> str:
    return stream.hex


def _as_uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))
