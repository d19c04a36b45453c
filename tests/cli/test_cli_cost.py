"""`journeys cost` on the evaluation's Buckinghamshire fixture: the days the 2015-16 placement-order
cohort saved against 2014-15's mean, priced; the evaluation's "minimum nominal savings of £277k"
as a scenario the engine computes; every figure explained, its rows adding up to it exactly."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import FIXTURES, ROOT, Cli

BUCKINGHAMSHIRE = FIXTURES / "evaluation-2017" / "buckinghamshire.jsonl"
COST = ["cost", "--baseline", "2014-15", "--compare", "2015-16", "--la", "825", "--census", "2016-09-30"]
EVALUATION_SAVING = 277_000  # DFE-RR569: "reduced days in care produced minimum nominal savings of £277k"
PSSRU_WEEKLY = 646


@pytest.fixture
def loaded(run: Cli) -> Cli:
    result = run("load", str(BUCKINGHAMSHIRE))
    assert result.exit_code == 0, result.output
    return run


def _report(run: Cli, *args: str) -> dict[str, Any]:
    result = run(*COST, *args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    report: dict[str, Any] = data["by_la"]["825"]
    return report


def _costs_file(tmp_path: Path, weekly: int) -> Path:
    path = tmp_path / "costs.toml"
    path.write_text(
        f'[rates.scenario]\namount = "{weekly}"\nper = "week"\nprice_year = "2015-16"\n'
        'placement_type = "foster-la"\nsource = "the rate the evaluation\'s saving implies (a scenario)"\n'
    )
    return path


def _pence(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_the_cohorts_are_those_the_evaluation_reports(loaded: Cli) -> None:
    report = _report(loaded)

    assert (report["baseline"]["matched"], round(report["baseline"]["mean_days_po_to_match"], 1)) == (27, 246.4)
    assert (report["compare"]["matched"], round(report["compare"]["mean_days_po_to_match"], 1)) == (24, 113.1)
    assert len(report["children"]) == 24


def test_the_days_saved_are_each_childs_against_the_baseline_mean(loaded: Cli) -> None:
    report = _report(loaded)

    compared = sum(c["days_po_to_match"] for c in report["children"])
    baseline_mean = Fraction(report["baseline"]["mean_days_po_to_match"]).limit_denominator(27)
    assert Fraction(report["exact"]["days_saved"]) == 24 * baseline_mean - compared
    rate = Fraction(PSSRU_WEEKLY, 7)
    assert report["cost_avoided"] == str(_pence(Fraction(report["exact"]["days_saved"]) * rate))


def test_the_evaluations_277k_is_the_engines_days_saved_at_the_rate_it_implies(loaded: Cli, tmp_path: Path) -> None:
    days_saved = Fraction(_report(loaded)["exact"]["days_saved"])
    implied_weekly = Fraction(EVALUATION_SAVING * 7) / days_saved
    scenario = _report(loaded, "--costs", str(_costs_file(tmp_path, round(implied_weekly))), "--rate", "scenario")

    assert round(Decimal(scenario["cost_avoided"]), -3) == EVALUATION_SAVING
    # a "minimum nominal" saving: a lower rate than PSSRU 2017's 646 pounds a week
    assert implied_weekly < PSSRU_WEEKLY
    assert Decimal(_report(loaded)["cost_avoided"]) > EVALUATION_SAVING


def test_docs_costs_states_the_figures_the_engine_computes(loaded: Cli, tmp_path: Path) -> None:
    report = _report(loaded)
    days_saved = Fraction(report["exact"]["days_saved"])
    implied_weekly = Fraction(EVALUATION_SAVING * 7) / days_saved
    at_implied = _report(loaded, "--costs", str(_costs_file(tmp_path, round(implied_weekly))), "--rate", "scenario")
    docs = (ROOT / "docs" / "costs.md").read_text()

    def money(text: str) -> str:
        return f"£{Decimal(text):,.2f}"

    expected = [
        f"| days saved, PO → match ({len(report['children'])} children) | {float(days_saved):,.1f} |",
        f"| cost avoided at PSSRU 2017's £646 a week | {money(report['cost_avoided'])} |",
        f"| the same, the rate 20% lower / higher | {money(report['cost_avoided_low'])} / "
        f"{money(report['cost_avoided_high'])} |",
        f"| the rate £277k implies | £{_pence(implied_weekly / 7):,} a day, £{_pence(implied_weekly):,} a week |",
        f"| at £{round(implied_weekly)} a week (`--costs`), the engine gives | {money(at_implied['cost_avoided'])} |",
        f"| days saved, PO → placed | {report['days_saved_to_placed']:,.1f} |",
        f"| cost avoided, PO → placed, at £646 a week | {money(report['cost_avoided_to_placed'])} |",
    ]
    for line in expected:
        assert line in docs, line


def test_every_figure_is_explained_and_its_rows_add_up_to_it_exactly(loaded: Cli) -> None:
    report = _report(loaded, "--explain")
    explained = report["explain"]

    assert set(explained) >= {"days_saved", "cost_avoided", "cost_avoided_low", "cost_avoided_high"}
    for key, figure in explained.items():
        rows = figure["children"]
        if figure["aggregate"] == "sum":
            assert sum((Fraction(r["exact"]) for r in rows), Fraction(0)) == Fraction(figure["exact"]), key
            assert figure["value"] == report[key], key
        else:
            assert figure["aggregate"] == "mean"
            assert sum(r["value"] for r in rows) / len(rows) == pytest.approx(figure["value"], abs=1e-9), key
        for row in rows:
            assert all(isinstance(e["seq"], int) for e in row["events"]), (key, row["child"])
    assert len(explained["cost_avoided"]["children"]) == len(report["children"])


def test_an_explained_figure_can_be_asked_for_again_by_its_id(loaded: Cli) -> None:
    figure = _report(loaded, "--explain")["explain"]["cost_avoided"]

    result = loaded("explain", figure["id"], "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(json.dumps(figure))


def test_the_table_shows_the_saving_its_band_and_the_contract(loaded: Cli) -> None:
    report = _report(loaded, "--contract-cost", "145000")
    result = loaded(*COST, "--contract-cost", "145000")

    assert result.exit_code == 0, result.output
    assert f"£{Decimal(report['cost_avoided']):,.2f}" in result.output
    assert f"£{Decimal(report['net_of_contract']):,.2f}" in result.output
    assert Decimal(report["net_of_contract"]) == Decimal(report["cost_avoided"]) - 145000
    assert "rate -20% / +20%" in result.output


def test_a_market_rate_prices_the_same_days(loaded: Cli) -> None:
    pssru, agency = _report(loaded), _report(loaded, "--rate", "cma-2022-ifa")

    assert agency["exact"]["days_saved"] == pssru["exact"]["days_saved"]
    assert agency["cost_avoided"] == str(_pence(Fraction(pssru["exact"]["days_saved"]) * Fraction(820, 7)))


def test_the_csv_lists_each_compared_child(loaded: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(loaded(*COST, "--csv").output)))

    assert len(rows) == 24
    assert {r["rate"] for r in rows} == {"pssru-2017-la-foster"}


def test_as_known_at_a_time_it_is_the_store_then(loaded: Cli) -> None:
    assert _report(loaded, "--known-at", "2100-01-01")["exact"] == _report(loaded)["exact"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--baseline", "2014"], 2, "'2014' is not a financial year"),
        (["--baseline", "2014-16"], 2, "is not one financial year"),
        (["--rate", "nope"], 1, "has no rate 'nope'"),
        (["--contract-cost", "lots"], 2, "is not an amount of pounds"),
        (["--price-year", "2020-21"], 1, "give both --index and --price-year"),
        (["--json", "--csv"], 2, "choose one of --json and --csv"),
    ],
)
def test_a_bad_option_is_one_error_line(loaded: Cli, args: list[str], code: int, message: str) -> None:
    given = dict(zip(COST[1::2], COST[2::2], strict=True))
    words = ["cost"] + [w for k, v in given.items() if k not in args for w in (k, v)] + args

    result = loaded(*words)

    assert result.exit_code == code, result.output
    assert message in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("Error:")]) == 1
    assert "Traceback" not in result.output
    assert re.search(r"^Error: ", result.output, flags=re.M)
