"""The statutory returns made from the read model: the ASGLB quarterly adoption return.

:func:`asglb_return` reads every summary row of the local authorities named from the
caught-up read model (or replays as known at ``known_at``) and applies
:func:`projections.metrics.asglb.asglb` to each local authority's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from journeys.application import JourneysApp
from journeys.progress import Progress
from projections.metrics.asglb import asglb, parse_quarter
from projections.reports import WAITING_COLUMNS, report_on_selected_rows

# The columns the return reads: those of the waiting report, which hold the counted timeline.
ASGLB_COLUMNS = WAITING_COLUMNS


def asglb_return(
    app: JourneysApp,
    *,
    quarter: str,
    known_at: datetime | None = None,
    las: Sequence[str] = (),
    progress: Progress | None = None,
) -> dict[str, dict[str, Any]]:
    """The ASGLB return for ``quarter`` (``2016-Q1``: April-June 2016) per local authority."""
    first, last = parse_quarter(quarter)
    return report_on_selected_rows(
        app,
        lambda rows: asglb(rows, first, last),
        lambda views, las: views.every_row(ASGLB_COLUMNS, las),
        known_at,
        las,
        progress,
    )
