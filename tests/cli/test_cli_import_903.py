"""`journeys import-903` as a user runs it: summary, JSON, clear errors, and reports fed directly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.helpers import RETURNS, Cli, only_la


def test_summary_says_rows_read_equal_accepted_plus_present_plus_rejected(run: Cli) -> None:
    result = run("import-903", str(RETURNS), "--quiet")
    assert result.exit_code == 0
    assert "rows read" in result.output and "already present" in result.output
    # 23 decisions, a child arrangements order (E41) and a carers-seen fact (S003)
    assert "5 children: 25 events appended" in result.output


def test_json_summary_keys(run: Cli) -> None:
    data = json.loads(run("import-903", str(RETURNS), "--json").output)
    assert set(data) >= {
        "tables",
        "children",
        "events_appended",
        "corrections",
        "rows_rejected",
        "rejects",
        "bounded_ends",
    }
    for table in data["tables"].values():
        assert table["read"] == table["accepted"] + table["present"] + table["rejected"]


def test_files_without_a_year_are_refused_and_nothing_is_imported(run: Cli, tmp_path: Path) -> None:
    loose = tmp_path / "returns"
    loose.mkdir()
    for name in ("header.csv", "episodes.csv"):
        (loose / name).write_text((RETURNS / "2015" / name).read_text())
    result = run("import-903", str(loose / "header.csv"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot tell which year's return")
    assert "--year" in result.output
    assert run("show", "S001").exit_code == 1
    given = (str(loose / "header.csv"), str(loose / "episodes.csv"))
    assert run("import-903", *given, "--year", "2015", "--quiet").exit_code == 0


def test_a_csv_that_is_not_a_903_table_is_refused(run: Cli, tmp_path: Path) -> None:
    other = tmp_path / "2016" / "reviews.csv"
    other.parent.mkdir()
    other.write_text("CHILD,DOB,REVIEW\nS1,01/01/2015,02/02/2016\n")
    result = run("import-903", str(other))
    assert result.exit_code == 1
    assert "is not one of the 903 tables read" in result.output


def test_imported_journeys_feed_the_scorecard_cohort_and_counts(run: Cli) -> None:
    assert run("import-903", str(RETURNS), "--quiet").exit_code == 0
    exported = [json.loads(line) for line in run("export").output.splitlines()]
    adopted = [e for e in exported if e["event"] == "adoption-order" and "2015-04-01" <= e["on"] <= "2016-03-31"]
    card = only_la(json.loads(run("scorecard", "--from", "2015-04-01", "--to", "2016-03-31", "--json").output))
    assert card["adopted"] == len(adopted) > 0
    assert card["A1"]["children"] == len(adopted)
    cohort = only_la(json.loads(run("cohort", "--census", "2016-09-30", "--json").output))
    orders = [e for e in exported if e["event"] == "placement-order"]
    assert sum(row["placement_orders"] for row in cohort["rows"]) == len(orders) > 0
    assert sum(row["disrupted"] for row in cohort["rows"]) == sum(1 for e in exported if e["event"] == "disruption")
    counts = only_la(json.loads(run("counts", "--by", "year", "--json").output))
    for column, kind in (
        ("adoption_decisions", "adoption-decision"),
        ("reversals", "plan-change"),
        ("placements", "placed"),
        ("adoption_orders", "adoption-order"),
    ):
        assert sum(row[column] for row in counts["rows"]) == sum(1 for e in exported if e["event"] == kind), column


MALFORMED = {
    "semicolons": ("episodes.csv", b"CHILD;DECOM;RNE;LS;PLACE;DEC;REC\nR1;01/03/2016;S;C1;U1;;\n", "semicolons"),
    "a column missing": ("episodes.csv", b"CHILD,DECOM,RNE,PLACE,DEC,REC\nR1,01/03/2016,S,U1,,\n", "no column LS"),
    "a column twice": ("header.csv", b"CHILD,SEX,DOB,DOB\nR1,1,02/02/2012,03/03/2013\n", "the column DOB twice"),
    "latin-1": ("header.csv", "CHILD,SEX,DOB\nRé,1,02/02/2012\n".encode("latin-1"), "line 2 is not UTF-8 text"),
    "a very long cell": ("header.csv", b"CHILD,SEX,DOB\nR1,1," + b"9" * 200_000 + b"\n", "longer than 131,072"),
    "a quote never closed": ("header.csv", b'CHILD,SEX,DOB\nR1,"1,02/02/2012\n', "is never closed"),
    "empty": ("ad1.csv", b"", "ad1.csv is empty"),
}


@pytest.mark.parametrize(("name", "content", "words"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_table_is_one_error_line_exit_1_and_no_store_file(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    folder = tmp_path / "2016"
    folder.mkdir()
    # a good table read first
    (folder / "000_episodes.csv").write_text("CHILD,DECOM,RNE,LS,PLACE,DEC,REC\nR9,01/03/2016,S,C2,U1,,\n")
    (folder / name).write_bytes(content)
    store = tmp_path / "new.db"
    result = CliRunner().invoke(
        cli, ["--store", str(store), "import-903", str(folder)], env={"JOURNEYS_LA": "825", "JOURNEYS_USER": "t"}
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {folder / name}") and words in line and "nothing was imported" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2016"]


def test_a_refused_import_leaves_an_existing_store_as_it_was(run: Cli, tmp_path: Path) -> None:
    assert run("import-903", str(RETURNS / "2015"), "--quiet").exit_code == 0
    before = run("export").output
    bad = tmp_path / "2016"
    shutil.copytree(RETURNS / "2016", bad)
    (bad / "episodes.csv").write_text((bad / "episodes.csv").read_text().replace(",", ";"))
    result = run("import-903", str(bad), "--quiet")
    assert result.exit_code == 1
    assert result.output.count("Error:") == 1 and "written with semicolons" in result.output
    assert run("export").output == before
