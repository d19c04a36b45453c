"""The rows read, kept on disk in sorted runs: given back child by child, shorter references
first, each child's rows in the order they were read, every cell as it was."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from journeys.ssda903.by_child import RowsByChild
from journeys.ssda903.codes import EPISODES, HEADER
from journeys.ssda903.tables import ReturnError, Row


def _row(child: str, line: int, table: str = HEADER, dob: str = "01/02/2013") -> Row:
    values = {"CHILD": child, "SEX": "1", "DOB": dob} if table == HEADER else {"CHILD": child, "DECOM": dob}
    return Row(table, 2016, f"2016/{table}.csv", line, values, child, "")


def test_rows_come_back_child_by_child_in_import_order_across_runs() -> None:
    children = ["B10", "A2", "B10", "C", "A2", "", "B10", "A1", "C"]
    rows = RowsByChild(run_rows=3)
    try:
        for line, child in enumerate(children, start=2):
            rows.add(_row(child, line, EPISODES if line % 2 else HEADER))
        assert rows.count == len(children)
        groups = [[(r.child, r.line, r.table) for r in group] for group in rows.children()]
    finally:
        rows.close()
    assert [group[0][0] for group in groups] == ["", "C", "A1", "A2", "B10"]
    expected = sorted(
        ((c, line, EPISODES if line % 2 else HEADER) for line, c in enumerate(children, start=2)),
        key=lambda r: (len(r[0]), r[0], r[1]),
    )
    assert [row for group in groups for row in group] == expected


def test_every_cell_comes_back_as_it_was_read() -> None:
    odd = ["a\x00b", "tab\there", "line\nbreak", "Ｃ００１", "é", '"quoted"', "x" * 5000, "\\t"]
    rows = RowsByChild(run_rows=2)
    try:
        for line, cell in enumerate(odd, start=2):
            rows.add(Row(HEADER, 2015, "2015/h.csv", line, {"CHILD": "S1", "SEX": cell, "DOB": ""}, "S1", cell))
        [back] = list(rows.children())
    finally:
        rows.close()
    assert [(r.values["SEX"], r.problem, r.year, r.file) for r in back] == [(c, c, 2015, "2015/h.csv") for c in odd]


def test_rows_that_cannot_be_kept_on_disk_are_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no such folder"))
    rows = RowsByChild(run_rows=2)
    with pytest.raises(ReturnError) as refused:
        for line in range(2, 5):
            rows.add(_row("S1", line))
    assert refused.value.full_message() == (
        f"cannot keep the rows read in the temporary folder {tmp_path / 'no such folder'}: No such file or "
        "directory — free some space there, or set TMPDIR to a folder with room; nothing was imported"
    )


def test_closing_removes_the_runs_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    rows = RowsByChild(run_rows=2)
    for line in range(2, 7):
        rows.add(_row(f"S{line}", line))
    assert [p.name for p in tmp_path.iterdir()] != []
    rows.close()
    assert list(tmp_path.iterdir()) == []
