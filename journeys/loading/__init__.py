"""Bulk use of the journey store, above :class:`journeys.JourneysApp`: reading and writing the
JSONL interchange format, loading lines in batches, and loading a file in several processes."""

from journeys.loading.batch import LOAD_BATCH, LoadReport, load_lines
from journeys.loading.jsonl import LoadLine, Rejected, export_line, export_lines, parse_object, read_lines
from journeys.loading.parallel import count_lines, default_workers, load_file, workers_for

__all__ = [
    "LOAD_BATCH",
    "LoadLine",
    "LoadReport",
    "Rejected",
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
