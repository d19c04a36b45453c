"""Keeping the read model's tables current: incremental catch-up from the notification log, rebuild,
status, and the in-memory ``--known-at`` path.

Catch-up reads notifications after the tracked position in batches. For each batch it
collects the streams (children) the batch touched, re-derives each of them once from its
whole stream (so a correction or retraction re-derives the child), and writes their rows
with the batch's last notification id in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from journeys.application import JourneysApp
from journeys.domain.errors import JourneyError
from journeys.progress import Progress
from journeys.storage.unreadable import UnreadableStream
from journeys.workers import collection_paused
from projections.metrics.summary import PeriodSummary, summarise
from projections.views.derivation import ViewRows, derive_streams
from projections.views.rebuild import rebuild_windows, rebuild_windows_in_processes, rebuild_workers
from projections.views.store import JourneysViews, RebuildTablesGone

BATCH = 1000
WINDOW = 10_000  # notification ids per rebuild transaction


class ViewsAhead(JourneyError):
    """The read model has applied more events than the event store holds: it belongs to
    another (or a replaced) event store."""

    remedy = "run `journeys projections rebuild` to rebuild it from this store"


class NotTheOwner(JourneyError):
    """A role granted only some local authorities of a shared PostgreSQL store asked to
    write the read model, which holds every authority's rows and one position for them all."""

    remedy = "run it as the store's owner, which keeps the read model current for every role (docs/data-protection.md)"


@dataclass(frozen=True)
class CatchUp:
    """What one catch-up did: notifications applied, children re-derived, the new position."""

    events: int
    children: int
    position: int
    head: int


@dataclass(frozen=True)
class Status:
    position: int
    head: int
    rows: int
    location: str

    @property
    def behind(self) -> int:
        return max(0, self.head - self.position)


def _stream_uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def view_rows_of(app: JourneysApp, streams: Iterable[UUID]) -> ViewRows:
    """The view store's rows of the given streams, each read once (many streams to a query);
    a stream whose stored events cannot be read has no rows, and is remembered as unreadable."""
    unreadable: list[UnreadableStream] = []
    return derive_streams(app.streams_entries(streams, unreadable), unreadable)


def catch_up(
    app: JourneysApp, views: JourneysViews, *, batch: int = BATCH, progress: Progress | None = None
) -> CatchUp:
    """Apply every notification recorded since the tracked position, batch by batch;
    ``progress`` is told how far it has got through the notification ids it had to apply.

    A role that sees only some local authorities (:meth:`JourneysApp.visible_las`) applies
    nothing: it would apply only its authorities' events and move the one position past the
    others'. It reads the read model as the store's owner keeps it (and writes none of it)."""
    if app.visible_las() is not None:
        return CatchUp(0, 0, views.position(), app.head())
    events = children = 0
    position = start = views.position()
    last = app.head()
    if position > last:
        raise ViewsAhead(
            f"the read model {views.location} is at event {position} but the event store ends at event {last}"
        )
    while position < last:
        notes = list(islice(app.notifications(position + 1, batch, stop=last), batch))
        if not notes:
            break
        streams = list(dict.fromkeys(_stream_uuid(n.originator_id) for n in notes))
        rows = view_rows_of(app, streams)
        try:
            views.write([str(s) for s in streams], rows, notes[-1].id, after=position)
        except IntegrityError:
            # Another process applied this batch first, or a rebuild's tables were swapped in
            # meanwhile: carry on from where the tables are.
            position = views.position()
            continue
        events += len(notes)
        children += len(streams)
        position = notes[-1].id
        if progress is not None:
            progress(position - start, last - start)
    return CatchUp(events, children, position, last)


def rebuild(
    app: JourneysApp,
    views: JourneysViews,
    *,
    batch: int = BATCH,
    window: int = WINDOW,
    progress: Progress | None = None,
    workers: int | None = None,
) -> CatchUp:
    """Derive every child again into tables of the rebuild's own, and swap them in for the
    tables the reports read in one transaction when they are complete: a reader sees the old
    tables or the rebuilt ones, and a rebuild that fails or is stopped part way leaves the old
    ones as they were (a rebuild run again starts afresh).

    The log is walked in windows of notification ids; each window derives the children whose
    latest event lies in it, once each from their whole stream, and inserts their rows with
    the window's end as the position. A child with an event after that position is derived
    in a later window, or by the catch-up that follows: what was recorded since the rebuild
    began is applied to the rebuilt tables before the swap, and what was recorded since
    then by an ordinary catch-up after it. Catch-ups meanwhile keep the old tables current.

    ``workers`` processes derive the windows (default: :func:`rebuild_workers`); this one
    writes them in order, so the result is the same with any number. ``progress`` is told
    the notification id reached of the last one.
    """
    refuse_if_limited(app, "rebuild the read model")
    rebuilt = views.rebuilding()
    last = app.head()
    parts = rebuild_workers(app, last) if workers is None else workers
    events = children = 0
    try:
        with collection_paused():
            if parts > 1 and app.is_shared_store() and last > window:
                events, children = rebuild_windows_in_processes(app, rebuilt, last, window, parts, progress)
            else:
                events, children = rebuild_windows(app, rebuilt, last, window, progress)
        while True:
            reached = rebuilt.position()
            if app.head() > reached:
                rebuilt.create_indexes()  # the catch-up finds a child's rows to replace by them
            rest = catch_up(app, rebuilt, batch=batch, progress=_from(reached, progress) if progress else None)
            events, children = events + rest.events, children + rest.children
            if views.swap_in(rebuilt, rest.position):
                break
            # another rebuild wrote to these tables meanwhile (what they hold is sound): again
    except RebuildTablesGone:
        pass  # another rebuild, run at the same time, swapped its tables in first
    after = catch_up(app, views, batch=batch)
    return CatchUp(events + after.events, children + after.children, after.position, after.head)


def refuse_if_limited(app: JourneysApp, doing: str) -> None:
    """:class:`NotTheOwner` for a role that sees only some local authorities."""
    visible = app.visible_las()
    if visible is not None:
        shown = ", ".join(visible) or "none"
        raise NotTheOwner(f"this role sees only some local authorities of the store ({shown}) and cannot {doing}")


def _from(reached: int, progress: Progress) -> Progress:
    """``progress`` told of a catch-up that starts at notification id ``reached``."""

    def told(done: int, total: int) -> None:
        progress(reached + done, reached + total)

    return told


def status(app: JourneysApp, views: JourneysViews) -> Status:
    return Status(views.position(), app.head(), views.count(), views.location)


def summaries_known_at(app: JourneysApp, known_at: datetime, las: Iterable[str] | None = None) -> list[PeriodSummary]:
    """Summary rows derived in memory from only the events recorded by ``known_at``."""
    wanted = set(las or [])
    rows: list[PeriodSummary] = []
    for la, _child, entries in app.streams():
        if (wanted and la not in wanted) or entries[0].recorded_at > known_at:
            continue
        rows.extend(summarise(entries, known_at=known_at))
    return sorted(rows, key=lambda r: (r.la, r.child, r.period))


def current_summaries(
    app: JourneysApp,
    views: JourneysViews,
    *,
    known_at: datetime | None = None,
    las: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> list[PeriodSummary]:
    """The rows a report reads: the caught-up table, or the ``known_at`` replay."""
    if known_at is not None:
        return summaries_known_at(app, known_at, las)
    catch_up(app, views, progress=progress)
    return views.rows(las)
