"""The synthetic history as SSDA903 tables: `import-903` takes every row, and the scorecard of
the imported store equals the scorecard of the same history loaded from JSONL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from journeys import JourneysApp
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic import corrected, write_903
from journeys.synthetic.generator import generate
from projections import reports
from tests.helpers import Cli


def test_imported_903_tables_give_the_same_scorecard_as_the_jsonl(tmp_path: Path) -> None:
    lines = list(generate(1500, 5))
    write_903(lines, tmp_path / "903", 2024)
    from_jsonl = JourneysApp(str(tmp_path / "jsonl.db"))
    loaded = load_lines(
        from_jsonl, read_lines([json.dumps(line) for line in lines], None), recorded_by="t", source_name="s"
    )
    assert loaded.rejected == []

    imported = Cli(str(tmp_path / "903.db"))("import-903", str(tmp_path / "903" / "825"), "--la", "825", "--json")
    summary = json.loads(imported.output)
    assert imported.exit_code == 0, imported.output
    assert summary["rows_rejected"] == 0
    from_903 = JourneysApp(str(tmp_path / "903.db"))
    try:
        for period in ("2012-15", "2015-18", "2018-21"):
            jsonl_card = reports.scorecard(from_jsonl, period=period)["all"]
            card = reports.scorecard(from_903, period=period)["all"]
            assert card["adopted"] == jsonl_card["adopted"] > 0
            for measure in ("A1", "A2"):
                assert card[measure] == jsonl_card[measure]
            assert card["A3"] == jsonl_card["A3"]
        census = date(2023, 9, 30)
        jsonl_cohorts = reports.cohort(from_jsonl, census=census)["all"]["rows"]
        cohorts = reports.cohort(from_903, census=census)["all"]["rows"]
        # AD1 holds one match per child, so only the counts of orders are compared here.
        assert [(r["year"], r["placement_orders"]) for r in cohorts] == [
            (r["year"], r["placement_orders"]) for r in jsonl_cohorts
        ]
    finally:
        from_jsonl.close()
        from_903.close()


def test_corrections_are_applied_before_the_tables_are_written() -> None:
    lines = list(generate(800, 8))
    fixes = [line for line in lines if line["event"] == "correct"]
    children = corrected(lines)
    assert fixes
    for fix in fixes:
        target = next(line for line in lines if line.get("id") == fix["corrects"])
        decisions = children[(fix["la"], fix["child"])]
        assert (date.fromisoformat(fix["on"]), target["event"]) in [(on, kind) for on, kind, _ in decisions]
        assert (date.fromisoformat(target["on"]), target["event"]) not in [(on, kind) for on, kind, _ in decisions]


def test_generate_writes_903_returns_per_local_authority_and_year(run: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    result = run("generate", "--children", "40", "--seed", "2", "--las", "2", "--format", "903", "--out", str(out))
    assert result.exit_code == 0, result.output
    for la in ("825", "928"):
        years = sorted(int(p.name) for p in (out / la).iterdir())
        assert years == list(range(years[0], 2025)) and len(years) > 5  # one return per collection year
        for year in years:
            names = sorted(p.name for p in (out / la / str(year)).iterdir())
            assert names == ["ad1.csv", "episodes.csv", "header.csv", "placed_for_adoption.csv"]


def test_generate_refuses_a_file_for_903_and_a_folder_for_jsonl(run: Cli, tmp_path: Path) -> None:
    a_file = tmp_path / "x.jsonl"
    a_file.write_text("")
    as_903 = run("generate", "--children", "5", "--seed", "2", "--format", "903", "--out", str(a_file))
    as_jsonl = run("generate", "--children", "5", "--seed", "2", "--out", str(tmp_path))
    assert as_903.exit_code == 2 and "writes a folder" in as_903.output
    assert as_jsonl.exit_code == 2 and "is a folder" in as_jsonl.output
    assert a_file.read_text() == ""
