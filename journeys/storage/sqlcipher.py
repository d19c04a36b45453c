"""SQLite stores encrypted whole with SQLCipher (the ``sqlcipher3`` package, whose wheel holds
the library): the database file, its ``-wal`` and its ``-shm``, each page AES-256 encrypted
and authenticated.

The library's SQLite datastore is used as it is, with its connection pool replaced by
:class:`SQLCipherConnectionPool`, whose new connections are SQLCipher's, keyed before their
first statement. ``sqlcipher3`` raises errors of its own classes, not ``sqlite3``'s: this
module's connections and cursors turn them into the library's (``IntegrityError``,
``OperationalError``, ...), as the library's SQLite module does with ``sqlite3``'s, so the
recorders and the view store answer them the same way on either kind of store.

``PERSISTENCE_MODULE=journeys.storage.sqlcipher`` names :class:`Factory`: the library's SQLite
factory on a keyed datastore (the view store of an encrypted store uses it; the event store
uses :mod:`journeys.storage.sqlite`, which keys its own datastore the same way).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

import sqlcipher3  # type: ignore[import-untyped]
from eventsourcing import persistence, sqlite
from eventsourcing.utils import Environment, EnvType

from journeys.domain.errors import StoreError
from journeys.storage.store_key import GIVE_KEY

# The setting (in the library's environment) that holds the key, as 64 hex digits.
SQLCIPHER_KEY = "SQLCIPHER_KEY"

R = TypeVar("R")

# sqlcipher3's errors and the library's that stand for them, the most particular first.
_ERRORS: tuple[tuple[type[Exception], type[persistence.PersistenceError]], ...] = (
    (sqlcipher3.InterfaceError, persistence.InterfaceError),
    (sqlcipher3.DataError, persistence.DataError),
    (sqlcipher3.OperationalError, persistence.OperationalError),
    (sqlcipher3.IntegrityError, persistence.IntegrityError),
    (sqlcipher3.InternalError, persistence.InternalError),
    (sqlcipher3.ProgrammingError, persistence.ProgrammingError),
    (sqlcipher3.NotSupportedError, persistence.NotSupportedError),
    (sqlcipher3.DatabaseError, persistence.DatabaseError),
    (sqlcipher3.Error, persistence.PersistenceError),
)


def library_error(error: Exception) -> persistence.PersistenceError:
    """The library's error for an error of ``sqlcipher3``."""
    for theirs, ours in _ERRORS:
        if isinstance(error, theirs):
            return ours(error)
    return persistence.PersistenceError(error)


