"""The report commands' contract: JSON keys, CSV, errors with remedies, projections upkeep."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Cli, only_la


def given_an_adopted_child(run: Cli, child: str = "C1", la: str = "825") -> None:
    for kind, on in [
        ("entered-care", "2012-01-10"),
        ("adoption-decision", "2012-05-01"),
        ("placement-order", "2012-09-01"),
        ("match", "2013-01-01"),
        ("placed", "2013-02-01"),
        ("adoption-order", "2013-06-01"),
    ]:
        result = run("record", kind, child, "--on", on, la=la)
        assert result.exit_code == 0, result.output


def given_a_waiting_child(run: Cli, child: str = "C2") -> None:
    for kind, on in [
        ("entered-care", "2014-01-10"),
        ("adoption-decision", "2014-05-01"),
        ("placement-order", "2014-09-01"),
    ]:
        assert run("record", kind, child, "--on", on).exit_code == 0


def as_json(run: Cli, *args: str) -> dict[str, Any]:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def report(run: Cli, *args: str) -> dict[str, Any]:
    """The report of the test's one LA (the only entry under ``by_la``)."""
    return only_la(as_json(run, *args))


def test_every_report_json_has_one_shape_for_one_la_or_many(run: Cli) -> None:
    given_an_adopted_child(run)
    given_an_adopted_child(run, "N1", la="928")
    for command in (
        ["scorecard", "--period", "2012-15"],
        ["cohort", "--census", "2015-09-30"],
        ["waiting", "--as-at", "2013-01-01"],
        ["counts"],
        ["stages"],
    ):
        one = json.loads(run(*command, "--json", "--la", "928", la=None).output)
        two = json.loads(run(*command, "--json", "--la", "928", "--la", "825", la=None).output)
        every = json.loads(run(*command, "--json", la=None).output)
        assert set(one) == set(two) == set(every) == {"las", "by_la"}, command
        assert (one["las"], two["las"], every["las"]) == (["928"], ["928", "825"], ["all"])
        assert list(two["by_la"]) == two["las"]
        assert two["by_la"]["928"] == one["by_la"]["928"]
        assert set(every["by_la"]["all"]) == set(one["by_la"]["928"])


def test_scorecard_json_keys_are_the_documented_contract(run: Cli) -> None:
    given_an_adopted_child(run)

    card = report(run, "scorecard", "--period", "2012-15")

    assert set(card) == {"from", "to", "adopted", "A1", "A2", "A3", "A10", "thresholds_source"}
    assert set(card["A2"]) == {"mean_days", "children", "threshold", "distance"}
    assert set(card["A1"]) == {"mean_days", "children", "threshold", "distance", "start_not_known"}
    assert set(card["A3"]) == {"months", "count", "percent", "start_not_known"}
    assert set(card["A10"]) == {"mean_days", "children", "start_not_known"}
    assert (card["from"], card["to"], card["adopted"]) == ("2012-04-01", "2015-03-31", 1)
    assert isinstance(card["A1"]["mean_days"], float)


def test_cohort_json_keys_are_the_documented_contract(run: Cli) -> None:
    given_an_adopted_child(run)
    given_a_waiting_child(run)

    cohort = report(run, "cohort", "--by", "po-year", "--census", "2015-09-30")

    assert set(cohort) == {"census", "rows"}
    assert [r["year"] for r in cohort["rows"]] == ["2012-13", "2014-15"]
    assert set(cohort["rows"][0]) == {
        "year",
        "placement_orders",
        "matched",
        "mean_days_po_to_match",
        "waiting",
        "exited",
        "km_median_days",
        "mean_days_with_waiting",
        "disrupted",
        "harder_to_place",
    }
    assert cohort["rows"][1]["waiting"] == 1


def test_counts_json_rows_carry_every_count(run: Cli) -> None:
    given_an_adopted_child(run)

    counts = report(run, "counts", "--by", "quarter")

    assert set(counts["rows"][0]) == {
        "period",
        "adoption_decisions",
        "placement_orders",
        "consents",
        "matches",
        "placements",
        "adoption_orders",
        "reversals",
    }
    assert counts["rows"][0]["period"] == "2012-13 Q1"


def test_waiting_and_stages_answer_in_json_and_csv(run: Cli) -> None:
    given_an_adopted_child(run)
    given_a_waiting_child(run)

    waiting = report(run, "waiting", "--as-at", "2015-01-01")
    stages = report(run, "stages")
    csv = run("waiting", "--as-at", "2015-01-01", "--csv")

    assert [c["child"] for c in waiting["children"]] == ["C2"]
    assert stages["slowest"] in {s["stage"] for s in stages["stages"]}
    assert csv.exit_code == 0
    assert csv.output.splitlines()[0].startswith("la,child,")
    assert csv.output.splitlines()[1].startswith("825,C2,")


