"""Calendar arithmetic behind the deadlines: months clamp, working days skip weekends and the
bank holidays of England (from the `holidays` package), in every year a record may hold."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from journeys.domain.calendar import (
    CalendarError,
    Duration,
    InvalidDuration,
    add_months,
    add_working_days,
    bank_holidays,
)

HOLIDAYS = bank_holidays()
OLD_TABLE = Path(__file__).parent / "data" / "bank_holidays_england_wales_2000_2027.toml"


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2015, 1, 31), 1, date(2015, 2, 28)),
        (date(2016, 1, 31), 1, date(2016, 2, 29)),
        (date(2015, 12, 31), 14, date(2017, 2, 28)),
        (date(2015, 8, 31), 3, date(2015, 11, 30)),
        (date(2015, 6, 1), 3, date(2015, 9, 1)),
        (date(2016, 3, 31), -1, date(2016, 2, 29)),
    ],
)
def test_adding_months_clamps_to_the_last_day_of_a_shorter_month(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_working_days_skip_weekends() -> None:
    friday = date(2015, 3, 6)
    assert add_working_days(friday, 1, HOLIDAYS) == date(2015, 3, 9)
    assert add_working_days(friday, 5, HOLIDAYS) == date(2015, 3, 13)
    assert add_working_days(date(2015, 3, 9), -1, HOLIDAYS) == friday


def test_working_days_skip_christmas_boxing_day_substitute_and_new_year() -> None:
    # Christmas 2015 is a Friday; Boxing Day (Saturday) is kept on Monday 28 December.
    christmas_eve = date(2015, 12, 24)
    assert add_working_days(christmas_eve, 1, HOLIDAYS) == date(2015, 12, 29)
    assert add_working_days(date(2015, 12, 31), 1, HOLIDAYS) == date(2016, 1, 4)


# one-off and moved days the package must know, and the Easter Mondays that move every year
KNOWN = [
    date(2002, 6, 3),  # Golden Jubilee
    date(2002, 6, 4),  # Spring bank holiday moved
    date(2011, 4, 29),  # royal wedding
    date(2012, 6, 4),  # Spring bank holiday moved
    date(2012, 6, 5),  # Diamond Jubilee
    date(2020, 5, 8),  # Early May bank holiday moved to VE day
    date(2022, 6, 2),  # Spring bank holiday moved
    date(2022, 6, 3),  # Platinum Jubilee
    date(2022, 9, 19),  # state funeral of Elizabeth II
    date(2023, 5, 8),  # coronation of Charles III
    date(2000, 4, 24),  # Easter Mondays
    date(2008, 3, 24),
    date(2019, 4, 22),
    date(2030, 4, 22),
    date(2038, 4, 26),
    date(2040, 4, 2),
    date(2004, 12, 28),  # substitute days: Christmas and Boxing Day on a weekend
    date(2010, 12, 27),
    date(2010, 12, 28),
    date(2021, 12, 27),
    date(2021, 12, 28),
    date(2033, 1, 3),  # New Year's Day on a Saturday
    date(2039, 1, 3),  # ... on a Saturday again
]
NOT_HOLIDAYS = [date(2002, 5, 27), date(2012, 5, 28), date(2020, 5, 4), date(2022, 5, 30), date(2023, 5, 2)]


@pytest.mark.parametrize("day", KNOWN, ids=str)
def test_known_bank_holidays_of_england_are_not_working_days(day: date) -> None:
    assert day.weekday() < 5
    assert not HOLIDAYS.is_working_day(day)


@pytest.mark.parametrize("day", NOT_HOLIDAYS, ids=str)
def test_a_bank_holiday_moved_away_leaves_a_working_day(day: date) -> None:
    assert HOLIDAYS.is_working_day(day)


@pytest.mark.parametrize("year", range(2000, 2041))
def test_every_year_2000_to_2040_has_eight_weekday_bank_holidays_or_more(year: int) -> None:
    weekdays = [d for d in HOLIDAYS.dates(year) if d.weekday() < 5]
    assert len(weekdays) >= 8
    assert {date(year, 12, 25), date(year, 12, 26)} <= HOLIDAYS.dates(year) | {
        d for d in (date(year, 12, 25), date(year, 12, 26)) if d.weekday() >= 5
    }


def test_the_package_agrees_with_every_date_of_the_old_table_2000_to_2027() -> None:
    table = tomllib.loads(OLD_TABLE.read_text())["years"]
    old = {item["date"] for items in table.values() for item in items}
    new = {d for year in range(2000, 2028) for d in HOLIDAYS.dates(year) if d.weekday() < 5}
    assert len(old) == 8 * 28 + 6  # one-off days: 2002, 2011, 2012, 2022 (two) and 2023
    # the package also names the weekend days (25 December on a Saturday) a working day skips anyway
    assert old == new


def test_working_days_are_the_same_as_with_the_old_table_for_every_start_it_covered() -> None:
    table = tomllib.loads(OLD_TABLE.read_text())["years"]
    old = {item["date"] for items in table.values() for item in items}

    def old_add(start: date, count: int) -> date:
        day, left = start, count
        while left:
            day += timedelta(days=1)
            left -= day.weekday() < 5 and day not in old
        return day

    day = date(2000, 1, 1)
    while day < date(2027, 11, 1):  # 20 working days from here stay inside the old table
        assert add_working_days(day, 20, HOLIDAYS) == old_add(day, 20), day
        day += timedelta(days=3)


def test_a_working_day_reaching_past_2027_is_counted_not_refused() -> None:
    # the old table stopped at 2027; 3 January 2028 is New Year's Day's substitute
    assert add_working_days(date(2027, 12, 30), 1, HOLIDAYS) == date(2027, 12, 31)
    assert add_working_days(date(2027, 12, 31), 1, HOLIDAYS) == date(2028, 1, 4)


def test_a_year_outside_the_package_skips_weekends_only() -> None:
    assert HOLIDAYS.dates(1200) == frozenset()
    assert add_working_days(date(1200, 12, 24), 1, HOLIDAYS) == date(1200, 12, 25)
    assert add_working_days(date(1998, 12, 24), 1, HOLIDAYS) == date(1998, 12, 29)  # covered: 1872-2100


def test_the_calendar_names_its_source_and_an_unknown_one_is_refused() -> None:
    assert "holidays" in HOLIDAYS.source and 'subdiv="ENG"' in HOLIDAYS.source
    assert bank_holidays("bank_holidays_england_wales.toml") == HOLIDAYS  # rules files copied before
    with pytest.raises(CalendarError, match="'scotland' is not known"):
        bank_holidays("scotland")


def test_holidays_is_imported_only_when_a_working_day_is_asked(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from journeys.domain.milestones import load_rules\n"
        "rules = load_rules()\n"
        "assert 'holidays' not in sys.modules\n"
        "rules.holidays.is_working_day(date(2015, 1, 1))\n"
        "assert 'holidays' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


def test_durations_apply_their_steps_in_order() -> None:
    duration = Duration.parse("20 working days + 3 months")
    assert str(duration) == "20 working days + 3 months"
    # Monday 14 December 2015: 20 working days skipping 25, 28 December and 1 January.
    assert duration.after(date(2015, 12, 14), HOLIDAYS) == date(2016, 4, 14)
    assert Duration.parse("1 week").after(date(2015, 1, 1), HOLIDAYS) == date(2015, 1, 8)
    assert Duration.parse("14 days").before(date(2015, 1, 15), HOLIDAYS) == date(2015, 1, 1)


@pytest.mark.parametrize("text", ["", "3 fortnights", "three months", "3 months +", "-2 days"])
def test_a_duration_that_cannot_be_read_is_refused(text: str) -> None:
    with pytest.raises(InvalidDuration):
        Duration.parse(text)
