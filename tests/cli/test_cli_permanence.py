"""`journeys permanence`: time to permanence by route, from a 903 return whose special guardianship
(REC E45-E48) and child arrangements (E41) exits import as the orders made, and from decisions
recorded by `journeys record`; the route milestones in `deadlines`, `children` and `surgery`."""

from __future__ import annotations

import csv
import io
import json
import statistics
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Cli

HEADS = {
    "header": "CHILD,SEX,DOB,ETHNIC",
    "episodes": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC",
    "ad1": "CHILD,DOB,DATE_INT,DATE_MATCH",
    "placed_for_adoption": "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
}
# (child, entered care, left care, REC): each child's one period of care in the 2016/17 return
EXITS = [
    ("P1", "01/05/2015", "30/04/2016", "E45"),  # special guardianship order to former foster carers
    ("P2", "01/06/2015", "31/01/2016", "E41"),  # child arrangements order
    ("P3", "10/01/2015", "09/01/2017", "E47"),  # special guardianship order to other carers
    ("P4", "01/09/2014", "01/09/2015", "E4A"),  # home, as part of the care plan
    ("P6", "01/04/2015", "01/02/2016", "E46"),  # special guardianship order, then back in care
]
BACK_IN_CARE = "01/10/2016"
ADOPTED = ("P5", "01/03/2015", "01/03/2017")  # placed for adoption on 1 September 2015, adopted
PERIOD = ["permanence", "--period", "2015-18", "--la", "825"]


def _day(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


def _days(entered: str, left: str) -> int:
    return (_day(left) - _day(entered)).days


def _return(folder: Path) -> Path:
    episodes = [f"{c},{start},S,C2,N1,U1,PR1,{end},{rec}" for c, start, end, rec in EXITS]
    episodes.append(f"P6,{BACK_IN_CARE},S,C1,N1,U1,PR1,,")
    child, start, adopted = ADOPTED
    episodes += [f"{child},{start},S,C2,N1,U1,PR1,01/09/2015,X1", f"{child},01/09/2015,P,E1,N1,A6,PR1,{adopted},E11"]
    tables = {
        "header": [f"{c},1,01/01/2012,WBRI" for c in ("P1", "P2", "P3", "P4", "P5", "P6")],
        "episodes": episodes,
        "placed_for_adoption": [f"{child},01/01/2012,01/06/2015,,"],
    }
    folder.mkdir(parents=True)
    for name, head in HEADS.items():
        (folder / f"{name}.csv").write_text("\n".join([head, *tables.get(name, [])]) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def imported(run: Cli, tmp_path: Path) -> Cli:
    result = run("import-903", str(_return(tmp_path / "2017")), "--quiet", "--json")
    assert result.exit_code == 0, result.output
    assert all(table["rejected"] == 0 for table in json.loads(result.output)["tables"].values())
    return run


def _report(run: Cli, *args: str) -> dict[str, Any]:
    result = run(*PERIOD, *args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def _history_kinds(run: Cli, child: str) -> list[str]:
    result = run("history", child, "--json")
    assert result.exit_code == 0, result.output
    return [e["event"] for e in json.loads(result.output)["events"]]


def test_sgo_and_cao_exits_import_as_the_orders_made(imported: Cli) -> None:
    for child, _start, _end, rec in EXITS:
        kinds = _history_kinds(imported, child)
        order = {"E45": "sgo-made", "E46": "sgo-made", "E47": "sgo-made", "E41": "cao-made"}.get(rec)
        if order is None:
            assert not {"sgo-made", "cao-made"} & set(kinds), child
        else:
            assert kinds.count(order) == 1 and kinds.index(order) < kinds.index("left-care"), (child, kinds)


def test_a_second_import_of_the_return_records_no_order_twice(imported: Cli, tmp_path: Path) -> None:
    again = imported("import-903", str(tmp_path / "2017"), "--quiet")
    assert again.exit_code == 0, again.output
    assert "0 events appended" in again.output
    assert _history_kinds(imported, "P1").count("sgo-made") == 1


def test_the_imported_orders_are_counted_by_route_with_their_days_from_entering_care(imported: Cli) -> None:
    routes = _report(imported)["routes"]

    def days(*codes: str) -> list[int]:
        return [_days(start, end) for _c, start, end, rec in EXITS if rec in codes]

    sgo, cao, home = days("E45", "E46", "E47", "E48"), days("E41"), days("E4A")
    adoption = [_days(ADOPTED[1], ADOPTED[2])]
    for route, expected in (
        ("special-guardianship", sgo),
        ("child-arrangements", cao),
        ("reunification", home),
        ("adoption", adoption),
    ):
        found = routes[route]
        assert (found["children"], found["with_start_of_care"]) == (len(expected), len(expected)), route
        assert found["median_days"] == statistics.median(expected), route
        assert found["mean_days"] == pytest.approx(statistics.fmean(expected)), route
    assert routes["long-term-fostering"]["children"] == 0
    assert list(routes) == [
        "adoption",
        "special-guardianship",
        "child-arrangements",
        "long-term-fostering",
        "reunification",
    ]


def test_a_child_back_in_care_after_its_order_is_counted_as_returned(imported: Cli) -> None:
    data = _report(imported)
    assert data["routes"]["special-guardianship"]["returned_to_care"] == 1
    (back,) = [c for c in data["children"] if c["returned_to_care"] is not None]
    assert (back["child"], back["returned_to_care"]) == ("P6", _day(BACK_IN_CARE).isoformat())


def test_only_permanence_within_the_period_counts(imported: Cli) -> None:
    result = imported("permanence", "--period", "2016-17", "--la", "825", "--json")
    data = json.loads(result.output)
    # 2016-17: P1's order (30 April 2016), P3's (9 January 2017) and P5's adoption (1 March 2017)
    assert {c["child"] for c in data["children"]} == {"P1", "P3", "P5"}
    assert data["from"] == "2016-04-01" and data["to"] == "2017-03-31"


def test_as_known_before_the_import_nothing_had_reached_permanence(imported: Cli) -> None:
    data = _report(imported, "--known-at", "2000-01-01")
    assert all(r["children"] == 0 for r in data["routes"].values())


def test_the_csv_has_a_row_per_route_and_the_table_each_route(imported: Cli) -> None:
    data = _report(imported)
    rows = list(csv.DictReader(io.StringIO(imported(*PERIOD, "--csv").output)))
    assert [r["route"] for r in rows] == list(data["routes"])
    assert [int(r["children"]) for r in rows] == [r["children"] for r in data["routes"].values()]
    table = imported(*PERIOD).output
    assert "Time to permanence by route, 2015-04-01 to 2018-03-31" in table
    for route in data["routes"]:
        assert route in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["permanence", "--period", "2015-1x", "--la", "825"], "is not of the form YYYY-YY"),
        (["permanence", "--la", "825"], "Missing option '--period'"),
    ],
)
def test_a_bad_period_is_one_error_line(run: Cli, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], result.output


