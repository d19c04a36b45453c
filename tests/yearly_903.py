"""Splitting a whole-history 903 return into one return per collection year, as an LA holds them.

The collection year Y runs from 1 April Y-1 to 31 March Y. Its return holds the episodes open at
some time in the year (one that ends after the year shows as still open), the children of those
episodes (Header), their "should be placed for adoption" decisions made by the year's end (one
that ceased after it shows as not ceased), and AD1 for the children adopted in the year.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

_TABLES = ("header", "episodes", "ad1", "placed_for_adoption")
_ADOPTED = {"E11", "E12"}


def _day(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    dd, mm, yyyy = text.split("/")
    return date(int(yyyy), int(mm), int(dd))


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)


def split_by_year(whole: Path, out: Path) -> list[int]:
    """Write ``out/<year>/<table>.csv`` for each collection year of the return in folder ``whole``."""
    tables = {name: _read(whole / f"{name}.csv") for name in _TABLES}
    episodes = tables["episodes"][1]
    starts = [_day(e["DECOM"]) for e in episodes]
    first = min(d for d in starts if d is not None)
    last = max(_day(e["DEC"]) or _day(e["DECOM"]) or first for e in episodes)
    years = list(range(first.year + (first.month > 3), last.year + (last.month > 3) + 1))
    for year in years:
        begin, end = date(year - 1, 4, 1), date(year, 3, 31)
        kept_episodes: list[dict[str, str]] = []
        adopted: set[str] = set()
        for e in episodes:
            decom, dec = _day(e["DECOM"]), _day(e["DEC"])
            assert decom is not None
            if decom > end or (dec is not None and dec < begin):
                continue
            row = dict(e)
            if dec is not None and dec > end:
                row["DEC"] = row["REC"] = ""
            elif dec is not None and e["REC"] in _ADOPTED:
                adopted.add(e["CHILD"])
            kept_episodes.append(row)
        children = {e["CHILD"] for e in kept_episodes}
        header = [r for r in tables["header"][1] if r["CHILD"] in children]
        ad1 = [r for r in tables["ad1"][1] if r["CHILD"] in adopted]
        decisions: list[dict[str, str]] = []
        for r in tables["placed_for_adoption"][1]:
            placed = _day(r["DATE_PLACED"])
            if r["CHILD"] not in children or placed is None or placed > end:
                continue
            row = dict(r)
            ceased = _day(r["DATE_PLACED_CEASED"])
            if ceased is not None and ceased > end:
                row["DATE_PLACED_CEASED"] = row["REASON_PLACED_CEASED"] = ""
            decisions.append(row)
        for name, rows in (
            ("header", header),
            ("episodes", kept_episodes),
            ("ad1", ad1),
            ("placed_for_adoption", decisions),
        ):
            _write(out / str(year) / f"{name}.csv", tables[name][0], rows)
    return years
