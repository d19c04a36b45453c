"""The cross-LA reports (scorecard, cohort, counts, stages) as published: totals added, small counts
suppressed and counts rounded (:mod:`projections.metrics.suppression`).

Each takes a report's ``by_la`` (local authority -> its report, as :mod:`projections.reports`
returns it) and gives the same shape with, beside the local authorities, a ``"total"`` member
(their sum), and in the counts' rows of each LA a total over its periods; every count is a number (rounded to ``base``
when given) or ``"c"`` (suppressed, with ``threshold``), and every row (card) lists the keys it
suppressed in ``"suppressed"``. A mean, median or percentage over a suppressed count is ``"c"``
too; the totals' means are null (not computed). Which counts form one table (suppressed
together, so that none can be derived from the others and the totals):

- counts: each measure, local authorities × periods, with each LA's total over the periods;
- cohort: local authorities' cohorts (LA and year) × matched, waiting and exited, whose row
  total is the cohort's placement orders (matched + waiting + exited); disrupted and harder to
  place each a table of the cohorts;
- scorecard: each count (adopted, A1, A2 and A10 children, A3 count, start not known) across
  the local authorities;
- stages: the cohort's periods of care, and each stage's children, across the local
  authorities (a stage's mean, median and maximum days hidden with its children).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.metrics.suppression import SUPPRESSED, shown

TOTAL = "total"
SUPPRESSED_KEY = "suppressed"

COUNT_MEASURES = (
    "adoption_decisions",
    "placement_orders",
    "consents",
    "matches",
    "placements",
    "adoption_orders",
    "reversals",
)
COHORT_OUTCOMES = ("matched", "waiting", "exited")
COHORT_ALONE = ("disrupted", "harder_to_place")
# A cohort's mean or median and the count it is over.
COHORT_OVER = {
    "mean_days_po_to_match": "matched",
    "km_median_days": "placement_orders",
    "mean_days_with_waiting": "placement_orders",
}
# A scorecard's counts (measure, key) and its other figures with the counts they are over.
CARD_COUNTS: tuple[tuple[str, str | None], ...] = (
    ("adopted", None),
    ("A1", "children"),
    ("A1", "start_not_known"),
    ("A2", "children"),
    ("A3", "count"),
    ("A3", "start_not_known"),
    ("A10", "children"),
    ("A10", "start_not_known"),
)
CARD_OVER = {
    ("A1", "mean_days"): (("A1", "children"),),
    ("A1", "distance"): (("A1", "children"),),
    ("A2", "mean_days"): (("A2", "children"),),
    ("A2", "distance"): (("A2", "children"),),
    ("A3", "percent"): (("A3", "count"), ("A1", "children")),
    ("A10", "mean_days"): (("A10", "children"),),
}


def _hide(row: dict[str, Any], key: str) -> None:
    row[key] = SUPPRESSED
    row[SUPPRESSED_KEY].append(key)


def published_counts(
    by_la: dict[str, dict[str, Any]], threshold: int | None, base: int | None
) -> dict[str, dict[str, Any]]:
    """The counts report as published: every LA's row for every period (0 where it had none)
    and a ``"total"`` period, and a ``"total"`` LA."""
    las = list(by_la)
    periods = sorted({r["period"] for report in by_la.values() for r in report["rows"]})
    found = {(la, r["period"]): r for la, report in by_la.items() for r in report["rows"]}
    by = next(iter(by_la.values()))["by"] if by_la else None
    out: dict[str, dict[str, Any]] = {
        la: {"by": by, "rows": [{"period": p, SUPPRESSED_KEY: []} for p in [*periods, TOTAL]]} for la in [*las, TOTAL]
    }
    for measure in COUNT_MEASURES:
        grid = [[found.get((la, p), {}).get(measure, 0) for p in periods] for la in las]
        for la, row in zip([*las, TOTAL], shown(grid, threshold, base), strict=True):
            for j, cell in enumerate(row):
                target = out[la]["rows"][j]
                target[measure] = cell
                if cell == SUPPRESSED:
                    target[SUPPRESSED_KEY].append(measure)
    return out


def published_cohort(
    by_la: dict[str, dict[str, Any]], threshold: int | None, base: int | None
) -> dict[str, dict[str, Any]]:
    """The cohort report as published: each LA's cohorts, and the ``"total"`` LA's one row
    (year ``"total"``) over every cohort of them all."""
    census = next(iter(by_la.values()))["census"] if by_la else None
    rows = [(la, r) for la, report in by_la.items() for r in report["rows"]]
    out_rows: list[dict[str, Any]] = [{"year": r["year"], SUPPRESSED_KEY: []} for _, r in rows]
    total: dict[str, Any] = {"year": TOTAL, SUPPRESSED_KEY: []}
    every = [*out_rows, total]

    def place(key: str, table: list[list[int | str]], column: int) -> None:
        for target, line in zip(every, table, strict=True):
            target[key] = line[column]
            if line[column] == SUPPRESSED:
                target[SUPPRESSED_KEY].append(key)

    # (with no cohort, one row of zeros stands for them: its total row is the one kept)
    outcomes = [[r[key] for key in COHORT_OUTCOMES] for _, r in rows]
    table = shown(outcomes or [[0, 0, 0]], threshold, base)[-len(every) :]
    for column, key in enumerate(COHORT_OUTCOMES):
        place(key, table, column)
    place("placement_orders", table, len(COHORT_OUTCOMES))
    for key in COHORT_ALONE:
        place(key, shown([[r[key]] for _, r in rows] or [[0]], threshold, base)[-len(every) :], 0)
    for key, over in COHORT_OVER.items():
        for target, (_, r) in zip(out_rows, rows, strict=True):
            target[key] = SUPPRESSED if target[over] == SUPPRESSED else r[key]
            if target[key] == SUPPRESSED:
                target[SUPPRESSED_KEY].append(key)
        total[key] = None
    for target in every:
        target[SUPPRESSED_KEY].sort()
    out: dict[str, dict[str, Any]] = {la: {"census": census, "rows": []} for la in by_la}
    for (la, _), target in zip(rows, out_rows, strict=True):
        out[la]["rows"].append(target)
    out[TOTAL] = {"census": census, "rows": [total]}
    return out


def published_scorecard(
    by_la: dict[str, dict[str, Any]], threshold: int | None, base: int | None
) -> dict[str, dict[str, Any]]:
    """The scorecard as published, with a ``"total"`` card (the LAs' counts summed)."""
    las = list(by_la)
    cards = {la: _copy(card) for la, card in by_la.items()}
    first = next(iter(by_la.values()))
    cards[TOTAL] = {
        **{k: v for k, v in _copy(first).items() if not isinstance(v, dict)},
        **{
            k: {kk: (vv if kk in ("threshold", "months") else None) for kk, vv in v.items()}
            for k, v in _copy(first).items()
            if isinstance(v, dict)
        },
    }
    for card in cards.values():
        card[SUPPRESSED_KEY] = []
    for path in CARD_COUNTS:
        values = [_get(by_la[la], path) for la in las]
        if all(v is None for v in values):
            continue
        line = shown([[v or 0 for v in values]], threshold, base)[0]
        for la, cell in zip([*las, TOTAL], line, strict=True):
            if _get(cards[la], path) is None and la != TOTAL:
                continue
            _set(cards[la], path, cell)
            if cell == SUPPRESSED:
                cards[la][SUPPRESSED_KEY].append(_name(path))
    for path, over in CARD_OVER.items():
        for la in las:
            if any(_get(cards[la], base_path) == SUPPRESSED for base_path in over):
                _set(cards[la], path, SUPPRESSED)
                cards[la][SUPPRESSED_KEY].append(_name(path))
    return cards


STAGE_OVER = ("mean_days", "median_days", "max_days")


def published_stages(
    by_la: dict[str, dict[str, Any]], threshold: int | None, base: int | None
) -> dict[str, dict[str, Any]]:
    """The stages report as published, with a ``"total"`` member (the LAs' cohorts and each
    stage's children summed; its days null)."""
    las = list(by_la)
    first = next(iter(by_la.values()))
    out: dict[str, dict[str, Any]] = {
        la: {**report, "stages": [{**s, SUPPRESSED_KEY: []} for s in report["stages"]], SUPPRESSED_KEY: []}
        for la, report in by_la.items()
    }
    blank = dict.fromkeys(("children", *STAGE_OVER))
    out[TOTAL] = {
        "from": first.get("from"),
        "to": first.get("to"),
        "cohort": None,
        "slowest": None,
        "stages": [{"stage": s["stage"], "label": s["label"], **blank, SUPPRESSED_KEY: []} for s in first["stages"]],
        SUPPRESSED_KEY: [],
    }
    for la, cell in zip([*las, TOTAL], shown([[by_la[la]["cohort"] for la in las]], threshold, base)[0], strict=True):
        out[la]["cohort"] = cell
        if cell == SUPPRESSED:
            out[la][SUPPRESSED_KEY].append("cohort")
    for index, stage in enumerate(first["stages"]):
        rows = [next(s for s in out[la]["stages"] if s["stage"] == stage["stage"]) for la in las]
        line = shown([[row["children"] for row in rows]], threshold, base)[0]
        for row, cell in zip([*rows, out[TOTAL]["stages"][index]], line, strict=True):
            row["children"] = cell
            if cell == SUPPRESSED:
                row[SUPPRESSED_KEY].append("children")
                for key in STAGE_OVER:
                    row[key] = SUPPRESSED
                    row[SUPPRESSED_KEY].append(key)
    return out


def _copy(card: dict[str, Any]) -> dict[str, Any]:
    return {k: dict(v) if isinstance(v, dict) else v for k, v in card.items()}


def _get(card: dict[str, Any], path: tuple[str, str | None]) -> Any:
    measure, key = path
    return card.get(measure) if key is None else card.get(measure, {}).get(key)


def _set(card: dict[str, Any], path: tuple[str, str | None], value: Any) -> None:
    measure, key = path
    if key is None:
        card[measure] = value
    else:
        card.setdefault(measure, {})[key] = value


def _name(path: Sequence[str | None]) -> str:
    return ".".join(p for p in path if p)
