"""JourneysApp: the one API of the journey store. The CLI and the read models call it.

Library errors are converted here to the engine's own typed errors; the clock is read
here (through :mod:`journeys.clock`) once per command. The SQL lives behind its recorder
(:mod:`journeys.storage.recorders`); loading and exporting files use the app from above it
(:mod:`journeys.loading`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    Notification,
    PersistenceError,
    ProgrammingError,
    StoredEvent,
)

from journeys.clock import recording_time
from journeys.domain.actions import ActionState, open_actions
from journeys.domain.care_periods import CarePeriod, care_periods
from journeys.domain.errors import ChildNotFound, JourneyError, StoreError
from journeys.domain.identity import content_id, fresh_event_id, journey_id
from journeys.domain.inputs import ALLOW_UNKNOWN_LA_ENV, case_clash, case_variants, check_la, child_reference, is_truthy
from journeys.domain.rules import ChildState, replay
from journeys.domain.timeline import (
    ACTION_ADDED,
    CORRECT,
    ERASED,
    RETRACT,
    Entry,
    decisions_at,
    known_by,
    superseded_seqs,
)
from journeys.progress import Progress
from journeys.storage.conflicts import refused_write, saved
from journeys.storage.decoding import entries_from_stored, entries_of_interleaved_rows, entries_of_rows
from journeys.storage.location import DEFAULT_STORE, create_private, remove_sqlite_files, shown_store, store_env
from journeys.storage.mapper import PydanticMapper, journeys_mapper
from journeys.storage.payloads import check_payloads, plain_events, plain_rows
from journeys.storage.recorders import JourneysRecorder, journeys_recorder
from journeys.storage.unreadable import UnreadableStream, locate_unreadable

if TYPE_CHECKING:
    from journeys.domain.journey import Journey
    from journeys.domain.protected import Protection
    from journeys.storage.verification import VerifyReport

# The event models (pydantic, and the library's aggregate) are imported by the methods that
# write or decode through them, not here: reading a child's decisions (`show`, the reports)
# needs neither (see journeys.storage.decoding), and a command line that reads one child
# starts without building them.


@dataclass(frozen=True)
class ChildView:
    """A child's state as known at ``known_at`` and in effect at ``as_at``."""

    la: str
    child: str
    as_at: date | None
    known_at: datetime | None
    state: ChildState
    events: int
    periods: tuple[CarePeriod, ...] = ()  # every period of care, the first first
    actions: tuple[ActionState, ...] = ()  # the open actions (edits applied), by due date
    erased: Entry | None = None  # the child's erasure (its ``erased`` event), if it was erased
    shown_as: str = ""  # the reference its events hold: the pseudonym once erased


@dataclass(frozen=True)
class HistoryRow:
    entry: Entry
    superseded: bool


