"""A written return reads back: each table's written columns recognise it, dates round-trip."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from journeys.ssda903.codes import EPISODES, HEADER, RECOGNISING_COLUMNS, TABLE_COLUMNS, TABLES
from journeys.ssda903.read import parse_903_date, read_returns
from journeys.ssda903.tables import recognise
from journeys.ssda903.write import date_903, write_return


def test_every_table_is_recognised_by_the_columns_it_is_written_with() -> None:
    for table in TABLES:
        assert set(RECOGNISING_COLUMNS[table]) <= set(TABLE_COLUMNS[table])
        assert recognise(TABLE_COLUMNS[table]) == table


def test_a_written_return_reads_back_row_for_row(tmp_path: Path) -> None:
    born = date(2019, 3, 7)
    rows = {
        HEADER: [{"CHILD": "A1", "SEX": "1", "DOB": date_903(born)}],
        EPISODES: [{"CHILD": "A1", "DECOM": date_903(date(2020, 1, 2)), "RNE": "S", "LS": "C2", "PLACE": "U1"}],
    }
    counts = write_return(tmp_path, "825", 2024, rows)
    assert counts == {table: len(rows.get(table, [])) for table in TABLES}
    with read_returns([tmp_path / "825" / "2024"]) as returns:
        read = list(returns.rows())
    assert sorted((r.table, r.child) for r in read) == [(EPISODES, "A1"), (HEADER, "A1")]
    header = next(r for r in read if r.table == HEADER)
    assert parse_903_date(header.values["DOB"]) == born
    assert date_903(None) == ""
