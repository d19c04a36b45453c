"""Reading SSDA903 returns: CSV tables or XML returns of one or more years, each row kept with its origin.

A return is a folder of CSV files (``header.csv``, ``episodes.csv``, ``ad1.csv``,
``placed_for_adoption.csv`` as DfE and the public validators name them). Tables are
recognised by their columns, so LA-specific file names work too. The year labels the
return (the newest return wins where two disagree); it comes from ``--year`` or the
folder's name (``2016``, ``903_2016``).

Every file is read to its end before anything is imported, so that a file that cannot be
read (:mod:`journeys.ssda903.tables`) refuses the import as a whole. The rows read are kept
on disk sorted by child (:mod:`journeys.ssda903.by_child`), not in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Final

from journeys.domain.errors import InvalidEvent
from journeys.domain.inputs import child_reference
from journeys.ssda903.by_child import RUN_ROWS, RowsByChild
from journeys.ssda903.codes import DATE_FORMAT, EPISODES, READ_COLUMNS, TABLES
from journeys.ssda903.tables import EMPTY, NotATable, ReturnError, Row, TableFile, expected_tables, read_header
from journeys.ssda903.xml_return import CHILD_ELEMENT, ELEMENT_OF, NOT_A_RETURN, XmlReturn, read_xml_header
from journeys.ssda903.xml_return import ROOT as XML_ROOT


class Returns:
    """The rows of the 903 tables read, child by child, and which files were read or not.
    A context manager: leaving it removes the rows kept on disk."""

    def __init__(self, run_rows: int = RUN_ROWS) -> None:
        self.files: list[tuple[str, str, int]] = []  # (file, table, year)
        self.paths: list[Path] = []  # each file read, once (an XML return holds every table)
        self.ignored: list[tuple[str, str]] = []  # (path, why)
        self.by_child = RowsByChild(run_rows)

    @property
    def rows_read(self) -> int:
        return self.by_child.count

    def children(self) -> Iterator[list[Row]]:
        """Each child's rows, in the order they were read; children shorter reference first."""
        return self.by_child.children()

    def rows(self) -> Iterator[Row]:
        """Every row read, child by child."""
        for rows in self.children():
            yield from rows

    def close(self) -> None:
        self.by_child.close()

    def __enter__(self) -> Returns:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


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


def reference_of(cell: str) -> str:
    """A CHILD cell as the reference a journey is kept under; the cell as written when it is
    not a valid reference (the row is then rejected with the reason)."""
    try:
        return child_reference(cell)
    except InvalidEvent:
        return cell


def _xml_rows(found: XmlReturn, shown: str, year: int) -> Iterator[Row]:
    for table, element, number, values, problem in found.rows():
        yield Row(table, year, f"{shown}/{element}", number, values, reference_of(values["CHILD"]), problem)


def _rows(found: TableFile, shown: str, year: int) -> Iterator[Row]:
    columns = READ_COLUMNS[found.table]
    # an optional column the file does not have reads as blank (index -1)
    where = [found.columns.index(column) if column in found.columns else -1 for column in columns]
    width = len(found.columns)
    for line, cells in found.rows():
        values = {
            column: (cells[i].strip() if 0 <= i < len(cells) else "") for column, i in zip(columns, where, strict=True)
        }
        problem = ""
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            used = max(i for i, cell in enumerate(cells) if cell.strip()) + 1
            problem = (
                f"the row has {used} cells but line {found.header_line} names {width} columns: "
                "a comma too many, or a cell holding a comma without quotes"
            )
        yield Row(found.table, year, shown, line, values, reference_of(values["CHILD"]), problem)


def _data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xml") and p.is_file())


Source = TableFile | XmlReturn


def _source(path: Path) -> Source | NotATable:
    """The table (CSV) or return (XML) the file at ``path`` is, or why it is none."""
    return read_xml_header(path) if path.suffix.lower() == ".xml" else read_header(path)


def tables_of(source: Source) -> tuple[str, ...]:
    """The tables a file holds: one for a CSV table, all four for an XML return."""
    return TABLES if isinstance(source, XmlReturn) else (source.table,)


CSV_HOLDS: Final = f"a 903 table's first line names its columns, those of one of the tables {expected_tables()}"
XML_HOLDS: Final = f"a 903 XML return holds a {CHILD_ELEMENT} element for each child under its root ({XML_ROOT})"


def _return_year(folder: Path, given: int | None, what: str) -> int:
    year = given if given is not None else year_of(folder.resolve().name)
    if year is None:
        raise ReturnError(
            f"cannot tell which year's return {what} is",
            "pass --year YYYY, or put each year's files in a folder named by its year (e.g. 2016/)",
        )
    return year


