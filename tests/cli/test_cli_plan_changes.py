"""The plan-changes and tracking-cohort commands: JSON contract, CSV, text and errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from journeys import JourneysApp
from tests.helpers import Cli, away, in_care_with_family_finding, record

TRACKING = ["tracking-cohort", "--from", "2015-10-01", "--to", "2016-03-31", "--census", "2016-09-30"]


@pytest.fixture
def two_children(sqlite_store: str) -> None:
    app = JourneysApp(sqlite_store)
    try:
        in_care_with_family_finding(app, "C1", "2015-09-01", "2015-10-15")
        record(app, "C1", "adoption-decision", "2016-01-10")
        record(app, "C1", "placement-order", "2016-04-10")
        in_care_with_family_finding(app, "C2", "2015-09-01", "2015-11-01")
        away(app, "C2", "2016-02-01", reason="RD2", decided_by="court")
    finally:
        app.close()


def test_plan_changes_json_has_the_documented_keys(run: Cli, two_children: None) -> None:
    data = json.loads(run("plan-changes", "--json").output)

    assert {"total", "by_reason", "by_decider", "by_stage", "by_outcome", "changes"} <= set(data)
    assert set(data["changes"][0]) == {
        "la",
        "child",
        "seq",
        "date",
        "plan_before",
        "plan_after",
        "away_from_adoption",
        "stage",
        "reason",
        "decided_by",
        "outcome",
        "plan_since",
        "days_on_plan",
        "adoption_decision",
        "days_since_adoption_decision",
    }
    assert (data["total"], data["changes"][0]["child"], data["changes"][0]["date"]) == (1, "C2", "2016-02-01")


def test_tracking_cohort_json_has_the_documented_keys(run: Cli, two_children: None) -> None:
    data = json.loads(run(*TRACKING, "--json").output)

    assert {
        "tracked",
        "proceeded",
        "with_po",
        "matched",
        "under_consideration",
        "ceased",
        "ceased_by_court",
        "outcomes",
        "other",
        "children",
    } <= set(data)
    assert (data["tracked"], data["proceeded"], data["with_po"], data["ceased"], data["ceased_by_court"]) == (
        2,
        1,
        1,
        1,
        1,
    )
    assert data["outcomes"] == {"home-with-mother": 1} and data["other"] == {}
    assert [c["class"] for c in data["children"]] == ["proceeded", "ceased"]


def test_tracking_cohort_text_says_the_classes_add_up(run: Cli, two_children: None) -> None:
    result = run(*TRACKING)

    assert result.exit_code == 0
    assert "2 children tracked" in result.output
    assert "1 + 0 + 1 + 0 = 2: the classes add up to the 2 children tracked" in result.output


def test_plan_changes_csv_lists_one_row_per_change(run: Cli, two_children: None) -> None:
    rows = list(csv.DictReader(io.StringIO(run("plan-changes", "--csv").output)))

    assert [(r["child"], r["plan_before"], r["plan_after"], r["reason"]) for r in rows] == [
        ("C2", "adoption", "reunification", "RD2")
    ]


def test_plan_changes_text_shows_totals_and_the_list(run: Cli, two_children: None) -> None:
    result = run("plan-changes", "--from", "2016-01-01", "--to", "2016-03-31")

    assert result.exit_code == 0
    assert result.output.startswith("1 plan change away from adoption, 2016-01-01 to 2016-03-31")
    assert "court did not make a placement order" in result.output


def test_a_census_before_the_window_ends_is_one_error_line(run: Cli) -> None:
    result = run("tracking-cohort", "--from", "2015-10-01", "--to", "2016-03-31", "--census", "2016-01-01")

    assert result.exit_code == 1
    assert result.output == (
        "Error: the census on 2016-01-01 is before the tracking window ends on 2016-03-31"
        " — give a --census on or after --to\n"
    )


def test_a_reversed_window_is_one_error_line(run: Cli) -> None:
    result = run("plan-changes", "--from", "2016-01-01", "--to", "2015-01-01")

    assert result.exit_code == 1
    assert result.output.startswith("Error: the window starts on 2016-01-01, after it ends on 2015-01-01 — ")


def test_without_an_la_every_authority_is_reported(run: Cli, sqlite_store: str) -> None:
    app = JourneysApp(sqlite_store)
    try:
        in_care_with_family_finding(app, "C1", "2015-09-01", "2015-10-15", la="825")
        in_care_with_family_finding(app, "C1", "2015-09-01", "2015-10-15", la="928")
    finally:
        app.close()

    everyone = json.loads(run(*TRACKING, "--json", la=None).output)
    one = json.loads(run(*TRACKING, "--json", "--la", "928", la=None).output)

    assert (everyone["tracked"], everyone["la"]) == (2, None)
    assert (one["tracked"], [c["la"] for c in one["children"]]) == (1, ["928"])
