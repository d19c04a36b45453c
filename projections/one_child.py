"""One child in full, as a child's page shows it: details, every period of care, the adopters,
the milestones (with their statuses) and the open actions (overdue or not), from the child's
stream on ``as_at`` as known at ``known_at``. (`journeys show`, which must start quickly, reads
the same details without the milestone rules through ``JourneysApp.show``.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from journeys.application import JourneysApp
from journeys.domain.care_periods import CarePeriod, care_periods
from journeys.domain.milestones import Milestone, RuleSet, evaluate, load_rules
from journeys.domain.rules import ChildState, replay
from journeys.domain.timeline import decisions_at
from projections.metrics.surgery import Action, open_actions


@dataclass(frozen=True)
class ChildDetails:
    la: str
    child: str
    as_at: date
    known_at: datetime | None
    state: ChildState
    events: int  # decisions counted
    periods: list[CarePeriod]
    milestones: list[Milestone]
    actions: list[Action]  # open actions, by due date

    @property
    def adopters(self) -> list[str]:
        """Every adopter matched with the child, in every period, first matched first."""
        return list(dict.fromkeys(a for p in self.periods for a in p.adopters))

    def as_json(self) -> dict[str, Any]:
        s = self.state
        return {
            "la": self.la,
            "child": self.child,
            "as_at": self.as_at,
            "known_at": self.known_at,
            "plan": s.plan,
            "plan_since": s.plan_since,
            "stage": s.stage,
            "milestones": s.milestones(),
            "events": self.events,
            "date_of_birth": s.date_of_birth,
            "expected_date": s.expected_date,
            "sibling_group": s.sibling_group,
            "harder_to_place": list(s.harder_to_place),
            "periods_of_care": len([p for p in s.periods if p.entered_care]),
            "adopters": self.adopters,
            "periods": [p.as_json() for p in self.periods],
            "actions": [a.as_json() for a in self.actions],
        }


def child_details(
    app: JourneysApp,
    la: str,
    child: str,
    *,
    as_at: date,
    known_at: datetime | None = None,
    rules: RuleSet | None = None,
) -> ChildDetails:
    """CHILD of ``la`` on ``as_at`` as known at ``known_at``; an unknown child is refused
    (:class:`journeys.ChildNotFound`)."""
    entries = app.entries(la, child)
    decisions = decisions_at(entries, known_at=known_at, as_at=as_at)
    state = replay(decisions)
    return ChildDetails(
        la,
        child,
        as_at,
        known_at,
        state,
        len(decisions),
        care_periods(state),
        evaluate(decisions, as_at, rules or load_rules()),
        open_actions(entries, as_at=as_at, known_at=known_at),
    )
