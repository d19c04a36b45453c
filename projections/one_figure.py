"""One figure of a report, asked for by its id (`journeys explain FIGURE-ID`): the report is run
again with the options the id names, explained, and the one figure taken from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeys.application import JourneysApp
from journeys.domain.errors import JourneyError
from journeys.domain.milestones import load_rules
from projections import cost_report, la_reports, reports
from projections.figure_ids import ALL, FigureId, parse


class UnknownFigure(JourneyError):
    """A well-formed figure id that names no figure of its report (as the store stands now)."""

    remedy = "run the report with --explain to list its figures and their ids"


@dataclass(frozen=True)
class OneFigure:
    """A figure with its children (the JSON of :func:`projections.explanation.explanation`),
    and the run it is of."""

    id: FigureId
    figure: dict[str, Any]

    @property
    def report(self) -> str:
        return self.id.ref.report

    @property
    def la(self) -> str:
        return self.id.ref.la


def explain_figure(app: JourneysApp, text: str) -> OneFigure:
    """The figure ``text`` names (:mod:`projections.figure_ids`), with its children."""
    found = parse(text)
    explained = _explained(app, found)
    figure = explained.get(found.key)
    if figure is None:
        keys = list(explained)
        shown = ", ".join(keys[:6]) + (", ..." if len(keys) > 6 else "") if keys else "none"
        raise UnknownFigure(f"the {found.ref.report} of {found.ref.la} has no figure {found.key!r} (it has {shown})")
    return OneFigure(found, figure)


def _explained(app: JourneysApp, found: FigureId) -> dict[str, Any]:
    """Every figure of the run ``found`` names, by key."""
    ref, named, known_at = found.ref, found.ref.named, found.known_at
    la = None if ref.la == ALL else ref.la
    las = [la] if la else []
    by_la: dict[str, dict[str, Any]]
    if ref.report == "scorecard":
        start, end = found.date("from"), found.date("to")
        by_la = reports.scorecard(
            app, start=start, end=end, a3_months=int(named["a3"]), known_at=known_at, las=las, explain=True
        )
    elif ref.report == "cohort":
        census = found.date("census")
        assert census is not None
        by_la = reports.cohort(
            app, census=census, start=found.date("from"), end=found.date("to"), known_at=known_at, las=las, explain=True
        )
    elif ref.report == "waiting":
        as_at = found.date("as-at")
        assert as_at is not None
        by_la = reports.waiting(app, as_at=as_at, known_at=known_at, las=las, explain=True)
    elif ref.report == "counts":
        by_la = reports.counts(app, by=named["by"], known_at=known_at, las=las, explain=True)
    elif ref.report == "stages":
        by_la = reports.stages(
            app, start=found.date("from"), end=found.date("to"), known_at=known_at, las=las, explain=True
        )
    elif ref.report == "cost":
        by_la = _cost(app, found, las)
    else:
        return _explained_object(app, found, la)
    explain: dict[str, Any] = by_la[la or ALL]["explain"]
    return explain


def _cost(app: JourneysApp, found: FigureId, las: list[str]) -> dict[str, dict[str, Any]]:
    named = found.ref.named
    census = found.date("census")
    assert census is not None
    files = {key: Path(named[key]) if key in named else None for key in ("costs", "index")}
    return cost_report.cost(
        app,
        baseline=named["baseline"],
        compare=named["compare"],
        census=census,
        rate=named["rate"],
        costs_file=files["costs"],
        index_file=files["index"],
        price_year=named.get("price-year"),
        known_at=found.known_at,
        las=las,
        explain=True,
    )


def _explained_object(app: JourneysApp, found: FigureId, la: str | None) -> dict[str, Any]:
    """The figures of the reports that return an object (plan changes, tracking cohort, surgery)."""
    ref, named, known_at = found.ref, found.ref.named, found.known_at
    if ref.report == "plan-changes":
        report = la_reports.plan_change_report(
            app,
            start=found.date("from"),
            end=found.date("to"),
            la=la,
            known_at=known_at,
            everything="all" in named,
            explain=True,
        )
        return report.explain or {}
    if ref.report == "tracking-cohort":
        start, end, census = found.date("from"), found.date("to"), found.date("census")
        assert start is not None and end is not None and census is not None
        tracked = la_reports.tracking_cohort_report(
            app, start=start, end=end, census=census, la=la, known_at=known_at, explain=True
        )
        return tracked.explain or {}
    assert ref.report == "surgery", ref.report
    as_at = found.date("as-at")
    assert as_at is not None
    rules = load_rules(named["rules"]) if "rules" in named else None
    agenda = la_reports.surgery(
        app, as_at=as_at, known_at=known_at, rules=rules, la=la, owner=named.get("owner"), explain=True
    )
    return agenda.explain or {}
