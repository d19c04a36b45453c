"""The performance surgery: one child's deadlines, and the agenda over every child.

Both are read models computed from the journey streams on a date ``as_at`` and, optionally,
as the system knew them at ``known_at``. Decisions count when they took effect by ``as_at``
and were recorded by ``known_at``; surgery actions have no effective date of their own, so
they count when recorded by ``known_at`` (an action is open unless its `action-done` or
`action-cancelled` was recorded by then, and has the owner, due date and text of the edits
recorded by then) and are overdue when their due date is before ``as_at``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from journeys.domain.actions import ActionState
from journeys.domain.actions import open_actions as domain_open_actions
from journeys.domain.milestones import (
    DUE_SOON,
    ON_TRACK,
    OVERDUE,
    STATUS_RANK,
    Milestone,
    RuleSet,
    evaluate,
    load_rules,
    most_urgent,
)
from journeys.domain.rules import ChildState, replay
from journeys.domain.timeline import ACTION_ADDED, Decision, Entry, decisions_at
from journeys.domain.vocabulary import ADOPTION, LONG_TERM_FOSTERING, ROUTES
from projections.metrics.figures import COUNT, Fact, Figure, Measure, fact
from projections.metrics.scope import of_las

# The milestone date each stage starts from (keys of ChildState.milestones()).
_STAGE_SINCE = {
    "in-care": "entered_care",
    "adoption-decision": "adoption_decision",
    "placement-order": "placement_order",
    "matched": "matched",
    "placed": "placed",
}


@dataclass(frozen=True)
class Action:
    """An open surgery action: who does what by when."""

    action_id: str
    text: str
    owner: str
    due: date
    recorded_at: datetime
    recorded_by: str
    status: str
    days_overdue: int | None
    seq: int | None = None  # the action-added event's number in the child's stream

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.action_id,
            "text": self.text,
            "owner": self.owner,
            "due": self.due,
            "status": self.status,
            "days_overdue": self.days_overdue,
            "recorded_at": self.recorded_at,
            "recorded_by": self.recorded_by,
        }


@dataclass(frozen=True)
class ChildDeadlines:
    la: str
    child: str
    as_at: date
    known_at: datetime | None
    state: ChildState
    milestones: list[Milestone]
    actions: list[Action]


@dataclass(frozen=True)
class AgendaRow:
    """A child on the agenda. ``status`` and ``days_overdue`` are its next milestone's (the
    most urgent unmet one); ``action_status`` and ``action_days_overdue`` its open actions':
    the two are never mixed, so a row is not "overdue" for an action beside a milestone due
    months away."""

    la: str
    child: str
    stage: str
    days_in_stage: int | None
    next_milestone: Milestone | None
    status: str
    days_overdue: int | None
    actions: list[Action]
    action_status: str | None = None
    action_days_overdue: int | None = None

    @property
    def urgent(self) -> bool:
        """Whether the milestone or an action is overdue."""
        return OVERDUE in (self.status, self.action_status)

    def as_json(self) -> dict[str, Any]:
        nxt = self.next_milestone
        return {
            "la": self.la,
            "child": self.child,
            "stage": self.stage,
            "days_in_stage": self.days_in_stage,
            "next_milestone": nxt.rule.id if nxt else None,
            "due": nxt.deadline if nxt else None,
            "milestone_status": self.status,
            "days_overdue": self.days_overdue,
            "action_status": self.action_status,
            "action_days_overdue": self.action_days_overdue,
            "actions": [a.as_json() for a in self.actions],
        }


def _row_who(row: AgendaRow) -> tuple[str, str, int | None]:
    return row.la, row.child, None


def _row_facts(row: AgendaRow) -> list[Fact]:
    """The start of the child's next milestone, and its overdue actions."""
    nxt = row.next_milestone
    found = fact("milestone starts", nxt.start, *(s.kind for s in nxt.rule.starts)) if nxt else []
    for a in row.actions:
        if a.status == OVERDUE:
            found += fact(f"action {a.action_id} due {a.due.isoformat()}", None, ACTION_ADDED, seq=a.seq)
    return found


