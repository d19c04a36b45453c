"""Calendar arithmetic the reports share: calendar months, financial years and quarters."""

from __future__ import annotations

import re
from datetime import date

from journeys.domain.calendar import add_months
from journeys.domain.errors import JourneyError

__all__ = [
    "PeriodError",
    "add_months",
    "financial_quarter",
    "financial_year_label",
    "financial_year_start",
    "parse_period",
    "window",
]


class PeriodError(JourneyError):
    """A reporting period is malformed or empty."""

    remedy = "write a period as YYYY-YY (e.g. 2012-15 for 1 April 2012 to 31 March 2015), or give --from and --to"


MAX_PERIOD_YEARS = 10  # scorecard periods are one or three years; "2015-12" is a slip, not 2015 to 2112


def financial_year_start(day: date) -> int:
    """The calendar year in which the financial year containing ``day`` starts (1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    """``2015`` -> ``2015-16``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def financial_quarter(day: date) -> int:
    """1 for April-June ... 4 for January-March."""
    return (day.month - 4) % 12 // 3 + 1


def parse_period(text: str) -> tuple[date, date]:
    """``2012-15`` -> (2012-04-01, 2015-03-31); ``2015-16`` -> one financial year."""
    match = re.fullmatch(r"(\d{4})-(\d{2}|\d{4})", text.strip())
    if not match:
        raise PeriodError(f"period {text!r} is not of the form YYYY-YY")
    first = int(match.group(1))
    tail = match.group(2)
    last = int(tail) if len(tail) == 4 else (first // 100) * 100 + int(tail)
    if last < first:
        last += 100
    if last <= first:
        raise PeriodError(f"period {text!r} ends before it starts")
    if last - first > MAX_PERIOD_YEARS:
        raise PeriodError(f"period {text!r} would run {last - first} years, to 31 March {last}")
    return date(first, 4, 1), date(last, 3, 31)


def window(period: str | None, start: date | None, end: date | None) -> tuple[date, date]:
    """The reporting window from a ``--period`` or a ``--from``/``--to`` pair."""
    if period is not None:
        if start is not None or end is not None:
            raise PeriodError("give either a period or --from and --to, not both")
        return parse_period(period)
    if start is None or end is None:
        raise PeriodError("no reporting window: give --period, or both --from and --to")
    if end < start:
        raise PeriodError(f"the window ends ({end}) before it starts ({start})")
    return start, end
