"""The surgery through the CLI, as a team uses it: the default date follows the clock, the
agenda is ordered overdue first, a past agenda is the one shown that day, and actions agreed
at the surgery are recorded, shown with their owner, and closed."""

from __future__ import annotations

import json
from datetime import date, timedelta
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


PO = [("entered-care", "2015-01-05"), ("adoption-decision", "2015-03-02"), ("placement-order", "2015-06-01")]
MATCH_DUE = date(2015, 9, 30)  # 121 days after the placement order


@pytest.mark.parametrize(
    ("today", "expected"),
    [(MATCH_DUE - timedelta(days=1), "due-soon"), (MATCH_DUE, "due-soon"), (MATCH_DUE + timedelta(days=1), "overdue")],
)
def test_without_as_at_the_deadlines_are_those_of_today(run: Cli, today: date, expected: str) -> None:
    record(run, "C1", *PO, ("family-finding", "2015-06-03"), ("review", "2015-08-20", "--review-type", "adoption"))
    with freeze_time(today.isoformat()):
        data = as_json(run, "deadlines", "C1")
        agenda = as_json(run, "surgery")
    assert data["as_at"] == today.isoformat()
    [match] = [m for m in data["milestones"] if m["id"] == "match"]
    assert (match["due"], match["status"]) == (MATCH_DUE.isoformat(), expected)
    assert agenda["as_at"] == today.isoformat()
    [row] = agenda["children"]
    assert (row["next_milestone"], row["due"], row["milestone_status"]) == ("match", MATCH_DUE.isoformat(), expected)


def test_the_clock_crossing_a_bank_holiday_window(run: Cli) -> None:
    record(run, "C1", ("entered-care", "2015-12-14"))
    statuses = {}
    for day in ("2016-04-12", "2016-04-14", "2016-04-15"):
        with freeze_time(day):
            [plan] = as_json(run, "deadlines", "C1")["milestones"]
        statuses[day] = (plan["due"], plan["status"])
    assert statuses == {
        "2016-04-12": ("2016-04-14", "due-soon"),
        "2016-04-14": ("2016-04-14", "due-soon"),
        "2016-04-15": ("2016-04-14", "overdue"),
    }


def test_a_child_who_entered_care_in_1998_leaves_the_agenda_answering(run: Cli) -> None:
    # the old bank holiday table began in 2000 and failed the whole agenda (issue 19)
    record(run, "OLD", ("entered-care", "1998-12-21"), ("adoption-decision", "1999-01-04"))
    record(run, "C1", *PO)
    agenda = as_json(run, "surgery", "--as-at", "2015-07-01")
    assert {row["child"] for row in agenda["children"]} == {"OLD", "C1"}
    milestones = as_json(run, "deadlines", "OLD", "--as-at", "1999-01-04")["milestones"]
    [plan] = [m for m in milestones if m["id"] == "permanence-plan"]
    assert plan["status"] == "met"
    assert run("surgery", "--as-at", "2015-07-01").exit_code == 0


