"""What the view store holds of a child, derived from its stream: its summary rows (one per
period of care, :mod:`projections.metrics.summary`), its plan changes (:mod:`projections.metrics.plan_changes`)
and its family-finding decisions (:mod:`projections.views.family_finding_table`), from one reading of
the decisions in force."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from journeys.domain.rules import replay
from journeys.domain.timeline import Entry, decisions_at
from projections.metrics.plan_changes import PlanChange, child_plan_changes
from projections.metrics.summary import PeriodSummary, child_ids, summarise_state
from projections.views import family_finding_table
from projections.views.family_finding_table import FamilyFinding


@dataclass
class Derived:
    """The view store's rows of some children."""

    rows: list[PeriodSummary] = field(default_factory=list)
    changes: list[PlanChange] = field(default_factory=list)
    family_finding: list[FamilyFinding] = field(default_factory=list)

    def add(self, stream_id: str, entries: Sequence[Entry]) -> None:
        """Derive one more child from its entries (nothing for an empty stream)."""
        if not entries:
            return
        la, child = child_ids(entries)
        decisions = decisions_at(entries)
        self.rows.extend(summarise_state(la, child, replay(decisions), stream_id))
        self.changes.extend(child_plan_changes(la, child, decisions, stream_id))
        self.family_finding.extend(family_finding_table.of_decisions(stream_id, la, child, decisions))

    def sort(self) -> None:
        """Each table's rows in its key order (inserted in key order, a table's pages are
        written in order)."""
        self.rows.sort(key=_summary_key)
        self.changes.sort(key=_change_key)
        self.family_finding.sort(key=_finding_key)


def derive_streams(found: Mapping[UUID, Sequence[Entry]]) -> Derived:
    """The view store's rows of many children (``found``: each stream's entries)."""
    derived = Derived()
    for stream, entries in found.items():
        derived.add(str(stream), entries)
    return derived


def _summary_key(row: PeriodSummary) -> tuple[str, str, int]:
    return row.la, row.child, row.period


def _change_key(change: PlanChange) -> tuple[str, int]:
    return change.stream_id, change.seq


def _finding_key(found: FamilyFinding) -> tuple[str, int]:
    return found.stream_id, found.seq
