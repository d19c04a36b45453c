"""The public validator's fake 903 data (deliberately messy): nothing lost, bad rows rejected with reasons."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from journeys import JourneysApp
from journeys.ssda903 import ImportReport, ReturnError
from tests.helpers import FAKE, FAKE_PLACED, Cli, event_count, fake_return, run_import

pytestmark = pytest.mark.skipif(
    not FAKE.is_dir(), reason=f"the fake 903 data is not at {FAKE} (../shared/external/d2i-903-fake)"
)


def _csv_rows(name: str) -> int:
    with (FAKE / name).open(encoding="utf-8") as handle:
        return sum(1 for _ in csv.DictReader(handle))


# The fake data's two PlacedAdoption files as one (tests.helpers.fake_return): the errors file's rows follow.
# (read at import only where the fake data is: the module's tests are skipped without it)
FIRST_PLACED_ROWS = (
    range(2, 2 + sum(1 for _ in (FAKE / FAKE_PLACED[0]).open(encoding="utf-8")) - 1) if FAKE.is_dir() else range(0)
)


@pytest.fixture(scope="module")
def fake_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_return(tmp_path_factory.mktemp("fake-return"))


@pytest.fixture(scope="module")
def fake_report(tmp_path_factory: pytest.TempPathFactory, fake_folder: Path) -> tuple[ImportReport, str]:
    store = str(tmp_path_factory.mktemp("fake") / "journeys.db")
    app = JourneysApp(store)
    try:
        return run_import(app, fake_folder), store
    finally:
        app.close()


def test_the_fake_folder_as_published_is_refused_naming_the_table_given_twice(memory_app: JourneysApp) -> None:
    # It holds two PlacedAdoption files, and the XML form of the return beside the CSV tables.
    with pytest.raises(ReturnError, match=r"the 2018 return has two files for the (ad1|placed_for_adoption) table"):
        run_import(memory_app, FAKE, year=2018)
    assert event_count(memory_app) == 0


def test_every_row_read_is_accepted_present_or_rejected(fake_report: tuple[ImportReport, str]) -> None:
    report, _ = fake_report
    expected = {
        "header": _csv_rows("header.csv"),
        "episodes": _csv_rows("episodes.csv"),
        "ad1": _csv_rows("ad1.csv"),
        "placed_for_adoption": sum(_csv_rows(name) for name in FAKE_PLACED),
    }
    assert {name: t.read for name, t in report.tables.items()} == expected
    for table in report.tables.values():
        assert table.read == table.accepted + table.present + table.rejected
    rejected_rows = {(r.file, r.row) for r in report.rejects}
    assert len(rejected_rows) == report.rows_rejected
    assert all(r.reason and r.column for r in report.rejects)


def test_an_invalid_reason_placed_ceased_is_rejected_naming_the_column(fake_report: tuple[ImportReport, str]) -> None:
    report, _ = fake_report
    xxx = [r for r in report.rejects if r.column == "REASON_PLACED_CEASED"]
    assert {(r.file, r.row) for r in xxx} == {
        ("2018/placed_for_adoption.csv", row) for row in range(2, 2 + sum(_csv_rows(name) for name in FAKE_PLACED))
    }
    assert all("invalid code 'XXX'" in r.reason and "RD1" in r.reason for r in xxx)


def test_overlapping_decisions_are_rejected_with_the_decision_they_overlap(
    fake_report: tuple[ImportReport, str],
) -> None:
    report, _ = fake_report
    overlaps = [r for r in report.rejects if r.reason.startswith("overlapping decisions")]
    first = next(r for r in overlaps if r.row == FIRST_PLACED_ROWS.stop)  # the errors file's first row
    assert first.column == "DATE_PLACED"
    assert "decision of 2016-11-22 starts while the decision of 2015-11-22" in first.reason
    assert "2018/placed_for_adoption.csv:2" in first.reason
    # Every 2016 decision of the errors file starts before its 2015 decision ceased.
    assert len(overlaps) == _csv_rows("placed_for_adoption.csv")


def test_a_rule_of_the_journey_store_broken_is_the_reason_given(fake_report: tuple[ImportReport, str]) -> None:
    report, _ = fake_report
    ad1 = [r for r in report.rejects if r.table == "ad1" and r.column == "DATE_MATCH"]
    assert ad1
    assert all("before the child entered care" in r.reason for r in ad1)


def test_reimporting_the_fake_data_appends_nothing(fake_report: tuple[ImportReport, str], fake_folder: Path) -> None:
    report, store = fake_report
    app = JourneysApp(store)
    try:
        before = event_count(app)
        again = run_import(app, fake_folder)
        assert event_count(app) == before
        assert again.appended == again.corrected == 0
        assert again.rows_rejected == report.rows_rejected
    finally:
        app.close()


def test_cli_writes_the_rejects_file_and_exits_2(run: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "2018"
    folder.mkdir()
    shutil.copy(FAKE / "placed_for_adoption_errors.csv", folder / "placed_for_adoption.csv")
    shutil.copy(FAKE / "ad1.csv", folder / "ad1.csv")
    shutil.copy(FAKE / "episodes.csv", folder / "episodes.csv")
    rejects = tmp_path / "rejects.csv"
    result = run("import-903", str(folder), "--rejects", str(rejects), "--quiet")
    assert result.exit_code == 2
    with rejects.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0].keys() == {"file", "row", "table", "column", "reason"}
    assert {r["file"] for r in rows} >= {"2018/placed_for_adoption.csv", "2018/ad1.csv"}
    assert "rows rejected; see" in result.output
