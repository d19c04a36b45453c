"""Reading SSDA903 returns: CSV tables of one or more years, each row kept with its origin.

A return is a folder of CSV files (``header.csv``, ``episodes.csv``, ``ad1.csv``,
``placed_for_adoption.csv`` as DfE and the public validators name them). Tables are
recognised by their columns, so LA-specific file names work too. The year labels the
return (the newest return wins where two disagree); it comes from ``--year`` or the
folder's name (``2016``, ``903_2016``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from journeys.domain.errors import JourneyError
from journeys.ssda903.codes import DATE_FORMAT, RECOGNISING_COLUMNS, RECOGNITION_ORDER


class ReturnError(JourneyError):
    """A 903 file or folder cannot be read as a return; nothing is imported."""

    remedy = "give folders of 903 CSV files (header.csv, episodes.csv, ad1.csv, placed_for_adoption.csv)"


@dataclass(frozen=True, eq=False)
class Row:
    """One data row of a 903 table, with the file and line it came from (equal only to itself)."""

    table: str
    year: int
    file: str  # as shown to users: "2016/episodes.csv"
    line: int  # the line in the CSV file (the column names are line 1)
    values: Mapping[str, str]

    @property
    def child(self) -> str:
        return self.values.get("CHILD", "")

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Returns:
    rows: list[Row] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    files: list[tuple[str, str, int]] = field(default_factory=list)  # (file, table, year)


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def year_of(name: str) -> int | None:
    """The return year a folder name gives (the last four-digit number in it), if any."""
    found = [int(y) for y in _YEAR.findall(name) if 1990 <= int(y) <= 2100]
    return found[-1] if found else None


def parse_903_date(text: str) -> date:
    """A 903 date (dd/mm/yyyy); ValueError naming the problem when it is not a real date."""
    value = text.strip()
    if not re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value):
        raise ValueError(f"{value!r} is not a date in dd/mm/yyyy")
    try:
        return datetime.strptime(value, DATE_FORMAT).date()
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None


def recognise(columns: Iterable[str]) -> str | None:
    """Which 903 table a file's column names belong to (None when none)."""
    present = {c.strip().upper() for c in columns}
    for table in RECOGNITION_ORDER:
        if set(RECOGNISING_COLUMNS[table]) <= present:
            return table
    return None


def _not_utf8(path: Path, error: UnicodeDecodeError) -> ReturnError:
    return ReturnError(
        f"{path} is not UTF-8 text ({error.reason} at byte 0x{error.object[error.start]:02x})",
        "save the file as CSV UTF-8 (in Excel: Save As, CSV UTF-8) and import again; nothing was imported",
    )


def _columns(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except UnicodeDecodeError as error:
        raise _not_utf8(path, error) from None


def _read_table(path: Path, table: str, year: int, into: Returns) -> None:
    shown = f"{year}/{path.name}"
    into.files.append((shown, table, year))
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            names = [c.strip().upper() for c in next(reader, [])]
            for raw in reader:
                if not any(cell.strip() for cell in raw):
                    continue
                values = {name: (raw[i].strip() if i < len(raw) else "") for i, name in enumerate(names)}
                into.rows.append(Row(table, year, shown, reader.line_num, values))
    except UnicodeDecodeError as error:
        raise _not_utf8(path, error) from None


def _return_year(folder: Path, given: int | None, what: str) -> int:
    year = given if given is not None else year_of(folder.resolve().name)
    if year is None:
        raise ReturnError(
            f"cannot tell which year's return {what} is",
            "pass --year YYYY, or put each year's files in a folder named by its year (e.g. 2016/)",
        )
    return year


def _read_folder(folder: Path, year: int, into: Returns) -> None:
    for path in sorted(folder.glob("*.csv")):
        table = recognise(_columns(path))
        if table is None:
            into.ignored.append(
                (str(path), "not one of the 903 tables read (header, episodes, ad1, placed_for_adoption)")
            )
        else:
            _read_table(path, table, year, into)


def read_returns(paths: Iterable[Path], year: int | None = None) -> Returns:
    """Read every 903 table under ``paths`` (folders of one return, folders of year folders, or files)."""
    found = Returns()
    folders: list[tuple[Path, int]] = []
    files: list[tuple[Path, int]] = []
    for path in paths:
        if not path.exists():
            raise ReturnError(f"{path} does not exist")
        if path.is_file():
            files.append((path, _return_year(path.parent, year, str(path))))
        elif any(path.glob("*.csv")):
            folders.append((path, _return_year(path, year, str(path))))
        else:
            subfolders = sorted(p for p in path.iterdir() if p.is_dir() and year_of(p.name) is not None)
            if not subfolders:
                raise ReturnError(f"{path} holds no CSV files and no year folders")
            if year is not None and len(subfolders) > 1:
                raise ReturnError(
                    f"--year {year} names one return, but {path} holds {len(subfolders)} year folders",
                    "leave out --year: each folder's name gives its year",
                )
            folders.extend((sub, _return_year(sub, year, str(sub))) for sub in subfolders)
    for file, file_year in files:
        table = recognise(_columns(file))
        if table is None:
            raise ReturnError(
                f"{file} is not one of the 903 tables read (header, episodes, ad1, placed_for_adoption)",
                "check its first line: the column names of the 903 table",
            )
        _read_table(file, table, file_year, found)
    for folder, folder_year in folders:
        _read_folder(folder, folder_year, found)
    return found
