"""The cost-of-delay report (`journeys cost`): two placement-order cohorts of the read model's
summary rows (caught up, or replayed as known at ``--known-at``), compared at a unit cost
(:mod:`projections.metrics.cost_of_delay`), per local authority.

Explained, each figure lists the children it is made of; a sum's figure and rows keep their exact
values under ``"exact"`` (money shown to the penny), so the rows add up to the figure exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from journeys.application import JourneysApp
from journeys.progress import Progress
from projections.explanation import Explained, explaining_if
from projections.metrics.cost_of_delay import cost_of_delay, exact_explained, one_year
from projections.metrics.unit_costs import CostsError, Rate, load_costs, load_index
from projections.reports import COHORT_COLUMNS, Selection, report_on_selected_rows

COST_COLUMNS = (*COHORT_COLUMNS, "timeline")


def chosen_rate(rate: str | None, costs_file: Path | None, index_file: Path | None, price_year: str | None) -> Rate:
    """The rate named (the costs file's default when None), restated in ``price_year`` prices by
    the index file when both are given."""
    found = load_costs(costs_file).rate(rate)
    if (index_file is None) != (price_year is None):
        raise CostsError("give both --index and --price-year, or neither")
    if index_file is not None and price_year is not None:
        one_year(price_year, "--price-year")
        found = load_index(index_file).restate(found, price_year)
    return found


def cost(
    app: JourneysApp,
    *,
    baseline: str,
    compare: str,
    census: date,
    rate: str | None = None,
    costs_file: Path | None = None,
    index_file: Path | None = None,
    price_year: str | None = None,
    contract_cost: Decimal | None = None,
    known_at: datetime | None = None,
    las: Sequence[str] = (),
    progress: Progress | None = None,
    explain: bool = False,
) -> dict[str, dict[str, Any]]:
    """The cost of delay of the ``compare`` cohort against the ``baseline`` one, per local authority."""
    first, second = one_year(baseline, "--baseline"), one_year(compare, "--compare")
    unit = chosen_rate(rate, costs_file, index_file, price_year)
    report: Explained = lambda rows: cost_of_delay(  # noqa: E731
        rows, census=census, baseline=first, compare=second, rate=unit, contract_cost=contract_cost
    )
    options = {
        "baseline": baseline,
        "compare": compare,
        "census": census,
        "rate": unit.name,
        "costs": str(costs_file) if costs_file else None,
        "index": str(index_file) if index_file else None,
        "price-year": price_year,
        "known": known_at,
    }
    rows: Selection = lambda views, las: views.placement_orders_by(census, None, COST_COLUMNS, las)  # noqa: E731
    explaining = explaining_if(explain, report, "cost", options, known_at)
    by_la = report_on_selected_rows(app, lambda found: report(found)[0], rows, known_at, las, progress, explaining)
    for found in by_la.values():
        if "explain" in found:
            found["explain"] = exact_explained(found["explain"])
    return by_la
