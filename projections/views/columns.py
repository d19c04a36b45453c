"""The view store's tables described once each (name, columns, key, indexes), the statements
made of a description, and how a date column's value is read back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from projections.views.dialect import Dialect


def column_date(value: Any) -> date | None:
    """A date column's value back as a date (ISO text from SQLite, a date from PostgreSQL)."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass(frozen=True)
class Table:
    """One table of the view store: its columns (with their PostgreSQL types), key and
    secondary indexes, and the statements made of them."""

    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    indexes: tuple[str, ...] = ()  # each named <table>_<column>
    clustered: bool = False  # in SQLite, rows kept in the key's b-tree (WITHOUT ROWID)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def create_sql(self, dialect: Dialect) -> str:
        columns = ", ".join(f"{name} {dialect.column_type(declared)}" for name, declared in self.columns)
        clustered = dialect.clustered if self.clustered else ""
        return (
            f"CREATE TABLE IF NOT EXISTS {dialect.qualified(self.name)} "
            f"({columns}, PRIMARY KEY ({', '.join(self.key)})){clustered}"
        )

    def index_names(self) -> list[str]:
        return [f"{self.name}_{column}" for column in self.indexes]

    def create_indexes_sql(self, dialect: Dialect) -> list[str]:
        table = dialect.qualified(self.name)
        return [
            f"CREATE INDEX IF NOT EXISTS {dialect.named(index)} ON {table} ({column})"
            for index, column in zip(self.index_names(), self.indexes, strict=True)
        ]

    def drop_indexes_sql(self, dialect: Dialect) -> list[str]:
        return [f"DROP INDEX IF EXISTS {dialect.qualified(name)}" for name in self.index_names()]

    def insert_sql(self, dialect: Dialect) -> str:
        names = self.column_names
        return f"INSERT INTO {dialect.qualified(self.name)} ({', '.join(names)}) VALUES ({dialect.marks(len(names))})"

    def select_sql(self, dialect: Dialect, columns: Sequence[str] | None = None) -> str:
        return f"SELECT {', '.join(columns or self.column_names)} FROM {dialect.qualified(self.name)}"
