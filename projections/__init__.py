"""The read side of journeys: the reports over the read model, and its upkeep.

This is the face callers (the CLI) use. Behind it, :mod:`projections.metrics` holds the pure
report functions over summary rows and :mod:`projections.views` the view store (the read
model's tables, caught up from the event store); :mod:`projections.reports` joins them;
:mod:`projections.bundles` writes every report as known at a time into a bundle, and checks one.
Each name is imported when it is first used (:mod:`journeys.faces`).
"""

from typing import TYPE_CHECKING

from journeys.faces import lazy_face

if TYPE_CHECKING:
    from projections.bundle_check import BundleCheck, check_bundle
    from projections.bundles import BundleError, BundleOptions, write_bundle
    from projections.caseload_names import CASELOAD_SORT_NAMES, CASELOAD_STATUSES
    from projections.caseload_report import InvalidCaseloadFilter, caseload
    from projections.cost_report import cost
    from projections.figure_ids import MalformedFigureId
    from projections.la_reports import deadlines_for, plan_change_report, surgery, tracking_cohort_report
    from projections.metrics.caseload import CASELOAD_SORTS, CaseloadRow
    from projections.metrics.figures import AGGREGATES
    from projections.metrics.permanence import PERMANENCE_ROUTES, PermanenceReport
    from projections.metrics.plan_changes import STAGE_AT_CHANGE, PlanChange, PlanChangeReport
    from projections.metrics.published import (
        published_cohort,
        published_counts,
        published_scorecard,
        published_stages,
    )
    from projections.metrics.suppression import THRESHOLD as SUPPRESSION_THRESHOLD
    from projections.metrics.surgery import Action, Agenda, AgendaRow, ChildDeadlines
    from projections.metrics.tracking_cohort import TrackedChild, TrackingReport
    from projections.metrics.unit_costs import CostsError
    from projections.one_child import ChildDetails, child_details
    from projections.one_figure import OneFigure, UnknownFigure, explain_figure
    from projections.permanence_report import permanence_report
    from projections.read_model import (
        projection_after_erasure,
        projection_catch_up,
        projection_rebuild,
        projection_status,
    )
    from projections.reports import cohort, counts, scorecard, stages, summaries, waiting
    from projections.returns import asglb_return, quarter_period, record_asglb
    from projections.returns_diff import return_diff
    from projections.views.catchup import CatchUp, Status, ViewsAhead
else:
    __getattr__, __dir__ = lazy_face(
        __name__,
        {
            "projections.bundle_check": ("BundleCheck", "check_bundle"),
            "projections.bundles": ("BundleError", "BundleOptions", "write_bundle"),
            "projections.caseload_report": ("InvalidCaseloadFilter", "caseload"),
            "projections.one_child": ("ChildDetails", "child_details"),
            "projections.cost_report": ("cost",),
            "projections.caseload_names": ("CASELOAD_SORT_NAMES", "CASELOAD_STATUSES"),
            "projections.metrics.caseload": ("CASELOAD_SORTS", "CaseloadRow"),
            "projections.figure_ids": ("MalformedFigureId",),
            "projections.metrics.figures": ("AGGREGATES",),
            "projections.metrics.unit_costs": ("CostsError",),
            "projections.metrics.published": (
                "published_cohort",
                "published_counts",
                "published_scorecard",
                "published_stages",
            ),
            "projections.metrics.suppression": ("THRESHOLD as SUPPRESSION_THRESHOLD",),
            "projections.metrics.plan_changes": ("STAGE_AT_CHANGE", "PlanChange", "PlanChangeReport"),
            "projections.metrics.surgery": ("Action", "Agenda", "AgendaRow", "ChildDeadlines"),
            "projections.metrics.tracking_cohort": ("TrackedChild", "TrackingReport"),
            "projections.one_figure": ("OneFigure", "UnknownFigure", "explain_figure"),
            "projections.metrics.permanence": ("PERMANENCE_ROUTES", "PermanenceReport"),
            "projections.permanence_report": ("permanence_report",),
            "projections.la_reports": ("deadlines_for", "plan_change_report", "surgery", "tracking_cohort_report"),
            "projections.read_model": (
                "projection_after_erasure",
                "projection_after_erasure",
                "projection_catch_up",
                "projection_rebuild",
                "projection_status",
            ),
            "projections.reports": ("cohort", "counts", "scorecard", "stages", "summaries", "waiting"),
            "projections.returns": ("asglb_return", "quarter_period", "record_asglb"),
            "projections.returns_diff": ("return_diff",),
            "projections.views.catchup": ("CatchUp", "Status", "ViewsAhead"),
        },
    )

__all__ = [
    "AGGREGATES",
    "CASELOAD_SORTS",
    "CASELOAD_SORT_NAMES",
    "CASELOAD_STATUSES",
    "PERMANENCE_ROUTES",
    "STAGE_AT_CHANGE",
    "SUPPRESSION_THRESHOLD",
    "Action",
    "Agenda",
    "AgendaRow",
    "BundleCheck",
    "BundleError",
    "BundleOptions",
    "CaseloadRow",
    "CatchUp",
    "ChildDeadlines",
    "ChildDetails",
    "CostsError",
    "InvalidCaseloadFilter",
    "MalformedFigureId",
    "OneFigure",
    "PermanenceReport",
    "PlanChange",
    "PlanChangeReport",
    "Status",
    "TrackedChild",
    "TrackingReport",
    "UnknownFigure",
    "ViewsAhead",
    "asglb_return",
    "caseload",
    "check_bundle",
    "child_details",
    "cohort",
    "cost",
    "counts",
    "deadlines_for",
    "explain_figure",
    "permanence_report",
    "plan_change_report",
    "projection_after_erasure",
    "projection_catch_up",
    "projection_rebuild",
    "projection_status",
    "published_cohort",
    "published_counts",
    "published_scorecard",
    "published_stages",
    "quarter_period",
    "record_asglb",
    "return_diff",
    "scorecard",
    "stages",
    "summaries",
    "surgery",
    "tracking_cohort_report",
    "waiting",
    "write_bundle",
]
