"""Where journeys are kept: a SQLite file (the default) or a PostgreSQL database."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from journeys.domain.errors import StoreError
from journeys.storage.store_key import GIVE_KEY, STORE_KEY_ENV, store_key

DEFAULT_STORE = "journeys.db"


def is_postgres(store: str) -> bool:
    return store.startswith(("postgresql://", "postgres://"))


SQLITE_HEADER = b"SQLite format 3\x00"
SCHEMES = "a file path or `:memory:` for SQLite, a postgresql:// (or postgres://) URL for PostgreSQL"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@?#]*):[^@/?#]*@")


def shown_store(store: str) -> str:
    """The store as it may be shown: a URL without its password (``user:***@host``)."""
    return _PASSWORD.sub(r"\1:***@", store)


def _head(path: Path) -> bytes:
    """The first bytes of a file: empty (SQLite makes it a database), SQLite's header (a plain
    store), or other bytes (an encrypted store, whose every page is ciphertext, or not a store)."""
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER))


def is_encrypted_file(path: Path) -> bool:
    """Whether ``path`` is a file that may be an encrypted store: not empty, no SQLite header,
    and not text (a JSONL file given as the store)."""
    head = _head(path)
    return bool(head) and head != SQLITE_HEADER and not _is_text(head)


def _is_text(head: bytes) -> bool:
    return all(32 <= byte < 127 or byte in b"\t\r\n" for byte in head)


def is_missing_file(store: str) -> bool:
    """True for a SQLite store whose folder exists but whose file does not (yet)."""
    if is_postgres(store) or store == ":memory:":
        return False
    path = Path(store)
    return path.parent.exists() and not path.exists()


def store_env(store: str) -> dict[str, str]:
    """The library's environment for a store given as a path or a postgresql:// URL.

    A URL may name a schema with ``?schema=NAME`` (tables live in ``public`` otherwise). The
    persistence module is journeys' own for the backend (:mod:`journeys.storage.sqlite`,
    :mod:`~journeys.storage.postgres` or :mod:`~journeys.storage.popo`): the library's factory
    with a recorder that answers :class:`journeys.storage.recorders.JourneysRecorder`.

    A SQLite store is encrypted (SQLCipher) when the environment gives a store key
    (:mod:`journeys.storage.store_key`): the key goes to the factory as ``SQLCIPHER_KEY``.
    """
    key = store_key()
    if key and (is_postgres(store) or store == ":memory:" or _SCHEME.match(store)):
        raise StoreError(
            f"a store key is given ({STORE_KEY_ENV} or a key file), but the store {shown_store(store)!r} "
            "is not a SQLite file: only a SQLite store is encrypted whole",
            "unset JOURNEYS_STORE_KEY and JOURNEYS_STORE_KEY_FILE (on PostgreSQL, CIPHER_KEY encrypts the events; "
            "see docs/data-protection.md)",
        )
    if is_postgres(store):
        url = urlparse(store)
        if not url.path.strip("/"):
            raise StoreError(f"the PostgreSQL URL {shown_store(store)!r} names no database")
        env = {
            "PERSISTENCE_MODULE": "journeys.storage.postgres",
            "POSTGRES_DBNAME": unquote(url.path.strip("/")),
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            # fail within seconds, not the pool's default half minute, when the server is not there
            "POSTGRES_CONNECT_TIMEOUT": "5",
            # one connection opened with the store (the library's pool opens five at once, which
            # used up a server's connections when a dozen commands ran); another only when needed
            "POSTGRES_POOL_SIZE": "1",
        }
        for part in url.query.split("&"):
            key, _, value = part.partition("=")
            if key == "schema" and value:
                env["POSTGRES_SCHEMA"] = value
        return env
    if store == ":memory:":
        return {"PERSISTENCE_MODULE": "journeys.storage.popo"}
    scheme = _SCHEME.match(store)
    if scheme:
        raise StoreError(
            f"the store {shown_store(store)!r} is a {scheme.group(1)}:// URL, which journeys does not read",
            f"give --store (or JOURNEYS_STORE) as {SCHEMES}",
        )
    path = Path(store)
    if path.exists() and path.is_dir():
        raise StoreError(f"the store {store!r} is a folder, not a database file")
    if not path.parent.exists():
        raise StoreError(f"the folder of the store {store!r} does not exist")
    if path.is_file():
        _check_kind(store, path, key)
    _check_writable(store, path)
    return {"PERSISTENCE_MODULE": "journeys.storage.sqlite", "SQLITE_DBNAME": str(path), "SQLCIPHER_KEY": key or ""}


def _check_kind(store: str, path: Path, key: str | None) -> None:
    """Refuse a file that is not a store, an encrypted store without a key, and a plain store
    with one (a wrong key is found when the store is opened)."""
    head = _head(path)
    if head == SQLITE_HEADER and key:
        raise StoreError(
            f"the store {store!r} is not encrypted, but a store key is given ({STORE_KEY_ENV} or a key file)",
            "unset JOURNEYS_STORE_KEY and JOURNEYS_STORE_KEY_FILE to open it, "
            "or encrypt it first with `journeys store encrypt`",
        )
    if not head or head == SQLITE_HEADER:
        return
    if _is_text(head):
        raise StoreError(f"the store {store!r} is not a SQLite database (a JSONL file goes to `journeys load`)")
    if not key:
        raise StoreError(
            f"the store {store!r} is encrypted (or is not a SQLite database), and no store key is given", GIVE_KEY
        )


def _check_writable(store: str, path: Path) -> None:
    """Refuse a store that SQLite could not write before it leaves -wal and -shm files about:
    every command writes (a reading one, the write-ahead log's index)."""
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(
            f"the store {store!r} is read-only",
            "ask for write access to the file and its folder (SQLite writes PATH-wal and PATH-shm beside it), "
            "or work on a copy",
        )
    logs = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    if not all(log.exists() for log in logs) and not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"the folder of the store {store!r} is read-only",
            "SQLite writes PATH-wal and PATH-shm beside the store: ask for write access to the folder, "
            "or work on a copy elsewhere",
        )


def sqlite_files(store: str) -> list[Path]:
    """The files of a SQLite store: the database and its write-ahead log and index."""
    path = Path(store)
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def plain_views_file(store: str) -> Path:
    """The file beside a plain SQLite store ``NAME.db`` that holds its read models,
    ``NAME.views.db`` (an encrypted store holds them in its own file)."""
    path = Path(store)
    return path.with_name(path.stem + ".views" + (path.suffix or ".db"))


def create_private(store: str) -> bool:
    """Create the (empty) file of a new SQLite store, readable and writable by its owner only
    (SQLite gives the -wal and -shm files the database's mode); False if it exists already
    or the store is not a SQLite file."""
    if is_postgres(store) or store == ":memory:" or _SCHEME.match(store):
        return False
    try:
        os.close(os.open(store, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    except OSError as error:
        raise StoreError(f"cannot create the store {store!r}: {error.strerror}") from None
    os.chmod(store, 0o600)  # whatever the umask
    return True


def remove_sqlite_files(store: str) -> None:
    """Remove a SQLite store's files (those of a store a failed command created)."""
    for path in sqlite_files(store):
        path.unlink(missing_ok=True)
