"""The caseload: every child of a local authority, where its journey stands and what is next.

A pure function of one child's entries and a date ``as_at`` (as known at ``known_at``), as the
surgery agenda is; unlike the agenda it lists every child, whatever the plan, with the
milestone status and the action status kept apart (a child's milestone can be on track while
an action agreed for it is overdue, and the other way round).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from journeys.domain.milestones import DUE_SOON, ON_TRACK, OPEN, OVERDUE, STATUS_RANK, Milestone, RuleSet, most_urgent
from journeys.domain.milestones import evaluate as evaluate_milestones
from journeys.domain.rules import ChildState, replay
from journeys.domain.timeline import Entry, decisions_at, known_by
from projections.metrics.surgery import Action, action_status, days_in_stage, open_actions

# A child whose latest period of care has ended (adopted, or left care): no milestone is next.
CLOSED: Final = "closed"
# What `status=` filters on: "on-track" takes in "open" (a step now possible, not yet late),
# as the agenda's summary does.
STATUS_FILTERS: Final[dict[str, frozenset[str]]] = {
    OVERDUE: frozenset({OVERDUE}),
    DUE_SOON: frozenset({DUE_SOON}),
    ON_TRACK: frozenset({ON_TRACK, OPEN}),
    OPEN: frozenset({OPEN}),
    CLOSED: frozenset({CLOSED}),
}
_RANK: Final = {**STATUS_RANK, CLOSED: len(STATUS_RANK)}


@dataclass(frozen=True)
class CaseloadRow:
    """One child on the caseload on ``as_at``."""

    la: str
    child: str
    stage: str
    plan: str | None
    date_of_birth: date | None
    sibling_group: str | None
    harder_to_place: tuple[str, ...]
    days_in_stage: int | None
    next_milestone: Milestone | None
    status: str  # the next milestone's status (CASELOAD_STATUSES), nothing to do with actions
    days_overdue: int | None  # the next milestone's days overdue
    actions: list[Action]  # open actions, by due date
    action_status: str | None  # "overdue" (an open action is past its due date), "open", or None
    action_days_overdue: int | None  # the most days any open action is overdue

    @property
    def due(self) -> date | None:
        """The next milestone's deadline (the day after which it is overdue)."""
        return self.next_milestone.deadline if self.next_milestone else None

    @property
    def owners(self) -> list[str]:
        return list(dict.fromkeys(a.owner for a in self.actions))

    def as_json(self) -> dict[str, Any]:
        nxt = self.next_milestone
        return {
            "la": self.la,
            "child": self.child,
            "stage": self.stage,
            "plan": self.plan,
            "date_of_birth": self.date_of_birth,
            "sibling_group": self.sibling_group,
            "harder_to_place": list(self.harder_to_place),
            "days_in_stage": self.days_in_stage,
            "next_milestone": nxt.rule.id if nxt else None,
            "due": self.due,
            "milestone_status": self.status,
            "days_overdue": self.days_overdue,
            "open_actions": len(self.actions),
            "action_status": self.action_status,
            "action_days_overdue": self.action_days_overdue,
            "owners": self.owners,
        }


def caseload_row(
    la: str,
    child: str,
    entries: Sequence[Entry],
    *,
    as_at: date,
    known_at: datetime | None = None,
    rules: RuleSet,
) -> CaseloadRow | None:
    """The child's line on the caseload, or None when nothing about it counts on ``as_at`` as
    known at ``known_at`` (not yet recorded, or no decision in effect and no open action)."""
    if not known_by(entries[:1], known_at):
        return None
    decisions = decisions_at(entries, known_at=known_at, as_at=as_at)
    actions = open_actions(entries, as_at=as_at, known_at=known_at)
    if not decisions and not actions:
        return None
    state = replay(decisions)
    nxt, status = _next(state, decisions, as_at, rules)
    return line(
        la,
        child,
        state.stage,
        state.plan,
        state.date_of_birth,
        state.sibling_group,
        state.harder_to_place,
        days_in_stage(state, decisions, as_at) if status != CLOSED else None,
        nxt,
        status,
        actions,
    )


def line(
    la: str,
    child: str,
    stage: str,
    plan: str | None,
    date_of_birth: date | None,
    sibling_group: str | None,
    harder_to_place: tuple[str, ...],
    days: int | None,
    nxt: Milestone | None,
    status: str,
    actions: list[Action],
) -> CaseloadRow:
    """A caseload line of its parts (the actions' status worked out from ``actions``)."""
    late = [a.days_overdue for a in actions if a.days_overdue]
    return CaseloadRow(
        la,
        child,
        stage,
        plan,
        date_of_birth,
        sibling_group,
        harder_to_place,
        days,
        nxt,
        status,
        nxt.days_overdue if nxt else None,
        actions,
        action_status(actions),
        max(late) if late else None,
    )


def _next(state: ChildState, decisions: Sequence[Any], as_at: date, rules: RuleSet) -> tuple[Milestone | None, str]:
    period = state.current_period
    if period is not None and period.ended is not None:
        return None, CLOSED
    nxt = most_urgent(evaluate_milestones(decisions, as_at, rules))
    return nxt, nxt.status if nxt else ON_TRACK


def matches(row: CaseloadRow, *, stage: str | None, status: str | None, find: str | None) -> bool:
    """Whether ``row`` passes the filters: its stage, its milestone status (``on-track`` takes
    in ``open``), and ``find`` (case-insensitive, in the child reference, the sibling group or
    an action's owner)."""
    if stage is not None and row.stage != stage:
        return False
    if status is not None and row.status not in STATUS_FILTERS[status]:
        return False
    if find:
        needle = find.casefold()
        haystack = [row.child, row.sibling_group or "", *row.owners]
        if not any(needle in text.casefold() for text in haystack):
            return False
    return True


def _urgency(row: CaseloadRow) -> tuple[Any, ...]:
    action_rank = 0 if row.action_status == OVERDUE else 1
    return (_RANK[row.status], -(row.days_overdue or 0), row.due or date.max, action_rank, row.la, row.child)


# How the caseload can be sorted (the key of each), the first the default: most urgent first.
CASELOAD_SORTS: Final[dict[str, Callable[[CaseloadRow], tuple[Any, ...]]]] = {
    "status": _urgency,
    "child": lambda r: (r.la, r.child),
    "stage": lambda r: (r.stage, r.la, r.child),
    "due": lambda r: (r.due or date.max, r.la, r.child),
    "days-in-stage": lambda r: (-(r.days_in_stage or -1), r.la, r.child),
    "actions": lambda r: (0 if r.action_status == OVERDUE else 1, -(r.action_days_overdue or 0), r.la, r.child),
}


def sort_rows(rows: Sequence[CaseloadRow], sort: str = "status") -> list[CaseloadRow]:
    """``rows`` in the order ``sort`` names (a key of :data:`CASELOAD_SORTS`)."""
    return sorted(rows, key=CASELOAD_SORTS[sort])
