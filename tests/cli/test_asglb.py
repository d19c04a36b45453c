"""`journeys asglb`: the quarter's counts for a generated LA equal a count made here directly
from the generated JSONL (corrections applied by hand), not through the engine."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import Cli

QUARTERS = {
    "2014-Q1": (date(2014, 4, 1), date(2014, 6, 30)),
    "2015-16-Q3": (date(2015, 10, 1), date(2015, 12, 31)),
    "2016-Q4": (date(2017, 1, 1), date(2017, 3, 31)),
}
KEYS = {
    "adoption-decision": "adoption_decisions",
    "placement-order": "placement_orders",
    "consent": "consents",
    "match": "matches",
    "placed": "placements",
    "adoption-order": "adoption_orders",
}


def _independent(lines: list[dict[str, object]], la: str, first: date, last: date) -> Counter[str]:
    fixed = {str(x["corrects"]): str(x["on"]) for x in lines if x["event"] == "correct"}
    counted: Counter[str] = Counter()
    for line in lines:
        if line["la"] != la or line["event"] not in KEYS:
            continue
        on = date.fromisoformat(fixed.get(str(line.get("id")), str(line["on"])))
        kind = "consent" if line.get("authority") == "consent" else str(line["event"])
        if first <= on <= last:
            counted[KEYS[kind]] += 1
    return counted


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, list[dict[str, object]]]:
    tmp = tmp_path_factory.mktemp("asglb")
    out = tmp / "g.jsonl"
    cli = Cli(str(tmp / "g.db"))
    assert cli("generate", "--children", "1500", "--seed", "7", "--las", "2", "--out", str(out)).exit_code == 0
    assert cli("load", str(out)).exit_code == 0
    return cli, [json.loads(x) for x in Path(out).read_text().splitlines()]


@pytest.mark.parametrize("quarter", sorted(QUARTERS))
def test_counts_equal_an_independent_count(generated: tuple[Cli, list[dict[str, object]]], quarter: str) -> None:
    cli, lines = generated
    result = cli("asglb", "--quarter", quarter, "--la", "825", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["825"]
    first, last = QUARTERS[quarter]
    assert (report["from"], report["to"]) == (first.isoformat(), last.isoformat())
    expected = _independent(lines, "825", first, last)
    assert sum(expected.values()) > 0
    assert {k: report["in_quarter"][k] for k in KEYS.values()} == {k: expected[k] for k in KEYS.values()}
    assert report["fostering_for_adoption"] == "not recorded"


def test_an_unclear_quarter_is_refused(generated: tuple[Cli, list[dict[str, object]]]) -> None:
    cli, _ = generated
    for text in ("2016-Q5", "Q1-2016", "2016-18-Q1"):
        result = cli("asglb", "--quarter", text, "--la", "825")
        assert result.exit_code == 1
        assert result.output.startswith("Error: ")
