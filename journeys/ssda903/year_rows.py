"""Children's whole-history 903 rows cut into the return of one collection year.

The collection year Y (the folder ``Y``) runs from 1 April Y-1 to 31 March Y. Its return holds:

- **Episodes** open at some time in the year, with their own DECOM (an episode begun in an earlier
  year is carried with its start, as real returns carry open episodes); one that ends after
  31 March Y shows as still open (DEC, REC and REASON_PLACE_CHANGE blank).
- **Header**: the children of those episodes.
- **PlacedAdoption**: their "should be placed for adoption" decisions made by 31 March Y and not
  ceased before 1 April Y-1 (one that ceased later shows as not ceased).
- **AD1**: the children adopted in the year (an episode ending E11 in it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from journeys.ssda903.codes import AD1, EPISODES, HEADER, PLACED_FOR_ADOPTION, TABLES
from journeys.ssda903.journey_rows import NOT_RECORDED, ChildRows, Unrecorded
from journeys.ssda903.write import Table903Row, date_903

_ADOPTED = ("E11", "E12")
Tables = dict[str, list[Table903Row]]  # table -> rows


def collection_year(day: date) -> int:
    """The collection year (ending 31 March) a day falls in."""
    return day.year + (day.month > 3)


def _cells(row: dict[str, Any]) -> dict[str, str]:
    return {k: date_903(v) if isinstance(v, date) else str(v) for k, v in row.items()}


def year_tables(rows: ChildRows, year: int | None, unrecorded: Unrecorded = NOT_RECORDED) -> Tables:
    """One child's rows in the return of ``year`` (``None``: every row, the whole history); empty
    when the child has no episode in the year."""
    begin, end = (date(year - 1, 4, 1), date(year, 3, 31)) if year else (date.min, date.max)
    episodes: list[Table903Row] = []
    adopted = False
    for e in rows.episodes:
        decom, dec = e["DECOM"], e.get("DEC")
        if decom > end or (dec is not None and dec < begin):
            continue
        row = dict(e)
        if dec is not None and dec > end:
            for column in ("DEC", "REC", "REASON_PLACE_CHANGE"):
                row.pop(column, None)
        elif dec is not None and row.get("REC") in _ADOPTED:
            adopted = True
        episodes.append(_cells(row))
    if not episodes:
        return {}
    decisions: list[Table903Row] = []
    for p in rows.placed:
        ceased = p.get("DATE_PLACED_CEASED")
        if p["DATE_PLACED"] > end or (ceased is not None and ceased < begin):
            continue
        row = dict(p)
        if ceased is not None and ceased > end:
            row.pop("DATE_PLACED_CEASED")
            row.pop("REASON_PLACED_CEASED")
        decisions.append(_cells(row))
    header = {**rows.header, "UPN": unrecorded.upn(rows.la, rows.ref, rows.born, begin if year else None)}
    return {HEADER: [header], EPISODES: episodes, AD1: [rows.ad1] if rows.ad1 and adopted else [],
            PLACED_FOR_ADOPTION: decisions}  # fmt: skip


def return_years(children: Iterable[ChildRows], last: int) -> Iterator[int]:
    """The collection years from the first with an episode to ``last``."""
    starts = [e["DECOM"] for c in children for e in c.episodes]
    if starts:
        yield from range(collection_year(min(starts)), last + 1)


def return_tables(children: Iterable[ChildRows], year: int | None, unrecorded: Unrecorded = NOT_RECORDED) -> Tables:
    """The return of ``year`` (None: the whole history) of these children, every table."""
    tables: Tables = {t: [] for t in TABLES}
    for child in children:
        for table, table_rows in year_tables(child, year, unrecorded).items():
            tables[table].extend(table_rows)
    return tables
