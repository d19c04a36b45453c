"""Small synthetic journeys for the plan-change and tracking tests (children are made up)."""

from __future__ import annotations

from datetime import date
from typing import Any

from journeys import JourneysApp
from journeys.domain.timeline import Entry

LA = "825"


def d(text: str) -> date:
    return date.fromisoformat(text)


def rec(app: JourneysApp, child: str, kind: str, on: str, la: str = LA, **fields: Any) -> Entry:
    return app.record(la, child, kind, d(on), fields, recorded_by="sw")


def away(
    app: JourneysApp,
    child: str,
    on: str,
    to: str = "reunification",
    reason: str = "RD4",
    decided_by: str = "agency",
    outcome: str | None = "home-with-mother",
    la: str = LA,
) -> Entry:
    fields = {"to": to, "reason": reason, "decided_by": decided_by}
    if outcome:
        fields["outcome"] = outcome
    return rec(app, child, "plan-change", on, la=la, **fields)


def in_care_with_family_finding(app: JourneysApp, child: str, entered: str, found: str, la: str = LA) -> None:
    rec(app, child, "entered-care", entered, la=la)
    rec(app, child, "family-finding", found, la=la)
