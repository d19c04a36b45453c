"""A 903 episode that ends in a special guardianship or child arrangements order, as the order made.

An episode ceasing with REC E45-E48 (a special guardianship order) or E41 (a residence or child
arrangements order) ends the period of care by that route: besides the ``left-care`` the import
records the order itself (``sgo-made``, ``cao-made``) on the same day, from the same row, so that
`journeys permanence` counts the child's permanence by that route (docs/permanence.md). The order
is left out where the journey's rules would refuse it, while the child is placed for adoption
(an A3-A6 placement that the exit itself ends): the ``left-care`` alone is recorded, as before.
"""

from __future__ import annotations

from typing import Final

from journeys.domain.rules import replay
from journeys.domain.timeline import Decision
from journeys.domain.vocabulary import KIND_RANK, ROUTE_ORDERS, ROUTE_REASONS
from journeys.ssda903.wanted import StoredJourney, Wanted

# The order a REC code says was made, by code.
ORDER_OF_REC: Final[dict[str, str]] = {
    code: ROUTE_ORDERS[route] for route in ROUTE_ORDERS if route in ROUTE_REASONS for code in ROUTE_REASONS[route]
}


def add_route_orders(out: list[Wanted], store: StoredJourney) -> None:
    """Add to ``out`` the order each of its SGO or CAO exits from care records."""
    for left in [w for w in out if w.kind == "left-care"]:
        kind = ORDER_OF_REC.get(str(left.fields.get("reason_code")))
        if kind is None or _stage_then(out, store, left, kind) == "placed":
            continue
        out.append(Wanted(kind, left.key, left.on, {}, left.row, left.column))


def _stage_then(out: list[Wanted], store: StoredJourney, left: Wanted, kind: str) -> str:
    """The child's stage just before an order of ``kind`` on the day ``left`` ends care, from the
    decisions the store holds and those these rows call for."""
    at = (left.on, KIND_RANK[kind])
    known = [k.decision for k in store.known.values()]
    wanted = [Decision(-n, w.kind, w.on, w.fields) for n, w in enumerate(out, start=1)]
    before = sorted((d for d in [*known, *wanted] if (d.on, KIND_RANK[d.kind]) < at), key=Decision.sort_key)
    return replay(before).stage
