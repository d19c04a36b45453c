"""The benchmark code runs end to end at a tiny scale (nothing is timed or asserted about
speed), and its pandas baseline agrees with the engine's read models."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

pytest.importorskip("pandas")

from bench import run as bench
from bench.baseline import pandas_reports, plain_insert, plain_select
from journeys import JourneysApp
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate


def test_the_smoke_benchmark_prints_every_figure_and_writes_the_report(tmp_path: Path) -> None:
    report = tmp_path / "performance.md"
    results = bench.main(["--scale", "smoke", "--report", str(report), "--workdir", str(tmp_path / "work")])

    figures = " ".join(figure for figure, _ in results.rows)
    for number in [f"{n}." for n in range(1, 17)]:
        assert number in figures
    assert results.facts["agreement"] == []
    text = report.read_text()
    assert "## Goals" in text and "commit `" in text and "CPUs" in text
    assert "## Where the goals stand, and why" in text  # the hand-written notes follow the figures
    assert len(results.goals) == 24
    assert ("every one of 90 mutations found, naming its child", 1.0) in [goal[:2] for goal in results.goals]
    assert any(figure.startswith("6. import-903 peak RSS") for figure, _ in results.rows)
    faults = results.facts["faults"]
    assert faults and all(f["lost"] == f["duplicated"] == f["failed"] == 0 and f["verified"] for f in faults)


def test_pandas_computes_the_same_scorecard_and_cohorts_as_the_read_models(tmp_path: Path) -> None:
    jsonl = tmp_path / "synthetic.jsonl"
    with jsonl.open("wb") as handle:
        for line in generate(1500, 77, las=2):
            handle.write(orjson.dumps(line) + b"\n")
    app = JourneysApp(str(tmp_path / "journeys.db"))
    try:
        with jsonl.open(encoding="utf-8") as handle:
            loaded = load_lines(app, read_lines(handle, None), recorded_by="bench", source_name=jsonl.name)
        assert loaded.rejected == []
        engine = bench.engine_reports(app)
    finally:
        app.close()
    months = int(engine["scorecard"]["A3"]["months"])
    baseline, _ = pandas_reports(jsonl, bench.PERIOD_START, bench.PERIOD_END, months, bench.CENSUS)

    assert engine["scorecard"]["adopted"] > 20  # enough children for the comparison to mean something
    assert bench.disagreements(engine, baseline) == []


def test_disagreement_is_reported_figure_by_figure() -> None:
    engine = {
        "scorecard": {
            "adopted": 3,
            "A1": {"mean_days": 500.0, "children": 3},
            "A2": {"mean_days": 100.0, "children": 2},
            "A10": {"mean_days": 480.0, "children": 3},
            "A3": {"count": 1},
        },
        "cohorts": [{"year": "2015-16", "placement_orders": 4, "matched": 3, "mean_days_po_to_match": 120.0}],
    }
    baseline = {
        "scorecard": {**engine["scorecard"], "A1": {"mean_days": 501.0, "children": 3}},
        "cohorts": [{"year": "2015-16", "placement_orders": 4, "matched": 2, "mean_days_po_to_match": 120.0}],
    }
    assert bench.disagreements(engine, baseline) == [
        "A1 mean: engine 500.0, pandas 501.0",
        "2015-16 matched: engine 3, pandas 2",
    ]


def test_the_plain_baselines_count_every_row(tmp_path: Path) -> None:
    jsonl = tmp_path / "lines.jsonl"
    lines = list(generate(30, 1))
    jsonl.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    rows, _ = plain_insert(jsonl, tmp_path / "plain.db")
    assert rows == len(lines)

    app = JourneysApp(str(tmp_path / "journeys.db"))
    try:
        load_lines(
            app, read_lines(jsonl.read_text().splitlines(), None), recorded_by="bench", source_name="lines.jsonl"
        )
        children = len({line["child"] for line in lines})
    finally:
        app.close()
    selected, _ = plain_select(tmp_path / "journeys.db")
    assert selected == len(lines) + children  # every line plus each stream's opening event