def test_the_agenda_lists_overdue_first_then_due_soon_then_on_track(run: Cli) -> None:
    # On 2015-09-01: A's match is overdue by far, B's family-finding a little, C's match is due soon,
    # D's permanence plan is on track; E's plan left adoption and F was adopted, so neither is listed.
    record(
        run, "B", ("entered-care", "2015-05-01"), ("adoption-decision", "2015-06-01"), ("placement-order", "2015-08-10")
    )
    record(
        run,
        "A",
        ("entered-care", "2014-01-06"),
        ("adoption-decision", "2014-03-03"),
        ("placement-order", "2014-04-01"),
        ("family-finding", "2014-04-02"),
        ("review", "2014-06-01", "--review-type", "adoption"),
    )
    record(run, "D", ("entered-care", "2015-08-03"), ("family-finding", "2015-08-10"))
    record(
        run,
        "C",
        ("entered-care", "2015-01-05"),
        ("adoption-decision", "2015-02-02"),
        ("placement-order", "2015-05-15"),
        ("family-finding", "2015-05-20"),
        ("review", "2015-07-01", "--review-type", "adoption"),
    )
    record(
        run,
        "E",
        *PO,
        (
            "plan-change",
            "2015-07-01",
            "--to",
            "reunification",
            "--reason",
            "RD1",
            "--decided-by",
            "court",
            "--outcome",
            "home-with-mother",
        ),
    )
    record(
        run,
        "F",
        ("entered-care", "2013-01-07"),
        ("adoption-decision", "2013-03-04"),
        ("placement-order", "2013-04-01"),
        ("match", "2013-06-01"),
        ("placed", "2013-07-01"),
        ("adoption-order", "2014-01-10"),
    )

    agenda = as_json(run, "surgery", "--as-at", "2015-09-01")

    rows = [(r["child"], r["next_milestone"], r["milestone_status"]) for r in agenda["children"]]
    assert rows == [
        ("A", "match", "overdue"),
        ("B", "family-finding", "overdue"),
        ("C", "match", "due-soon"),
        ("D", "permanence-plan", "on-track"),
    ]
    assert agenda["children"][1]["days_overdue"] == (date(2015, 9, 1) - date(2015, 8, 24)).days
    assert agenda["summary"] == {"overdue": 2, "due_soon": 1, "on_track": 1, "actions_overdue": 0}
    assert list(agenda) == ["as_at", "known_at", "children", "summary"]
    assert set(agenda["children"][0]) == {
        "la",
        "child",
        "stage",
        "days_in_stage",
        "next_milestone",
        "due",
        "milestone_status",
        "days_overdue",
        "action_status",
        "action_days_overdue",
        "actions",
    }
    assert agenda["children"][0]["stage"] == "placement-order"
    assert agenda["children"][0]["days_in_stage"] == (date(2015, 9, 1) - date(2014, 4, 1)).days

    table = run("surgery", "--as-at", "2015-09-01").output
    assert table.index(" A ") < table.index(" B ") < table.index(" C ") < table.index(" D ")
    assert "4 children: 2 overdue, 1 due soon, 1 on track; 0 with an overdue action" in table
    csv_lines = run("surgery", "--as-at", "2015-09-01", "--csv").output.splitlines()
    assert csv_lines[0].startswith(
        "la,child,stage,days_in_stage,next_milestone,due,milestone_status,days_overdue,action_status"
    )
    assert [line.split(",")[1] for line in csv_lines[1:]] == ["A", "B", "C", "D"]


def test_the_agenda_keeps_one_local_authority_when_asked(run: Cli) -> None:
    record(run, "C1", *PO, la="825")
    record(run, "N1", *PO, la="928")
    both = as_json(run, "surgery", "--as-at", "2015-07-01", la=None)
    only = as_json(run, "surgery", "--as-at", "2015-07-01", "--la", "928", la=None)
    assert {(r["la"], r["child"]) for r in both["children"]} == {("825", "C1"), ("928", "N1")}
    assert [(r["la"], r["child"]) for r in only["children"]] == [("928", "N1")]


def test_an_unborn_child_tracked_for_early_family_finding_is_on_the_agenda(run: Cli) -> None:
    record(
        run, "U1", ("child-details", "2015-06-01", "--expected-date", "2015-11-01"), ("family-finding", "2015-07-01")
    )
    [row] = as_json(run, "surgery", "--as-at", "2015-08-01")["children"]
    assert (row["child"], row["stage"], row["next_milestone"], row["milestone_status"]) == (
        "U1",
        "not-in-care",
        None,
        "on-track",
    )


