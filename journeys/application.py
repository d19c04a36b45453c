"""JourneysApp: the one API of the journey store. The CLI and the read models call it.

Library errors are converted here to the engine's own typed errors; the clock is read
here (through :mod:`journeys.clock`) once per command. The SQL lives behind its recorder
(:mod:`journeys.storage.recorders`); loading and exporting files use the app from above it
(:mod:`journeys.loading`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import Mapper, Notification, PersistenceError, StoredEvent

from journeys.clock import recording_time
from journeys.domain.errors import ChildNotFound, StoreError
from journeys.domain.identity import content_id, journey_id
from journeys.domain.journey import Journey
from journeys.domain.payloads import parse_fields
from journeys.domain.rules import ChildState, replay
from journeys.domain.sealing import seal
from journeys.domain.timeline import ACTION_ADDED, CORRECT, RETRACT, Entry, decisions_at, superseded_seqs
from journeys.progress import Progress
from journeys.storage.decoding import entries_from_stored, entries_of_interleaved_rows, entries_of_rows
from journeys.storage.location import DEFAULT_STORE, create_private, remove_sqlite_files, shown_store, store_env
from journeys.storage.mapper import journeys_mapper
from journeys.storage.recorders import JourneysRecorder, journeys_recorder


@dataclass(frozen=True)
class ChildView:
    """A child's state as known at ``known_at`` and in effect at ``as_at``."""

    la: str
    child: str
    as_at: date | None
    known_at: datetime | None
    state: ChildState
    events: int


@dataclass(frozen=True)
class HistoryRow:
    entry: Entry
    superseded: bool


@dataclass(frozen=True)
class TamperedEvent:
    la: str
    child: str
    seq: int
    problem: str


@dataclass
class VerifyReport:
    streams: int = 0
    events: int = 0
    tampered: list[TamperedEvent] = field(default_factory=list)


