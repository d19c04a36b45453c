"""The ASGLB quarterly adoption return: decisions counted in a financial quarter and the
children waiting at its end. Pure functions over summary rows (definitions: docs/returns.md).

A quarter is a quarter of the financial year, as the ASGLB return uses them: ``2016-Q1`` (or
``2016-17-Q1``) is 1 April to 30 June 2016 and ``2016-Q4`` is 1 January to 31 March 2017.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from projections.metrics.activity import waiting
from projections.metrics.periods import PeriodError, add_months, financial_year_label
from projections.metrics.summary import PeriodSummary

# The counted kinds of the summary rows' timeline, by the return's key.
QUARTER_COUNTS = {
    "adoption_decisions": "adoption-decision",
    "placement_orders": "placement-order",
    "consents": "consent",
    "matches": "match",
    "placements": "placed",
    "adoption_orders": "adoption-order",
    "decisions_reversed": "reversal",
}
WAITING_KEYS = (
    "waiting",
    "over_90_days_since_adm_not_matched",
    "over_18_months_in_care",
    "over_12_months_since_po",
    "over_18_months_since_po",
)
# What the return asks for that the engine holds no data for: printed as this, never as 0.
NOT_RECORDED = "not recorded"
NOT_HELD = ("fostering_for_adoption", "concurrent_planning")

_QUARTER = re.compile(r"(\d{4})(?:-(\d{2}))?-Q([1-4])")
_FIRST_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}


def parse_quarter(text: str) -> tuple[date, date]:
    """``2016-Q1`` or ``2016-17-Q1`` -> (2016-04-01, 2016-06-30): quarters of the financial year."""
    match = _QUARTER.fullmatch(text.strip())
    if not match:
        raise PeriodError(
            f"not a quarter: {text!r}",
            "write the financial year's start and the quarter, e.g. 2016-Q1 (April-June 2016) or 2016-17-Q4",
        )
    year, tail, q = int(match.group(1)), match.group(2), int(match.group(3))
    if tail is not None and int(tail) != (year + 1) % 100:
        raise PeriodError(f"not a financial year: {text!r}", f"write {financial_year_label(year)}-Q{q}")
    month = _FIRST_MONTH[q]
    first = date(year if q < 4 else year + 1, month, 1)
    last = date.fromordinal(add_months(first, 3).toordinal() - 1)
    return first, last


def quarter_label(first: date) -> str:
    """(2016-04-01) -> ``2016-17 Q1``."""
    start = first.year if first.month >= 4 else first.year - 1
    return f"{financial_year_label(start)} Q{(first.month - 4) % 12 // 3 + 1}"


# The return's sections, each with the keys of its cells.
SECTIONS = {"in_quarter": tuple(QUARTER_COUNTS), "waiting_at_quarter_end": WAITING_KEYS}


def asglb(rows: Iterable[PeriodSummary], first: date, last: date) -> dict[str, Any]:
    """The return for the quarter ``first``..``last`` over ``rows`` (one local authority's)."""
    children, lines = asglb_children(rows, first, last)
    counted = {cell: sum(by_child.values()) for cell, by_child in children.items()}
    return {
        "quarter": quarter_label(first),
        "from": first,
        "to": last,
        **{section: {key: counted[f"{section}.{key}"] for key in keys} for section, keys in SECTIONS.items()},
        **dict.fromkeys(NOT_HELD, NOT_RECORDED),
        "children_waiting": lines,
    }


def asglb_children(
    rows: Iterable[PeriodSummary], first: date, last: date
) -> tuple[dict[str, Counter[str]], list[dict[str, Any]]]:
    """Each cell of the return (``in_quarter.matches``, ``waiting_at_quarter_end.waiting``...)
    with how many it counts of each child of ``rows`` (one local authority's), and the lines
    of the children waiting at the quarter's end."""
    rows = list(rows)
    children: dict[str, Counter[str]] = {cell: Counter() for cell in return_cells()}
    kinds = {kind: f"in_quarter.{key}" for key, kind in QUARTER_COUNTS.items()}
    for r in rows:
        for on, kind in r.timeline:
            cell = kinds.get(kind)
            if cell is not None and first <= on <= last:
                children[cell][r.child] += 1
    lines = waiting(rows, last)["children"]
    tests: dict[str, Callable[[dict[str, Any]], bool]] = {
        "waiting": lambda w: True,
        "over_90_days_since_adm_not_matched": lambda w: (
            w["days_since_adm"] is not None and w["days_since_adm"] > 90 and not w["matched"]
        ),
        "over_18_months_in_care": lambda w: bool(w["over_18_months_in_care"]),
        "over_12_months_since_po": lambda w: _months_since(w["placement_order"], last, 12),
        "over_18_months_since_po": lambda w: _months_since(w["placement_order"], last, 18),
    }
    for w in lines:
        for key, holds in tests.items():
            if holds(w):
                children[f"waiting_at_quarter_end.{key}"][str(w["child"])] += 1
    return children, lines


def return_cells() -> list[str]:
    """The names of the return's cells, in its order: ``section.key``."""
    return [f"{section}.{key}" for section, keys in SECTIONS.items() for key in keys]


def cells_of(report: dict[str, Any]) -> dict[str, int]:
    """The cells of one LA's return (what :func:`asglb` gives) by name, as the returns log keeps them."""
    return {cell: report[cell.split(".")[0]][cell.split(".")[1]] for cell in return_cells()}


def _months_since(since: date | None, day: date, months: int) -> bool:
    return since is not None and day >= add_months(since, months)
