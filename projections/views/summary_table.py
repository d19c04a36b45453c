"""The ``child_summary`` table: one row per child's period of care
(:class:`projections.metrics.summary.PeriodSummary`), and how a row becomes column values and
back. docs/read-models.md documents its columns."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import orjson

from projections.metrics.summary import PeriodSummary
from projections.views.columns import Table, column_date
from projections.views.dialect import Dialect

TABLE = "child_summary"

DATE_COLUMNS = (
    "entered_care",
    "ended",
    "adoption_decision",
    "placement_order",
    "consent",
    "family_finding",
    "po_match",
    "matched",
    "placed",
    "carers_since",
    "adoption_order",
    "date_of_birth",
)
# Secondary indexes (each named child_summary_<column>): the catch-up's delete by stream, the
# scorecard's window and the PO cohorts' census.
INDEXED = ("stream_id", "adoption_order", "placement_order")
LAYOUT = Table(
    TABLE,
    (
        ("la", "TEXT NOT NULL"),
        ("child", "TEXT NOT NULL"),
        ("period", "INTEGER NOT NULL"),
        ("stream_id", "TEXT NOT NULL"),
        ("entered_care", "DATE"),
        ("ended", "DATE"),
        ("end_kind", "TEXT"),
        ("left_care_reason", "TEXT"),
        ("adoption_decision", "DATE"),
        ("placement_order", "DATE"),
        ("consent", "DATE"),
        ("family_finding", "DATE"),
        ("po_match", "DATE"),
        ("matched", "DATE"),
        ("placed", "DATE"),
        ("with_foster_carers", "BOOLEAN NOT NULL"),
        ("carers_since", "DATE"),
        ("adoption_order", "DATE"),
        ("disruptions", "INTEGER NOT NULL"),
        ("disruption_dates", "TEXT NOT NULL"),
        ("plan", "TEXT"),
        ("stage", "TEXT NOT NULL"),
        ("po_without_adm", "BOOLEAN NOT NULL"),
        ("harder_to_place", "TEXT NOT NULL"),
        ("sibling_group", "TEXT"),
        ("date_of_birth", "DATE"),
        ("plan_events", "TEXT NOT NULL"),
        ("timeline", "TEXT NOT NULL"),
    ),
    key=("la", "child", "period"),
    indexes=INDEXED,
)
COLUMN_NAMES = LAYOUT.column_names


def to_record(row: PeriodSummary, dialect: Dialect) -> tuple[Any, ...]:
    """A summary row as the table's column values (in the order of COLUMN_NAMES)."""
    day, flag = dialect.date, dialect.flag
    return (
        row.la,
        row.child,
        row.period,
        row.stream_id,
        day(row.entered_care),
        day(row.ended),
        row.end_kind,
        row.left_care_reason,
        day(row.adoption_decision),
        day(row.placement_order),
        day(row.consent),
        day(row.family_finding),
        day(row.po_match),
        day(row.matched),
        day(row.placed),
        flag(row.with_foster_carers),
        day(row.carers_since),
        day(row.adoption_order),
        len(row.disruption_dates),
        _json(row.disruption_dates),
        row.plan,
        row.stage,
        flag(row.po_without_adm),
        ",".join(row.harder_to_place),
        row.sibling_group,
        day(row.date_of_birth),
        _json(row.plan_events),
        _json(row.timeline),
    )


def _json(value: Any) -> str:
    # dates as ISO text, (date, word) pairs as two-element lists
    return orjson.dumps(value, default=_date_subclass).decode()


def _date_subclass(value: Any) -> str:
    """A date of a subclass orjson does not know (freezegun's, in tests) as ISO text."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _pairs(text: str) -> tuple[tuple[date, str], ...]:
    return tuple((date.fromisoformat(on), what) for on, what in json.loads(text))


# How each stored column becomes a PeriodSummary field (dates are handled apart).
_DECODE: dict[str, Any] = {
    "period": int,
    "with_foster_carers": bool,
    "po_without_adm": bool,
    "disruption_dates": lambda text: tuple(date.fromisoformat(d) for d in json.loads(text)),
    "harder_to_place": lambda text: tuple(f for f in str(text).split(",") if f),
    "plan_events": _pairs,
    "timeline": _pairs,
}


def from_columns(names: Sequence[str], record: Sequence[Any]) -> PeriodSummary:
    """A summary row from some of the table's columns (the others keep their defaults);
    only the JSON columns named are decoded."""
    values: dict[str, Any] = {}
    for name, value in zip(names, record, strict=True):
        if name == "disruptions":
            continue  # a property of the summary (the number of disruption dates)
        if name in DATE_COLUMNS:
            values[name] = column_date(value)
        else:
            decode = _DECODE.get(name)
            values[name] = decode(value) if decode is not None else value
    return PeriodSummary(**values)


def from_record(record: Sequence[Any]) -> PeriodSummary:
    """A table row back as a summary row."""
    return from_columns(COLUMN_NAMES, record)
