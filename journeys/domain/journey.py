"""The Journey aggregate: one child's append-only stream of decision events.

Events are pydantic models (the library's aggregate8 pattern) with explicit, versioned
topics, so renaming a class never orphans a stored event. Every command checks the rules
on the timeline *with* the new event before triggering it: a refused command appends
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, CanInitAggregate, CanMutateAggregate
from eventsourcing.utils import get_topic
from pydantic import BaseModel, ConfigDict
from pydantic_core import to_jsonable_python

from journeys.domain import payloads as p
from journeys.domain.errors import ActionNotFound, DuplicateEvent, EventNotFound, InvalidEvent, JourneyError
from journeys.domain.hashing import GENESIS, chain
from journeys.domain.identity import journey_id
from journeys.domain.rules import TimelineCheck, check_timeline
from journeys.domain.timeline import (
    ACTION_ADDED,
    ACTION_DONE,
    CORRECT,
    RETRACT,
    Decision,
    Entry,
    effective_decisions,
    new_entry,
)


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


# The last value of each type turned into JSON by ``_json_value``, held (so that ``is`` can
# recognise it) with its JSON form: a batch's events share one recording time and a
# journey's events one stream id, so most calls are answered here.
_LAST_JSON: dict[type, tuple[Any, Any]] = {}


# Each event class's field names in order (pydantic's ``model_fields`` is rebuilt per call)
# and the topic it is stored under.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_TOPICS: dict[type, str] = {}


def _field_names(cls: type[BaseModel]) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(cls.model_fields)
    return names


def _stored_topic(cls: type) -> str:
    topic = _TOPICS.get(cls)
    if topic is None:
        topic = _TOPICS[cls] = get_topic(cls)
    return topic


def _json_value(value: Any) -> Any:
    """``value`` as pydantic's JSON mode writes it (datetimes, UUIDs, lists, ...)."""
    if not isinstance(value, (datetime, UUID)):  # (only immutable values are remembered)
        return to_jsonable_python(value)
    last = _LAST_JSON.get(type(value))
    if last is not None and last[0] is value:
        return last[1]
    json_value = to_jsonable_python(value)
    _LAST_JSON[type(value)] = (value, json_value)
    return json_value


