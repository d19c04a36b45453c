"""`journeys cohort --outcomes`: each cohort's waits, by how they ended, on the evaluation's
fixtures (Buckinghamshire and Northamptonshire, observed at 30 September 2016)."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

import pytest

from tests.helpers import FIXTURES, Cli

EVALUATION = FIXTURES / "evaluation-2017"
COHORT = ["cohort", "--census", "2016-09-30", "--la", "825", "--la", "928"]
EXITS = ("matched", "plan_changed", "left_care")


@pytest.fixture
def loaded(run: Cli) -> Cli:
    result = run("load", str(EVALUATION / "buckinghamshire.jsonl"), str(EVALUATION / "northamptonshire.jsonl"))
    assert result.exit_code == 0, result.output
    return run


def _json(run: Cli, *args: str) -> dict[str, Any]:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_each_cohort_gains_its_outcomes_and_keeps_its_other_figures(loaded: Cli) -> None:
    plain = _json(loaded, *COHORT)
    with_outcomes = _json(loaded, *COHORT, "--outcomes")

    for la in ("825", "928"):
        rows = with_outcomes["by_la"][la]["rows"]
        assert [{k: v for k, v in r.items() if k != "outcomes"} for r in rows] == plain["by_la"][la]["rows"]
        assert all("outcomes" not in r for r in plain["by_la"][la]["rows"])
        for r in rows:
            assert [e["months"] for e in r["outcomes"]["matched"]] == [3, 6, 12, 18]
            assert [e["days"] for e in r["outcomes"]["matched"]] == [91, 182, 365, 547]


def test_the_ways_of_ending_and_still_waiting_add_up_to_one(loaded: Cli) -> None:
    data = _json(loaded, *COHORT, "--outcomes")

    for report in data["by_la"].values():
        for r in report["rows"]:
            found = r["outcomes"]
            for i, waiting in enumerate(found["waiting"]):
                if waiting["probability"] is None:
                    assert all(found[e][i]["incidence"] is None for e in EXITS)
                    continue
                total = sum(found[e][i]["incidence"] for e in EXITS) + waiting["probability"]
                assert math.isclose(total, 1.0, abs_tol=1e-12), (r["year"], i)


def test_northamptonshires_plan_changes_are_a_competing_exit_not_a_censoring(loaded: Cli) -> None:
    row = next(r for r in _json(loaded, *COHORT, "--outcomes")["by_la"]["928"]["rows"] if r["year"] == "2015-16")

    at_12 = {e: row["outcomes"][e][2] for e in EXITS}
    assert at_12["plan_changed"]["incidence"] > 0
    assert 0 < at_12["plan_changed"]["lower"] < at_12["plan_changed"]["incidence"] < at_12["plan_changed"]["upper"]
    assert at_12["left_care"]["incidence"] == 0.0


def test_where_no_wait_is_censored_before_18_months_the_incidence_is_the_share_matched_by_then(loaded: Cli) -> None:
    # 825's 2014-15 POs were all made by 31 March 2015, so each child was followed 549 days or more
    data = _json(loaded, "cohort", "--census", "2016-09-30", "--la", "825", "--outcomes", "--explain")["by_la"]["825"]
    row = next(r for r in data["rows"] if r["year"] == "2014-15")
    matched_days = [c["value"] for c in data["explain"]["2014-15.mean_days_po_to_match"]["children"]]

    share = sum(1 for days in matched_days if days <= 547) / row["placement_orders"]
    assert row["outcomes"]["matched"][3]["incidence"] == pytest.approx(share, abs=1e-12)
    assert row["exited"] == 0
    assert row["outcomes"]["waiting"][3]["probability"] == pytest.approx(1 - share, abs=1e-12)


def test_every_run_prints_the_same_outcomes(loaded: Cli) -> None:
    first = [loaded(*COHORT, "--outcomes", *extra).output for extra in ((), ("--json",), ("--csv",))]
    again = [loaded(*COHORT, "--outcomes", *extra).output for extra in ((), ("--json",), ("--csv",))]

    assert first == again


def test_the_table_shows_each_exit_with_its_interval(loaded: Cli) -> None:
    result = loaded(*COHORT, "--outcomes")

    assert result.exit_code == 0, result.output
    assert "How the waits ended: cumulative incidence (Aalen–Johansen)" in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("928  2015-16")]
    assert [line.split("  ")[2].strip() for line in lines[1:]] == [
        "matched",
        "plan changed",
        "left care otherwise",
        "still waiting",
    ]


def test_the_csv_adds_a_column_per_exit_horizon_and_bound(loaded: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(loaded(*COHORT, "--outcomes", "--csv").output)))
    data = _json(loaded, *COHORT, "--outcomes")

    first = next(r for r in rows if r["la"] == "928" and r["year"] == "2015-16")
    outcome = next(r for r in data["by_la"]["928"]["rows"] if r["year"] == "2015-16")["outcomes"]
    assert float(first["plan_changed_12m"]) == outcome["plan_changed"][2]["incidence"]
    assert float(first["plan_changed_12m_lower"]) == outcome["plan_changed"][2]["lower"]
    assert float(first["waiting_18m"]) == outcome["waiting"][3]["probability"]


def test_outcomes_as_known_at_a_time_are_those_the_store_held_then(loaded: Cli) -> None:
    now = _json(loaded, *COHORT, "--outcomes")
    known = _json(loaded, *COHORT, "--outcomes", "--known-at", "2100-01-01")

    assert known["by_la"] == now["by_la"]
