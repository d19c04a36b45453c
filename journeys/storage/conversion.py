"""A SQLite store converted from plain to encrypted (SQLCipher) and back, whole: its events and
its read models, every row with its row id (the read models' positions are event row ids).

Each conversion copies with SQLCipher's ``sqlcipher_export`` into new files beside the target,
checks that every table of the result holds the same rows as the source's (a digest of each
table, row ids included), and only then gives the new files their names: to a new path
(refused if one appeared meanwhile), or over the store itself (an atomic rename). A refusal,
or a failure part way, removes what it made and leaves the store as it was.

An encrypted store holds its read models in its own file; a plain store beside it, in
``NAME.views.db`` (:func:`journeys.storage.location.plain_views_file`). Encrypting takes both
into the one encrypted file; decrypting writes them back to two.

Every file here is opened with ``sqlcipher3`` (a plain one without a key), whose SQLite is not
Python's ``sqlite3``: a process must not have one file open through both, since the two do not
see each other's locks. The command line converts in a process of its own that opens no store.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeys.domain.errors import StoreError
from journeys.progress import Progress
from journeys.storage.access_log import ACCESS_LOG_TABLE
from journeys.storage.location import (
    SQLITE_HEADER,
    create_private,
    is_encrypted_file,
    is_postgres,
    plain_views_file,
    sqlite_files,
)
from journeys.storage.returns_log import RETURNS_LOG_TABLE
from journeys.storage.sqlcipher import connect, key_pragma

EVENTS_TABLE = "stored_events"  # the library's SQLite application recorder's table
IN_USE = "stop the other commands on the store (a load, a report, a catch-up) and try again"
STEPS = 4  # copy, check, write, rename: the units of the progress reported


@dataclass(frozen=True)
class Conversion:
    """What a conversion did."""

    store: str
    written: str  # the store's path after it (the store itself when in place)
    encrypted: bool  # whether ``written`` is encrypted
    events: int
    tables: list[str]
    read_models: str = ""  # where the read models went ("" when the store had none)
    left_as_they_were: list[str] = field(default_factory=list)  # the source's files, not removed


def encrypt_store(store: str, key: str, out: str | None = None, progress: Progress | None = None) -> Conversion:
    """The plain SQLite store ``store`` (and its read models) as an encrypted store keyed with
    ``key`` (64 hex digits): at ``out``, a new file, or over ``store`` itself when ``out`` is
    None (the plain read-model file is then removed)."""
    source = _source(store, encrypted=False)
    target = _target(store, out)
    views = plain_views_file(store)
    with_views = views.is_file() and _header(views) == SQLITE_HEADER
    in_place = out is None
    step = _stepper(progress)
    with _made() as made:
        with _closing(connect(str(source), None)) as conn:
            if in_place:
                _checkpoint(conn, store)
            tables = {name: "main" for name in _tables(conn, "main")}
            _refuse_no_events(store, tables)
            temp = made(target)
            conn.execute(f"ATTACH DATABASE ? AS secret KEY \"x'{_hex(key)}'\"", [str(temp)])
            conn.execute("SELECT sqlcipher_export('secret')")
            if with_views:
                conn.execute("ATTACH DATABASE ? AS views KEY ''", [str(views)])
                clash = sorted(set(_tables(conn, "views")) & set(tables))
                if clash:
                    raise StoreError(f"the store {store!r} and its read models {str(views)!r} both hold {clash}")
                tables.update((name, "views") for name in _tables(conn, "views"))
                conn.execute("SELECT sqlcipher_export('secret', 'views')")
            step()
            _same_rows(conn, {name: (schema, "secret") for name, schema in tables.items()}, store)
            events = _count(conn, "secret")
            step()
        _sync(temp)
        if in_place:  # ours closed (a log left by a process that died is gone with it): another's
            _refuse_in_use(source)
            if with_views:
                _refuse_in_use(views)
        step()
        _place(temp, target, replace=in_place)
    left = [] if in_place else [str(source), *([str(views)] if with_views else [])]
    if in_place:
        for path in sqlite_files(str(views)):
            path.unlink(missing_ok=True)
    step()
    return Conversion(store, str(target), True, events, sorted(tables), str(target) if with_views else "", left)


def decrypt_store(store: str, key: str, out: str | None = None, progress: Progress | None = None) -> Conversion:
    """The encrypted SQLite store ``store`` keyed with ``key`` as a plain store and its plain
    read-model file: at ``out`` (and ``out``'s read-model file), or over ``store`` itself."""
    source = _source(store, encrypted=True)
    target = _target(store, out)
    views = plain_views_file(str(target))
    if any(path.exists() for path in sqlite_files(str(views))):
        raise StoreError(
            f"a read-model file {str(views)!r} is already there, where the plain store's read models go",
            "remove it (it is derived data, made again from the events), or give another --out",
        )
    in_place = out is None
    step = _stepper(progress)
    with _made() as made:
        with _closing(connect(str(source), key)) as conn:
            if in_place:
                _checkpoint(conn, store)
            tables = _tables(conn, "main")
            _refuse_no_events(store, tables)
            # the events and the access and returns logs stay in the store's file; the rest are the read models'
            store_tables = [name for name in tables if name in (EVENTS_TABLE, ACCESS_LOG_TABLE, RETURNS_LOG_TABLE)]
            view_tables = [name for name in tables if name not in store_tables]
            temp = made(target)
            temp_views = made(views) if view_tables else None
            parts = [(temp, "plain", store_tables)]
            if temp_views is not None:
                parts.append((temp_views, "plainviews", view_tables))
            for path, schema, _ in parts:
                conn.execute(f"ATTACH DATABASE ? AS {schema} KEY ''", [str(path)])
                conn.execute(f"SELECT sqlcipher_export('{schema}')")
                conn.execute(f"DETACH DATABASE {schema}")
            for path, _, kept in parts:
                _keep_only(path, kept)
            step()
            where: dict[str, tuple[str, str]] = {}
            for path, schema, kept in parts:
                conn.execute(f"ATTACH DATABASE ? AS {schema} KEY ''", [str(path)])
                where.update((name, ("main", schema)) for name in kept)
            _same_rows(conn, where, store)
            events = _count(conn, "plain")
            step()
        for path, _, _ in parts:
            _sync(path)
        if in_place:  # ours closed (a log left by a process that died is gone with it): another's
            _refuse_in_use(source)
        step()
        _place(temp, target, replace=in_place)
        if temp_views is not None:
            _place(temp_views, views, replace=False)
    step()
    left = [] if in_place else [str(source)]
    return Conversion(store, str(target), False, events, sorted(tables), str(views) if view_tables else "", left)


# -- checks before anything is made ---------------------------------------------------


def _source(store: str, *, encrypted: bool) -> Path:
    if is_postgres(store) or store == ":memory:":
        raise StoreError(
            f"the store {store!r} is not a SQLite file: only a SQLite store is encrypted whole",
            "see docs/data-protection.md for PostgreSQL (CIPHER_KEY, the server's own encryption)",
        )
    path = Path(store)
    if not path.is_file():
        raise StoreError(f"there is no store at {store!r}", "check --store (JOURNEYS_STORE)")
    head = _header(path)
    if encrypted and head == SQLITE_HEADER:
        raise StoreError(f"the store {store!r} is not encrypted", "nothing to decrypt: it is a plain SQLite store")
    if not encrypted and head != SQLITE_HEADER:
        if is_encrypted_file(path):
            raise StoreError(
                f"the store {store!r} is not a plain SQLite store (it is encrypted already, or not a store)",
                "nothing to encrypt; `journeys store decrypt` makes a plain store of an encrypted one",
            )
        raise StoreError(f"the store {store!r} is not a SQLite database")
    if encrypted and not is_encrypted_file(path):
        raise StoreError(f"the store {store!r} is not an encrypted SQLite store")
    return path


def _target(store: str, out: str | None) -> Path:
    if out is None:
        return Path(store)
    path = Path(out)
    if is_postgres(out) or out == ":memory:":
        raise StoreError(f"--out {out!r} is not a file path", "give --out as the path of the new SQLite file")
    if not path.parent.is_dir():
        raise StoreError(f"the folder of {out!r} does not exist", "create the folder, or give another --out")
    taken = [str(p) for p in sqlite_files(out) if p.exists()]
    if taken or (path.exists() and path.resolve() == Path(store).resolve()):
        raise StoreError(
            f"{(taken or [out])[0]!r} is already there: a conversion writes a new store",
            "give --out a path where nothing is, or leave --out out to convert the store in place",
        )
    return path


def _refuse_in_use(path: Path) -> None:
    """SQLite removes a store's write-ahead log when its last connection closes: one still
    there, with ours closed, is another process's."""
    if any(p.exists() for p in sqlite_files(str(path))[1:]):
        raise StoreError(f"the store {str(path)!r} is in use by another process", IN_USE)


# -- the work -------------------------------------------------------------------------


def _refuse_no_events(store: str, tables: Any) -> None:
    if EVENTS_TABLE not in tables:
        raise StoreError(f"the store {store!r} holds no events table: it is not a journeys store")


@contextmanager
def _made() -> Iterator[Callable[[Path], Path]]:
    """``made(path)``: a new private temporary file beside ``path``; every one made (and its
    journal) is removed when the block ends, unless it was renamed to its place by then."""
    made: list[Path] = []

    def make(path: Path) -> Path:
        temp = path.with_name(f".{path.name}.converting-{os.getpid()}")
        for leftover in sqlite_files(str(temp)):
            leftover.unlink(missing_ok=True)
        create_private(str(temp))
        made.append(temp)
        return temp

    try:
        yield make
    finally:
        for temp in made:
            for path in [*sqlite_files(str(temp)), temp.with_name(temp.name + "-journal")]:
                path.unlink(missing_ok=True)


@contextmanager
def _closing(conn: Any) -> Iterator[Any]:
    try:
        yield conn
    finally:
        conn.close()


def _checkpoint(conn: Any, store: str) -> None:
    """Everything in the store's write-ahead log into its file (refused while another
    connection holds it back)."""
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except Exception as error:  # sqlcipher3's OperationalError: locked
        raise StoreError(f"the store {store!r} is in use by another process ({error})", IN_USE) from None
    if busy:
        raise StoreError(f"the store {store!r} is in use by another process", IN_USE)


def _tables(conn: Any, schema: str) -> list[str]:
    rows = conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def _digest(conn: Any, schema: str, table: str) -> str:
    """A digest of every row of ``table`` with its row id (in row-id order; a table without
    row ids in its key's order)."""
    name = f'{schema}."{table}"'
    try:
        cursor = conn.execute(f"SELECT rowid, * FROM {name} ORDER BY rowid")
    except Exception:  # a WITHOUT ROWID table
        cursor = conn.execute(f"SELECT * FROM {name}")
    digest = hashlib.sha256()
    while rows := cursor.fetchmany(10_000):
        for row in rows:
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _same_rows(conn: Any, where: dict[str, tuple[str, str]], store: str) -> None:
    """Refuse unless each table (name -> (source schema, target schema)) holds the same rows in both."""
    for table, (source, target) in sorted(where.items()):
        if table not in _tables(conn, target) or _digest(conn, source, table) != _digest(conn, target, table):
            raise StoreError(
                f"the converted copy of the store {store!r} differs from it in the table {table}; nothing was changed",
                IN_USE,
            )


def _count(conn: Any, schema: str) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM {schema}.{EVENTS_TABLE}").fetchone()[0])


def _keep_only(path: Path, tables: list[str]) -> None:
    """Drop every other table of the plain file ``path`` and give back their pages."""
    with _closing(connect(str(path), None)) as conn:
        for table in _tables(conn, "main"):
            if table not in tables:
                conn.execute(f'DROP TABLE "{table}"')
        conn.execute("VACUUM")


def _sync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _place(temp: Path, target: Path, *, replace: bool) -> None:
    """Give ``temp`` the name ``target``: over it (atomically), or only if nothing is there."""
    if replace:
        os.replace(temp, target)
    else:
        try:
            os.link(temp, target)
        except FileExistsError:
            raise StoreError(f"{str(target)!r} appeared while the store was converted; nothing was changed") from None
        temp.unlink()
    with suppress(OSError):
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _header(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER))


def _hex(key: str) -> str:
    key_pragma(key)  # checks it is 64 hex digits, so that it may stand in the statement
    return key


def _stepper(progress: Progress | None) -> Callable[[], None]:
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, STEPS)

    return step
