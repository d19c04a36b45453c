"""The engine's only clock read: when an event is recorded.

Everything else that depends on "today" takes the date as an argument. The clock is the
system clock (so freezegun in tests and tools such as faketime control it), always in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def recording_time() -> datetime:
    """The moment an event is recorded, timezone-aware UTC."""
    return datetime.now(tz=UTC)


def today() -> date:
    """Today's date in UTC: the default for reports whose date is not given."""
    return recording_time().date()
