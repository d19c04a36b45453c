"""Tamper evidence checked: every stored event decoded and its hash chain re-derived, stream by
stream, in the order the log holds them. The same pass gives a checkpoint what it needs: each
stream's head, and the hashes of the events a checkpoint names."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from journeys.domain.hashing import chain
from journeys.domain.journey import Journey
from journeys.domain.sealing import seal
from journeys.progress import Progress

# How many events `verify` checks between two calls of its progress callback.
PROGRESS_EVERY = 10_000

# A stream's head as the pass read it: (version, hash of that event, la, child); la and child
# from its opening event ("?" when none was read), the hash "!" for an unreadable event.
Head = tuple[int, str, str, str]


@dataclass(frozen=True)
class TamperedEvent:
    """An event that fails, of the child its stream's opening event names ("?" when none
    could be read), by its stream's id."""

    la: str
    child: str
    seq: int
    problem: str
    stream: UUID | None = None


@dataclass
class VerifyReport:
    """What the pass found. Streams are keyed by their id's integer (``UUID.int``: a UUID hashes
    in Python, an int in C, and the pass looks a stream up once or twice an event).

    ``heads``: each stream's latest event read (with ``known_at``, the latest of its first
    events recorded at or before then; a stream with none is left out). ``at``: the hash of each
    event asked for by ``wanted``, by (stream, version).
    """

    streams: int = 0
    events: int = 0
    tampered: list[TamperedEvent] = field(default_factory=list)
    heads: dict[int, Head] = field(default_factory=dict)
    at: dict[tuple[int, int], str] = field(default_factory=dict)


def verify_chains(
    notifications: Iterable[Notification],
    decode: Callable[[Notification], Any],
    total: int,
    progress: Progress | None = None,
    *,
    wanted: Mapping[int, Collection[int]] | None = None,
    known_at: datetime | None = None,
    stored: Callable[[Notification], dict[str, Any]] | None = None,
) -> VerifyReport:
    """Every event of ``notifications`` (the whole log, ``total`` its last id) decoded with
    ``decode`` and checked: versions that follow one another, content that matches its hash.
    ``wanted`` (stream to versions) names the events whose hashes to keep; ``known_at`` asks
    for the heads as known at that recording time. ``stored`` (an erasable store, sealing
    format 2) gives an event's content as stored, its protected values tokens: its hash is
    re-derived from that, so a child whose key is destroyed still verifies."""
    report = VerifyReport()
    heads = report.heads
    at = report.at
    known: dict[int, tuple[int, str]] = {}
    closed: set[int] = set()
    for note in notifications:
        report.events += 1
        if progress is not None and report.events % PROGRESS_EVERY == 0:
            progress(min(note.id, total), total)
        stream = note.originator_id if isinstance(note.originator_id, UUID) else UUID(str(note.originator_id))
        key = stream.int
        version, previous, la, child = heads.get(key, (0, "", "?", "?"))
        try:
            event = decode(note)
            assert isinstance(event, Journey.Event)
        except Exception as error:
            report.tampered.append(TamperedEvent(la, child, note.originator_version, f"unreadable: {error}", stream))
            heads[key] = (note.originator_version, "!", la, child)
            continue
        if isinstance(event, Journey.Opened):
            la, child = event.la, event.child
            report.streams += 1
        if note.originator_version != version + 1:
            problem = f"follows event {version}"
            report.tampered.append(TamperedEvent(la, child, note.originator_version, problem, stream))
        sealed_to = seal(previous, event) if stored is None else chain(previous, note.topic, stored(note))
        if sealed_to != event.hash:
            problem = "content does not match its hash"
            report.tampered.append(TamperedEvent(la, child, note.originator_version, problem, stream))
        heads[key] = (note.originator_version, event.hash, la, child)
        if wanted is not None:
            versions = wanted.get(key)
            if versions is not None and note.originator_version in versions:
                at[(key, note.originator_version)] = event.hash
        if known_at is not None and key not in closed:
            if event.timestamp <= known_at:
                known[key] = (note.originator_version, event.hash)
            else:
                closed.add(key)
    if progress is not None:
        progress(total, total)
    # An event read before its stream's opening event (moved, say) is named once that is read.
    for i, tampered in enumerate(report.tampered):
        if tampered.la == "?" and tampered.stream is not None and tampered.stream.int in heads:
            _, _, la, child = heads[tampered.stream.int]
            report.tampered[i] = replace(tampered, la=la, child=child)
    if known_at is not None:
        report.heads = {key: (version, hash_, *heads[key][2:]) for key, (version, hash_) in known.items()}
    return report
