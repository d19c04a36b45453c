"""SSDA903 import: a local authority's statutory returns turned into journeys (docs/ssda903.md).

An adapter of the domain: it reads CSV tables or the XML return, maps rows to decisions and appends them
through :class:`journeys.JourneysApp`, so every rule of the journey store applies.
"""

from journeys.ssda903.importer import ImportReport, ImportWarning, Reject, TableCount, import_903
from journeys.ssda903.read import Returns, read_returns
from journeys.ssda903.reasons import ReasonGroup
from journeys.ssda903.returned import record_import
from journeys.ssda903.tables import MalformedTable, ReturnError

__all__ = [
    "ImportReport",
    "ImportWarning",
    "MalformedTable",
    "ReasonGroup",
    "Reject",
    "ReturnError",
    "Returns",
    "TableCount",
    "import_903",
    "read_returns",
    "record_import",
]
