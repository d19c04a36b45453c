"""Tamper evidence checked: every stored event decoded and its hash chain re-derived, stream by
stream, in the order the log holds them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import Notification

from journeys.domain.journey import Journey
from journeys.domain.sealing import seal
from journeys.progress import Progress

# How many events `verify` checks between two calls of its progress callback.
PROGRESS_EVERY = 10_000


@dataclass(frozen=True)
class TamperedEvent:
    """An event that fails, of the child its stream's opening event names ("?" when none
    could be read), by its stream's id."""

    la: str
    child: str
    seq: int
    problem: str
    stream: UUID | None = None


class Observer(Protocol):
    def __call__(self, stream: UUID, version: int, event: Journey.Event) -> None:
        """Told of every stored event the check could read: its stream, its stored version and
        the event (whether or not its content matches its hash)."""


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
    observe: Observer | None = None,
) -> VerifyReport:
    """Every event of ``notifications`` (the whole log, ``total`` its last id) decoded with
    ``decode`` and checked: versions that follow one another, content that matches its hash.
    ``observe``, if given, is told of each event read (a checkpoint collects the heads so)."""
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
            report.tampered.append(TamperedEvent(la, child, note.originator_version, f"unreadable: {error}", stream))
            heads[stream] = (note.originator_version, "!", la, child)
            continue
        if isinstance(event, Journey.Opened):
            la, child = event.la, event.child
            report.streams += 1
        if observe is not None:
            observe(stream, note.originator_version, event)
        if note.originator_version != version + 1:
            problem = f"follows event {version}"
            report.tampered.append(TamperedEvent(la, child, note.originator_version, problem, stream))
        if seal(previous, event) != event.hash:
            problem = "content does not match its hash"
            report.tampered.append(TamperedEvent(la, child, note.originator_version, problem, stream))
        heads[stream] = (note.originator_version, event.hash, la, child)
    if progress is not None:
        progress(total, total)
    # An event read before its stream's opening event (moved, say) is named once that is read.
    for i, tampered in enumerate(report.tampered):
        if tampered.la == "?" and tampered.stream in heads:
            _, _, la, child = heads[tampered.stream]
            report.tampered[i] = replace(tampered, la=la, child=child)
    return report