def _json_values(names: Iterable[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` (validated, every one of ``names`` present) as JSON values keyed by
    ``names`` in order: what ``model_dump(mode="json")`` writes for a model with those fields."""
    content: dict[str, Any] = {}
    for name in names:
        value = values[name]
        kind = type(value)
        if kind is str or kind is int or value is None or kind is bool:
            content[name] = value  # already a JSON value
        elif kind is date:
            content[name] = value.isoformat()  # what pydantic writes for a date
        else:
            content[name] = _json_value(value)
    return content


class Journey(PydanticAggregate):
    TOPIC = "journeys.journey.v1"

    class Event(PydanticAggregate.Event):
        """Every event: when it was recorded (``timestamp``), by whom, from where, its hash."""

        TOPIC: ClassVar[str] = "journeys.event.v1"
        KIND: ClassVar[str] = ""
        recorded_by: str
        source: str
        event_id: str
        hash: str

        def apply(self, aggregate: Any) -> None:
            aggregate._remember(self)

        @classmethod
        def content_of(cls, values: Mapping[str, Any]) -> dict[str, Any]:
            """The one definition of an event's stored JSON content: ``values`` (already
            validated, every field present) as JSON values, keyed in the model's field order,
            as ``model_dump(mode="json")`` writes them. Both the normal and the bulk path use it.
            """
            return _json_values(_field_names(cls), values)

    class Opened(Event, PydanticAggregate.Created):
        TOPIC: ClassVar[str] = "journeys.opened.v1"
        KIND: ClassVar[str] = "opened"
        la: str
        child: str

    class Decided(Event):
        TOPIC: ClassVar[str] = "journeys.decided.v1"
        on: date

    class ChildDetailsRecorded(Decided, p.ChildDetailsFields):
        TOPIC: ClassVar[str] = "journeys.child_details.v1"
        KIND: ClassVar[str] = "child-details"

    class EnteredCare(Decided, p.EnteredCareFields):
        TOPIC: ClassVar[str] = "journeys.entered_care.v1"
        KIND: ClassVar[str] = "entered-care"

    class ProceedingsIssued(Decided):
        TOPIC: ClassVar[str] = "journeys.proceedings_issued.v1"
        KIND: ClassVar[str] = "proceedings-issued"

    class ProceedingsConcluded(Decided, p.ProceedingsConcludedFields):
        TOPIC: ClassVar[str] = "journeys.proceedings_concluded.v1"
        KIND: ClassVar[str] = "proceedings-concluded"

    class FamilyFindingStarted(Decided):
        TOPIC: ClassVar[str] = "journeys.family_finding.v1"
        KIND: ClassVar[str] = "family-finding"

    class PlanChanged(Decided, p.PlanChangeFields):
        TOPIC: ClassVar[str] = "journeys.plan_change.v1"
        KIND: ClassVar[str] = "plan-change"

    class AdoptionDecided(Decided):
        TOPIC: ClassVar[str] = "journeys.adoption_decision.v1"
        KIND: ClassVar[str] = "adoption-decision"

    class PlacementOrderMade(Decided, p.PlacementOrderFields):
        TOPIC: ClassVar[str] = "journeys.placement_order.v1"
        KIND: ClassVar[str] = "placement-order"

    class Reviewed(Decided, p.ReviewFields):
        TOPIC: ClassVar[str] = "journeys.review.v1"
        KIND: ClassVar[str] = "review"

    class Matched(Decided, p.MatchFields):
        TOPIC: ClassVar[str] = "journeys.match.v1"
        KIND: ClassVar[str] = "match"

    class Placed(Decided, p.PlacedFields):
        TOPIC: ClassVar[str] = "journeys.placed.v1"
        KIND: ClassVar[str] = "placed"

    class Disrupted(Decided, p.DisruptionFields):
        TOPIC: ClassVar[str] = "journeys.disruption.v1"
        KIND: ClassVar[str] = "disruption"

    class AdoptionOrderMade(Decided):
        TOPIC: ClassVar[str] = "journeys.adoption_order.v1"
        KIND: ClassVar[str] = "adoption-order"

    class LeftCare(Decided, p.LeftCareFields):
        TOPIC: ClassVar[str] = "journeys.left_care.v1"
        KIND: ClassVar[str] = "left-care"

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

    def __init__(self, la: str, child: str) -> None:
        self.la = la
        self.child = child
        self.entries: list[Entry] = []
        self.event_ids: set[str] = set()
        self.head_hash = GENESIS
        self._decisions: list[Decision] | None = None
        self._check: TimelineCheck | None = None  # the rules' walk over decisions(), passed
        self._contents: dict[int, dict[str, Any]] = {}  # pending events' sealed JSON, by version
        self._bulk: dict[int, str] = {}  # stored topics of pending events recorded in bulk, by version

    @classmethod
    def open(
        cls, la: str, child: str, *, recorded_at: datetime, recorded_by: str, source: str, bulk: bool = False
    ) -> Journey:
        """A new journey, its ``opened`` event pending. With ``bulk`` (a load) the event is
        sealed as its stored JSON content without an event object (see :meth:`record`)."""
        values: dict[str, Any] = {
            "originator_id": journey_id(la, child),
            "originator_version": 1,
            "originator_topic": cls.TOPIC,
            "timestamp": recorded_at,
            "la": la,
            "child": child,
            "recorded_by": recorded_by,
            "source": source,
            "event_id": f"opened:{la}:{child}",
        }
        if bulk:
            return cls._open_sealed(values)
        # What the library's _create does, with the event sealed before it is applied.
        event, content = sealed(cls.Opened, GENESIS, values)
        journey = event.mutate(None)
        assert isinstance(journey, Journey)
        journey.pending_events.append(event)
        journey._contents[1] = content
        journey._decisions, journey._check = [], TimelineCheck((), recorded_at.date())  # none yet
        return journey

    @classmethod
    def _open_sealed(cls, values: dict[str, Any]) -> Journey:
        """The bulk path of :meth:`open`: the journey built as the Opened event's mutate
        builds it (the library's base init, then ours), its content sealed and pending."""
        content = cls.Opened.content_of({**values, "hash": ""})
        content["hash"] = event_hash = chain(GENESIS, cls.Opened.TOPIC, content)
        recorded_at: datetime = values["timestamp"]
        journey = cls.__new__(cls)
        journey.__base_init__(values["originator_id"], 1, recorded_at)
        journey.__init__(values["la"], values["child"])  # type: ignore[misc]
        fields = {"la": values["la"], "child": values["child"]}
        event_id: str = values["event_id"]
        entry = Entry(
            1, "opened", None, fields, recorded_at, values["recorded_by"], values["source"], event_id, event_hash
        )
        journey.entries.append(entry)
        journey.event_ids.add(event_id)
        journey.head_hash = event_hash
        journey._contents[1] = content
        journey._bulk[1] = _stored_topic(cls.Opened)
        journey._decisions, journey._check = [], TimelineCheck((), recorded_at.date())  # none yet
        return journey

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
        bulk: bool = False,
    ) -> Entry:
        """Record a decision: validate its fields, check the timeline with it, append it.

        With ``bulk`` (a load), the event is sealed as its stored JSON content without a
        pydantic event object: the fields were validated when the line was read, the rules
        are checked here as always, and :meth:`collect_sealed` hands the content to be
        stored. The content, hash, entry and the journey's state are those of the normal path.
        """
        values = p.fields_of(kind, fields)
        if event_id in self.event_ids:
            raise DuplicateEvent(f"event {event_id} of {kind} on {on} is already recorded for child {self.child}")
        on = p.parse_date(on, "on")
        decisions = self.decisions()
        candidate = Decision(self.version + 1, kind, on, values)
        check, check_passed = self._check, False
        self._check = None  # a check that refuses is spent
        if check is not None and check.comes_last(candidate):
            try:
                check.append(candidate, recorded_at.date())
                check_passed = True
            except JourneyError:
                pass  # walk the whole timeline below for the error to report
        if check_passed:  # it comes last
            decisions = [*decisions, candidate]
        else:
            decisions = sorted([*decisions, candidate], key=Decision.sort_key)
            check = TimelineCheck(decisions, recorded_at.date())
        if bulk:
            self._append_sealed(EVENT_CLASSES[kind], recorded_at, recorded_by, source, event_id, on, values)
        else:
            self._trigger(EVENT_CLASSES[kind], recorded_at, recorded_by, source, event_id, on=on, **values)
        # the decisions in force now (what effective_decisions gives), and the walk over them
        self._decisions, self._check = decisions, check
        return self.entries[-1]

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
        bulk: bool = False,
    ) -> Entry:
        """Supersede decision ``seq`` with a new date and/or fields; the original stays.

        With ``bulk`` (a load) the correction is sealed as its stored JSON content without a
        pydantic event object, as :meth:`record` does for a decision."""
        target = self._current_decision(seq)
        merged = p.parse_fields(target.kind, {**target.fields, **fields})
        new_on = on or target.on
        if new_on == target.on and merged == dict(target.fields):
            raise InvalidEvent(f"the correction of event {seq} changes nothing", "give --on or a field to change")
        corrected = Decision(seq, target.kind, new_on, merged)
        rest = [d for d in self.decisions() if d.seq != seq]
        check_timeline(sorted([*rest, corrected], key=Decision.sort_key), today=recorded_at.date())
        if bulk:
            payload = {
                "target": seq,
                "reason": reason,
                "fields": _json_values(_field_names(p.FIELDS_BY_KIND[target.kind]), merged),
            }
            self._append_bulk(
                Journey.Corrected,
                recorded_at,
                recorded_by,
                source,
                event_id,
                new_on,
                payload,
                dict(merged),
                seq,
                reason,
            )
            return self.entries[-1]
        self._trigger(
            Journey.Corrected,
            recorded_at,
            recorded_by,
            source,
            event_id,
            target=seq,
            on=new_on,
            fields=jsonable(target.kind, merged),
            reason=reason,
        )
        return self.entries[-1]

    def retract(
        self, seq: int, *, reason: str, recorded_at: datetime, recorded_by: str, source: str, event_id: str
    ) -> Entry:
        """Withdraw decision ``seq`` (recorded in error); the original stays in the history."""
        self._current_decision(seq)
        check_timeline([d for d in self.decisions() if d.seq != seq], today=recorded_at.date())
        self._trigger(Journey.Retracted, recorded_at, recorded_by, source, event_id, target=seq, reason=reason)
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
    ) -> Entry:
        if any(e.kind == ACTION_ADDED and e.fields["action_id"] == action_id for e in self.entries):
            raise DuplicateEvent(f"action {action_id} is already recorded for child {self.child}")
        self._trigger(
            Journey.ActionAdded,
            recorded_at,
            recorded_by,
            source,
            f"action:{action_id}",
            action_id=action_id,
            text=text,
            owner=owner,
            due=due,
        )
        return self.entries[-1]

    def complete_action(
        self, action_id: str, *, note: str | None, recorded_at: datetime, recorded_by: str, source: str
    ) -> Entry:
        if not any(e.kind == ACTION_ADDED and e.fields["action_id"] == action_id for e in self.entries):
            raise ActionNotFound(f"child {self.child} has no action {action_id}")
        if any(e.kind == ACTION_DONE and e.fields["action_id"] == action_id for e in self.entries):
            raise DuplicateEvent(f"action {action_id} of child {self.child} is already done")
        self._trigger(
            Journey.ActionDone,
            recorded_at,
            recorded_by,
            source,
            f"action-done:{action_id}",
            action_id=action_id,
            note=note,
        )
        return self.entries[-1]

    # -- queries ----------------------------------------------------------------------

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

    def _trigger(
        self,
        event_class: type[Event],
        recorded_at: datetime,
        recorded_by: str,
        source: str,
        event_id: str,
        **kwargs: Any,
    ) -> None:
        values = {
            "originator_id": self.id,
            "originator_version": self.version + 1,
            "timestamp": recorded_at,
            "recorded_by": recorded_by,
            "source": source,
            "event_id": event_id,
            **kwargs,
        }
        event, content = sealed(event_class, self.head_hash, values)
        event.mutate(self)
        self._pending_events.append(event)
        self._contents[event.originator_version] = content

    def _append_sealed(
        self,
        event_class: type[Journey.Decided],
        recorded_at: datetime,
        recorded_by: str,
        source: str,
        event_id: str,
        on: date,
        fields: Mapping[str, Any],
    ) -> None:
        """The bulk path of :meth:`_trigger` for a decision whose fields are validated: its
        content sealed into the chain, and the journey changed as the event's mutate would."""
        self._append_bulk(event_class, recorded_at, recorded_by, source, event_id, on, fields, dict(fields))

    def _append_bulk(
        self,
        event_class: type[Journey.Event],
        recorded_at: datetime,
        recorded_by: str,
        source: str,
        event_id: str,
        on: date,
        payload: Mapping[str, Any],
        entry_fields: dict[str, Any],
        target: int | None = None,
        reason: str | None = None,
    ) -> None:
        """An event of ``event_class`` with its validated ``payload`` (the fields beyond the
        common ones), sealed as its stored JSON content into the chain; the journey changed
        as the event's mutate would, its entry given ``entry_fields`` (and, for a correction,
        its ``target`` and ``reason``)."""
        version = self.version + 1
        values = {
            "originator_id": self.id,
            "originator_version": version,
            "timestamp": recorded_at,
            "recorded_by": recorded_by,
            "source": source,
            "event_id": event_id,
            "hash": "",
            "on": on,
            **payload,
        }
        content = event_class.content_of(values)
        content["hash"] = event_hash = chain(self.head_hash, event_class.TOPIC, content)
        entry = new_entry(
            version,
            event_class.KIND,
            on,
            entry_fields,
            recorded_at,
            recorded_by,
            source,
            event_id,
            event_hash,
            target,
            reason,
        )
        # what mutate() and _remember() do
        self.entries.append(entry)
        self.event_ids.add(event_id)
        self.head_hash = event_hash
        self._decisions = None
        self._check = None
        self.version = version
        self.modified_on = recorded_at
        self._contents[version] = content
        self._bulk[version] = _stored_topic(event_class)

    def collect_events(self) -> Sequence[CanMutateAggregate[UUID]]:
        if self._bulk:
            raise RuntimeError("events recorded in bulk are collected by collect_sealed(), not saved one by one")
        return super().collect_events()

    def collect_sealed(self) -> list[tuple[UUID, int, str, dict[str, Any]]]:
        """Collect the pending events as (stream id, version, stored topic, JSON content) in
        recording order: the content each was sealed with (what the mapper would store), so
        storing them serialises nothing again. Events recorded in bulk are among them."""
        contents, self._contents = self._contents, {}
        bulk, self._bulk = self._bulk, {}
        topics = dict(bulk)
        for event in super().collect_events():
            topics[event.originator_version] = get_topic(type(event))
        return [(self.id, version, topics[version], contents[version]) for version in sorted(topics)]

    def _remember(self, event: Event) -> None:
        self.entries.append(entry_of(event, self.entries))
        self.event_ids.add(event.event_id)
        self.head_hash = event.hash
        self._decisions = None
        self._check = None


EVENT_CLASSES: dict[str, type[Journey.Decided]] = {
    cls.KIND: cls
    for cls in vars(Journey).values()
    if isinstance(cls, type) and issubclass(cls, Journey.Decided) and cls.KIND
}


def seal(previous: str, event: Journey.Event) -> str:
    """The chained hash of ``event`` after a predecessor with hash ``previous``."""
    return chain(previous, event.TOPIC, event.model_dump(mode="json"))


E = TypeVar("E", bound=Journey.Event)


def sealed(event_class: type[E], previous: str, values: Mapping[str, Any]) -> tuple[E, dict[str, Any]]:
    """A new event of ``event_class`` (validated once), its hash chained on ``previous``, and
    its JSON content (hash included): the content it is stored as and hashed from, as
    :func:`seal` (and so ``verify``) derives it from a stored event.
    """
    event = event_class(hash="", **values)
    content = event_class.content_of(event.__dict__)
    content["hash"] = chain(previous, event_class.TOPIC, content)
    # The event is new and seen by nobody yet: set its hash in place rather than copy it.
    event.__dict__["hash"] = content["hash"]
    return event, content


def jsonable(kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    return p.FIELDS_BY_KIND[kind].model_validate(dict(fields)).model_dump(mode="json")


_COMMON = frozenset(Journey.Decided.model_fields)


_PAYLOAD: dict[type[Journey.Event], tuple[str, ...]] = {
    cls: tuple(name for name in cls.model_fields if name not in _COMMON) for cls in EVENT_CLASSES.values()
}


def entry_of(event: Journey.Event, earlier: Iterable[Entry]) -> Entry:
    """The domain view of one stored event; ``earlier`` gives a correction its target's kind."""
    payload = _PAYLOAD.get(type(event))
    if payload is not None:  # a decision (the common case, made short)
        values = event.__dict__
        return Entry(
            event.originator_version,
            event.KIND,
            values["on"],
            {name: values[name] for name in payload},
            event.timestamp,
            event.recorded_by,
            event.source,
            event.event_id,
            event.hash,
        )
    common: dict[str, Any] = {
        "seq": event.originator_version,
        "recorded_at": event.timestamp,
        "recorded_by": event.recorded_by,
        "source": event.source,
        "event_id": event.event_id,
        "hash": event.hash,
    }
    if isinstance(event, Journey.Decided):
        fields = {k: val for k, val in event.__dict__.items() if k not in _COMMON}
        return Entry(kind=event.KIND, on=event.on, fields=fields, **common)
    if isinstance(event, Journey.Corrected):
        kind = next(e.kind for e in earlier if e.seq == event.target)
        fields = dict(p.FIELDS_BY_KIND[kind].model_validate(event.fields))
        return Entry(kind=CORRECT, on=event.on, fields=fields, target=event.target, reason=event.reason, **common)
    if isinstance(event, Journey.Retracted):
        return Entry(kind=RETRACT, on=None, fields={}, target=event.target, reason=event.reason, **common)
    if isinstance(event, Journey.ActionAdded):
        fields = {"action_id": event.action_id, "text": event.text, "owner": event.owner, "due": event.due}
        return Entry(kind=ACTION_ADDED, on=event.due, fields=fields, **common)
    if isinstance(event, Journey.ActionDone):
        fields = {"action_id": event.action_id, "note": event.note}
        return Entry(kind=ACTION_DONE, on=None, fields=fields, **common)
    assert isinstance(event, Journey.Opened)
    return Entry(kind="opened", on=None, fields={"la": event.la, "child": event.child}, **common)


def entries_of(events: Iterable[Journey.Event]) -> list[Entry]:
    """The domain view of a whole stream, in recording order."""
    entries: list[Entry] = []
    for event in events:
        entries.append(entry_of(event, entries))
    return entries
