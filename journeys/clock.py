"""The engine's only clock read: when an event is recorded.

Everything else that depends on "today" takes the date as an argument. The clock is the
system clock (so freezegun in tests and tools such as faketime control it), always in UTC;
"today" is the Europe/London date of that moment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# The same zone as journeys.domain.localday (the clock sits below the domain and cannot import it).
LONDON = ZoneInfo("Europe/London")


def recording_time() -> datetime:
    """The moment an event is recorded, timezone-aware UTC."""
    return datetime.now(tz=UTC)


def today() -> date:
    """Today's date in Europe/London: the default for reports whose date is not given."""
    return recording_time().astimezone(LONDON).date()
