"""What a stored decision's JSON holds, by the topic it is stored under, for reading it back
without building the event models.

The pydantic models (:mod:`journeys.domain.payloads`, :mod:`journeys.domain.journey`) are the
definition of every event and validate it once, when it is recorded; its stored JSON is the
model's ``model_dump(mode="json")``. To turn that JSON back into an entry the read path
(:mod:`journeys.storage.decoding`) needs only which kind each topic is, which payload fields
it has, and which of them are dates or tuples: this table. A command that reads one child
(``journeys show``) therefore never imports pydantic. The table is held to the models by
:func:`shapes_of` when :mod:`journeys.domain.journey` is imported (and by a test), so it
cannot drift from them.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import date
from typing import Any, Final


@dataclass(frozen=True)
class Shape:
    """A decision's stored payload: its kind, its fields in the model's order, and which of
    them are stored as ISO dates and which as JSON lists of a tuple."""

    kind: str
    fields: tuple[str, ...] = ()
    dates: frozenset[str] = frozenset()
    tuples: frozenset[str] = frozenset()
    # An older payload version's upcast: the fields its kind's current version adds, with the
    # values an event of this version is read with (after its own fields, as the models order them).
    upcast: tuple[tuple[str, Any], ...] = ()


OPENED: Final = "journeys.opened.v1"
CORRECTED: Final = "journeys.correction.v1"
RETRACTED: Final = "journeys.retraction.v1"

# Every decision class stored under its own topic, current versions and older ones (an older
# version is read as its kind's current version, with the fields of ``upcast`` added).
DECISIONS: Final[dict[str, Shape]] = {
    "journeys.child_details.v1": Shape(
        "child-details",
        ("date_of_birth", "expected_date", "sibling_group", "harder_to_place"),
        dates=frozenset({"date_of_birth", "expected_date"}),
        tuples=frozenset({"harder_to_place"}),
    ),
    "journeys.entered_care.v2": Shape("entered-care", ("legal_status", "on_or_before")),
    "journeys.entered_care.v1": Shape("entered-care", ("legal_status",), upcast=(("on_or_before", None),)),
    "journeys.proceedings_issued.v1": Shape("proceedings-issued"),
    "journeys.proceedings_concluded.v1": Shape("proceedings-concluded", ("order",)),
    "journeys.family_finding.v1": Shape("family-finding"),
    "journeys.plan_change.v1": Shape("plan-change", ("to", "reason", "decided_by", "outcome")),
    "journeys.adoption_decision.v1": Shape("adoption-decision"),
    "journeys.placement_order.v1": Shape("placement-order", ("authority",)),
    "journeys.review.v1": Shape("review", ("review_type",)),
    "journeys.match.v1": Shape("match", ("adopters",)),
    "journeys.placed.v1": Shape("placed", ("with_foster_carers", "carers_since"), dates=frozenset({"carers_since"})),
    "journeys.disruption.v1": Shape("disruption", ("reason",)),
    "journeys.adoption_order.v1": Shape("adoption-order"),
    "journeys.left_care.v2": Shape("left-care", ("reason_code", "on_or_before")),
    "journeys.left_care.v1": Shape("left-care", ("reason_code",), upcast=(("on_or_before", None),)),
    "journeys.plan_decision.v1": Shape("plan-decision", ("route",)),
    "journeys.sgo_made.v1": Shape("sgo-made", ("carers",)),
    "journeys.cao_made.v1": Shape("cao-made", ("carers",)),
    "journeys.ltf_match.v1": Shape("ltf-match", ("carer",)),
    "journeys.ltf_breakdown.v1": Shape("ltf-breakdown", ("reason",)),
}
# The current version of each kind.
BY_KIND: Final[dict[str, Shape]] = {shape.kind: shape for shape in DECISIONS.values() if not shape.upcast}
# Every version of each kind, the current one first.
VERSIONS_OF_KIND: Final[dict[str, tuple[Shape, ...]]] = {
    kind: (current, *(s for s in DECISIONS.values() if s.kind == kind and s.upcast))
    for kind, current in BY_KIND.items()
}


def shape_of(model: Any, common: Set[str]) -> Shape:
    """The shape of a decision class's payload, from its pydantic ``model_fields`` (the
    fields not in ``common``), as :data:`DECISIONS` must give it."""
    names, dates, tuples = [], set(), set()
    for name, info in model.model_fields.items():
        if name in common:
            continue
        names.append(name)
        annotation = info.annotation
        args = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
        if date in args:
            dates.add(name)
        if any(typing.get_origin(a) is tuple for a in args):
            tuples.add(name)
    upcast = tuple(getattr(model, "UPCAST", {}).items())
    return Shape(model.KIND, tuple(names), frozenset(dates), frozenset(tuples), upcast)


def shapes_of(models: Iterable[Any], common: Set[str]) -> dict[str, Shape]:
    """What :data:`DECISIONS` must be for these decision classes (by their ``TOPIC``)."""
    return {model.TOPIC: shape_of(model, common) for model in models}
