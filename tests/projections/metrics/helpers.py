"""Build summary rows from a few decisions, without a store."""

from __future__ import annotations

from datetime import date
from typing import Any

from journeys.domain.payloads import parse_fields
from journeys.domain.rules import replay
from journeys.domain.timeline import Decision
from projections.metrics.summary import PeriodSummary, summarise_state


def summaries(child: str, *events: tuple[Any, ...], la: str = "825") -> list[PeriodSummary]:
    """``("placement-order", "2015-01-02", {"authority": "consent"})`` ... -> summary rows."""
    decisions = []
    for seq, event in enumerate(events, start=2):
        kind, on = event[0], date.fromisoformat(event[1])
        fields = parse_fields(kind, event[2] if len(event) > 2 else {})
        decisions.append(Decision(seq, kind, on, fields))
    decisions.sort(key=Decision.sort_key)
    return summarise_state(la, child, replay(decisions))


def adopted(
    child: str,
    entered: str,
    po: str | None,
    match: str,
    placed: str,
    ao: str,
    *,
    authority: str = "placement-order",
    la: str = "825",
    placed_fields: dict[str, Any] | None = None,
) -> PeriodSummary:
    events: list[tuple[Any, ...]] = [("entered-care", entered), ("adoption-decision", entered)]
    if po:
        events.append(("placement-order", po, {"authority": authority}))
    events += [("match", match), ("placed", placed, placed_fields or {}), ("adoption-order", ao)]
    (row,) = summaries(child, *events, la=la)
    return row