def _record(run: Cli, kind: str, child: str, on: str, *options: str) -> None:
    result = run("record", kind, child, "--on", on, *options)
    assert result.exit_code == 0, result.output


def test_recorded_route_decisions_are_counted_and_tracked_by_their_milestones(run: Cli) -> None:
    _record(run, "entered-care", "R1", "2015-05-01", "--legal-status", "C2")
    _record(run, "plan-decision", "R1", "2015-06-01", "--route", "long-term-fostering")
    _record(run, "ltf-match", "R1", "2015-09-01", "--carer", "LTF-825-1")
    _record(run, "ltf-breakdown", "R1", "2016-03-01", "--reason", "the placement ended")
    _record(run, "entered-care", "R2", "2015-05-01")
    _record(run, "plan-decision", "R2", "2015-06-01", "--route", "special-guardianship")

    routes = _report(run)["routes"]
    assert (routes["long-term-fostering"]["children"], routes["long-term-fostering"]["breakdowns"]) == (1, 1)
    assert routes["long-term-fostering"]["median_days"] == (date(2015, 9, 1) - date(2015, 5, 1)).days

    # R2's order is not made: 1 June 2015 + 26 weeks = 30 November 2015
    deadlines = json.loads(run("deadlines", "R2", "--as-at", "2015-12-01", "--json").output)
    (sgo,) = [m for m in deadlines["milestones"] if m["id"] == "sgo-order"]
    assert (sgo["status"], sgo["due"]) == ("overdue", "2015-11-30")
    agenda = run("surgery", "--as-at", "2015-12-01", "--json")
    assert agenda.exit_code == 0, agenda.output
    assert "sgo-order" in agenda.output
    caseload = run("children", "--as-at", "2015-12-01", "--json")
    assert caseload.exit_code == 0, caseload.output
    assert "sgo-order" in caseload.output


def test_a_route_decision_refused_changes_nothing(run: Cli) -> None:
    _record(run, "entered-care", "R3", "2015-05-01")
    _record(run, "adoption-decision", "R3", "2015-06-01")
    result = run("record", "plan-decision", "R3", "--on", "2015-07-01", "--route", "long-term-fostering")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "while the plan is adoption" in result.output
    assert "plan-decision" not in _history_kinds(run, "R3")


def test_a_local_authority_the_store_does_not_hold_is_refused(imported: Cli) -> None:
    result = imported("permanence", "--period", "2015-18", "--la", "852")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert result.output.startswith("Error: no journey for local authority 852 in this store")
