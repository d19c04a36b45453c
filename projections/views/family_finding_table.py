"""The ``family_finding`` table: every `family-finding` decision in force, one row each, kept in
the view store beside ``child_summary`` and in the same transactions. The tracking cohort of a
window reads from it which children began family-finding in the window, and replays only
those children's streams rather than every child's.

Primary key: stream id and the decision's event number; an index on the date. docs/read-models.md
documents it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from journeys.domain.timeline import Decision
from projections.views.columns import Table
from projections.views.dialect import Dialect

TABLE = "family_finding"
KIND = "family-finding"
LAYOUT = Table(
    TABLE,
    (
        ("stream_id", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("la", "TEXT NOT NULL"),
        ("child", "TEXT NOT NULL"),
        ("began", "DATE NOT NULL"),
    ),
    key=("stream_id", "seq"),
    indexes=("began",),
)
COLUMN_NAMES = LAYOUT.column_names


@dataclass(frozen=True)
class FamilyFinding:
    stream_id: str
    seq: int
    la: str
    child: str
    began: date


def of_decisions(stream_id: str, la: str, child: str, decisions: Sequence[Decision]) -> list[FamilyFinding]:
    """A child's family-finding decisions in force (``decisions``: as ``decisions_at`` gives them)."""
    return [FamilyFinding(stream_id, d.seq, la, child, d.on) for d in decisions if d.kind == KIND]


def to_record(found: FamilyFinding, dialect: Dialect) -> tuple[Any, ...]:
    return (found.stream_id, found.seq, found.la, found.child, dialect.date(found.began))
