"""The JSONL interchange format: one event per line, as `journeys load` reads and `export` writes.

A decision line: ``{"la": "825", "child": "C001", "event": "match", "on": "2015-04-02"}``
plus the kind's fields and an optional ``id``. Corrections, retractions and surgery
actions round-trip too (``"event": "correct"`` with ``"corrects": ID``, ``"retract"``
with ``"retracts": ID``, ``"action"``, ``"action-edited"``, ``"action-done"`` and
``"action-cancelled"``).

`export` writes every stored event, the stream's opening one (``"event": "opened"``)
included, with a ``"recorded"`` member (see :mod:`journeys.loading.lossless`): such a line
restores the event as it was stored, its recording time, user, source and hash. A line
without it (``export --plain``, or one written by hand) is recorded anew by the load.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from journeys.domain.errors import InvalidEvent, JourneyError
from journeys.domain.identity import content_id, journey_id
from journeys.domain.inputs import case_key, child_reference, free_text
from journeys.domain.payloads import parse_date, parse_fields
from journeys.domain.timeline import (
    ACTION_ADDED,
    ACTION_CANCELLED,
    ACTION_DONE,
    ACTION_EDITED,
    CARERS_SEEN,
    CORRECT,
    LEGAL_HOLD,
    RETRACT,
    Entry,
)
from journeys.loading.lossless import KEY, OPENED, RECORDED, Recorded, parse_recorded, recorded_member
from journeys.progress import Progress

if TYPE_CHECKING:
    from journeys.application import JourneysApp

META_KEYS = frozenset({"la", "child", "event", "on", "id", RECORDED})


class LoadLine(NamedTuple):
    """One parsed line: a decision, a correction, a retraction or an action. (A named
    tuple: a load makes one per line, and a tuple is made several times faster than a
    frozen dataclass.)"""

    line_no: int
    la: str
    child: str
    kind: str
    event_id: str
    on: date | None = None
    fields: Mapping[str, Any] = MappingProxyType({})
    target_id: str | None = None
    reason: str | None = None
    source: str | None = None  # where the fact came from; default ``load:<file>:<line>``
    recorded: Recorded | None = None  # how it was recorded, on a lossless line (it then restores the event)


@dataclass(frozen=True)
class Rejected:
    line_no: int
    reason: str


def _text(data: Mapping[str, Any], key: str, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidEvent(f"missing {key!r}")
        return None
    if not isinstance(value, str | int):
        raise InvalidEvent(f"{key!r} must be a string")
    return str(value).strip()


def parse_object(data: Any, line_no: int, default_la: str | None) -> LoadLine:
    """A line's JSON value (already decoded) as a LoadLine."""
    if not isinstance(data, dict):
        raise InvalidEvent("a line must be a JSON object")
    la = _text(data, "la", required=False) or default_la
    if not la:
        raise InvalidEvent("no 'la' on the line and no default local authority (--la)")
    child = child_reference(_text(data, "child"))
    kind = _text(data, "event")
    assert kind is not None
    rest = {k: val for k, val in data.items() if k not in META_KEYS}
    explicit_id = _text(data, "id", required=False)
    if RECORDED in data:
        recorded = parse_recorded(data[RECORDED])
        line = _parse_kind(data, line_no, la, child, kind, rest, explicit_id)
        return line._replace(recorded=recorded, source=recorded.source)
    if kind == OPENED:
        raise InvalidEvent(
            "an 'opened' line restores a stream's opening event: it needs the 'recorded' member export writes",
            "drop the line: a child's journey is opened by its first event",
        )
    return _parse_kind(data, line_no, la, child, kind, rest, explicit_id)


