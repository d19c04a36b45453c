"""The Journey aggregate: one child's append-only stream of decision events.

Events are pydantic models (the library's aggregate8 pattern) with explicit, versioned
topics, so renaming a class never orphans a stored event. Every command checks the rules
on the timeline *with* the new event before triggering it: a refused command appends
nothing. Each event is sealed (its stored JSON content and its chained hash, see
:mod:`journeys.domain.sealing`) as it is triggered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, CanInitAggregate, CanMutateAggregate
from pydantic import BaseModel, ConfigDict

from journeys.domain import actions, inputs, payloads, shapes
from journeys.domain.entries import entry_of
from journeys.domain.errors import DuplicateEvent, EventNotFound, InvalidEvent, TamperedEvent
from journeys.domain.hashing import GENESIS
from journeys.domain.identity import journey_id
from journeys.domain.localday import london_date
from journeys.domain.protected import Protection
from journeys.domain.rules import TimelineCheck, check_timeline
from journeys.domain.sealing import SealableEvent, jsonable, sealed, stored_topic
from journeys.domain.timeline import (
    ACTION_ADDED,
    ACTION_CANCELLED,
    ACTION_DONE,
    ACTION_EDITED,
    CARERS_SEEN,
    CORRECT,
    ERASED,
    LEGAL_HOLD,
    RETRACT,
    Decision,
    Entry,
    effective_decisions,
)

# A pending event as it is stored: (stream id, version, stored topic, JSON content).
SealedEvent = tuple[UUID, int, str, dict[str, Any]]


class DomainEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    originator_id: UUID
    originator_version: int
    timestamp: datetime


class PydanticAggregate(Aggregate):
    class Event(DomainEvent, CanMutateAggregate[UUID]):
        pass

    class Created(Event, CanInitAggregate[UUID]):
        originator_topic: str


class Journey(PydanticAggregate):
    TOPIC = "journeys.journey.v1"

    class Event(PydanticAggregate.Event, SealableEvent):
        """Every event: when it was recorded (``timestamp``), by whom, from where, its hash."""

        TOPIC: ClassVar[str] = "journeys.event.v1"
        KIND: ClassVar[str] = ""
        recorded_by: str
        source: str
        event_id: str
        hash: str

        def apply(self, aggregate: Any) -> None:
            aggregate._remember(self)

    class Opened(Event, PydanticAggregate.Created):
        TOPIC: ClassVar[str] = "journeys.opened.v1"
        KIND: ClassVar[str] = "opened"
        la: str
        child: str

    class Decided(Event):
        TOPIC: ClassVar[str] = "journeys.decided.v1"
        on: date

    class ChildDetailsRecorded(Decided, payloads.ChildDetailsFields):
        TOPIC: ClassVar[str] = "journeys.child_details.v1"
        KIND: ClassVar[str] = "child-details"

    class EnteredCare(Decided, payloads.EnteredCareFields):
        """Payload version 2: ``on_or_before`` added. Written for a start of care only bounded;
        a start known exactly is still written as version 1, which holds it as it always has
        (so its stored bytes, hash and lossless export do not change)."""

        TOPIC: ClassVar[str] = "journeys.entered_care.v2"
        KIND: ClassVar[str] = "entered-care"

    class EnteredCareV1(Decided, payloads.EnteredCareV1Fields):
        """Payload version 1, read as version 2 by :meth:`upcast`."""

        TOPIC: ClassVar[str] = "journeys.entered_care.v1"
        KIND: ClassVar[str] = "entered-care"
        UPCAST: ClassVar[dict[str, Any]] = {"on_or_before": None}

        @classmethod
        def upcast(cls, values: Mapping[str, Any]) -> dict[str, Any]:
            """The version 2 payload of a version 1 event's ``values``."""
            return {"legal_status": values["legal_status"], **cls.UPCAST}

    class ProceedingsIssued(Decided):
        TOPIC: ClassVar[str] = "journeys.proceedings_issued.v1"
        KIND: ClassVar[str] = "proceedings-issued"

    class ProceedingsConcluded(Decided, payloads.ProceedingsConcludedFields):
        TOPIC: ClassVar[str] = "journeys.proceedings_concluded.v1"
        KIND: ClassVar[str] = "proceedings-concluded"

    class FamilyFindingStarted(Decided):
        TOPIC: ClassVar[str] = "journeys.family_finding.v1"
        KIND: ClassVar[str] = "family-finding"

    class PlanChanged(Decided, payloads.PlanChangeFields):
        TOPIC: ClassVar[str] = "journeys.plan_change.v1"
        KIND: ClassVar[str] = "plan-change"

    class AdoptionDecided(Decided):
        TOPIC: ClassVar[str] = "journeys.adoption_decision.v1"
        KIND: ClassVar[str] = "adoption-decision"

    class PlacementOrderMade(Decided, payloads.PlacementOrderFields):
        TOPIC: ClassVar[str] = "journeys.placement_order.v1"
        KIND: ClassVar[str] = "placement-order"

    class Reviewed(Decided, payloads.ReviewFields):
        TOPIC: ClassVar[str] = "journeys.review.v1"
        KIND: ClassVar[str] = "review"

    class Matched(Decided, payloads.MatchFields):
        TOPIC: ClassVar[str] = "journeys.match.v1"
        KIND: ClassVar[str] = "match"

    class Placed(Decided, payloads.PlacedFields):
        TOPIC: ClassVar[str] = "journeys.placed.v1"
        KIND: ClassVar[str] = "placed"

    class Disrupted(Decided, payloads.DisruptionFields):
        TOPIC: ClassVar[str] = "journeys.disruption.v1"
        KIND: ClassVar[str] = "disruption"

    class AdoptionOrderMade(Decided):
        TOPIC: ClassVar[str] = "journeys.adoption_order.v1"
        KIND: ClassVar[str] = "adoption-order"

    class LeftCare(Decided, payloads.LeftCareFields):
        """Payload version 2: ``on_or_before`` added (an end of care only bounded); an end known
        exactly is still written as version 1."""

        TOPIC: ClassVar[str] = "journeys.left_care.v2"
        KIND: ClassVar[str] = "left-care"

    class LeftCareV1(Decided, payloads.LeftCareV1Fields):
        """Payload version 1, read as version 2 by :meth:`upcast`."""

        TOPIC: ClassVar[str] = "journeys.left_care.v1"
        KIND: ClassVar[str] = "left-care"
        UPCAST: ClassVar[dict[str, Any]] = {"on_or_before": None}

        @classmethod
        def upcast(cls, values: Mapping[str, Any]) -> dict[str, Any]:
            """The version 2 payload of a version 1 event's ``values``."""
            return {"reason_code": values["reason_code"], **cls.UPCAST}

    # The permanence routes beyond adoption (docs/permanence.md; their rules: domain/route_rules.py)
    class PlanDecided(Decided, payloads.PlanDecisionFields):
        TOPIC: ClassVar[str] = "journeys.plan_decision.v1"
        KIND: ClassVar[str] = "plan-decision"

    class SpecialGuardianshipOrderMade(Decided, payloads.OrderFields):
        TOPIC: ClassVar[str] = "journeys.sgo_made.v1"
        KIND: ClassVar[str] = "sgo-made"

    class ChildArrangementsOrderMade(Decided, payloads.OrderFields):
        TOPIC: ClassVar[str] = "journeys.cao_made.v1"
        KIND: ClassVar[str] = "cao-made"

    class LongTermFosteringMatched(Decided, payloads.LtfMatchFields):
        TOPIC: ClassVar[str] = "journeys.ltf_match.v1"
        KIND: ClassVar[str] = "ltf-match"

    class LongTermFosteringBrokeDown(Decided, payloads.DisruptionFields):
        TOPIC: ClassVar[str] = "journeys.ltf_breakdown.v1"
        KIND: ClassVar[str] = "ltf-breakdown"

    class Corrected(Event):
        """Supersedes an earlier decision's date and fields; ``fields`` is the complete set."""

        TOPIC: ClassVar[str] = "journeys.correction.v1"
        KIND: ClassVar[str] = CORRECT
        target: int
        on: date
        fields: dict[str, Any]
        reason: str

    class Retracted(Event):
        TOPIC: ClassVar[str] = "journeys.retraction.v1"
        KIND: ClassVar[str] = RETRACT
        target: int
        reason: str

    class ActionAdded(Event):
        TOPIC: ClassVar[str] = "journeys.action_added.v1"
        KIND: ClassVar[str] = ACTION_ADDED
        action_id: str
        text: str
        owner: str
        due: date

    class ActionDone(Event):
        TOPIC: ClassVar[str] = "journeys.action_done.v1"
        KIND: ClassVar[str] = ACTION_DONE
        action_id: str
        note: str | None = None

    class LegalHold(Event):
        """A legal hold placed on the child's record (``lifted``: the hold in force ended):
        while one is in force the retention clock stops (journeys.domain.retention)."""

        TOPIC: ClassVar[str] = "journeys.legal_hold.v1"
        KIND: ClassVar[str] = LEGAL_HOLD
        reason: str
        lifted: bool = False

    class ActionEdited(Event):
        """A new owner, due date or text for an open action (only what changed is set)."""

        TOPIC: ClassVar[str] = "journeys.action_edited.v1"
        KIND: ClassVar[str] = ACTION_EDITED
        action_id: str
        owner: str | None = None
        due: date | None = None
        text: str | None = None

    class CarersSeen(Event):
        """Not a decision: a 903 return's episodes show the child living with the same carers since
        ``since`` through the episode that began ``on``, open at the return's year end. A later
        return's placement with those carers (A3/A5) reads its ``carers_since`` from it."""

        TOPIC: ClassVar[str] = "journeys.carers_seen.v1"
        KIND: ClassVar[str] = CARERS_SEEN
        on: date
        since: date

    class ActionCancelled(Event):
        TOPIC: ClassVar[str] = "journeys.action_cancelled.v1"
        KIND: ClassVar[str] = ACTION_CANCELLED
        action_id: str
        reason: str

    class Erased(Event):
        """The child's identifying values made unreadable for good (their key destroyed, see
        docs/data-protection.md): why, and the retention override if the record was not yet
        due. It holds no protected value; the year of birth is the residue kept in clear."""

        TOPIC: ClassVar[str] = "journeys.erased.v1"
        KIND: ClassVar[str] = ERASED
        reason: str
        retention_override: str | None = None
        year_of_birth: int | None = None

    # The hash the next event must seal to, when it restores an event stored elsewhere (a line
    # of a lossless export): see restoring(). A class default, so journeys read back have it.
    _restored_hash: str | None = None
    # The child's protection on an erasable store (its key), set by the app on every journey
    # it opens or reads; None on a store of sealing format 1.
    protection: Protection | None = None

    def __init__(self, la: str, child: str) -> None:
        self.la = la
        self.child = child
        self.entries: list[Entry] = []
        self.event_ids: set[str] = set()
        self.head_hash = GENESIS
        self._decisions: list[Decision] | None = None
        self._check: TimelineCheck | None = None  # the rules' walk over decisions(), passed
        self._contents: dict[int, dict[str, Any]] = {}  # pending events' sealed JSON, by version

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
    ) -> Journey:
        """A new journey, its ``opened`` event pending (sealed under ``protection`` if given)."""
        # What the library's _create does, with the event sealed before it is applied.
        values = cls._opening(la, child, recorded_at, recorded_by, source)
        event, content = sealed(cls.Opened, GENESIS, values, protection)
        journey = event.mutate(None)
        assert isinstance(journey, Journey)
        journey.protection = protection
        journey.pending_events.append(event)
        journey._contents[1] = content
        journey._decisions, journey._check = [], TimelineCheck((), london_date(recorded_at))  # none yet
        return journey

    @staticmethod
    def _opening(la: str, child: str, recorded_at: datetime, recorded_by: str, source: str) -> dict[str, Any]:
        """The values of a new journey's ``opened`` event, its hash still empty."""
        inputs.check_opening(la, child, recorded_by)
        return {
            "originator_id": journey_id(la, child),
            "originator_version": 1,
            "originator_topic": Journey.TOPIC,  # a journey is stored, and read back, as a Journey
            "timestamp": recorded_at,
            "la": la,
            "child": child,
            "recorded_by": recorded_by,
            "source": source,
            "event_id": f"opened:{la}:{child}",
            "hash": "",  # sealed in when the event is appended
        }

    # -- commands ---------------------------------------------------------------------

    def record(
        self,
        kind: str,
        on: date,
        fields: Mapping[str, Any],
        *,
        recorded_at: datetime,
        recorded_by: str,
        source: str,
        event_id: str,
    ) -> Entry:
        """Record a decision: validate its fields, check the timeline with it, append it."""
        values = payloads.fields_of(kind, fields)
        if event_id in self.event_ids:
            raise DuplicateEvent(f"event {event_id} of {kind} on {on} is already recorded for child {self.child}")
        on = payloads.parse_date(on, "on")
        candidate = Decision(self.version + 1, kind, on, values)
        check, self._check = self._check, None  # a check that refuses is spent
        decisions, check = TimelineCheck.with_decision(check, self.decisions(), candidate, london_date(recorded_at))
        event_class, stored = stored_form(kind, values)
        event = self._values(recorded_at, recorded_by, source, event_id, on=on, **stored)
        self._append(event_class, event, values)
        # the decisions in force now (what effective_decisions gives), and the walk over them
        self._decisions, self._check = decisions, check
        return self.entries[-1]

    def record_together(
        self,
        decisions: Sequence[tuple[str, date, Mapping[str, Any], str, str]],
        *,
        recorded_at: datetime,
        recorded_by: str,
        retracting: Sequence[tuple[str, str, str, str]] = (),
    ) -> list[Entry]:
        """Record several decisions (kind, date, fields, event id, source) as one: the timeline is
        checked once with all of them, so that, say, a whole earlier period of care (its start and
        its end) goes in before a later one, where each alone would break a rule. All or none.

        ``retracting`` (target's event id, reason, event id, source): decisions withdrawn in the
        same step, checked without them and retracted first (a bounded end of care that an adoption
        order replaces: neither goes alone)."""
        withdrawn: list[tuple[int, str, str, str]] = []
        for target_id, reason, event_id, source in retracting:
            inputs.free_text(reason, "the reason")
            seq = next((e.seq for e in self.entries if e.event_id == target_id), None)
            if seq is None:
                raise EventNotFound(f"no event with id {target_id!r} for child {self.child}")
            self._current_decision(seq)
            withdrawn.append((seq, reason, event_id, source))
        gone = {seq for seq, _, _, _ in withdrawn}
        candidates: list[tuple[Decision, dict[str, Any], str, str]] = []
        for offset, (kind, on, fields, event_id, source) in enumerate(decisions, start=1 + len(withdrawn)):
            values = payloads.fields_of(kind, fields)
            if event_id in self.event_ids or any(event_id == other for _, _, other, _ in candidates):
                raise DuplicateEvent(f"event {event_id} of {kind} on {on} is already recorded for child {self.child}")
            day = payloads.parse_date(on, "on")
            candidates.append((Decision(self.version + offset, kind, day, values), values, event_id, source))
        kept = [d for d in self.decisions() if d.seq not in gone]
        timeline = sorted([*kept, *(c[0] for c in candidates)], key=Decision.sort_key)
        check_timeline(timeline, today=london_date(recorded_at))
        self._check = None
        for seq, reason, event_id, source in withdrawn:
            values = self._values(recorded_at, recorded_by, source, event_id, target=seq, reason=reason)
            self._append(Journey.Retracted, values)
        for decision, values, event_id, source in candidates:
            event_class, stored = stored_form(decision.kind, values)
            event = self._values(recorded_at, recorded_by, source, event_id, on=decision.on, **stored)
            self._append(event_class, event, values)
        self._decisions, self._check = None, None
        return self.entries[-len(candidates) :] if candidates else []

    def correct(
        self,
        seq: int,
        *,
        on: date | None,
        fields: Mapping[str, Any],
        reason: str,
        recorded_at: datetime,
        recorded_by: str,
        source: str,
        event_id: str,
    ) -> Entry:
        """Supersede decision ``seq`` with a new date and/or fields; the original stays."""
        inputs.free_text(reason, "the reason")
        target = self._current_decision(seq)
        merged = payloads.parse_fields(target.kind, {**target.fields, **fields})
        new_on = on or target.on
        if new_on == target.on and merged == dict(target.fields):
            raise InvalidEvent(f"the correction of event {seq} changes nothing", "give --on or a field to change")
        corrected = Decision(seq, target.kind, new_on, merged)
        rest = [d for d in self.decisions() if d.seq != seq]
        check_timeline(sorted([*rest, corrected], key=Decision.sort_key), today=london_date(recorded_at))
        event = self._values(
            recorded_at,
            recorded_by,
            source,
            event_id,
            target=seq,
            on=new_on,
            fields=stored_fields(target.kind, merged),
            reason=reason,
        )
        self._append(Journey.Corrected, event, merged)
        return self.entries[-1]

    def retract(
        self, seq: int, *, reason: str, recorded_at: datetime, recorded_by: str, source: str, event_id: str
    ) -> Entry:
        """Withdraw decision ``seq`` (recorded in error); the original stays in the history."""
        inputs.free_text(reason, "the reason")
        self._current_decision(seq)
        check_timeline([d for d in self.decisions() if d.seq != seq], today=london_date(recorded_at))
        self._append(
            Journey.Retracted, self._values(recorded_at, recorded_by, source, event_id, target=seq, reason=reason)
        )
        return self.entries[-1]

    def add_action(
        self,
        action_id: str,
        *,
        text: str,
        owner: str,
        due: date,
        recorded_at: datetime,
        recorded_by: str,
        source: str,
        event_id: str | None = None,
    ) -> Entry:
        """Add surgery action ``action_id``; its event id is ``action:<id>`` unless given (a
        loaded line's own)."""
        due = inputs.check_action(action_id, text, owner, payloads.parse_date(due, "due"), self.decisions())
        if any(e.kind == ACTION_ADDED and e.fields["action_id"] == action_id for e in self.entries):
            raise DuplicateEvent(f"action {action_id} is already recorded for child {self.child}")
        event_id = event_id or f"action:{action_id}"
        event = self._values(
            recorded_at, recorded_by, source, event_id, action_id=action_id, text=text, owner=owner, due=due
        )
        self._append(Journey.ActionAdded, event)
        return self.entries[-1]

    def complete_action(
        self,
        action_id: str,
        *,
        note: str | None,
        recorded_at: datetime,
        recorded_by: str,
        source: str,
        event_id: str | None = None,
    ) -> Entry:
        """Mark action ``action_id`` done; its event id is ``action-done:<id>`` unless given."""
        inputs.free_text(note or "", "the note")
        actions.open_action(self.entries, action_id, self.child, "completed")
        event_id = event_id or f"action-done:{action_id}"
        event = self._values(recorded_at, recorded_by, source, event_id, action_id=action_id, note=note)
        self._append(Journey.ActionDone, event)
        return self.entries[-1]

    def legal_hold(
        self, *, reason: str, lifted: bool, recorded_at: datetime, recorded_by: str, source: str, event_id: str
    ) -> Entry:
        """Place a legal hold on the record (or, ``lifted``, end the one in force)."""
        inputs.free_text(reason, "the reason")
        held = next((not e.fields["lifted"] for e in reversed(self.entries) if e.kind == LEGAL_HOLD), False)
        if held != lifted:
            raise InvalidEvent(
                f"child {self.child} {'has no legal hold to lift' if lifted else 'is already under a legal hold'}",
                "see `journeys history CHILD` for the holds recorded",
            )
        event = self._values(recorded_at, recorded_by, source, event_id, reason=reason, lifted=lifted)
        self._append(Journey.LegalHold, event)
        return self.entries[-1]

    def note_carers(
        self, *, on: date, since: date, recorded_at: datetime, recorded_by: str, source: str, event_id: str
    ) -> Entry:
        """Record what a 903 return shows of the child's carers (:class:`Journey.CarersSeen`)."""
        if since > on:
            raise InvalidEvent(f"carers since {since} is after the episode of {on} they are seen in")
        if event_id in self.event_ids:
            raise DuplicateEvent(f"event {event_id} is already recorded for child {self.child}")
        self._append(Journey.CarersSeen, self._values(recorded_at, recorded_by, source, event_id, on=on, since=since))
        return self.entries[-1]

    def edit_action(
        self,
        action_id: str,
        *,
        owner: str | None = None,
        due: date | None = None,
        text: str | None = None,
        recorded_at: datetime,
        recorded_by: str,
        source: str,
        event_id: str | None = None,
    ) -> Entry:
        """Give open action ``action_id`` a new owner, due date and/or text; its event id is
        ``action-edited:<id>:<n>`` (the n-th edit) unless given."""
        state = actions.open_action(self.entries, action_id, self.child, "edited")
        due = payloads.parse_date(due, "due") if due is not None else None
        inputs.check_action(action_id, text or state.text, owner or state.owner, due or state.due, self.decisions())
        changes = actions.changes_of(state, owner=owner, due=due, text=text)
        event_id = event_id or f"action-edited:{action_id}:{state.edited + 1}"
        event = self._values(recorded_at, recorded_by, source, event_id, action_id=action_id, **changes)
        self._append(Journey.ActionEdited, event)
        return self.entries[-1]

    def cancel_action(
        self,
        action_id: str,
        *,
        reason: str,
        recorded_at: datetime,
        recorded_by: str,
        source: str,
        event_id: str | None = None,
    ) -> Entry:
        """Cancel open action ``action_id`` (no longer needed), saying why; its event id is
        ``action-cancelled:<id>`` unless given."""
        if not inputs.free_text(reason, "the reason").strip():
            raise InvalidEvent("the reason is empty", "say why the action is cancelled (--reason)")
        actions.open_action(self.entries, action_id, self.child, "cancelled")
        event_id = event_id or f"action-cancelled:{action_id}"
        event = self._values(recorded_at, recorded_by, source, event_id, action_id=action_id, reason=reason)
        self._append(Journey.ActionCancelled, event)
        return self.entries[-1]

    def erase(
        self,
        *,
        reason: str,
        retention_override: str | None,
        recorded_at: datetime,
        recorded_by: str,
        source: str,
        event_id: str,
    ) -> Entry:
        """Record that the child's identifying values are erased (the store destroys the key
        as it saves this event): why, and why retention was overridden, if it was."""
        inputs.free_text(reason, "the reason")
        if not reason.strip():
            raise InvalidEvent("the reason is empty", "say why the record is erased (--reason)")
        if retention_override is not None and not inputs.free_text(retention_override, "the override").strip():
            raise InvalidEvent("the retention override's reason is empty", "say why (--override-retention REASON)")
        births = [d.fields.get("date_of_birth") for d in self.decisions() if d.kind == "child-details"]
        born = next((b for b in reversed(births) if isinstance(b, date)), None)
        event = self._values(
            recorded_at,
            recorded_by,
            source,
            event_id,
            reason=reason,
            retention_override=retention_override,
            year_of_birth=born.year if born else None,
        )
        self._append(Journey.Erased, event)
        return self.entries[-1]

    @property
    def erased(self) -> Entry | None:
        """The child's erasure, if it was erased."""
        return next((e for e in self.entries if e.kind == ERASED), None)

    def refuse_if_erased(self) -> None:
        """Nothing can be recorded for an erased child: its key is destroyed."""
        erasure = self.erased
        if erasure is not None:
            raise InvalidEvent(
                f"child {self.child} was erased on {erasure.recorded_at:%Y-%m-%d} ({erasure.reason})",
                "nothing more can be recorded for an erased child",
            )

    def restoring(self, recorded_hash: str | None) -> None:
        """The next command restores an event recorded elsewhere with ``recorded_hash``
        (None: it records a new one): an event that seals to another hash is refused, and
        nothing is appended. The expectation is spent by the next event sealed, or by
        ``restoring(None)`` after a command that was refused before it sealed one."""
        self._restored_hash = recorded_hash

    def _check_restored(self, event_hash: str) -> None:
        """Refuse the event being appended, sealed to ``event_hash``, if it restores an event
        recorded with another hash."""
        expected, self._restored_hash = self._restored_hash, None
        if expected is not None and expected != event_hash:
            raise TamperedEvent(
                f"event {self.version + 1} of child {self.child} does not seal to the hash it was recorded "
                "with: the line, or an event before it in the child's stream, is not as it was stored"
            )

    # -- queries ----------------------------------------------------------------------

    @property
    def keeps_rules_walk(self) -> bool:
        """Whether the rules' walk over the decisions in force is kept, so that a next decision
        dated last is checked in one step rather than by walking the whole timeline again."""
        return self._check is not None

    def decisions(self) -> list[Decision]:
        """The decisions in force now (corrections applied), in effective order."""
        if self._decisions is None:
            self._decisions = effective_decisions(self.entries)
        return self._decisions

    def _current_decision(self, seq: int) -> Decision:
        for decision in self.decisions():
            if decision.seq == seq:
                return decision
        known = any(e.seq == seq for e in self.entries)
        reason = "is not a decision, or was retracted" if known else "does not exist"
        raise EventNotFound(f"event {seq} of child {self.child} {reason}")

    # -- the events -------------------------------------------------------------------

    def _values(
        self, recorded_at: datetime, recorded_by: str, source: str, event_id: str, **payload: Any
    ) -> dict[str, Any]:
        """The values of the next event, its hash still empty: the common ones and ``payload``."""
        inputs.check_user(recorded_by)  # for every event: who recorded it is checked too
        return {
            "originator_id": self.id,
            "originator_version": self.version + 1,
            "timestamp": recorded_at,
            "recorded_by": recorded_by,
            "source": source,
            "event_id": event_id,
            "hash": "",  # sealed in when the event is appended
            **payload,
        }

    def _append(
        self, event_class: type[Journey.Event], values: dict[str, Any], entry_fields: Mapping[str, Any] | None = None
    ) -> None:
        """Append the next event, of ``event_class`` with ``values`` (its hash still empty),
        sealed into the stream's chain: the one way a command changes the journey.

        Here the event is a pydantic model (validated once), applied by ``mutate`` and left
        pending with the content it was sealed with. A decision or a correction also gives
        ``entry_fields``, its validated fields as its entry holds them, so that a subclass
        can append it without an event object; here the entry is made from the event.
        """
        self.refuse_if_erased()
        event, content = sealed(event_class, self.head_hash, values, self.protection)
        self._check_restored(content["hash"])
        event.mutate(self)
        self.pending_events.append(event)
        self._contents[event.originator_version] = content

    def collect_sealed(self) -> list[SealedEvent]:
        """Collect the pending events as (stream id, version, stored topic, JSON content) in
        recording order: the content each was sealed with (what the mapper would store), so
        storing them serialises nothing again."""
        contents, self._contents = self._contents, {}
        return [
            (self.id, event.originator_version, stored_topic(type(event)), contents[event.originator_version])
            for event in self.collect_events()
        ]

    def _remember(self, event: Event) -> None:
        self.entries.append(entry_of(event, self.entries))
        self.event_ids.add(event.event_id)
        self.head_hash = event.hash
        self._decisions = None
        self._check = None


