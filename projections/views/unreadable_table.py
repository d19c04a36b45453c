"""The ``unreadable_stream`` table: the children whose stored events could not be read when
they were last derived (a corrupt event, see `journeys verify`). Such a child has no rows in
the other tables; this table remembers it, so that every report, not only the catch-up that
met it, can warn that its figures leave that child out.

Primary key: the stream id. A stream derived again (after a repair) loses its row like any
other of its rows.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from journeys.storage.unreadable import UnreadableStream
from projections.views.columns import Table

TABLE = "unreadable_stream"
LAYOUT = Table(
    TABLE,
    (
        ("stream_id", "TEXT NOT NULL"),
        ("version", "INTEGER NOT NULL"),
        ("la", "TEXT NOT NULL"),
        ("child", "TEXT NOT NULL"),
    ),
    key=("stream_id",),
)


def to_record(found: UnreadableStream) -> tuple[Any, ...]:
    return (str(found.stream), found.version, found.la, found.child)


def from_record(values: tuple[Any, ...]) -> UnreadableStream:
    stream, version, la, child = values
    return UnreadableStream(UUID(str(stream)), int(version), str(la), str(child))
