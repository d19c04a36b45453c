"""Adapters of the event store: where a store is (:mod:`~journeys.storage.location`), how
events are mapped (:mod:`~journeys.storage.mapper`), the recorders that answer for many streams
at once (:mod:`~journeys.storage.recorders`, one module per backend), and rows read back as
entries (:mod:`~journeys.storage.decoding`).

The backend modules (``sqlite``, ``postgres``, ``popo``) are not imported here: the library's
factory imports the one a store's ``PERSISTENCE_MODULE`` names, so a SQLite store never
imports psycopg.
"""

from typing import TYPE_CHECKING

from journeys.faces import lazy_face

if TYPE_CHECKING:
    from journeys.storage.decoding import (
        entries_from_rows,
        entries_from_stored,
        entries_of_interleaved_rows,
        entries_of_rows,
    )
    from journeys.storage.location import DEFAULT_STORE, is_missing_file, is_postgres, store_env
    from journeys.storage.mapper import OrjsonTranscoder, PydanticMapper, journeys_mapper
    from journeys.storage.recorders import STREAMS_PER_QUERY, JourneysRecorder, NewRow, StoredRow, journeys_recorder
else:
    __getattr__, __dir__ = lazy_face(
        __name__,
        {
            "journeys.storage.decoding": (
                "entries_from_rows",
                "entries_from_stored",
                "entries_of_interleaved_rows",
                "entries_of_rows",
            ),
            "journeys.storage.location": ("DEFAULT_STORE", "is_missing_file", "is_postgres", "store_env"),
            "journeys.storage.mapper": ("OrjsonTranscoder", "PydanticMapper", "journeys_mapper"),
            "journeys.storage.recorders": (
                "STREAMS_PER_QUERY",
                "JourneysRecorder",
                "NewRow",
                "StoredRow",
                "journeys_recorder",
            ),
        },
    )

__all__ = [
    "DEFAULT_STORE",
    "STREAMS_PER_QUERY",
    "JourneysRecorder",
    "NewRow",
    "OrjsonTranscoder",
    "PydanticMapper",
    "StoredRow",
    "entries_from_rows",
    "entries_from_stored",
    "entries_of_interleaved_rows",
    "entries_of_rows",
    "is_missing_file",
    "is_postgres",
    "journeys_mapper",
    "journeys_recorder",
    "store_env",
]
