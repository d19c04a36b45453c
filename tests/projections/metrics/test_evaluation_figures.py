"""The evaluation's figures (DFE-RR569 Tables 1-4 and early disruption) come out of
`journeys scorecard` and `journeys cohort` on the synthetic evaluation fixtures.

The figures are compared as the report prints them (A1/A2 whole days, A3 whole percent,
cohort means one decimal, 135.93 two); every figure is computed by the engine.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from cli.output import jsonable
from tests.helpers import FIXTURES, Cli, only_la

EVALUATION = FIXTURES / "evaluation-2017"
FILES = [EVALUATION / "buckinghamshire.jsonl", EVALUATION / "northamptonshire.jsonl"]

pytestmark = pytest.mark.skipif(not all(f.exists() for f in FILES), reason="evaluation fixtures not generated")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    store = tmp_path_factory.mktemp("evaluation") / "journeys.db"
    cli = Cli(str(store))
    loaded = cli("load", *map(str, FILES))
    assert loaded.exit_code == 0, loaded.output
    return cli


def report(run: Cli, *args: str) -> dict[str, Any]:
    """One LA's report (the JSON's only entry under ``by_la``)."""
    return only_la(report_json(run, *args))


def report_json(run: Cli, *args: str) -> dict[str, Any]:
    result = run(*args, "--json", la=None)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def half_up(value: float, places: int = 0) -> float:
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize(
    ("la", "window", "a1", "a2", "a3", "distances"),
    [
        ("825", ["--period", "2012-15"], 710, 292, 29, (223, 171)),
        ("928", ["--period", "2012-15"], 649, 255, 36, (162, 134)),
        ("825", ["--from", "2015-04-01", "--to", "2015-09-30", "--a3-months", "16"], 719, 354, 39, None),
        ("928", ["--from", "2015-04-01", "--to", "2015-09-30", "--a3-months", "16"], 743, 311, 59, None),
    ],
)
def test_tables_1_and_2_scorecard(
    run: Cli, la: str, window: list[str], a1: int, a2: int, a3: int, distances: tuple[int, int] | None
) -> None:
    card = report(run, "scorecard", *window, "--la", la)

    assert half_up(card["A1"]["mean_days"]) == a1
    assert half_up(card["A2"]["mean_days"]) == a2
    assert card["A3"]["months"] == 16
    assert half_up(card["A3"]["percent"]) == a3
    if distances is not None:
        assert (half_up(card["A1"]["distance"]), half_up(card["A2"]["distance"])) == distances
        assert (card["A1"]["threshold"], card["A2"]["threshold"]) == (487, 121)


def _year(cohorts: dict[str, Any], year: str) -> dict[str, Any]:
    return next(r for r in cohorts["rows"] if r["year"] == year)


@pytest.mark.parametrize(
    ("la", "year", "census", "pos", "mean", "places", "matched"),
    [
        ("825", "2014-15", "2016-09-30", 28, 246.4, 1, 27),
        ("825", "2015-16", "2016-09-30", 25, 113.1, 1, 24),
        ("928", "2014-15", "2016-09-30", 67, 162.1, 1, 65),
        ("928", "2015-16", "2016-09-30", 69, 135.93, 2, 58),
    ],
)
def test_tables_3_and_4_placement_order_cohorts(
    run: Cli, la: str, year: str, census: str, pos: int, mean: float, places: int, matched: int
) -> None:
    row = _year(report(run, "cohort", "--by", "po-year", "--census", census, "--la", la), year)

    assert row["placement_orders"] == pos
    assert row["matched"] == matched
    assert half_up(row["mean_days_po_to_match"], places) == mean
    assert row["matched"] + row["waiting"] + row["exited"] == row["placement_orders"]


def test_table_3_tracking_period_cohort_october_to_march(run: Cli) -> None:
    args = ["cohort", "--census", "2016-09-30", "--from", "2015-10-01", "--to", "2016-03-31", "--la", "825"]
    (row,) = report(run, *args)["rows"]

    assert (row["placement_orders"], row["matched"], row["waiting"]) == (16, 15, 1)
    assert half_up(row["mean_days_po_to_match"]) == 100


@pytest.mark.parametrize(
    ("la", "year", "census", "disrupted"),
    [
        ("825", "2015-16", "2016-09-30", 0),
        ("928", "2015-16", "2016-09-30", 3),
        ("928", "2014-15", "2015-09-30", 1),
    ],
)
def test_early_disruption_by_census(run: Cli, la: str, year: str, census: str, disrupted: int) -> None:
    row = _year(report(run, "cohort", "--census", census, "--la", la), year)

    assert row["disrupted"] == disrupted


def test_harder_to_place_children_in_the_buckinghamshire_2015_16_cohort(run: Cli) -> None:
    row = _year(report(run, "cohort", "--census", "2016-09-30", "--la", "825"), "2015-16")

    assert row["harder_to_place"] == 12


def test_two_authorities_side_by_side(run: Cli) -> None:
    both = report_json(run, "scorecard", "--period", "2012-15", "--la", "825", "--la", "928")
    alone = report(run, "scorecard", "--period", "2012-15", "--la", "928")

    assert both["las"] == list(both["by_la"]) == ["825", "928"]
    assert both["by_la"]["928"] == jsonable(alone)
    table = run("scorecard", "--period", "2012-15", "--la", "825", "--la", "928", la=None)
    assert table.exit_code == 0
    assert "825" in table.output and "928" in table.output
