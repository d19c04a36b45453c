"""The ``adoption_months`` table: the scorecard's counts and sums per local authority and
month of the adoption order, kept up to date with the summary rows.

One row per (la, month, placed, k): ``month`` is the adoption order's month as
``year * 12 + month - 1``; ``placed`` is 1 when the child has a placement (A1, A3, A10 count
it) and ``k`` is then :func:`projections.metrics.scorecard.months_to_place`, so A3 for any N is the
children with ``placed = 1 AND k <= N``. The columns hold the number of children and the
sums of A1, A2 and A10 days with how many children each counts. Rows under ``la = ''`` add
up every local authority, so a scorecard over a window reads a few rows per month whatever
the number of children.

Every figure comes from the functions of :mod:`projections.metrics.scorecard`; this module only adds
them up. When the catch-up replaces a child's summary rows the old rows' contributions are
taken away and the new rows' added, in the same transaction (:meth:`projections.views.store.JourneysViews.write`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from projections.metrics.scorecard import Totals, a1_days, a2_days, a10_days, months_to_place
from projections.metrics.summary import PeriodSummary
from projections.views.columns import Table
from projections.views.dialect import Dialect

TABLE = "adoption_months"
ALL = ""  # the la of the rows that add up every local authority
KEY = ("la", "month", "placed", "k")
SUMS = ("n", "a1_children", "a1_days", "a2_children", "a2_days", "a10_children", "a10_days")
# The summary columns a contribution is made of.
SOURCE_COLUMNS = (
    "la",
    "child",
    "period",
    "entered_care",
    "placed",
    "with_foster_carers",
    "carers_since",
    "placement_order",
    "matched",
    "adoption_order",
)

# The table is clustered: in SQLite the rows live in the key's own b-tree, so a window's rows
# are read in one range.
LAYOUT = Table(
    TABLE,
    (
        ("la", "TEXT NOT NULL"),
        ("month", "INTEGER NOT NULL"),
        ("placed", "INTEGER NOT NULL"),
        ("k", "INTEGER NOT NULL"),
        *((name, "INTEGER NOT NULL") for name in SUMS),
    ),
    key=KEY,
    clustered=True,
)

Key = tuple[str, int, int, int]


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    year, month = divmod(index, 12)
    return date(year, month + 1, 1)


def upsert_sql(dialect: Dialect) -> str:
    names = KEY + SUMS
    alias, prefix = dialect.upsert_alias
    updates = ", ".join(f"{name} = {prefix}{name} + excluded.{name}" for name in SUMS)
    return (
        f"INSERT INTO {dialect.qualified(TABLE)}{alias} ({', '.join(names)}) VALUES ({dialect.marks(len(names))}) "
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {updates}"
    )


def contributions(rows: Iterable[PeriodSummary], sign: int = 1) -> dict[Key, list[int]]:
    """Each adopted row's counts and sums under its key and under the all-authorities key."""
    found: dict[Key, list[int]] = {}
    for row in rows:
        if row.adoption_order is None:
            continue
        a1, a2, a10, k = a1_days(row), a2_days(row), a10_days(row), months_to_place(row)
        values = [
            sign,
            sign if a1 is not None else 0,
            sign * (a1 or 0),
            sign if a2 is not None else 0,
            sign * (a2 or 0),
            sign if a10 is not None else 0,
            sign * (a10 or 0),
        ]
        month = month_index(row.adoption_order)
        for la in (row.la, ALL):
            key = (la, month, 0 if k is None else 1, k or 0)
            total = found.setdefault(key, [0] * len(SUMS))
            for i, value in enumerate(values):
                total[i] += value
    return found


def changes(old: Iterable[PeriodSummary], new: Iterable[PeriodSummary]) -> list[tuple[Any, ...]]:
    """The upsert parameters that take ``old`` rows' contributions away and add ``new`` ones'."""
    net = contributions(old, -1)
    for key, values in contributions(new).items():
        total = net.setdefault(key, [0] * len(SUMS))
        for i, value in enumerate(values):
            total[i] += value
    return [(*key, *values) for key, values in net.items() if any(values)]


def totals_sql(dialect: Dialect) -> str:
    # every column named: PostgreSQL rows come back as dicts keyed by column name
    sums = ", ".join(f"COALESCE(SUM({name}), 0) AS {name}" for name in SUMS)
    ph = dialect.placeholder
    return (
        f"SELECT {sums}, COALESCE(SUM(CASE WHEN placed = 1 AND k <= {ph} THEN n ELSE 0 END), 0) AS in_time "
        f"FROM {dialect.qualified(TABLE)} WHERE la = {ph} AND month BETWEEN {ph} AND {ph}"
    )


def to_totals(record: Iterable[Any]) -> Totals:
    n, a1_children, a1, a2_children, a2, a10_children, a10, in_time = (int(v) for v in record)
    return Totals(n, a1_children, a1, a2_children, a2, a10_children, a10, in_time)


def whole_months(start: date, end: date) -> tuple[int, int] | None:
    """The first and last month lying wholly inside [start, end] (None when there is none)."""
    first = month_index(start) if start.day == 1 else month_index(start) + 1
    last = month_index(end) if (end + timedelta(days=1)).day == 1 else month_index(end) - 1
    return (first, last) if first <= last else None


def edges(start: date, end: date, months: tuple[int, int]) -> list[tuple[date, date]]:
    """The parts of [start, end] outside the whole months (read from the summary rows)."""
    parts = []
    first_day = month_start(months[0])
    after_last = month_start(months[1] + 1)
    if start < first_day:
        parts.append((start, first_day - timedelta(days=1)))
    if after_last <= end:
        parts.append((after_last, end))
    return parts
