"""`journeys retention` and `legal-hold` as a user runs them: the rule that applies with its
source, JSON and CSV, a hold that stops the clock without changing any report, and refusals."""

from __future__ import annotations

import csv
import io
import json

from tests.helpers import Cli


def _children(run: Cli) -> None:
    steps = [
        ("A1", "child-details", "2000-03-01", ["--date-of-birth", "2000-03-01"]),
        ("A1", "entered-care", "2000-03-01", ["--legal-status", "C1"]),
        ("A2", "child-details", "2014-01-19", ["--date-of-birth", "2014-01-19"]),
        ("A2", "entered-care", "2014-06-02", ["--legal-status", "C1"]),
        ("A2", "adoption-decision", "2014-11-20", []),
        ("A2", "placement-order", "2015-02-10", []),
        ("A2", "match", "2015-07-16", ["--adopters", "ADP-825-130"]),
        ("A2", "placed", "2015-08-01", []),
        ("A2", "adoption-order", "2016-03-01", []),
    ]
    for child, kind, on, more in steps:
        result = run("record", kind, child, "--on", on, *more)
        assert result.exit_code == 0, result.output


def test_retention_lists_the_children_due_with_the_rule_and_its_source(run: Cli) -> None:
    _children(run)
    result = run("retention", "--as-at", "2075-03-01", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(c["child"], c["status"], c["rule"], c["review_from"]) for c in data["children"]] == [
        ("A1", "due", "looked-after-record", "2075-03-01")
    ]
    assert data["counts"] == {"due": 1, "held": 0, "no-rule": 0, "kept": 1}
    assert "SI 2005/888" in next(r["source"] for r in data["rules"] if r["id"] == "adoption-record")
    every = list(csv.DictReader(io.StringIO(run("retention", "--as-at", "2075-03-01", "--all", "--csv").output)))
    assert [(r["child"], r["status"], r["review_from"]) for r in every] == [
        ("A1", "due", "2075-03-01"),
        ("A2", "kept", "2116-03-01"),
    ]
    table = run("retention", "--as-at", "2075-03-01").output
    assert "looked-after-record" in table and "1 due, 0 held, 0 under no rule, 1 kept" in table


def test_a_legal_hold_stops_the_clock_and_changes_no_report(run: Cli) -> None:
    _children(run)
    reports = [
        ["scorecard", "--period", "2014-17", "--json"],
        ["counts", "--by", "year", "--json"],
        ["waiting", "--as-at", "2015-12-31", "--json"],
        ["show", "A2", "--json"],
    ]
    before = [run(*args).output for args in reports]
    held = run("legal-hold", "A1", "--reason", "inquiry: preserve", "--json", user="dpo")
    assert held.exit_code == 0, held.output
    assert json.loads(held.output)["event"] == "legal-hold"
    data = json.loads(run("retention", "--as-at", "2075-03-01", "--json").output)
    assert [(c["child"], c["status"], c["review_from"]) for c in data["children"]] == [("A1", "held", None)]
    assert [run(*args).output for args in reports] == before
    assert run("legal-hold", "A1", "--lift", "--reason", "inquiry closed").exit_code == 0
    assert "legal-hold" in run("history", "A1").output
    assert run("verify").exit_code == 0


def test_refusals_are_one_error_line(run: Cli) -> None:
    _children(run)
    lift = run("legal-hold", "A1", "--lift", "--reason", "nothing held")
    assert lift.exit_code == 1 and lift.output.startswith("Error: child A1 has no legal hold to lift")
    unknown = run("legal-hold", "Z9", "--reason", "x")
    assert unknown.exit_code == 1 and "no journey for child 'Z9'" in unknown.output
    missing = run("legal-hold", "A1")
    assert missing.exit_code == 2 and "--reason" in missing.output
    bad = run("retention", "--rules", "/nonexistent/rules.toml")
    assert bad.exit_code == 1 and bad.output.startswith("Error: retention rules file")
