"""What a checkpoint needs of the store, gathered during `verify`'s one pass over the log:
each stream's head (optionally as known at a recording time) and the hashes of the events a
checkpoint names."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from uuid import UUID

from journeys.domain.journey import Journey


class HeadsSeen:
    """An observer of :meth:`journeys.JourneysApp.verify` (see
    :func:`journeys.storage.verification.verify_chains`).

    ``heads`` holds each stream's latest event read, as (version, hash): with ``known_at``,
    the latest of the stream's first events recorded at or before ``known_at`` (the first
    event recorded after it closes the stream). ``at`` holds the hash of every event asked for
    in ``wanted`` (stream id to versions) that was read, by (stream, version). ``names``
    holds each stream's LA and child reference, from its opening event.
    """

    def __init__(
        self, *, known_at: datetime | None = None, wanted: Mapping[UUID, Collection[int]] | None = None
    ) -> None:
        self.known_at = known_at
        self.wanted = wanted or {}
        self.heads: dict[UUID, tuple[int, str]] = {}
        self.at: dict[tuple[UUID, int], str] = {}
        self.names: dict[UUID, tuple[str, str]] = {}
        self._closed: set[UUID] = set()

    def __call__(self, stream: UUID, version: int, event: Journey.Event) -> None:
        if isinstance(event, Journey.Opened):
            self.names[stream] = (event.la, event.child)
        if self.known_at is None:
            self.heads[stream] = (version, event.hash)
        elif stream not in self._closed:
            if event.timestamp <= self.known_at:
                self.heads[stream] = (version, event.hash)
            else:
                self._closed.add(stream)
        versions = self.wanted.get(stream)
        if versions and version in versions:
            self.at[(stream, version)] = event.hash