def _tables(paths: Iterable[Path], year: int | None, into: Returns) -> list[tuple[Source, int]]:
    """Every table under ``paths`` with its year, its column names checked (files first, then
    folders, as given); the files of a folder that are no table are noted in ``into``. Refused:
    a folder with no 903 file, a year with no episodes or with two files of one table."""
    folders: list[tuple[Path, int]] = []
    files: list[tuple[Path, int]] = []
    for path in paths:
        if not path.exists():
            raise ReturnError(f"{path} does not exist")
        if path.is_file():
            files.append((path, _return_year(path.parent, year, str(path))))
        elif _data_files(path):
            folders.append((path, _return_year(path, year, str(path))))
        else:
            subfolders = sorted(p for p in path.iterdir() if p.is_dir() and year_of(p.name) is not None)
            if not subfolders:
                raise ReturnError(
                    f"{path} holds no 903 files (CSV tables or an XML return) and no year folders",
                    f"give the folder of a return: its CSV tables ({', '.join(TABLES)}) or its XML file, "
                    "or a folder of year folders (2015/, 2016/, ...)",
                )
            if year is not None and len(subfolders) > 1:
                raise ReturnError(
                    f"--year {year} names one return, but {path} holds {len(subfolders)} year folders",
                    "leave out --year: each folder's name gives its year",
                )
            folders.extend((sub, _return_year(sub, year, str(sub))) for sub in subfolders)
    found: list[tuple[Source, int]] = []
    for file, file_year in files:
        table = _source(file)
        if isinstance(table, NotATable):
            raise ReturnError(
                f"{file} is not one of the 903 tables read"
                + (f": {table.why}" if table.why in (EMPTY, NOT_A_RETURN) else ""),
                XML_HOLDS if file.suffix.lower() == ".xml" else CSV_HOLDS,
            )
        found.append((table, file_year))
    for folder, folder_year in folders:
        here = [(_source(path), path) for path in _data_files(folder)]
        tables = [table for table, _ in here if not isinstance(table, NotATable)]
        if not tables:
            raise ReturnError(
                f"{folder} holds no 903 table: "
                + "; ".join(f"{path.name}: {table.why}" for table, path in here if isinstance(table, NotATable)),
                f"{CSV_HOLDS}; {XML_HOLDS}",
            )
        into.ignored.extend((str(path), table.why) for table, path in here if isinstance(table, NotATable))
        found.extend((table, folder_year) for table in tables)
    kept = _once_each(found)
    _check_years(kept)
    return kept


def _check_years(found: list[tuple[Source, int]]) -> None:
    """Each year's return has one file of each table it has, and an episodes table."""
    by_year: dict[int, dict[str, list[Path]]] = {}
    for source, year in found:
        for table in tables_of(source):
            by_year.setdefault(year, {}).setdefault(table, []).append(source.path)
    for year, tables in sorted(by_year.items()):
        for table, paths in tables.items():
            if len(paths) > 1:
                raise ReturnError(
                    f"the {year} return has two files for the {table} table: {paths[0]} and {paths[1]}",
                    "keep one file of each table in a return's folder (an XML return holds every table): "
                    "move the other out, or import it as another year's return",
                )
        if EPISODES not in tables:
            held = ", ".join(t for t in TABLES if t in tables)
            raise ReturnError(
                f"the {year} return has no episodes table (it has {held}): "
                f"read from {', '.join(sorted({str(p) for ps in tables.values() for p in ps}))}",
                "a 903 return's journeys come from its episodes: add the episodes CSV (CHILD, DECOM, RNE, LS, "
                "PLACE, DEC, REC) to the return's folder, or give the return's XML file",
            )


def _once_each(found: list[tuple[Source, int]]) -> list[tuple[Source, int]]:
    """The tables, a file given twice (a folder and its year folder) read once; refused when two
    files would be shown alike (two returns of the same year given together)."""
    kept: list[tuple[Source, int]] = []
    seen: set[Path] = set()
    shown: dict[str, Path] = {}
    for table, year in found:
        real = table.path.resolve()
        if real in seen:
            continue
        name = shown_name(table.path, year)
        if name in shown:
            raise ReturnError(
                f"{shown[name]} and {table.path} are both the file {name}: two returns of {year} given at once",
                "import one return of a year at a time (the next import merges with it), or put the "
                "files of one return in one folder",
            )
        seen.add(real)
        shown[name] = table.path
        kept.append((table, year))
    return kept


def shown_name(path: Path, year: int) -> str:
    """A table file as rejects and sources name it: ``2016/episodes.csv``."""
    return f"{year}/{path.name}"


def read_returns(paths: Iterable[Path], year: int | None = None, *, run_rows: int = RUN_ROWS) -> Returns:
    """Read every 903 table under ``paths`` (folders of one return, folders of year folders, or
    files) to its end; a :class:`ReturnError` when one cannot be read, and nothing kept. The rows
    are kept on disk in sorted runs of ``run_rows``."""
    returns = Returns(run_rows)
    try:
        for source, table_year in _tables(paths, year, returns):
            shown = shown_name(source.path, table_year)
            if source.path not in returns.paths:
                returns.paths.append(source.path)
            if isinstance(source, XmlReturn):
                returns.files.extend((f"{shown}/{ELEMENT_OF[t]}", t, table_year) for t in TABLES)
                rows = _xml_rows(source, shown, table_year)
            else:
                returns.files.append((shown, source.table, table_year))
                rows = _rows(source, shown, table_year)
            for row in rows:
                returns.by_child.add(row)
    except BaseException:
        returns.close()
        raise
    return returns
