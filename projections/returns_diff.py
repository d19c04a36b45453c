"""Why a figure differs from what was returned: a return of the returns log re-derived from the
journeys as known now, every cell that differs, the children behind each difference and the
events recorded since the return that made it (docs/returns.md, "As returned").

The store is bitemporal, so the return as it was made is replayed too (as known at its
``known_at``, else at the moment it was recorded): a child is named under a cell when what the
cell counts of the child then and now differ. Each event of such a child recorded after that
moment is named a ``correction``, a ``retraction`` or a ``late entry`` (a decision dated in the
return's period, or before it: the quarter-end lines count what was in force at its end);
events dated after the period, and actions, cannot change the return and are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from journeys.application import JourneysApp
from journeys.domain.access_log import stamp
from journeys.domain.errors import ChildNotFound, ReturnsError
from journeys.domain.returns_log import ReturnRecord
from journeys.domain.timeline import CORRECT, RETRACT, Entry
from journeys.ssda903.export import EXPORT_KIND, export_cells, return_903
from journeys.ssda903.year_rows import Tables
from projections.metrics.asglb import asglb_children, parse_quarter, return_cells
from projections.reports import summaries

CORRECTION, RETRACTION, LATE_ENTRY = "correction", "retraction", "late entry"


def return_diff(app: JourneysApp, record: ReturnRecord) -> dict[str, Any]:
    """``record`` re-derived as known now: its cells that differ, each with its children and
    the events recorded since that explain them."""
    if record.kind == EXPORT_KIND:
        return _diff_903(app, record)
    derive = DERIVED.get(record.kind)
    if derive is None:
        raise ReturnsError(
            f"the return {record.id} ({record.kind}) cannot be re-derived: it is what came in, "
            "not what the engine made",
            "diff a return the engine made (asglb, export-903), see `journeys returns list`",
        )
    then = as_made(record)
    first, last, returned_by_child, now_by_child = derive(app, record, then)
    returned = record.cells
    as_replayed = {cell: sum(c.values()) for cell, c in returned_by_child.items()}
    cells = []
    for cell, now_children in now_by_child.items():
        now = sum(now_children.values())
        if returned.get(cell) == now:
            continue
        before = returned_by_child.get(cell, Counter())
        changed = sorted(child for child in set(before) | set(now_children) if before[child] != now_children[child])
        cells.append(
            {
                "cell": cell,
                "returned": returned.get(cell),
                "now": now,
                "children": [
                    {
                        "child": child,
                        "returned": before[child],
                        "now": now_children[child],
                        "events": events_since(app, record.la, child, then, last),
                    }
                    for child in changed
                ],
            }
        )
    # whether replaying the store as known then gives what the log says was returned
    reproduced = all(as_replayed.get(cell) == value for cell, value in returned.items())
    return _found(record, first, last, then, reproduced, cells)


def _found(
    record: ReturnRecord, first: date, last: date, then: datetime, reproduced: bool, cells: list[dict[str, Any]]
) -> dict[str, Any]:
    """What a diff gives: the return, its period, the moment it was replayed as known at, whether
    that replay gives what was returned, and the cells that differ now."""
    return {
        "return": record.id,
        "kind": record.kind,
        "la": record.la,
        "period": record.period,
        "from": first,
        "to": last,
        "made_at": record.at,
        "as_known_at": stamp(then),
        "reproduced": reproduced,
        "cells": cells,
    }


def as_made(record: ReturnRecord) -> datetime:
    """The recording time the return was made as known at: its ``known_at``, else when it was recorded."""
    return datetime.fromisoformat(record.known_at or record.at)


def events_since(app: JourneysApp, la: str, child: str, then: datetime, last: date) -> list[dict[str, Any]]:
    """The events of ``child`` recorded after ``then`` that can change a return of a period
    ending ``last``, each with what it is (:data:`CORRECTION`, :data:`RETRACTION`, :data:`LATE_ENTRY`)."""
    try:
        entries = app.entries(la, child)
    except ChildNotFound:
        return []
    found = []
    for e in entries:
        change = _change(e, last)
        if e.recorded_at > then and change is not None:
            found.append(
                {
                    "seq": e.seq,
                    "change": change,
                    "kind": e.kind,
                    "on": e.on,
                    "target": e.target,
                    "reason": e.reason,
                    "recorded_at": stamp(e.recorded_at),
                    "recorded_by": e.recorded_by,
                }
            )
    return found


def _change(entry: Entry, last: date) -> str | None:
    if entry.kind == CORRECT:
        return CORRECTION
    if entry.kind == RETRACT:
        return RETRACTION
    if entry.is_decision and entry.on is not None and entry.on <= last:
        return LATE_ENTRY
    return None


ByChild = dict[str, Counter[str]]


def _asglb(app: JourneysApp, record: ReturnRecord, then: datetime) -> tuple[date, date, ByChild, ByChild]:
    first, last = parse_quarter(record.period)
    returned, _ = asglb_children(summaries(app, known_at=then, las=[record.la]), first, last)
    now, _ = asglb_children(summaries(app, las=[record.la]), first, last)
    order = return_cells()
    return first, last, returned, {cell: now[cell] for cell in order}


# How each kind of return the engine makes is re-derived: (first day, last day, what each cell
# counted of each child as known then, and as known now).
DERIVED: dict[str, Callable[[JourneysApp, ReturnRecord, datetime], tuple[date, date, ByChild, ByChild]]] = {
    "asglb": _asglb,
}


def _diff_903(app: JourneysApp, record: ReturnRecord) -> dict[str, Any]:
    """An SSDA903 return made (``export-903``) re-derived as known now: each column of each table
    whose values differ for some child (``ad1.DATE_MATCH``), its filled rows then and now, and
    each child's values then and now with the events recorded since."""
    year = int(record.period)
    first, last = date(year - 1, 4, 1), date(year, 3, 31)
    then = as_made(record)
    returned = return_903(app, year=year, la=record.la, known_at=then)
    now = return_903(app, year=year, la=record.la)
    before, after = _by_child(returned), _by_child(now)
    cells_now = export_cells(now)
    cells = []
    for cell in sorted(set(before) | set(after)):
        was, now_values = before.get(cell, {}), after.get(cell, {})
        changed = sorted(child for child in set(was) | set(now_values) if was.get(child) != now_values.get(child))
        if not changed:
            continue
        cells.append(
            {
                "cell": cell,
                "returned": record.cells.get(cell),
                "now": cells_now.get(cell),
                "children": [
                    {
                        "child": child,
                        "returned": ", ".join(was.get(child, ())) or "-",
                        "now": ", ".join(now_values.get(child, ())) or "-",
                        "events": events_since(app, record.la, child, then, last),
                    }
                    for child in changed
                ],
            }
        )
    return _found(record, first, last, then, export_cells(returned) == dict(record.cells), cells)


def _by_child(tables: Tables) -> dict[str, dict[str, tuple[str, ...]]]:
    """``table.COLUMN`` -> child -> the child's values of the column, row by row."""
    found: dict[str, dict[str, list[str]]] = {}
    for table, rows in tables.items():
        for row in rows:
            for column, value in row.items():
                if column != "CHILD":
                    found.setdefault(f"{table}.{column}", {}).setdefault(row["CHILD"], []).append(value)
    return {cell: {child: tuple(v) for child, v in by.items()} for cell, by in found.items()}
