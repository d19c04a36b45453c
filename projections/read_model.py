"""The read model's upkeep, as the CLI's `projections` commands run it: where it stands, caught
up from the event store, rebuilt from scratch; and the children it leaves out because their
stored events cannot be read, told to the app (and so to the CLI, which warns of them)."""

from __future__ import annotations

from journeys.application import JourneysApp
from journeys.progress import Progress
from projections.views.catchup import CatchUp, Status, rebuild, refuse_if_limited, status
from projections.views.catchup import catch_up as _catch_up
from projections.views.store import JourneysViews, open_views


def note_unreadable(app: JourneysApp, views: JourneysViews) -> None:
    """Tell ``app`` (and so the CLI, which warns of them) which children the read model leaves
    out because their stored events cannot be read."""
    for found in views.unreadable_streams():
        app.unreadable.setdefault(found.stream, found)


def projection_status(app: JourneysApp) -> Status:
    views = open_views(app.store)
    try:
        return status(app, views)
    finally:
        views.close()


def projection_catch_up(app: JourneysApp, *, progress: Progress | None = None) -> CatchUp:
    refuse_if_limited(app, "catch the read model up")
    views = open_views(app.store)
    try:
        done = _catch_up(app, views, progress=progress)
        note_unreadable(app, views)
        return done
    finally:
        views.close()


def projection_rebuild(app: JourneysApp, *, progress: Progress | None = None, workers: int | None = None) -> CatchUp:
    views = open_views(app.store)
    try:
        done = rebuild(app, views, progress=progress, workers=workers)
        note_unreadable(app, views)
        return done
    finally:
        views.close()


def projection_after_erasure(app: JourneysApp) -> None:
    """After an erasure: the read model caught up, which derives the erased child's rows again
    from its events (the pseudonym in place of the reference), then its files compacted so
    that no freed page keeps the rows as they were."""
    refuse_if_limited(app, "erase a child")
    views = open_views(app.store)
    try:
        _catch_up(app, views)
        note_unreadable(app, views)
        views.compact()
    finally:
        views.close()
