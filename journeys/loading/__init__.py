"""Bulk use of the journey store, above :class:`journeys.JourneysApp`: reading and writing the
JSONL interchange format, loading lines in batches, and loading a file in several processes."""

from typing import TYPE_CHECKING

from journeys.faces import lazy_face

if TYPE_CHECKING:
    from journeys.loading.batch import LoadReport, load_lines
    from journeys.loading.jsonl import LoadLine, Rejected, export_line, export_lines, parse_object, read_lines
    from journeys.loading.parallel import count_lines, default_workers, load_file, workers_for
    from journeys.loading.rejects import Rejects
    from journeys.loading.sizes import LOAD_BATCH
else:
    __getattr__, __dir__ = lazy_face(
        __name__,
        {
            "journeys.loading.batch": ("LoadReport", "load_lines"),
            "journeys.loading.jsonl": (
                "LoadLine",
                "Rejected",
                "export_line",
                "export_lines",
                "parse_object",
                "read_lines",
            ),
            "journeys.loading.parallel": ("count_lines", "default_workers", "load_file", "workers_for"),
            "journeys.loading.rejects": ("Rejects",),
            "journeys.loading.sizes": ("LOAD_BATCH",),
        },
    )

__all__ = [
    "LOAD_BATCH",
    "LoadLine",
    "LoadReport",
    "Rejected",
    "Rejects",
    "count_lines",
    "default_workers",
    "export_line",
    "export_lines",
    "load_file",
    "load_lines",
    "parse_object",
    "read_lines",
    "workers_for",
]
