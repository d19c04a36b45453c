"""The ``bounded_starts`` table: every period of care whose start is only bounded (its
entered-care is marked ``on_or_before``: a 903 return that does not hold the child's start of
care), one row each, kept beside ``child_summary`` in the same transactions. Reports that measure
from entering care (A1, A3, A10) read from it which of the children they count have a start of
care not yet known. docs/read-models.md documents it.

A table of its own rather than a column of ``child_summary``: a view store made before it is
derived again by its next catch-up (as for every table added), with nothing to migrate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from projections.metrics.summary import PeriodSummary
from projections.views.columns import Table, column_date
from projections.views.dialect import Dialect

TABLE = "bounded_starts"
LAYOUT = Table(
    TABLE,
    (
        ("stream_id", "TEXT NOT NULL"),
        ("period", "INTEGER NOT NULL"),
        ("la", "TEXT NOT NULL"),
        ("child", "TEXT NOT NULL"),
        ("entered_care", "DATE NOT NULL"),
        ("placed", "DATE"),
        ("adoption_order", "DATE"),
    ),
    key=("stream_id", "period"),
)
COLUMN_NAMES = LAYOUT.column_names


@dataclass(frozen=True)
class BoundedStart:
    """A period of care whose start is on or before ``entered_care``."""

    stream_id: str
    period: int
    la: str
    child: str
    entered_care: date
    placed: date | None
    adoption_order: date | None


def of_rows(rows: Iterable[PeriodSummary]) -> list[BoundedStart]:
    """The summary rows whose start of care is only bounded."""
    return [
        BoundedStart(r.stream_id, r.period, r.la, r.child, r.entered_care, r.placed, r.adoption_order)
        for r in rows
        if r.start_bounded and r.entered_care is not None
    ]


def to_record(found: BoundedStart, dialect: Dialect) -> tuple[Any, ...]:
    day = dialect.date
    return (
        found.stream_id, found.period, found.la, found.child, day(found.entered_care), day(found.placed),
        day(found.adoption_order),
    )  # fmt: skip


def from_record(record: Sequence[Any]) -> BoundedStart:
    stream_id, period, la, child, entered, placed, adopted = record
    entered_care = column_date(entered)
    assert entered_care is not None
    return BoundedStart(str(stream_id), int(period), la, child, entered_care, column_date(placed), column_date(adopted))
