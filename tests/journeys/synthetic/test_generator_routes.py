"""Generated journeys by the permanence routes beyond adoption (``generate(..., routes=True)``):
each route's decisions, every line loading, the route milestones met and not yet met, and
`permanence` counting each route's children as the lines hold them."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from journeys import JourneysApp
from journeys.domain.milestones import evaluate, load_rules
from journeys.domain.timeline import decisions_at
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic import write_903
from journeys.synthetic.generator import generate
from projections import permanence_report
from tests.helpers import run_import

ROUTE_KINDS = ("plan-decision", "sgo-made", "cao-made", "ltf-match", "ltf-breakdown")
ROUTE_RULES = ("sgo-order", "cao-order", "ltf-match", "return-home")
START, END = date(2014, 4, 1), date(2024, 3, 31)  # the ten financial years 2014-24
CHILDREN, SEED = 1500, 18


def _lines(routes: bool = True) -> list[dict[str, Any]]:
    return list(generate(CHILDREN, SEED, las=2, start=START, end=END, routes=routes))


@pytest.fixture(scope="module")
def lines() -> list[dict[str, Any]]:
    return _lines()


@pytest.fixture
def loaded(store: str, lines: list[dict[str, Any]]) -> Any:
    app = JourneysApp(store)
    text = [json.dumps(line) for line in lines]
    report = load_lines(app, read_lines(text, None), recorded_by="test", source_name="routes.jsonl")
    assert [r.reason for r in report.rejected] == []
    assert report.loaded == len(text)
    yield app
    app.close()


def test_the_routes_are_generated_only_when_asked_and_the_same_seed_gives_the_same_lines(
    lines: list[dict[str, Any]],
) -> None:
    assert not [line for line in _lines(routes=False) if line["event"] in ROUTE_KINDS]
    assert _lines() == lines


def test_every_route_has_journeys_of_its_own(lines: list[dict[str, Any]]) -> None:
    kinds = {line["event"] for line in lines}
    assert set(ROUTE_KINDS) <= kinds
    decided = {line["route"] for line in lines if line["event"] == "plan-decision"}
    assert decided == {"special-guardianship", "child-arrangements", "long-term-fostering", "reunification"}
    by_child: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        by_child[line["child"]].append(line["event"])
    # some children come back into care after a special guardianship order
    assert any("sgo-made" in k and k.count("entered-care") == 2 for k in by_child.values())
    # a modest share: most children's journeys carry no route decision
    with_route = sum(1 for k in by_child.values() if set(k) & set(ROUTE_KINDS))
    assert 0 < with_route < len(by_child) / 2


def test_loading_them_rejects_nothing_and_each_route_milestone_is_both_met_and_awaited(loaded: JourneysApp) -> None:
    rules = load_rules()
    met: dict[str, int] = defaultdict(int)
    awaited: dict[str, int] = defaultdict(int)
    for _la, _child, entries in loaded.streams():
        decisions = decisions_at(entries)
        for decision in decisions:
            if decision.kind != "plan-decision":
                continue
            for as_at in (decision.on, END):
                for m in evaluate(decisions, as_at, rules):
                    if m.rule.id in ROUTE_RULES:
                        (met if m.met else awaited)[m.rule.id] += 1
    assert all(met[rule] > 0 for rule in ROUTE_RULES), met
    assert all(awaited[rule] > 0 for rule in ROUTE_RULES), awaited


def test_permanence_counts_each_routes_children_as_the_lines_hold_them(
    loaded: JourneysApp, lines: list[dict[str, Any]]
) -> None:
    report = permanence_report(loaded, period="2014-24").as_json()["routes"]
    exits: dict[str, int] = defaultdict(int)  # each period of care leaves once: its left-care line
    for line in lines:
        if line["event"] == "left-care":
            exits[line["reason_code"]] += 1
    orders = {kind: sum(1 for line in lines if line["event"] == kind) for kind in ("sgo-made", "cao-made")}
    # an order is recorded for the children whose route is recorded as its own; the others'
    # permanence is their REC code (E45-E48, E41): each exit is counted once either way
    assert (
        0
        < orders["sgo-made"]
        < report["special-guardianship"]["children"]
        == sum(exits[code] for code in ("E45", "E46", "E47", "E48"))
    )
    assert 0 < orders["cao-made"] < report["child-arrangements"]["children"] == exits["E41"]
    assert report["reunification"]["children"] == exits["E4A"] + exits["E4B"] > 0
    assert report["adoption"]["children"] == sum(1 for line in lines if line["event"] == "adoption-order") > 0
    ltf = {(line["la"], line["child"]) for line in lines if line["event"] == "ltf-match"}
    assert report["long-term-fostering"]["children"] == len(ltf) > 0
    assert report["long-term-fostering"]["breakdowns"] > 0
    assert report["special-guardianship"]["returned_to_care"] > 0


def test_as_903_returns_their_sgo_and_cao_exits_import_as_the_orders_and_count_the_same(tmp_path: Path) -> None:
    few = list(generate(400, SEED, las=1, start=START, end=END, routes=True))
    write_903(iter(few), tmp_path / "903", END.year)
    imported = JourneysApp(str(tmp_path / "imported.db"))
    loaded = JourneysApp(str(tmp_path / "loaded.db"))
    try:
        assert run_import(imported, tmp_path / "903" / "825").rows_rejected == 0
        text = [json.dumps(line) for line in few]
        assert not load_lines(loaded, read_lines(text, None), recorded_by="test", source_name="routes.jsonl").rejected
        from_903 = permanence_report(imported, period="2014-24").as_json()["routes"]
        from_lines = permanence_report(loaded, period="2014-24").as_json()["routes"]
        orders = [
            e.kind for _la, _c, entries in imported.streams() for e in entries if e.kind in ("sgo-made", "cao-made")
        ]
    finally:
        imported.close()
        loaded.close()
    for route in ("special-guardianship", "child-arrangements", "adoption", "reunification"):
        assert from_903[route]["children"] == from_lines[route]["children"] > 0, route
    # every SGO and CAO exit of the returns is recorded as the order made
    assert orders.count("sgo-made") == from_903["special-guardianship"]["children"]
    assert orders.count("cao-made") == from_903["child-arrangements"]["children"]
