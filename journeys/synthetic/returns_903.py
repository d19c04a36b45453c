"""The synthetic 903 rows written as returns: one per collection year, as a local authority holds them.

Each child's corrected decisions (:func:`journeys.synthetic.as_903.corrected`) are turned into
903 rows by the writer ``journeys export-903`` uses too (:mod:`journeys.ssda903.journey_rows`,
with the synthetic cells of :class:`journeys.synthetic.as_903.Synthetic`) and cut into the
return of each collection year (:mod:`journeys.ssda903.year_rows`).

:func:`write_903` writes ``OUT/<la>/<year>/{header,episodes,ad1,placed_for_adoption}.csv`` for
every collection year from the first with an episode to ``year`` (``whole_history=True``: one
return ``OUT/<la>/<year>/`` holding every row instead, a cumulative extract for benchmarks).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from journeys.ssda903.codes import TABLES
from journeys.ssda903.journey_rows import ChildRows, child_rows
from journeys.ssda903.write import write_return
from journeys.ssda903.year_rows import collection_year, return_tables, return_years
from journeys.synthetic.as_903 import SYNTHETIC, corrected

__all__ = ["collection_year", "write_903"]


def write_903(lines: Iterable[dict[str, Any]], out: Path, year: int, *, whole_history: bool = False) -> dict[str, int]:
    """Write each LA's returns, ``out/<la>/<y>/<table>.csv`` for every collection year ``y`` up to
    ``year`` (``whole_history``: one return, ``out/<la>/<year>/``); rows written per table."""
    by_la: dict[str, list[ChildRows]] = {}
    for (la, ref), decisions in corrected(lines).items():
        by_la.setdefault(la, []).append(child_rows(la, ref, decisions, SYNTHETIC))
    counts = dict.fromkeys(TABLES, 0)
    for la, children in by_la.items():
        for y in [year] if whole_history else return_years(children, year):
            tables = return_tables(children, None if whole_history else y, SYNTHETIC)
            for table, written in write_return(out, la, y, tables).items():
                counts[table] += written
    return counts
