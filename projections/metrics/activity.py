"""Children waiting at a date, decision counts per financial quarter or year, and stage
durations. Pure functions over summary rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from journeys.domain.vocabulary import ADOPTION
from projections.metrics.figures import COUNT, MAX, MEAN, MEDIAN, Fact, Figure, Measure, fact, one
from projections.metrics.periods import add_months, financial_quarter, financial_year_label, financial_year_start
from projections.metrics.summary import PeriodSummary

LONG_WAIT_DAYS = 90
LONG_CARE_MONTHS = 18


def _days(start: date | None, end: date) -> int | None:
    return None if start is None else (end - start).days


Waiting = tuple[PeriodSummary, dict[str, Any]]  # a child waiting: its row and its line of the report


def _waiting_who(w: Waiting) -> tuple[str, str, int | None]:
    return w[0].la, w[0].child, w[0].period


def _waiting_facts(w: Waiting) -> list[Fact]:
    row, line = w
    return (
        fact("entered care", row.entered_care, "entered-care")
        + fact("adoption decision", line["adoption_decision"], "adoption-decision")
        + fact("placement order", line["placement_order"], "placement-order")
    )


WAITING_MEASURES: dict[str, Measure[Waiting]] = {
    "waiting": Measure("waiting", COUNT, one, _waiting_facts, _waiting_who),
    "over_90_days": Measure(
        "over 90 days", COUNT, lambda w: 1 if w[1]["over_90_days"] else None, _waiting_facts, _waiting_who
    ),
    "over_18_months_in_care": Measure(
        "18+ months in care",
        COUNT,
        lambda w: 1 if w[1]["over_18_months_in_care"] else None,
        _waiting_facts,
        _waiting_who,
    ),
}


def waiting(rows: Iterable[PeriodSummary], as_at: date) -> dict[str, Any]:
    """Children in care on ``as_at`` with an adoption decision or authority to place in force,
    not placed for adoption, adoption still the plan."""
    return waiting_explained(rows, as_at)[0]


def waiting_explained(rows: Iterable[PeriodSummary], as_at: date) -> tuple[dict[str, Any], list[Figure[Waiting]]]:
    """:func:`waiting` and its figures, each with the children it counts."""
    children: list[Waiting] = []
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
        line = {
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
        children.append((r, line))
    children.sort(key=lambda w: (-int(w[1]["days_in_care"]), str(w[1]["la"]), str(w[1]["child"])))
    figures = [measure.over(key, children) for key, measure in WAITING_MEASURES.items()]
    values = {f.key: f.value for f in figures}
    report = {
        "as_at": as_at,
        "waiting": values["waiting"],
        "over_90_days": values["over_90_days"],
        "over_18_months_in_care": values["over_18_months_in_care"],
        "children": [line for _, line in children],
    }
    return report, figures


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


# The kind of decision each counted kind of the timeline is (a consent is a placement order
# under parental consent; a reversal, a plan change away from adoption).
EVENT_OF = {"consent": "placement-order", "reversal": "plan-change"}


@dataclass(frozen=True, slots=True)
class Counted:
    """One decision counted in a period's row: the summary row it is of, its date and kind."""

    row: PeriodSummary
    on: date
    kind: str


def _counted_who(c: Counted) -> tuple[str, str, int | None]:
    return c.row.la, c.row.child, c.row.period


def _counted_facts(c: Counted) -> list[Fact]:
    return fact(c.kind, c.on, EVENT_OF.get(c.kind, c.kind))


COUNTED: Measure[Counted] = Measure("decisions", COUNT, one, _counted_facts, _counted_who)


def counts(rows: Iterable[PeriodSummary], by: str = "quarter") -> dict[str, Any]:
    """Decisions per financial quarter (``by="quarter"``) or year (``by="year"``)."""
    return counts_explained(rows, by)[0]