def _parse_kind(
    data: dict[str, Any], line_no: int, la: str, child: str, kind: str, rest: dict[str, Any], explicit_id: str | None
) -> LoadLine:
    """A line of ``kind`` as a LoadLine, its local authority, child and the rest of its keys read."""
    if kind == OPENED:
        opening_id = f"opened:{la}:{child}"
        key = rest.pop(KEY, None)
        if rest or "on" in data or explicit_id not in (None, opening_id) or not isinstance(key, str | None):
            raise InvalidEvent(f"an 'opened' line carries only la, child, recorded, key and the id {opening_id!r}")
        return LoadLine(line_no, la, child, OPENED, opening_id, fields={} if key is None else {KEY: key})
    if kind in (CORRECT, RETRACT):
        target = _text(rest, "corrects" if kind == CORRECT else "retracts")
        reason = free_text(_text(rest, "reason"), "the reason")
        values = _correction_fields(rest)
        on = parse_date(data["on"], "on") if "on" in data and data["on"] is not None else None
        if kind == RETRACT and (values or on):
            raise InvalidEvent("a retraction carries only 'retracts' and 'reason'")
        event_id = explicit_id or content_id(la, child, kind, on, {**values, "target": target})
        return LoadLine(line_no, la, child, kind, event_id, on, values, target, reason)
    if kind in _ACTION_KEYS:
        values = _action_fields(kind, rest)
        event_id = explicit_id or content_id(la, child, kind, None, rest)
        return LoadLine(line_no, la, child, ACTION_ADDED if kind == "action" else kind, event_id, None, values)
    if kind == CARERS_SEEN:
        if set(rest) != {"since"} or "on" not in data:
            raise InvalidEvent("a carers-seen line carries 'on' (the episode's start) and 'since' (the carers')")
        on, since = parse_date(data["on"], "on"), parse_date(rest["since"], "since")
        event_id = explicit_id or content_id(la, child, kind, on, {"since": since})
        return LoadLine(line_no, la, child, kind, event_id, on, {"since": since})
    if kind == LEGAL_HOLD:
        lifted = rest.get("lifted", False)
        if set(rest) - {"reason", "lifted"} or "on" in data or type(lifted) is not bool:
            raise InvalidEvent("a legal-hold line carries only 'reason' and 'lifted' (true or false)")
        reason = free_text(_text(rest, "reason"), "the reason")
        event_id = explicit_id or content_id(la, child, kind, None, {"reason": reason, "lifted": lifted})
        return LoadLine(line_no, la, child, kind, event_id, None, {"lifted": lifted}, None, reason)
    if "on" not in data:
        raise InvalidEvent("missing 'on' (the date the decision took effect)")
    on = parse_date(data["on"], "on")
    values = parse_fields(kind, rest)
    event_id = explicit_id or content_id(la, child, kind, on, values)
    return LoadLine(line_no, la, child, kind, event_id, on, values)


# A correction line's own keys; a corrected field of one of these names goes in its "fields" member.
FIELDS = "fields"
_CORRECTION_KEYS = frozenset({"id", "la", "child", "event", "corrects", "retracts", "on", "reason", FIELDS, RECORDED})


def _correction_fields(rest: Mapping[str, Any]) -> dict[str, Any]:
    """A correction's (or retraction's) corrected fields: the line's other keys, or its
    ``"fields"`` object, which then holds them all."""
    values = {k: val for k, val in rest.items() if k not in ("corrects", "retracts", "reason")}
    if FIELDS not in values:
        return values
    nested = values.pop(FIELDS)
    if not isinstance(nested, dict) or values:
        raise InvalidEvent(
            "a correction's 'fields' is an object holding every corrected field, with none beside it",
            'write {"fields": {"reason": "MAT", ...}} or the fields beside corrects, on and reason',
        )
    return dict(nested)


# What an action line carries: its keys, and which of them it needs.
_ACTION_KEYS = {
    "action": ("action_id", "text", "owner", "due"),
    ACTION_EDITED: ("action_id",),
    ACTION_DONE: ("action_id",),
    ACTION_CANCELLED: ("action_id", "reason"),
}
_ACTION_OPTIONAL = {"action": (), ACTION_EDITED: ("owner", "due", "text"), ACTION_DONE: ("note",), ACTION_CANCELLED: ()}


