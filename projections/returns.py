"""The statutory returns made from the read model: the ASGLB quarterly adoption return.

:func:`asglb_return` reads every summary row of the local authorities named from the
caught-up read model (or replays as known at ``known_at``) and applies
:func:`projections.metrics.asglb.asglb` to each local authority's rows;
:func:`record_asglb` records a return written to a file in the returns log (docs/returns.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from journeys.application import JourneysApp
from journeys.domain.returns_log import ReturnRecord
from journeys.progress import Progress
from journeys.returns.log import record_returns
from projections.metrics.asglb import asglb, cells_of, parse_quarter, quarter_label
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


def quarter_period(quarter: str) -> str:
    """The quarter as the returns log names it: ``2016-Q1`` -> ``2016-17-Q1``."""
    first, _ = parse_quarter(quarter)
    return quarter_label(first).replace(" ", "-")


def record_asglb(
    app: JourneysApp,
    *,
    quarter: str,
    by_la: Mapping[str, Mapping[str, Any]],
    files: Sequence[Path],
    user: str,
    known_at: datetime | None = None,
) -> list[ReturnRecord]:
    """Record in the returns log each local authority's ASGLB return of ``by_la`` (what
    :func:`asglb_return` gave) written to ``files`` by ``user``: one record per LA, its cells
    the return's counts."""
    cells = {la: cells_of(dict(report)) for la, report in by_la.items()}
    return record_returns(app, "asglb", quarter_period(quarter), cells, files, user=user, known_at=known_at)