def counts_explained(
    rows: Iterable[PeriodSummary], by: str = "quarter"
) -> tuple[dict[str, Any], list[Figure[Counted]]]:
    """:func:`counts` and its figures (one per period and kind, keyed ``<period>.<key>`` with
    the period's space as ``_``), each with the decisions it counts."""
    if by not in ("quarter", "year"):
        raise ValueError(f"by must be quarter or year, not {by!r}")
    table: dict[str, dict[str, list[Counted]]] = {}
    for r in rows:
        for on, kind in r.timeline:
            key = COUNT_KEYS.get(kind)
            if key is None:
                continue
            label = period_label(on, by)
            cells = table.get(label)
            if cells is None:
                cells = table[label] = {k: [] for k in COUNT_KEYS.values()}
            cells[key].append(Counted(r, on, kind))
    figures: list[Figure[Counted]] = []
    report_rows: list[dict[str, Any]] = []
    for label in sorted(table):
        row: dict[str, Any] = {"period": label}
        for key, items in table[label].items():
            figure = COUNTED.over(f"{label.replace(' ', '_')}.{key}", items, f"{label}: {key.replace('_', ' ')}")
            row[key] = figure.value
            figures.append(figure)
        report_rows.append(row)
    return {"by": by, "rows": report_rows}, figures


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


Staged = tuple[PeriodSummary, dict[str, int | None]]  # a row of the cohort and its days in each stage


def _staged_who(s: Staged) -> tuple[str, str, int | None]:
    return s[0].la, s[0].child, s[0].period


def _stage_ends(stage: str) -> Any:
    """The facts of a stage's two ends (as :func:`stage_days` takes them)."""

    def facts(s: Staged) -> list[Fact]:
        r = s[0]
        care = fact("entered care", r.entered_care, "entered-care")
        adm = fact("adoption decision", r.adoption_decision, "adoption-decision")
        authority = fact("placement order", r.authority, "placement-order")
        match = fact("matched", r.po_match if r.placement_order else r.matched, "match")
        matched = fact("matched", r.matched, "match")
        placed = fact("placed", r.placed, "placed")
        ao = fact("adoption order", r.adoption_order, "adoption-order")
        ends = {
            "care_to_adm": care + adm,
            "adm_to_po": adm + authority,
            "po_to_match": authority + match,
            "match_to_placed": matched + placed,
            "placed_to_ao": placed + ao,
        }
        return ends[stage]

    return facts


def _in_cohort(windowed: bool) -> Any:
    def facts(s: Staged) -> list[Fact]:
        r = s[0]
        if windowed:
            return fact("adoption order", r.adoption_order, "adoption-order")
        return fact("entered care", r.entered_care, "entered-care")

    return facts


def stage_measures(stage: str, label: str) -> dict[str, Measure[Staged]]:
    """One stage's figures over the cohort's rows (keyed by their JSON keys)."""
    days = lambda s: s[1][stage]  # noqa: E731
    ends = _stage_ends(stage)
    return {
        "mean_days": Measure(f"{label}: mean days", MEAN, days, ends, _staged_who),
        "median_days": Measure(f"{label}: median days", MEDIAN, days, ends, _staged_who),
        "max_days": Measure(f"{label}: max days", MAX, days, ends, _staged_who),
    }


STAGE_MEASURES = {key: stage_measures(key, label) for key, label in STAGE_DURATIONS}


def stages(rows: Iterable[PeriodSummary], start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Mean and median days in each stage. With a window, the cohort is the children adopted
    in it; otherwise every period with both ends of a stage counts for that stage."""
    return stages_explained(rows, start, end)[0]


def stages_explained(
    rows: Iterable[PeriodSummary], start: date | None = None, end: date | None = None
) -> tuple[dict[str, Any], list[Figure[Staged]]]:
    """:func:`stages` and its figures (``cohort``, and ``<stage>.mean_days``, ``.median_days``
    and ``.max_days``), each with the periods of care it counts."""
    cohort: list[Staged] = [
        (r, stage_days(r))
        for r in rows
        if start is None or (r.adoption_order is not None and start <= r.adoption_order <= (end or r.adoption_order))
    ]
    size = Measure("periods of care in the cohort", COUNT, one, _in_cohort(start is not None), _staged_who)
    figures: list[Figure[Staged]] = [size.over("cohort", cohort)]
    result: list[dict[str, Any]] = []
    for key, label in STAGE_DURATIONS:
        found = [m.over(f"{key}.{name}", cohort) for name, m in STAGE_MEASURES[key].items()]
        figures.extend(found)
        mean, median, most = (f.value for f in found)
        result.append(
            {
                "stage": key,
                "label": label,
                "children": len(found[0].counted),
                "mean_days": mean,
                "median_days": median,
                "max_days": most,
            }
        )
    means = {str(s["stage"]): s["mean_days"] for s in result if isinstance(s["mean_days"], float)}
    slowest = max(means, key=lambda k: means[k]) if means else None
    report = {"from": start, "to": end, "cohort": figures[0].value, "stages": result, "slowest": slowest}
    return report, figures
