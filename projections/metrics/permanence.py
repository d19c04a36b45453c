"""Time to permanence by route: adoption, special guardianship, a child arrangements order,
long-term fostering and a return home, side by side (`journeys permanence`, docs/permanence.md).

A period of care reaches permanence by a route on the first day in it of that route's event:

- ``adoption``: the adoption order;
- ``special-guardianship``: the order made (``sgo-made``), or leaving care with REC E45-E48;
- ``child-arrangements``: the order made (``cao-made``), or leaving care with REC E41;
- ``long-term-fostering``: the match with a long-term foster carer (``ltf-match``); the child
  stays in care;
- ``reunification``: leaving care home (REC E4A, E4B or E13).

A route counts the periods of care that reached it within the reporting window (so a child
matched for long-term fostering and later given a special guardianship order by those carers
counts in both routes, each in its own year). For each: the days from entering care to that
day (median and mean, over the periods whose start of care is recorded), the long-term fostering
matches that broke down (``ltf-breakdown`` after the match) and the children who came back into
care after leaving by the route (a later period of care). Pure: decisions in, figures out.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from journeys.domain.rules import Period, replay
from journeys.domain.timeline import Decision, decisions_at
from journeys.domain.vocabulary import ADOPTION, LONG_TERM_FOSTERING, ROUTE_ORDERS, ROUTE_REASONS, ROUTES
from projections.metrics.plan_changes import Stream
from projections.metrics.scope import of_las

# The routes side by side, in the order the report lists them.
PERMANENCE_ROUTES: Final[tuple[str, ...]] = (ADOPTION, *ROUTES)
# The event that makes each route's permanence (besides leaving care with one of its REC codes).
_EVENT_OF: Final[dict[str, str]] = {ADOPTION: "adoption-order", **ROUTE_ORDERS}


@dataclass(frozen=True)
class Permanence:
    """One period of care that reached permanence by ``route`` on ``on``."""

    la: str
    child: str
    route: str
    entered_care: date | None
    on: date
    broke_down: date | None = None  # a long-term fostering match that ended (ltf-breakdown)
    returned_to_care: date | None = None  # the next period of care, after leaving by the route

    @property
    def days(self) -> int | None:
        return None if self.entered_care is None else (self.on - self.entered_care).days

    def as_json(self) -> dict[str, Any]:
        return {
            "la": self.la,
            "child": self.child,
            "route": self.route,
            "entered_care": self.entered_care,
            "permanence": self.on,
            "days": self.days,
            "broke_down": self.broke_down,
            "returned_to_care": self.returned_to_care,
        }


@dataclass(frozen=True)
class RouteFigures:
    """One route's figures over the periods of care that reached it in the window."""

    route: str
    children: list[Permanence] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        days = [p.days for p in self.children if p.days is not None]
        return {
            "route": self.route,
            "children": len(self.children),
            "with_start_of_care": len(days),
            "median_days": statistics.median(days) if days else None,
            "mean_days": statistics.fmean(days) if days else None,
            "breakdowns": sum(1 for p in self.children if p.broke_down is not None),
            "returned_to_care": sum(1 for p in self.children if p.returned_to_care is not None),
        }


@dataclass(frozen=True)
class PermanenceReport:
    start: date
    end: date
    la: str | None
    known_at: datetime | None
    routes: dict[str, RouteFigures]

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.start,
            "to": self.end,
            "la": self.la,
            "known_at": self.known_at,
            "routes": {route: figures.as_json() for route, figures in self.routes.items()},
            "children": [p.as_json() for figures in self.routes.values() for p in figures.children],
        }


def _reached(period: Period, route: str) -> Decision | None:
    """The decision by which ``period`` first reached permanence by ``route``."""
    reasons = ROUTE_REASONS.get(route, frozenset())
    return next(
        (
            d
            for d in period.decisions
            if d.kind == _EVENT_OF.get(route) or (d.kind == "left-care" and d.fields.get("reason_code") in reasons)
        ),
        None,
    )


def child_permanence(la: str, child: str, decisions: Sequence[Decision]) -> list[Permanence]:
    """Every route each of a child's periods of care reached (``decisions`` in effective order)."""
    periods = [p for p in replay(decisions).periods if p.entered_care is not None or p.decisions]
    found = []
    for number, period in enumerate(periods):
        later = next((p.entered_care for p in periods[number + 1 :] if p.entered_care is not None), None)
        for route in PERMANENCE_ROUTES:
            reached = _reached(period, route)
            if reached is None:
                continue
            broke_down = None
            if route == LONG_TERM_FOSTERING:
                after = (d for d in period.decisions if d.kind == "ltf-breakdown" and d.on >= reached.on)
                broke_down = next((d.on for d in after), None)
            returned = later if route != LONG_TERM_FOSTERING else None
            found.append(Permanence(la, child, route, period.entered_care, reached.on, broke_down, returned))
    return found


def report_of(
    found: Iterable[Permanence], *, start: date, end: date, la: str | None, known_at: datetime | None
) -> PermanenceReport:
    """The figures of the periods of care in ``found`` that reached permanence from ``start`` to ``end``."""
    routes = {route: RouteFigures(route) for route in PERMANENCE_ROUTES}
    for p in sorted(found, key=lambda p: (p.on, p.la, p.child, p.route)):
        if start <= p.on <= end:
            routes[p.route].children.append(p)
    return PermanenceReport(start, end, la, known_at, routes)


def permanence(
    streams: Iterable[Stream],
    *,
    start: date,
    end: date,
    la: str | None = None,
    known_at: datetime | None = None,
) -> PermanenceReport:
    """Time to permanence by route from ``start`` to ``end`` (inclusive), as known at
    ``known_at``, for one local authority or all of them, replayed from the children's streams."""
    found = (
        p
        for code, child, entries in of_las(streams, [la] if la else [])
        for p in child_permanence(code, child, decisions_at(entries, known_at=known_at))
    )
    return report_of(found, start=start, end=end, la=la, known_at=known_at)
