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


def utc_text(moment: datetime) -> str:
    """``moment`` as the engine writes a time: ISO 8601 in UTC, to the microsecond, with "Z"
    (``2016-03-31T17:02:11.402113Z``), as checkpoints and lossless exports hold it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
