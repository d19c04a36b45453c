"""A child's periods of care as a person reads them: when each began and ended, how, its key
decisions and the adopters matched in it. A pure function of the replayed state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from journeys.domain.rules import ChildState, Period


@dataclass(frozen=True)
class CarePeriod:
    """One period of care (the first holds decisions made before the child entered care)."""

    number: int
    entered_care: date | None
    ended: date | None
    end_kind: str | None  # adoption-order or left-care
    left_care_reason: str | None
    adoption_decision: date | None  # the latest (a return to adoption makes a new one)
    placement_order: date | None  # the first court placement order
    consent: date | None  # the first placement under parental consent
    family_finding: date | None
    matched: date | None  # the match in force or last made
    placed: date | None  # the placement in force or last made
    adoption_order: date | None
    disruptions: tuple[date, ...]
    adopters: tuple[str, ...]  # every adopters' reference matched in the period, first first

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.number,
            "entered_care": self.entered_care,
            "ended": self.ended,
            "end_kind": self.end_kind,
            "left_care_reason": self.left_care_reason,
            "adoption_decision": self.adoption_decision,
            "placement_order": self.placement_order,
            "consent": self.consent,
            "family_finding": self.family_finding,
            "matched": self.matched,
            "placed": self.placed,
            "adoption_order": self.adoption_order,
            "disruptions": list(self.disruptions),
            "adopters": list(self.adopters),
        }


def _period(number: int, period: Period) -> CarePeriod:
    def first(kind: str) -> date | None:
        found = period.first(kind)
        return found.on if found else None

    def authority(which: str) -> date | None:
        orders = [d for d in period.decisions if d.kind == "placement-order"]
        found = [d for d in orders if (d.fields.get("authority") or "placement-order") == which]
        return found[0].on if found else None

    def last(kind: str) -> date | None:
        found = period.last(kind)
        return found.on if found else None

    left = period.first("left-care")
    matches = [d for d in period.decisions if d.kind == "match" and d.fields.get("adopters")]
    return CarePeriod(
        number,
        period.entered_care,
        period.ended,
        period.end_kind,
        (left.fields.get("reason_code") or None) if left else None,
        last("adoption-decision"),
        authority("placement-order"),
        authority("consent"),
        first("family-finding"),
        last("match"),
        last("placed"),
        first("adoption-order"),
        tuple(d.on for d in period.decisions if d.kind == "disruption"),
        tuple(dict.fromkeys(str(d.fields["adopters"]) for d in matches)),
    )


def care_periods(state: ChildState) -> list[CarePeriod]:
    """Every period of care of ``state``, the first first."""
    return [_period(number, period) for number, period in enumerate(state.periods, start=1)]
