"""The CLI's contract: every command documents itself with an example; bad input gives one
`Error:` line and a non-zero exit, never a traceback; a refused command changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.helpers import Cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # (the root group loads its commands when asked)
        command = group.get_command(ctx, name)
        assert command is not None, name
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
    return found


@pytest.mark.parametrize("path", _commands(cli), ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "journeys " in result.output.split("Example:", 1)[1]


def test_the_top_level_help_lists_the_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    for name in ("record", "correct", "retract", "show", "history", "load", "export", "verify"):
        assert name in result.output


def test_a_refused_decision_prints_one_error_line_and_appends_nothing(run: Cli) -> None:
    run("record", "entered-care", "C1", "--on", "2014-01-10")
    run("record", "adoption-decision", "C1", "--on", "2014-06-01")
    before = run("history", "C1", "--json").output

    result = run("record", "placement-order", "C1", "--on", "2014-05-01")

    assert result.exit_code == 1
    assert result.output == (
        "Error: placement order on 2014-05-01 is before the adoption decision on 2014-06-01 (rule 554)"
        " — check the dates, or correct the earlier event with `journeys correct`\n"
    )
    assert run("history", "C1", "--json").output == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["record", "match", "C1", "--on", "2015-02-30"], "'2015-02-30' is not a real calendar date"),
        (
            ["record", "entered-care", "C1", "--on", "2015-01-01", "--legal-status", "Z9"],
            "legal status 'Z9' is not one of",
        ),
        (["show", "NOBODY"], "Error: no journey for child 'NOBODY' in local authority 825"),
        (["correct", "C1", "99", "--on", "2015-01-01", "--reason", "x"], "Error: event 99 of child C1 does not exist"),
        (["show", "C1", "--known-at", "yesterday"], "'yesterday' is not a date or time"),
    ],
)
def test_bad_input_is_an_error_line_not_a_traceback(run: Cli, args: list[str], message: str) -> None:
    run("record", "entered-care", "C1", "--on", "2014-01-10")
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_missing_local_authority_says_how_to_give_one(run: Cli) -> None:
    result = run("show", "C1", la=None)
    assert result.exit_code == 2
    assert "pass --la CODE or set JOURNEYS_LA" in result.output


def test_a_store_in_a_missing_folder_is_an_error_with_a_remedy(tmp_path: object) -> None:
    result = Cli("/no/such/folder/journeys.db")("show", "C1")
    assert result.exit_code == 1
    assert result.output.startswith("Error: the folder of the store '/no/such/folder/journeys.db' does not exist")


def test_show_json_has_the_documented_keys(run: Cli) -> None:
    run("record", "entered-care", "C1", "--on", "2014-01-10")
    data = json.loads(run("show", "C1", "--json", "--as-at", "2014-12-31").output)
    assert {"la", "child", "as_at", "known_at", "plan", "stage", "milestones", "events"} <= set(data)
    assert set(data["milestones"]) == {
        "entered_care",
        "proceedings_issued",
        "adoption_decision",
        "placement_order",
        "family_finding",
        "matched",
        "placed",
        "disrupted",
        "adoption_order",
        "left_care",
    }
    assert (data["as_at"], data["stage"], data["events"]) == ("2014-12-31", "in-care", 1)


def test_history_json_marks_corrections_and_superseded_events(run: Cli) -> None:
    run("record", "entered-care", "C1", "--on", "2014-01-10")
    run("record", "adoption-decision", "C1", "--on", "2014-06-01")
    run("correct", "C1", "3", "--on", "2014-06-03", "--reason", "date of the ADM minutes")
    events = json.loads(run("history", "C1", "--json").output)["events"]
    assert [(e["seq"], e["event"], e["superseded"], e["corrects"]) for e in events] == [
        (1, "opened", False, None),
        (2, "entered-care", False, None),
        (3, "adoption-decision", True, None),
        (4, "correct", False, 3),
    ]
    assert all(e["recorded_by"] == "tester" and e["source"] == "cli" and len(e["hash"]) == 64 for e in events)


def test_plan_change_options_reach_the_event(run: Cli) -> None:
    run("record", "entered-care", "C1", "--on", "2014-01-10")
    run("record", "adoption-decision", "C1", "--on", "2014-06-01")
    result = run(
        "record",
        "plan-change",
        "C1",
        "--on",
        "2014-09-01",
        "--to",
        "reunification",
        "--reason",
        "RD2",
        "--decided-by",
        "court",
        "--outcome",
        "home-with-mother",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["to"], data["reason"], data["decided_by"], data["outcome"]) == (
        "reunification",
        "RD2",
        "court",
        "home-with-mother",
    )


def test_reading_a_store_that_does_not_exist_says_so_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = Cli(str(missing))("show", "C1")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: there is no store at '{missing}' — record or load events first")
    assert not missing.exists()


def test_recording_into_a_new_store_creates_it(tmp_path: Path) -> None:
    store = tmp_path / "new.db"
    assert Cli(str(store))("record", "entered-care", "C1", "--on", "2015-01-05").exit_code == 0
    assert store.exists()


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["record", "entered-care", "C1", "--on", "2014-13-01"],
            "Error: Invalid value for '--on': the date '2014-13-01' is not a real calendar date — write dates as"
            " YYYY-MM-DD or dd/mm/yyyy (e.g. 2014-06-02 or 02/06/2014). Try 'journeys record --help'.",
        ),
        (["record", "entered-care", "C1"], "Error: Missing option '--on'. Try 'journeys record --help'."),
        (["show"], "Error: Missing argument 'CHILD'. Try 'journeys show --help'."),
        (["show", "C1", "--bogus"], "Error: No such option '--bogus'. Try 'journeys show --help'."),
        (["nosuch"], "Error: No such command 'nosuch'. Try 'journeys --help'."),
        (
            ["projections", "status", "--x"],
            "Error: No such option '--x'. Try 'journeys projections status --help'.",
        ),
        (
            ["cohort", "--by", "year"],
            "Error: Invalid value for '--by': 'year' is not 'po-year'. Try 'journeys cohort --help'.",
        ),
    ],
)
def test_a_usage_error_is_one_line_with_the_help_hint_and_exit_2(run: Cli, args: list[str], line: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == line + "\n"
    assert result.stdout == ""


def test_a_usage_error_of_the_top_level_names_the_top_level_help() -> None:
    result = CliRunner().invoke(cli, ["--bogus"])
    assert result.exit_code == 2
    assert result.output == "Error: No such option '--bogus'. Did you mean '--user'? Try 'journeys --help'.\n"


def test_a_refusal_exits_1_and_a_usage_error_2_as_the_help_says() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert "Exit codes: 0 done; 1 refused" in result.output
    assert "2 a usage error" in result.output
