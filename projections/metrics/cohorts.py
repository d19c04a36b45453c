"""Prospective placement-order cohorts: children whose first court placement order falls in a
financial year (or a window), observed at a census date.

The census is the date of observation: nothing that takes effect after it counts. Children
not yet matched are reported as waiting (censored at the census) or exited (censored when
adoption stopped being the plan or they left care), never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import fmean
from typing import Any

from projections.metrics import km
from projections.metrics.periods import financial_year_label, financial_year_start
from projections.metrics.summary import PeriodSummary

MATCHED, WAITING, EXITED = "matched", "waiting", "exited"


@dataclass(frozen=True)
class CohortChild:
    la: str
    child: str
    placement_order: date
    status: str  # matched, waiting or exited at the census
    days: int  # to the match, the census (waiting) or the exit (exited)
    disruptions: int
    harder_to_place: bool


def observe(row: PeriodSummary, census: date) -> CohortChild | None:
    """A child's place in its PO cohort at the census (None if no court PO by then)."""
    po = row.placement_order
    if po is None or po > census:
        return None
    disruptions = sum(1 for d in row.disruption_dates if po <= d <= census)
    exit_on = row.left_adoption_on(po)
    if row.po_match is not None and row.po_match <= census:
        status, days = MATCHED, max(0, (row.po_match - po).days)
    elif exit_on is not None and exit_on <= census:
        status, days = EXITED, (exit_on - po).days
    else:
        status, days = WAITING, (census - po).days
    return CohortChild(row.la, row.child, po, status, days, disruptions, bool(row.harder_to_place))


def cohort_row(label: str, children: list[CohortChild]) -> dict[str, Any]:
    """One cohort's figures; keys are the report's JSON contract, means unrounded."""
    matched = [c.days for c in children if c.status == MATCHED]
    waiting = [c.days for c in children if c.status == WAITING]
    return {
        "year": label,
        "placement_orders": len(children),
        "matched": len(matched),
        "mean_days_po_to_match": fmean(matched) if matched else None,
        "waiting": len(waiting),
        "exited": sum(1 for c in children if c.status == EXITED),
        "km_median_days": km.median([c.days for c in children], [c.status == MATCHED for c in children])
        if children
        else None,
        "mean_days_with_waiting": fmean(matched + waiting) if matched or waiting else None,
        "disrupted": sum(c.disruptions for c in children),
        "harder_to_place": sum(1 for c in children if c.harder_to_place),
    }


def observed(rows: Iterable[PeriodSummary], census: date) -> list[CohortChild]:
    found = [c for r in rows if (c := observe(r, census)) is not None]
    return sorted(found, key=lambda c: (c.placement_order, c.la, c.child))


def by_po_year(rows: Iterable[PeriodSummary], census: date) -> dict[str, Any]:
    """One cohort per financial year of the placement order, oldest first."""
    years: dict[int, list[CohortChild]] = {}
    for child in observed(rows, census):
        years.setdefault(financial_year_start(child.placement_order), []).append(child)
    return {
        "census": census,
        "rows": [cohort_row(financial_year_label(year), years[year]) for year in sorted(years)],
    }


def in_window(rows: Iterable[PeriodSummary], census: date, start: date, end: date) -> dict[str, Any]:
    """One cohort: placement orders made from ``start`` to ``end``."""
    children = [c for c in observed(rows, census) if start <= c.placement_order <= end]
    return {"census": census, "rows": [cohort_row(f"{start.isoformat()} to {end.isoformat()}", children)]}
