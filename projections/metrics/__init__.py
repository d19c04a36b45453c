"""The delay metrics as pure functions over rows: no view store, no app, no database.

Each module holds one family of figures, named in the language of the scorecard and the
evaluation: summary rows per period of care (:mod:`.summary`), the scorecard (:mod:`.scorecard`),
placement-order cohorts (:mod:`.cohorts`), waiting, counts and stages (:mod:`.activity`),
plan changes (:mod:`.plan_changes`), the tracking cohort (:mod:`.tracking_cohort`), the surgery
agenda (:mod:`.surgery`), the caseload (:mod:`.caseload`), Kaplan-Meier (:mod:`.km`), financial
periods (:mod:`.periods`), thresholds (:mod:`.thresholds`) and report scope (:mod:`.scope`).
"""

from projections.metrics import (
    activity,
    caseload,
    cohorts,
    km,
    periods,
    plan_changes,
    scope,
    scorecard,
    summary,
    surgery,
    thresholds,
    tracking_cohort,
)
from projections.metrics.plan_changes import STAGE_AT_CHANGE, PlanChange, PlanChangeReport
from projections.metrics.scorecard import Totals
from projections.metrics.summary import PeriodSummary, child_ids, summarise, summarise_state
from projections.metrics.surgery import Action, Agenda, AgendaRow, ChildDeadlines
from projections.metrics.thresholds import Thresholds
from projections.metrics.tracking_cohort import TrackedChild, TrackingReport

__all__ = [
    "STAGE_AT_CHANGE",
    "Action",
    "Agenda",
    "AgendaRow",
    "ChildDeadlines",
    "PeriodSummary",
    "PlanChange",
    "PlanChangeReport",
    "Thresholds",
    "Totals",
    "TrackedChild",
    "TrackingReport",
    "activity",
    "caseload",
    "child_ids",
    "cohorts",
    "km",
    "periods",
    "plan_changes",
    "scope",
    "scorecard",
    "summarise",
    "summarise_state",
    "summary",
    "surgery",
    "thresholds",
    "tracking_cohort",
]
