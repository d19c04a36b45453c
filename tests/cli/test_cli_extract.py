"""`journeys extract --pseudonymise` and the cross-LA reports' --suppress and --round, as a user
runs them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from journeys import JourneysApp
from tests.helpers import FIXTURES, Cli
from tests.projections.metrics.test_suppression import another_table

EVALUATION = sorted((FIXTURES / "evaluation-2017").glob("*.jsonl"))
REPORTS = [
    ("scorecard", "--period", "2012-15", "--la", "825", "--la", "928"),
    ("cohort", "--census", "2016-09-30", "--la", "825", "--la", "928"),
    ("counts", "--by", "year", "--la", "825", "--la", "928"),
    ("stages", "--period", "2012-15", "--la", "825", "--la", "928"),
]


@pytest.fixture
def source(store: str) -> Cli:
    JourneysApp(store).close()
    run = Cli(store)
    assert run("load", *map(str, EVALUATION)).exit_code == 0
    return run


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "extract.key"
    path.write_text("5e" * 32 + "\n")
    return path


def as_json(run: Cli, *args: str) -> dict[str, Any]:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_an_extract_loaded_elsewhere_gives_the_same_reports(source: Cli, key: Path, tmp_path: Path) -> None:
    out = tmp_path / "pooled.jsonl"
    made = source("extract", "--pseudonymise", "--key", str(key), "--out", str(out))
    assert made.exit_code == 0, made.output
    lines = out.read_text().splitlines()
    assert f"extracted {len(lines)} events to {out}" in made.output
    assert b"B0001" not in out.read_bytes() and b"ADP-825" not in out.read_bytes()
    pooled = Cli(str(tmp_path / "pooled.db"))
    assert pooled("load", str(out)).exit_code == 0
    for report in REPORTS:
        assert as_json(pooled, *report) == as_json(source, *report)
    again = tmp_path / "again.jsonl"
    assert source("extract", "--pseudonymise", "--key", str(key), "--out", str(again), "--la", "928").exit_code == 0
    assert again.read_text().splitlines() == [line for line in lines if '"la":"928"' in line]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--key", "missing.key"], "Error: no extract key file 'missing.key' — make one with `openssl rand -hex 32"),
        (["--key", "short.key"], "Error: the extract key in 'short.key' is too short: a key is at least 32 bytes"),
        (["--key", "extract.key", "--la", "826"], "Error: no journey in local authority 826"),
        (["--key", "extract.key", "--no-such"], "Error: No such option '--no-such'."),
    ],
)
def test_a_refused_extract_says_why_and_writes_nothing(
    source: Cli, key: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "short.key").write_text("0123456789\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = source("extract", "--pseudonymise", *args, "--out", "pooled.jsonl")
    assert result.exit_code in (1, 2)
    assert result.output.startswith(message) and result.output.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_without_pseudonymise_nothing_is_extracted(source: Cli, key: Path, tmp_path: Path) -> None:
    result = source("extract", "--key", str(key), "--out", str(tmp_path / "x.jsonl"))
    assert result.exit_code == 2
    assert "Error: extract writes pseudonymised data only: add --pseudonymise." in result.output
    assert not (tmp_path / "x.jsonl").exists()


def test_suppressed_counts_hide_every_small_count_and_none_can_be_worked_out(source: Cli) -> None:
    report = ("counts", "--by", "year", "--la", "825", "--la", "928")
    plain = as_json(source, *report)["by_la"]
    data = as_json(source, *report, "--suppress")
    assert data["las"] == ["825", "928", "total"]
    published = data["by_la"]
    periods = [row["period"] for row in published["total"]["rows"]]
    assert periods[-1] == "total"
    true = {(la, r["period"]): r for la, rep in plain.items() for r in rep["rows"]}
    for measure in ("adoption_decisions", "placements", "reversals"):
        values = [[true.get((la, p), {}).get(measure, 0) for p in periods[:-1]] for la in ("825", "928")]
        table = [[*row, sum(row)] for row in values]
        table.append([sum(column) for column in zip(*table, strict=True)])
        cells = [[row[measure] for row in published[la]["rows"]] for la in ("825", "928", "total")]
        hidden = frozenset((i, j) for i, row in enumerate(cells) for j, cell in enumerate(row) if cell == "c")
        assert hidden, measure
        for i, row in enumerate(table):
            for j, value in enumerate(row):
                assert cells[i][j] == "c" if 0 < value < 10 else cells[i][j] in ("c", value)
        for cell in hidden:
            assert another_table(table, hidden, cell) is not None
        for la, row in zip(("825", "928", "total"), cells, strict=True):
            listed = [r for r in published[la]["rows"] if measure in r["suppressed"]]
            assert len(listed) == row.count("c")


def test_rounded_reports_show_multiples_of_five_and_suppressed_means(source: Cli) -> None:
    card = as_json(source, "scorecard", "--period", "2012-15", "--la", "825", "--la", "928", "--round", "5")["by_la"]
    assert card["total"]["adopted"] % 5 == 0 and card["825"]["A2"]["children"] % 5 == 0
    cohorts = as_json(source, *REPORTS[1], "--suppress", "--round", "5")["by_la"]
    rows = [row for la in ("825", "928", "total") for row in cohorts[la]["rows"]]
    for row in rows:
        for key in ("placement_orders", "matched", "waiting", "exited", "disrupted", "harder_to_place"):
            assert row[key] == "c" or row[key] % 5 == 0
        if row["matched"] == "c":
            assert row["mean_days_po_to_match"] == "c" and "mean_days_po_to_match" in row["suppressed"]
    assert any(row["matched"] == "c" for row in rows)
    table = source(*REPORTS[1], "--suppress")
    assert table.exit_code == 0 and "total" in table.output
    refused = source(*REPORTS[1], "--suppress", "--outcomes")
    assert refused.exit_code == 2
    assert "Error: --outcomes cannot be combined with --suppress or --round." in refused.output
