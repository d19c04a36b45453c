"""Tracking cohorts: children tracked from early family-finding, classified at a census.

A child joins the cohort of a window when a `family-finding` took effect within the window
before any placement order (the early family-finding of the evaluation; possibly before
birth). At the census each tracked child is in exactly one class,
judged from the decisions in effect by the census as known at ``known_at`` (nothing after
the census counts):

- ``proceeded``: adoption is still the plan and an adoption decision or placement order is in
  force (or the child is placed or adopted); sub-counts ``with_po`` and ``matched``;
- ``under_consideration``: adoption is still the plan, with no adoption decision yet;
- ``ceased``: the plan changed away from adoption to another permanence plan; ``by_court``
  when the court decided that change, and the outcome (where the child went);
- ``other``: the journey ended another way, with its reason: permanence abroad, the
  pregnancy ended, the child left care with adoption still the plan, or adoption was never
  the plan.

A plan changed away and later back to adoption (a new adoption decision) is judged by where
it stands at the census: proceeded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from journeys.domain.rules import replay
from journeys.domain.timeline import Decision, decisions_at
from journeys.domain.vocabulary import ADOPTION
from projections.metrics.figures import COUNT, Fact, Figure, Measure, fact, one
from projections.metrics.plan_changes import (
    InvalidWindow,
    Stream,
    adoption_decision_in_force,
    check_window,
    child_plan_changes,
    groups,
)
from projections.metrics.scope import of_las

CLASSES: tuple[str, ...] = ("proceeded", "under_consideration", "ceased", "other")

# A plan change to one of these plans, or with one of these outcomes, is not adoption
# "ceasing" in favour of another plan for the child here: it is counted under `other`.
OTHER_PLANS: frozenset[str] = frozenset({"permanence-abroad"})
OTHER_OUTCOMES: frozenset[str] = frozenset({"permanence-country-of-origin", "pregnancy-ended"})
LEFT_CARE_ON_ADOPTION_PLAN = "left-care-with-adoption-plan"
NEVER_ADOPTION = "adoption-never-the-plan"

_PROCEEDING_STAGES = frozenset({"adoption-decision", "placement-order", "matched", "placed", "adopted"})


@dataclass(frozen=True)
class TrackedChild:
    """One tracked child as it stands at the census."""

    la: str
    child: str
    tracked_from: date
    status: str
    plan: str | None
    stage: str
    adoption_decision: date | None = None
    placement_order: date | None = None
    matched_on: date | None = None
    with_po: bool = False
    matched: bool = False
    ceased_on: date | None = None
    decided_by: str | None = None
    outcome: str | None = None
    reason: str | None = None

    @property
    def by_court(self) -> bool:
        return self.status == "ceased" and self.decided_by == "court"

    def as_json(self) -> dict[str, Any]:
        return {
            "la": self.la,
            "child": self.child,
            "tracked_from": self.tracked_from,
            "class": self.status,
            "plan": self.plan,
            "stage": self.stage,
            "adoption_decision": self.adoption_decision,
            "placement_order": self.placement_order,
            "matched_on": self.matched_on,
            "with_po": self.with_po,
            "matched": self.matched,
            "ceased_on": self.ceased_on,
            "decided_by": self.decided_by,
            "by_court": self.by_court,
            "outcome": self.outcome,
            "reason": self.reason,
        }


def _first(decisions: Iterable[Decision], kind: str) -> Decision | None:
    return next((d for d in decisions if d.kind == kind), None)


def classify(la: str, child: str, decisions: Sequence[Decision], tracked_from: date) -> TrackedChild:
    """Where a tracked child stands, given the decisions in effect at the census."""
    state = replay(decisions)
    period = state.current_period
    in_period = period.decisions if period else []
    po = _first(in_period, "placement-order")
    base: dict[str, Any] = {
        "la": la,
        "child": child,
        "tracked_from": tracked_from,
        "plan": state.plan,
        "stage": state.stage,
    }
    if state.stage == "adopted" or (state.plan == ADOPTION and state.stage in _PROCEEDING_STAGES):
        match = next((d for d in reversed(in_period) if d.kind == "match"), None)
        matched = state.stage in ("matched", "placed", "adopted")
        return TrackedChild(
            **base,
            status="proceeded",
            adoption_decision=adoption_decision_in_force(state),
            placement_order=po.on if po else None,
            matched_on=match.on if matched and match else None,
            with_po=po is not None,
            matched=matched,
        )
    if state.plan == ADOPTION:
        if state.stage == "left-care":
            return TrackedChild(**base, status="other", reason=LEFT_CARE_ON_ADOPTION_PLAN)
        return TrackedChild(**base, status="under_consideration")
    changes = child_plan_changes(la, child, decisions)
    away = next((c for c in reversed(changes) if c.away_from_adoption), None)
    last = changes[-1] if changes else None
    outcome = (last.outcome if last else None) or (away.outcome if away else None)
    if state.plan in OTHER_PLANS or outcome in OTHER_OUTCOMES:
        return TrackedChild(**base, status="other", outcome=outcome, reason=outcome or state.plan)
    if away is None:
        return TrackedChild(**base, status="other", outcome=outcome, reason=NEVER_ADOPTION)
    return TrackedChild(
        **base,
        status="ceased",
        ceased_on=away.on,
        decided_by=away.decided_by,
        outcome=outcome,
    )


def _who(c: TrackedChild) -> tuple[str, str, int | None]:
    return c.la, c.child, None


def _facts(c: TrackedChild) -> list[Fact]:
    return (
        fact("family-finding", c.tracked_from, "family-finding")
        + fact("adoption decision", c.adoption_decision, "adoption-decision")
        + fact("placement order", c.placement_order, "placement-order")
        + fact("matched", c.matched_on, "match")
        + fact("plan changed away from adoption", c.ceased_on, "plan-change")
    )


def _where(test: Any) -> Measure[TrackedChild]:
    return Measure("children", COUNT, lambda c: 1 if test(c) else None, _facts, _who)


TRACKED: Measure[TrackedChild] = Measure("children tracked", COUNT, one, _facts, _who)
# The report's counts of children (JSON key, label, which children count).
CLASS_MEASURES: tuple[tuple[str, str, Measure[TrackedChild]], ...] = (
    ("proceeded", "proceeded", _where(lambda c: c.status == "proceeded")),
    ("with_po", "proceeded, with a PO", _where(lambda c: c.status == "proceeded" and c.with_po)),
    ("matched", "proceeded, matched", _where(lambda c: c.status == "proceeded" and c.matched)),
    ("under_consideration", "under consideration", _where(lambda c: c.status == "under_consideration")),
    ("ceased", "ceased", _where(lambda c: c.status == "ceased")),
    ("ceased_by_court", "ceased by the court", _where(lambda c: c.status == "ceased" and c.by_court)),
)


@dataclass
class TrackingReport:
    start: date
    end: date
    census: date
    la: str | None
    known_at: datetime | None
    children: list[TrackedChild] = field(default_factory=list)
    explain: dict[str, Any] | None = None  # each figure's children, when asked for (the read side fills it)

    def count(self, status: str) -> int:
        return sum(1 for c in self.children if c.status == status)

    def figures(self) -> list[Figure[TrackedChild]]:
        """The report's figures (``tracked``, the classes, ``outcomes.X`` and ``other.Y``),
        each with the children it counts."""
        found = [TRACKED.over("tracked", self.children)]
        found += [measure.over(key, self.children, label) for key, label, measure in CLASS_MEASURES]
        ceased = [c for c in self.children if c.status == "ceased"]
        for outcome, group in groups(ceased, lambda c: c.outcome).items():
            found.append(TRACKED.over(f"outcomes.{outcome}", group, f"ceased, outcome {outcome}"))
        other = [c for c in self.children if c.status == "other"]
        for reason, group in groups(other, lambda c: c.reason).items():
            found.append(TRACKED.over(f"other.{reason}", group, f"other: {reason}"))
        return found

    def as_json(self) -> dict[str, Any]:
        figures = {f.key: f.value for f in self.figures()}

        def breakdown(name: str) -> dict[str, Any]:
            prefix = f"{name}."
            return {key[len(prefix) :]: value for key, value in figures.items() if key.startswith(prefix)}

        data = {
            "from": self.start,
            "to": self.end,
            "census": self.census,
            "la": self.la,
            "known_at": self.known_at,
            "tracked": figures["tracked"],
            "proceeded": figures["proceeded"],
            "with_po": figures["with_po"],
            "matched": figures["matched"],
            "under_consideration": figures["under_consideration"],
            "ceased": figures["ceased"],
            "ceased_by_court": figures["ceased_by_court"],
            "outcomes": breakdown("outcomes"),
            "other": breakdown("other"),
            "children": [c.as_json() for c in self.children],
        }
        return data if self.explain is None else {**data, "explain": self.explain}


def early_family_finding(decisions: Sequence[Decision], start: date, end: date) -> Decision | None:
    """The first family-finding from ``start`` to ``end`` that began before any placement order
    (on an earlier day: family-finding begun the day the order was made is not early)."""
    po = _first(decisions, "placement-order")
    return next(
        (d for d in decisions if d.kind == "family-finding" and start <= d.on <= end and (po is None or d.on < po.on)),
        None,
    )


def tracking_cohort(
    streams: Iterable[Stream],
    *,
    start: date,
    end: date,
    census: date,
    la: str | None = None,
    known_at: datetime | None = None,
) -> TrackingReport:
    """The children whose family-finding began from ``start`` to ``end`` (inclusive) before any
    placement order, each classified at ``census`` as known at ``known_at``."""
    chosen = of_las(streams, [la] if la else [])  # lazily: cohort_of checks the dates before any is read
    return cohort_of(chosen, start=start, end=end, census=census, la=la, known_at=known_at)


def check_cohort_dates(start: date, end: date, census: date) -> None:
    check_window(start, end)
    if census < end:
        raise InvalidWindow(
            f"the census on {census} is before the tracking window ends on {end}", "give a --census on or after --to"
        )


def cohort_of(
    streams: Iterable[Stream], *, start: date, end: date, census: date, la: str | None, known_at: datetime | None
) -> TrackingReport:
    """:func:`tracking_cohort` of streams already of the local authority asked for (every
    stream of a tracked child among them: others are passed over)."""
    check_cohort_dates(start, end, census)
    report = TrackingReport(start, end, census, la, known_at)
    for code, child, entries in streams:
        decisions = decisions_at(entries, known_at=known_at, as_at=census)
        joined = early_family_finding(decisions, start, end)
        if joined is None:
            continue
        report.children.append(classify(code, child, decisions, joined.on))
    report.children.sort(key=lambda c: (c.la, c.tracked_from, c.child))
    return report
