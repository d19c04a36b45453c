"""Plan changes: every `plan-change` decision with the stage the journey had reached.

A pure read model over children's entries. For each child the decisions are taken as known
at ``known_at`` (corrections and retractions applied); each `plan-change` is described by
replaying the decisions that took effect before it, so the plan it left, the stage reached
and the days spent on the abandoned plan all come from the journey itself. Nothing here
reads a clock or writes an event.

The report (:func:`plan_changes`) counts changes *away from adoption* by default (the
scorecard's A5, "permanence decisions changed away from adoption", and the SSDA903
reversal reasons RD1-RD4); ``everything=True`` lists every plan change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from journeys.domain.errors import JourneyError
from journeys.domain.rules import ChildState, replay
from journeys.domain.timeline import Decision, Entry, decisions_at
from journeys.domain.vocabulary import ADOPTION, DECIDERS, RD_REASONS
from projections.metrics.figures import COUNT, Fact, Figure, Measure, fact, one
from projections.metrics.scope import of_las

# The stage the journey had reached when its plan changed, from the replayed state.
STAGE_AT_CHANGE: dict[str, str] = {
    "before-adm": "no adoption decision in force",
    "after-adm": "adoption decision made, no placement order",
    "after-po": "placement order made, not matched",
    "after-match": "matched, not yet placed",
    "after-placement": "placed for adoption",
}
_STAGE_OF_STATE = {
    "not-in-care": "before-adm",
    "in-care": "before-adm",
    "adoption-decision": "after-adm",
    "placement-order": "after-po",
    "matched": "after-match",
    "placed": "after-placement",
    # A decision after the end of a period of care is refused when recorded; kept for safety.
    "adopted": "after-adoption-order",
    "left-care": "after-leaving-care",
}
UNRECORDED = "unrecorded"

Stream = tuple[str, str, Sequence[Entry]]
T = TypeVar("T")


class InvalidWindow(JourneyError):
    """A report's dates are the wrong way round."""

    remedy = "give --from on or before --to"


