"""Calendar arithmetic for deadlines: days, weeks, months and working days.

Working days skip Saturdays, Sundays and the bank holidays of England, which come from the
`holidays` package (offline data, maintained upstream: ``holidays.country_holidays("GB",
subdiv="ENG")``, the England-and-Wales calendar of GOV.UK with the one-off days proclaimed since
1872). A year outside the years that package covers (1872-2100 in 0.x) has no bank holidays to
skip, so its working days are its weekdays: such a date is nonsense in a child's record, and
one nonsense date must never stop a whole agenda. A month added to the 31st lands on the last
day of a shorter month (31 January + 1 month = 28 or 29 February). Nothing here reads a clock.
"""

from __future__ import annotations

import calendar as _calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from journeys.domain.errors import JourneyError

ENGLAND: Final = "england"
# rules files copied from the defaults before the `holidays` package named the shipped table
LEGACY_ENGLAND_FILE: Final = "bank_holidays_england_wales.toml"
CALENDARS: Final[dict[str, tuple[str, str]]] = {ENGLAND: ("GB", "ENG"), LEGACY_ENGLAND_FILE: ("GB", "ENG")}

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
    """A rules file names a bank holiday calendar that is not known."""

    remedy = f'leave out `bank_holidays`, or write `bank_holidays = "{ENGLAND}"`'


class InvalidDuration(JourneyError):
    """A duration such as ``20 working days + 3 months`` could not be read."""

    remedy = "write a duration as `N days`, `N weeks`, `N months` or `N working days`, joined with `+`"


# bank holidays by (country, subdivision, year), read from `holidays` once per process
_YEARS: dict[tuple[str, str, int], frozenset[date]] = {}


@dataclass(frozen=True)
class BankHolidays:
    """A bank holiday calendar of the `holidays` package, read a year at a time when first needed.

    Building one imports nothing: `holidays` (some 70 ms to import) is loaded by the first
    working-day question, so commands that never ask one start without it.
    """

    country: str = "GB"
    subdiv: str = "ENG"
    name: str = ENGLAND

    @property
    def source(self) -> str:
        from importlib.metadata import version

        return f'holidays {version("holidays")}: country_holidays("{self.country}", subdiv="{self.subdiv}")'

    @property
    def years(self) -> range:
        """The years the package has a calendar for (outside them only weekends are skipped)."""
        return _years_of(self.country, self.subdiv)

    def covers(self, day: date) -> bool:
        return day.year in self.years

    def dates(self, year: int) -> frozenset[date]:
        """The bank holidays of one year (empty outside :attr:`years`)."""
        key = (self.country, self.subdiv, year)
        found = _YEARS.get(key)
        if found is None:
            if year in self.years:
                import holidays

                found = frozenset(holidays.country_holidays(self.country, subdiv=self.subdiv, years=year))
            else:
                found = frozenset()
            _YEARS[key] = found
        return found

    def is_holiday(self, day: date) -> bool:
        return day in self.dates(day.year)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)


@functools.cache
def _years_of(country: str, subdiv: str) -> range:
    import holidays

    calendar = holidays.country_holidays(country, subdiv=subdiv)
    return range(int(calendar.start_year), int(calendar.end_year) + 1)


def bank_holidays(name: str = ENGLAND) -> BankHolidays:
    """The calendar a rules file's ``bank_holidays`` key names (``"england"``, the default)."""
    if name not in CALENDARS:
        raise CalendarError(f"bank holiday calendar {name!r} is not known (known: {ENGLAND})")
    country, subdiv = CALENDARS[name]
    return BankHolidays(country, subdiv, ENGLAND)


def add_months(start: date, months: int) -> date:
    """``start`` plus a number of calendar months (negative to go back); the day clamps to the
    last day of a shorter month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


@functools.lru_cache(maxsize=8192)
def add_working_days(start: date, count: int, holidays: BankHolidays) -> date:
    """The ``count``-th working day after ``start`` (before it when negative); 0 is ``start``.
    Remembered for the last few thousand questions: a store's children share their start dates,
    and the read model asks each open child's deadlines."""
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
