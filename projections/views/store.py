"""The view store: the ``child_summary`` table (:mod:`projections.views.summary_table`), the
``adoption_months`` table that adds up its adopted rows (:mod:`projections.views.adoption_months`),
the ``plan_change``, ``family_finding`` and ``caseload`` tables (:mod:`projections.views.plan_change_table`,
:mod:`projections.views.family_finding_table`, :mod:`projections.views.caseload_table`) and their tracking position.

For a plain SQLite event store ``journeys.db`` the view store is the file ``journeys.views.db``
beside it (the library's SQLite tracking table is not prefixed, so each view store gets its
own file); an encrypted store (SQLCipher, a store key given) keeps its read models in its own
encrypted file, so that no plain file beside it holds them. For PostgreSQL the tables live in
the same database and schema as the events
(``child_summary``, ``adoption_months``, ``plan_change``, ``family_finding`` and
``journeys_views_tracking``). Rows, their sums and the tracking position are written in one
transaction with the library's tracking recorder, so each notification is applied exactly once
and a restart resumes from the recorded position.

A rebuild fills tables of its own beside those (``rebuild_child_summary``, ...; the position
under ``journeys_views_rebuild``, see :meth:`JourneysViews.rebuilding`) and swaps them in, in
one transaction, when they are complete (:meth:`JourneysViews.swap_in`): a reader sees the old
tables or the rebuilt ones, never a part-rebuilt read model.

The view store is the library's materialised view (docs/topics/projection.rst): the interface
:class:`JourneysViews` is a ``TrackingRecorder``; :class:`projections.views.sqlite.SQLiteJourneysViews`
and :class:`projections.views.postgres.PostgresJourneysViews` add it to the library's SQLite and
PostgreSQL tracking recorders, and :func:`open_views` has the library's factory construct the
one the store needs.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any, cast

from eventsourcing.persistence import InfrastructureFactory, PersistenceError, TrackingRecorder
from eventsourcing.utils import Environment, resolve_topic

from journeys.domain.errors import StoreError
from journeys.storage.location import create_private, is_postgres, plain_views_file, shown_store, store_env
from journeys.storage.store_key import store_key
from journeys.storage.unreadable import UnreadableStream
from projections.metrics.caseload_facts import CaseloadFacts
from projections.metrics.plan_changes import PlanChange
from projections.metrics.scorecard import Totals
from projections.metrics.summary import PeriodSummary
from projections.views.bounded_starts_table import BoundedStart
from projections.views.derivation import TableRecords, ViewRows
from projections.views.dialect import Dialect
from projections.views.summary_table import COLUMN_NAMES

VIEWS_NAME = "journeys_views"
REBUILD_NAME = "journeys_views_rebuild"  # the tracking position of the tables a rebuild fills
VIEWS_LOCK_TIMEOUT = 15  # seconds (SQLite)

# The view store's class for each of the library's persistence modules (imported only when
# such a store is opened: a SQLite store never imports psycopg, to keep the CLI quick to start).
VIEWS_TOPICS = {
    "eventsourcing.sqlite": "projections.views.sqlite:SQLiteJourneysViews",
    "journeys.storage.sqlcipher": "projections.views.sqlite:SQLiteJourneysViews",
    "eventsourcing.postgres": "projections.views.postgres:PostgresJourneysViews",
}


class RebuildTablesGone(Exception):
    """The tables a rebuild was filling are gone: another rebuild swapped them in first."""


class JourneysViews(TrackingRecorder):
    """The read model's tables and their tracking position (or, from :meth:`rebuilding`, the
    tables a rebuild fills and theirs)."""

    location: str = ""  # where the view store lives (see views_location)
    dialect: Dialect  # names the tables this object reads and writes
    tracking_name: str = VIEWS_NAME  # the application name its position is tracked under

    @abstractmethod
    def prepare(self, location: str) -> None:
        """Create the tables and indexes that are missing (a view store made by an older
        version is brought up to date), and remember ``location``."""

    # -- reading ----------------------------------------------------------------------

    @abstractmethod
    def position(self) -> int:
        """The last notification id applied (0 when none)."""

    @abstractmethod
    def rows(self, las: Iterable[str] | None = None) -> list[PeriodSummary]:
        """Every summary row (of the given local authorities), ordered by la, child, period."""

    @abstractmethod
    def every_row(self, columns: Sequence[str] = COLUMN_NAMES, las: Iterable[str] = ()) -> list[PeriodSummary]:
        """Every summary row (of the given local authorities), only ``columns`` read and decoded."""

    @abstractmethod
    def adopted_between(
        self, first: date, last: date, columns: Sequence[str] = COLUMN_NAMES, las: Iterable[str] = ()
    ) -> list[PeriodSummary]:
        """The summary rows with an adoption order made from ``first`` to ``last``."""

    @abstractmethod
    def placement_orders_by(
        self,
        census: date,
        window: tuple[date, date] | None = None,
        columns: Sequence[str] = COLUMN_NAMES,
        las: Iterable[str] = (),
    ) -> list[PeriodSummary]:
        """The summary rows with a placement order made by ``census`` (and, with ``window``,
        made in it)."""

    @abstractmethod
    def in_care_on(
        self, day: date, columns: Sequence[str] = COLUMN_NAMES, las: Iterable[str] = ()
    ) -> list[PeriodSummary]:
        """The summary rows of the periods of care that had begun by ``day`` and not ended by it."""

    @abstractmethod
    def las_present(self, las: Iterable[str]) -> set[str]:
        """Which of ``las`` the table holds any row for (one indexed look-up each)."""

    @abstractmethod
    def all_las(self) -> set[str]:
        """Every local authority the table holds a row for."""

    @abstractmethod
    def adoption_totals(self, la: str, first: int, last: int, a3_months: int) -> Totals:
        """The scorecard's totals for orders made in months ``first`` to ``last`` (month
        indexes, see :mod:`projections.views.adoption_months`), of one local authority or, with
        ``la=''``, of all."""

    @abstractmethod
    def count(self) -> int:
        """How many summary rows the table holds."""

    @abstractmethod
    def plan_changes(self, las: Iterable[str] = ()) -> list[PlanChange]:
        """Every plan change held (of the given local authorities)."""

    @abstractmethod
    def family_finding_streams(self, start: date, end: date, las: Iterable[str] = ()) -> list[str]:
        """The stream ids of the children with a family-finding decision in force dated from
        ``start`` to ``end`` (of the given local authorities)."""

    @abstractmethod
    def bounded_starts(self, start: date, end: date, las: Iterable[str] = ()) -> list[BoundedStart]:
        """The periods of care adopted from ``start`` to ``end`` whose start of care is only
        bounded (of the given local authorities)."""

    @abstractmethod
    def caseload_facts(self, las: Iterable[str] = ()) -> list[CaseloadFacts]:
        """Every child's caseload facts (of the given local authorities): one row per child
        stream the tables hold."""

    @abstractmethod
    def unreadable_streams(self) -> list[UnreadableStream]:
        """The streams left out of the tables because their stored events could not be read."""

    # -- writing ----------------------------------------------------------------------
    # Each write names the position its rows were derived after: it is refused (the library's
    # IntegrityError, the transaction rolled back, nothing changed) when the tracked position
    # is no longer that one, because another process wrote first or a rebuild's tables were
    # swapped in meanwhile. The writer reads the position again and goes on from there.

    @abstractmethod
    def write(self, streams: Sequence[str], rows: ViewRows, position: int, *, after: int) -> None:
        """Replace everything the tables hold of ``streams`` with ``rows`` (their rows as
        derived again) and move the position from ``after`` to ``position``, atomically."""

    @abstractmethod
    def insert(self, rows: ViewRows, position: int, *, after: int) -> None:
        """Add the rows of streams the tables hold nothing of (a rebuild's window) and move the
        position from ``after`` to ``position``, atomically: no deletes, nothing to take away
        from the sums. Also refused if a row is already there."""

    @abstractmethod
    def insert_records(self, records: TableRecords, position: int, *, after: int) -> None:
        """:meth:`insert` of rows already made column values (:meth:`ViewRows.records`)."""

    @abstractmethod
    def reset(self) -> None:
        """Drop every row and forget the position, in one transaction."""

    @abstractmethod
    def create_indexes(self) -> None:
        """Create the secondary indexes that are missing (a rebuild's tables are filled without them)."""

    @abstractmethod
    def forget_position(self) -> None:
        """Forget the tracked position (the rows stay): the next catch-up derives every child again."""

    # -- rebuilding -------------------------------------------------------------------

    @abstractmethod
    def rebuilding(self) -> JourneysViews:
        """The tables a rebuild fills, made afresh and empty (what an earlier rebuild stopped
        part way left of them is dropped), without secondary indexes, at position 0; the same
        connection, and the tables the reports read are not touched. Its writes raise
        :class:`RebuildTablesGone` once :meth:`swap_in` has swapped them in."""

    @abstractmethod
    def swap_in(self, rebuilt: JourneysViews, position: int) -> bool:
        """In one transaction, replace these tables and their position with ``rebuilt``'s
        (of :meth:`rebuilding`, at ``position``), under these tables' names and with their
        secondary indexes (made if they are missing); the old tables are dropped. False, and
        nothing changed, when ``rebuilt`` is no longer at ``position`` (another rebuild wrote
        to it); :class:`RebuildTablesGone` when it is gone."""

    @abstractmethod
    def close(self) -> None:
        """Close the view store's connections."""

    def compact(self) -> None:
        """After an erasure (once caught up): no page of the view store's files left holding
        the rows as they were before (a SQLite view store's; PostgreSQL vacuums its own)."""

    def __iter__(self) -> Iterator[PeriodSummary]:
        return iter(self.rows())


def views_location(store: str) -> str:
    """Where the view store of an event store lives (a file path, ':memory:' or the URL, shown
    without its password): for an encrypted SQLite store, the store's own file."""
    if is_postgres(store):
        return shown_store(store)
    if store == ":memory:":
        return ":memory:"
    if store_key():
        return store
    return str(plain_views_file(store))


def views_env(store: str) -> dict[str, str]:
    """The library's environment for the view store of ``store``."""
    if is_postgres(store):  # the event store's connection, with the library's own tracking recorders
        return {**store_env(store), "PERSISTENCE_MODULE": "eventsourcing.postgres"}
    # A write waits this many seconds for another's lock before SQLite says "locked" (and
    # SQLiteJourneysViews tries again): reports at once queue for the read model's writes.
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": views_location(store),
        "SQLITE_LOCK_TIMEOUT": str(VIEWS_LOCK_TIMEOUT),
    }
    key = store_key()
    if key and store != ":memory:":  # in the encrypted store's file, with its key
        env.update({"PERSISTENCE_MODULE": "journeys.storage.sqlcipher", "SQLCIPHER_KEY": key})
    return env


def views_class(store: str) -> type[JourneysViews]:
    """The view store's class for ``store`` (imported on first use)."""
    found: type[JourneysViews] = resolve_topic(VIEWS_TOPICS[views_env(store)["PERSISTENCE_MODULE"]])
    return found


def open_views(store: str, views: type[JourneysViews] | None = None) -> JourneysViews:
    """The view store of the event store ``store``, its tables made ready; ``views``: a
    subclass of :func:`views_class` to open instead."""
    location = views_location(store)
    create_private(location)  # a new SQLite view store is its owner's only, as the event store is
    try:
        factory = InfrastructureFactory[TrackingRecorder].construct(Environment(VIEWS_NAME, views_env(store)))
        opened: Any = factory.tracking_recorder(cast(Any, views or views_class(store)))
    except PersistenceError as error:
        raise StoreError(f"cannot open the view store {location!r}: {error}") from None
    assert isinstance(opened, JourneysViews)
    opened.prepare(location)
    return opened
