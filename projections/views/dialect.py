"""How the view store's SQL differs between SQLite and PostgreSQL, in one object per store:
the placeholder, how a date and a boolean are stored, the column types, how a table is
named, and how a row comes back. The view store's classes write their SQL once, with these.

A dialect also says which set of tables its SQL names: the tables the reports read (no
prefix), or the ones a rebuild fills beside them (:data:`REBUILD_PREFIX`, see
:meth:`Dialect.rebuilding`), so the same statements write either."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, ClassVar

# What the names of the tables (and indexes) a rebuild fills begin with: rebuild_child_summary, ...
REBUILD_PREFIX = "rebuild_"


@dataclass(frozen=True)
class Dialect:
    """What the SQL of one kind of database needs (:data:`SQLITE` or a :class:`PostgresDialect`)."""

    prefix: str = ""  # put before every table and index name: "" or REBUILD_PREFIX
    placeholder: ClassVar[str] = "?"
    # what a table whose rows live in its key's b-tree ends with (see Table.clustered)
    clustered: ClassVar[str] = ""
    # the name the existing row goes by in an upsert's DO UPDATE (and its prefix there)
    upsert_alias: ClassVar[tuple[str, str]] = ("", "")
    # a declared column type (PostgreSQL's) as this database declares it
    types: ClassVar[Mapping[str, str]] = {}

    def marks(self, count: int) -> str:
        """``count`` placeholders, comma-separated."""
        return ", ".join([self.placeholder] * count)

    def named(self, name: str) -> str:
        """A table's (or an index's) own name in this dialect's set of tables (unqualified)."""
        return self.prefix + name

    def qualified(self, name: str) -> str:
        """A table's (or an index's) name as this store's SQL names it."""
        return self.named(name)

    def rebuilding(self) -> Dialect:
        """This dialect naming the tables a rebuild fills instead."""
        return replace(self, prefix=REBUILD_PREFIX)

    def column_type(self, declared: str) -> str:
        """``declared`` (a PostgreSQL type, e.g. ``DATE NOT NULL``) as this database declares it."""
        kind, _, rest = declared.partition(" ")
        return " ".join(part for part in (self.types.get(kind, kind), rest) if part)

    def date(self, value: date | None) -> Any:
        """A date as a ``DATE`` column holds it (and as SQL compares it)."""
        raise NotImplementedError

    def flag(self, value: bool) -> Any:
        """A boolean as a ``BOOLEAN`` column holds it."""
        raise NotImplementedError

    def values(self, record: Any) -> tuple[Any, ...]:
        """A fetched row as a tuple of its values in column order."""
        return tuple(record)


@dataclass(frozen=True)
class SQLiteDialect(Dialect):
    """SQLite: dates as ISO text, booleans as 0 and 1, tables in the view store's own file."""

    # In SQLite the rows live in the key's own b-tree, so a range of keys is read in one go.
    clustered: ClassVar[str] = " WITHOUT ROWID"
    types: ClassVar[Mapping[str, str]] = {"DATE": "TEXT", "BOOLEAN": "INTEGER"}

    def date(self, value: date | None) -> str | None:
        return value.isoformat() if value is not None else None

    def flag(self, value: bool) -> int:
        return int(value)


@dataclass(frozen=True)
class PostgresDialect(Dialect):
    """PostgreSQL: ``DATE`` and ``BOOLEAN`` columns, tables in the event store's schema, rows
    fetched as dicts."""

    schema: str = field(kw_only=True)
    placeholder: ClassVar[str] = "%s"
    # PostgreSQL needs the existing row's columns qualified (by an alias); SQLite takes them bare.
    upsert_alias: ClassVar[tuple[str, str]] = (" AS t", "t.")

    def qualified(self, name: str) -> str:
        return f'"{self.schema}"."{self.named(name)}"'

    def date(self, value: date | None) -> date | None:
        return value

    def flag(self, value: bool) -> bool:
        return bool(value)

    def values(self, record: Any) -> tuple[Any, ...]:
        return tuple(record.values())


SQLITE = SQLiteDialect()