def test_cohort_csv_has_one_row_per_year(run: Cli) -> None:
    given_an_adopted_child(run)

    result = run("cohort", "--census", "2015-09-30", "--csv")

    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("825,2012-13,1,1,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scorecard", "--period", "2012/15"], "Error: period '2012/15' is not of the form YYYY-YY — write a period"),
        (["scorecard"], "Error: no reporting window: give --period, or both --from and --to"),
        (["scorecard", "--period", "2012-15", "--from", "2012-01-01"], "Error: give either a period or --from"),
        (["cohort", "--census", "2016-09-30", "--from", "2016-01-01"], "Error: no reporting window"),
        (["scorecard", "--from", "2015-01-01", "--to", "2014-01-01"], "Error: the window ends (2014-01-01) before"),
    ],
)
def test_a_bad_window_is_one_error_line_with_a_remedy(run: Cli, args: list[str], message: str) -> None:
    result = run(*args)

    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert len(result.output.splitlines()) == 1


def test_a_thresholds_file_overrides_the_shipped_thresholds(run: Cli, tmp_path: Path) -> None:
    given_an_adopted_child(run)
    custom = tmp_path / "thresholds.toml"
    custom.write_text('[periods."2012-15"]\nA1 = 400\nA2 = 100\nA3_months = 12\nsource = "local target"\n')

    card = report(run, "scorecard", "--period", "2012-15", "--thresholds", str(custom))

    assert (card["A1"]["threshold"], card["A2"]["threshold"], card["A3"]["months"]) == (400, 100, 12)
    assert card["thresholds_source"] == "local target"


def test_an_invalid_thresholds_file_is_refused_with_the_reason(run: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[periods."2012-15"]\nA1 = "soon"\n')

    result = run("scorecard", "--period", "2012-15", "--thresholds", str(bad))

    assert result.exit_code == 1
    assert "A1 must be a positive whole number" in result.output


def test_projections_status_catch_up_and_rebuild(run: Cli) -> None:
    given_an_adopted_child(run)

    before = as_json(run, "projections", "status")
    caught = as_json(run, "projections", "catch-up")
    rebuilt = as_json(run, "projections", "rebuild")
    after = as_json(run, "projections", "status")
    assert as_json(run, "projections", "rebuild", "--workers", "2") == rebuilt

    assert before["behind"] == before["head"] > 0
    assert caught["events"] == before["head"]
    assert rebuilt["events"] == before["head"]
    assert (after["behind"], after["rows"]) == (0, 1)
    assert after["location"].endswith("journeys.views.db")


def test_a_report_catches_up_before_answering(run: Cli) -> None:
    given_an_adopted_child(run)
    report(run, "scorecard", "--period", "2012-15")

    given_an_adopted_child(run, "C9")

    assert report(run, "scorecard", "--period", "2012-15")["adopted"] == 2
    assert as_json(run, "projections", "status")["behind"] == 0


def test_reports_accept_known_at(run: Cli) -> None:
    given_an_adopted_child(run)

    result = report(run, "scorecard", "--period", "2012-15", "--known-at", "2000-01-01")

    assert result["adopted"] == 0


def test_a_refused_report_does_not_touch_the_read_model(run: Cli) -> None:
    given_an_adopted_child(run)

    refused = run("scorecard", "--period", "2012/15")

    assert refused.exit_code == 1
    assert as_json(run, "projections", "status")["position"] == 0


def test_cohort_csv_keeps_full_precision(run: Cli) -> None:
    given_an_adopted_child(run)
    given_an_adopted_child(run, "C3")
    given_an_adopted_child(run, "C4")
    assert run("correct", "C3", "5", "--on", "2013-01-02", "--reason", "panel date").exit_code == 0

    row = run("cohort", "--census", "2015-09-30", "--csv").output.splitlines()[1].split(",")

    mean = report(run, "cohort", "--census", "2015-09-30")["rows"][0]["mean_days_po_to_match"]
    assert round(mean, 1) != mean
    assert float(row[4]) == mean


def test_a_read_model_ahead_of_a_replaced_store_is_refused_with_a_remedy(run: Cli) -> None:
    given_an_adopted_child(run)
    given_an_adopted_child(run, "C3")
    as_json(run, "projections", "catch-up")
    Path(run.store).unlink()
    given_an_adopted_child(run)

    refused = run("scorecard", "--period", "2012-15")
    rebuilt = as_json(run, "projections", "rebuild")

    assert refused.exit_code == 1
    assert refused.output.startswith("Error: the read model ")
    assert "run `journeys projections rebuild`" in refused.output
    assert rebuilt["position"] == rebuilt["head"]
    assert report(run, "scorecard", "--period", "2012-15")["adopted"] == 1
