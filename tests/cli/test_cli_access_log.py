"""`journeys access-log` and `subject-access` as a user runs them, on SQLite and PostgreSQL:
`show` twice then the log lists both looks with user and purpose; a row edited in the store
breaks `verify`; a refused export writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from journeys import JourneysApp
from tests.helpers import Cli, record
from tests.journeys.protection.test_access_log import _sql


def _cli_with_child(store: str) -> Cli:
    app = JourneysApp(store)
    record(app, "C001", "entered-care", "2014-06-02", legal_status="C1")
    record(app, "C001", "adoption-decision", "2014-11-20")
    app.close()
    return Cli(store)


def test_show_twice_then_the_log_lists_both_with_user_and_purpose(store: str) -> None:
    run = _cli_with_child(store)
    assert run("show", "C001", "--purpose", "adoption panel", user="jsmith").exit_code == 0
    assert run("show", "C001", "--json", user="kpatel").exit_code == 0
    result = run("access-log", "C001", "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)["records"]
    assert [(r["seq"], r["user"], r["command"], r["purpose"]) for r in records] == [
        (1, "jsmith", "show", "adoption panel"),
        (2, "kpatel", "show", None),
    ]
    table = run("access-log", "C001").output
    assert "adoption panel" in table and "kpatel" in table and "2 records" in table


def test_every_command_that_shows_one_child_is_logged(store: str) -> None:
    run = _cli_with_child(store)
    for args in (["show", "C001"], ["history", "C001"], ["deadlines", "C001", "--as-at", "2015-01-01"]):
        assert run(*args).exit_code == 0
    assert run("history", "C999").exit_code == 1  # a refused look is not one
    records = json.loads(run("access-log", "--json").output)["records"]
    assert [r["command"] for r in records] == ["show", "history", "deadlines"]


def test_a_row_edited_in_raw_sql_breaks_verify(store: str) -> None:
    run = _cli_with_child(store)
    run("show", "C001", user="jsmith")
    run("show", "C001", user="kpatel")
    assert run("verify").exit_code == 0
    _sql(store, "UPDATE journeys_access_log SET user_name = ? WHERE seq = ?", ("someone-else", 1))
    result = run("verify")
    assert result.exit_code == 1
    assert "access log of 825 record 1: content does not match its hash" in result.output
    checked = run("access-log", "--verify")
    assert checked.exit_code == 1 and checked.output.strip().splitlines()[-1].startswith("Error: 1 problem(s)")
    data = json.loads(run("verify", "--json").output)
    assert data["ok"] is False and data["problems"] == [] and data["access_log"]["records"] == 2


def test_subject_access_writes_a_new_file_and_refuses_an_existing_one(store: str, tmp_path: Path) -> None:
    run = _cli_with_child(store)
    run("show", "C001", "--purpose", "review", user="jsmith")
    out = tmp_path / "sar.json"
    result = run("subject-access", "C001", "--out", str(out), user="dpo")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert [e["event"] for e in data["events"]] == ["opened", "entered-care", "adoption-decision"]
    assert all("recorded" in e for e in data["events"])
    assert [r["user"] for r in data["access_log"]] == ["jsmith", "dpo"]
    again = run("subject-access", "C001", "--out", str(out))
    assert again.exit_code == 1 and "already exists" in again.output
    missing = tmp_path / "none.json"
    unknown = run("subject-access", "C999", "--out", str(missing))
    assert unknown.exit_code == 1 and not missing.exists()


def test_explain_logs_each_child_its_figure_lists(run: Cli) -> None:
    for child in ("C001", "C002"):
        assert run("record", "entered-care", child, "--on", "2014-01-06", "--legal-status", "C1").exit_code == 0
        assert run("record", "adoption-decision", child, "--on", "2014-03-03").exit_code == 0
    waiting = json.loads(run("waiting", "--as-at", "2014-06-01", "--explain", "--json").output)
    figure_id = next(f["id"] for f in waiting["by_la"]["825"]["explain"].values() if f["children"])
    result = run("explain", figure_id, "--purpose", "audit", user="auditor")
    assert result.exit_code == 0, result.output
    records = json.loads(run("access-log", "--json").output)["records"]
    assert sorted((r["child"], r["command"], r["user"], r["purpose"]) for r in records) == [
        ("C001", "explain", "auditor", "audit"),
        ("C002", "explain", "auditor", "audit"),
    ]
