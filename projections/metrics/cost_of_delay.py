"""The cost of delay (`journeys cost`): the days in care a placement-order cohort spent from the
PO to its match (and to its placement), against a baseline cohort's mean, priced at a unit cost.

Both cohorts are children whose first court placement order fell in a financial year, observed
at a census, as :mod:`projections.metrics.cohorts` counts them. For each child of the compared
cohort matched by the census, the days saved are the baseline's mean days PO→match less the
child's own (fewer than the mean: days saved; more: days lost, negative); the cost avoided is
those days at the rate's daily amount. The same is done from the PO to the first placement after
the match. Children not matched by the census do not count (their wait is not over).

The journey records no placement type for a child in care (foster care, agency, children's home),
so every child is costed at the chosen rate. Days and money are exact fractions here; they are
rounded (money to the penny) only when shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from projections.metrics.cohorts import EXITED, MATCHED, WAITING, CohortChild, observed
from projections.metrics.figures import MEAN, SUM, Fact, Figure, Measure, fact
from projections.metrics.periods import PeriodError, financial_year_label, financial_year_start, parse_period
from projections.metrics.summary import PeriodSummary
from projections.metrics.unit_costs import Rate, exact, pounds

BAND = Fraction(20, 100)  # the sensitivity band: the rate 20% lower and higher


def one_year(text: str, option: str) -> int:
    """The start of the one financial year ``text`` names (``2014-15`` -> 2014)."""
    try:
        first, last = parse_period(text)
    except PeriodError:
        raise PeriodError(f"{option} {text!r} is not a financial year", "write it as YYYY-YY, e.g. 2014-15") from None
    if last.year != first.year + 1:
        raise PeriodError(f"{option} {text!r} is more than one financial year", "give one year, e.g. 2014-15")
    return first.year


@dataclass(frozen=True)
class Timed:
    """A cohort child with its days from the PO to its match and to its first placement after it
    (None when not matched, or not placed, by the census)."""

    child: CohortChild
    to_match: int | None
    to_placed: int | None
    placed_on: date | None


def timed(child: CohortChild) -> Timed:
    if child.status != MATCHED or child.row is None:
        return Timed(child, None, None, None)
    match = child.row.po_match
    census = child.census
    placed = min(
        (
            on
            for on, kind in child.row.timeline
            if kind == "placed" and match is not None and on >= match and (census is None or on <= census)
        ),
        default=None,
    )
    days = None if placed is None else max(0, (placed - child.placement_order).days)
    return Timed(child, child.days, days, placed)


@dataclass(frozen=True)
class Costed:
    """A compared child: its days, the days saved against the baseline means and their cost."""

    timed: Timed
    saved: Fraction
    saved_to_placed: Fraction | None
    rate: Rate

    @property
    def cost(self) -> Fraction:
        return self.saved * self.rate.per_day

    @property
    def cost_to_placed(self) -> Fraction | None:
        return None if self.saved_to_placed is None else self.saved_to_placed * self.rate.per_day


def _mean(values: list[int]) -> Fraction | None:
    return Fraction(sum(values), len(values)) if values else None


def _who(t: Timed | Costed) -> tuple[str, str, int | None]:
    c = (t.timed if isinstance(t, Costed) else t).child
    return c.la, c.child, c.row.period if c.row is not None else None


def _to_match(t: Timed | Costed) -> list[Fact]:
    x = t.timed if isinstance(t, Costed) else t
    po = fact("placement order", x.child.placement_order, "placement-order")
    return po + fact("matched", x.child.row.po_match if x.child.row else None, "match")


def _to_placed(t: Timed | Costed) -> list[Fact]:
    x = t.timed if isinstance(t, Costed) else t
    return _to_match(t) + fact("placed", x.placed_on, "placed")


def _scaled(by: Fraction, value: Callable[[Costed], Fraction | None]) -> Callable[[Costed], Fraction | None]:
    return lambda c: None if (v := value(c)) is None else v * by


LOW, HIGH = 1 - BAND, 1 + BAND
COHORT_MEASURES: dict[str, Measure[Timed]] = {
    "mean_days_po_to_match": Measure("mean days PO→match", MEAN, lambda t: t.to_match, _to_match, _who),
    "mean_days_po_to_placed": Measure("mean days PO→placed", MEAN, lambda t: t.to_placed, _to_placed, _who),
}
SAVING_MEASURES: dict[str, Measure[Costed]] = {
    "days_saved": Measure("days saved (PO→match)", SUM, lambda c: c.saved, _to_match, _who),
    "days_saved_to_placed": Measure("days saved (PO→placed)", SUM, lambda c: c.saved_to_placed, _to_placed, _who),
    "cost_avoided": Measure("cost avoided (PO→match)", SUM, lambda c: c.cost, _to_match, _who),
    "cost_avoided_low": Measure("cost avoided, rate -20%", SUM, _scaled(LOW, lambda c: c.cost), _to_match, _who),
    "cost_avoided_high": Measure("cost avoided, rate +20%", SUM, _scaled(HIGH, lambda c: c.cost), _to_match, _who),
    "cost_avoided_to_placed": Measure("cost avoided (PO→placed)", SUM, lambda c: c.cost_to_placed, _to_placed, _who),
}
MONEY = frozenset({"cost_avoided", "cost_avoided_low", "cost_avoided_high", "cost_avoided_to_placed"})


def _cohort(children: list[CohortChild], year: int) -> list[Timed]:
    return [timed(c) for c in children if financial_year_start(c.placement_order) == year]


def _cohort_json(label: str, figures: dict[str, Figure[Timed]], members: list[Timed]) -> dict[str, Any]:
    means = {key: figures[key].value for key in COHORT_MEASURES}
    return {
        "year": label,
        "placement_orders": len(members),
        "matched": sum(1 for t in members if t.child.status == MATCHED),
        "placed": sum(1 for t in members if t.to_placed is not None),
        "waiting": sum(1 for t in members if t.child.status == WAITING),
        "exited": sum(1 for t in members if t.child.status == EXITED),
        **means,
    }


def cost_of_delay(
    rows: Iterable[PeriodSummary],
    *,
    census: date,
    baseline: int,
    compare: int,
    rate: Rate,
    contract_cost: Decimal | None = None,
) -> tuple[dict[str, Any], list[Figure[Any]]]:
    """The report and its figures: the two cohorts (``baseline``, ``compare``: the financial
    years' first calendar years), each compared child's days saved and cost avoided, and the totals."""
    children = observed(rows, census)
    base, other = _cohort(children, baseline), _cohort(children, compare)
    labels = financial_year_label(baseline), financial_year_label(compare)
    figures: list[Figure[Any]] = []
    cohorts = {}
    for name, label, members in (("baseline", labels[0], base), ("compare", labels[1], other)):
        made = {key: m.over(f"{name}.{key}", members, f"{label}: {m.label}") for key, m in COHORT_MEASURES.items()}
        figures.extend(made.values())
        cohorts[name] = _cohort_json(label, made, members)
    mean_match = _mean([t.to_match for t in base if t.to_match is not None])
    mean_placed = _mean([t.to_placed for t in base if t.to_placed is not None])
    costed = [
        Costed(
            t,
            mean_match - t.to_match,
            None if mean_placed is None or t.to_placed is None else mean_placed - t.to_placed,
            rate,
        )
        for t in other
        if t.to_match is not None and mean_match is not None
    ]
    totals = {key: m.over(key, costed) for key, m in SAVING_MEASURES.items()}
    figures.extend(totals.values())
    values = {key: Fraction(f.value or 0) for key, f in totals.items()}
    report: dict[str, Any] = {
        "census": census,
        "rate": rate.json(),
        "baseline": cohorts["baseline"],
        "compare": cohorts["compare"],
        "children": [_child_json(c) for c in costed],
        **{key: pounds(v) if key in MONEY else float(v) for key, v in values.items()},
        "band_percent": int(BAND * 100),
        "contract_cost": None if contract_cost is None else pounds(Fraction(contract_cost)),
        "net_of_contract": None,
        "exact": {key: exact(v) for key, v in values.items()},
    }
    if contract_cost is not None:
        net = values["cost_avoided"] - Fraction(contract_cost)
        report["net_of_contract"] = pounds(net)
        report["exact"]["net_of_contract"] = exact(net)
    return report, figures


def _child_json(c: Costed) -> dict[str, Any]:
    t = c.timed
    return {
        "la": t.child.la,
        "child": t.child.child,
        "placement_order": t.child.placement_order,
        "days_po_to_match": t.to_match,
        "days_po_to_placed": t.to_placed,
        "days_saved": float(c.saved),
        "days_saved_to_placed": None if c.saved_to_placed is None else float(c.saved_to_placed),
        "placement_type": None,  # not recorded by the journey: costed at the chosen rate
        "rate": c.rate.name,
        "cost_avoided": pounds(c.cost),
        "cost_avoided_to_placed": None if c.cost_to_placed is None else pounds(c.cost_to_placed),
    }


def exact_explained(explained: dict[str, Any]) -> dict[str, Any]:
    """The explained figures with their exact values shown: money to the penny and days as
    decimals, each figure and row keeping its exact fraction under ``"exact"``."""
    for key, figure in explained.items():
        show: Callable[[Fraction], Any] = pounds if key in MONEY else float
        if isinstance(figure["value"], Fraction):
            figure["exact"] = exact(figure["value"])
            figure["value"] = show(figure["value"])
        elif figure["aggregate"] == SUM:  # nobody counted: an exact 0
            figure["exact"] = "0"
            figure["value"] = show(Fraction(0))
        for row in figure["children"]:
            if isinstance(row["value"], Fraction):
                row["exact"] = exact(row["value"])
                row["value"] = show(row["value"])
    return explained
