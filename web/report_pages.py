"""The data of the caseload, the agenda and the reports' pages: one library call each, as
the CLI makes them, explained so that every figure can link to the children it counts."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import projections
from journeys import RD_REASONS
from web import charts
from web.query import Query

if TYPE_CHECKING:
    from journeys import JourneysApp
    from projections import AgendaRow

URGENCY = (("overdue", "Overdue"), ("due-soon", "Due soon"), ("on-track", "On track or open"))


def urgency(status: str) -> str:
    return status if status in ("overdue", "due-soon") else "on-track"


def default_period(day: date) -> str:
    """The three whole financial years before ``day`` (the scorecard's usual window)."""
    last = day.year if day >= date(day.year, 4, 1) else day.year - 1
    return f"{last - 3}-{last % 100:02d}"


def agenda(app: JourneysApp, query: Query) -> list[AgendaRow]:
    return projections.surgery(app, as_at=query.day, known_at=query.known_at, la=query.la).rows


_SORT_KEYS: dict[str, Any] = {
    "child": lambda r: (r.child,),
    "la": lambda r: (r.la, r.child),
    "stage": lambda r: (r.stage, r.child),
    "days": lambda r: (r.days_in_stage or 0, r.child),
    "due": lambda r: (r.next_milestone.due if r.next_milestone and r.next_milestone.due else date.max, r.child),
    "status": lambda r: ({"overdue": 0, "due-soon": 1}.get(r.status, 2), -(r.days_overdue or 0), r.child),
}


def caseload(app: JourneysApp, query: Query) -> dict[str, Any]:
    """The children on the agenda, filtered by stage, status and reference, and sorted."""
    rows = agenda(app, query)
    stages = sorted({r.stage for r in rows})
    chosen = [
        r
        for r in rows
        if (query.stage is None or r.stage == query.stage)
        and (query.status is None or urgency(r.status) == query.status)
        and (not query.find or query.find.casefold() in r.child.casefold())
    ]
    chosen.sort(key=_SORT_KEYS[query.sort], reverse=query.descending)
    return {"rows": chosen, "total": len(rows), "stages": stages, "las": sorted({r.la for r in rows})}


def agenda_sections(app: JourneysApp, query: Query) -> list[dict[str, Any]]:
    """One section per local authority, its children grouped by urgency, most urgent first."""
    by_la: dict[str, list[AgendaRow]] = {}
    for row in agenda(app, query):
        by_la.setdefault(row.la, []).append(row)
    return [
        {
            "la": la,
            "rows": rows,
            "groups": [(label, [r for r in rows if urgency(r.status) == key]) for key, label in URGENCY],
        }
        for la, rows in sorted(by_la.items())
    ]


def _las(query: Query) -> list[str]:
    return [query.la] if query.la else []


def scorecard(app: JourneysApp, query: Query, period: str | None) -> dict[str, Any]:
    chosen = period or default_period(query.day)
    by_la = projections.scorecard(app, period=chosen, known_at=query.known_at, las=_las(query), explain=True)
    return {"period": chosen, "by_la": by_la}


def cohorts(app: JourneysApp, query: Query, figure: Any) -> dict[str, Any]:
    by_la = projections.cohort(app, census=query.day, known_at=query.known_at, las=_las(query), explain=True,
                               curve=True)  # fmt: skip
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
            (s["label"], s["mean_days"], figure(explain[f"{s['stage']}.mean_days"]["id"])
             if f"{s['stage']}.mean_days" in explain else None)
            for s in report["stages"]
        ]  # fmt: skip
        pictures[la] = charts.bars(items, f"Mean days in each stage ({la}), children adopted in {chosen}", "days")
    return {"period": chosen, "by_la": by_la, "pictures": pictures}


def plan_changes(app: JourneysApp, query: Query, figure: Any) -> dict[str, Any]:
    report = projections.plan_change_report(app, la=query.la, known_at=query.known_at, explain=True)
    data = report.as_json()
    explain = data.get("explain") or {}
    items = [
        (f"{code} {RD_REASONS.get(code, '')}", count, figure(explain[f"by_reason.{code}"]["id"])
         if f"by_reason.{code}" in explain else None)
        for code, count in data["by_reason"].items()
    ]  # fmt: skip
    picture = charts.bars(items, "Plan changes away from adoption, by reason", "changes")
    return {"report": data, "picture": picture, "reasons": RD_REASONS}
