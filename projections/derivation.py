"""What the view store holds of a child, derived from its stream: its summary rows (one per
period of care, :mod:`projections.summary`) and its plan changes (:mod:`projections.plan_changes`),
from one reading of the decisions in force."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from journeys.state import replay
from journeys.timeline import Entry, decisions_at
from projections.plan_changes import PlanChange, child_plan_changes
from projections.summary import PeriodSummary, child_ids, summarise_state


def derive_stream(stream_id: str, entries: Sequence[Entry]) -> tuple[list[PeriodSummary], list[PlanChange]]:
    """One child's summary rows and plan changes, as ``summarise`` and ``plan_changes`` give them."""
    if not entries:
        return [], []
    la, child = child_ids(entries)
    decisions = decisions_at(entries)
    rows = summarise_state(la, child, replay(decisions), stream_id)
    return rows, child_plan_changes(la, child, decisions, stream_id)


def derive_streams(found: Mapping[UUID, Sequence[Entry]]) -> tuple[list[PeriodSummary], list[PlanChange]]:
    """The summary rows and plan changes of many children (``found``: each stream's entries)."""
    rows: list[PeriodSummary] = []
    changes: list[PlanChange] = []
    for stream, entries in found.items():
        stream_rows, stream_changes = derive_stream(str(stream), entries)
        rows.extend(stream_rows)
        changes.extend(stream_changes)
    return rows, changes
