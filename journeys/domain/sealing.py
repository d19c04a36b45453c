"""Sealing an event: its stored JSON content, and its hash chained on its predecessor's.

An event's JSON content is what pydantic's ``model_dump(mode="json")`` writes for it; it is
both what the store holds and what its hash is taken over (with the hash itself left out). On
an erasable store (sealing format 2) the store holds, and the hash is over, that content with
its protected values encrypted under the child's key (:mod:`journeys.domain.protected`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.utils import get_topic
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from journeys.domain.hashing import chain
from journeys.domain.payloads import FIELDS_BY_KIND
from journeys.domain.protected import Protection

# The last value of each type turned into JSON by ``json_value``, held (so that ``is`` can
# recognise it) with its JSON form: a batch's events share one recording time and a
# journey's events one stream id, so most calls are answered here.
_LAST_JSON: dict[type, tuple[Any, Any]] = {}


# Each event class's field names in order (pydantic's ``model_fields`` is rebuilt per call)
# and the topic it is stored under.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_TOPICS: dict[type, str] = {}


def field_names(cls: type[BaseModel]) -> tuple[str, ...]:
    """The names of ``cls``'s fields, in the model's order."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(cls.model_fields)
    return names


def stored_topic(cls: type) -> str:
    """The topic an event of ``cls`` is stored under (the library's ``get_topic``)."""
    topic = _TOPICS.get(cls)
    if topic is None:
        topic = _TOPICS[cls] = get_topic(cls)
    return topic


def json_value(value: Any) -> Any:
    """``value`` as pydantic's JSON mode writes it (datetimes, UUIDs, lists, ...)."""
    if not isinstance(value, (datetime, UUID)):  # (only immutable values are remembered)
        return to_jsonable_python(value)
    last = _LAST_JSON.get(type(value))
    if last is not None and last[0] is value:
        return last[1]
    json_form = to_jsonable_python(value)
    _LAST_JSON[type(value)] = (value, json_form)
    return json_form


def json_values(names: Iterable[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` (validated, every one of ``names`` present) as JSON values keyed by
    ``names`` in order: what ``model_dump(mode="json")`` writes for a model with those fields."""
    content: dict[str, Any] = {}
    for name in names:
        value = values[name]
        kind = type(value)
        if kind is str or kind is int or value is None or kind is bool:
            content[name] = value  # already a JSON value
        elif kind is date:
            content[name] = value.isoformat()  # what pydantic writes for a date
        else:
            content[name] = json_value(value)
    return content


def jsonable(kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A decision's ``fields`` of ``kind`` (validated, every one present: what ``parse_fields``
    gives) as JSON values, as its payload model's ``model_dump(mode="json")`` writes them."""
    return json_values(field_names(FIELDS_BY_KIND[kind]), fields)


def seal_content(previous: str, topic: str, content: dict[str, Any], protection: Protection | None = None) -> str:
    """Seal ``content`` (an event's JSON content stored under ``topic``) into the chain
    after a predecessor with hash ``previous``: its ``hash`` set, and returned. With a
    child's ``protection`` (an erasable store) the hash is over the content as stored, its
    protected values tokens."""
    hashed = content if protection is None else protection.stored(topic, content)
    content["hash"] = event_hash = chain(previous, topic, hashed)
    return event_hash


class SealableEvent(BaseModel):
    """An event that can be sealed: stored under its ``TOPIC``, as the JSON content
    :meth:`content_of` makes (every journey event is one)."""

    TOPIC: ClassVar[str]

    @classmethod
    def content_of(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        """The one definition of an event's stored JSON content: ``values`` (already
        validated, every field present) as JSON values, keyed in the model's field order,
        as ``model_dump(mode="json")`` writes them, with or without an event object.
        """
        return json_values(field_names(cls), values)


def seal(previous: str, event: SealableEvent) -> str:
    """The chained hash of ``event`` after a predecessor with hash ``previous``."""
    return chain(previous, event.TOPIC, event.model_dump(mode="json"))


E = TypeVar("E", bound=SealableEvent)


def sealed(
    event_class: type[E], previous: str, values: Mapping[str, Any], protection: Protection | None = None
) -> tuple[E, dict[str, Any]]:
    """A new event of ``event_class`` made from ``values`` (its hash empty; validated once),
    its hash chained on ``previous``, and its JSON content (hash included): the content it is
    stored as and hashed from, as :func:`seal` (and so ``verify``) derives it from a stored event.
    """
    event = event_class(**values)
    content = event_class.content_of(event.__dict__)
    seal_content(previous, event_class.TOPIC, content, protection)
    # The event is new and seen by nobody yet: set its hash in place rather than copy it.
    event.__dict__["hash"] = content["hash"]
    return event, content
