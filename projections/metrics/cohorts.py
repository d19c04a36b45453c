"""Prospective placement-order cohorts: children whose first court placement order falls in a
financial year (or a window), observed at a census date.

The census is the date of observation: nothing that takes effect after it counts. Children
not yet matched are reported as waiting (censored at the census) or exited (censored when
adoption stopped being the plan or they left care), never silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from projections.metrics.figures import COUNT, KM_MEDIAN, MEAN, SUM, Fact, Figure, Measure, fact, one
from projections.metrics.km import survival_curve
from projections.metrics.periods import financial_year_label, financial_year_start
from projections.metrics.summary import PeriodSummary

MATCHED, WAITING, EXITED = "matched", "waiting", "exited"
# What a report may add to each cohort's row from its children, by key (``cohort --outcomes``).
Extra = Callable[[list["CohortChild"]], dict[str, Any]]


@dataclass(frozen=True)
class CohortChild:
    la: str
    child: str
    placement_order: date
    status: str  # matched, waiting or exited at the census
    days: int  # to the match, the census (waiting) or the exit (exited)
    disruptions: int
    harder_to_place: bool
    row: PeriodSummary | None = field(default=None, compare=False, repr=False)  # the row it is of
    census: date | None = field(default=None, compare=False, repr=False)


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
    return CohortChild(row.la, row.child, po, status, days, disruptions, bool(row.harder_to_place), row, census)


def _who(c: CohortChild) -> tuple[str, str, int | None]:
    return c.la, c.child, c.row.period if c.row is not None else None


def _po(c: CohortChild) -> list[Fact]:
    return fact("placement order", c.placement_order, "placement-order")


def _ended(c: CohortChild) -> list[Fact]:
    """The placement order and the date the child's days end: the match, or leaving adoption."""
    r = c.row
    if r is None or c.status == WAITING:
        return _po(c)
    if c.status == MATCHED:
        return _po(c) + fact("matched", r.po_match, "match")
    return _po(c) + fact("left adoption", r.left_adoption_on(c.placement_order), "plan-change", "left-care")


def _disruptions(c: CohortChild) -> list[Fact]:
    r, census = c.row, c.census
    dates = [] if r is None or census is None else [d for d in r.disruption_dates if c.placement_order <= d <= census]
    return _po(c) + [Fact("disruption", d, ("disruption",)) for d in dates]


def _harder(c: CohortChild) -> list[Fact]:
    return [*_po(c), Fact("harder to place", None, ("child-details",), field="harder_to_place")]


def _matched_days(c: CohortChild) -> int | None:
    return c.days if c.status == MATCHED else None


def _days_so_far(c: CohortChild) -> int | None:
    return c.days if c.status in (MATCHED, WAITING) else None


def _is(status: str) -> Any:
    return lambda c: 1 if c.status == status else None


# A cohort's figures, each a rule over its children (the JSON keys of a cohort's row).
MEASURES: dict[str, Measure[CohortChild]] = {
    "placement_orders": Measure("POs", COUNT, one, _po, _who),
    "matched": Measure("matched", COUNT, _is(MATCHED), _ended, _who),
    "mean_days_po_to_match": Measure("mean days PO→match", MEAN, _matched_days, _ended, _who),
    "waiting": Measure("waiting", COUNT, _is(WAITING), _ended, _who),
    "exited": Measure("exited", COUNT, _is(EXITED), _ended, _who),
    "km_median_days": Measure(
        "KM median", KM_MEDIAN, lambda c: c.days, _ended, _who, observed=lambda c: c.status == MATCHED
    ),
    "mean_days_with_waiting": Measure("mean incl. waiting", MEAN, _days_so_far, _ended, _who),
    "disrupted": Measure("disrupted", SUM, lambda c: c.disruptions or None, _disruptions, _who),
    "harder_to_place": Measure("harder to place", COUNT, lambda c: 1 if c.harder_to_place else None, _harder, _who),
}


def cohort_figures(label: str, children: list[CohortChild]) -> list[Figure[CohortChild]]:
    """One cohort's figures, keyed ``<label>.<JSON key>`` (spaces in the label as ``_``)."""
    row = label.replace(" ", "_")
    return [measure.over(f"{row}.{key}", children, f"{label}: {measure.label}") for key, measure in MEASURES.items()]


def cohort_row(label: str, children: list[CohortChild]) -> dict[str, Any]:
    """One cohort's figures; keys are the report's JSON contract, means unrounded."""
    return _row_of(label, cohort_figures(label, children))


def _row_of(label: str, figures: list[Figure[CohortChild]]) -> dict[str, Any]:
    return {"year": label, **{key: f.value for key, f in zip(MEASURES, figures, strict=True)}}


def observed(rows: Iterable[PeriodSummary], census: date) -> list[CohortChild]:
    found = [c for r in rows if (c := observe(r, census)) is not None]
    return sorted(found, key=lambda c: (c.placement_order, c.la, c.child))


def by_po_year(rows: Iterable[PeriodSummary], census: date) -> dict[str, Any]:
    """One cohort per financial year of the placement order, oldest first."""
    return by_po_year_explained(rows, census)[0]


def by_po_year_explained(
    rows: Iterable[PeriodSummary], census: date, outcomes: Extra | None = None
) -> tuple[dict[str, Any], list[Figure[CohortChild]]]:
    """:func:`by_po_year` and its figures, each with the children it counts; with ``outcomes``,
    each row also holds the keys it gives of the cohort's children (``"outcomes"``, ``"km_curve"``)."""
    years: dict[int, list[CohortChild]] = {}
    for child in observed(rows, census):
        years.setdefault(financial_year_start(child.placement_order), []).append(child)
    return _cohorts(census, [(financial_year_label(year), years[year]) for year in sorted(years)], outcomes)


def in_window(rows: Iterable[PeriodSummary], census: date, start: date, end: date) -> dict[str, Any]:
    """One cohort: placement orders made from ``start`` to ``end``."""
    return in_window_explained(rows, census, start, end)[0]


def in_window_explained(
    rows: Iterable[PeriodSummary], census: date, start: date, end: date, outcomes: Extra | None = None
) -> tuple[dict[str, Any], list[Figure[CohortChild]]]:
    """:func:`in_window` and its figures, each with the children it counts (``outcomes``: as
    :func:`by_po_year_explained`)."""
    children = [c for c in observed(rows, census) if start <= c.placement_order <= end]
    return _cohorts(census, [(f"{start.isoformat()} to {end.isoformat()}", children)], outcomes)


def _cohorts(
    census: date, cohorts: list[tuple[str, list[CohortChild]]], outcomes: Extra | None = None
) -> tuple[dict[str, Any], list[Figure[CohortChild]]]:
    every: list[Figure[CohortChild]] = []
    rows = []
    for label, children in cohorts:
        figures = cohort_figures(label, children)
        row = _row_of(label, figures)
        if outcomes is not None:
            row.update(outcomes(children))
        rows.append(row)
        every.extend(figures)
    return {"census": census, "rows": rows}, every


def km_curve(children: list[CohortChild]) -> dict[str, Any]:
    """The cohort's Kaplan–Meier curve of days from the placement order to the match, as
    ``[[days, share still waiting], ...]`` from ``[0, 1.0]`` (waiting and exited children
    censored), under ``"km_curve"`` (``cohort --curve``, the web pages' charts)."""
    curve = survival_curve([c.days for c in children], [c.status == MATCHED for c in children])
    last = max((c.days for c in children), default=0)
    return {"km_curve": [[0, 1.0], *([int(t), s] for t, s in curve), [last, curve[-1][1] if curve else 1.0]]}
