"""`--explain` on every report and `journeys explain FIGURE-ID`, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journeys import JourneysApp
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from tests.helpers import FIXTURES, Cli, assert_report_explained, record

# (report name, command) on the evaluation's two local authorities
REPORTS: list[tuple[str, list[str]]] = [
    ("scorecard", ["scorecard", "--period", "2012-15", "--la", "825", "--la", "928"]),
    ("cohort", ["cohort", "--census", "2016-09-30", "--la", "928"]),
    ("waiting", ["waiting", "--as-at", "2016-03-31", "--la", "825", "--la", "928"]),
    ("counts", ["counts", "--by", "year", "--la", "825"]),
    ("stages", ["stages", "--period", "2012-15", "--la", "825", "--known-at", "2100-01-01"]),
    ("plan-changes", ["plan-changes", "--from", "2015-04-01", "--to", "2016-09-30", "--la", "825"]),
    ("tracking-cohort", ["tracking-cohort", "--from", "2015-10-01", "--to", "2016-03-31", "--census", "2016-09-30"]),
    ("surgery", ["surgery", "--as-at", "2016-03-31", "--la", "825"]),
]
BY_LA = {"scorecard", "cohort", "waiting", "counts", "stages"}


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    store = str(tmp_path_factory.mktemp("explain") / "journeys.db")
    app = JourneysApp(store)
    try:
        for path in sorted((FIXTURES / "evaluation-2017").glob("*.jsonl")):
            lines = path.read_text().splitlines()
            assert not load_lines(app, read_lines(lines, str(path)), recorded_by="t", source_name="f").rejected
    finally:
        app.close()
    yield Cli(store)


def _json(run: Cli, *args: str) -> dict[str, Any]:
    result = run(*args, "--json", la=None)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def _reports(report: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """One LA's report JSON each (a by-LA report's every LA; the report itself otherwise)."""
    return list(data["by_la"].values()) if report in BY_LA else [data]


@pytest.mark.parametrize(("report", "command"), REPORTS, ids=[r for r, _ in REPORTS])
def test_explained_json_is_the_report_with_each_figure_explained(
    evaluation: Cli, report: str, command: list[str]
) -> None:
    plain = _json(evaluation, *command)
    explained = _json(evaluation, *command, "--explain")
    figures = 0
    for before, after in zip(_reports(report, plain), _reports(report, explained), strict=True):
        assert {k: v for k, v in after.items() if k != "explain"} == before
        figures += assert_report_explained(report, after)
    assert figures >= 4


@pytest.mark.parametrize(("report", "command"), REPORTS, ids=[r for r, _ in REPORTS])
def test_each_figure_id_gives_the_same_figure_again(evaluation: Cli, report: str, command: list[str]) -> None:
    explained = _reports(report, _json(evaluation, *command, "--explain"))
    figures = [f for one in explained for f in one["explain"].values()]
    chosen = [f for f in figures if f["children"]][:3] + figures[-1:]
    for figure in chosen:
        assert _json(evaluation, "explain", figure["id"]) == figure


def test_an_explained_table_heads_each_figure_with_its_id_and_lists_its_children(evaluation: Cli) -> None:
    result = evaluation("scorecard", "--period", "2012-15", "--la", "825", "--explain", la=None)
    assert result.exit_code == 0, result.output
    figure = _json(evaluation, "explain", "scorecard:825:A2.mean_days@from=2012-04-01,to=2015-03-31,a3=16")
    text = result.output
    assert text.startswith("Children adopted 2012-04-01 to 2015-03-31")  # the report's table comes first
    assert "\nA2 mean days PO → match = 292.0  (the mean of the values, 88 rows)\n" in text
    assert "  id scorecard:825:A2.mean_days@from=2012-04-01,to=2015-03-31,a3=16\n" in text
    section = text.split("  id scorecard:825:A2.mean_days")[1].split("\n\n")[0].splitlines()
    assert section[1].split() == ["la", "child", "period", "days", "events", "(as,", "date,", "#seq,", "hash)"]
    rows = section[3:]
    assert len(rows) == 88 == len(figure["children"])
    first = figure["children"][0]
    events = "; ".join(f"{e['as']} {e['on']} #{e['seq']} {e['hash'][:12]}" for e in first["events"])
    assert rows[0].split(None, 4) == ["825", first["child"], "1", str(first["value"]), events]


def test_explain_prints_one_figure_with_where_it_comes_from(evaluation: Cli) -> None:
    result = evaluation("explain", "cohort:928:2014-15.matched@census=2016-09-30", la=None)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "cohort, local authority 928"
    assert lines[2].startswith("2014-15: matched = ")
    assert lines[3] == "  id cohort:928:2014-15.matched@census=2016-09-30"


def test_explained_csv_has_one_row_per_child_per_figure(evaluation: Cli) -> None:
    data = _json(evaluation, "cohort", "--census", "2016-09-30", "--la", "825", "--explain")
    figures = list(data["by_la"]["825"]["explain"].values())
    result = evaluation("cohort", "--census", "2016-09-30", "--la", "825", "--explain", "--csv", la=None)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == sum(len(f["children"]) for f in figures)
    km = next(f for f in figures if f["aggregate"] == "km-median" and f["children"])
    mine = [r for r in rows if r["figure_id"] == km["id"]]
    assert [(r["child"], int(r["value"]), r["observed"]) for r in mine] == [
        (c["child"], c["value"], "yes" if c["observed"] else "no") for c in km["children"]
    ]
    first = km["children"][0]
    assert mine[0]["seqs"] == "; ".join(str(e["seq"]) for e in first["events"])
    assert mine[0]["hashes"] == "; ".join(e["hash"] for e in first["events"])
    assert float(mine[0]["figure_value"]) == km["value"]


def test_explained_csv_quotes_a_reference_a_spreadsheet_would_run(run: Cli) -> None:
    for kind, on in [("entered-care", "2014-01-10"), ("adoption-decision", "2014-05-01")]:
        assert run("record", kind, "=SUM(1+1)", "--on", on).exit_code == 0
    result = run("waiting", "--as-at", "2014-06-01", "--explain", "--excel")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\ufefffigure_id,")
    cells = [c for row in csv.reader(io.StringIO(result.output.lstrip("\ufeff"))) for c in row]
    assert "'=SUM(1+1)" in cells and "=SUM(1+1)" not in cells


def test_a_figure_known_at_a_time_stays_the_same_when_more_is_recorded(run: Cli, sqlite_store: str) -> None:
    app = JourneysApp(sqlite_store)
    try:
        for kind, on in [("entered-care", "2012-01-10"), ("adoption-decision", "2012-05-01")]:
            record(app, "C1", kind, on)
        record(app, "C1", "placement-order", "2012-09-01", authority="placement-order")
        for kind, on in [("match", "2013-01-01"), ("placed", "2013-02-01"), ("adoption-order", "2013-06-01")]:
            record(app, "C1", kind, on)
        known = app.entries("825", "C1")[-1].recorded_at.isoformat()
    finally:
        app.close()
    then = _json(run, "scorecard", "--period", "2012-15", "--la", "825", "--known-at", known, "--explain")
    figure = then["by_la"]["825"]["explain"]["A2.mean_days"]
    assert figure["value"] == 122 and "known=" in figure["id"]
    now = (
        figure["id"].split("@")[0]
        + "@"
        + ",".join(o for o in figure["id"].split("@")[1].split(",") if "known" not in o)
    )
    # a correction recorded later moves the match: the figure as known then is unchanged
    assert run("correct", "C1", "5", "--on", "2013-01-21", "--reason", "keyed wrongly").exit_code == 0
    assert _json(run, "explain", figure["id"]) == figure
    moved = _json(run, "explain", now)
    assert moved["value"] == 142
    assert [e["event"] for e in moved["children"][0]["events"]] == ["placement-order", "match", "correct"]


@pytest.mark.parametrize(
    "figure_id",
    [
        "scorecard",
        "scorecard:825",
        "scorekard:825:adopted@from=2012-04-01,to=2015-03-31,a3=16",
        "scorecard:825:adopted@from=2012-4-1,to=2015-03-31,a3=16",
        "scorecard:825:adopted@from=2012-04-01,to=2015-03-31",
        "scorecard:825:adopted@from=2012-04-01,to=2015-03-31,a3=16,colour=red",
        "scorecard:825:adopted@to=2015-03-31,from=2012-04-01,a3=16",
        "counts:825:2015-16.matches@by=month",
        "waiting:825:waiting@as-at=2016-03-31,known=yesterday",
    ],
)
def test_a_malformed_figure_id_is_a_usage_error_with_a_remedy(evaluation: Cli, figure_id: str) -> None:
    result = evaluation("explain", figure_id, la=None)
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    assert line.startswith("Error: Invalid value for FIGURE-ID: ")
    assert "copy the id as a report printed it under --explain" in line
    assert line.endswith("Try 'journeys explain --help'.")


@pytest.mark.parametrize(
    ("figure_id", "says"),
    [
        ("scorecard:825:A9.mean_days@from=2012-04-01,to=2015-03-31,a3=16", "has no figure 'A9.mean_days'"),
        ("cohort:825:1999-00.matched@census=2016-09-30", "has no figure '1999-00.matched'"),
        ("scorecard:852:adopted@from=2012-04-01,to=2015-03-31,a3=16", "no child in care for local authority 852"),
    ],
)
def test_an_unknown_figure_is_refused_with_a_remedy(evaluation: Cli, figure_id: str, says: str) -> None:
    result = evaluation("explain", figure_id, la=None)
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith("Error: ") and says in line and " — " in line


def test_explain_refuses_a_store_that_is_not_there(tmp_path: Path) -> None:
    result = Cli(str(tmp_path / "none.db"))("explain", "counts:825:2015-16.matches@by=year")
    assert result.exit_code == 1
    assert result.output.startswith("Error: there is no store at")
    assert not (tmp_path / "none.db").exists()
