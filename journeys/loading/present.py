"""Whether a line whose id is already in its child's stream is the event stored there: then the
line is already present (a load skips it), else it clashes with it (a load rejects it)."""

from __future__ import annotations

from typing import Any

from journeys.domain.actions import ACTION_KINDS
from journeys.domain.errors import JourneyError, RestoreMismatch
from journeys.domain.journey import Journey
from journeys.domain.payloads import parse_fields
from journeys.domain.timeline import CARERS_SEEN, CORRECT, LEGAL_HOLD, RETRACT, Entry
from journeys.loading.jsonl import LoadLine


def clash_with_stored(journey: Journey, line: LoadLine) -> str | None:
    """Why a line whose id is already in its child's stream is not that stored event (None
    when it is: the line is already present). Only an explicit ``id`` can clash: a content id
    is the same for the same content."""
    entry = next(e for e in journey.entries if e.event_id == line.event_id)
    if line.recorded is not None:  # a restored event: present when it is the stored one, hash and all
        if (entry.seq, entry.hash) == (line.recorded.seq, line.recorded.hash):
            return None
        return RestoreMismatch(
            f"event {line.recorded.seq} of child {line.child} (id {line.event_id!r}) is stored here as event "
            f"{entry.seq} with another hash: the child's stored events are not the export's"
        ).full_message()
    if line.kind in (CORRECT, RETRACT):
        by_seq = {e.seq: e.event_id for e in journey.entries}
        same = (
            entry.kind == line.kind
            and entry.target is not None
            and by_seq.get(entry.target) == line.target_id
            and (line.on is None or entry.on == line.on)
            and all(entry.fields.get(k) == v for k, v in fields_of_correction(journey, entry, line).items())
        )
    elif line.kind in ACTION_KINDS:  # an action's entry is dated by when it is due
        same = entry.kind == line.kind and {k: v for k, v in entry.fields.items() if v is not None} == {
            k: v for k, v in line.fields.items() if v is not None
        }
    elif line.kind == LEGAL_HOLD:
        same = entry.kind == line.kind and dict(entry.fields) == dict(line.fields) and entry.reason == line.reason
    elif line.kind == CARERS_SEEN:
        same = entry.kind == line.kind and entry.on == line.on and dict(entry.fields) == dict(line.fields)
    else:
        same = entry.kind == line.kind and entry.on == line.on and _same_fields(entry, line)
    if same:
        return None
    return (
        f"the id {line.event_id!r} is already used for child {line.child} by a different event "
        f"(event {entry.seq}, {entry.kind}{' on ' + str(entry.on) if entry.on else ''}) — "
        "give this line a new id, or drop the id to have one made from its content"
    )


def _same_fields(entry: Entry, line: LoadLine) -> bool:
    """Whether a line's fields are the stored decision's: as they are, or with the kind's defaults
    filled in. A JSONL line's fields come validated, defaults and all; an import's lines carry only
    the fields its rows give, so a line of an import whose decision another import stored meanwhile
    reads {} where the stored match holds {"adopters": None}: the same decision, not a clash."""
    if dict(entry.fields) == dict(line.fields):
        return True
    try:
        return dict(entry.fields) == dict(parse_fields(line.kind, line.fields))
    except JourneyError:
        return False


def fields_of_correction(journey: Journey, entry: Entry, line: LoadLine) -> dict[str, Any]:
    """A correction line's fields as its stored correction holds them (validated for the
    corrected decision's kind); the line's own fields when they cannot be validated."""
    target = next((e for e in journey.entries if e.seq == entry.target), None)
    if target is None or not line.fields:
        return dict(line.fields)
    try:
        return {
            k: v for k, v in parse_fields(target.kind, {**target.fields, **line.fields}).items() if k in line.fields
        }
    except JourneyError:
        return dict(line.fields)
