"""What the view store holds of a child, derived from its stream: its summary rows (one per
period of care, :mod:`projections.metrics.summary`), its plan changes (:mod:`projections.metrics.plan_changes`)
and its family-finding decisions (:mod:`projections.views.family_finding_table`), from one reading of
the decisions in force, and its caseload facts (:mod:`projections.views.caseload_table`); and
those rows as the tables' column values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from journeys.domain.rules import replay
from journeys.domain.timeline import Entry, decisions_at
from journeys.storage.unreadable import UnreadableStream
from projections.metrics.caseload_facts import CaseloadFacts
from projections.metrics.plan_changes import PlanChange, child_plan_changes
from projections.metrics.summary import PeriodSummary, child_ids, summarise_state
from projections.views import (
    adoption_months,
    bounded_starts_table,
    caseload_table,
    family_finding_table,
    plan_change_table,
    summary_table,
    unreadable_table,
)
from projections.views.dialect import Dialect
from projections.views.family_finding_table import FamilyFinding


@dataclass(frozen=True)
class TableRecords:
    """Some children's rows as the view store's tables' column values, ready to insert."""

    summaries: list[tuple[Any, ...]]
    month_changes: list[tuple[Any, ...]]  # what the summaries add to adoption_months
    plan_changes: list[tuple[Any, ...]]
    family_finding: list[tuple[Any, ...]]
    unreadable: list[tuple[Any, ...]] = field(default_factory=list)
    bounded_starts: list[tuple[Any, ...]] = field(default_factory=list)
    caseload: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class ViewRows:
    """The view store's rows of some children."""

    rows: list[PeriodSummary] = field(default_factory=list)
    changes: list[PlanChange] = field(default_factory=list)
    family_finding: list[FamilyFinding] = field(default_factory=list)
    unreadable: list[UnreadableStream] = field(default_factory=list)  # streams left out
    caseload: list[CaseloadFacts] = field(default_factory=list)

    def add(self, stream_id: str, entries: Sequence[Entry]) -> None:
        """Derive one more child from its entries (nothing for an empty stream)."""
        if not entries:
            return
        la, child = child_ids(entries)
        decisions = decisions_at(entries)
        state = replay(decisions)
        self.rows.extend(summarise_state(la, child, state, stream_id))
        self.changes.extend(child_plan_changes(la, child, decisions, stream_id))
        self.family_finding.extend(family_finding_table.of_decisions(stream_id, la, child, decisions))
        self.caseload.append(caseload_table.of_entries(stream_id, la, child, entries, decisions, state))

    def sort(self) -> None:
        """Each table's rows in its key order (inserted in key order, a table's pages are
        written in order)."""
        self.rows.sort(key=_summary_key)
        self.changes.sort(key=_change_key)
        self.family_finding.sort(key=_finding_key)
        self.caseload.sort(key=lambda facts: facts.stream_id)

    def records(self, dialect: Dialect, *, with_months: bool = True) -> TableRecords:
        """The rows as ``dialect``'s column values (and, ``with_months``, what they add to the sums)."""
        return TableRecords(
            [summary_table.to_record(row, dialect) for row in self.rows],
            adoption_months.changes([], self.rows) if with_months else [],
            [plan_change_table.to_record(change, dialect) for change in self.changes],
            [family_finding_table.to_record(found, dialect) for found in self.family_finding],
            [unreadable_table.to_record(found) for found in self.unreadable],
            [bounded_starts_table.to_record(found, dialect) for found in bounded_starts_table.of_rows(self.rows)],
            [caseload_table.to_record(facts, dialect) for facts in self.caseload],
        )


def derive_streams(found: Mapping[UUID, Sequence[Entry]], unreadable: Sequence[UnreadableStream] = ()) -> ViewRows:
    """The view store's rows of many children (``found``: each stream's entries; ``unreadable``:
    the streams that could not be read, remembered as such)."""
    view_rows = ViewRows(unreadable=list(unreadable))
    for stream, entries in found.items():
        view_rows.add(str(stream), entries)
    return view_rows


def _summary_key(row: PeriodSummary) -> tuple[str, str, int]:
    return row.la, row.child, row.period


def _change_key(change: PlanChange) -> tuple[str, int]:
    return change.stream_id, change.seq


def _finding_key(found: FamilyFinding) -> tuple[str, int]:
    return found.stream_id, found.seq
