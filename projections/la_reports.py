"""The reports of one local authority's children, or of every child one by one: plan changes
and the tracking cohort from their read-model tables (caught up first; replayed from the events
with ``known_at``), and the surgery agenda and one child's deadlines from the streams."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import TypeVar
from uuid import UUID

from journeys.application import JourneysApp
from journeys.domain.milestones import DEFAULT_RULES, RuleSet, load_rules
from journeys.progress import Progress
from projections.explanation import explanation
from projections.figure_ids import FigureRef
from projections.metrics.plan_changes import PlanChangeReport, check_window, plan_changes, report_of
from projections.metrics.scope import refuse_unknown
from projections.metrics.summary import child_ids
from projections.metrics.surgery import Agenda, ChildDeadlines, agenda, child_deadlines
from projections.metrics.tracking_cohort import TrackingReport, check_cohort_dates, cohort_of, tracking_cohort
from projections.read_model import note_unreadable
from projections.views.catchup import catch_up as _catch_up
from projections.views.store import JourneysViews, open_views

T = TypeVar("T")


def _caught_up(app: JourneysApp, la: str | None, progress: Progress | None, read: Callable[[JourneysViews], T]) -> T:
    """What ``read`` reads from the read model once caught up, refusing an unknown ``la`` first."""
    views = open_views(app.store)
    try:
        _catch_up(app, views, progress=progress)
        note_unreadable(app, views)
        if la is not None and not views.las_present([la]):
            refuse_unknown([la], views.all_las(), "no journey")
        return read(views)
    finally:
        views.close()


def plan_change_report(
    app: JourneysApp,
    *,
    start: date | None = None,
    end: date | None = None,
    la: str | None = None,
    known_at: datetime | None = None,
    everything: bool = False,
    progress: Progress | None = None,
    explain: bool = False,
) -> PlanChangeReport:
    """The plan-changes report (:func:`projections.metrics.plan_changes.plan_changes`): from the
    ``plan_change`` table, caught up first; with ``known_at``, replayed from the events
    recorded by then."""
    check_window(start, end)
    if known_at is not None:
        report = plan_changes(app.streams(), start=start, end=end, la=la, known_at=known_at, everything=everything)
    else:
        found = _caught_up(app, la, progress, lambda views: views.plan_changes([la] if la else []))
        report = report_of(found, start=start, end=end, la=la, known_at=None, everything=everything)
    if explain:
        options = {"from": start, "to": end, "all": everything, "known": known_at}
        report.explain = explanation(app, report.figures(), FigureRef.of("plan-changes", la, options), known_at)
    return report


def tracking_cohort_report(
    app: JourneysApp,
    *,
    start: date,
    end: date,
    census: date,
    la: str | None = None,
    known_at: datetime | None = None,
    progress: Progress | None = None,
    explain: bool = False,
) -> TrackingReport:
    """The tracking cohort (:func:`projections.metrics.tracking_cohort.tracking_cohort`): the children with a
    family-finding in the window, found in the ``family_finding`` table (caught up first), are
    replayed; with ``known_at``, every child is replayed from the events recorded by then."""
    check_cohort_dates(start, end, census)
    if known_at is not None:
        report = tracking_cohort(app.streams(), start=start, end=end, census=census, la=la, known_at=known_at)
    else:
        candidates = _caught_up(
            app, la, progress, lambda views: views.family_finding_streams(start, end, [la] if la else [])
        )
        found = app.streams_entries(UUID(stream) for stream in candidates)
        streams = [(*child_ids(entries), entries) for entries in found.values()]
        report = cohort_of(streams, start=start, end=end, census=census, la=la, known_at=None)
    if explain:
        options = {"from": start, "to": end, "census": census, "known": known_at}
        report.explain = explanation(app, report.figures(), FigureRef.of("tracking-cohort", la, options), known_at)
    return report


def deadlines_for(
    app: JourneysApp,
    la: str,
    child: str,
    *,
    as_at: date,
    known_at: datetime | None = None,
    rules: RuleSet | None = None,
) -> ChildDeadlines:
    """One child's milestones and open actions on ``as_at`` (as known at ``known_at``), from its stream."""
    return child_deadlines(app.entries(la, child), la, child, as_at=as_at, known_at=known_at, rules=rules)


def surgery(
    app: JourneysApp,
    *,
    as_at: date,
    known_at: datetime | None = None,
    rules: RuleSet | None = None,
    la: str | None = None,
    owner: str | None = None,
    explain: bool = False,
) -> Agenda:
    """The surgery agenda (:func:`projections.metrics.surgery.agenda`) over every child in the store."""
    rules = rules or load_rules()
    found = agenda(app.streams(), as_at=as_at, known_at=known_at, rules=rules, la=la, owner=owner)
    if not explain:
        return found
    rules_file = None if rules.path == str(DEFAULT_RULES) else rules.path
    options = {"as-at": as_at, "known": known_at, "owner": owner, "rules": rules_file}
    ref = FigureRef.of("surgery", la, options)
    return replace(found, explain=explanation(app, found.figures(), ref, known_at))