def _status_is(*statuses: str) -> Measure[AgendaRow]:
    return Measure("children", COUNT, lambda r: 1 if r.status in statuses else None, _row_facts, _row_who)


AGENDA_MEASURES: tuple[tuple[str, str, Measure[AgendaRow]], ...] = (
    ("children", "children on the agenda", Measure("children", COUNT, lambda r: 1, _row_facts, _row_who)),
    ("summary.overdue", "overdue", _status_is(OVERDUE)),
    ("summary.due_soon", "due soon", _status_is(DUE_SOON)),
    (
        "summary.on_track",
        "on track",
        Measure("children", COUNT, lambda r: None if r.status in (OVERDUE, DUE_SOON) else 1, _row_facts, _row_who),
    ),
    (
        "summary.actions_overdue",
        "with an overdue action",
        Measure("children", COUNT, lambda r: 1 if r.action_status == OVERDUE else None, _row_facts, _row_who),
    ),
)


@dataclass(frozen=True)
class Agenda:
    as_at: date
    known_at: datetime | None
    rows: list[AgendaRow]
    explain: dict[str, Any] | None = None  # each figure's children, when asked for (the read side fills it)

    def figures(self) -> list[Figure[AgendaRow]]:
        """The agenda's figures (``children``, ``summary.overdue``, ``summary.due_soon``,
        ``summary.on_track``), each with the children it counts."""
        return [measure.over(key, self.rows, label) for key, label, measure in AGENDA_MEASURES]

    def summary(self) -> dict[str, int]:
        """Children by their next milestone's status: overdue, due soon, and the rest (on track
        or `open`); and, apart, the children with an overdue action."""
        values = {f.key: f.value for f in self.figures()}
        names = ("overdue", "due_soon", "on_track", "actions_overdue")
        return {name: int(values[f"summary.{name}"] or 0) for name in names}

    def as_json(self) -> dict[str, Any]:
        data = {
            "as_at": self.as_at,
            "known_at": self.known_at,
            "children": [r.as_json() for r in self.rows],
            "summary": self.summary(),
        }
        return data if self.explain is None else {**data, "explain": self.explain}


def open_actions(entries: Iterable[Entry], *, as_at: date, known_at: datetime | None = None) -> list[Action]:
    """The child's surgery actions recorded by ``known_at`` and not done or cancelled by then,
    with the edits recorded by then, by due date."""
    actions = [action_on(state, as_at) for state in domain_open_actions(entries, known_at)]
    return sorted(actions, key=lambda a: (a.due, a.action_id))


def action_on(state: ActionState, as_at: date) -> Action:
    """An open action as it stands on ``as_at`` (overdue when its due date is before it)."""
    late = state.days_overdue(as_at)
    return Action(
        state.action_id,
        state.text,
        state.owner,
        state.due,
        state.recorded_at,
        state.recorded_by,
        OVERDUE if late else "open",
        late,
        state.seq,
    )


def action_status(actions: Sequence[Action]) -> str | None:
    """``overdue`` when any open action is past its due date, ``open`` when there are open
    actions, None when there are none."""
    if not actions:
        return None
    return OVERDUE if any(a.status == OVERDUE for a in actions) else "open"


def child_deadlines(
    entries: Sequence[Entry],
    la: str,
    child: str,
    *,
    as_at: date,
    known_at: datetime | None = None,
    rules: RuleSet | None = None,
) -> ChildDeadlines:
    """One child's milestones and open actions on ``as_at`` (as known at ``known_at``)."""
    rules = rules or load_rules()
    decisions = decisions_at(entries, known_at=known_at, as_at=as_at)
    return ChildDeadlines(
        la,
        child,
        as_at,
        known_at,
        replay(decisions),
        evaluate(decisions, as_at, rules),
        open_actions(entries, as_at=as_at, known_at=known_at),
    )


