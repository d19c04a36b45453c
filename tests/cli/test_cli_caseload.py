"""The caseload, a child in full, and actions edited and cancelled, through the CLI as a team
uses them; and the deadlines of "today" at 23:30 UTC on a British Summer Time date."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from freezegun import freeze_time

from tests.helpers import Cli


def record(run: Cli, child: str, *events: tuple[str, ...], la: str = "825") -> None:
    for kind, on, *extra in events:
        result = run("record", kind, child, "--on", on, *extra, la=la)
        assert result.exit_code == 0, result.output


def as_json(run: Cli, *args: str, la: str | None = "825") -> Any:
    result = run(*args, "--json", la=la)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


IN_CARE = [("entered-care", "2015-01-05"), ("adoption-decision", "2015-03-02")]
PO = [*IN_CARE, ("placement-order", "2015-06-01")]
PLACED = [*PO, ("match", "2015-08-01", "--adopters", "ADP-7"), ("placed", "2015-10-01")]


@pytest.fixture
def caseload(run: Cli) -> Cli:
    record(run, "P1", *PLACED)  # placed, no family-finding keyed, no adoption order 319 days on
    record(run, "M1", *PO, ("family-finding", "2015-06-05"), ("match", "2016-07-20"))  # matched late
    record(run, "F1", *PO)  # nothing since the placement order
    record(run, "H1", ("entered-care", "2016-07-01"))  # new in care, plan not yet made
    record(run, "A1", *PLACED, ("adoption-order", "2016-03-01"))  # adopted
    record(run, "N1", *PO, la="928")
    return run


def test_the_caseload_lists_every_child_of_the_la_with_its_milestone_and_action_status(caseload: Cli) -> None:
    run = caseload
    run("action", "add", "H1", "--text", "Book the review", "--owner", "J Smith", "--due", "2016-08-01")

    data = as_json(run, "children", "--la", "825", "--as-at", "2016-08-15")

    rows = {r["child"]: r for r in data["children"]}
    assert set(rows) == {"P1", "M1", "F1", "H1", "A1"}  # not N1, of another LA
    assert (rows["P1"]["next_milestone"], rows["P1"]["milestone_status"]) == ("adoption-order-application", "overdue")
    assert rows["P1"]["due"] == "2016-06-10"  # 10 weeks after placement, then 6 months
    assert rows["P1"]["days_overdue"] == (date(2016, 8, 15) - date(2016, 6, 10)).days
    assert (rows["F1"]["next_milestone"], rows["F1"]["milestone_status"]) == ("family-finding", "overdue")
    assert rows["A1"]["milestone_status"] == "closed"
    # the action is overdue; the child's first milestone, months away, is not
    assert (rows["H1"]["milestone_status"], rows["H1"]["days_overdue"]) == ("on-track", None)
    assert (rows["H1"]["action_status"], rows["H1"]["action_days_overdue"]) == ("overdue", 14)
    assert rows["P1"]["harder_to_place"] == [] and rows["P1"]["stage"] == "placed"
    assert [r["child"] for r in data["children"]][-1] == "A1"  # closed last, most urgent first

    overdue = as_json(run, "children", "--la", "825", "--as-at", "2016-08-15", "--status", "overdue")
    assert {r["child"] for r in overdue["children"]} == {"P1", "F1", "M1"}
    placed = as_json(run, "children", "--la", "825", "--as-at", "2016-08-15", "--stage", "placed")
    assert [r["child"] for r in placed["children"]] == ["P1"]
    found = as_json(run, "children", "--la", "825", "--as-at", "2016-08-15", "--find", "smith")
    assert [r["child"] for r in found["children"]] == ["H1"]
    by_child = as_json(run, "children", "--la", "825", "--as-at", "2016-08-15", "--sort", "child")
    assert [r["child"] for r in by_child["children"]] == ["A1", "F1", "H1", "M1", "P1"]
    before = {r["child"]: r for r in as_json(run, "children", "--la", "825", "--as-at", "2015-07-01")["children"]}
    assert set(before) == {"P1", "M1", "F1", "A1", "H1"}
    assert before["H1"]["stage"] == "not-in-care"  # not yet in care, listed for its open action

    table = run("children", "--la", "825", "--as-at", "2016-08-15").output
    assert "milestone status" in table and "action status" in table
    csv_head = run("children", "--la", "825", "--as-at", "2016-08-15", "--csv").output.splitlines()[0]
    assert csv_head.startswith("la,child,stage,days_in_stage,next_milestone,due,milestone_status,days_overdue")


def test_the_agenda_does_not_call_a_placed_child_late_for_family_finding(caseload: Cli) -> None:
    agenda = as_json(caseload, "surgery", "--as-at", "2016-08-15")
    rows = {r["child"]: r for r in agenda["children"]}
    assert rows["P1"]["next_milestone"] == "adoption-order-application"
    deadlines = as_json(caseload, "deadlines", "P1", "--as-at", "2016-08-15")
    statuses = {m["id"]: m["status"] for m in deadlines["milestones"]}
    assert statuses["family-finding"] == "overtaken"
    assert statuses["adoption-order-application"] == "overdue"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["children", "--la", "826"], "Error: no journey for local authority 826"),
        (["children", "--status", "late"], "Error: Invalid value for '--status'"),
        (["children", "--stage", "nowhere"], "Error: Invalid value for '--stage'"),
    ],
)
def test_a_bad_caseload_filter_is_one_error_line(caseload: Cli, args: list[str], message: str) -> None:
    result = caseload(*args, la=None)
    assert result.exit_code != 0
    assert result.output.startswith(message), result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_show_gives_the_child_in_full(run: Cli) -> None:
    details = ("--date-of-birth", "2013-04-02", "--sibling-group", "SG7", "--harder-to-place", "sibling-group")
    record(run, "C1", ("child-details", "2014-01-06", *details), ("entered-care", "2014-01-06"))
    record(run, "C1", ("left-care", "2014-05-01", "--reason-code", "E4A"), *PLACED)
    run("action", "add", "C1", "--text", "Chase the medical", "--owner", "K Patel", "--due", "2015-10-20")

    data = as_json(run, "show", "C1", "--as-at", "2015-11-01")

    assert (data["date_of_birth"], data["sibling_group"], data["harder_to_place"]) == (
        "2013-04-02",
        "SG7",
        ["sibling-group"],
    )
    assert data["adopters"] == ["ADP-7"]
    assert [(p["period"], p["entered_care"], p["ended"], p["end_kind"]) for p in data["periods"]] == [
        (1, "2014-01-06", "2014-05-01", "left-care"),
        (2, "2015-01-05", None, None),
    ]
    assert data["periods"][1]["placed"] == "2015-10-01"
    assert [(a["id"], a["owner"], a["status"], a["days_overdue"]) for a in data["actions"]] == [
        ("A1", "K Patel", "overdue", 12)
    ]
    table = run("show", "C1", "--as-at", "2015-11-01").output
    assert "sibling group: SG7" in table and "adopters: ADP-7" in table
    assert "Periods of care" in table and "Open actions" in table and "Chase the medical" in table


def test_an_action_is_edited_and_cancelled_in_the_history_and_as_known_then(run: Cli) -> None:
    with freeze_time("2015-06-02 09:00:00"):
        record(run, "C1", *PO)
        run("action", "add", "C1", "--text", "Start family-finding", "--owner", "J Smith", "--due", "2015-06-10")
        run("action", "add", "C1", "--text", "Book the review", "--owner", "J Smith", "--due", "2015-07-10")
    with freeze_time("2015-06-09 09:00:00"):
        edited = run("action", "edit", "C1", "A1", "--owner", "K Patel", "--due", "2015-06-20")
        assert edited.exit_code == 0, edited.output
        cancelled = run("action", "cancel", "C1", "a2", "--reason", "Review booked by the IRO")
        assert cancelled.exit_code == 0, cancelled.output

    [now] = as_json(run, "surgery", "--as-at", "2015-06-15")["children"]
    assert [(a["id"], a["owner"], a["due"], a["status"]) for a in now["actions"]] == [
        ("A1", "K Patel", "2015-06-20", "open")
    ]
    [then] = as_json(run, "surgery", "--as-at", "2015-06-15", "--known-at", "2015-06-05")["children"]
    assert [(a["id"], a["owner"], a["due"], a["status"]) for a in then["actions"]] == [
        ("A1", "J Smith", "2015-06-10", "overdue"),
        ("A2", "J Smith", "2015-07-10", "open"),
    ]
    events = as_json(run, "history", "C1")["events"]
    assert [e["event"] for e in events[-2:]] == ["action-edited", "action-cancelled"]
    assert events[-2]["fields"] == {"action_id": "A1", "owner": "K Patel", "due": "2015-06-20", "text": None}
    assert events[-1]["fields"] == {"action_id": "A2", "reason": "Review booked by the IRO"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["action", "edit", "C1", "A9", "--owner", "X"], "Error: child C1 has no action A9"),
        (["action", "cancel", "C1", "A9", "--reason", "x"], "Error: child C1 has no action A9"),
        (["action", "edit", "C1", "A1", "--owner", "X"], "Error: action A1 of child C1 is already done"),
        (["action", "cancel", "C1", "A1", "--reason", "x"], "Error: action A1 of child C1 is already done"),
        (["action", "done", "C1", "A2"], "Error: action A2 of child C1 is already cancelled"),
        (["action", "edit", "C1", "A3", "--owner", "J Smith"], "Error: the edit of action A3 changes nothing"),
        (["action", "edit", "C1", "A3"], "Error: nothing to change"),
        (["action", "cancel", "C1", "A3", "--reason", " "], "Error: the reason is empty"),
        (["action", "edit", "C1", "A3", "--due", "1999-01-01"], "Error: the action's due date 1999-01-01 is before"),
    ],
)
def test_a_refused_edit_or_cancel_is_one_error_line_and_changes_nothing(
    run: Cli, args: list[str], message: str
) -> None:
    record(run, "C1", *PO)
    for text in ("One", "Two", "Three"):
        run("action", "add", "C1", "--text", text, "--owner", "J Smith", "--due", "2015-07-01")
    run("action", "done", "C1", "A1")
    run("action", "cancel", "C1", "A2", "--reason", "not needed")
    before = run("history", "C1", "--json").output

    result = run(*args)

    assert result.exit_code != 0
    assert result.output.startswith(message), result.output
    assert len(result.output.strip().splitlines()) == 1
    assert run("history", "C1", "--json").output == before


def test_today_and_its_deadlines_are_the_london_day_at_half_past_eleven_utc_in_summer(run: Cli) -> None:
    # placement order 1 June 2015: family-finding due 15 June. At 23:30 UTC on 15 June it is
    # already 16 June in London (BST): the milestone is one day overdue, not due today.
    record(run, "C1", *PO)
    with freeze_time("2015-06-15 23:30:00"):
        agenda = as_json(run, "surgery")
        children = as_json(run, "children")
        deadlines = as_json(run, "deadlines", "C1")
        keyed = run("record", "family-finding", "C1", "--on", "2015-06-16")  # the London day: not the future
    assert agenda["as_at"] == children["as_at"] == deadlines["as_at"] == "2015-06-16"
    [row] = agenda["children"]
    assert (row["next_milestone"], row["milestone_status"], row["days_overdue"]) == ("family-finding", "overdue", 1)
    assert children["children"][0]["days_overdue"] == 1
    assert keyed.exit_code == 0, keyed.output
    with freeze_time("2015-06-15 22:59:00"):  # 23:59 in London: still the due day
        [row] = as_json(run, "surgery")["children"]
    assert row["milestone_status"] == "due-soon"


def test_the_printable_agenda_groups_children_by_urgency_one_section_per_la(caseload: Cli) -> None:
    result = caseload("surgery", "--as-at", "2016-08-15", "--markdown", la=None)
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.index("# Performance surgery, local authority 825") < text.index("local authority 928")
    section = text.split("local authority 928")[0]
    assert section.index("## Overdue (") < section.index("**P1**")
    assert "adoption-order-application) by 2016-06-10: overdue, 66 days overdue" in section
    assert section.count("Agreed: ") == section.count("- **")
