"""The synthetic generator: deterministic, realistic in its mix, and every line loads."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from statistics import mean
from typing import Any

import pytest

from journeys import JourneysApp
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate, la_codes
from tests.helpers import Cli


def lines_of(children: int, seed: int, las: int = 1) -> list[dict[str, Any]]:
    return list(generate(children, seed, las=las))


def test_the_same_seed_gives_the_same_lines_and_another_seed_does_not() -> None:
    assert lines_of(300, 11, las=2) == lines_of(300, 11, las=2)
    assert lines_of(300, 11, las=2) != lines_of(300, 12, las=2)


def test_loading_a_generated_file_rejects_nothing(store: str) -> None:
    lines = [json.dumps(line) for line in generate(400, 5, las=3)]
    app = JourneysApp(store)
    try:
        report = load_lines(app, read_lines(lines, None), recorded_by="bench", source_name="synthetic.jsonl")
        again = load_lines(app, read_lines(lines, None), recorded_by="bench", source_name="synthetic.jsonl")
    finally:
        app.close()
    assert [r.reason for r in report.rejected] == []
    assert report.loaded == len(lines)
    assert (again.loaded, again.skipped, again.rejected) == (0, len(lines), [])


@pytest.mark.slow
def test_a_larger_file_with_every_kind_of_line_loads_without_a_rejection(sqlite_app: JourneysApp) -> None:
    lines = [json.dumps(line) for line in generate(3000, 2024, las=4)]
    report = load_lines(sqlite_app, read_lines(lines, None), recorded_by="bench", source_name="synthetic.jsonl")
    assert [r.reason for r in report.rejected] == []
    assert report.loaded == len(lines)


def test_most_children_never_get_an_adoption_decision_and_a_minority_are_adopted() -> None:
    lines = lines_of(4000, 3)
    kinds_by_child: dict[str, set[str]] = defaultdict(set)
    codes: Counter[str] = Counter()
    for line in lines:
        kinds_by_child[line["child"]].add(line["event"])
        if line["event"] == "left-care":
            codes[line["reason_code"]] += 1
    children = len(kinds_by_child)
    with_adm = sum("adoption-decision" in kinds for kinds in kinds_by_child.values())
    adopted = sum("adoption-order" in kinds for kinds in kinds_by_child.values())
    special_guardianship = sum(codes[c] for c in ("E45", "E46", "E47", "E48"))
    home = sum(codes[c] for c in ("E4A", "E4B", "E13"))
    assert children == 4000
    assert with_adm < children / 2
    assert 0 < adopted < with_adm
    assert 0 < special_guardianship < home


def test_plan_reversals_disruptions_late_keying_and_corrections_all_occur() -> None:
    lines = lines_of(4000, 8)
    reasons = Counter(line.get("reason") for line in lines if line["event"] == "plan-change")
    deciders = Counter(line.get("decided_by") for line in lines if line["event"] == "plan-change")
    assert all(reasons[rd] > 0 for rd in ("RD1", "RD2", "RD3", "RD4"))
    assert deciders["court"] > 0 and deciders["agency"] > 0
    assert any(line["event"] == "disruption" for line in lines)

    ids = {line["id"]: n for n, line in enumerate(lines) if "id" in line}
    corrections = [(n, line) for n, line in enumerate(lines) if line["event"] == "correct"]
    assert corrections
    for n, line in corrections:
        assert ids[line["corrects"]] < n  # the corrected line comes first in the file
        assert lines[ids[line["corrects"]]]["on"] != line["on"]

    late = 0
    latest: dict[str, date] = {}
    for line in lines:
        on = date.fromisoformat(line["on"])
        if line["event"] != "correct" and line["child"] in latest and on < latest[line["child"]]:
            late += 1
        latest[line["child"]] = max(on, latest.get(line["child"], on))
    assert 0 < late < len(lines) / 10


def test_intervals_are_centred_on_the_evaluations_national_figures() -> None:
    """England 2012-15 (PRIMER §6): entering care to placement 593 days (A1), PO to match 223 (A2)."""
    lines = lines_of(6000, 21)
    first: dict[tuple[str, str], date] = {}
    for line in lines:
        key = (line["child"], line["event"])
        on = date.fromisoformat(line["on"])
        if line["event"] in ("entered-care", "placement-order", "match", "placed") and (
            key not in first or on < first[key]
        ):
            first[key] = on
    placed = [c for (c, kind) in first if kind == "placed"]
    a1 = mean((first[(c, "placed")] - first[(c, "entered-care")]).days for c in placed)
    a2 = mean(max(0, (first[(c, "match")] - first[(c, "placement-order")]).days) for c in placed)
    assert 450 <= a1 <= 750
    assert 150 <= a2 <= 300


def test_children_are_spread_over_the_requested_local_authorities() -> None:
    lines = lines_of(90, 4, las=3)
    assert {line["la"] for line in lines} == set(la_codes(3))
    assert len(la_codes(40)) == len(set(la_codes(40))) == 40


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        list(generate(-1, 1))
    with pytest.raises(ValueError, match="local authority"):
        list(generate(1, 1, las=0))


def test_the_generate_command_writes_a_file_that_loads(run: Cli, tmp_path: Path) -> None:
    out = tmp_path / "synthetic.jsonl"
    twin = tmp_path / "twin.jsonl"
    result = run("generate", "--children", "60", "--seed", "9", "--las", "2", "--out", str(out), "--json")
    run("generate", "--children", "60", "--seed", "9", "--las", "2", "--out", str(twin))
    summary = json.loads(result.output)
    assert result.exit_code == 0
    assert out.read_bytes() == twin.read_bytes()
    assert summary["events"] == len(out.read_text().splitlines())
    assert summary["children"] == 60

    loaded = run("load", str(out), "--json")
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.output)["rejected"] == 0
    assert json.loads(loaded.output)["loaded"] == summary["events"]


def test_generate_refuses_a_non_positive_number_of_children(run: Cli, tmp_path: Path) -> None:
    result = run("generate", "--children", "0", "--seed", "1", "--out", str(tmp_path / "x.jsonl"))
    assert result.exit_code == 2
    assert "--children" in result.output
    assert not (tmp_path / "x.jsonl").exists()
