"""The journey of a load: its decisions and corrections sealed without an event object.

A load's lines were validated when they were read, and the rules are checked by the
journey's commands as always; what a load saves is each event's stored JSON content, which
:meth:`Journey.Event.content_of` makes from the values as well as from an event. So a
:class:`SealedJourney` seals a decision or a correction straight from its values: the
content, hash, entry and the journey's state are those a pydantic event object would give
(a property test holds the two paths byte-identical), at a fraction of the cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import CanMutateAggregate

from journeys.domain.hashing import GENESIS
from journeys.domain.journey import Journey, SealedEvent
from journeys.domain.protected import Protection
from journeys.domain.rules import TimelineCheck
from journeys.domain.sealing import seal_content, stored_topic
from journeys.domain.timeline import Entry, new_entry


class SealedJourney(Journey):
    """A journey whose decisions and corrections are sealed as their stored JSON content,
    collected by :meth:`collect_sealed`; its other events go through their event objects."""

    TOPIC = "journeys.sealed_journey.v1"  # the library wants one; never stored (see Journey._opening)

    # Journey's own event classes: for a subclass the library would otherwise define a
    # subclass of each, claiming the same topic.
    Event = Journey.Event
    Created = Journey.Created  # type: ignore[assignment]  # (the library redefined it for Journey)
    Opened = Journey.Opened
    Decided = Journey.Decided
    ChildDetailsRecorded = Journey.ChildDetailsRecorded
    EnteredCare = Journey.EnteredCare
    EnteredCareV1 = Journey.EnteredCareV1
    ProceedingsIssued = Journey.ProceedingsIssued
    ProceedingsConcluded = Journey.ProceedingsConcluded
    FamilyFindingStarted = Journey.FamilyFindingStarted
    PlanChanged = Journey.PlanChanged
    AdoptionDecided = Journey.AdoptionDecided
    PlacementOrderMade = Journey.PlacementOrderMade
    Reviewed = Journey.Reviewed
    Matched = Journey.Matched
    Placed = Journey.Placed
    Disrupted = Journey.Disrupted
    AdoptionOrderMade = Journey.AdoptionOrderMade
    LeftCare = Journey.LeftCare
    PlanDecided = Journey.PlanDecided
    SpecialGuardianshipOrderMade = Journey.SpecialGuardianshipOrderMade
    ChildArrangementsOrderMade = Journey.ChildArrangementsOrderMade
    LongTermFosteringMatched = Journey.LongTermFosteringMatched
    LongTermFosteringBrokeDown = Journey.LongTermFosteringBrokeDown
    LeftCareV1 = Journey.LeftCareV1
    Corrected = Journey.Corrected
    Retracted = Journey.Retracted
    ActionAdded = Journey.ActionAdded
    ActionDone = Journey.ActionDone
    LegalHold = Journey.LegalHold
    ActionEdited = Journey.ActionEdited
    ActionCancelled = Journey.ActionCancelled
    CarersSeen = Journey.CarersSeen
    Erased = Journey.Erased

    def __init__(self, la: str, child: str) -> None:
        super().__init__(la, child)
        self._sealed: dict[int, tuple[str, dict[str, Any]]] = {}  # (stored topic, content) by version

    @classmethod
    def open(
        cls,
        la: str,
        child: str,
        *,
        recorded_at: datetime,
        recorded_by: str,
        source: str,
        protection: Protection | None = None,
    ) -> SealedJourney:
        """A new journey, its ``opened`` event sealed and pending: the journey built as the
        event's ``mutate`` builds it (the library's base init, then ours)."""
        values = cls._opening(la, child, recorded_at, recorded_by, source)
        content = Journey.Opened.content_of(values)
        event_hash = seal_content(GENESIS, Journey.Opened.TOPIC, content, protection)
        journey = cls.__new__(cls)
        journey.__base_init__(values["originator_id"], 1, recorded_at)
        journey.__init__(la, child)  # type: ignore[misc]
        journey.protection = protection
        event_id: str = values["event_id"]
        fields = {"la": la, "child": child}
        entry = Entry(1, "opened", None, fields, recorded_at, recorded_by, source, event_id, event_hash)
        journey._seal(Journey.Opened, content, entry)
        journey._decisions, journey._check = [], TimelineCheck((), recorded_at.date())  # none yet
        return journey

    @classmethod
    def of(cls, journey: Journey) -> SealedJourney:
        """``journey`` (one read from the store) as a sealed journey, which takes over its
        state, pending events included: use the journey returned, not ``journey``."""
        if isinstance(journey, SealedJourney):
            return journey
        sealed = cls.__new__(cls)
        sealed.__dict__.update(vars(journey))
        sealed._sealed = {}
        return sealed

    def _append(
        self, event_class: type[Journey.Event], values: dict[str, Any], entry_fields: Mapping[str, Any] | None = None
    ) -> None:
        """A decision or a correction (``entry_fields`` given) sealed from its validated
        ``values`` as its stored JSON content, the journey changed as its event's ``mutate``
        would change it; any other event through its event object."""
        if entry_fields is None:
            super()._append(event_class, values)
            return
        self.refuse_if_erased()
        content = event_class.content_of(values)
        event_hash = seal_content(self.head_hash, event_class.TOPIC, content, self.protection)
        self._check_restored(event_hash)
        correction = event_class is Journey.Corrected
        entry = new_entry(
            values["originator_version"],
            event_class.KIND,
            values["on"],
            dict(entry_fields),
            values["timestamp"],
            values["recorded_by"],
            values["source"],
            values["event_id"],
            event_hash,
            values["target"] if correction else None,
            values["reason"] if correction else None,
        )
        self._seal(event_class, content, entry)

    def _seal(self, event_class: type[Journey.Event], content: dict[str, Any], entry: Entry) -> None:
        """What ``mutate()`` and ``_remember()`` do for an event with this ``entry``; its
        sealed ``content`` left pending."""
        self.entries.append(entry)
        self.event_ids.add(entry.event_id)
        self.head_hash = entry.hash
        self._decisions = None
        self._check = None
        self.version = entry.seq
        self.modified_on = entry.recorded_at
        self._sealed[entry.seq] = (stored_topic(event_class), content)

    def collect_events(self) -> Sequence[CanMutateAggregate[UUID]]:
        if self._sealed:
            raise RuntimeError("events recorded in bulk are collected by collect_sealed(), not saved one by one")
        return super().collect_events()

    def collect_sealed(self) -> list[SealedEvent]:
        """As :meth:`Journey.collect_sealed`, the events sealed without an event object
        among them."""
        sealed, self._sealed = self._sealed, {}
        collected = super().collect_sealed()
        if collected:
            collected.extend((self.id, version, topic, content) for version, (topic, content) in sealed.items())
            collected.sort(key=lambda event: event[1])
            return collected
        return [(self.id, version, topic, content) for version, (topic, content) in sealed.items()]