def test_actions_are_recorded_shown_with_their_owner_and_closed(run: Cli) -> None:
    record(run, "C1", *PO, ("family-finding", "2015-06-03"))
    added = run(
        "action", "add", "C1", "--text", "Book the adoption review", "--owner", "J Smith", "--due", "2015-07-10"
    )
    assert added.exit_code == 0, added.output
    assert added.output == "Added action A1 for child C1 (825): J Smith by 2015-07-10\n"
    run("action", "add", "C1", "--text", "Chase the medical", "--owner", "K Patel", "--due", "2015-08-01")

    agenda = as_json(run, "surgery", "--as-at", "2015-07-20")
    [row] = agenda["children"]
    # the action is overdue; the milestone, months away, is not: two statuses, never mixed
    assert (row["milestone_status"], row["days_overdue"]) == ("on-track", None)
    assert (row["action_status"], row["action_days_overdue"]) == ("overdue", 10)
    assert agenda["summary"]["overdue"] == 0
    assert agenda["summary"]["actions_overdue"] == 1
    assert [(a["id"], a["owner"], a["status"], a["days_overdue"]) for a in row["actions"]] == [
        ("A1", "J Smith", "overdue", 10),
        ("A2", "K Patel", "open", None),
    ]
    assert row["actions"][0]["recorded_by"] == "tester"
    assert "A1 J Smith by 2015-07-10, 10d overdue" in run("surgery", "--as-at", "2015-07-20").output
    assert [r["child"] for r in as_json(run, "surgery", "--as-at", "2015-07-20", "--owner", "k patel")["children"]] == [
        "C1"
    ]
    assert as_json(run, "surgery", "--as-at", "2015-07-20", "--owner", "Nobody")["children"] == []

    done = run("action", "done", "C1", "a1", "--note", "Review booked for 30 July")
    assert done.exit_code == 0, done.output
    [row] = as_json(run, "surgery", "--as-at", "2015-07-20")["children"]
    assert [a["id"] for a in row["actions"]] == ["A2"]
    assert (row["milestone_status"], row["action_status"]) == ("on-track", "open")
    history = as_json(run, "history", "C1")["events"]
    assert [e["event"] for e in history[-3:]] == ["action-added", "action-added", "action-done"]
    assert history[-1]["fields"] == {"action_id": "A1", "note": "Review booked for 30 July"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["action", "done", "C1", "A9"], "Error: child C1 has no action A9"),
        (["action", "add", "C1", "--text", "x", "--owner", "y", "--due", "2015-02-30"], "not a real calendar date"),
        (["action", "add", "NOBODY", "--text", "x", "--owner", "y", "--due", "2015-02-01"], "no journey for child"),
        (["deadlines", "NOBODY"], "Error: no journey for child 'NOBODY' in local authority 825"),
    ],
)
def test_a_refused_action_is_one_error_line_and_records_nothing(run: Cli, args: list[str], message: str) -> None:
    record(run, "C1", *PO)
    before = run("history", "C1", "--json").output
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert run("history", "C1", "--json").output == before


def test_a_past_agenda_with_known_at_leaves_out_what_was_recorded_later(run: Cli) -> None:
    with freeze_time("2015-06-02 09:00:00"):
        record(run, "C1", *PO)
    with freeze_time("2015-07-01 10:00:00"):
        run("action", "add", "C1", "--text", "Start family-finding", "--owner", "J Smith", "--due", "2015-07-08")
    with freeze_time("2015-07-15 10:00:00"):
        record(run, "C1", ("family-finding", "2015-06-20"))  # keyed late: it took effect on 20 June
        run("action", "done", "C1", "A1")
        run("action", "add", "C1", "--text", "Book the review", "--owner", "K Patel", "--due", "2015-08-01")

    then = as_json(run, "surgery", "--as-at", "2015-07-10", "--known-at", "2015-07-10")
    now = as_json(run, "surgery", "--as-at", "2015-07-10")

    [row_then] = then["children"]
    assert [(a["id"], a["status"]) for a in row_then["actions"]] == [("A1", "overdue")]
    assert (row_then["next_milestone"], row_then["milestone_status"], row_then["days_overdue"]) == (
        "family-finding",
        "overdue",
        (date(2015, 7, 10) - date(2015, 6, 15)).days,
    )
    assert then["known_at"].startswith("2015-07-10T23:59:59")
    [row_now] = now["children"]
    assert [a["id"] for a in row_now["actions"]] == ["A2"]
    assert row_now["next_milestone"] == "adoption-review"
    assert (row_now["milestone_status"], row_now["action_status"]) == ("on-track", "open")
