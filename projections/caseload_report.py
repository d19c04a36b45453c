"""The caseload read: one query of the read model's ``caseload`` table (caught up first) for
the local authority's children, each child's line worked out from its row on the date asked
for (:mod:`projections.metrics.caseload_facts`).

A child's stream is replayed instead (:func:`projections.metrics.caseload.caseload_row`) only
when its row cannot answer: ``known_at`` given (what was recorded by then), a date before the
child's latest decision, or milestone rules other than those the row was derived with. So
today's caseload of an LA is one query, and every answer is the replay's.
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
from projections.metrics.caseload_facts import row_on, rules_by_id, rules_digest
from projections.metrics.scope import refuse_unknown
from projections.views.catchup import catch_up
from projections.views.store import open_views


class InvalidCaseloadFilter(JourneyError):
    """A caseload filter names a stage, status or sort order there is not."""


def _check(name: str, value: str | None, allowed: Collection[str]) -> None:
    if value is not None and value not in allowed:
        choices = ", ".join(allowed)
        raise InvalidCaseloadFilter(f"{value!r} is not a caseload {name}", f"use one of: {choices}")


def caseload(
    app: JourneysApp,
    *,
    la: str | None = None,
    las: Collection[str] = (),
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
    Without ``la``, ``las`` (when given) names the local authorities to list.

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
        every = views.caseload_facts([la] if la else list(las))
        if la is not None and not every:
            refuse_unknown([la], views.all_las(), "no journey")
    finally:
        views.close()
    rows: list[CaseloadRow] = []
    digest, by_id = rules_digest(rules), rules_by_id(rules)
    replaying: list[UUID] = []
    for facts in every:
        if known_at is None and facts.holds_for(as_at, digest):
            rows.extend(_kept(row_on(facts, as_at, by_id), stage, status, find))
        else:
            replaying.append(UUID(facts.stream_id))
    for entries in app.streams_entries(replaying).values():
        code, child = str(entries[0].fields["la"]), str(entries[0].fields["child"])
        row = caseload_row(code, child, entries, as_at=as_at, known_at=known_at, rules=rules)
        rows.extend(_kept(row, stage, status, find))
    return sort_rows(rows, sort)


def _kept(row: CaseloadRow | None, stage: str | None, status: str | None, find: str | None) -> list[CaseloadRow]:
    return [row] if row is not None and matches(row, stage=stage, status=status, find=find) else []
