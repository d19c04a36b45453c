"""The fields each kind of decision carries, validated by pydantic.

These models are the single definition of an event's payload: the stored event classes
inherit from them, the CLI builds its options from them and `load` validates lines with them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from journeys.domain import inputs, vocabulary
from journeys.domain.errors import InvalidEvent


def _one_of(value: str | None, allowed: Mapping[str, str] | tuple[str, ...], what: str) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        choices = ", ".join(allowed)
        raise ValueError(f"{what} {value!r} is not one of {choices}")
    return value


def _date(cls: type, value: Any) -> Any:
    """A date field's value in one of the documented forms, as every entry point reads dates."""
    if isinstance(value, str):
        try:
            return inputs.parse_date(value)
        except InvalidEvent as error:
            raise ValueError(str(error)) from None
    if isinstance(value, date) or value is None:
        return value
    raise ValueError(f"{value!r} is not a date in the form {inputs.DATE_FORMS}")


class Fields(BaseModel):
    """Base of every payload: frozen, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ChildDetailsFields(Fields):
    date_of_birth: date | None = None
    expected_date: date | None = None
    sibling_group: str | None = None
    harder_to_place: tuple[str, ...] = ()

    # a date read as every entry point reads one (the annotation stays ``date``: the decoder
    # of stored events reads it)
    _dates = field_validator("date_of_birth", "expected_date", mode="before")(_date)

    @field_validator("harder_to_place")
    @classmethod
    def _flags(cls, flags: tuple[str, ...]) -> tuple[str, ...]:
        for flag in flags:
            _one_of(flag, vocabulary.HARDER_TO_PLACE, "harder-to-place flag")
        return tuple(sorted(set(flags)))


def _true_or_unset(value: bool | None) -> bool | None:
    """An ``on_or_before`` marker: true, or unset (never false)."""
    return True if value else None


class EnteredCareV1Fields(Fields):
    """entered-care as first stored (topic ``journeys.entered_care.v1``): read as
    :class:`EnteredCareFields` with ``on_or_before`` unset (the upcast)."""

    legal_status: str | None = None

    @field_validator("legal_status")
    @classmethod
    def _ls(cls, value: str | None) -> str | None:
        return _one_of(value, vocabulary.LEGAL_STATUSES, "legal status")


class EnteredCareFields(EnteredCareV1Fields):
    """entered-care now (``journeys.entered_care.v2``). ``on_or_before`` true: the start of care
    is only bounded, on or before the decision's date (a 903 return that does not hold the
    child's start of care); unset (never false) when the date is the start."""

    on_or_before: bool | None = None

    _bounded = field_validator("on_or_before")(lambda value: _true_or_unset(value))


class NoFields(Fields):
    pass


class ProceedingsConcludedFields(Fields):
    order: str

    @field_validator("order")
    @classmethod
    def _order(cls, value: str) -> str | None:
        return _one_of(value, vocabulary.COURT_ORDERS, "order")


class PlanChangeFields(Fields):
    to: str
    reason: str | None = None
    decided_by: str | None = None
    outcome: str | None = None

    @field_validator("to")
    @classmethod
    def _to(cls, value: str) -> str | None:
        return _one_of(value, vocabulary.PLANS, "plan")

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str | None) -> str | None:
        return _one_of(value, vocabulary.RD_REASONS, "reason")

    @field_validator("decided_by")
    @classmethod
    def _decider(cls, value: str | None) -> str | None:
        return _one_of(value, vocabulary.DECIDERS, "decided_by")


class PlanDecisionFields(Fields):
    """The decision to pursue a permanence plan other than adoption (docs/permanence.md)."""

    route: str

    @field_validator("route")
    @classmethod
    def _route(cls, value: str) -> str | None:
        return _one_of(value, vocabulary.ROUTES, "route")


class OrderFields(Fields):
    """A special guardianship or child arrangements order made: to whom (a reference, never a name)."""

    carers: str | None = None


class LtfMatchFields(Fields):
    """A long-term fostering match: the matched foster carer's reference."""

    carer: str


class PlacementOrderFields(Fields):
    authority: str = "placement-order"

    @field_validator("authority")
    @classmethod
    def _authority(cls, value: str) -> str | None:
        return _one_of(value, vocabulary.PO_AUTHORITIES, "authority")


class ReviewFields(Fields):
    review_type: str

    @field_validator("review_type")
    @classmethod
    def _type(cls, value: str) -> str | None:
        return _one_of(value, vocabulary.REVIEW_TYPES, "review type")


class MatchFields(Fields):
    adopters: str | None = None


