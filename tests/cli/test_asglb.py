"""`journeys asglb`: the quarter's counts for a generated LA equal a count made here directly
from the generated JSONL (corrections applied by hand), not through the engine: the decisions
dated in the quarter, the decisions reversed, and the children waiting at its end with their
durations, each from its definition in docs/returns.md."""

from __future__ import annotations

import calendar
import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import Cli

QUARTERS = {
    "2014-Q1": (date(2014, 4, 1), date(2014, 6, 30)),
    "2015-16-Q3": (date(2015, 10, 1), date(2015, 12, 31)),
    "2016-Q4": (date(2017, 1, 1), date(2017, 3, 31)),
}
KEYS = {
    "adoption-decision": "adoption_decisions",
    "placement-order": "placement_orders",
    "consent": "consents",
    "match": "matches",
    "placed": "placements",
    "adoption-order": "adoption_orders",
}


def _independent(lines: list[dict[str, object]], la: str, first: date, last: date) -> Counter[str]:
    fixed = {str(x["corrects"]): str(x["on"]) for x in lines if x["event"] == "correct"}
    counted: Counter[str] = Counter()
    for line in lines:
        if line["la"] != la or line["event"] not in KEYS:
            continue
        on = date.fromisoformat(fixed.get(str(line.get("id")), str(line["on"])))
        kind = "consent" if line.get("authority") == "consent" else str(line["event"])
        if first <= on <= last:
            counted[KEYS[kind]] += 1
    return counted


# The journey's natural order of decisions taken on the same day (README, "Rules").
ORDER = [
    "child-details",
    "entered-care",
    "proceedings-issued",
    "proceedings-concluded",
    "family-finding",
    "plan-change",
    "adoption-decision",
    "placement-order",
    "review",
    "disruption",
    "match",
    "placed",
    "adoption-order",
    "left-care",
]
ENDS = ("left-care", "adoption-order")


def _quarter(year: int, q: int) -> tuple[date, date]:
    """Quarter ``q`` of the financial year starting in April ``year``: its first and last days."""
    first = date(year + (q == 4), (3 * q + 1) % 12 or 12, 1)
    return first, date.fromordinal(_months_later(first, 3).toordinal() - 1)


def _months_later(day: date, months: int) -> date:
    """``day`` plus calendar months, the day clamped to the end of a shorter month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _periods(lines: list[dict[str, object]], la: str) -> list[list[tuple[date, str, dict[str, object]]]]:
    """Each child's periods of care from the JSONL, corrections applied: a period begins at an
    entered-care (the first also holds what came before) once the one before has ended, and
    holds its decisions in effective order (same-day ties in the journey's natural order)."""
    fixed = {str(x["corrects"]): str(x["on"]) for x in lines if x["event"] == "correct"}
    by_child: defaultdict[str, list[tuple[date, int, int, dict[str, object]]]] = defaultdict(list)
    for n, line in enumerate(lines):
        if line["la"] == la and line["event"] in ORDER:
            on = date.fromisoformat(fixed.get(str(line.get("id")), str(line["on"])))
            by_child[str(line["child"])].append((on, ORDER.index(str(line["event"])), n, line))
    periods = []
    for events in by_child.values():
        current: list[tuple[date, str, dict[str, object]]] = []
        ended = False
        for on, _, _, line in sorted(events, key=lambda e: e[:3]):
            kind = str(line["event"])
            if kind == "entered-care" and ended:
                periods.append(current)
                current, ended = [], False
            current.append((on, kind, line))
            ended = ended or kind in ENDS
        periods.append(current)
    return periods


def _quarter_end(
    lines: list[dict[str, object]], la: str, first: date, last: date
) -> tuple[Counter[str], dict[str, tuple[int | None, int]]]:
    """Decisions reversed in the quarter and the quarter-end lines, from their definitions; and
    each child waiting at the quarter's end with its days since the ADM and in care."""
    counted: Counter[str] = Counter()
    waits: dict[str, tuple[int | None, int]] = {}
    for period in _periods(lines, la):
        plan, plan_at_end = None, None
        entered = next((on for on, kind, _ in period if kind == "entered-care"), None)
        ended = next((on for on, kind, _ in period if kind in ENDS), None)
        adm = court = consent = placed = None
        matched = False
        for on, kind, line in period:
            # the plan: adoption once decided, matched or placed (or on an order or family
            # finding when there was no plan yet); a plan change sets it
            if kind == "plan-change":
                if plan == "adoption" and line["to"] != "adoption" and first <= on <= last:
                    counted["decisions_reversed"] += 1
                plan = str(line["to"])
            elif kind in ("adoption-decision", "match", "placed") or (
                kind in ("placement-order", "family-finding") and plan is None
            ):
                plan = "adoption"
            if on > last:
                continue
            plan_at_end = plan
            if kind == "adoption-decision":
                adm = on
            elif kind == "placement-order" and line.get("authority") == "consent":
                consent = consent or on
            elif kind == "placement-order":
                court = court or on
            elif kind == "match":
                matched = True
            elif kind == "placed":
                placed = on
            elif kind == "disruption":
                placed = None
        in_care = entered is not None and entered <= last and (ended is None or ended > last)
        authority = court or consent
        if not in_care or (adm is None and authority is None) or plan_at_end != "adoption" or placed is not None:
            continue
        assert entered is not None
        counted["waiting"] += 1
        waits[str(period[0][2]["child"])] = (None if adm is None else (last - adm).days, (last - entered).days)
        if adm is not None and (last - adm).days > 90 and not matched:
            counted["over_90_days_since_adm_not_matched"] += 1
        if last >= _months_later(entered, 18):
            counted["over_18_months_in_care"] += 1
        for months in (12, 18):
            if authority is not None and last >= _months_later(authority, months):
                counted[f"over_{months}_months_since_po"] += 1
    return counted, waits


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, list[dict[str, object]]]:
    tmp = tmp_path_factory.mktemp("asglb")
    out = tmp / "g.jsonl"
    cli = Cli(str(tmp / "g.db"))
    assert cli("generate", "--children", "1500", "--seed", "7", "--las", "2", "--out", str(out)).exit_code == 0
    assert cli("load", str(out)).exit_code == 0
    return cli, [json.loads(x) for x in Path(out).read_text().splitlines()]


