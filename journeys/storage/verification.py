"""Tamper evidence checked: every stored event decoded and its hash chain re-derived, stream by
stream, in the order the log holds them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from journeys.domain.journey import Journey
from journeys.domain.sealing import seal
from journeys.progress import Progress

# How many events `verify` checks between two calls of its progress callback.
PROGRESS_EVERY = 10_000


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


def verify_chains(
    notifications: Iterable[Notification],
    decode: Callable[[Notification], Any],
    total: int,
    progress: Progress | None = None,
) -> VerifyReport:
    """Every event of ``notifications`` (the whole log, ``total`` its last id) decoded with
    ``decode`` and checked: versions that follow one another, content that matches its hash."""
    report = VerifyReport()
    heads: dict[UUID, tuple[int, str, str, str]] = {}
    for note in notifications:
        report.events += 1
        if progress is not None and report.events % PROGRESS_EVERY == 0:
            progress(min(note.id, total), total)
        stream = note.originator_id if isinstance(note.originator_id, UUID) else UUID(str(note.originator_id))
        version, previous, la, child = heads.get(stream, (0, "", "?", "?"))
        try:
            event = decode(note)
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
            report.tampered.append(TamperedEvent(la, child, note.originator_version, "content does not match its hash"))
        heads[stream] = (note.originator_version, event.hash, la, child)
    if progress is not None:
        progress(total, total)
    return report
