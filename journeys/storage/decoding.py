"""Reading stored events straight into entries, without rebuilding a pydantic model per event.

Every stored event was validated by its pydantic class when it was recorded, and its JSON is
that model's ``model_dump(mode="json")``. Reading it back for a report or an as-of question
therefore needs no second validation: a decision's JSON maps to an :class:`Entry` with a few
``date.fromisoformat`` calls, by the table of :mod:`journeys.domain.shapes` (held to the
models), so this path imports neither pydantic nor the event models. This is the read path of
``stream_entries`` and the read models; ``verify`` still decodes every event through the
pydantic classes and re-checks its hash, so tampering is caught there exactly as before.

Anything not a plain decision, an opening, a correction or a retraction (surgery actions, an
event class that declares upcasting, a topic the table does not know, a correction whose
fields are not its target's) goes through the mapper as before, so the result is always the
same list of entries as :func:`journeys.domain.entries.entries_of` gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent

from journeys.domain.shapes import CORRECTED, DECISIONS, OPENED, RETRACTED, VERSIONS_OF_KIND, Shape
from journeys.domain.timeline import CORRECT, RETRACT, Entry, new_entry

if TYPE_CHECKING:
    from journeys.domain.journey import Journey


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
        shape = DECISIONS.get(topic)
        if shape is None and topic != OPENED:
            entry = _change(topic, state, entries) if topic in _CHANGES else None
            if entry is None:
                from journeys.domain.entries import entry_of  # the models: for what the table does not cover

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
        on = date.fromisoformat(data.pop("on"))
        data.pop("originator_id", None)
        data.pop("originator_topic", None)
        fields = _payload(shape, data)
        if shape.upcast:
            fields.update(shape.upcast)  # an older payload version, read as the current one
        entries.append(new_entry(seq, shape.kind, on, fields, recorded_at, by, source, event_id, hashed))
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


def _payload(shape: Shape, fields: dict[str, Any]) -> dict[str, Any]:
    """A decision's stored payload (its JSON values) as its validated fields: dates and
    tuples rebuilt in place, as the payload model reads them back."""
    for name in shape.dates:
        value = fields.get(name)
        if value is not None:
            fields[name] = date.fromisoformat(value)
    for name in shape.tuples:
        if name in fields:
            fields[name] = tuple(fields[name])
    return fields


_CHANGES = frozenset({CORRECTED, RETRACTED})


def _change(topic: str, state: bytes, earlier: list[Entry]) -> Entry | None:
    """A correction or retraction as :func:`journeys.domain.entries.entry_of` makes it from the
    decoded event (a correction's fields are its target's payload, complete, as its model
    wrote them). None when the table does not cover it: its target is not among ``earlier``,
    or is of a kind the table leaves out, or the fields are not that kind's; the mapper's path
    then reads it (and says what is wrong)."""
    data: dict[str, Any] = orjson.loads(state)
    common = (
        datetime.fromisoformat(data["timestamp"]),
        data["recorded_by"],
        data["source"],
        data["event_id"],
        data["hash"],
    )
    seq, target = data["originator_version"], data["target"]
    if topic == RETRACTED:
        return Entry(seq, RETRACT, None, {}, *common, target=target, reason=data["reason"])
    kind = next((e.kind for e in earlier if e.seq == target), None)
    stored: dict[str, Any] = data["fields"]
    versions = VERSIONS_OF_KIND.get(kind, ()) if kind is not None else ()
    shape = next((s for s in versions if tuple(stored) == s.fields), None)  # a correction written before an upcast
    if shape is None:
        return None
    fields = _payload(shape, stored)
    fields.update(shape.upcast)
    on = date.fromisoformat(data["on"])
    return Entry(seq, CORRECT, on, fields, *common, target=target, reason=data["reason"])
