"""The adoption scorecard (A1, A2, A3, A10) over children adopted in a window.

Pure functions over :class:`~projections.summary.PeriodSummary` rows; no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import fmean
from typing import Any

from projections.calendar import add_months
from projections.summary import PeriodSummary
from projections.thresholds import Thresholds


@dataclass(frozen=True)
class ChildDelay:
    """One adopted child's contribution to the scorecard."""

    la: str
    child: str
    adoption_order: date
    a1_days: int | None
    a2_days: int | None
    a3_in_time: bool | None
    a10_days: int | None


def a1_days(row: PeriodSummary) -> int | None:
    """Days from entering care to moving in with the adoptive family (the last placement)."""
    if row.entered_care is None or row.placed is None:
        return None
    return (row.placed - row.entered_care).days


def a10_days(row: PeriodSummary) -> int | None:
    """As A1, but ending when the child moved in with the foster carers who adopted it
    (never before entering care)."""
    if row.entered_care is None or row.placed is None:
        return None
    end = row.placed
    if row.with_foster_carers and row.carers_since is not None:
        end = max(row.carers_since, row.entered_care)
    return (end - row.entered_care).days


def a2_days(row: PeriodSummary) -> int | None:
    """Days from the court placement order to the match; 0 when matched before the order.
    None without a court order (parental consent is not court authority) or a match."""
    if row.placement_order is None or row.matched is None:
        return None
    return max(0, (row.matched - row.placement_order).days)


def placed_in_time(row: PeriodSummary, months: int) -> bool | None:
    """Whether the child was placed before entering care + N calendar months."""
    if row.entered_care is None or row.placed is None:
        return None
    return row.placed < add_months(row.entered_care, months)


def adopted_between(rows: Iterable[PeriodSummary], start: date, end: date) -> list[PeriodSummary]:
    return [r for r in rows if r.adoption_order is not None and start <= r.adoption_order <= end]


def child_delays(rows: Iterable[PeriodSummary], start: date, end: date, a3_months: int) -> list[ChildDelay]:
    delays = []
    for r in adopted_between(rows, start, end):
        assert r.adoption_order is not None
        in_time = placed_in_time(r, a3_months)
        delays.append(ChildDelay(r.la, r.child, r.adoption_order, a1_days(r), a2_days(r), in_time, a10_days(r)))
    return sorted(delays, key=lambda d: (d.adoption_order, d.la, d.child))


def _mean(values: list[int]) -> float | None:
    return fmean(values) if values else None


def scorecard(
    rows: Iterable[PeriodSummary], start: date, end: date, thresholds: Thresholds, a3_months: int | None = None
) -> dict[str, Any]:
    """The scorecard for children whose adoption order falls in [start, end].

    Keys are the report's JSON contract; means are unrounded.
    """
    months = a3_months if a3_months is not None else thresholds.a3_months
    delays = child_delays(rows, start, end, months)
    a1 = [d.a1_days for d in delays if d.a1_days is not None]
    a2 = [d.a2_days for d in delays if d.a2_days is not None]
    a10 = [d.a10_days for d in delays if d.a10_days is not None]
    in_time = sum(1 for d in delays if d.a3_in_time)
    a1_mean, a2_mean = _mean(a1), _mean(a2)

    def distance(mean: float | None, threshold: int | None) -> float | None:
        return None if mean is None or threshold is None else mean - threshold

    return {
        "from": start,
        "to": end,
        "adopted": len(delays),
        "A1": {
            "mean_days": a1_mean,
            "children": len(a1),
            "threshold": thresholds.a1_days,
            "distance": distance(a1_mean, thresholds.a1_days),
        },
        "A2": {
            "mean_days": a2_mean,
            "children": len(a2),
            "threshold": thresholds.a2_days,
            "distance": distance(a2_mean, thresholds.a2_days),
        },
        "A3": {"months": months, "count": in_time, "percent": 100.0 * in_time / len(a1) if a1 else None},
        "A10": {"mean_days": _mean(a10), "children": len(a10)},
        "thresholds_source": thresholds.source,
    }