def on_the_agenda(state: ChildState) -> bool:
    """An open child (not adopted, not left care) whose plan is adoption, including an
    unborn or not-yet-looked-after child tracked for early family-finding; or whose plan is
    another permanence route decided by a ``plan-decision`` in this period of care, until the
    route is reached (a long-term fostering match in force leaves the agenda: the child stays in care)."""
    period = state.current_period
    if period is None or period.ended is not None:
        return False
    if state.plan == ADOPTION:
        return True
    decided = period.last("plan-decision")
    if state.plan not in ROUTES or decided is None:
        return False
    matched = period.last("ltf-match")
    broke_down = period.last("ltf-breakdown")
    in_force = matched is not None and matched.on >= decided.on and (broke_down is None or broke_down.on < matched.on)
    return not (state.plan == LONG_TERM_FOSTERING and in_force)


def days_in_stage(state: ChildState, decisions: Sequence[Decision], as_at: date) -> int | None:
    """Days since the child reached its current stage (after a disruption, since the
    disruption; after a return to an adoption plan, since that plan change)."""
    since = stage_since(state, decisions)
    return (as_at - since).days if since is not None else None


def stage_since(state: ChildState, decisions: Sequence[Decision]) -> date | None:
    """The date :func:`days_in_stage` counts from (None when there is none)."""
    key = _STAGE_SINCE.get(state.stage)
    since = state.milestones().get(key) if key else state.plan_since
    if since is None:
        return None
    if state.stage in ("adoption-decision", "placement-order"):
        later = [d.on for d in decisions if d.kind == "disruption"]
        later += [state.plan_since] if state.plan_since else []
        since = max([since, *later])
    return since


def agenda_row(
    la: str, child: str, entries: Sequence[Entry], *, as_at: date, known_at: datetime | None, rules: RuleSet
) -> AgendaRow | None:
    """The child's line on the agenda, or None when the child is not on it."""
    decisions = decisions_at(entries, known_at=known_at, as_at=as_at)
    state = replay(decisions)
    if not on_the_agenda(state):
        return None
    milestones = evaluate(decisions, as_at, rules)
    actions = open_actions(entries, as_at=as_at, known_at=known_at)
    nxt = most_urgent(milestones)
    late = [a.days_overdue for a in actions if a.days_overdue]
    return AgendaRow(
        la,
        child,
        state.stage,
        days_in_stage(state, decisions, as_at),
        nxt,
        nxt.status if nxt else ON_TRACK,
        nxt.days_overdue if nxt else None,
        actions,
        action_status(actions),
        max(late) if late else None,
    )


def sort_key(row: AgendaRow) -> tuple[int, int, int, date, str, str]:
    """Overdue first (an overdue milestone or action), then due soon, then the rest; within
    each, the milestone's days overdue (most first), then an overdue action, then the earliest
    due date."""
    rank = STATUS_RANK[row.status]
    if row.action_status == OVERDUE:
        rank = min(rank, STATUS_RANK[OVERDUE])
    due = row.next_milestone.deadline if row.next_milestone else date.max
    action_late = -(row.action_days_overdue or 0)
    return (rank, -(row.days_overdue or 0), action_late, due, row.la, row.child)


def agenda(
    streams: Iterable[tuple[str, str, Sequence[Entry]]],
    *,
    as_at: date,
    known_at: datetime | None = None,
    rules: RuleSet | None = None,
    la: str | None = None,
    owner: str | None = None,
) -> Agenda:
    """The surgery agenda over ``streams`` (as ``JourneysApp.streams()`` yields them).

    ``la`` keeps one local authority; ``owner`` keeps the children with an open action owned
    by that person (case-insensitive).
    """
    rules = rules or load_rules()
    rows = []
    for code, child, entries in of_las(streams, [la] if la else []):
        row = agenda_row(code, child, entries, as_at=as_at, known_at=known_at, rules=rules)
        if row is None:
            continue
        if owner is not None and not any(a.owner.casefold() == owner.casefold() for a in row.actions):
            continue
        rows.append(row)
    return Agenda(as_at, known_at, sorted(rows, key=sort_key))
