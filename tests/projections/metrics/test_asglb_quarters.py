"""The ASGLB return's quarters are those of the financial year, written one way only."""

from __future__ import annotations

from datetime import date

import pytest

from projections.metrics.asglb import parse_quarter, quarter_label
from projections.metrics.periods import PeriodError


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2016-Q1", date(2016, 4, 1), date(2016, 6, 30)),
        ("2016-Q2", date(2016, 7, 1), date(2016, 9, 30)),
        ("2016-Q3", date(2016, 10, 1), date(2016, 12, 31)),
        ("2016-Q4", date(2017, 1, 1), date(2017, 3, 31)),
        ("2015-16-Q4", date(2016, 1, 1), date(2016, 3, 31)),
        ("1999-00-Q1", date(1999, 4, 1), date(1999, 6, 30)),
    ],
)
def test_a_quarter_is_of_the_financial_year(text: str, first: date, last: date) -> None:
    assert parse_quarter(text) == (first, last)
    assert quarter_label(first).endswith(f"Q{text[-1]}")


@pytest.mark.parametrize("text", ["2016Q1", "Q1-2016", "2016-Q0", "2016-Q5", "2016-18-Q1", "2016-1"])
def test_another_form_is_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_quarter(text)
