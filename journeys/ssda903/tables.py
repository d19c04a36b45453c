"""One CSV file of a 903 return: which table it is, its column names checked, its rows read.

A file whose first line names the columns of one of the four tables read is that table. A
file meant to be one (it has a column that only that table has, or the table's file name) that
cannot be read as one is refused with a :class:`MalformedTable` naming the file and the
problem: columns missing or named twice, cells separated by ``;`` or tabs, bytes that are not
UTF-8, a quote never closed, a cell running over a line break or longer than any cell can be.
Any other CSV file in a return's folder is "not read".
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TextIO

from journeys.domain.errors import JourneyError
from journeys.ssda903.codes import (
    OTHER_TABLE_COLUMNS,
    RECOGNISING_COLUMNS,
    RECOGNITION_ORDER,
    SHARED_COLUMNS,
    TABLE_COLUMNS,
    TABLE_NAMES,
)

NOTHING_IMPORTED: Final = "nothing was imported"
SAVE_AS_UTF8: Final = f"save the file as CSV UTF-8 (in Excel: Save As, CSV UTF-8) and import again; {NOTHING_IMPORTED}"
OTHER_SEPARATORS: Final[dict[str, str]] = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}
# Python's csv module refuses a cell longer than this.
LONGEST_CELL: Final = csv.field_size_limit()
EMPTY: Final = "it is empty"


class ReturnError(JourneyError):
    """A 903 file or folder cannot be read as a return; nothing is imported."""

    remedy = "give folders of 903 CSV files (header.csv, episodes.csv, ad1.csv, placed_for_adoption.csv)"


class MalformedTable(ReturnError):
    """A CSV file meant to be a 903 table cannot be read as one; nothing is imported."""

    remedy = f"export the table again as CSV (comma-separated, UTF-8) and import again; {NOTHING_IMPORTED}"


@dataclass(frozen=True, eq=False)
class Row:
    """One data row of a 903 table, with the file and line it came from (equal only to itself)."""

    table: str
    year: int
    file: str  # as shown to users: "2016/episodes.csv"
    line: int  # the line in the CSV file (the column names are line 1)
    values: Mapping[str, str]  # the cells of the columns the import reads, stripped
    child: str = ""  # the CHILD cell as a reference is kept (Unicode NFKC), or as written when it is none
    problem: str = ""  # what is wrong with the row as a whole, if anything

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def recognise(columns: Iterable[str]) -> str | None:
    """Which 903 table a file's column names belong to (None when none): the first of
    :data:`RECOGNITION_ORDER` whose recognising columns the file has, unless the file also has a
    column of another 903 table that this one lacks (a UASC table, CHILD, SEX, DOB and DUC, is
    not Header)."""
    present = {c.strip().upper() for c in columns}
    for table in RECOGNITION_ORDER:
        if set(RECOGNISING_COLUMNS[table]) <= present and not _foreign(table, present):
            return table
    return None


def _foreign(table: str, present: set[str]) -> set[str]:
    """The columns of ``present`` that another 903 table has and ``table`` lacks."""
    own = set(TABLE_COLUMNS[table]) | SHARED_COLUMNS
    return (present - own) & _OTHERS_COLUMNS[table]


# For each read table, the columns of every other 903 table (read or not).
_OTHERS_COLUMNS: Final[dict[str, set[str]]] = {
    table: {
        column
        for other, columns in (*TABLE_COLUMNS.items(), *OTHER_TABLE_COLUMNS.items())
        if other != table
        for column in columns
    }
    for table in TABLE_COLUMNS
}


def expected_tables() -> str:
    """The tables read, each with the columns that make a file that table."""
    return "; ".join(f"{t} ({', '.join(RECOGNISING_COLUMNS[t])})" for t in reversed(RECOGNITION_ORDER))


@dataclass(frozen=True)
class TableFile:
    """A CSV file recognised as one of the tables, its column names checked."""

    path: Path
    table: str
    columns: tuple[str, ...]  # the column names, stripped and upper-case, in the file's order
    header_line: int  # the line of the column names (1 unless blank lines come first)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) of each data row that is not blank; a problem of the file as a whole
        (bytes that are not UTF-8, a quote never closed) is a :class:`MalformedTable`."""
        for line, cells in _records(self.path):
            if line > self.header_line and any(cell.strip() for cell in cells):
                yield line, cells


@dataclass(frozen=True)
class NotATable:
    """A CSV file that is not one of the tables read, and why."""

    path: Path
    why: str


