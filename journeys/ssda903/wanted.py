"""What an import wants a child's journey to hold, and what the store already holds.

A :class:`Wanted` event is one decision derived from 903 rows, with a natural key that
gives it a deterministic id: importing the same facts again finds the same id. A
:class:`StoredJourney` is the child's journey as stored, seen from the importer's side: which
903 facts it holds, from which return, and its periods of care.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import uuid5

from journeys.domain.identity import JOURNEYS_NAMESPACE
from journeys.domain.rules import Period, replay
from journeys.domain.timeline import CARERS_SEEN, Decision, Entry, effective_decisions
from journeys.ssda903.tables import Row

INFERRED = "start of care inferred: the earliest episode given is not RNE = S"
BOUNDED_END = "end of care bounded: the period is open at the return's year end, a later start of care is held"
_SOURCE = re.compile(r"^903:(\d{4})/")


@dataclass
class Wanted:
    """One decision an import derives, keyed by the 903 fact it comes from."""

    kind: str
    key: str  # the natural key of the fact, e.g. the DECOM of the episode
    on: date
    fields: dict[str, Any]
    row: Row  # the row it comes from
    column: str  # the column that gives it (named in rejects)
    span: tuple[date, date | None] | None = None  # for first-of kinds: where an earlier view may lie
    inferred: bool = False
    unknown: frozenset[str] = frozenset()  # fields these rows cannot tell (keep what the store has)
    supporters: list[Row] = field(default_factory=list)  # other rows that stand or fall with it

    def event_id(self, la: str, child: str) -> str:
        return str(uuid5(JOURNEYS_NAMESPACE, f"903:{la}:{child}:{self.kind}:{self.key}"))

    @property
    def source(self) -> str:
        text = f"903:{self.row.where}"
        if not self.inferred:
            return text
        return f"{text} ({INFERRED if self.kind == 'entered-care' else BOUNDED_END})"


@dataclass(frozen=True)
class Known:
    """A decision in the store: its id, its value now, and where that value came from."""

    event_id: str
    decision: Decision
    source: str

    @property
    def from_903(self) -> bool:
        return self.source.startswith("903:")

    @property
    def year(self) -> int | None:
        found = _SOURCE.match(self.source)
        return int(found.group(1)) if found else None

    @property
    def inferred(self) -> bool:
        """A start (or end) of care only bounded: marked ``on_or_before`` (or, a start recorded
        before that field, by its source)."""
        return self.decision.fields.get("on_or_before") is True or INFERRED in self.source


class StoredJourney:
    """A child's stored journey as the importer needs it."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        entries = list(entries)
        by_seq = {e.seq: e for e in entries}
        self.exists = bool(entries)
        # what older returns showed of the carers: the episode's start -> the carers' start
        seen = [e for e in entries if e.kind == CARERS_SEEN]
        self.carers: dict[date, date] = {e.on: e.fields["since"] for e in seen if e.on is not None}
        self.seen_ids = {e.event_id for e in seen}
        self.known: dict[str, Known] = {}
        decisions = effective_decisions(entries)
        for d in decisions:
            latest = by_seq[d.corrected_by[-1]] if d.corrected_by else by_seq[d.seq]
            original = by_seq[d.seq]
            self.known[original.event_id] = Known(original.event_id, d, latest.source)
        self.periods: list[Period] = [p for p in replay(decisions).periods if p.entered_care is not None]

    def period_containing(self, day: date) -> Period | None:
        for period in self.periods:
            assert period.entered_care is not None
            if period.entered_care <= day and (period.ended is None or day < period.ended):
                return period
        return None

    def later_exact_start(self, day: date) -> date | None:
        """The earliest stored start of care after ``day`` known exactly (not ``on_or_before``)."""
        starts = [
            k.decision.on
            for k in self.known.values()
            if k.decision.kind == "entered-care" and k.decision.on > day and not k.inferred
        ]
        return min(starts, default=None)

    def bounded_end(self, day: date) -> Known | None:
        """The stored end of care only bounded (a ``left-care`` marked ``on_or_before``) of the
        stored period that holds ``day`` (its bound included)."""
        for period in self.periods:
            assert period.entered_care is not None
            if period.ended is None or not period.entered_care <= day <= period.ended:
                continue
            for known in self.known.values():
                d = known.decision
                if d.kind == "left-care" and d.on == period.ended and d.fields.get("on_or_before"):
                    return known
        return None

    def placed_on(self, day: date, period: Period) -> bool:
        """Whether the stored journey has the child placed for adoption on ``day``."""
        placed = False
        for d in period.decisions:
            if d.on > day:
                break
            if d.kind == "placed":
                placed = True
            elif d.kind in ("disruption", "adoption-order", "left-care"):
                placed = False
        return placed

    def first_of_kind_in(self, kind: str, span: tuple[date, date | None], exclude: str) -> Known | None:
        """The earliest 903-sourced decision of ``kind`` whose date falls in ``span``."""
        start, end = span
        found = [
            k
            for k in self.known.values()
            if k.decision.kind == kind
            and k.from_903
            and k.event_id != exclude
            and start <= k.decision.on
            and (end is None or k.decision.on <= end)
        ]
        return min(found, key=lambda k: k.decision.on) if found else None
