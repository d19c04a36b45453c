"""The caseload read: which children a local authority has, from the read model, and each
child's line (:mod:`projections.metrics.caseload`) from its stream.

The read model (caught up first) says which streams belong to the local authority: the
``child_summary`` rows (a child with a period of care) and the ``family_finding`` rows (a
child tracked for early family-finding before entering care). Only those streams are read,
in a few queries, so one local authority's caseload never walks the whole store.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from uuid import UUID

from journeys.application import JourneysApp
from journeys.domain.errors import JourneyError
from journeys.domain.milestones import RuleSet, load_rules
from journeys.domain.vocabulary import CHILD_STAGES
from journeys.progress import Progress
from projections.metrics.caseload import CASELOAD_SORTS, STATUS_FILTERS, CaseloadRow, caseload_row, matches, sort_rows
from projections.metrics.scope import refuse_unknown
from projections.views.catchup import catch_up
from projections.views.store import JourneysViews, open_views


class InvalidCaseloadFilter(JourneyError):
    """A caseload filter names a stage, status or sort order there is not."""


def _check(name: str, value: str | None, allowed: Collection[str]) -> None:
    if value is not None and value not in allowed:
        choices = ", ".join(allowed)
        raise InvalidCaseloadFilter(f"{value!r} is not a caseload {name}", f"use one of: {choices}")


def _streams_of(views: JourneysViews, la: str | None) -> list[UUID]:
    las = [la] if la else []
    summary = views.every_row(("la", "child", "period", "stream_id"), las)
    finding = views.family_finding_streams(date.min, date.max, las)
    return [UUID(s) for s in dict.fromkeys([*(r.stream_id for r in summary), *finding]) if s]


def caseload(
    app: JourneysApp,
    *,
    la: str | None = None,
    stage: str | None = None,
    status: str | None = None,
    find: str | None = None,
    as_at: date,
    known_at: datetime | None = None,
    rules: RuleSet | None = None,
    sort: str = "status",
    progress: Progress | None = None,
) -> list[CaseloadRow]:
    """Every child of ``la`` (of every local authority when None) on ``as_at``, as known at
    ``known_at``: stage, milestone status, next milestone and due date, open actions.

    Filters: ``stage`` (one of ``CHILD_STAGES``), ``status`` (overdue, due-soon, on-track
    (with open), open, closed), ``find`` (text in the child reference, sibling group or an
    action owner's name). ``sort`` is a key of ``CASELOAD_SORTS`` (default: most urgent first).
    An unknown ``la`` (no journey in the store) or filter value is refused.
    """
    _check("stage", stage, CHILD_STAGES)
    _check("status", status, STATUS_FILTERS)
    _check("sort order", sort, CASELOAD_SORTS)
    rules = rules or load_rules()
    views = open_views(app.store)
    try:
        catch_up(app, views, progress=progress)
        streams = _streams_of(views, la)
        if la is not None and not streams:
            refuse_unknown([la], views.all_las(), "no journey")
    finally:
        views.close()
    rows = []
    for entries in app.streams_entries(streams).values():
        code, child = str(entries[0].fields["la"]), str(entries[0].fields["child"])
        row = caseload_row(code, child, entries, as_at=as_at, known_at=known_at, rules=rules)
        if row is not None and matches(row, stage=stage, status=status, find=find):
            rows.append(row)
    return sort_rows(rows, sort)
