"""`journeys export-903`: one collection year's 903 return of one LA, from the journeys as the store holds them.

Each child's decisions are read through :class:`journeys.application.JourneysApp` as known now (or
as known at ``known_at``: only the events recorded by then, corrections and retractions as they
stood), turned into 903 rows by the writer the synthetic returns use too
(:mod:`journeys.ssda903.journey_rows`, with every cell the engine does not record left blank) and
cut into the return of the year (:mod:`journeys.ssda903.year_rows`). The tables are written as the
CSV files ``import-903`` reads, or as the DfE XML file. docs/ssda903.md says where each column
comes from.

A refused export writes nothing: the tables are made first and written to a new folder beside
``out``, which becomes ``out`` only when every file is written (the folders above ``out`` are
made when missing).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from journeys.application import JourneysApp
from journeys.domain.errors import JourneyError
from journeys.domain.timeline import effective_decisions, known_by
from journeys.returns.log import record_return
from journeys.ssda903.codes import HEADER, TABLE_COLUMNS
from journeys.ssda903.journey_rows import ChildRows, child_rows
from journeys.ssda903.write import write_tables
from journeys.ssda903.xml_write import write_xml
from journeys.ssda903.year_rows import Tables, return_tables

XML_FILE = "return.xml"
EXPORT_KIND = "export-903"  # its kind in the returns log


class ExportRefused(JourneyError):
    """A 903 return cannot be exported as asked; nothing is written."""

    remedy = "check --la, --year and --out"


def la_children(app: JourneysApp, la: str, known_at: datetime | None = None) -> list[ChildRows]:
    """Every child of ``la`` the store holds (as known at ``known_at``), as 903 rows."""
    children: list[ChildRows] = []
    for code, child, entries in app.streams():
        if code != la:
            continue
        decisions = effective_decisions(known_by(entries, known_at))
        if not decisions:
            continue  # nothing of the child known yet
        children.append(child_rows(la, child, [(d.on, d.kind, dict(d.fields)) for d in decisions]))
    return children


def return_903(app: JourneysApp, *, year: int, la: str, known_at: datetime | None = None) -> Tables:
    """The tables of ``la``'s return of the collection year ``year`` (ending 31 March ``year``)."""
    children = la_children(app, la, known_at)
    known = "" if known_at is None else f" as known at {known_at.isoformat()}"
    if not children:
        raise ExportRefused(
            f"the store holds no child of local authority {la}{known}",
            "check --la (or JOURNEYS_LA) and the store (--store), or --known-at",
        )
    tables = return_tables(children, year)
    if not tables[HEADER]:
        raise ExportRefused(
            f"no child of local authority {la} was looked after in the {year - 1}/{year % 100:02d} collection "
            f"year (1 April {year - 1} to 31 March {year}){known}",
            "give a --year (the year ending 31 March) in which the LA had children in care",
        )
    return tables


def _refuse_out(out: Path) -> None:
    if out.is_dir() and any(out.iterdir()):
        raise ExportRefused(
            f"{str(out)!r} is a folder that is not empty: a return is written to a new or empty folder",
            "give another --out, or empty the folder",
        )
    if os.path.lexists(out) and not out.is_dir():
        raise ExportRefused(f"{str(out)!r} is a file: --out names a folder", "give a folder name for --out")
    if os.path.lexists(out.parent) and not out.parent.is_dir():
        raise ExportRefused(f"{str(out.parent)!r} is a file: --out names a folder", "give another --out")


def export_903(
    app: JourneysApp,
    *,
    year: int,
    la: str,
    out: Path,
    known_at: datetime | None = None,
    xml: bool = False,
    user: str | None = None,
) -> list[Path]:
    """Write ``la``'s return of ``year`` to the new (or empty) folder ``out``: the four CSV tables,
    or with ``xml`` the one XML file; the paths written. With ``user``, the return is recorded in
    the returns log as made by that user (its cells: :func:`export_cells`); a record refused
    removes what was written."""
    _refuse_out(out)
    tables = return_903(app, year=year, la=la, known_at=known_at)
    existed = out.is_dir()
    written = _write(tables, out, xml)
    if user is not None:
        try:
            record_return(app, EXPORT_KIND, str(year), la, written, export_cells(tables), user=user, known_at=known_at)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            if not existed:
                out.rmdir()
            raise
    return written


def export_cells(tables: Tables) -> dict[str, int]:
    """What the returns log keeps of a 903 return made: for each table, its rows
    (``episodes.rows``) and, for each column, the rows with the column filled (``ad1.DATE_MATCH``)."""
    cells: dict[str, int] = {}
    for table, rows in tables.items():
        cells[f"{table}.rows"] = len(rows)
        for column in TABLE_COLUMNS[table][1:]:  # the first is CHILD
            cells[f"{table}.{column}"] = sum(1 for row in rows if row.get(column, ""))
    return cells


def _write(tables: Tables, out: Path, xml: bool) -> list[Path]:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    except OSError as failed:
        why = f"cannot write in {str(out.parent)!r}: {failed.strerror}"
        raise ExportRefused(why, "check the folder's rights") from None
    try:
        names = [write_xml(work / XML_FILE, tables).name] if xml else [p.name for p in write_tables(work, tables)]
        if out.is_dir():
            out.rmdir()  # empty: checked above
        work.rename(out)
    except OSError as failed:
        shutil.rmtree(work, ignore_errors=True)
        raise ExportRefused(f"cannot write {str(out)!r}: {failed.strerror}", "check the disk and the folder") from None
    return [out / name for name in names]