# Older payload versions still read (each upcast to its kind's current class), by kind.
OLDER_VERSIONS: dict[str, tuple[type[Journey.Decided], ...]] = {
    "entered-care": (Journey.EnteredCareV1,),
    "left-care": (Journey.LeftCareV1,),
}

# The current class of each decision kind.
EVENT_CLASSES: dict[str, type[Journey.Decided]] = {
    cls.KIND: cls
    for cls in vars(Journey).values()
    if isinstance(cls, type)
    and issubclass(cls, Journey.Decided)
    and cls.KIND
    and not any(cls in older for older in OLDER_VERSIONS.values())
}


def stored_fields(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A correction's ``fields`` as stored: a decision's complete (validated) ``values`` as JSON,
    in the payload version :func:`stored_form` writes them in (so a correction of an entered-care
    without ``on_or_before`` holds the fields of version 1, as it always has)."""
    _, kept = stored_form(kind, values)
    return {name: value for name, value in jsonable(kind, values).items() if name in kept}


def stored_form(kind: str, values: Mapping[str, Any]) -> tuple[type[Journey.Decided], Mapping[str, Any]]:
    """The class a decision of ``kind`` with (validated) ``values`` is written as, and the values
    that class holds: the oldest version whose upcast gives back ``values`` exactly (an entered-care
    without ``on_or_before`` is written as version 1), else the current one."""
    for older in OLDER_VERSIONS.get(kind, ()):
        own = {name: values[name] for name in older.model_fields if name in values}
        if older.upcast(own) == dict(values):  # type: ignore[attr-defined]
            return older, own
    return EVENT_CLASSES[kind], values


# The fields every decision has (the common fields of an event, and its date): the rest of
# a decision's fields are its payload.
COMMON_FIELDS = frozenset(Journey.Decided.model_fields)


# The read path decodes stored events by journeys.domain.shapes, without these models (so
# that reading one child imports no pydantic): the table is held to the models here, once.
assert (
    shapes.shapes_of([*EVENT_CLASSES.values(), *(c for older in OLDER_VERSIONS.values() for c in older)], COMMON_FIELDS)
    == shapes.DECISIONS
), "update journeys.domain.shapes"
_READ_AS_WRITTEN = (Journey.Opened, Journey.Corrected, Journey.Retracted)  # (none declares upcasting)
assert [(c.TOPIC, hasattr(c, "class_version")) for c in _READ_AS_WRITTEN] == [
    (shapes.OPENED, False),
    (shapes.CORRECTED, False),
    (shapes.RETRACTED, False),
], "update journeys.domain.shapes and journeys.storage.decoding"
