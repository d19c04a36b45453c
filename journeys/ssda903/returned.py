"""A 903 import recorded in the returns log (docs/returns.md, "As returned"): which files came
in, of which years, and how many rows of each table were read, accepted, already present or
rejected."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeys.domain.returns_log import ReturnRecord
from journeys.returns.log import record_return
from journeys.ssda903.importer import ImportReport
from journeys.ssda903.read import Returns

if TYPE_CHECKING:
    from journeys.application import JourneysApp

COUNTED = ("read", "accepted", "present", "rejected")


def record_import(app: JourneysApp, returns: Returns, report: ImportReport, *, la: str, user: str) -> ReturnRecord:
    """Record the import of ``returns`` (``report``: what :func:`journeys.ssda903.import_903`
    made of it) for ``la`` by ``user``: its period the years of the files read (``2016``, or
    ``2015,2016``), its cells the rows of each table (``ad1.accepted``...)."""
    period = ",".join(str(year) for year in sorted({year for _, _, year in report.files}))
    cells = {f"{table}.{key}": getattr(count, key) for table, count in report.tables.items() for key in COUNTED}
    return record_return(app, "import-903", period, la, returns.paths, cells, user=user)