def _action_fields(kind: str, rest: Mapping[str, Any]) -> dict[str, Any]:
    """An ``action`` or ``action-done`` line's fields, checked as the journey's commands check
    them (text without control characters, the due date in a documented form)."""
    required, optional = _ACTION_KEYS[kind], _ACTION_OPTIONAL[kind]
    extra = sorted(set(rest) - set(required) - set(optional))
    if extra:
        raise InvalidEvent(
            f"{kind} has no field {extra[0]!r}", f"an {kind} line carries {', '.join(required + optional)}"
        )
    values: dict[str, Any] = {}
    for key in required:
        value = rest.get(key)
        if not isinstance(value, str) or not value.strip():
            raise InvalidEvent(f"{kind}: missing {key!r}" if value is None else f"{kind}: {key!r} must be text")
        values[key] = value.strip() if key != "text" else value
    for key in optional:
        value = rest.get(key)
        if value is not None and not isinstance(value, str):
            raise InvalidEvent(f"{kind}: {key!r} must be text")
        values[key] = value
    for key, value in values.items():
        if key != "due" and value is not None:
            free_text(value, f"{kind} {key}")
    if values.get("due") is not None:
        values["due"] = parse_date(values["due"], "due")
    return values


def read_lines(
    lines: Iterable[str | bytes], default_la: str | None, part: tuple[int, int] | None = None
) -> Iterator[LoadLine | Rejected]:
    """Parse JSONL lines (text, or bytes read as UTF-8); blank lines are skipped, bad ones
    (including bytes that are not UTF-8) become Rejected. A byte order mark opening the first
    line, as Windows editors write, is ignored.

    With ``part=(index, parts)`` only the lines of one part of the children are parsed (see
    :func:`part_of`); a line that names no child is in part 0, so it is rejected once.
    Line numbers are those of the whole input either way.
    """
    for line_no, raw in enumerate(lines, start=1):
        try:
            data = orjson.loads(raw)  # most lines: a JSON value, read straight from the bytes
        except orjson.JSONDecodeError:
            data = _read_slowly(raw, line_no)  # blank, a byte order mark, not UTF-8, not JSON
            if data is _BLANK:
                continue
            if isinstance(data, Rejected):
                if part is None or part[0] == 0:
                    yield data
                continue
        if part is not None and part_of(data, default_la, part[1]) != part[0]:
            continue
        try:
            yield parse_object(data, line_no, default_la)
        except JourneyError as error:
            yield Rejected(line_no, str(error))


_BLANK = object()


def _read_slowly(raw: str | bytes, line_no: int) -> Any:
    """A line that is not plain JSON: its JSON value once a first line's byte order mark is
    dropped, ``_BLANK`` for a blank line, or a Rejected saying why it cannot be read."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return Rejected(line_no, f"not UTF-8 text (byte {error.start + 1} of the line): save the file as UTF-8")
    else:
        text = raw
    if line_no == 1:
        text = text.removeprefix("\ufeff")
    if not text.strip():
        return _BLANK
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:
        return Rejected(line_no, str(InvalidEvent(f"not valid JSON ({error})")))


def part_of(data: Any, default_la: str | None, parts: int) -> int:
    """Which of ``parts`` parts a decoded line belongs to: every line of one child (local
    authority and child reference) in the same part, whichever process reads it, and with
    it every child whose reference differs from it only by case (so that whether a new one
    clashes with it is decided in file order, as in one process); a line that names no
    child in part 0."""
    if parts == 1 or not isinstance(data, dict):
        return 0
    la, child = data.get("la"), data.get("child")
    try:
        if not (type(la) is str and type(child) is str and (la := la.strip())):
            # the local authority and child as parse_object reads them
            la, child = _text(data, "la", required=False) or default_la, _text(data, "child")
        folded = case_key(child_reference(child))  # the reference as stored (NFKC), case aside
    except JourneyError:
        return 0
    return zlib.crc32(f"{la}\x00{folded}".encode()) % parts


def export_line(
    la: str, child: str, entry: Entry, ids_by_seq: Mapping[int, str], *, plain: bool = False
) -> dict[str, Any] | None:
    """The JSONL object for one entry, with its ``"recorded"`` member; ``plain``: without it,
    and None for the stream's opening event."""
    line = _plain_line(la, child, entry, ids_by_seq, plain)
    if plain or line is None:
        return line
    return {**line, RECORDED: recorded_member(entry)}