def _converted(call: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    try:
        return call(*args, **kwargs)
    except sqlcipher3.Error as error:
        raise library_error(error) from error


def key_pragma(key: str) -> str:
    """The statement that gives a connection the raw key ``key`` (64 hex digits, checked)."""
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        raise ValueError("a store key is 64 lower-case hex digits")
    return f"PRAGMA key = \"x'{key}'\""


def connect(path: str, key: str | None, *, timeout: float = sqlite.SQLITE3_DEFAULT_LOCK_TIMEOUT) -> Any:
    """A SQLCipher connection to ``path`` in autocommit mode, keyed with ``key`` (None: a plain
    SQLite file), its key checked by reading the schema: a key that does not open the file is
    a :class:`StoreError` naming the remedy. SQLCipher's own log lines are silenced (a wrong
    key is our refusal, not its stderr)."""
    connection = sqlcipher3.connect(
        database=path, uri=True, check_same_thread=False, isolation_level=None, timeout=timeout
    )
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            connection.execute(key_pragma(key))
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as error:
        connection.close()
        if key is not None and "not a database" in str(error):
            raise StoreError(
                f"the store key does not open the store {path!r} (a wrong key, or not an encrypted journeys store)",
                GIVE_KEY,
            ) from None
        raise library_error(error) from error
    return connection


class SQLCipherCursor(sqlite.SQLiteCursor):
    """The library's SQLite cursor whose failures are the library's errors."""

    def __enter__(self) -> Any:  # the cursor itself (converting), not the driver's
        return self

    def execute(self, *args: Any, **kwargs: Any) -> None:
        _converted(self.sqlite_cursor.execute, *args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> None:
        _converted(self.sqlite_cursor.executemany, *args, **kwargs)

    def fetchall(self) -> Any:
        return _converted(self.sqlite_cursor.fetchall)

    def fetchone(self) -> Any:
        return _converted(self.sqlite_cursor.fetchone)


class SQLCipherConnection(sqlite.SQLiteConnection):
    """The library's SQLite connection on a SQLCipher connection."""

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[sqlite.SQLiteCursor]:
        try:
            with super().transaction(commit=commit) as cursor:
                yield cursor
        except sqlcipher3.Error as error:  # from BEGIN, COMMIT or ROLLBACK
            raise library_error(error) from error

    def cursor(self) -> sqlite.SQLiteCursor:
        return SQLCipherCursor(_converted(self._sqlite_conn.cursor))

    def rollback(self) -> None:
        _converted(self._sqlite_conn.rollback)

    def commit(self) -> None:
        _converted(self._sqlite_conn.commit)


class SQLCipherConnectionPool(sqlite.SQLiteConnectionPool):
    """The library's SQLite pool whose connections are SQLCipher's, keyed with ``key``."""

    def __init__(self, *, key: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key

    def _create_connection(self) -> sqlite.SQLiteConnection:
        # As the library's pool does (write-ahead log for a file, rows by name), on a keyed connection.
        c = connect(self.db_name, self.key, timeout=self.lock_timeout or sqlite.SQLITE3_DEFAULT_LOCK_TIMEOUT)
        if not self.is_sqlite_memory_mode and not self.is_journal_mode_wal:
            mode = _converted(lambda: c.execute("PRAGMA journal_mode").fetchone()[0])
            if str(mode).lower() != "wal":
                _converted(c.execute, "PRAGMA journal_mode=WAL")
                self.journal_mode_was_changed_to_wal = True
            self.is_journal_mode_wal = True
        c.row_factory = sqlcipher3.Row
        return SQLCipherConnection(sqlite_conn=c, max_age=self.max_age)


def keyed_pool(key: str, pool: sqlite.SQLiteConnectionPool) -> SQLCipherConnectionPool:
    """A keyed pool with the settings of the library's ``pool`` (which has opened nothing)."""
    return SQLCipherConnectionPool(
        key=key,
        db_name=pool.db_name,
        lock_timeout=pool.lock_timeout,
        pool_size=pool.pool_size,
        max_overflow=pool.max_overflow,
        pool_timeout=pool.pool_timeout,
        max_age=pool.max_age,
        pre_ping=pool.pre_ping,
    )


class SQLCipherDatastore(sqlite.SQLiteDatastore):
    """The library's SQLite datastore on a keyed pool."""

    def __init__(
        self,
        db_name: str,
        *,
        key: str,
        lock_timeout: int | None = None,
        single_row_tracking: bool = True,
        originator_id_type: Literal["uuid", "text"] = "uuid",
    ) -> None:
        super().__init__(
            db_name,
            lock_timeout=lock_timeout,
            single_row_tracking=single_row_tracking,
            originator_id_type=originator_id_type,
        )
        library = self.pool
        self.pool = keyed_pool(key, library)
        library.close()


class Factory(sqlite.SQLiteFactory):
    """The library's SQLite factory on a :class:`SQLCipherDatastore` keyed with the setting
    ``SQLCIPHER_KEY``."""

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        key = self.env.get(SQLCIPHER_KEY) or ""
        if not key:
            raise OSError(f"no {SQLCIPHER_KEY} for an encrypted SQLite store")
        library = self.datastore
        self.datastore = SQLCipherDatastore(
            library.pool.db_name,
            key=key,
            lock_timeout=library.pool.lock_timeout,
            single_row_tracking=library.single_row_tracking,
            originator_id_type=library.originator_id_type,
        )
        library.close()
