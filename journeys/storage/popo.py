"""The in-memory journey store: the library's plain-Python application recorder with the port's
queries answered by walking its events (``PERSISTENCE_MODULE=journeys.storage.popo``)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from uuid import UUID

from eventsourcing import popo
from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from journeys.storage.access_log import AccessLogStore, MemoryAccessLog
from journeys.storage.recorders import JourneysRecorder, NewRow, StoredRow
from journeys.storage.returns_log import MemoryReturnsLog, ReturnsLogStore


class POPOJourneysRecorder(JourneysRecorder, popo.POPOApplicationRecorder):
    """Events are held in a list in this process; the list's position numbers the log."""

    shared_between_processes = False

    def select_streams(self, streams: Sequence[UUID]) -> list[StoredRow]:
        return [
            (event.originator_id, event.originator_version, event.topic, event.state)
            for stream in sorted(streams)
            for event in self.select_events(stream)
        ]

    def stored_streams(self, streams: Collection[UUID]) -> set[UUID]:
        return {stream for stream in streams if self.select_events(stream, limit=1)}

    def select_streams_ending(self, first: int, last: int) -> Iterator[StoredRow]:
        with self._database_lock:
            window = self._stored_events[first - 1 : last]
            ending = [
                key
                for key in dict.fromkeys(str(event.originator_id) for event in window)
                if max(self._stored_events_index[key].values()) < last  # its latest event's position
            ]
            rows = [
                (event.originator_id, event.originator_version, event.topic, event.state)
                for key in ending
                for index in (self._stored_events_index[key],)
                for event in (self._stored_events[index[version]] for version in sorted(index))
            ]
        return iter(rows)

    def insert_bulk(self, rows: Sequence[NewRow], las: Mapping[UUID, str] | None = None) -> None:
        self.insert_events(
            [StoredEvent(originator_id=k, originator_version=v, topic=t, state=s) for k, v, t, s in rows]
        )

    def end_bulk(self) -> None:
        """Nothing: an in-memory store has no settings."""

    def make_access_log(self) -> AccessLogStore:
        return MemoryAccessLog()

    def make_returns_log(self) -> ReturnsLogStore:
        return MemoryReturnsLog()


class POPOJourneysFactory(popo.POPOFactory):
    def application_recorder(self) -> ApplicationRecorder:
        return POPOJourneysRecorder()
