"""The rules of the permanence routes beyond adoption (docs/permanence.md): what may follow what.

A ``plan-decision`` pursues special guardianship, a child arrangements order, long-term fostering
or a return home; an ``sgo-made`` or ``cao-made`` is the order, an ``ltf-match`` the match with
a long-term foster carer, an ``ltf-breakdown`` the end of that match. Each needs an open period
of care (checked by the walk, :mod:`journeys.domain.rules`). A plan decision or a match is not
made while adoption is the plan: leaving adoption is a ``plan-change`` with its reason (RD1-RD4)
and who decided. An order is the court's: it ends adoption as the plan, as the court's refusal of
a placement order does (so a 903 return whose REASON_PLACED_CEASED is not yet imported still
imports), but not while the child is placed for adoption (record the disruption first). A
breakdown needs a long-term fostering match in force.

:func:`route_step` is the walk's step for these kinds: a pure function of the decision and of
the walk's state, returning the plan the decision sets and the match in force after it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Final

from journeys.domain.timeline import Decision
from journeys.domain.vocabulary import ADOPTION, CHILD_ARRANGEMENTS, LONG_TERM_FOSTERING, SPECIAL_GUARDIANSHIP

# Each route kind, as the walk's messages name it (every one needs an open period of care).
ROUTE_KINDS: Final[dict[str, str]] = {
    "plan-decision": "plan decision",
    "sgo-made": "special guardianship order",
    "cao-made": "child arrangements order",
    "ltf-match": "long-term fostering match",
    "ltf-breakdown": "long-term fostering breakdown",
}
# The plan each order or match is made under.
_PLAN_OF: Final[dict[str, str]] = {
    "sgo-made": SPECIAL_GUARDIANSHIP,
    "cao-made": CHILD_ARRANGEMENTS,
    "ltf-match": LONG_TERM_FOSTERING,
}

_ORDERS: Final = frozenset({"sgo-made", "cao-made"})

Refuse = Callable[[str, str], None]


def route_step(
    d: Decision,
    *,
    plan: str | None,
    plan_since: date | None,
    placed: Decision | None,
    ltf: Decision | None,
    refuse: Refuse,
) -> tuple[str | None, Decision | None]:
    """The plan ``d`` sets (None: unchanged) and the long-term fostering match in force after it,
    calling ``refuse(rule, message)`` for each rule it breaks (given the plan in force, since
    ``plan_since``, the placement for adoption and the match in force)."""
    label = ROUTE_KINDS[d.kind]
    if d.kind == "ltf-breakdown":
        if ltf is None:
            refuse("ltf-breakdown", f"{label} on {d.on}, but no long-term fostering match is in force then")
        return None, None
    if d.kind in _ORDERS:
        if placed is not None:
            refuse(
                "placed",
                f"{label} on {d.on} while the child is placed for adoption (since {placed.on}): "
                "record the disruption first",
            )
        return _PLAN_OF[d.kind], ltf
    if plan == ADOPTION:
        refuse(
            "leaving-adoption",
            f"{label} on {d.on} while the plan is adoption (since {plan_since}): record the plan-change away "
            "from adoption first, with its reason (RD1-RD4) and who decided",
        )
        return None, ltf
    if d.kind == "plan-decision":
        return str(d.fields["route"]), ltf
    return LONG_TERM_FOSTERING, d
