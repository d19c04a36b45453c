"""Children waiting at a date, decision counts per financial quarter or year, and stage
durations. Pure functions over summary rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from statistics import fmean
from statistics import median as _median
from typing import Any

from journeys.domain.vocabulary import ADOPTION
from projections.metrics.periods import add_months, financial_quarter, financial_year_label, financial_year_start
from projections.metrics.summary import PeriodSummary

LONG_WAIT_DAYS = 90
LONG_CARE_MONTHS = 18


def _days(start: date | None, end: date) -> int | None:
    return None if start is None else (end - start).days


def waiting(rows: Iterable[PeriodSummary], as_at: date) -> dict[str, Any]:
    """Children in care on ``as_at`` with an adoption decision or authority to place in force,
    not placed for adoption, adoption still the plan."""
    children: list[dict[str, Any]] = []
    for r in rows:
        if r.entered_care is None or r.entered_care > as_at or (r.ended is not None and r.ended <= as_at):
            continue
        adm = max((on for on, kind in r.timeline if kind == "adoption-decision" and on <= as_at), default=None)
        po = r.placement_order if r.placement_order is not None and r.placement_order <= as_at else None
        consent = r.consent if r.consent is not None and r.consent <= as_at else None
        if adm is None and po is None and consent is None:
            continue
        if r.plan_on(as_at) != ADOPTION or r.placed_on(as_at):
            continue
        since = min(d for d in (adm, po, consent) if d is not None)
        children.append(
            {
                "la": r.la,
                "child": r.child,
                "entered_care": r.entered_care,
                "adoption_decision": adm,
                "placement_order": po or consent,
                "matched": any(kind == "match" and on <= as_at for on, kind in r.timeline),
                "days_since_adm": _days(adm, as_at),
                "days_since_po": _days(po or consent, as_at),
                "days_in_care": (as_at - r.entered_care).days,
                "over_90_days": (as_at - since).days > LONG_WAIT_DAYS,
                "over_18_months_in_care": as_at >= add_months(r.entered_care, LONG_CARE_MONTHS),
            }
        )
    children.sort(key=lambda c: (-int(c["days_in_care"]), str(c["la"]), str(c["child"])))
    return {
        "as_at": as_at,
        "waiting": len(children),
        "over_90_days": sum(1 for c in children if c["over_90_days"]),
        "over_18_months_in_care": sum(1 for c in children if c["over_18_months_in_care"]),
        "children": children,
    }


COUNT_KEYS = {
    "adoption-decision": "adoption_decisions",
    "placement-order": "placement_orders",
    "consent": "consents",
    "match": "matches",
    "placed": "placements",
    "adoption-order": "adoption_orders",
    "reversal": "reversals",
}


def period_label(day: date, by: str) -> str:
    label = financial_year_label(financial_year_start(day))
    return f"{label} Q{financial_quarter(day)}" if by == "quarter" else label


def counts(rows: Iterable[PeriodSummary], by: str = "quarter") -> dict[str, Any]:
    """Decisions per financial quarter (``by="quarter"``) or year (``by="year"``)."""
    if by not in ("quarter", "year"):
        raise ValueError(f"by must be quarter or year, not {by!r}")
    table: dict[str, dict[str, int]] = {}
    for r in rows:
        for on, kind in r.timeline:
            key = COUNT_KEYS.get(kind)
            if key is None:
                continue
            label = period_label(on, by)
            row = table.setdefault(label, dict.fromkeys(COUNT_KEYS.values(), 0))
            row[key] += 1
    return {"by": by, "rows": [{"period": label, **table[label]} for label in sorted(table)]}


STAGE_DURATIONS = (
    ("care_to_adm", "entered care → adoption decision"),
    ("adm_to_po", "adoption decision → placement order"),
    ("po_to_match", "placement order → match"),
    ("match_to_placed", "match → placed"),
    ("placed_to_ao", "placed → adoption order"),
)


def stage_days(r: PeriodSummary) -> dict[str, int | None]:
    """Days in each stage for one period (None where a stage has not both ends)."""
    authority = r.authority

    def span(start: date | None, end: date | None) -> int | None:
        return None if start is None or end is None else max(0, (end - start).days)

    return {
        "care_to_adm": span(r.entered_care, r.adoption_decision),
        "adm_to_po": span(r.adoption_decision, authority),
        "po_to_match": span(authority, r.po_match if r.placement_order else r.matched),
        "match_to_placed": span(r.matched, r.placed),
        "placed_to_ao": span(r.placed, r.adoption_order),
    }


def stages(rows: Iterable[PeriodSummary], start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Mean and median days in each stage. With a window, the cohort is the children adopted
    in it; otherwise every period with both ends of a stage counts for that stage."""
    cohort = [
        r
        for r in rows
        if start is None or (r.adoption_order is not None and start <= r.adoption_order <= (end or r.adoption_order))
    ]
    per_stage: dict[str, list[int]] = {key: [] for key, _ in STAGE_DURATIONS}
    for r in cohort:
        for key, days in stage_days(r).items():
            if days is not None:
                per_stage[key].append(days)
    result: list[dict[str, Any]] = []
    for key, label in STAGE_DURATIONS:
        values = per_stage[key]
        result.append(
            {
                "stage": key,
                "label": label,
                "children": len(values),
                "mean_days": fmean(values) if values else None,
                "median_days": float(_median(values)) if values else None,
                "max_days": max(values) if values else None,
            }
        )
    means = {str(s["stage"]): s["mean_days"] for s in result if isinstance(s["mean_days"], float)}
    slowest = max(means, key=lambda k: means[k]) if means else None
    return {"from": start, "to": end, "cohort": len(cohort), "stages": result, "slowest": slowest}
