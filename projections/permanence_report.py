"""The time-to-permanence report (`journeys permanence`): every child's stream replayed as known
at ``known_at`` (:mod:`projections.metrics.permanence`), for a period of financial years."""

from __future__ import annotations

from datetime import datetime

from journeys.application import JourneysApp
from projections.metrics.periods import parse_period
from projections.metrics.permanence import PermanenceReport, permanence


def permanence_report(
    app: JourneysApp, *, period: str, la: str | None = None, known_at: datetime | None = None
) -> PermanenceReport:
    """Time to permanence by route for the periods of care that reached it in ``period`` (YYYY-YY)."""
    start, end = parse_period(period)
    return permanence(app.streams(), start=start, end=end, la=la, known_at=known_at)