@pytest.mark.parametrize("quarter", sorted(QUARTERS))
def test_counts_equal_an_independent_count(generated: tuple[Cli, list[dict[str, object]]], quarter: str) -> None:
    cli, lines = generated
    result = cli("asglb", "--quarter", quarter, "--la", "825", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["825"]
    first, last = QUARTERS[quarter]
    assert (report["from"], report["to"]) == (first.isoformat(), last.isoformat())
    expected = _independent(lines, "825", first, last)
    assert sum(expected.values()) > 0
    assert {k: report["in_quarter"][k] for k in KEYS.values()} == {k: expected[k] for k in KEYS.values()}
    assert report["fostering_for_adoption"] == "not recorded"


WAITING_KEYS = (
    "waiting",
    "over_90_days_since_adm_not_matched",
    "over_18_months_in_care",
    "over_12_months_since_po",
    "over_18_months_since_po",
)


def test_reversals_and_the_quarter_end_lines_equal_an_independent_count(
    generated: tuple[Cli, list[dict[str, object]]],
) -> None:
    cli, lines = generated
    totals: Counter[str] = Counter()
    quarters = {f"{year}-Q{q}": _quarter(year, q) for year in range(2012, 2020) for q in (1, 2, 3, 4)}
    for quarter, (first, last) in sorted(quarters.items()):
        result = cli("asglb", "--quarter", quarter, "--la", "825", "--json")
        assert result.exit_code == 0, result.output
        report = json.loads(result.output)["825"]
        expected, waits = _quarter_end(lines, "825", first, last)
        found = {"decisions_reversed": report["in_quarter"]["decisions_reversed"], **report["waiting_at_quarter_end"]}
        assert found == {k: expected[k] for k in ("decisions_reversed", *WAITING_KEYS)}, quarter
        lines_found = {w["child"]: (w["days_since_adm"], w["days_in_care"]) for w in report["children_waiting"]}
        assert lines_found == waits, quarter
        totals.update(expected)
    # every line is counted somewhere, so each comparison above could fail
    assert all(totals[k] > 0 for k in ("decisions_reversed", *WAITING_KEYS)), totals


def test_an_unclear_quarter_is_refused(generated: tuple[Cli, list[dict[str, object]]]) -> None:
    cli, _ = generated
    for text in ("2016-Q5", "Q1-2016", "2016-18-Q1"):
        result = cli("asglb", "--quarter", text, "--la", "825")
        assert result.exit_code == 1
        assert result.output.startswith("Error: ")