def _plain_line(la: str, child: str, entry: Entry, ids_by_seq: Mapping[int, str], plain: bool) -> dict[str, Any] | None:
    head: dict[str, Any] = {"id": entry.event_id, "la": la, "child": child}
    every = orjson.loads(orjson.dumps(dict(entry.fields)))
    # a lossless line holds every field, as stored; a plain one leaves out those left empty
    fields = every if not plain else {k: val for k, val in every.items() if val not in (None, [])}
    if entry.kind == OPENED:
        return None if plain else {**head, "event": OPENED}
    if entry.is_decision:
        return {**head, "event": entry.kind, "on": entry.on.isoformat() if entry.on else None, **fields}
    if entry.kind == CORRECT:
        assert entry.on is not None and entry.target is not None
        # all of a correction's fields (one it set to none, cleared, stays none): beside the
        # line's own keys, or in a "fields" member when one of them is also a field's name (a
        # plan change's or a disruption's RD `reason` beside the correction's own reason)
        fields_member = {FIELDS: every} if set(every) & _CORRECTION_KEYS else every
        return {
            **head,
            "event": CORRECT,
            "corrects": ids_by_seq[entry.target],
            "on": entry.on.isoformat(),
            **fields_member,
            "reason": entry.reason,
        }
    if entry.kind == RETRACT:
        assert entry.target is not None
        return {**head, "event": RETRACT, "retracts": ids_by_seq[entry.target], "reason": entry.reason}
    if entry.kind == ACTION_ADDED:
        return {**head, "event": "action", **fields}
    if entry.kind in (ACTION_EDITED, ACTION_DONE, ACTION_CANCELLED):
        return {**head, "event": entry.kind, **fields}
    if entry.kind == LEGAL_HOLD:
        return {**head, "event": LEGAL_HOLD, "reason": entry.reason, "lifted": entry.fields["lifted"]}
    if entry.kind == CARERS_SEEN:
        assert entry.on is not None
        return {**head, "event": CARERS_SEEN, "on": entry.on.isoformat(), "since": entry.fields["since"].isoformat()}
    return None


def export_lines(
    app: JourneysApp, progress: Progress | None = None, *, plain: bool = False
) -> Iterator[dict[str, Any]]:
    """Every stream of ``app``'s store as JSONL objects, loadable into another store with
    :func:`journeys.loading.load_lines`: every stored event, restored exactly by the load
    (``plain``: every event but the opening ones, without how they were recorded, loaded as
    new events); ``progress`` is told how many stored events the lines so far came from, of
    :meth:`JourneysApp.head` in all."""
    total = app.head() if progress is not None else 0
    done = 0
    keys = app.recorder.child_keys
    for la, child, entries in app.streams():
        ids = {e.seq: e.event_id for e in entries}
        for entry in entries:
            line = export_line(la, child, entry, ids, plain=plain)
            if line is not None:
                if keys is not None and entry.kind == OPENED:  # an erasable store's: the child's own key
                    key = keys.key_text(journey_id(la, child))
                    if key is not None:
                        line = {**line, KEY: key}
                yield line
        if progress is not None:
            done += len(entries)
            progress(min(done, total), total)
    if progress is not None:
        progress(total, total)
