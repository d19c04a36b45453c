"""How each placement-order cohort's waits ended, counting every way (`journeys cohort
--outcomes`): the Aalen-Johansen cumulative incidence of being matched, of the plan changing
away from adoption and of leaving care otherwise, 3, 6, 12 and 18 months after the placement
order, with 95% confidence intervals, and the probability of still waiting.

Each child's time runs from its placement order to the first of its match, the plan changing
away from adoption, or leaving care other than by adoption, as :mod:`projections.metrics.cohorts`
counts it; a child still waiting at the census is censored there. A month is 365.25/12 days, in
whole days: 3, 6, 12 and 18 months are 91, 182, 365 and 547 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from journeys.domain.vocabulary import ADOPTION
from projections.metrics.cohorts import MATCHED, WAITING, CohortChild
from projections.metrics.incidence import Estimate, aalen_johansen

PLAN_CHANGED, LEFT_CARE = "plan_changed", "left_care"
EXITS = (MATCHED, PLAN_CHANGED, LEFT_CARE)  # the ways a wait ends, as the JSON names them
EXIT_LABELS = {MATCHED: "matched", PLAN_CHANGED: "plan changed", LEFT_CARE: "left care otherwise"}
MONTHS = (3, 6, 12, 18)
DAYS_PER_MONTH = 365.25 / 12


def horizon_days(months: int) -> int:
    """The whole days of ``months`` months after the placement order."""
    return int(months * DAYS_PER_MONTH)


def exit_of(child: CohortChild) -> str | None:
    """How the child's wait ended by the census (None: still waiting). A plan change away from
    adoption on the day the child left care counts as the plan change."""
    if child.status == MATCHED:
        return MATCHED
    if child.status == WAITING or child.row is None:
        return None
    po = child.placement_order
    plan_exit = next((on for on, to in child.row.plan_events if on >= po and to != ADOPTION), None)
    return PLAN_CHANGED if plan_exit is not None and (plan_exit - po).days == child.days else LEFT_CARE


def _estimate_json(months: int, found: Estimate | None) -> dict[str, Any]:
    days = horizon_days(months)
    if found is None:
        return {"months": months, "days": days, "incidence": None, "variance": None, "lower": None, "upper": None}
    return {
        "months": months,
        "days": days,
        "incidence": found.incidence,
        "variance": found.variance,
        "lower": found.lower,
        "upper": found.upper,
    }


def outcomes(children: Sequence[CohortChild]) -> dict[str, Any]:
    """One cohort's outcomes: for each exit, its incidence at each horizon (None beyond the
    longest wait followed), and ``waiting``: the probability of still waiting there."""
    estimate = aalen_johansen([c.days for c in children], [exit_of(c) for c in children], EXITS)
    found: dict[str, Any] = {}
    for cause in EXITS:
        found[cause] = [
            _estimate_json(m, estimate.at(cause, horizon_days(m)) if estimate.observable(horizon_days(m)) else None)
            for m in MONTHS
        ]
    found["waiting"] = [
        {
            "months": m,
            "days": horizon_days(m),
            "probability": estimate.still_waiting(horizon_days(m)) if estimate.observable(horizon_days(m)) else None,
        }
        for m in MONTHS
    ]
    return found