def read_header(path: Path) -> TableFile | NotATable:
    """Which table the file at ``path`` is (its column names checked), or why it is none."""
    found = _header(path)
    if found is None:
        if _named_table(path) is not None:
            raise MalformedTable(f"{path} is empty: it does not even hold the column names")
        return NotATable(path, EMPTY)
    line, raw, names = found
    table = recognise(names)
    if table is not None:
        _no_column_twice(path, names)
        return TableFile(path, table, tuple(names), line)
    for separator, written in OTHER_SEPARATORS.items():
        if separator in raw and recognise(_split(raw, separator)) is not None:
            raise _separated_by(path, written)
    if "\x00" in raw and recognise(_split(raw.replace("\x00", ""), ",")) is not None:
        raise MalformedTable(f"{path} is UTF-16 text, not UTF-8 (its column names hold NUL bytes)", SAVE_AS_UTF8)
    meant = _meant_table(path, names)
    if meant is not None:
        missing = [c for c in RECOGNISING_COLUMNS[meant] if c not in names]
        raise MalformedTable(
            f"{path} looks like the {meant} table but has no column {', '.join(missing)} (line {line})",
            f"the {meant} table needs the columns {', '.join(RECOGNISING_COLUMNS[meant])}: export it again with "
            f"every column of the 903 {meant} table; {NOTHING_IMPORTED}",
        )
    return NotATable(path, "not one of the 903 tables read (header, episodes, ad1, placed_for_adoption)")


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every record of the file, blank ones included, its bytes and quotes checked."""
    with _reading(path) as handle:
        reader = csv.reader(handle, strict=True)
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise _csv_problem(path, start, reader.line_num, str(error)) from None
            line = reader.line_num
            if line != start:
                raise MalformedTable(
                    f"{path} line {start}: a quoted cell runs over a line break (to line {line})",
                    f'check the quotes (") on line {start}: a cell that opens a quote closes it on the same '
                    f"line, and no cell holds a line break; {NOTHING_IMPORTED}",
                )
            yield line, cells


@contextmanager
def _reading(path: Path) -> Iterator[TextIO]:
    """The file open as UTF-8 text (a byte order mark dropped); bytes that are not UTF-8, or a
    file that cannot be read, are a :class:`ReturnError`."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield handle
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except OSError as error:
        raise ReturnError(
            f"cannot read {path}: {error.strerror or error}", f"check that the file can be read; {NOTHING_IMPORTED}"
        ) from None


def _csv_problem(path: Path, start: int, end: int, message: str) -> MalformedTable:
    if "field larger than field limit" in message:
        return MalformedTable(
            f"{path} line {start}: a cell is longer than {LONGEST_CELL:,} characters",
            'a 903 cell is a code, a date or a reference: check the line (a quote (") that is never closed '
            f"makes the rest of the file one cell); {NOTHING_IMPORTED}",
        )
    if "unexpected end of data" in message:
        return MalformedTable(
            f'{path} line {start}: a quote (") opened on this line is never closed (the file ends on line {end})',
            f"close the quote, or remove it; {NOTHING_IMPORTED}",
        )
    return MalformedTable(
        f"{path} line {end}: a cell's quotes (\") are not as CSV writes them ({message})",
        f'a quoted cell is quoted as a whole, "like this", with a quote inside it written twice; {NOTHING_IMPORTED}',
    )


def _not_utf8(path: Path) -> ReturnError:
    """The first line of the file that is not UTF-8, and its first bad byte."""
    with path.open("rb") as handle:
        if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            return MalformedTable(f"{path} is UTF-16 text, not UTF-8", SAVE_AS_UTF8)
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as error:
                return MalformedTable(
                    f"{path} line {number} is not UTF-8 text ({error.reason}: byte 0x{raw[error.start]:02x}, "
                    f"character {len(raw[: error.start].decode('utf-8', 'replace')) + 1} of the line)",
                    SAVE_AS_UTF8,
                )
    return MalformedTable(f"{path} is not UTF-8 text", SAVE_AS_UTF8)


def _header(path: Path) -> tuple[int, str, list[str]] | None:
    """The line number, text and names (stripped, upper-case) of the file's first line that is
    not blank (an Excel ``sep=,`` line before it is skipped); None when there is none."""
    with _reading(path) as handle:
        for number, text in enumerate(handle, start=1):
            raw = text.rstrip("\r\n")
            if not raw.strip(" ,;\t|"):
                continue
            declared = re.fullmatch(r"\s*sep=(.)\s*", raw, re.IGNORECASE)
            if declared:
                if declared.group(1) == ",":
                    continue
                raise _separated_by(path, OTHER_SEPARATORS.get(declared.group(1), repr(declared.group(1))))
            try:
                cells = next(csv.reader([raw], strict=True))
            except csv.Error:
                cells = next(csv.reader([raw]))  # read leniently, to tell which table it was meant to be
            return number, raw, [cell.strip().upper() for cell in cells]
    return None


def _separated_by(path: Path, written: str) -> MalformedTable:
    return MalformedTable(
        f"{path} is written with {written} between the cells: 903 tables are comma-separated",
        f"save it as CSV (comma delimited), or export it again with commas; {NOTHING_IMPORTED}",
    )


def _split(raw: str, separator: str) -> list[str]:
    return [cell.strip().strip('"').strip().upper() for cell in raw.split(separator)]


def _no_column_twice(path: Path, names: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for number, name in enumerate(names, start=1):
        if not name:
            continue
        if name in seen:
            raise MalformedTable(
                f"{path} has the column {name} twice (columns {seen[name]} and {number})",
                f"keep one column of each name (the two may hold different values); {NOTHING_IMPORTED}",
            )
        seen[name] = number


def _named_table(path: Path) -> str | None:
    """The table a file's name says it is (``episodes.csv``, ``Header_2016.csv``), if any."""
    stem = re.sub(r"(?<!\d)(19|20)\d\d(?!\d)", "", path.stem.lower())
    stem = re.sub(r"[^a-z0-9]", "", stem)
    return next((table for table, names in TABLE_NAMES.items() if stem in names), None)


def _meant_table(path: Path, names: Sequence[str]) -> str | None:
    """The table a file that is none of them was meant to be: the one with most of its own
    columns (those no other 903 table has) among the file's, else the one its name says."""
    present = set(names)
    scores = {t: len((set(TABLE_COLUMNS[t]) - SHARED_COLUMNS) & present) for t in RECOGNITION_ORDER}
    best = max(scores, key=lambda t: scores[t])
    return best if scores[best] else _named_table(path)
