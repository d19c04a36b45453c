"""A stream a read leaves out because one of its stored events cannot be read (a corrupt
row, say): which stream, which event, and whose it is, to warn of without the event's content.
`journeys verify` reports such an event as tampered; reports and rebuilds go on without it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent


@dataclass(frozen=True)
class UnreadableStream:
    """A stream a read left out because one of its stored events could not be read: its id,
    the first unreadable event's version, and the child's la and reference when its opening
    event is readable ('' when not)."""

    stream: UUID
    version: int
    la: str = ""
    child: str = ""

    def describe(self) -> str:
        """One line naming the child (or the stream) and the event, nothing of its content."""
        who = f"child {self.child!r} in local authority {self.la}" if self.child else f"stream {self.stream}"
        return (
            f"left out {who}: its stored event {self.version} cannot be read "
            "(run `journeys verify`; the figures do not include this child)"
        )


def locate_unreadable(
    stream: UUID, stored: list[StoredEvent], decode: Callable[[StoredEvent], Any]
) -> UnreadableStream:
    """Which of a stream's stored events cannot be read (the first), and whose stream it is."""
    version = stored[-1].originator_version if stored else 0
    for event in stored:
        try:
            decode(event)
        except Exception:
            version = event.originator_version
            break
    try:
        opened = orjson.loads(stored[0].state)
        la, child = str(opened["la"]), str(opened["child"])
    except Exception:
        la = child = ""
    return UnreadableStream(stream, version, la, child)
