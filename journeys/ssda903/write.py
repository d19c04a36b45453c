"""Writing SSDA903 returns: rows of the four tables as the CSV files :mod:`journeys.ssda903.read` reads.

A return is written as the folder ``OUT/<la>/<year>/`` holding ``header.csv``,
``episodes.csv``, ``ad1.csv`` and ``placed_for_adoption.csv``, each with the columns of
:data:`journeys.ssda903.codes.TABLE_COLUMNS` (a column a row leaves out is written empty).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from journeys.ssda903.codes import DATE_FORMAT, TABLE_COLUMNS, TABLES

Table903Row = Mapping[str, str]  # column name -> cell


def date_903(day: date | None) -> str:
    """A date as 903 tables write it (dd/mm/yyyy); the empty cell for no date."""
    return day.strftime(DATE_FORMAT) if day else ""


def write_return(out: Path, la: str, year: int, rows: Mapping[str, Sequence[Table903Row]]) -> dict[str, int]:
    """Write one return, ``out/<la>/<year>/<table>.csv`` for every table; rows written per table."""
    folder = out / la / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in TABLES:
        table_rows = rows.get(table, ())
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=TABLE_COLUMNS[table], restval="")
            writer.writeheader()
            writer.writerows(table_rows)
        counts[table] = len(table_rows)
    return counts
