"""Dates as the view store's columns hold them: ISO text in SQLite, ``DATE`` in PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any


def iso(value: date | None) -> str | None:
    """A date as SQLite's column holds it."""
    return value.isoformat() if value is not None else None


def same(value: date | None) -> date | None:
    """A date as PostgreSQL's column holds it."""
    return value


def column_date(value: Any) -> date | None:
    """A date column's value back as a date (ISO text from SQLite, a date from PostgreSQL)."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
