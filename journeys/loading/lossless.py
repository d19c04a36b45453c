"""A lossless line's recording metadata: the ``"recorded"`` member `journeys export` writes.

Every stored event is exported with how it was recorded, so that a load into another store
restores it exactly (the same content, so the same hash chain)::

    "recorded": {"seq": 3, "at": "2016-03-31T17:02:11.402113Z", "by": "jsmith",
                 "source": "cli", "hash": "5d1f0c…"}

``seq`` is the event's version in its child's stream (the opening event, ``"event":
"opened"``, is 1); ``at`` the recording time (the stored ``timestamp``'s text: ISO 8601 in
UTC ending ``Z``, with the microseconds unless there are none); ``by`` and ``source`` who
and what recorded it; ``hash`` its chained hash.
A line without the member is a new event, recorded by the load as any hand-written line is.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, NamedTuple

from journeys.domain.errors import InvalidEvent
from journeys.domain.sealing import json_value
from journeys.domain.timeline import Entry

RECORDED = "recorded"
OPENED = "opened"  # the kind of a stream's first event, which only a lossless line restores
KEY = "key"  # an erasable store's 'opened' line: the child's own key (base64url), so its tokens seal alike
_HASH = re.compile(r"[0-9a-f]{64}")


class Recorded(NamedTuple):
    """How a stored event was recorded: its version in the stream, when, by whom, from where,
    and the hash it was sealed with."""

    seq: int
    at: datetime
    by: str
    source: str
    hash: str


def recorded_member(entry: Entry) -> dict[str, Any]:
    """The ``"recorded"`` member of a stored event's line."""
    return {
        "seq": entry.seq,
        "at": json_value(entry.recorded_at),  # the stored timestamp's own text
        "by": entry.recorded_by,
        "source": entry.source,
        "hash": entry.hash,
    }


def parse_recorded(value: Any) -> Recorded:
    """A line's ``"recorded"`` member, checked for form (whether it fits the child's stream,
    and whether the event seals to its hash, is for the load to say)."""
    if not isinstance(value, dict):
        raise InvalidEvent("'recorded' must be an object with seq, at, by, source and hash")
    extra = sorted(set(value) - set(Recorded._fields))
    missing = [key for key in Recorded._fields if key not in value]
    if extra or missing:
        problem = f"has no key {extra[0]!r}" if extra else f"misses {missing[0]!r}"
        raise InvalidEvent(f"'recorded' {problem}", "'recorded' holds seq, at, by, source and hash, as export writes")
    seq = value["seq"]
    if type(seq) is not int or seq < 1:
        raise InvalidEvent("'recorded' seq must be a whole number from 1 (the opening event)")
    by, source, event_hash = value["by"], value["source"], value["hash"]
    if not isinstance(by, str) or not isinstance(source, str):
        raise InvalidEvent("'recorded' by and source must be text")
    if not isinstance(event_hash, str) or not _HASH.fullmatch(event_hash):
        raise InvalidEvent("'recorded' hash must be 64 lower-case hex digits")
    return Recorded(seq, _recorded_at(value["at"]), by, source, event_hash)


def _recorded_at(text: Any) -> datetime:
    """The recording time of a ``"recorded"`` member: ISO 8601 with an offset, in UTC."""
    try:
        moment = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidEvent(f"'recorded' at {text!r} is not a time with its offset, as 2016-03-31T17:02:11.402113Z")
    return moment.astimezone(UTC)