class JourneysApp(Application[UUID]):
    """Records children's journeys and answers questions about them."""

    name = "journeys"
    recorder: JourneysRecorder
    mapper: PydanticMapper

    def __init__(
        self, store: str = DEFAULT_STORE, env: Mapping[str, str] | None = None, *, allow_unknown_la: bool | None = None
    ) -> None:
        self.store = store
        # The streams reads have left out as unreadable (by stream id), for the CLI to warn of.
        self.unreadable: dict[UUID, UnreadableStream] = {}
        settings = store_env(store)
        settings.update(env or {})
        # LA codes outside the DfE list are refused for a new journey unless the store is a
        # test store (the option, or JOURNEYS_ALLOW_UNKNOWN_LA in the environment)
        if allow_unknown_la is None:
            allow_unknown_la = is_truthy(settings.get(ALLOW_UNKNOWN_LA_ENV) or os.environ.get(ALLOW_UNKNOWN_LA_ENV))
        self.allow_unknown_la = allow_unknown_la
        #: whether this app made its store (a new SQLite file, created 0600)
        self.created = create_private(store) if settings.get("SQLITE_DBNAME") == store else False
        try:
            super().__init__(env=settings)
            self.mapper.keys = self.recorder.child_keys  # an erasable store's (format 2), else None
            check_payloads(store, self.recorder, self.mapper)
        except (PersistenceError, StoreError) as error:
            if self.created:
                remove_sqlite_files(store)
            if isinstance(error, StoreError):
                raise
            raise StoreError(f"cannot open the store {shown_store(store)!r}: {error}") from None

    def close_discarding_if_empty(self) -> bool:
        """Close; and if this app created its store and nothing was written to it (a command
        that failed or read nothing), remove the store's files. True if they were removed."""
        try:
            empty = self.created and self.head() == 0
        except StoreError:  # a store that cannot say what it holds is kept, for a look
            empty = False
        self.close()
        if empty:
            remove_sqlite_files(self.store)
        return empty

    def construct_mapper(self) -> PydanticMapper:
        return journeys_mapper(self.factory)

    def construct_recorder(self) -> JourneysRecorder:
        recorder = journeys_recorder(self.factory.application_recorder())
        recorder.open_child_keys(make=is_truthy(self.factory.env.get(ERASABLE_ENV) or os.environ.get(ERASABLE_ENV)))
        return recorder

    @property
    def sealing_format(self) -> int:
        """The store's sealing format: 1, or 2 for an erasable store (a key per child)."""
        return self.recorder.sealing_format

    def new_protection(self, la: str, child: str, key: str | None = None) -> Protection | None:
        """A new journey's protection on an erasable store (its key made, or ``key`` when a
        lossless line restores the journey, inserted with the journey's first event); None on
        a store of format 1, which refuses a key."""
        keys = self.recorder.child_keys
        if keys is None:
            if key is not None:
                raise StoreError(
                    f"the export's child {child} ({la}) comes from an erasable store (its 'opened' line carries "
                    "its key), and this store is of sealing format 1: its events would not seal to their hashes",
                    "load it into a new erasable store (JOURNEYS_ERASABLE=1 when it is made)",
                )
            return None
        return keys.new(journey_id(la, child), la, key)

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """The library's save, with each journey's local authority beside its events (a
        PostgreSQL store keeps it in the events table, where row-level security reads it); a
        write the store refuses for want of access is a :class:`StoreError`."""
        las = {obj.id: obj.la for obj in objs if isinstance(getattr(obj, "la", None), str)}
        try:
            return super().save(*objs, las=las, **kwargs)
        except ProgrammingError as error:
            refused = refused_write(las.values(), error)
            if refused is None:
                raise
            raise refused from None

    def visible_las(self) -> list[str] | None:
        """The local authorities the store lets this user see (a PostgreSQL role granted only
        some, see docs/data-protection.md); None when it sees every one."""
        return self.recorder.visible_las()

    def is_shared_store(self) -> bool:
        """Whether other processes can open this store (not so an in-memory one)."""
        return self.recorder.shared_between_processes

    # -- writing ----------------------------------------------------------------------

    def record(
        self,
        la: str,
        child: str,
        kind: str,
        on: date,
        fields: Mapping[str, Any],
        *,
        recorded_by: str,
        source: str = "cli",
    ) -> Entry:
        """Record one decision for a child (opening its journey if it is new)."""
        from journeys.domain.payloads import parse_fields

        child = child_reference(child)
        values = parse_fields(kind, fields)  # validated once: the journey takes them as they are

        def attempt() -> Entry:
            now = recording_time()
            journey = self._get_or_open(la, child, now, recorded_by, source)
            event_id = fresh_event_id(journey.event_ids, content_id(la, child, kind, on, values))
            entry = journey.record(
                kind, on, values, recorded_at=now, recorded_by=recorded_by, source=source, event_id=event_id
            )
            self.save(journey)
            return entry

        return saved(la, child, attempt)

    def record_together(
        self,
        la: str,
        child: str,
        decisions: Sequence[tuple[str, date, Mapping[str, Any], str, str]],
        *,
        recorded_by: str,
        retracting: Sequence[tuple[str, str, str, str]] = (),
    ) -> list[Entry]:
        """Record several decisions of one child (kind, date, fields, event id, source) at once,
        the rules checked on the timeline with all of them, the decisions of ``retracting``
        withdrawn in the same step (:meth:`Journey.record_together`)."""
        child = child_reference(child)

        def attempt() -> list[Entry]:
            now = recording_time()
            source = decisions[0][4] if decisions else retracting[0][3]
            journey = self._get_or_open(la, child, now, recorded_by, source)
            entries = journey.record_together(
                decisions, recorded_at=now, recorded_by=recorded_by, retracting=retracting
            )
            self.save(journey)
            return entries

        return saved(la, child, attempt)

    def correct(
        self,
        la: str,
        child: str,
        seq: int,
        *,
        on: date | None,
        fields: Mapping[str, Any],
        reason: str,
        recorded_by: str,
        source: str = "cli",
    ) -> Entry:
        child = child_reference(child)

        def make(journey: Journey, now: datetime) -> Entry:
            event_id = content_id(la, child, CORRECT, on, {**fields, "target": seq, "at": now.isoformat()})
            return journey.correct(
                seq,
                on=on,
                fields=fields,
                reason=reason,
                recorded_at=now,
                recorded_by=recorded_by,
                source=source,
                event_id=event_id,
            )

        return self.change(la, child, make)

    def retract(self, la: str, child: str, seq: int, *, reason: str, recorded_by: str, source: str = "cli") -> Entry:
        child = child_reference(child)
        event_id = content_id(la, child, RETRACT, None, {"target": seq})
        return self.change(
            la,
            child,
            lambda journey, now: journey.retract(
                seq, reason=reason, recorded_at=now, recorded_by=recorded_by, source=source, event_id=event_id
            ),
        )

    def change(self, la: str, child: str, make: Callable[[Journey, datetime], Entry]) -> Entry:
        """Append to an existing child's journey what ``make`` records on it at the recording
        time, and save it (tried again once if another writer got in first)."""
        child = child_reference(child)

        def attempt() -> Entry:
            journey = self._get(la, child)
            entry = make(journey, recording_time())
            self.save(journey)
            return entry

        return saved(la, child, attempt)

    def add_action(
        self, la: str, child: str, *, text: str, owner: str, due: date, recorded_by: str, source: str = "cli"
    ) -> Entry:
        """Record a surgery action; its id (A1, A2, ...) is numbered per child."""

        def make(journey: Journey, now: datetime) -> Entry:
            number = 1 + sum(1 for e in journey.entries if e.kind == ACTION_ADDED)
            return journey.add_action(
                f"A{number}", text=text, owner=owner, due=due, recorded_at=now, recorded_by=recorded_by, source=source
            )

        return self.change(la, child, make)

    def complete_action(
        self, la: str, child: str, action_id: str, *, note: str | None, recorded_by: str, source: str = "cli"
    ) -> Entry:
        return self.change(
            la,
            child,
            lambda journey, now: journey.complete_action(
                action_id.upper(), note=note, recorded_at=now, recorded_by=recorded_by, source=source
            ),
        )

    def edit_action(
        self,
        la: str,
        child: str,
        action_id: str,
        *,
        owner: str | None = None,
        due: date | None = None,
        text: str | None = None,
        recorded_by: str,
        source: str = "cli",
    ) -> Entry:
        """Give an open action a new owner, due date and/or text (an ``action-edited`` event)."""
        return self.change(
            la,
            child,
            lambda journey, now: journey.edit_action(
                action_id.upper(),
                owner=owner,
                due=due,
                text=text,
                recorded_at=now,
                recorded_by=recorded_by,
                source=source,
            ),
        )

    def cancel_action(
        self, la: str, child: str, action_id: str, *, reason: str, recorded_by: str, source: str = "cli"
    ) -> Entry:
        """Cancel an open action, saying why (an ``action-cancelled`` event)."""
        return self.change(
            la,
            child,
            lambda journey, now: journey.cancel_action(
                action_id.upper(), reason=reason, recorded_at=now, recorded_by=recorded_by, source=source
            ),
        )

    # -- reading ----------------------------------------------------------------------

    def entries(self, la: str, child: str) -> list[Entry]:
        """Every recorded entry of a child's stream, in recording order."""
        child = _as_reference(child)
        entries = self.stream_entries(journey_id(la, child))
        if not entries:
            raise ChildNotFound(f"no journey for child {child!r} in local authority {la}")
        return entries

    def stream_entries(self, stream: UUID) -> list[Entry]:
        """The entries of one stream by its id (empty when there is none). The first entry
        (``opened``) carries ``la`` and ``child`` in its fields."""
        return entries_from_stored(plain_events(self.mapper, self.recorder.select_events(stream)), self._decode)

    def find(self, la: str, child: str) -> Journey | None:
        """A child's journey as stored, or None when none was opened."""
        from journeys.domain.journey import Journey

        child = _as_reference(child)
        try:
            journey: object = self.repository.get(journey_id(la, child))
        except AggregateNotFoundError:
            return None
        assert isinstance(journey, Journey)
        keys = self.recorder.child_keys
        if keys is not None:
            journey.protection = keys.protection(journey.id)
        return journey

    def streams_entries(
        self, streams: Iterable[UUID], unreadable: list[UnreadableStream] | None = None
    ) -> dict[UUID, list[Entry]]:
        """The entries of many streams by id, read in a few queries (a stream with no events
        is left out). Same entries as :meth:`stream_entries` gives one stream at a time."""
        wanted = list(dict.fromkeys(streams))
        try:
            found = entries_of_rows(plain_rows(self.mapper, self.recorder.select_streams(wanted)), self._decode)
        except PersistenceError:
            raise
        except Exception:  # one unreadable stored event: read them one by one, leaving it out
            found = self._readable(wanted, unreadable)
        return {s: found[s] for s in wanted if s in found}

    def streams_ending(
        self, first: int, last: int, unreadable: list[UnreadableStream] | None = None
    ) -> dict[UUID, list[Entry]]:
        """The entries of every stream whose latest event has a notification id from ``first``
        to ``last``. Each stream belongs to the one window that holds its latest event, so
        walking the log in windows reads (and a rebuild derives) every child once (see
        :meth:`JourneysRecorder.select_streams_ending`)."""
        try:
            return entries_of_interleaved_rows(
                plain_rows(self.mapper, self.recorder.select_streams_ending(first, last)), self._decode
            )
        except PersistenceError:
            raise
        except Exception:  # one unreadable stored event: leave its stream out, read the others
            ending = {raw for raw, *_ in self.recorder.select_streams_ending(first, last)}
            return self._readable([_uuid(raw) for raw in ending], unreadable)

    def _readable(self, streams: Iterable[UUID], noted: list[UnreadableStream] | None) -> dict[UUID, list[Entry]]:
        """The entries of ``streams``, each read on its own; a stream with an event that cannot
        be read is left out and noted in :attr:`unreadable`."""
        found: dict[UUID, list[Entry]] = {}
        for stream in streams:
            try:
                stored = plain_events(self.mapper, self.recorder.select_events(stream))
            except Exception:  # a state that does not decrypt: the stream is unreadable as it is stored
                stored = list(self.recorder.select_events(stream))
                self.unreadable[stream] = found_out = locate_unreadable(stream, stored, self.mapper.to_domain_event)
                if noted is not None:
                    noted.append(found_out)
                continue
            try:
                entries = entries_from_stored(stored, self._decode)
            except Exception:  # any failure to decode stored bytes makes that stream unreadable
                self.unreadable[stream] = found_out = locate_unreadable(stream, stored, self._decode)
                if noted is not None:
                    noted.append(found_out)
                continue
            if entries:
                found[stream] = entries
        return found

    def show(self, la: str, child: str, *, as_at: date | None = None, known_at: datetime | None = None) -> ChildView:
        """The child's state, periods of care and open actions on ``as_at`` as known at ``known_at``."""
        entries = self.entries(la, child)
        decisions = decisions_at(entries, known_at=known_at, as_at=as_at)
        state = replay(decisions)
        return ChildView(
            la,
            child,
            as_at,
            known_at,
            state,
            len(decisions),
            tuple(care_periods(state)),
            open_actions(entries, known_at),
            next((e for e in entries if e.kind == ERASED), None),
            str(entries[0].fields["child"]),
        )

    def history(self, la: str, child: str, *, known_at: datetime | None = None) -> list[HistoryRow]:
        """Every event of the child's stream in recording order, each marked superseded when a
        later correction or retraction supersedes it; with ``known_at``, only the events recorded
        at or before it, marked as they stood then."""
        entries = known_by(self.entries(la, child), known_at)
        superseded = superseded_seqs(entries)
        return [HistoryRow(e, e.seq in superseded) for e in entries]

    def notifications(self, start: int = 1, batch: int = 5000, *, stop: int | None = None) -> Iterator[Notification]:
        """Every stored event in recording order (from notification id ``start``, up to ``stop``
        if given), read in batches."""
        while True:
            chunk = self.recorder.select_notifications(start, batch, stop=stop)
            yield from chunk
            if len(chunk) < batch:
                return
            start = chunk[-1].id + 1

    def streams(self) -> Iterator[tuple[str, str, list[Entry]]]:
        """Every child's (la, child, entries), in the order the journeys were opened."""
        opened: list[UUID] = []
        for note in self.notifications():
            if note.originator_version == 1:
                opened.append(_uuid(note.originator_id))
                if len(opened) == STREAMS_READ_TOGETHER:
                    yield from self._opened_streams(opened)
                    opened = []
        yield from self._opened_streams(opened)

    def _opened_streams(self, streams: list[UUID]) -> Iterator[tuple[str, str, list[Entry]]]:
        """(la, child, entries) of the given streams, in their order, read in a few queries."""
        found = self.streams_entries(streams)
        for stream in streams:
            entries = found.get(stream)
            if entries is None:
                continue  # unreadable: left out (see `unreadable`)
            yield str(entries[0].fields["la"]), str(entries[0].fields["child"]), entries

    def verify(
        self,
        progress: Progress | None = None,
        *,
        wanted: Mapping[int, Collection[int]] | None = None,
        known_at: datetime | None = None,
    ) -> VerifyReport:
        """Re-check every stream's hash chain against the stored content, up to the latest
        event stored when the check begins; ``progress`` is told now and then how far the
        check is through the log (in notification ids, of :meth:`head` in all). The report
        holds each stream's head (as known at ``known_at``, if given) and the hashes of the
        events ``wanted`` names (see :func:`verify_chains`)."""
        from journeys.storage.verification import verify_chains

        head = self.head()
        notes = self.notifications(stop=head)
        stored = self._stored_content if self.sealing_format == 2 else None
        return verify_chains(
            notes, self.mapper.to_domain_event, head, progress, wanted=wanted, known_at=known_at, stored=stored
        )

    def _stored_content(self, note: Notification) -> dict[str, Any]:
        """An event's JSON content as the store holds it (format 2: what its hash is over)."""
        loaded: dict[str, Any] = orjson.loads(self.mapper.stored_json(note.state))
        return loaded

    def head(self) -> int:
        """The notification id of the latest stored event (0 for an empty store): how many
        events a whole-store command such as `verify` or `export` goes through."""
        return self.recorder.max_notification_id() or 0

    # -- helpers ----------------------------------------------------------------------

    def _decode(self, stored: StoredEvent) -> Journey.Event:
        from journeys.domain.journey import Journey

        event = self.mapper.event_of(stored.topic, stored.state)  # a plain state (see storage.payloads)
        assert isinstance(event, Journey.Event)
        return event

    def _get(self, la: str, child: str) -> Journey:
        journey = self.find(la, child)
        if journey is None:
            raise ChildNotFound(f"no journey for child {child!r} in local authority {la}")
        return journey

    def _get_or_open(self, la: str, child: str, now: datetime, recorded_by: str, source: str) -> Journey:
        journey = self.find(la, child)
        if journey is not None:
            return journey
        from journeys.domain.journey import Journey

        la = self.check_new_child(la, child)
        protection = self.new_protection(la, child)
        return Journey.open(la, child, recorded_at=now, recorded_by=recorded_by, source=source, protection=protection)

    def check_new_child(self, la: str, child: str) -> str:
        """The LA code of a journey about to be opened for ``child`` (normalised), refused
        when the code is not a DfE one (unless ``allow_unknown_la``) or when the LA already
        has a child whose reference differs from ``child`` only by case."""
        la = check_la(la, allow_unknown=self.allow_unknown_la)
        spellings = {journey_id(la, other): other for other in case_variants(child)}
        found = self.recorder.stored_streams(set(spellings)) if spellings else set()
        if found:
            raise case_clash(la, child, min(spellings[stream] for stream in found))
        return la


# Set when a store is made (its first command): the new store is erasable, sealing format 2.
ERASABLE_ENV = "JOURNEYS_ERASABLE"

# How many children `streams()` reads in one go (one query per 500 of them).
STREAMS_READ_TOGETHER = 1000


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)


def _as_reference(child: str) -> str:
    """A reference as a journey is looked up by: normalised when it can be (one that cannot is
    looked up as given, and found nowhere)."""
    try:
        return child_reference(child)
    except JourneyError:
        return child
