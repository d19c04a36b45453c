"""The synthetic 903 rows written as returns: one per collection year, as a local authority holds them.

The collection year Y (the folder ``Y``) runs from 1 April Y-1 to 31 March Y. Its return holds:

- **Episodes** open at some time in the year, with their own DECOM (an episode begun in an earlier
  year is carried with its start, as real returns carry open episodes); one that ends after
  31 March Y shows as still open (DEC, REC and REASON_PLACE_CHANGE blank).
- **Header**: the children of those episodes (the UPN code UN1 for a child not yet of school age at
  the 31 August before the year, validator rule 209; a UPN from then on).
- **PlacedAdoption**: their "should be placed for adoption" decisions made by 31 March Y and not
  ceased before 1 April Y-1 (one that ceased later shows as not ceased).
- **AD1**: the children adopted in the year (an episode ending E11 in it).

:func:`write_903` writes ``OUT/<la>/<year>/{header,episodes,ad1,placed_for_adoption}.csv`` for
every collection year from the first with an episode to ``year`` (``whole_history=True``: one
return ``OUT/<la>/<year>/`` holding every row instead, a cumulative extract for benchmarks).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from journeys.ssda903.codes import AD1, EPISODES, HEADER, PLACED_FOR_ADOPTION, TABLES
from journeys.ssda903.write import Table903Row, date_903, write_return
from journeys.synthetic.as_903 import ChildRows, child_rows, corrected
from journeys.synthetic.places import upn

_ADOPTED = ("E11", "E12")


def collection_year(day: date) -> int:
    """The collection year (ending 31 March) a day falls in."""
    return day.year + (day.month > 3)


def _cells(row: dict[str, Any]) -> dict[str, str]:
    return {k: date_903(v) if isinstance(v, date) else str(v) for k, v in row.items()}


def _upn(rows: ChildRows, begin: date) -> str:
    if rows.born is None:
        return "UN5"
    school_age = date(rows.born.year + 4, rows.born.month, min(rows.born.day, 28)) <= date(begin.year - 1, 8, 31)
    return upn(rows.la, rows.ref, rows.born) if school_age else "UN1"


def year_tables(rows: ChildRows, year: int | None) -> dict[str, list[Table903Row]]:
    """One child's rows in the return of ``year`` (``None``: every row, the whole history)."""
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
    header = {**rows.header, "UPN": _upn(rows, begin) if year else "UN5"}
    return {HEADER: [header], EPISODES: episodes, AD1: [rows.ad1] if rows.ad1 and adopted else [],
            PLACED_FOR_ADOPTION: decisions}  # fmt: skip


def _years(children: list[ChildRows], last: int) -> Iterator[int]:
    starts = [e["DECOM"] for c in children for e in c.episodes]
    if starts:
        yield from range(collection_year(min(starts)), last + 1)


def write_903(lines: Iterable[dict[str, Any]], out: Path, year: int, *, whole_history: bool = False) -> dict[str, int]:
    """Write each LA's returns, ``out/<la>/<y>/<table>.csv`` for every collection year ``y`` up to
    ``year`` (``whole_history``: one return, ``out/<la>/<year>/``); rows written per table."""
    by_la: dict[str, list[ChildRows]] = {}
    for (la, ref), decisions in corrected(lines).items():
        by_la.setdefault(la, []).append(child_rows(la, ref, decisions))
    counts = dict.fromkeys(TABLES, 0)
    for la, children in by_la.items():
        for y in [year] if whole_history else _years(children, year):
            tables: dict[str, list[Table903Row]] = {t: [] for t in TABLES}
            for child in children:
                for table, table_rows in year_tables(child, None if whole_history else y).items():
                    tables[table].extend(table_rows)
            for table, written in write_return(out, la, y, tables).items():
                counts[table] += written
    return counts
