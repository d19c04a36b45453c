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
from projections.views.columns import iso, same

TABLE = "family_finding"
KIND = "family-finding"

# (column, SQLite type, PostgreSQL type)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("stream_id", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("seq", "INTEGER NOT NULL", "INTEGER NOT NULL"),
    ("la", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("child", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("began", "TEXT NOT NULL", "DATE NOT NULL"),
)
COLUMN_NAMES = tuple(name for name, _, _ in COLUMNS)


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


def create_sql(table: str, postgres: bool) -> list[str]:
    columns = ", ".join(f"{name} {pg if postgres else lite}" for name, lite, pg in COLUMNS)
    return [
        f"CREATE TABLE IF NOT EXISTS {table} ({columns}, PRIMARY KEY (stream_id, seq))",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_began ON {table} (began)",
    ]


def insert_sql(table: str, ph: str) -> str:
    return f"INSERT INTO {table} ({', '.join(COLUMN_NAMES)}) VALUES ({', '.join([ph] * len(COLUMN_NAMES))})"


def to_record(found: FamilyFinding, postgres: bool) -> tuple[Any, ...]:
    return (found.stream_id, found.seq, found.la, found.child, (same if postgres else iso)(found.began))
