"""Calendar arithmetic for deadlines: days, weeks, months and working days.

Working days skip Saturdays, Sundays and the bank holidays of England and Wales, read from a
list shipped with the rules (``journeys/rules/bank_holidays_england_wales.toml``). A month
added to the 31st lands on the last day of a shorter month (31 January + 1 month = 28 or
29 February). Nothing here reads a clock.
"""

from __future__ import annotations

import calendar as _calendar
import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

from journeys.domain.errors import JourneyError

RULES_DIR: Final = Path(__file__).resolve().parent.parent / "rules"
DEFAULT_BANK_HOLIDAYS: Final = RULES_DIR / "bank_holidays_england_wales.toml"

UNITS: Final[dict[str, str]] = {
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "working day": "working-days",
    "working days": "working-days",
}
_STEP = re.compile(r"^\s*(\d+)\s+(working\s+days?|days?|weeks?|months?)\s*$", re.IGNORECASE)


class CalendarError(JourneyError):
    """A bank holiday list cannot be read, or a date falls outside the years it covers."""

    remedy = "add the missing years to the bank holiday list named by the rules file"


class InvalidDuration(JourneyError):
    """A duration such as ``20 working days + 3 months`` could not be read."""

    remedy = "write a duration as `N days`, `N weeks`, `N months` or `N working days`, joined with `+`"


@dataclass(frozen=True)
class BankHolidays:
    """The bank holidays of the years a list covers, and where the list came from."""

    dates: frozenset[date]
    years: frozenset[int]
    source: str
    path: str

    def covers(self, day: date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: date) -> bool:
        if not self.covers(day):
            first, last = min(self.years), max(self.years)
            raise CalendarError(f"{day} is outside the years {first}-{last} of the bank holiday list {self.path}")
        return day.weekday() < 5 and day not in self.dates


def load_bank_holidays(path: Path | str = DEFAULT_BANK_HOLIDAYS) -> BankHolidays:
    """Read a bank holiday list: ``source = "..."`` and ``[years]`` of ``{date, name}`` lists."""
    where = str(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise CalendarError(f"cannot read the bank holiday list {where}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise CalendarError(f"bank holiday list {where} is not valid TOML: {error}") from None
    source = data.get("source")
    years = data.get("years")
    if not isinstance(source, str) or not source.strip():
        raise CalendarError(f'bank holiday list {where} does not name its source (`source = "..."`)')
    if not isinstance(years, dict) or not years:
        raise CalendarError(f"bank holiday list {where} has no [years] table")
    dates: set[date] = set()
    covered: set[int] = set()
    for year_text, items in years.items():
        if not str(year_text).isdigit():
            raise CalendarError(f"bank holiday list {where}: {year_text!r} is not a year")
        year = int(year_text)
        covered.add(year)
        for item in _as_list(items, where, year):
            if not isinstance(item.get("date"), date) or item["date"].year != year:
                raise CalendarError(f"bank holiday list {where}: {item!r} is not a date in {year}")
            dates.add(item["date"])
    return BankHolidays(frozenset(dates), frozenset(covered), source.strip(), where)


def _as_list(items: Any, where: str, year: int) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise CalendarError(f"bank holiday list {where}: year {year} must be a list of {{ date, name }}")
    return items


def add_months(start: date, months: int) -> date:
    """``start`` plus a number of calendar months (negative to go back); the day clamps to the
    last day of a shorter month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def add_working_days(start: date, count: int, holidays: BankHolidays) -> date:
    """The ``count``-th working day after ``start`` (before it when negative); 0 is ``start``."""
    step = 1 if count >= 0 else -1
    day, remaining = start, abs(count)
    while remaining:
        day += timedelta(days=step)
        if holidays.is_working_day(day):
            remaining -= 1
    return day


@dataclass(frozen=True)
class Duration:
    """An allowed time made of steps applied in order, e.g. ``20 working days + 3 months``."""

    steps: tuple[tuple[int, str], ...]

    @classmethod
    def parse(cls, text: str) -> Duration:
        if not isinstance(text, str) or not text.strip():
            raise InvalidDuration(f"{text!r} is not a duration")
        steps = []
        for part in text.split("+"):
            match = _STEP.match(part)
            if match is None:
                raise InvalidDuration(f"{part.strip()!r} in {text!r} is not `N days|weeks|months|working days`")
            unit = UNITS[" ".join(match.group(2).lower().split())]
            steps.append((int(match.group(1)), unit))
        return cls(tuple(steps))

    def after(self, start: date, holidays: BankHolidays) -> date:
        """The date this duration after ``start`` (the steps in order)."""
        return self._apply(start, holidays, 1)

    def before(self, end: date, holidays: BankHolidays) -> date:
        """The date this duration before ``end`` (the steps undone in reverse order)."""
        return self._apply(end, holidays, -1)

    def _apply(self, day: date, holidays: BankHolidays, sign: int) -> date:
        steps = self.steps if sign > 0 else tuple(reversed(self.steps))
        for amount, unit in steps:
            if unit == "days":
                day += timedelta(days=sign * amount)
            elif unit == "weeks":
                day += timedelta(weeks=sign * amount)
            elif unit == "months":
                day = add_months(day, sign * amount)
            else:
                day = add_working_days(day, sign * amount, holidays)
        return day

    def __str__(self) -> str:
        def one(amount: int, unit: str) -> str:
            name = unit.replace("-", " ")
            return f"{amount} {name[:-1] if amount == 1 else name}"

        return " + ".join(one(a, u) for a, u in self.steps)
