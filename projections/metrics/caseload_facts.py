"""What the read model keeps of a child for its caseload line, and that line on a date.

A child's caseload line (:func:`projections.metrics.caseload.caseload_row`) depends on the date
``as_at`` in two ways: which decisions are in effect, and how late an unmet milestone or an open
action is. Once every decision of the child has taken effect (``as_at`` on or after its latest
decision, ``valid_from``), only the second remains, and it needs only dates: the stage, plan and
details, the date its stage began, each unmet milestone's start, due date, amber and overdue
dates, and each open action. :class:`CaseloadFacts` holds those, derived once from the child's
whole stream as known now (the ``caseload`` table, :mod:`projections.views.caseload_table`);
:func:`row_on` gives the line on any such date with the date as an argument, the same line as
replaying the stream. Before ``valid_from``, with ``known_at``, or under other milestone rules
than the facts were derived with (``rules``, :func:`rules_digest`), the stream is replayed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from journeys.domain.actions import ActionState
from journeys.domain.actions import open_actions as domain_open_actions
from journeys.domain.calendar import BankHolidays
from journeys.domain.milestones import ON_TRACK, Milestone, Rule, RuleSet, frames, most_urgent, on_date, pending
from journeys.domain.rules import ChildState, replay
from journeys.domain.timeline import Decision, Entry, decisions_at
from projections.metrics.caseload import CLOSED, CaseloadRow, line
from projections.metrics.surgery import action_on, stage_since


@dataclass(frozen=True)
class PendingMilestone:
    """An unmet milestone as the read model keeps it: its rule and dates."""

    rule: str  # the rule's id
    start: date
    due: date
    amber_from: date | None
    late_from: date | None

    def of(self, rule: Rule) -> Milestone:
        """The milestone of ``rule`` (``self.rule``), unmet, before :func:`on_date` dates it."""
        return Milestone(rule, self.start, self.due, None, ON_TRACK, self.amber_from, late_from=self.late_from)


@dataclass(frozen=True)
class CaseloadFacts:
    """One child's caseload line, as far as it does not depend on the date (see the module)."""

    stream_id: str
    la: str
    child: str
    rules: str  # rules_digest of the rules the milestones were evaluated with
    valid_from: date | None  # the child's latest decision (None: no decision in effect)
    stage: str
    plan: str | None
    date_of_birth: date | None
    sibling_group: str | None
    harder_to_place: tuple[str, ...]
    closed: bool  # the latest period of care has ended
    stage_since: date | None  # what days in stage count from
    milestones: tuple[PendingMilestone, ...]  # unmet, not overtaken (none when closed)
    actions: tuple[ActionState, ...]  # open, by due date

    def holds_for(self, as_at: date, rules: str) -> bool:
        """Whether :func:`row_on` gives the line on ``as_at`` under the rules of digest ``rules``."""
        return self.rules == rules and (self.valid_from is None or self.valid_from <= as_at)


def rules_digest(rules: RuleSet) -> str:
    """A short digest of what the milestones depend on: the rules and the bank holidays."""
    text = repr(rules.rules) + _calendar(rules.holidays)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@cache
def _calendar(holidays: BankHolidays) -> str:
    return holidays.source  # the package's version, read once a process


def facts_of(
    stream_id: str,
    la: str,
    child: str,
    entries: Sequence[Entry],
    rules: RuleSet,
    digest: str,
    decisions: Sequence[Decision] | None = None,
    state: ChildState | None = None,
) -> CaseloadFacts:
    """The child's facts from its whole stream as recorded (``digest``: ``rules_digest(rules)``;
    ``decisions`` and ``state``, when the caller has them: ``decisions_at(entries)`` and its replay)."""
    decisions = decisions_at(entries) if decisions is None else decisions
    state = replay(decisions) if state is None else state
    period = state.current_period
    closed = period is not None and period.ended is not None
    found = () if closed else tuple(m for m in frames(state, rules) if pending(m))
    return CaseloadFacts(
        stream_id,
        la,
        child,
        digest,
        max(d.on for d in decisions) if decisions else None,
        state.stage,
        state.plan,
        state.date_of_birth,
        state.sibling_group,
        tuple(state.harder_to_place),
        closed,
        stage_since(state, decisions),
        tuple(PendingMilestone(m.rule.id, m.start, m.due, m.amber_from, m.late_from) for m in found),
        domain_open_actions(entries),
    )


def rules_by_id(rules: RuleSet) -> Mapping[str, Rule]:
    return {rule.id: rule for rule in rules.rules}


def row_on(facts: CaseloadFacts, as_at: date, rules: Mapping[str, Rule]) -> CaseloadRow | None:
    """The child's caseload line on ``as_at`` (on or after ``facts.valid_from``), or None when
    nothing about it counts (no decision and no open action); ``rules``: :func:`rules_by_id` of
    the rules the facts were derived with."""
    actions = [action_on(a, as_at) for a in facts.actions]
    if facts.valid_from is None and not actions:
        return None
    nxt: Milestone | None = None
    if not facts.closed:
        dated = (on_date(m.of(rules[m.rule]), as_at) for m in facts.milestones)
        nxt = most_urgent(dated)
    status = CLOSED if facts.closed else nxt.status if nxt else ON_TRACK
    days = (as_at - facts.stage_since).days if facts.stage_since is not None and not facts.closed else None
    return line(
        facts.la,
        facts.child,
        facts.stage,
        facts.plan,
        facts.date_of_birth,
        facts.sibling_group,
        facts.harder_to_place,
        days,
        nxt,
        status,
        actions,
    )
