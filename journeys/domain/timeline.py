"""A child's timeline: recorded entries, and the decisions in force at two dates.

Recording time and effective time are separate axes. ``known_at`` keeps only what had been
recorded by then (corrections and retractions included); ``as_at`` keeps only the decisions
that had taken effect by then. Nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from journeys.domain.vocabulary import KIND_RANK

CORRECT = "correct"
RETRACT = "retract"
ACTION_ADDED = "action-added"
ACTION_DONE = "action-done"
LEGAL_HOLD = "legal-hold"
ACTION_EDITED = "action-edited"
ACTION_CANCELLED = "action-cancelled"
# Not a decision: what a 903 return's episodes show of the carers a child lives with (see
# Journey.CarersSeen); the import reads it back to date a later placement with those carers.
CARERS_SEEN = "carers-seen"
ERASED = "erased"
_CHANGES = frozenset({CORRECT, RETRACT})


@dataclass(frozen=True, slots=True)
class Entry:
    """One recorded event of a child's stream, in the domain's terms."""

    seq: int
    kind: str
    on: date | None
    fields: Mapping[str, Any]
    recorded_at: datetime
    recorded_by: str
    source: str
    event_id: str
    hash: str
    target: int | None = None
    reason: str | None = None

    @property
    def is_decision(self) -> bool:
        return self.kind in KIND_RANK


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision as it stands after corrections: what took effect, and when."""

    seq: int
    kind: str
    on: date
    fields: Mapping[str, Any] = field(default_factory=dict)
    corrected_by: tuple[int, ...] = ()

    def sort_key(self) -> tuple[date, int, int]:
        return (self.on, KIND_RANK[self.kind], self.seq)

    def same_as(self, other: Decision) -> bool:
        return self.kind == other.kind and self.on == other.on and dict(self.fields) == dict(other.fields)


# An Entry built without its frozen dataclass ``__init__`` (which sets each of the eleven
# fields through ``object.__setattr__``): the slots' own setters, about half the cost. The
# result is the same frozen Entry; the field order is checked here, once.
_ENTRY_FIELDS = (
    "seq",
    "kind",
    "on",
    "fields",
    "recorded_at",
    "recorded_by",
    "source",
    "event_id",
    "hash",
    "target",
    "reason",
)
assert tuple(Entry.__dataclass_fields__) == _ENTRY_FIELDS, "Entry's fields changed: update new_entry"
_SET = tuple(getattr(Entry, name).__set__ for name in _ENTRY_FIELDS)
_new = object.__new__


def new_entry(
    seq: int,
    kind: str,
    on: date | None,
    fields: dict[str, Any],
    recorded_at: datetime,
    recorded_by: str,
    source: str,
    event_id: str,
    hashed: str,
    target: int | None = None,
    reason: str | None = None,
) -> Entry:
    """``Entry(seq, kind, on, fields, recorded_at, recorded_by, source, event_id, hashed,
    target, reason)``."""
    entry: Entry = _new(Entry)
    s = _SET
    s[0](entry, seq)
    s[1](entry, kind)
    s[2](entry, on)
    s[3](entry, fields)
    s[4](entry, recorded_at)
    s[5](entry, recorded_by)
    s[6](entry, source)
    s[7](entry, event_id)
    s[8](entry, hashed)
    s[9](entry, target)
    s[10](entry, reason)
    return entry


def known_by(entries: Iterable[Entry], known_at: datetime | None) -> list[Entry]:
    """The entries recorded at or before ``known_at`` (all of them when None)."""
    if known_at is None:
        return list(entries)
    if known_at.tzinfo is None:
        known_at = known_at.replace(tzinfo=UTC)
    return [e for e in entries if e.recorded_at <= known_at]


def effective_decisions(entries: Iterable[Entry]) -> list[Decision]:
    """Apply corrections and retractions, in recording order; sort by effective date.

    Ties on the same date follow the journey's natural order (entered care before the
    adoption decision before the placement order ...), then recording order.
    """
    entries = entries if isinstance(entries, list) else list(entries)
    # Fast path: most streams hold no correction or retraction and come in recording order;
    # each decision then stands as recorded. Anything else takes the general path below.
    decisions: list[Decision] = []
    previous = -1
    for entry in entries:
        kind = entry.kind
        if kind in _CHANGES or entry.seq <= previous:
            return apply_changes(entries)
        previous = entry.seq
        if kind in KIND_RANK:
            assert entry.on is not None
            decisions.append(Decision(entry.seq, kind, entry.on, entry.fields))
    decisions.sort(key=_effective_order)
    return decisions


def _effective_order(decision: Decision) -> tuple[date, int, int]:
    return (decision.on, KIND_RANK[decision.kind], decision.seq)


def apply_changes(entries: Iterable[Entry]) -> list[Decision]:
    """The general path of :func:`effective_decisions`: entries in any order, with
    corrections and retractions (public so that the fast path can be held to it)."""
    current: dict[int, Decision] = {}
    for entry in sorted(entries, key=lambda e: e.seq):
        if entry.is_decision:
            assert entry.on is not None
            current[entry.seq] = Decision(entry.seq, entry.kind, entry.on, entry.fields)
        elif entry.kind == CORRECT and entry.target in current:
            before = current[entry.target]
            current[entry.target] = Decision(
                before.seq,
                before.kind,
                entry.on or before.on,
                {**before.fields, **entry.fields},
                (*before.corrected_by, entry.seq),
            )
        elif entry.kind == RETRACT and entry.target in current:
            del current[entry.target]
    return sorted(current.values(), key=_effective_order)


def in_effect_by(decisions: Iterable[Decision], as_at: date | None) -> list[Decision]:
    """The decisions that had taken effect on or before ``as_at`` (all when None)."""
    if as_at is None:
        return list(decisions)
    return [d for d in decisions if d.on <= as_at]


def decisions_at(
    entries: Iterable[Entry], *, known_at: datetime | None = None, as_at: date | None = None
) -> list[Decision]:
    """The child's decisions as known at ``known_at`` and in effect at ``as_at``."""
    decisions = effective_decisions(known_by(entries, known_at))
    return decisions if as_at is None else in_effect_by(decisions, as_at)


def superseded_seqs(entries: Iterable[Entry]) -> set[int]:
    """Seqs of decisions that a later correction or retraction supersedes."""
    return {e.target for e in entries if e.kind in (CORRECT, RETRACT) and e.target is not None}