class PlacedFields(Fields):
    with_foster_carers: bool = False
    carers_since: date | None = None

    _dates = field_validator("carers_since", mode="before")(_date)

    @model_validator(mode="after")
    def _carers(self) -> PlacedFields:
        if self.carers_since is not None and not self.with_foster_carers:
            raise ValueError("carers_since is only for a child placed with its foster carers")
        return self


class DisruptionFields(Fields):
    reason: str | None = None


class LeftCareV1Fields(Fields):
    """left-care as first stored (topic ``journeys.left_care.v1``): read as
    :class:`LeftCareFields` with ``on_or_before`` unset (the upcast)."""

    reason_code: str | None = None

    @field_validator("reason_code")
    @classmethod
    def _rec(cls, value: str | None) -> str | None:
        if value in vocabulary.ADOPTED_REASONS:
            raise ValueError(f"reason code {value} means adopted: record an adoption-order instead")
        return _one_of(value, vocabulary.REASONS_CEASED, "reason code")


class LeftCareFields(LeftCareV1Fields):
    """left-care now (``journeys.left_care.v2``). ``on_or_before`` true: the end of care is only
    bounded, on or before the decision's date (a 903 return shows the period open at its year end
    and the store holds a later start of care; the return with the real end has not been imported);
    unset (never false) when the date is the end."""

    on_or_before: bool | None = None

    _bounded = field_validator("on_or_before")(lambda value: _true_or_unset(value))


FIELDS_BY_KIND: dict[str, type[Fields]] = {
    "child-details": ChildDetailsFields,
    "entered-care": EnteredCareFields,
    "proceedings-issued": NoFields,
    "proceedings-concluded": ProceedingsConcludedFields,
    "family-finding": NoFields,
    "plan-change": PlanChangeFields,
    "adoption-decision": NoFields,
    "placement-order": PlacementOrderFields,
    "review": ReviewFields,
    "match": MatchFields,
    "placed": PlacedFields,
    "disruption": DisruptionFields,
    "adoption-order": NoFields,
    "plan-decision": PlanDecisionFields,
    "sgo-made": OrderFields,
    "cao-made": OrderFields,
    "ltf-match": LtfMatchFields,
    "ltf-breakdown": DisruptionFields,
    "left-care": LeftCareFields,
}
assert set(FIELDS_BY_KIND) == set(vocabulary.EVENT_KINDS)


def describe_validation_error(kind: str, error: ValidationError) -> str:
    parts = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem["loc"]) or "fields"
        message = str(problem["msg"]).removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = f"{kind} has no field {where!r}"
            parts.append(message)
            continue
        parts.append(f"{where}: {message}")
    return f"{kind}: " + "; ".join(parts)


class ParsedFields(dict[str, Any]):
    """Fields that :func:`parse_fields` validated for one kind (a plain dict otherwise)."""

    __slots__ = ("kind",)

    def __init__(self, kind: str, values: Mapping[str, Any]) -> None:
        super().__init__(values)
        self.kind = kind


def fields_of(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` validated for ``kind``: as given when :func:`parse_fields` made it for that
    kind (a load line's fields are validated once, when the line is read)."""
    if isinstance(data, ParsedFields) and data.kind == kind:
        return data
    return parse_fields(kind, data)


def parse_fields(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a kind's fields; return them as a dict with defaults filled in."""
    model = FIELDS_BY_KIND.get(kind)
    if model is None:
        raise InvalidEvent(
            f"unknown event {kind!r}",
            "use one of: " + ", ".join(vocabulary.EVENT_KINDS),
        )
    if not data:  # most decisions carry no fields: their defaults, validated once per kind
        defaults = _DEFAULTS.get(kind)
        if defaults is not None:
            return ParsedFields(kind, defaults)
    try:
        parsed = model.model_validate(dict(data))
    except ValidationError as error:
        raise InvalidEvent(describe_validation_error(kind, error)) from None
    if not data:
        _DEFAULTS[kind] = dict(parsed.__dict__)
    else:
        _check_text(kind, parsed.__dict__)
    return ParsedFields(kind, parsed.__dict__)  # the fields (no extras: they are forbidden)


def _check_text(kind: str, values: Mapping[str, Any]) -> None:
    """Refuse a control character in any text field (checked here, on input, rather than on
    the models, so that an event stored before the check still reads)."""
    for key, value in values.items():
        if type(value) is str and not value.isprintable():
            inputs.free_text(value, f"{kind} {key}")


# What each kind's fields validate to when none is given (a kind that requires a field is
# never here: its empty fields are refused every time).
_DEFAULTS: dict[str, dict[str, Any]] = {}


def parse_date(value: Any, what: str = "date") -> date:
    """A calendar date in one of the documented forms (see :func:`journeys.domain.inputs.parse_date`)."""
    return inputs.parse_date(value, what)
