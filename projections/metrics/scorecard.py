"""The adoption scorecard (A1, A2, A3, A10) over children adopted in a window.

Pure functions over :class:`~projections.metrics.summary.PeriodSummary` rows; no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from projections.metrics.figures import COUNT, MEAN, PERCENT, Fact, Figure, Measure, fact, one
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
    row: PeriodSummary | None = field(default=None, compare=False, repr=False)  # the row it is of


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
        delays.append(ChildDelay(r.la, r.child, r.adoption_order, a1_days(r), a2_days(r), in_time, a10_days(r), r))
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


def _row(d: ChildDelay) -> PeriodSummary:
    assert d.row is not None, "a scorecard figure is explained from the rows it was computed from"
    return d.row


def _who(d: ChildDelay) -> tuple[str, str, int | None]:
    return d.la, d.child, d.row.period if d.row is not None else None


def _adopted_facts(d: ChildDelay) -> list[Fact]:
    return fact("adoption order", d.adoption_order, "adoption-order")


def _care_to_placed(d: ChildDelay) -> list[Fact]:
    r = _row(d)
    return fact("entered care", r.entered_care, "entered-care") + fact("placed", r.placed, "placed")


def _po_to_match(d: ChildDelay) -> list[Fact]:
    r = _row(d)
    return fact("placement order", r.placement_order, "placement-order") + fact("matched", r.matched, "match")


def _in_time(d: ChildDelay) -> int | None:
    return None if d.a3_in_time is None else int(d.a3_in_time)


# The scorecard's figures, each a rule over the adopted children's delays (JSON paths as keys).
ADOPTED: Measure[ChildDelay] = Measure("adopted", COUNT, one, _adopted_facts, _who)
A1: Measure[ChildDelay] = Measure("A1 mean days care → placed", MEAN, lambda d: d.a1_days, _care_to_placed, _who)
A2: Measure[ChildDelay] = Measure("A2 mean days PO → match", MEAN, lambda d: d.a2_days, _po_to_match, _who)
A3_COUNT: Measure[ChildDelay] = Measure(
    "A3 placed within N months", COUNT, lambda d: 1 if d.a3_in_time else None, _care_to_placed, _who
)
A3_PERCENT: Measure[ChildDelay] = Measure("A3 percent", PERCENT, _in_time, _care_to_placed, _who)
A10: Measure[ChildDelay] = Measure("A10 mean days", MEAN, lambda d: d.a10_days, _care_to_placed, _who)
MEASURES: dict[str, Measure[ChildDelay]] = {
    "adopted": ADOPTED,
    "A1.mean_days": A1,
    "A2.mean_days": A2,
    "A3.count": A3_COUNT,
    "A3.percent": A3_PERCENT,
    "A10.mean_days": A10,
}


def figures_of(delays: Iterable[ChildDelay], months: int | None = None) -> list[Figure[ChildDelay]]:
    """The scorecard's figures over the delays (A3 for ``months``), with the children each counts."""
    listed = list(delays)
    a3 = f"A3 placed within {months} months" if months is not None else None
    return [measure.over(key, listed, a3 if key == "A3.count" else None) for key, measure in MEASURES.items()]


def totals_from(figures: Sequence[Figure[ChildDelay]]) -> Totals:
    """The totals the figures are made of (``figures`` as :func:`figures_of` gives them)."""
    by_key = {f.key: f.counted for f in figures}

    def total(key: str) -> int:
        return sum(int(value) for _, value in by_key[key])

    return Totals(
        len(by_key["adopted"]),
        len(by_key["A1.mean_days"]),
        total("A1.mean_days"),
        len(by_key["A2.mean_days"]),
        total("A2.mean_days"),
        len(by_key["A10.mean_days"]),
        total("A10.mean_days"),
        len(by_key["A3.count"]),
    )


def totals_of(delays: Iterable[ChildDelay]) -> Totals:
    return totals_from(figures_of(delays))


def _mean(total: int, count: int) -> float | None:
    # the same float as statistics.fmean of the values (an exact integer sum, one division)
    return total / count if count else None


def scorecard(
    rows: Iterable[PeriodSummary], start: date, end: date, thresholds: Thresholds, a3_months: int | None = None
) -> dict[str, Any]:
    """The scorecard for children whose adoption order falls in [start, end].

    Keys are the report's JSON contract; means are unrounded.
    """
    return explained(rows, start, end, thresholds, a3_months)[0]


def explained(
    rows: Iterable[PeriodSummary], start: date, end: date, thresholds: Thresholds, a3_months: int | None = None
) -> tuple[dict[str, Any], list[Figure[ChildDelay]]]:
    """:func:`scorecard` and its figures, each with the children it counts (the report's
    numbers are made of the figures' lists)."""
    months = a3_months if a3_months is not None else thresholds.a3_months
    delays = child_delays(rows, start, end, months)
    figures = figures_of(delays, months)
    card = from_totals(totals_from(figures), start, end, thresholds, months)
    return with_start_not_known(card, start_not_known(delays)), figures


def start_not_known(delays: Iterable[ChildDelay]) -> int:
    """How many of the children A1, A3 and A10 count (entered care and placed) have a start of
    care only bounded: the start is on or before the date the figures measure from, so their
    days are at least those counted (a 903 return that does not hold the start; docs/ssda903.md)."""
    return sum(1 for d in delays if d.a1_days is not None and d.row is not None and d.row.start_bounded)


def with_start_not_known(card: dict[str, Any], count: int) -> dict[str, Any]:
    """The scorecard's JSON with ``start_not_known`` (a count of the children each figure
    measures from entering care whose start of care is not yet known) in A1, A3 and A10."""
    for figure in ("A1", "A3", "A10"):
        card[figure]["start_not_known"] = count
    return card


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
