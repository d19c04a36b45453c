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
from projections.views.columns import Table, column_date
from projections.views.dialect import Dialect

TABLE = "plan_change"
LAYOUT = Table(
    TABLE,
    (
        ("stream_id", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("la", "TEXT NOT NULL"),
        ("child", "TEXT NOT NULL"),
        ("changed_on", "DATE NOT NULL"),
        ("plan_before", "TEXT"),
        ("plan_after", "TEXT NOT NULL"),
        ("plan_since", "DATE"),
        ("stage", "TEXT NOT NULL"),
        ("adoption_decision", "DATE"),
        ("reason", "TEXT"),
        ("decided_by", "TEXT"),
        ("outcome", "TEXT"),
    ),
    key=("stream_id", "seq"),
)
COLUMN_NAMES = LAYOUT.column_names


def to_record(change: PlanChange, dialect: Dialect) -> tuple[Any, ...]:
    """A plan change as the table's column values (in the order of COLUMN_NAMES)."""
    day = dialect.date
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
