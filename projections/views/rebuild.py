"""A rebuild's main part: the log walked in windows of notification ids, each window's
children derived and inserted (into the tables a rebuild fills, see
:meth:`projections.views.store.JourneysViews.rebuilding`) with the window's end as the
position; in several processes when the store is large.

Each child is derived once, in the window that holds its latest event, from its whole
stream (:meth:`journeys.JourneysApp.streams_ending`). Windows are independent, so other
processes can derive them: each opens the store, derives the windows it is given and
sends back their rows as column values; this process writes the windows one by one in log
order, exactly as a one-process rebuild writes them, so the tables, the sums and the
recorded position are the same.
"""

from __future__ import annotations

import os
import traceback
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from journeys.application import JourneysApp
from journeys.domain.errors import JourneyError, StoreError
from journeys.domain.timeline import Entry
from journeys.progress import Progress
from journeys.storage.unreadable import UnreadableStream
from journeys.workers import MAX_WORKERS, cpus, die_with_parent, process_context
from projections.views.derivation import TableRecords, ViewRows, derive_streams
from projections.views.dialect import Dialect
from projections.views.store import JourneysViews

# A store of this many events or more is rebuilt by several processes when workers is not
# given (starting them costs a few tenths of a second, about 20,000 events' work).
PARALLEL_FROM_EVENTS = 50_000


def rebuild_workers(app: JourneysApp, events: int) -> int:
    """How many processes rebuild ``app``'s store of ``events`` events by default:
    :func:`workers_for_events`, or one for a store other processes cannot open."""
    return workers_for_events(events) if app.is_shared_store() else 1


def workers_for_events(events: int) -> int:
    """One process per available CPU (at most four) for a large store; one otherwise."""
    return 1 if events < PARALLEL_FROM_EVENTS else max(1, min(MAX_WORKERS, cpus()))


def window_rows(found: Mapping[UUID, Sequence[Entry]], unreadable: Sequence[UnreadableStream] = ()) -> ViewRows:
    """The view store's rows of a window's children, each table's in its key order (and the
    window's streams that could not be read)."""
    rows = derive_streams(found, unreadable)
    rows.sort()
    return rows


def rebuild_windows(
    app: JourneysApp, views: JourneysViews, last: int, window: int, progress: Progress | None
) -> tuple[int, int]:
    """Insert the rows of every child whose latest event is at or before ``last``, window by
    window, in this process; (events read, children derived). ``progress`` is told the
    notification id reached of ``last``."""
    position = events = children = 0
    while position < last:
        upto = min(position + window, last)
        unreadable: list[UnreadableStream] = []
        found = app.streams_ending(position + 1, upto, unreadable)
        try:
            views.insert(window_rows(found, unreadable), upto, after=position)
        except IntegrityError:
            break  # another rebuild wrote to these tables: the caller's catch-up does the rest
        events += sum(len(entries) for entries in found.values())
        children += len(found)
        if progress is not None:
            progress(upto, last)
        position = upto
    return events, children


@dataclass(frozen=True)
class _RebuildJob:
    """What a deriving process needs to open the store and make the view store's column values."""

    store: str
    env: dict[str, str]
    dialect: Dialect
    parent: int  # the rebuilding process: a deriving process ends with it


@dataclass(frozen=True)
class _WindowRecords:
    """One window's rows as the tables' column values (and what they add to the sums)."""

    first: int
    upto: int
    records: TableRecords
    events: int
    children: int


@dataclass
class _Worker:
    """A deriving process's own connection to the store, opened once (or why it could not be)."""

    app: JourneysApp | None = None
    dialect: Dialect | None = None
    failure: tuple[str, str | None] | None = None


_worker = _Worker()


def _start(job: _RebuildJob) -> None:
    die_with_parent(job.parent)
    _worker.dialect = job.dialect
    try:
        _worker.app = JourneysApp(job.store, env=job.env)
    except JourneyError as error:
        _worker.failure = (str(error), error.remedy or None)


def _derive(first: int, upto: int) -> _WindowRecords | tuple[str, str | None]:
    """The window ``first``..``upto`` derived (in a deriving process), or why it could not be."""
    app, dialect = _worker.app, _worker.dialect
    if app is None or dialect is None:
        assert _worker.failure is not None
        return _worker.failure
    try:
        unreadable: list[UnreadableStream] = []
        found = app.streams_ending(first, upto, unreadable)
        return _WindowRecords(
            first,
            upto,
            window_rows(found, unreadable).records(dialect),
            sum(len(entries) for entries in found.values()),
            len(found),
        )
    except JourneyError as error:
        return (str(error), error.remedy or None)
    except Exception as error:  # a bug: say where, for the report
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        return (f"{detail} (in a rebuilding process)", "report this as a bug")


def rebuild_windows_in_processes(
    app: JourneysApp, views: JourneysViews, last: int, window: int, workers: int, progress: Progress | None
) -> tuple[int, int]:
    """:func:`rebuild_windows` with the windows derived by ``workers`` processes (a few
    windows ahead of the one being written, so memory stays bounded) and written here."""
    windows = [(start + 1, min(start + window, last)) for start in range(0, last, window)]
    job = _RebuildJob(app.store, {**app.env, "CREATE_TABLE": "no"}, views.dialect, os.getpid())
    events = children = 0
    ahead: deque[Future[Any]] = deque()
    with ProcessPoolExecutor(workers, mp_context=process_context(), initializer=_start, initargs=(job,)) as pool:
        upcoming = iter(windows)
        try:
            ahead.extend(pool.submit(_derive, *span) for span in islice(upcoming, 2 * workers))
            while ahead:
                derived = ahead.popleft().result()
                following = next(upcoming, None)
                if following is not None:
                    ahead.append(pool.submit(_derive, *following))
                if not isinstance(derived, _WindowRecords):
                    message, remedy = derived
                    raise StoreError(f"the rebuild stopped: {message}", remedy or _RESUME)
                try:
                    views.insert_records(derived.records, derived.upto, after=derived.first - 1)
                except IntegrityError:
                    break  # another rebuild wrote to these tables: the caller's catch-up does the rest
                events += derived.events
                children += derived.children
                if progress is not None:
                    progress(derived.upto, last)
        except BrokenProcessPool:
            raise StoreError("the rebuild stopped: a rebuilding process ended unexpectedly", _RESUME) from None
        finally:
            for future in ahead:
                future.cancel()
    return events, children


_RESUME = "run `journeys projections rebuild` again (the reports read the tables as they were before it)"
