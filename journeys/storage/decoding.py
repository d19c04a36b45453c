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
:func:`journeys.domain.entries.entries_of` gives.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent

from journeys.domain.entries import entry_of
from journeys.domain.journey import COMMON_FIELDS, EVENT_CLASSES, Journey
from journeys.domain.payloads import FIELDS_BY_KIND
from journeys.domain.timeline import CORRECT, RETRACT, Entry, new_entry


def _shape(cls: type[Journey.Decided]) -> tuple[str, frozenset[str], frozenset[str]]:
    """(kind, date fields, tuple fields) of a decision class's payload."""
    dates, tuples = set(), set()
    for name, info in cls.model_fields.items():
        if name in COMMON_FIELDS:
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


_OPENED = Journey.Opened.TOPIC


def entries_from_stored(stored: Iterable[StoredEvent], decode: Callable[[StoredEvent], Journey.Event]) -> list[Entry]:
    """The entries of one stream's stored events (in version order); ``decode`` is the
    mapper's full decoding, used for every event this fast path does not cover."""
    events = list(stored)
    if not events:
        return []
    rows = [(e.originator_version, e.topic, e.state) for e in events]
    return entries_from_rows(events[0].originator_id, rows, decode)


def entries_from_rows(
    stream: Any, rows: Iterable[tuple[int, str, bytes]], decode: Callable[[StoredEvent], Journey.Event]
) -> list[Entry]:
    """As :func:`entries_from_stored`, from one stream's (version, topic, state) rows as the
    events table holds them; a :class:`StoredEvent` is built only for an event the fast path
    does not cover."""
    entries: list[Entry] = []
    for version, topic, state in rows:
        shape = _DECISIONS.get(topic)
        if shape is None and topic != _OPENED:
            entry = _change(topic, state, entries) if topic in _CHANGES else None
            if entry is None:
                entry = entry_of(decode(StoredEvent(stream, version, topic, bytes(state))), entries)
            entries.append(entry)
            continue
        # the event's own JSON: take the common keys out and what remains is the payload
        data: dict[str, Any] = orjson.loads(state)
        recorded_at = datetime.fromisoformat(data.pop("timestamp"))
        seq, by, source, event_id, hashed = (
            data.pop("originator_version"),
            data.pop("recorded_by"),
            data.pop("source"),
            data.pop("event_id"),
            data.pop("hash"),
        )
        if shape is None:
            opened = {"la": data["la"], "child": data["child"]}
            entries.append(new_entry(seq, "opened", None, opened, recorded_at, by, source, event_id, hashed))
            continue
        kind, dates, tuples = shape
        on = date.fromisoformat(data.pop("on"))
        data.pop("originator_id", None)
        data.pop("originator_topic", None)
        fields = data
        for name in dates:
            value = fields.get(name)
            if value is not None:
                fields[name] = date.fromisoformat(value)
        for name in tuples:
            if name in fields:
                fields[name] = tuple(fields[name])
        entries.append(new_entry(seq, kind, on, fields, recorded_at, by, source, event_id, hashed))
    return entries


def entries_of_rows(
    rows: Iterable[tuple[Any, int, str, bytes]], decode: Callable[[StoredEvent], Journey.Event]
) -> dict[UUID, list[Entry]]:
    """(stream id, version, topic, state) rows of the events table, ordered by stream and
    version, as each stream's entries."""
    grouped: dict[Any, list[tuple[int, str, bytes]]] = {}
    for raw, version, topic, state in rows:
        same = grouped.get(raw)
        if same is None:
            grouped[raw] = [(version, topic, state)]
        else:
            same.append((version, topic, state))
    return _entries_of_groups(grouped, decode)


def entries_of_interleaved_rows(
    rows: Iterable[tuple[Any, int, str, bytes]], decode: Callable[[StoredEvent], Journey.Event]
) -> dict[UUID, list[Entry]]:
    """As :func:`entries_of_rows`, from rows whose streams interleave (each stream's rows in
    version order, as the log holds them; a stream's rows are sorted if not)."""
    grouped: dict[Any, list[tuple[int, str, bytes]]] = {}
    for raw, version, topic, state in rows:
        same = grouped.get(raw)
        if same is None:
            grouped[raw] = [(version, topic, state)]
        elif same[-1][0] < version:
            same.append((version, topic, state))
        else:
            same.append((version, topic, state))
            same.sort(key=_version)
    return _entries_of_groups(grouped, decode)


def _entries_of_groups(
    grouped: Mapping[Any, list[tuple[int, str, bytes]]], decode: Callable[[StoredEvent], Journey.Event]
) -> dict[UUID, list[Entry]]:
    """Each stream's (version, topic, state) events, in version order, as its entries."""
    found: dict[UUID, list[Entry]] = {}
    for raw, events in grouped.items():
        stream = raw if isinstance(raw, UUID) else UUID(str(raw))
        found[stream] = entries_from_rows(stream, events, decode)
    return found


def _version(event: tuple[int, str, bytes]) -> int:
    return event[0]


# Corrections and retractions, unless their classes declare upcasting.
_CHANGES = frozenset(cls.TOPIC for cls in (Journey.Corrected, Journey.Retracted) if not hasattr(cls, "class_version"))


def _change(topic: str, state: bytes, earlier: list[Entry]) -> Entry | None:
    """A correction or retraction as :func:`journeys.domain.entries.entry_of` makes it from the
    decoded event: a correction's fields validated by its target's payload model (None when
    the target is not among ``earlier``: the mapper's path then says what is wrong)."""
    data: dict[str, Any] = orjson.loads(state)
    common = (
        datetime.fromisoformat(data["timestamp"]),
        data["recorded_by"],
        data["source"],
        data["event_id"],
        data["hash"],
    )
    seq, target = data["originator_version"], data["target"]
    if topic == Journey.Retracted.TOPIC:
        return Entry(seq, RETRACT, None, {}, *common, target=target, reason=data["reason"])
    kind = next((e.kind for e in earlier if e.seq == target), None)
    if kind is None:
        return None
    fields = dict(FIELDS_BY_KIND[kind].model_validate(data["fields"]))
    on = date.fromisoformat(data["on"])
    return Entry(seq, CORRECT, on, fields, *common, target=target, reason=data["reason"])
