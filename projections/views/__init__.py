"""The view store: the read model's tables, kept current from the event store's notification
log in the library's materialised-view pattern (tracking recorders subclassed per database).

:func:`open_views` opens the view store of an event store; :func:`catch_up` applies what was
recorded since its tracked position, :func:`rebuild` derives everything again; :func:`status`
says how far behind it is.
"""

from projections.views.catchup import (
    CatchUp,
    Status,
    ViewsAhead,
    catch_up,
    current_summaries,
    rebuild,
    status,
    summaries_known_at,
    view_rows_of,
)
from projections.views.derivation import ViewRows, derive_streams
from projections.views.store import VIEWS_NAME, JourneysViews, open_views, views_class, views_location

__all__ = [
    "VIEWS_NAME",
    "CatchUp",
    "JourneysViews",
    "Status",
    "ViewRows",
    "ViewsAhead",
    "catch_up",
    "current_summaries",
    "derive_streams",
    "open_views",
    "rebuild",
    "status",
    "summaries_known_at",
    "view_rows_of",
    "views_class",
    "views_location",
]
