"""Careless input at the command line: refused with one `Error:` line and a remedy, nothing
recorded, no store file created."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.helpers import Cli


def _fresh(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, Path]:
    store = tmp_path / "new.db"
    result = CliRunner().invoke(cli, ["--store", str(store), *args], env={"JOURNEYS_USER": "t", **(env or {})})
    return result.exit_code, result.output, store


def _one_error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    assert len(errors) == 1, output
    assert "Traceback" not in output
    return errors[0]


@pytest.mark.parametrize("code", ["999", "ABC", "8250", "XYZ"])
def test_an_unknown_la_is_refused_by_option_and_environment(tmp_path: Path, code: str) -> None:
    for args, env in (
        (["record", "entered-care", "C1", "--on", "2014-01-10", "--la", code], {}),
        (["record", "entered-care", "C1", "--on", "2014-01-10"], {"JOURNEYS_LA": code}),
    ):
        exit_code, output, store = _fresh(tmp_path, *args, env=env)
        assert exit_code != 0
        assert "--allow-unknown-la" in _one_error_line(output)
        assert not store.exists()


def test_allow_unknown_la_lets_a_test_store_take_any_code(tmp_path: Path) -> None:
    args = ["record", "entered-care", "C1", "--on", "2014-01-10", "--la", "999"]
    exit_code, output, _ = _fresh(tmp_path, *args, "--allow-unknown-la")
    assert exit_code == 0, output
    exit_code, output, _ = _fresh(tmp_path, "record", "review", "C1", "--on", "2014-02-10", "--review-type",
                                  "looked-after", "--la", "998", env={"JOURNEYS_ALLOW_UNKNOWN_LA": "1"})  # fmt: skip
    assert exit_code == 0, output


@pytest.mark.parametrize("on", ["20140602", "2014-6-2", "2014-02-30", "tomorrow", ""])
def test_a_date_outside_the_documented_forms_is_refused(tmp_path: Path, on: str) -> None:
    exit_code, output, store = _fresh(tmp_path, "record", "entered-care", "C1", "--on", on, "--la", "825")
    assert exit_code != 0
    assert "YYYY-MM-DD or dd/mm/yyyy" in output
    assert not store.exists()


def test_dd_mm_yyyy_is_read_as_the_uk_writes_it(run: Cli) -> None:
    assert run("record", "entered-care", "C1", "--on", "02/06/2014").exit_code == 0
    assert "2014-06-02" in run("history", "C1").output


@pytest.mark.parametrize("child", ["C\x001", "C0\n01", "C001\u200b", "\u202eC001", "C" * 65])
def test_an_unprintable_or_long_reference_is_refused(tmp_path: Path, child: str) -> None:
    exit_code, output, store = _fresh(tmp_path, "record", "entered-care", child, "--on", "2014-01-10", "--la", "825")
    assert exit_code != 0
    assert "child reference" in output
    assert not store.exists()


def test_a_reference_differing_only_by_case_is_refused_and_fullwidth_is_the_same_child(run: Cli) -> None:
    assert run("record", "entered-care", "C001", "--on", "2014-01-10").exit_code == 0
    refused = run("record", "entered-care", "c001", "--on", "2014-01-10")
    assert refused.exit_code == 1
    assert "differs only by case from child 'C001'" in _one_error_line(refused.output)
    assert run("show", "c001").exit_code != 0
    assert run("show", "Ｃ００１").exit_code == 0


def test_control_characters_in_free_text_are_refused(run: Cli) -> None:
    run("record", "entered-care", "C1", "--on", "2014-01-10")
    refused = run("record", "match", "C1", "--on", "2014-02-10", "--adopters", "A\x00B")
    assert refused.exit_code == 1
    assert "control character" in _one_error_line(refused.output)
    assert len(run("history", "C1", "--json").output) > 0


def test_an_action_due_in_1999_is_refused(run: Cli) -> None:
    run("record", "entered-care", "C1", "--on", "2014-01-10")
    refused = run("action", "add", "C1", "--text", "Book panel", "--owner", "TM", "--due", "1999-01-01")
    assert refused.exit_code == 1
    assert "before the child's first decision" in _one_error_line(refused.output)


BAD_USERS = ["a\nb", "tab\there", "bob\u202e", "\u200bbob", "x" * 65]


@pytest.mark.parametrize("user", BAD_USERS)
def test_a_user_that_is_not_a_printable_name_is_refused_by_option_and_environment(tmp_path: Path, user: str) -> None:
    record = ["record", "entered-care", "C1", "--on", "2014-01-10", "--la", "825"]
    for args, env in ((["--user", user, *record], {}), (record, {"JOURNEYS_USER": user})):
        exit_code, output, store = _fresh(tmp_path, *args, env=env)
        assert exit_code == 2
        line = _one_error_line(output)
        assert line.startswith("Error: Invalid value for '--user': the user")
        assert "at most 64 printable characters" in line
        assert not store.exists()


def test_a_blank_user_is_refused(tmp_path: Path) -> None:
    exit_code, output, store = _fresh(tmp_path, "--user", "  ", "record", "entered-care", "C1", "--on", "2014-01-10")
    assert exit_code == 2
    assert "the user must not be blank" in _one_error_line(output)
    assert not store.exists()


def test_a_bad_user_refuses_a_load_before_it_reads_a_line(tmp_path: Path) -> None:
    lines = tmp_path / "in.jsonl"
    lines.write_text('{"la": "825", "child": "C1", "event": "entered-care", "on": "2014-01-10"}\n', encoding="utf-8")
    exit_code, output, store = _fresh(tmp_path, "--user", "x" * 65, "load", str(lines))
    assert exit_code == 2
    assert "is 65 characters long (at most 64)" in _one_error_line(output)
    assert not store.exists()


def test_a_user_is_recorded_as_given_without_surrounding_spaces(run: Cli) -> None:
    name = "Mrs Ó Briain " + "x" * 51  # 64 characters
    assert run("record", "entered-care", "C1", "--on", "2014-01-10", user=f" {name} ").exit_code == 0
    events = json.loads(run("history", "C1", "--json").output)["events"]
    assert [e["recorded_by"] for e in events] == [name, name]


def test_an_os_user_that_is_not_a_printable_name_is_refused(tmp_path: Path) -> None:
    # no --user and no JOURNEYS_USER: the OS user (here from LOGNAME, as getpass reads it) is checked too
    env = {"JOURNEYS_USER": None, "LOGNAME": "x" * 80}
    store = tmp_path / "new.db"
    result = CliRunner().invoke(cli, ["--store", str(store), "record", "entered-care", "C1", "--on", "2014-01-10",
                                      "--la", "825"], env=env)  # fmt: skip
    assert result.exit_code == 2
    line = _one_error_line(result.output)
    assert "the OS user cannot be recorded" in line
    assert "pass --user NAME" in line
    assert not store.exists()