class JourneysApp(Application[UUID]):
    """Records children's journeys and answers questions about them."""

    name = "journeys"
    recorder: JourneysRecorder

    def __init__(self, store: str = DEFAULT_STORE, env: Mapping[str, str] | None = None) -> None:
        self.store = store
        settings = store_env(store)
        settings.update(env or {})
        #: whether this app made its store (a new SQLite file, created 0600)
        self.created = create_private(store) if settings.get("SQLITE_DBNAME") == store else False
        try:
            super().__init__(env=settings)
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

    def construct_mapper(self) -> Mapper[UUID]:
        return journeys_mapper(self.factory)

    def construct_recorder(self) -> JourneysRecorder:
        return journeys_recorder(self.factory.application_recorder())

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
        now = recording_time()
        journey = self._get_or_open(la, child, now, recorded_by, source)
        values = parse_fields(kind, fields)  # validated once: the journey takes them as they are
        event_id = _fresh_id(journey, content_id(la, child, kind, on, values))
        entry = journey.record(
            kind, on, values, recorded_at=now, recorded_by=recorded_by, source=source, event_id=event_id
        )
        self.save(journey)
        return entry

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
        now = recording_time()
        journey = self._get(la, child)
        event_id = content_id(la, child, CORRECT, on, {**fields, "target": seq, "at": now.isoformat()})
        entry = journey.correct(
            seq,
            on=on,
            fields=fields,
            reason=reason,
            recorded_at=now,
            recorded_by=recorded_by,
            source=source,
            event_id=event_id,
        )
        self.save(journey)
        return entry

    def retract(self, la: str, child: str, seq: int, *, reason: str, recorded_by: str, source: str = "cli") -> Entry:
        now = recording_time()
        journey = self._get(la, child)
        event_id = content_id(la, child, RETRACT, None, {"target": seq})
        entry = journey.retract(
            seq, reason=reason, recorded_at=now, recorded_by=recorded_by, source=source, event_id=event_id
        )
        self.save(journey)
        return entry

    def add_action(
        self, la: str, child: str, *, text: str, owner: str, due: date, recorded_by: str, source: str = "cli"
    ) -> Entry:
        """Record a surgery action; its id (A1, A2, ...) is numbered per child."""
        now = recording_time()
        journey = self._get(la, child)
        number = 1 + sum(1 for e in journey.entries if e.kind == ACTION_ADDED)
        entry = journey.add_action(
            f"A{number}", text=text, owner=owner, due=due, recorded_at=now, recorded_by=recorded_by, source=source
        )
        self.save(journey)
        return entry

    def complete_action(
        self, la: str, child: str, action_id: str, *, note: str | None, recorded_by: str, source: str = "cli"
    ) -> Entry:
        now = recording_time()
        journey = self._get(la, child)
        entry = journey.complete_action(
            action_id.upper(), note=note, recorded_at=now, recorded_by=recorded_by, source=source
        )
        self.save(journey)
        return entry

    # -- reading ----------------------------------------------------------------------

    def entries(self, la: str, child: str) -> list[Entry]:
        """Every recorded entry of a child's stream, in recording order."""
        entries = self.stream_entries(journey_id(la, child))
        if not entries:
            raise ChildNotFound(f"no journey for child {child!r} in local authority {la}")
        return entries

    def stream_entries(self, stream: UUID) -> list[Entry]:
        """The entries of one stream by its id (empty when there is none). The first entry
        (``opened``) carries ``la`` and ``child`` in its fields."""
        return entries_from_stored(self.recorder.select_events(stream), self._decode)

    def find(self, la: str, child: str) -> Journey | None:
        """A child's journey as stored, or None when none was opened."""
        try:
            journey: object = self.repository.get(journey_id(la, child))
        except AggregateNotFoundError:
            return None
        assert isinstance(journey, Journey)
        return journey

    def streams_entries(self, streams: Iterable[UUID]) -> dict[UUID, list[Entry]]:
        """The entries of many streams by id, read in a few queries (a stream with no events
        is left out). Same entries as :meth:`stream_entries` gives one stream at a time."""
        wanted = list(dict.fromkeys(streams))
        found = entries_of_rows(self.recorder.select_streams(wanted), self._decode)
        return {s: found[s] for s in wanted if s in found}

    def streams_ending(self, first: int, last: int) -> dict[UUID, list[Entry]]:
        """The entries of every stream whose latest event has a notification id from ``first``
        to ``last``. Each stream belongs to the one window that holds its latest event, so
        walking the log in windows reads (and a rebuild derives) every child once (see
        :meth:`JourneysRecorder.select_streams_ending`)."""
        return entries_of_interleaved_rows(self.recorder.select_streams_ending(first, last), self._decode)

    def show(self, la: str, child: str, *, as_at: date | None = None, known_at: datetime | None = None) -> ChildView:
        decisions = decisions_at(self.entries(la, child), known_at=known_at, as_at=as_at)
        return ChildView(la, child, as_at, known_at, replay(decisions), len(decisions))

    def history(self, la: str, child: str) -> list[HistoryRow]:
        entries = self.entries(la, child)
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
            entries = found[stream]
            yield str(entries[0].fields["la"]), str(entries[0].fields["child"]), entries

    def verify(self, progress: Progress | None = None) -> VerifyReport:
        """Re-check every stream's hash chain against the stored content; ``progress`` is told
        now and then how far the check is through the log (in notification ids, of
        :meth:`head` in all)."""
        report = VerifyReport()
        heads: dict[UUID, tuple[int, str, str, str]] = {}
        total = self.head() if progress is not None else 0
        for note in self.notifications():
            report.events += 1
            if progress is not None and report.events % PROGRESS_EVERY == 0:
                progress(min(note.id, total), total)
            stream = _uuid(note.originator_id)
            version, previous, la, child = heads.get(stream, (0, "", "?", "?"))
            try:
                event = self.mapper.to_domain_event(note)
                assert isinstance(event, Journey.Event)
            except Exception as error:
                report.tampered.append(TamperedEvent(la, child, note.originator_version, f"unreadable: {error}"))
                heads[stream] = (note.originator_version, "!", la, child)
                continue
            if isinstance(event, Journey.Opened):
                la, child = event.la, event.child
                report.streams += 1
            if note.originator_version != version + 1:
                report.tampered.append(TamperedEvent(la, child, note.originator_version, f"follows event {version}"))
            if seal(previous, event) != event.hash:
                report.tampered.append(
                    TamperedEvent(la, child, note.originator_version, "content does not match its hash")
                )
            heads[stream] = (note.originator_version, event.hash, la, child)
        if progress is not None:
            progress(total, total)
        return report

    def head(self) -> int:
        """The notification id of the latest stored event (0 for an empty store): how many
        events a whole-store command such as `verify` or `export` goes through."""
        return self.recorder.max_notification_id() or 0

    # -- helpers ----------------------------------------------------------------------

    def _decode(self, stored: StoredEvent) -> Journey.Event:
        event = self.mapper.to_domain_event(stored)
        assert isinstance(event, Journey.Event)
        return event

    def _get(self, la: str, child: str) -> Journey:
        journey = self.find(la, child)
        if journey is None:
            raise ChildNotFound(f"no journey for child {child!r} in local authority {la}")
        return journey

    def _get_or_open(self, la: str, child: str, now: datetime, recorded_by: str, source: str) -> Journey:
        return self.find(la, child) or Journey.open(la, child, recorded_at=now, recorded_by=recorded_by, source=source)


# How many events `verify` checks between two calls of its progress callback.
PROGRESS_EVERY = 10_000

# How many children `streams()` reads in one go (one query per 500 of them).
STREAMS_READ_TOGETHER = 1000


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)


def _fresh_id(journey: Journey, base: str) -> str:
    """The content id, numbered when the same content was recorded before and retracted
    (a true duplicate of a decision in force is refused by the rules, not here)."""
    event_id, number = base, 1
    while event_id in journey.event_ids:
        number += 1
        event_id = f"{base}#{number}"
    return event_id
