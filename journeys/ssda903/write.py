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


def write_tables(folder: Path, rows: Mapping[str, Sequence[Table903Row]]) -> list[Path]:
    """Write one return's tables, ``folder/<table>.csv`` for every table (the folder made if
    missing); the files written, in table order."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in TABLES:
        path = folder / f"{table}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=TABLE_COLUMNS[table], restval="")
            writer.writeheader()
            writer.writerows(rows.get(table, ()))
        written.append(path)
    return written


def write_return(out: Path, la: str, year: int, rows: Mapping[str, Sequence[Table903Row]]) -> dict[str, int]:
    """Write one return, ``out/<la>/<year>/<table>.csv`` for every table; rows written per table."""
    write_tables(out / la / str(year), rows)
    return {table: len(rows.get(table, ())) for table in TABLES}
