"""Calendar arithmetic behind the deadlines: months clamp, working days skip weekends and
bank holidays, and a date outside the bank holiday list is refused rather than guessed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from journeys.domain.calendar import (
    DEFAULT_BANK_HOLIDAYS,
    CalendarError,
    Duration,
    InvalidDuration,
    add_months,
    add_working_days,
    load_bank_holidays,
)

HOLIDAYS = load_bank_holidays()


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


def test_the_shipped_list_covers_2009_to_2027_and_names_its_source() -> None:
    assert set(range(2009, 2028)) <= HOLIDAYS.years
    assert "gov.uk" in HOLIDAYS.source.lower()
    for one_off in (date(2011, 4, 29), date(2012, 6, 5), date(2022, 9, 19), date(2023, 5, 8)):
        assert one_off in HOLIDAYS.dates
    assert date(2012, 5, 28) not in HOLIDAYS.dates  # the 2012 Spring bank holiday moved to 4 June
    for year in HOLIDAYS.years:
        assert sum(1 for d in HOLIDAYS.dates if d.year == year) >= 8


def test_a_working_day_outside_the_list_is_refused_not_guessed() -> None:
    with pytest.raises(CalendarError, match="outside the years 2000-2027"):
        add_working_days(date(2027, 12, 30), 5, HOLIDAYS)


def test_a_bank_holiday_list_without_a_source_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "holidays.toml"
    path.write_text('[years]\n2015 = [{ date = 2015-12-25, name = "Christmas Day" }]\n')
    with pytest.raises(CalendarError, match="does not name its source"):
        load_bank_holidays(path)
    assert load_bank_holidays(DEFAULT_BANK_HOLIDAYS).path.endswith("bank_holidays_england_wales.toml")


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
