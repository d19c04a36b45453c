"""The adoption scorecard (A1, A2, A3, A10) over children adopted in a window.

Pure functions over :class:`~projections.metrics.summary.PeriodSummary` rows; no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from projections.metrics.periods import add_months
from projections.metrics.summary import PeriodSummary
from projections.metrics.thresholds import Thresholds


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


def months_to_place(row: PeriodSummary) -> int | None:
    """The fewest calendar months N for which :func:`placed_in_time` holds, so that
    ``placed_in_time(row, N) == (months_to_place(row) <= N)`` for every N (the aggregate
    tables keep this one number per child so A3 can be counted for any N)."""
    if row.entered_care is None or row.placed is None:
        return None
    entered, placed = row.entered_care, row.placed
    # entered + (diff - 1) months falls in the month before ``placed``; entered + (diff + 1)
    # months in the month after it: the answer is diff or diff + 1.
    diff = (placed.year - entered.year) * 12 + placed.month - entered.month
    return diff if placed < add_months(entered, diff) else diff + 1


def adopted_between(rows: Iterable[PeriodSummary], start: date, end: date) -> list[PeriodSummary]:
    return [r for r in rows if r.adoption_order is not None and start <= r.adoption_order <= end]


def child_delays(rows: Iterable[PeriodSummary], start: date, end: date, a3_months: int) -> list[ChildDelay]:
    delays = []
    for r in adopted_between(rows, start, end):
        assert r.adoption_order is not None
        in_time = placed_in_time(r, a3_months)
        delays.append(ChildDelay(r.la, r.child, r.adoption_order, a1_days(r), a2_days(r), in_time, a10_days(r)))
    return sorted(delays, key=lambda d: (d.adoption_order, d.la, d.child))


@dataclass(frozen=True)
class Totals:
    """Counts and sums the scorecard's figures are made of (so they can be added up)."""

    adopted: int = 0
    a1_children: int = 0
    a1_days: int = 0
    a2_children: int = 0
    a2_days: int = 0
    a10_children: int = 0
    a10_days: int = 0
    in_time: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Totals)))


def totals_of(delays: Iterable[ChildDelay]) -> Totals:
    listed = list(delays)
    a1 = [d.a1_days for d in listed if d.a1_days is not None]
    a2 = [d.a2_days for d in listed if d.a2_days is not None]
    a10 = [d.a10_days for d in listed if d.a10_days is not None]
    in_time = sum(1 for d in listed if d.a3_in_time)
    return Totals(len(listed), len(a1), sum(a1), len(a2), sum(a2), len(a10), sum(a10), in_time)


def _mean(total: int, count: int) -> float | None:
    # the same float as statistics.fmean of the values (an exact integer sum, one division)
    return total / count if count else None


def scorecard(
    rows: Iterable[PeriodSummary], start: date, end: date, thresholds: Thresholds, a3_months: int | None = None
) -> dict[str, Any]:
    """The scorecard for children whose adoption order falls in [start, end].

    Keys are the report's JSON contract; means are unrounded.
    """
    months = a3_months if a3_months is not None else thresholds.a3_months
    return from_totals(totals_of(child_delays(rows, start, end, months)), start, end, thresholds, months)


def from_totals(t: Totals, start: date, end: date, thresholds: Thresholds, months: int) -> dict[str, Any]:
    """The scorecard's JSON from its totals (A3 counted for ``months``)."""
    a1_mean, a2_mean = _mean(t.a1_days, t.a1_children), _mean(t.a2_days, t.a2_children)

    def distance(mean: float | None, threshold: int | None) -> float | None:
        return None if mean is None or threshold is None else mean - threshold

    return {
        "from": start,
        "to": end,
        "adopted": t.adopted,
        "A1": {
            "mean_days": a1_mean,
            "children": t.a1_children,
            "threshold": thresholds.a1_days,
            "distance": distance(a1_mean, thresholds.a1_days),
        },
        "A2": {
            "mean_days": a2_mean,
            "children": t.a2_children,
            "threshold": thresholds.a2_days,
            "distance": distance(a2_mean, thresholds.a2_days),
        },
        "A3": {
            "months": months,
            "count": t.in_time,
            "percent": 100.0 * t.in_time / t.a1_children if t.a1_children else None,
        },
        "A10": {"mean_days": _mean(t.a10_days, t.a10_children), "children": t.a10_children},
        "thresholds_source": thresholds.source,
    }
