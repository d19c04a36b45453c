"""The domain view of stored events: each event of a journey as an :class:`Entry`.

An event says what it is by its ``KIND``; a decision's fields beyond the common ones are
those of its kind's payload model (:data:`journeys.domain.payloads.FIELDS_BY_KIND`), in the
same order as its event class declares them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, ClassVar, Protocol

from journeys.domain.payloads import FIELDS_BY_KIND
from journeys.domain.timeline import (
    ACTION_ADDED,
    ACTION_CANCELLED,
    ACTION_DONE,
    ACTION_EDITED,
    CARERS_SEEN,
    CORRECT,
    ERASED,
    LEGAL_HOLD,
    RETRACT,
    Entry,
)


class StoredFields(Protocol):
    """What every journey event holds (:class:`journeys.domain.journey.Journey.Event`)."""

    KIND: ClassVar[str]

    @property
    def originator_version(self) -> int: ...
    @property
    def timestamp(self) -> datetime: ...
    @property
    def recorded_by(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def event_id(self) -> str: ...
    @property
    def hash(self) -> str: ...


# Each decision kind's payload field names, in its payload model's order.
_PAYLOAD: dict[str, tuple[str, ...]] = {kind: tuple(model.model_fields) for kind, model in FIELDS_BY_KIND.items()}


def entry_of(event: StoredFields, earlier: Iterable[Entry]) -> Entry:
    """The domain view of one stored event; ``earlier`` gives a correction its target's kind."""
    kind = event.KIND
    values: dict[str, Any] = event.__dict__
    payload = _PAYLOAD.get(kind)
    if payload is not None:  # a decision (the common case, made short)
        on: date = values["on"]
        try:
            fields = {name: values[name] for name in payload}
        except KeyError:  # an older payload version: read as the current one
            fields = type(event).upcast(values)  # type: ignore[attr-defined]
        return Entry(
            event.originator_version,
            kind,
            on,
            fields,
            event.timestamp,
            event.recorded_by,
            event.source,
            event.event_id,
            event.hash,
        )
    common: dict[str, Any] = {
        "seq": event.originator_version,
        "recorded_at": event.timestamp,
        "recorded_by": event.recorded_by,
        "source": event.source,
        "event_id": event.event_id,
        "hash": event.hash,
    }
    if kind == CORRECT:
        target: int = values["target"]
        target_kind = next(e.kind for e in earlier if e.seq == target)
        fields = dict(FIELDS_BY_KIND[target_kind].model_validate(values["fields"]))
        return Entry(kind=CORRECT, on=values["on"], fields=fields, target=target, reason=values["reason"], **common)
    if kind == RETRACT:
        return Entry(kind=RETRACT, on=None, fields={}, target=values["target"], reason=values["reason"], **common)
    if kind == ACTION_ADDED:
        fields = {name: values[name] for name in ("action_id", "text", "owner", "due")}
        return Entry(kind=ACTION_ADDED, on=values["due"], fields=fields, **common)
    if kind == ACTION_DONE:
        fields = {name: values[name] for name in ("action_id", "note")}
        return Entry(kind=ACTION_DONE, on=None, fields=fields, **common)
    if kind == LEGAL_HOLD:
        return Entry(kind=LEGAL_HOLD, on=None, fields={"lifted": values["lifted"]}, reason=values["reason"], **common)
    if kind == ACTION_EDITED:
        fields = {name: values.get(name) for name in ("action_id", "owner", "due", "text")}
        return Entry(kind=ACTION_EDITED, on=fields["due"], fields=fields, **common)
    if kind == ACTION_CANCELLED:
        fields = {name: values[name] for name in ("action_id", "reason")}
        return Entry(kind=ACTION_CANCELLED, on=None, fields=fields, **common)
    if kind == CARERS_SEEN:
        return Entry(kind=CARERS_SEEN, on=values["on"], fields={"since": values["since"]}, **common)
    if kind == ERASED:
        fields = {name: values[name] for name in ("retention_override", "year_of_birth")}
        return Entry(kind=ERASED, on=None, fields=fields, reason=values["reason"], **common)
    assert kind == "opened", kind
    return Entry(kind="opened", on=None, fields={"la": values["la"], "child": values["child"]}, **common)


def entries_of(events: Iterable[StoredFields]) -> list[Entry]:
    """The domain view of a whole stream, in recording order."""
    entries: list[Entry] = []
    for event in events:
        entries.append(entry_of(event, entries))
    return entries
