"""Reading stored events straight into entries, without rebuilding a pydantic model per event.

Every stored event was validated by its pydantic class when it was recorded, and its JSON is
that model's ``model_dump(mode="json")``. Reading it back for a report or an as-of question
therefore needs no second validation: a decision's JSON maps to an :class:`Entry` with a few
``date.fromisoformat`` calls. This is the read path of ``stream_entries`` and the read models;
``verify`` still decodes every event through the pydantic classes and re-checks its hash, so
tampering is caught there exactly as before.

Anything not a plain decision or an opening (corrections, retractions, surgery actions, an
event class that declares upcasting, a topic this module does not know) goes through the
mapper as before, so the result is always the same list of entries as
:func:`journeys.aggregate.entries_of` gives.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

import orjson
from eventsourcing.persistence import StoredEvent

from journeys.aggregate import EVENT_CLASSES, Journey, entry_of
from journeys.timeline import Entry

_COMMON = frozenset(
    {
        "originator_id",
        "originator_version",
        "timestamp",
        "originator_topic",
        "recorded_by",
        "source",
        "event_id",
        "hash",
    }
)


def _shape(cls: type[Journey.Decided]) -> tuple[str, frozenset[str], frozenset[str]]:
    """(kind, date fields, tuple fields) of a decision class's payload."""
    dates, tuples = set(), set()
    for name, info in cls.model_fields.items():
        if name in _COMMON or name == "on":
            continue
        annotation = info.annotation
        args = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
        if date in args:
            dates.add(name)
        if any(typing.get_origin(a) is tuple for a in args):
            tuples.add(name)
    return cls.KIND, frozenset(dates), frozenset(tuples)


_DECISIONS: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    cls.TOPIC: _shape(cls) for cls in EVENT_CLASSES.values() if not hasattr(cls, "class_version")
}


def _timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value)


def entries_from_stored(stored: Iterable[StoredEvent], decode: Callable[[StoredEvent], Journey.Event]) -> list[Entry]:
    """The entries of one stream's stored events (in version order); ``decode`` is the
    mapper's full decoding, used for every event this fast path does not cover."""
    entries: list[Entry] = []
    for event in stored:
        shape = _DECISIONS.get(event.topic)
        if shape is None and event.topic != Journey.Opened.TOPIC:
            entries.append(entry_of(decode(event), entries))
            continue
        data: dict[str, Any] = orjson.loads(event.state)
        common = {
            "seq": data["originator_version"],
            "recorded_at": _timestamp(data["timestamp"]),
            "recorded_by": data["recorded_by"],
            "source": data["source"],
            "event_id": data["event_id"],
            "hash": data["hash"],
        }
        if shape is None:
            entries.append(Entry(kind="opened", on=None, fields={"la": data["la"], "child": data["child"]}, **common))
            continue
        kind, dates, tuples = shape
        fields = {k: v for k, v in data.items() if k not in _COMMON and k != "on"}
        for name in dates:
            if fields.get(name) is not None:
                fields[name] = date.fromisoformat(fields[name])
        for name in tuples:
            if name in fields:
                fields[name] = tuple(fields[name])
        entries.append(Entry(kind=kind, on=date.fromisoformat(data["on"]), fields=fields, **common))
    return entries