def check_window(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise InvalidWindow(f"the window starts on {start}, after it ends on {end}")


@dataclass(frozen=True)
class PlanChange:
    """One `plan-change` decision in context."""

    la: str
    child: str
    seq: int
    on: date
    plan_before: str | None
    plan_after: str
    plan_since: date | None
    stage: str
    adoption_decision: date | None
    reason: str | None
    decided_by: str | None
    outcome: str | None
    stream_id: str = ""  # the journey's stream id (as the plan_change table keys its rows)

    @property
    def away_from_adoption(self) -> bool:
        return self.plan_before == ADOPTION and self.plan_after != ADOPTION

    @property
    def days_on_plan(self) -> int | None:
        """Days from the start of the abandoned plan (when it became the plan) to the change."""
        return (self.on - self.plan_since).days if self.plan_since else None

    @property
    def days_since_adoption_decision(self) -> int | None:
        return (self.on - self.adoption_decision).days if self.adoption_decision else None

    def as_json(self) -> dict[str, Any]:
        return {
            "la": self.la,
            "child": self.child,
            "seq": self.seq,
            "date": self.on,
            "plan_before": self.plan_before,
            "plan_after": self.plan_after,
            "away_from_adoption": self.away_from_adoption,
            "stage": self.stage,
            "reason": self.reason,
            "decided_by": self.decided_by,
            "outcome": self.outcome,
            "plan_since": self.plan_since,
            "days_on_plan": self.days_on_plan,
            "adoption_decision": self.adoption_decision,
            "days_since_adoption_decision": self.days_since_adoption_decision,
        }


def adoption_decision_in_force(state: ChildState) -> date | None:
    """The adoption decision behind the current adoption plan: the first one in the current
    period of care made on or after adoption became the plan (None if there is none)."""
    period = state.current_period
    if state.plan != ADOPTION or period is None or state.plan_since is None:
        return None
    since = state.plan_since
    return next((d.on for d in period.decisions if d.kind == "adoption-decision" and d.on >= since), None)


def child_plan_changes(la: str, child: str, decisions: Sequence[Decision], stream_id: str = "") -> list[PlanChange]:
    """Every plan change of one child, each described by the decisions before it."""
    rows = []
    for index, decision in enumerate(decisions):
        if decision.kind != "plan-change":
            continue
        before = replay(decisions[:index])
        fields = decision.fields
        rows.append(
            PlanChange(
                la=la,
                child=child,
                seq=decision.seq,
                on=decision.on,
                plan_before=before.plan,
                plan_after=str(fields["to"]),
                plan_since=before.plan_since,
                stage=_STAGE_OF_STATE.get(before.stage, before.stage),
                adoption_decision=adoption_decision_in_force(before),
                reason=fields.get("reason"),
                decided_by=fields.get("decided_by"),
                outcome=fields.get("outcome"),
                stream_id=stream_id,
            )
        )
    return rows


def groups(items: Iterable[T], value: Callable[[T], str | None], always: Iterable[str] = ()) -> dict[str, list[T]]:
    """``items`` grouped by ``value``, the groups of ``always`` first (empty when absent), then
    the rest by size; a missing value counts as ``unrecorded``."""
    found: dict[str, list[T]] = {}
    for item in items:
        found.setdefault(value(item) or UNRECORDED, []).append(item)
    result = {key: found.pop(key, []) for key in always}
    result.update(sorted(found.items(), key=lambda group: (-len(group[1]), group[0])))
    return result


def counts(values: Iterable[str | None], always: Iterable[str] = ()) -> dict[str, int]:
    """Counts by value, listing ``always`` first (zero when absent), then the rest by
    frequency; a missing value counts as ``unrecorded``."""
    return {key: len(group) for key, group in groups(values, lambda v: v, always).items()}


def _change_who(c: PlanChange) -> tuple[str, str, int | None]:
    return c.la, c.child, None


def _change_facts(c: PlanChange) -> list[Fact]:
    return fact("plan change", c.on, "plan-change", seq=c.seq) + fact(
        "adoption decision in force", c.adoption_decision, "adoption-decision"
    )


CHANGE: Measure[PlanChange] = Measure("plan changes", COUNT, one, _change_facts, _change_who)
# The report's totals by a field of the change (JSON key, the field, the values always listed).
BREAKDOWNS: tuple[tuple[str, Callable[[PlanChange], str | None], Iterable[str]], ...] = (
    ("by_reason", lambda c: c.reason, RD_REASONS),
    ("by_decider", lambda c: c.decided_by, DECIDERS),
    ("by_stage", lambda c: c.stage, STAGE_AT_CHANGE),
    ("by_outcome", lambda c: c.outcome, ()),
)


@dataclass
class PlanChangeReport:
    start: date | None
    end: date | None
    la: str | None
    known_at: datetime | None
    everything: bool
    changes: list[PlanChange] = field(default_factory=list)
    others: list[PlanChange] = field(default_factory=list)  # in the window, not counted (not away from adoption)
    explain: dict[str, Any] | None = None  # each figure's children, when asked for (the read side fills it)

    @property
    def total(self) -> int:
        return len(self.changes)

    @property
    def other_plan_changes(self) -> int:
        return len(self.others)

    def by_reason(self) -> dict[str, int]:
        return counts((c.reason for c in self.changes), RD_REASONS)

    def by_decider(self) -> dict[str, int]:
        return counts((c.decided_by for c in self.changes), DECIDERS)

    def by_stage(self) -> dict[str, int]:
        return counts((c.stage for c in self.changes), STAGE_AT_CHANGE)

    def by_outcome(self) -> dict[str, int]:
        return counts(c.outcome for c in self.changes)

    def figures(self) -> list[Figure[PlanChange]]:
        """The report's figures (``total``, ``by_reason.RD1``..., ``other_plan_changes``),
        each with the plan changes it counts."""
        found = [CHANGE.over("total", self.changes, "plan changes counted")]
        for name, value, always in BREAKDOWNS:
            for key, group in groups(self.changes, value, always).items():
                found.append(CHANGE.over(f"{name}.{key}", group, f"{name.replace('_', ' ')} {key}"))
        found.append(CHANGE.over("other_plan_changes", self.others, "other plan changes (not counted)"))
        return found

    def as_json(self) -> dict[str, Any]:
        figures = {f.key: f.value for f in self.figures()}

        def breakdown(name: str) -> dict[str, Any]:
            prefix = f"{name}."
            return {key[len(prefix) :]: value for key, value in figures.items() if key.startswith(prefix)}

        data = {
            "from": self.start,
            "to": self.end,
            "la": self.la,
            "known_at": self.known_at,
            "changes_counted": "all" if self.everything else "away-from-adoption",
            "total": figures["total"],
            "by_reason": breakdown("by_reason"),
            "by_decider": breakdown("by_decider"),
            "by_stage": breakdown("by_stage"),
            "by_outcome": breakdown("by_outcome"),
            "other_plan_changes": figures["other_plan_changes"],
            "changes": [c.as_json() for c in self.changes],
        }
        return data if self.explain is None else {**data, "explain": self.explain}


def plan_changes(
    streams: Iterable[Stream],
    *,
    start: date | None = None,
    end: date | None = None,
    la: str | None = None,
    known_at: datetime | None = None,
    everything: bool = False,
) -> PlanChangeReport:
    """The plan changes that took effect between ``start`` and ``end`` (inclusive; open when
    None) as known at ``known_at``, for one local authority or all of them, replayed from
    the children's streams.

    By default only changes away from adoption are listed and counted; the others are
    counted in ``other_plan_changes``. With ``everything`` every plan change is listed.
    """
    found = (  # lazily: report_of checks the window before any stream is read
        change
        for code, child, entries in of_las(streams, [la] if la else [])
        for change in child_plan_changes(code, child, decisions_at(entries, known_at=known_at))
    )
    return report_of(found, start=start, end=end, la=la, known_at=known_at, everything=everything)


def report_of(
    changes: Iterable[PlanChange],
    *,
    start: date | None,
    end: date | None,
    la: str | None,
    known_at: datetime | None,
    everything: bool,
) -> PlanChangeReport:
    """:func:`plan_changes`' report from plan changes already described (replayed, or read
    from the ``plan_change`` table), of the local authority asked for."""
    check_window(start, end)
    report = PlanChangeReport(start, end, la, known_at, everything)
    for change in changes:
        if (start is not None and change.on < start) or (end is not None and change.on > end):
            continue
        if everything or change.away_from_adoption:
            report.changes.append(change)
        else:
            report.others.append(change)
    report.changes.sort(key=_in_order)
    report.others.sort(key=_in_order)
    return report


def _in_order(change: PlanChange) -> tuple[date, str, str, int]:
    return change.on, change.la, change.child, change.seq
