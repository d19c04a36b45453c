"""A demanding user's paths through the CLI: bad files, blank references, odd periods, output
files in missing folders. Each failure is one `Error: …` line with a non-zero exit, no
traceback, and a refused command changes nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, Cli, only_la


def _record_child(run: Cli, child: str = "C1") -> None:
    assert run("record", "child-details", child, "--on", "2014-01-10", "--date-of-birth", "2014-01-10").exit_code == 0
    assert run("record", "entered-care", child, "--on", "2014-02-01").exit_code == 0
    assert run("record", "placed", child, "--on", "2014-09-01", "--with-foster-carers").exit_code == 0


def _events(run: Cli, child: str = "C1") -> int:
    result = run("history", child, "--json")
    assert result.exit_code == 0, result.output
    return len(json.loads(result.output)["events"])


def _one_error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


# --- history reads like a record, not like Python ----------------------------------------------


def test_history_details_show_yes_no_and_plain_lists_not_python_reprs(run: Cli) -> None:
    assert run("record", "child-details", "C1", "--on", "2014-01-10", "--date-of-birth", "2014-01-10",
               "--harder-to-place", "sibling-group", "--harder-to-place", "disability").exit_code == 0  # fmt: skip
    assert run("record", "entered-care", "C1", "--on", "2014-02-01").exit_code == 0
    assert run("record", "placed", "C1", "--on", "2014-09-01", "--with-foster-carers").exit_code == 0

    table = run("history", "C1").output

    assert "with_foster_carers=yes" in table
    assert "harder_to_place=disability, sibling-group" in table  # stored sorted
    assert "True" not in table and "[" not in table


# --- blank references and reasons --------------------------------------------------------------


def _nothing_recorded(run: Cli) -> bool:
    """No store was created, or it holds no journey."""
    if not Path(run.store).exists():
        return True
    return bool(json.loads(run("verify", "--json").output)["streams"] == 0)


@pytest.mark.parametrize("child", ["", "   "])
def test_a_blank_child_reference_is_refused_and_records_nothing(run: Cli, child: str) -> None:
    result = run("record", "entered-care", child, "--on", "2015-01-01")

    assert result.exit_code == 2
    assert "child reference" in _one_error_line(result.output)
    assert "no journey" in run("show", "", "--json").output or run("show", "").exit_code != 0
    assert _nothing_recorded(run)


def test_a_blank_la_is_refused_rather_than_silently_replaced(run: Cli) -> None:
    result = run("record", "entered-care", "C1", "--on", "2015-01-01", "--la", " ")

    assert result.exit_code == 2
    assert "local authority" in _one_error_line(result.output)
    assert _nothing_recorded(run)


@pytest.mark.parametrize("command", [["correct", "C1", "3", "--on", "2014-02-02"], ["retract", "C1", "3"]])
def test_a_correction_or_retraction_without_a_real_reason_is_refused(run: Cli, command: list[str]) -> None:
    _record_child(run)
    before = _events(run)

    result = run(*command, "--reason", "  ")

    assert result.exit_code == 2
    assert "--reason" in _one_error_line(result.output)
    assert _events(run) == before


# --- periods and windows -----------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2015-12", "2015-99", "2012-2112"])
def test_a_period_that_would_span_a_century_is_refused(run: Cli, period: str) -> None:
    result = run("scorecard", "--period", period)

    assert result.exit_code == 1
    assert period in _one_error_line(result.output)


def test_a_period_across_the_century_still_reads_as_one_year(run: Cli) -> None:
    result = run("scorecard", "--period", "1999-00", "--json", la=None)

    assert result.exit_code == 0, result.output
    data = only_la(json.loads(result.output))
    assert (data["from"], data["to"]) == ("1999-04-01", "2000-03-31")


@pytest.mark.parametrize("window", [["--from", "2015-10-01"], ["--from", "2016-03-31", "--to", "2015-10-01"]])
def test_a_bad_cohort_window_names_the_options_cohort_has(run: Cli, window: list[str]) -> None:
    result = run("cohort", "--census", "2016-09-30", *window)

    line = _one_error_line(result.output)
    assert result.exit_code == 1
    assert "--to" in line and "--period" not in line


def test_a_reversed_plan_change_window_does_not_talk_about_a_census(run: Cli) -> None:
    result = run("plan-changes", "--from", "2016-01-01", "--to", "2015-01-01")

    line = _one_error_line(result.output)
    assert result.exit_code == 1
    assert "census" not in line


# --- files -------------------------------------------------------------------------------------


def test_load_rejects_a_line_that_is_not_utf8_and_loads_the_rest(run: Cli, tmp_path: Path) -> None:
    file = tmp_path / "latin1.jsonl"
    file.write_bytes(
        b'{"child": "C\xe9", "event": "entered-care", "on": "2015-01-01"}\n'
        b'{"child": "C2", "event": "entered-care", "on": "2015-01-01"}\n'
    )

    result = run("load", str(file), "--json")

    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert (data["loaded"], data["rejected"]) == (1, 1)
    assert data["rejects"][0]["line"] == 1
    assert "UTF-8" in data["rejects"][0]["reason"]


def test_load_accepts_a_file_saved_with_a_byte_order_mark(run: Cli, tmp_path: Path) -> None:
    file = tmp_path / "bom.jsonl"
    file.write_bytes(b'\xef\xbb\xbf{"child": "C1", "event": "entered-care", "on": "2015-01-01"}\n')

    result = run("load", str(file))

    assert result.exit_code == 0, result.output
    assert "loaded 1" in result.output


def test_load_in_two_processes_reports_as_one(run: Cli, tmp_path: Path) -> None:
    file = tmp_path / "mixed.jsonl"
    file.write_bytes(
        b"\xef\xbb\xbf"
        + b"".join(
            b'{"child": "C%d", "event": "entered-care", "on": "2015-01-0%d"}\n' % (n, 1 + n % 9) for n in range(40)
        )
        + b'{"child": "C\xe9", "event": "entered-care", "on": "2015-01-01"}\n'
        + b'{"child": "C3", "event": "placement-order", "on": "2014-01-01"}\n'
    )
    other = Cli(str(tmp_path / "other.db"))

    in_two = run("load", str(file), "--workers", "2", "--json")
    in_one = other("load", str(file), "--workers", "1", "--json")

    assert in_two.exit_code == in_one.exit_code == 2
    assert json.loads(in_two.stdout) == json.loads(in_one.stdout)
    assert json.loads(in_two.stdout)["loaded"] == 40
    again = run("load", str(file), "--workers", "2")
    assert "loaded 0, skipped 40 already present, rejected 2" in again.stdout


@pytest.mark.parametrize("command", [["load"], ["import-903"]])
@pytest.mark.parametrize("size", ["0", "-5"])
def test_a_batch_size_below_one_is_refused(run: Cli, tmp_path: Path, command: list[str], size: str) -> None:
    file = tmp_path / "one.jsonl"
    file.write_text('{"child": "C1", "event": "entered-care", "on": "2015-01-01"}\n')

    result = run(*command, str(file), "--batch-size", size)

    assert result.exit_code == 2
    assert "--batch-size" in _one_error_line(result.output)


def test_export_into_a_missing_folder_is_a_one_line_error(run: Cli, tmp_path: Path) -> None:
    _record_child(run)

    result = run("export", "--out", str(tmp_path / "missing" / "backup.jsonl"))

    assert result.exit_code == 2
    assert "does not exist" in _one_error_line(result.output)


def test_generate_into_a_missing_folder_is_a_one_line_error(run: Cli, tmp_path: Path) -> None:
    result = run("generate", "--children", "2", "--seed", "1", "--out", str(tmp_path / "missing" / "s.jsonl"))

    assert result.exit_code == 2
    assert "does not exist" in _one_error_line(result.output)


def test_import_with_rejects_in_a_missing_folder_is_refused_before_anything_is_imported(
    run: Cli, tmp_path: Path
) -> None:
    fixtures = FIXTURES / "ssda903"

    result = run("import-903", str(fixtures), "--rejects", str(tmp_path / "missing" / "rejects.csv"))

    assert result.exit_code == 2
    assert "does not exist" in _one_error_line(result.output)
    assert _nothing_recorded(run)


def test_import_of_a_csv_that_is_not_utf8_is_a_one_line_error_that_imports_nothing(run: Cli, tmp_path: Path) -> None:
    year = tmp_path / "2016"
    year.mkdir()
    (year / "header.csv").write_bytes(b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC\xe91,1,01/01/2010,WBRI,,,\n")

    result = run("import-903", str(tmp_path))

    assert result.exit_code == 1
    line = _one_error_line(result.output)
    assert "header.csv" in line and "UTF-8" in line
    assert _nothing_recorded(run)


# --- CSV for machines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "keys_from"),
    [
        (["cohort", "--census", "2016-09-30"], "rows"),
        (["waiting", "--as-at", "2015-03-31"], "children"),
        (["stages"], "stages"),
    ],
)
def test_report_csv_headers_are_the_json_keys(run: Cli, command: list[str], keys_from: str) -> None:
    fixtures = FIXTURES / "examples"
    assert run("load", *(str(p) for p in sorted(fixtures.glob("*.jsonl")))).exit_code == 0

    header = next(csv.reader(io.StringIO(run(*command, "--csv", la=None).output)))
    keys = only_la(json.loads(run(*command, "--json", la=None).output))[keys_from][0]

    assert all(h.isidentifier() for h in header), header
    assert set(header) - {"la"} <= set(keys)


# --- text reports read well ------------------------------------------------------------------


def _plan_changed_child(run: Cli) -> None:
    assert run("record", "entered-care", "C1", "--on", "2015-01-05").exit_code == 0
    assert run("record", "adoption-decision", "C1", "--on", "2015-04-01").exit_code == 0
    assert run("record", "plan-change", "C1", "--on", "2015-06-01", "--to", "reunification", "--reason", "RD2",
               "--decided-by", "court", "--outcome", "home-with-mother").exit_code == 0  # fmt: skip


def test_plan_change_totals_name_their_first_column_and_leave_out_an_empty_meaning(run: Cli) -> None:
    _plan_changed_child(run)

    lines = run("plan-changes").output.splitlines()

    def header_after(title: str) -> list[str]:
        return lines[lines.index(title) + 1].split()

    assert header_after("By reason") == ["reason", "changes", "meaning"]
    assert header_after("By decider") == ["decided", "by", "changes"]
    assert header_after("By stage reached") == ["stage", "changes", "meaning"]
    assert header_after("By outcome") == ["outcome", "changes", "meaning"]


def test_an_empty_plan_change_total_says_none(run: Cli) -> None:
    _record_child(run)

    output = run("plan-changes").output

    assert "By outcome\n  none\n" in output


def test_known_at_is_shown_as_a_utc_time_not_an_iso_string(run: Cli) -> None:
    _record_child(run)

    show = run("show", "C1", "--known-at", "2016-10-01T12:30:00+01:00").output
    agenda = run("surgery", "--known-at", "2016-10-01").output
    changes = run("plan-changes", "--known-at", "2016-10-01").output

    assert "as known at 2016-10-01 11:30:00 UTC" in show
    assert "as known at 2016-10-01 23:59:59 UTC" in agenda
    assert "as known at 2016-10-01 23:59:59 UTC" in changes
    assert "+00:00" not in show + agenda + changes


def test_tracking_cohort_table_spells_the_class_in_words(run: Cli) -> None:
    assert run("record", "entered-care", "C1", "--on", "2015-10-01").exit_code == 0
    assert run("record", "family-finding", "C1", "--on", "2015-11-01").exit_code == 0

    output = run("tracking-cohort", "--from", "2015-10-01", "--to", "2016-03-31", "--census", "2016-09-30").output
    data = json.loads(
        run("tracking-cohort", "--from", "2015-10-01", "--to", "2016-03-31", "--census", "2016-09-30", "--json").output
    )

    assert data["children"][0]["class"] == "under_consideration"
    assert "under consideration" in output.splitlines()[-1]


def test_stages_of_an_empty_cohort_say_so_instead_of_naming_a_dash(run: Cli) -> None:
    _record_child(run)  # in care from 2014, not adopted in 2012-15

    output = run("stages", "--period", "2012-15").output

    assert "825: no period of care in the cohort, so no slowest stage" in output
    assert "slowest stage -" not in output


def test_the_surgery_summary_says_how_many_on_track_rows_are_open_steps(run: Cli) -> None:
    _record_child(run)
    assert run("record", "adoption-decision", "C1", "--on", "2014-05-01").exit_code == 0
    assert run("record", "match", "C1", "--on", "2014-08-01").exit_code == 0

    table = run("surgery", "--as-at", "2015-01-01").output
    data = json.loads(run("surgery", "--as-at", "2015-01-01", "--json").output)

    statuses = [c["milestone_status"] for c in data["children"]]
    assert statuses.count("open") == 1
    assert f"{data['summary']['on_track']} on track (of which 1 open:" in table


# --- an unknown local authority -----------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["scorecard", "--period", "2012-15"],
        ["cohort", "--census", "2016-09-30"],
        ["counts"],
        ["stages"],
        ["waiting"],
        ["plan-changes"],
        ["tracking-cohort", "--from", "2015-10-01", "--to", "2016-03-31", "--census", "2016-09-30"],
        ["surgery"],
    ],
    ids=lambda c: c[0],
)
def test_a_report_for_a_local_authority_the_store_does_not_hold_is_refused(run: Cli, command: list[str]) -> None:
    _record_child(run)

    result = run(*command, "--la", "852")

    assert result.exit_code == 1
    line = _one_error_line(result.output)
    assert "local authority 852" in line and "this store holds 825" in line


def test_a_known_local_authority_as_known_before_anything_was_recorded_is_zero_not_an_error(run: Cli) -> None:
    _record_child(run)

    result = run("scorecard", "--period", "2012-15", "--la", "825", "--known-at", "2000-01-01", "--json")

    assert result.exit_code == 0, result.output
    assert only_la(json.loads(result.output))["adopted"] == 0


def test_action_add_and_done_print_the_recorded_event_like_record_does(run: Cli) -> None:
    _record_child(run)

    added = json.loads(run("action", "add", "C1", "--text", "Book panel", "--owner", "J Smith", "--due", "2015-01-10",
                           "--json").output)  # fmt: skip
    done = json.loads(run("action", "done", "C1", added["action_id"], "--json").output)
    history = json.loads(run("history", "C1", "--json").output)["events"]

    assert (added["event"], done["event"]) == ("action-added", "action-done")
    assert [added["hash"], done["hash"]] == [e["hash"] for e in history[-2:]]


def test_a_store_that_is_not_a_sqlite_database_is_a_one_line_error(tmp_path: Path) -> None:
    not_a_store = tmp_path / "events.jsonl"
    not_a_store.write_text('{"child": "C1", "event": "entered-care", "on": "2015-01-01"}\n')

    result = Cli(str(not_a_store))("verify")

    assert result.exit_code == 1
    assert "not a SQLite database" in _one_error_line(result.output)
    assert not_a_store.read_text().startswith('{"child"')


def test_history_csv_has_one_row_per_event_with_the_full_recording_time_and_hash(run: Cli) -> None:
    _record_child(run)

    rows = list(csv.DictReader(io.StringIO(run("history", "C1", "--csv").output)))
    events = json.loads(run("history", "C1", "--json").output)["events"]

    assert [r["seq"] for r in rows] == [str(e["seq"]) for e in events]
    assert [r["recorded_at"] for r in rows] == [e["recorded_at"] for e in events]
    assert [r["hash"] for r in rows] == [e["hash"] for e in events]
    assert json.loads(rows[-1]["fields"])["with_foster_carers"] is True


def test_show_as_known_before_anything_was_recorded_says_nothing_counts_yet(run: Cli) -> None:
    _record_child(run)

    output = run("show", "C1", "--known-at", "2001-01-01").output

    assert "events counted: 0" in output
    assert "nothing about this child counts yet" in output
