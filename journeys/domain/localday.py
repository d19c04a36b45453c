"""The day as people in England count it: Europe/London, whatever the stored UTC moment.

Recorded times stay UTC; "today" for a person, and so for deadlines and the future-date rule,
is the London calendar date of that moment (in British Summer Time, 23:30 UTC is tomorrow).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_date(moment: datetime) -> date:
    """The Europe/London calendar date of a timezone-aware moment."""
    return moment.astimezone(LONDON).date()
