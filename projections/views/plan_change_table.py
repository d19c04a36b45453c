"""The ``plan_change`` table: every `plan-change` decision in force, described as the
`plan-changes` report describes it (:class:`projections.metrics.plan_changes.PlanChange`), kept in the
view store beside ``child_summary`` and in the same transactions, so the report reads rows
instead of replaying every child.

One row per child's plan change (primary key: stream id and the decision's event number);
dates are ISO text in SQLite and ``DATE`` in PostgreSQL. docs/read-models.md documents it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.metrics.plan_changes import PlanChange
from projections.views.columns import column_date, iso, same

TABLE = "plan_change"

# (column, SQLite type, PostgreSQL type)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("stream_id", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("seq", "INTEGER NOT NULL", "INTEGER NOT NULL"),
    ("la", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("child", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("changed_on", "TEXT NOT NULL", "DATE NOT NULL"),
    ("plan_before", "TEXT", "TEXT"),
    ("plan_after", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("plan_since", "TEXT", "DATE"),
    ("stage", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("adoption_decision", "TEXT", "DATE"),
    ("reason", "TEXT", "TEXT"),
    ("decided_by", "TEXT", "TEXT"),
    ("outcome", "TEXT", "TEXT"),
)
COLUMN_NAMES = tuple(name for name, _, _ in COLUMNS)


def create_sql(table: str, postgres: bool) -> str:
    columns = ", ".join(f"{name} {pg if postgres else lite}" for name, lite, pg in COLUMNS)
    return f"CREATE TABLE IF NOT EXISTS {table} ({columns}, PRIMARY KEY (stream_id, seq))"


def insert_sql(table: str, ph: str) -> str:
    return f"INSERT INTO {table} ({', '.join(COLUMN_NAMES)}) VALUES ({', '.join([ph] * len(COLUMN_NAMES))})"


def select_sql(table: str) -> str:
    return f"SELECT {', '.join(COLUMN_NAMES)} FROM {table}"


def to_record(change: PlanChange, postgres: bool) -> tuple[Any, ...]:
    """A plan change as the table's column values (in the order of COLUMN_NAMES)."""
    day = same if postgres else iso
    return (
        change.stream_id,
        change.seq,
        change.la,
        change.child,
        day(change.on),
        change.plan_before,
        change.plan_after,
        day(change.plan_since),
        change.stage,
        day(change.adoption_decision),
        change.reason,
        change.decided_by,
        change.outcome,
    )


def from_record(record: Sequence[Any]) -> PlanChange:
    """A table row back as a plan change."""
    stream_id, seq, la, child, on, before, after, since, stage, adm, reason, decider, outcome = record
    changed_on = column_date(on)
    assert changed_on is not None
    return PlanChange(
        la=la,
        child=child,
        seq=int(seq),
        on=changed_on,
        plan_before=before,
        plan_after=after,
        plan_since=column_date(since),
        stage=stage,
        adoption_decision=column_date(adm),
        reason=reason,
        decided_by=decider,
        outcome=outcome,
        stream_id=stream_id,
    )
