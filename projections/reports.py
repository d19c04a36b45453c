"""The reports the CLI prints: each catches the read model up (or replays as known at a past
time), then applies one pure metric function per local authority.

Each function returns ``{la: report}`` in the order the local authorities were asked for
(``{"all": report}`` when none was named); the report dicts carry the documented JSON keys.
The plan-change and tracking-cohort reports return their report objects; the surgery's
agenda and one child's deadlines are read from the journey streams themselves. The read
model is reached only through the view store's named queries (no SQL here).

With ``explain=True`` each report also carries, under ``"explain"`` (in each local
authority's report, or on the report object), every figure with its id and the children it
counts, each with the events that gave its dates (:mod:`projections.explanation`). The
figures are those the report is computed from: the metric functions' ``*_explained`` forms
return the report and its figures together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from journeys.application import JourneysApp
from journeys.progress import Progress
from projections.explanation import Explained, Explaining, explaining_if
from projections.metrics import activity, cohort_outcomes, cohorts
from projections.metrics import scorecard as card
from projections.metrics.periods import PeriodError, window
from projections.metrics.scope import refuse_unknown
from projections.metrics.summary import PeriodSummary
from projections.metrics.thresholds import Thresholds, for_window
from projections.read_model import note_unreadable
from projections.views import adoption_months as months
from projections.views.catchup import catch_up as _catch_up
from projections.views.catchup import current_summaries
from projections.views.store import JourneysViews, open_views

ALL = "all"
Report = Callable[[list[PeriodSummary]], dict[str, Any]]
Current = Callable[[JourneysViews, Sequence[str]], dict[str, dict[str, Any]]]
# Which summary rows a report reads (only some columns of them), of the local authorities named.
Selection = Callable[[JourneysViews, Sequence[str]], list[PeriodSummary]]

# The summary columns each report reads from the table (the others are left unread).
SCORECARD_COLUMNS = months.SOURCE_COLUMNS
COHORT_COLUMNS = (
    "la",
    "child",
    "period",
    "placement_order",
    "po_match",
    "ended",
    "end_kind",
    "disruption_dates",
    "plan_events",
    "harder_to_place",
)
WAITING_COLUMNS = (
    "la",
    "child",
    "period",
    "entered_care",
    "ended",
    "placement_order",
    "consent",
    "disruption_dates",
    "plan_events",
    "timeline",
)
COUNTS_COLUMNS = ("la", "child", "period", "timeline")
STAGES_COLUMNS = (
    "la",
    "child",
    "period",
    "entered_care",
    "adoption_decision",
    "placement_order",
    "consent",
    "po_match",
    "matched",
    "placed",
    "adoption_order",
)


def summaries(
    app: JourneysApp, *, known_at: datetime | None = None, las: Sequence[str] = (), progress: Progress | None = None
) -> list[PeriodSummary]:
    """The summary rows, caught up (or as known at ``known_at``)."""
    views = open_views(app.store)
    try:
        found = current_summaries(app, views, known_at=known_at, las=las, progress=progress)
        if known_at is None:
            note_unreadable(app, views)
        return found
    finally:
        views.close()


def _plain(explained: Explained) -> Report:
    return lambda rows: explained(rows)[0]


def _run(
    app: JourneysApp, report: Report, explaining: Explaining | None, la: str | None, rows: list[PeriodSummary]
) -> dict[str, Any]:
    """``report`` of ``rows`` (the rows of ``la``; None: of every LA), with its figures explained
    under ``"explain"`` when ``explaining``."""
    return report(rows) if explaining is None else explaining.run(app, la, rows)


def _per_la(
    app: JourneysApp,
    report: Report,
    known_at: datetime | None,
    las: Sequence[str],
    progress: Progress | None,
    explaining: Explaining | None = None,
) -> dict[str, dict[str, Any]]:
    rows = summaries(app, known_at=known_at, las=las, progress=progress)
    if not las:
        return {ALL: _run(app, report, explaining, None, rows)}
    missing = set(las) - {r.la for r in rows}
    if missing:
        # the caught-up read model says which local authorities the store holds, whatever --known-at says
        refuse_unknown(missing, {r.la for r in summaries(app)}, "no child in care")
    return {la: _run(app, report, explaining, la, [r for r in rows if r.la == la]) for la in las}


def _from_views(app: JourneysApp, las: Sequence[str], progress: Progress | None, current: Current) -> dict[str, Any]:
    """Catch the read model up, refuse an unknown local authority, then run ``current``."""
    views = open_views(app.store)
    try:
        _catch_up(app, views, progress=progress)
        note_unreadable(app, views)
        missing = set(las) - views.las_present(las)
        if missing:
            refuse_unknown(missing, views.all_las(), "no child in care")
        return current(views, las)
    finally:
        views.close()


def _grouped(
    app: JourneysApp,
    rows: list[PeriodSummary],
    las: Sequence[str],
    report: Report,
    explaining: Explaining | None = None,
) -> dict[str, dict[str, Any]]:
    if not las:
        return {ALL: _run(app, report, explaining, None, rows)}
    return {la: _run(app, report, explaining, la, [r for r in rows if r.la == la]) for la in las}


def _scorecard_of(
    views: JourneysViews, las: Sequence[str] | None, first: date, last: date, limits: Thresholds, a3_months: int
) -> dict[str, Any]:
    """One scorecard from the read model, of the local authorities ``las`` together (None:
    every one): whole months from ``adoption_months``, the days of a part month from the
    summary rows adopted on them. (A role that sees only some authorities cannot read the
    rows that add up every one: its scorecard of all adds up those it sees.)"""
    whole = months.whole_months(first, last)
    total = card.Totals()
    if whole is not None:
        for la in [months.ALL] if las is None else las:
            total = total + views.adoption_totals(la, *whole, a3_months)
    for start, end in [(first, last)] if whole is None else months.edges(first, last, whole):
        rows = views.adopted_between(start, end, SCORECARD_COLUMNS, las or [])
        total = total + card.totals_of(card.child_delays(rows, start, end, a3_months))
    bounded = [b for b in views.bounded_starts(first, last, las or []) if b.placed is not None]
    return card.with_start_not_known(card.from_totals(total, first, last, limits, a3_months), len(bounded))


def scorecard(
    app: JourneysApp,
    *,
    period: str | None = None,
    start: date | None = None,
    end: date | None = None,
    a3_months: int | None = None,
    thresholds_file: Path | None = None,
    known_at: datetime | None = None,
    las: Sequence[str] = (),
    progress: Progress | None = None,
    explain: bool = False,
) -> dict[str, dict[str, Any]]:
    """The scorecard per local authority. Explained, it is computed from the summary rows of
    the children adopted in the window (not the monthly sums), as the figures list them."""
    first, last = window(period, start, end)
    limits = for_window(first, last, thresholds_file)
    n = a3_months if a3_months is not None else limits.a3_months
    if explain:
        explaining = Explaining(
            lambda rows: card.explained(rows, first, last, limits, n),
            "scorecard",
            {"from": first, "to": last, "a3": n},
            known_at,
        )
        adopted: Selection = lambda views, las: views.adopted_between(first, last, SCORECARD_COLUMNS, las)  # noqa: E731
        return _report_on_selected_rows(app, _plain(explaining.report), adopted, known_at, las, progress, explaining)
    if known_at is not None:
        return _per_la(app, lambda rows: card.scorecard(rows, first, last, limits, a3_months), known_at, las, progress)

    def current(views: JourneysViews, las: Sequence[str]) -> dict[str, dict[str, Any]]:
        if not las:
            return {ALL: _scorecard_of(views, app.visible_las(), first, last, limits, n)}
        return {la: _scorecard_of(views, [la], first, last, limits, n) for la in las}

    return _from_views(app, las, progress, current)


def _report_on_selected_rows(
    app: JourneysApp,
    report: Report,
    selection: Selection,
    known_at: datetime | None,
    las: Sequence[str],
    progress: Progress | None,
    explaining: Explaining | None = None,
) -> dict[str, dict[str, Any]]:
    """``report`` on the summary rows ``selection`` reads from the caught-up read model (only
    the columns the report needs); as known at ``known_at``, on every replayed row."""
    if known_at is not None:
        return _per_la(app, report, known_at, las, progress, explaining)

    def current(views: JourneysViews, las: Sequence[str]) -> dict[str, dict[str, Any]]:
        return _grouped(app, selection(views, las), las, report, explaining)

    return _from_views(app, las, progress, current)


# For the reports of their own modules (projections/cost_report.py).
report_on_selected_rows = _report_on_selected_rows


def cohort(
    app: JourneysApp,
    *,
    census: date,
    start: date | None = None,
    end: date | None = None,
    known_at: datetime | None = None,
    las: Sequence[str] = (),
    progress: Progress | None = None,
    explain: bool = False,
    outcomes: bool = False,
    curve: bool = False,
) -> dict[str, dict[str, Any]]:
    """The placement-order cohorts per local authority; with ``outcomes``, each cohort's row also
    holds how its waits ended (:mod:`projections.metrics.cohort_outcomes`); with ``curve``, its
    Kaplan–Meier curve (:func:`projections.metrics.cohorts.km_curve`)."""
    options = {"census": census, "from": start, "to": end}
    extras: list[cohorts.Extra] = []
    if outcomes:
        extras.append(lambda children: {"outcomes": cohort_outcomes.outcomes(children)})
    if curve:
        extras.append(cohorts.km_curve)
    extra: cohorts.Extra | None = (lambda ch: {k: v for f in extras for k, v in f(ch).items()}) if extras else None
    if start is not None or end is not None:
        if start is None or end is None:
            raise PeriodError(
                "no reporting window: give both --from and --to", "or neither, for cohorts by financial year"
            )
        if end < start:
            raise PeriodError(f"the window ends ({end}) before it starts ({start})", "give --from on or before --to")
        first, last = start, end
        windowed: Explained = lambda rows: cohorts.in_window_explained(rows, census, first, last, extra)  # noqa: E731
        return _report_on_selected_rows(
            app,
            _plain(windowed),
            lambda views, las: views.placement_orders_by(census, (first, last), COHORT_COLUMNS, las),
            known_at,
            las,
            progress,
            explaining_if(explain, windowed, "cohort", options, known_at),
        )
    by_year: Explained = lambda rows: cohorts.by_po_year_explained(rows, census, extra)  # noqa: E731
    by_census: Selection = lambda views, las: views.placement_orders_by(census, None, COHORT_COLUMNS, las)  # noqa: E731
    explaining = explaining_if(explain, by_year, "cohort", options, known_at)
    return _report_on_selected_rows(app, _plain(by_year), by_census, known_at, las, progress, explaining)


def waiting(
    app: JourneysApp,
    *,
    as_at: date,
    known_at: datetime | None = None,
    las: Sequence[str] = (),
    progress: Progress | None = None,
    explain: bool = False,
) -> dict[str, dict[str, Any]]:
    explained: Explained = lambda rows: activity.waiting_explained(rows, as_at)  # noqa: E731
    return _report_on_selected_rows(
        app,
        _plain(explained),
        lambda views, las: views.in_care_on(as_at, WAITING_COLUMNS, las),
        known_at,
        las,
        progress,
        explaining_if(explain, explained, "waiting", {"as-at": as_at}, known_at),
    )


def counts(
    app: JourneysApp,
    *,
    by: str = "quarter",
    known_at: datetime | None = None,
    las: Sequence[str] = (),
    progress: Progress | None = None,
    explain: bool = False,
) -> dict[str, dict[str, Any]]:
    explained: Explained = lambda rows: activity.counts_explained(rows, by)  # noqa: E731
    every: Selection = lambda views, las: views.every_row(COUNTS_COLUMNS, las)  # noqa: E731
    explaining = explaining_if(explain, explained, "counts", {"by": by}, known_at)
    return _report_on_selected_rows(app, _plain(explained), every, known_at, las, progress, explaining)


def stages(
    app: JourneysApp,
    *,
    period: str | None = None,
    start: date | None = None,
    end: date | None = None,
    known_at: datetime | None = None,
    las: Sequence[str] = (),
    progress: Progress | None = None,
    explain: bool = False,
) -> dict[str, dict[str, Any]]:
    first: date | None = None
    last: date | None = None
    if period is not None or start is not None or end is not None:
        first, last = window(period, start, end)
    explained: Explained = lambda rows: activity.stages_explained(rows, first, last)  # noqa: E731
    explaining = explaining_if(explain, explained, "stages", {"from": first, "to": last}, known_at)
    if first is None or last is None:
        every: Selection = lambda views, las: views.every_row(STAGES_COLUMNS, las)  # noqa: E731
        return _report_on_selected_rows(app, _plain(explained), every, known_at, las, progress, explaining)
    start_on, end_on = first, last
    adopted: Selection = lambda views, las: views.adopted_between(start_on, end_on, STAGES_COLUMNS, las)  # noqa: E731
    return _report_on_selected_rows(app, _plain(explained), adopted, known_at, las, progress, explaining)
