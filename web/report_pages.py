"""The data of the caseload, the agenda and the reports' pages: one library call each, as
the CLI makes them, explained so that every figure can link to the children it counts."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import projections
from journeys import CHILD_STAGES, RD_REASONS
from projections import CASELOAD_STATUSES
from web import charts
from web.query import Query

if TYPE_CHECKING:
    from journeys import JourneysApp
    from projections import AgendaRow

URGENCY = (
    ("overdue", "Overdue (the milestone or an action)"),
    ("due-soon", "Due soon"),
    ("on-track", "On track or open"),
)


def urgency(row: AgendaRow) -> str:
    """The agenda group of a row: overdue when its milestone or one of its actions is."""
    if row.urgent:
        return "overdue"
    return row.status if row.status == "due-soon" else "on-track"


def default_period(day: date) -> str:
    """The three whole financial years before ``day`` (the scorecard's usual window)."""
    last = day.year if day >= date(day.year, 4, 1) else day.year - 1
    return f"{last - 3}-{last % 100:02d}"


def agenda(app: JourneysApp, query: Query) -> list[AgendaRow]:
    rows = projections.surgery(app, as_at=query.day, known_at=query.known_at, la=query.la).rows
    return [r for r in rows if r.la in query.allowed] if query.allowed else rows


def caseload(app: JourneysApp, query: Query) -> dict[str, Any]:
    """The caseload (``projections.caseload``, as `journeys children`), its filters from the URL."""
    rows = projections.caseload(
        app,
        la=query.la,
        las=query.allowed,
        stage=query.stage,
        status=query.status,
        find=query.find or None,
        as_at=query.day,
        known_at=query.known_at,
        sort=query.sort,
    )
    if query.descending:
        rows.reverse()
    return {"rows": rows, "stages": CHILD_STAGES, "statuses": CASELOAD_STATUSES}


def agenda_sections(app: JourneysApp, query: Query) -> list[dict[str, Any]]:
    """One section per local authority, its children grouped by urgency, most urgent first."""
    by_la: dict[str, list[AgendaRow]] = {}
    for row in agenda(app, query):
        by_la.setdefault(row.la, []).append(row)
    return [
        {
            "la": la,
            "rows": rows,
            "groups": [(label, [r for r in rows if urgency(r) == key]) for key, label in URGENCY],
        }
        for la, rows in sorted(by_la.items())
    ]


def _las(query: Query) -> list[str]:
    return query.las()


def scorecard(app: JourneysApp, query: Query, period: str | None) -> dict[str, Any]:
    chosen = period or default_period(query.day)
    by_la = projections.scorecard(app, period=chosen, known_at=query.known_at, las=_las(query), explain=True)
    return {"period": chosen, "by_la": by_la}


def cohorts(app: JourneysApp, query: Query, figure: Any) -> dict[str, Any]:
    by_la = projections.cohort(
        app, census=query.day, known_at=query.known_at, las=_las(query), explain=True, curve=True
    )
    pictures = {
        la: charts.km_curves(
            [(row["year"], row["km_curve"]) for row in report["rows"]],
            f"Waiting for a match after the placement order, by cohort year ({la}), census {query.day}",
        )
        for la, report in by_la.items()
    }
    return {"by_la": by_la, "pictures": pictures}


def stages(app: JourneysApp, query: Query, period: str | None, figure: Any) -> dict[str, Any]:
    chosen = period or default_period(query.day)
    by_la = projections.stages(app, period=chosen, known_at=query.known_at, las=_las(query), explain=True)
    pictures = {}
    for la, report in by_la.items():
        explain = report.get("explain", {})
        items = [
            (
                s["label"],
                s["mean_days"],
                figure(explain[f"{s['stage']}.mean_days"]["id"]) if f"{s['stage']}.mean_days" in explain else None,
            )
            for s in report["stages"]
        ]
        pictures[la] = charts.bars(items, f"Mean days in each stage ({la}), children adopted in {chosen}", "days")
    return {"period": chosen, "by_la": by_la, "pictures": pictures}


def plan_changes(app: JourneysApp, query: Query, figure: Any) -> dict[str, Any]:
    # one LA's, or every LA's; a user of some LAs sees the first of them unless another is chosen
    la = query.la or (query.allowed[0] if query.allowed else None)
    report = projections.plan_change_report(app, la=la, known_at=query.known_at, explain=True)
    data = report.as_json()
    explain = data.get("explain") or {}
    items = [
        (
            f"{code} {RD_REASONS.get(code, '')}",
            count,
            figure(explain[f"by_reason.{code}"]["id"]) if f"by_reason.{code}" in explain else None,
        )
        for code, count in data["by_reason"].items()
    ]
    picture = charts.bars(items, "Plan changes away from adoption, by reason", "changes")
    return {"report": data, "picture": picture, "reasons": RD_REASONS}
