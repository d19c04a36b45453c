"""JourneysApp: the one API of the journey store. The CLI and the read models call it.

Library errors are converted here to the engine's own typed errors; the clock is read
here (through :mod:`journeys.clock`) once per command, and once per batch of a load
(:mod:`journeys.loading.batch`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import Mapper, Notification, PersistenceError, StoredEvent
from eventsourcing.sqlite import SQLiteAggregateRecorder

from journeys.clock import recording_time
from journeys.domain.errors import ChildNotFound, StoreError
from journeys.domain.identity import content_id, journey_id
from journeys.domain.journey import Journey
from journeys.domain.payloads import parse_fields
from journeys.domain.rules import ChildState, replay
from journeys.domain.sealing import seal
from journeys.domain.timeline import ACTION_ADDED, CORRECT, RETRACT, Entry, decisions_at, superseded_seqs
from journeys.loading.batch import LOAD_BATCH, BatchLoad, LoadReport
from journeys.loading.jsonl import LoadLine, Rejected, export_line
from journeys.storage.decoding import entries_from_rows, entries_from_stored
from journeys.storage.location import DEFAULT_STORE, store_env
from journeys.storage.mapper import OrjsonTranscoder, PydanticMapper


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

    def __init__(self, store: str = DEFAULT_STORE, env: Mapping[str, str] | None = None) -> None:
        self.store = store
        settings = store_env(store)
        settings.update(env or {})
        try:
            super().__init__(env=settings)
        except PersistenceError as error:
            raise StoreError(f"cannot open the store {store!r}: {error}") from None

    def construct_mapper(self) -> Mapper[UUID]:
        return PydanticMapper(transcoder=OrjsonTranscoder())

    def is_shared_store(self) -> bool:
        """Whether other processes can open this store (not so an in-memory one)."""
        return self.env.get("PERSISTENCE_MODULE") != "eventsourcing.popo"

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

    def load(
        self,
        items: Iterable[LoadLine | Rejected],
        *,
        recorded_by: str,
        source_name: str,
        batch_size: int = LOAD_BATCH,
        bulk: bool = True,
    ) -> LoadReport:
        """Append parsed JSONL lines in batches; each line is loaded, skipped or rejected.

        A line whose id is already in its child's stream is skipped, so loading a file
        twice appends nothing. Each batch is saved in one transaction.

        A decision is sealed in bulk (its stored JSON built from the fields validated when
        the line was read, without a pydantic event object; see ``Journey.record``). With
        ``bulk=False`` every line goes through its event object, as :meth:`record` does: the
        store is byte-for-byte the same, only slower (a property test holds the two equal).
        """
        return BatchLoad(self, recorded_by, source_name, bulk).run(items, batch_size)

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

    def verify(self, progress: Callable[[int], None] | None = None) -> VerifyReport:
        """Re-check every stream's hash chain against the stored content; ``progress`` is told
        now and then how many more events were checked."""
        report = VerifyReport()
        heads: dict[UUID, tuple[int, str, str, str]] = {}
        for note in self.notifications():
            report.events += 1
            if progress is not None and report.events % PROGRESS_EVERY == 0:
                progress(PROGRESS_EVERY)
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
            progress(report.events % PROGRESS_EVERY)
        return report

    def export(self, progress: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
        """Every stream as JSONL objects, loadable into another store with `load`; ``progress``
        is told how many stored events each child's lines came from."""
        for la, child, entries in self.streams():
            ids = {e.seq: e.event_id for e in entries}
            for entry in entries:
                line = export_line(la, child, entry, ids)
                if line is not None:
                    yield line
            if progress is not None:
                progress(len(entries))

    def head(self) -> int:
        """The notification id of the latest stored event (0 for an empty store): how many
        events a whole-store command such as `verify` or `export` goes through."""
        return self.recorder.max_notification_id() or 0

    # -- helpers ----------------------------------------------------------------------

    def _find(self, la: str, child: str) -> Journey | None:
        try:
            journey: object = self.repository.get(journey_id(la, child))
        except AggregateNotFoundError:
            return None
        assert isinstance(journey, Journey)
        return journey

    def _stored_streams(self, streams: set[UUID]) -> set[UUID] | None:
        """Which of ``streams`` have stored events, in one query, so a load never reads back
        a child it is about to open (None when the store cannot say: read each one)."""
        rows = self._select_streams(streams, "DISTINCT originator_id")
        if rows is None:
            return None
        return {UUID(str(r["originator_id"])) for r in rows}

    def _select_streams(self, streams: Iterable[UUID], columns: str, order: str = "") -> list[Any] | None:
        """Rows of the events table for many streams, 500 to a query (None for a store
        without SQL, such as the in-memory one)."""
        recorder: Any = self.recorder
        if isinstance(recorder, SQLiteAggregateRecorder):  # stores ids as hex text
            table, mark, ids = recorder.events_table_name, "?", [s.hex for s in streams]
        elif _is_postgres(recorder):
            table, mark = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"', "%s"
            ids = [str(s) for s in streams]
        else:
            return None
        found: list[Any] = []
        with recorder.datastore.transaction(commit=False) as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join([mark] * len(chunk))
                cursor.execute(f"SELECT {columns} FROM {table} WHERE originator_id IN ({marks}) {order}", chunk)
                found.extend(cursor.fetchall())
        return found

    def streams_entries(self, streams: Iterable[UUID]) -> dict[UUID, list[Entry]]:
        """The entries of many streams by id, read in a few queries (a stream with no events
        is left out). Same entries as :meth:`stream_entries` gives one stream at a time."""
        wanted = list(dict.fromkeys(streams))
        rows = self._select_streams(
            wanted, "originator_id, originator_version, topic, state", "ORDER BY originator_id, originator_version"
        )
        if rows is None:
            return {s: entries for s in wanted if (entries := self.stream_entries(s))}
        found = self._entries_of_rows(
            (r["originator_id"], r["originator_version"], r["topic"], r["state"]) for r in rows
        )
        return {s: found[s] for s in wanted if s in found}

    def streams_ending(self, first: int, last: int) -> dict[UUID, list[Entry]] | None:
        """The entries of every stream whose latest event has a notification id from ``first``
        to ``last`` (None for a store without SQL). Each stream belongs to the one window that
        holds its latest event, so walking the log in windows reads (and a rebuild derives)
        every child once.

        The window's events are read as one range of notification ids; one look-up per stream
        in the primary key's index (which holds the notification id) says where each stream
        begins and ends; only a stream ending here that began in an earlier window has its
        earlier events read by id."""
        recorder: Any = self.recorder
        if isinstance(recorder, SQLiteAggregateRecorder):
            table, mark, number = recorder.events_table_name, "?", "rowid"
        elif _is_postgres(recorder):
            table, mark = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"', "%s"
            number = "notification_id"
        else:
            return None
        columns = "originator_id, originator_version, topic, state"
        with recorder.datastore.transaction(commit=False) as cursor:
            if isinstance(recorder, SQLiteAggregateRecorder):
                cursor.sqlite_cursor.row_factory = None  # plain tuples: no sqlite3.Row per event
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE {number} BETWEEN {mark} AND {mark} ORDER BY {number}",
                [first, last],
            )
            window = _tuples(cursor.fetchall())
            ids = list(dict.fromkeys(row[0] for row in window))
            began: dict[Any, int] = {}  # stream ending in the window -> its first notification id
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                cursor.execute(
                    f"SELECT originator_id, MIN({number}), MAX({number}) FROM {table} "
                    f"WHERE originator_id IN ({', '.join([mark] * len(chunk))}) GROUP BY originator_id",
                    chunk,
                )
                for bounds in cursor.fetchall():
                    raw, low, high = bounds if isinstance(bounds, tuple) else tuple(bounds.values())
                    if high <= last:
                        began[raw] = low
            earlier = [raw for raw, low in began.items() if low < first]
            rows: list[tuple[Any, int, str, bytes]] = []
            for start in range(0, len(earlier), 500):
                chunk = earlier[start : start + 500]
                cursor.execute(
                    f"SELECT {columns} FROM {table} "
                    f"WHERE originator_id IN ({', '.join([mark] * len(chunk))}) AND {number} < {mark} "
                    "ORDER BY originator_id, originator_version",
                    [*chunk, first],
                )
                rows.extend(_tuples(cursor.fetchall()))
        # each stream's events in version order: its earlier events, then the window's (in
        # notification order, which is a stream's version order; a group is sorted if not)
        grouped: dict[Any, list[tuple[int, str, bytes]]] = {}
        for raw, version, topic, state in chain(rows, (row for row in window if row[0] in began)):
            same = grouped.get(raw)
            if same is None:
                grouped[raw] = [(version, topic, state)]
            elif same[-1][0] < version:
                same.append((version, topic, state))
            else:
                same.append((version, topic, state))
                same.sort(key=_version)
        return self._entries_of_groups(grouped)

    def _entries_of_rows(self, rows: Iterable[tuple[Any, int, str, bytes]]) -> dict[UUID, list[Entry]]:
        """(stream id, version, topic, state) rows of the events table, ordered by stream and
        version, as each stream's entries."""
        grouped: dict[Any, list[tuple[int, str, bytes]]] = {}
        for raw, version, topic, state in rows:
            same = grouped.get(raw)
            if same is None:
                grouped[raw] = [(version, topic, state)]
            else:
                same.append((version, topic, state))
        return self._entries_of_groups(grouped)

    def _entries_of_groups(self, grouped: Mapping[Any, list[tuple[int, str, bytes]]]) -> dict[UUID, list[Entry]]:
        """Each stream's (version, topic, state) events, in version order, as its entries."""
        found: dict[UUID, list[Entry]] = {}
        for raw, events in grouped.items():
            stream = raw if isinstance(raw, UUID) else UUID(str(raw))
            found[stream] = entries_from_rows(stream, events, self._decode)
        return found

    def _decode(self, stored: StoredEvent) -> Journey.Event:
        event = self.mapper.to_domain_event(stored)
        assert isinstance(event, Journey.Event)
        return event

    def _get(self, la: str, child: str) -> Journey:
        journey = self._find(la, child)
        if journey is None:
            raise ChildNotFound(f"no journey for child {child!r} in local authority {la}")
        return journey

    def _get_or_open(self, la: str, child: str, now: datetime, recorded_by: str, source: str) -> Journey:
        return self._find(la, child) or Journey.open(la, child, recorded_at=now, recorded_by=recorded_by, source=source)


# How many events `verify` checks between two calls of its progress callback.
PROGRESS_EVERY = 10_000

# How many children `streams()` reads in one go (one query per 500 of them).
STREAMS_READ_TOGETHER = 1000


def _tuples(rows: list[Any]) -> list[tuple[Any, int, str, bytes]]:
    """Rows of the events table as (stream, version, topic, state) tuples (PostgreSQL's
    cursor gives dicts)."""
    if rows and isinstance(rows[0], dict):
        return [(r["originator_id"], r["originator_version"], r["topic"], r["state"]) for r in rows]
    return rows


def _version(event: tuple[int, str, bytes]) -> int:
    return event[0]


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


def _is_postgres(recorder: object) -> bool:
    """A recorder of the library's postgres module (not imported unless a PostgreSQL store is
    opened, which keeps the CLI quick to start on SQLite)."""
    return type(recorder).__module__ == "eventsourcing.postgres"
