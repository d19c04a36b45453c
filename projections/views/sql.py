"""The view store's SQL, written once for both databases: :class:`SQLJourneysViews` reads and
writes the tables through its :class:`projections.views.dialect.Dialect`, and leaves to the
SQLite and PostgreSQL subclasses only what the two do differently (the tracking table, a
table's existence, the settings of a write, how rebuilt tables are swapped in).

The same class, with a dialect that names the rebuild's tables, fills those
(:meth:`SQLJourneysViews.rebuilding`)."""

from __future__ import annotations

import copy
from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date
from typing import Any

from eventsourcing.persistence import IntegrityError

from journeys.storage.unreadable import UnreadableStream
from projections.metrics.caseload_facts import CaseloadFacts
from projections.metrics.plan_changes import PlanChange
from projections.metrics.scorecard import Totals
from projections.metrics.summary import PeriodSummary
from projections.views import adoption_months as months
from projections.views import bounded_starts_table as bounded
from projections.views import caseload_table
from projections.views import family_finding_table as finding_table
from projections.views import plan_change_table as changes_table
from projections.views import summary_table as summary
from projections.views import unreadable_table as unreadable
from projections.views.columns import Table
from projections.views.derivation import TableRecords, ViewRows
from projections.views.store import REBUILD_NAME, JourneysViews, RebuildTablesGone
from projections.views.summary_table import COLUMN_NAMES, from_columns, from_record

# The tables a row of a stream lives in (each has a stream_id column).
_STREAM_TABLES = (
    summary.LAYOUT,
    changes_table.LAYOUT,
    finding_table.LAYOUT,
    unreadable.LAYOUT,
    bounded.LAYOUT,
    caseload_table.LAYOUT,
)
# Every table of the read model (what a rebuild fills and swaps in).
LAYOUTS: tuple[Table, ...] = (
    summary.LAYOUT,
    months.LAYOUT,
    changes_table.LAYOUT,
    finding_table.LAYOUT,
    unreadable.LAYOUT,
    bounded.LAYOUT,
    caseload_table.LAYOUT,
)
# The tables with secondary indexes (created after a rebuild's inserts).
_INDEXED = (summary.LAYOUT, finding_table.LAYOUT, caseload_table.LAYOUT)


class SQLJourneysViews(JourneysViews):
    """The view store over a SQL database; the library's tracking recorder of that database
    comes after this class (see :mod:`projections.views.sqlite`, :mod:`projections.views.postgres`)."""

    datastore: Any  # the library's datastore of the tracking recorder
    owns_connection = True  # False for the rebuild's tables, which borrow the view store's

    # -- what each database does its own way -------------------------------------------

    @abstractmethod
    def _exists(self, c: Any, name: str) -> bool:
        """Whether the table ``name`` exists."""

    @abstractmethod
    def _writing(self) -> AbstractContextManager[Any]:
        """A transaction writing rows and the position, holding the view store's write lock
        from its start: writers of the read model (catch-ups, rebuilds, opening) queue one
        after another rather than interleave (which deadlocks on PostgreSQL and is refused as
        "locked" on SQLite)."""

    def _write(self, body: Callable[[Any], None]) -> None:
        """Run ``body`` in one :meth:`_writing` transaction (SQLite tries again when locked)."""
        with self._writing() as c:
            body(c)

    @abstractmethod
    def _tracked(self, c: Any) -> int | None:
        """The tracked position (None when there is none), in the caller's transaction."""

    @abstractmethod
    def _record_position(self, c: Any, position: int) -> None:
        """Record ``position`` (a higher one than the tracked one, if any) in the library's
        tracking table, in the caller's transaction."""

    @abstractmethod
    def _forget_position(self, c: Any) -> None:
        """Forget the position, in the caller's transaction."""

    @abstractmethod
    def _swap_tables(self, c: Any, rebuilt: SQLJourneysViews) -> None:
        """Drop these tables and give ``rebuilt``'s their names (and their indexes these
        tables' index names), in the caller's write transaction."""

    # -- opening --------------------------------------------------------------------------

    def prepare(self, location: str) -> None:
        self.location = location
        # Every command opens the view store: when everything is there, only the catalog is
        # read, so opening never waits on (or deadlocks with) another process's write.
        if not self._missing(self._objects()):
            return
        self._write(self._create)

    def _objects(self) -> list[str]:
        """Every table and index the view store needs."""
        return [name for layout in LAYOUTS for name in (layout.name, *layout.index_names())]

    def _missing(self, names: Sequence[str]) -> list[str]:
        with self.datastore.transaction(commit=False) as c:
            return [name for name in names if not self._exists(c, name)]

    def _create(self, c: Any) -> None:
        """Create what is missing (in the caller's write transaction)."""
        d = self.dialect
        for statement in [summary.LAYOUT.create_sql(d), *summary.LAYOUT.create_indexes_sql(d)]:
            c.execute(statement)
        if not self._exists(c, months.TABLE):
            # A view store made before the table existed: add up the rows it holds.
            c.execute(months.LAYOUT.create_sql(d))
            old = self._summaries(c, months.SOURCE_COLUMNS, "adoption_order IS NOT NULL")
            self._apply_months(c, [], old)
        derived = (changes_table.TABLE, finding_table.TABLE, unreadable.TABLE, bounded.TABLE, caseload_table.TABLE)
        added = [name for name in derived if not self._exists(c, name)]
        c.execute(changes_table.LAYOUT.create_sql(d))
        c.execute(unreadable.LAYOUT.create_sql(d))
        c.execute(bounded.LAYOUT.create_sql(d))
        for layout in (finding_table.LAYOUT, caseload_table.LAYOUT):
            for statement in [layout.create_sql(d), *layout.create_indexes_sql(d)]:
                c.execute(statement)
        if added:
            # A view store made before these tables existed: their rows cannot be made
            # from the other tables, so everything is derived again by the next catch-up.
            self._forget_all(c)

    def create_indexes(self) -> None:
        def create(c: Any) -> None:
            self._check_present(c)
            for statement in self._indexes_sql():
                c.execute(statement)

        self._write(create)

    def _indexes_sql(self) -> list[str]:
        """The statements that create the secondary indexes that are missing."""
        return [statement for layout in _INDEXED for statement in layout.create_indexes_sql(self.dialect)]

    # -- reading --------------------------------------------------------------------------

    def position(self) -> int:
        found = self.max_tracking_id(self.tracking_name)
        if found is None and self.dialect.prefix:
            raise RebuildTablesGone(f"the tables {self.dialect.named('*')} are gone")
        return found or 0

    def rows(self, las: Iterable[str] | None = None) -> list[PeriodSummary]:
        wanted = list(las or [])
        sql = summary.LAYOUT.select_sql(self.dialect)
        if wanted:
            sql += f" WHERE la IN ({self.dialect.marks(len(wanted))})"
        sql += " ORDER BY la, child, period"
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, wanted)
            records = c.fetchall()
        return [from_record(self.dialect.values(r)) for r in records]

    def every_row(self, columns: Sequence[str] = COLUMN_NAMES, las: Iterable[str] = ()) -> list[PeriodSummary]:
        return self._summaries_where(columns, "1 = 1", [], las)

    def adopted_between(
        self, first: date, last: date, columns: Sequence[str] = COLUMN_NAMES, las: Iterable[str] = ()
    ) -> list[PeriodSummary]:
        ph, day = self.dialect.placeholder, self.dialect.date
        las = list(las)
        rows = self._summaries_where(columns, f"adoption_order BETWEEN {ph} AND {ph}", [day(first), day(last)], las)
        found = {(b.la, b.child, b.period) for b in self.bounded_starts(first, last, las)}
        if not found:
            return rows
        return [replace(r, start_bounded=True) if (r.la, r.child, r.period) in found else r for r in rows]

    def placement_orders_by(
        self,
        census: date,
        window: tuple[date, date] | None = None,
        columns: Sequence[str] = COLUMN_NAMES,
        las: Iterable[str] = (),
    ) -> list[PeriodSummary]:
        ph, day = self.dialect.placeholder, self.dialect.date
        where, params = f"placement_order IS NOT NULL AND placement_order <= {ph}", [day(census)]
        if window is not None:
            where += f" AND placement_order BETWEEN {ph} AND {ph}"
            params += [day(window[0]), day(window[1])]
        return self._summaries_where(columns, where, params, las)

    def in_care_on(
        self, day: date, columns: Sequence[str] = COLUMN_NAMES, las: Iterable[str] = ()
    ) -> list[PeriodSummary]:
        ph, on = self.dialect.placeholder, self.dialect.date(day)
        where = f"entered_care IS NOT NULL AND entered_care <= {ph} AND (ended IS NULL OR ended > {ph})"
        return self._summaries_where(columns, where, [on, on], las)

    def _summaries_where(
        self, columns: Sequence[str], where: str, params: Sequence[Any], las: Iterable[str]
    ) -> list[PeriodSummary]:
        """Summary rows with only ``columns`` read (and decoded), filtered by ``where`` (with
        ``params``) and the local authorities, if named."""
        wanted = list(las)
        sql = self._select_sql(columns, where)
        if wanted:
            sql += f" AND la IN ({self.dialect.marks(len(wanted))})"
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, [*params, *wanted])
            records = c.fetchall()
        return [from_columns(columns, self.dialect.values(r)) for r in records]

    def _select_sql(self, columns: Sequence[str], where: str) -> str:
        return f"{summary.LAYOUT.select_sql(self.dialect, columns)} WHERE {where}"

    def _summaries(self, c: Any, columns: Sequence[str], where: str, params: Sequence[Any] = ()) -> list[PeriodSummary]:
        """:meth:`_summaries_where` in the caller's transaction, with no local authority named."""
        if params:
            c.execute(self._select_sql(columns, where), list(params))
        else:
            c.execute(self._select_sql(columns, where))
        return [from_columns(columns, self.dialect.values(r)) for r in c.fetchall()]

    def las_present(self, las: Iterable[str]) -> set[str]:
        found = set()
        sql = f"SELECT 1 FROM {self.dialect.qualified(summary.TABLE)} WHERE la = {self.dialect.placeholder} LIMIT 1"
        with self.datastore.transaction(commit=False) as c:
            for la in las:
                c.execute(sql, [la])
                if c.fetchone() is not None:
                    found.add(la)
        return found

    def all_las(self) -> set[str]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT DISTINCT la FROM {self.dialect.qualified(summary.TABLE)}")
            return {str(self.dialect.values(r)[0]) for r in c.fetchall()}

    def adoption_totals(self, la: str, first: int, last: int, a3_months: int) -> Totals:
        with self.datastore.transaction(commit=False) as c:
            c.execute(months.totals_sql(self.dialect), [a3_months, la, first, last])
            return months.to_totals(self.dialect.values(c.fetchone()))

    def count(self) -> int:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT COUNT(*) AS n FROM {self.dialect.qualified(summary.TABLE)}")
            found = c.fetchone()
        return int(self.dialect.values(found)[0])

    def plan_changes(self, las: Iterable[str] = ()) -> list[PlanChange]:
        wanted = list(las)
        sql = changes_table.LAYOUT.select_sql(self.dialect)
        if wanted:
            sql += f" WHERE la IN ({self.dialect.marks(len(wanted))})"
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, wanted)
            return [changes_table.from_record(self.dialect.values(r)) for r in c.fetchall()]

    def family_finding_streams(self, start: date, end: date, las: Iterable[str] = ()) -> list[str]:
        wanted = list(las)
        d = self.dialect
        table, ph = d.qualified(finding_table.TABLE), d.placeholder
        sql = f"SELECT DISTINCT stream_id FROM {table} WHERE began BETWEEN {ph} AND {ph}"
        if wanted:
            sql += f" AND la IN ({d.marks(len(wanted))})"
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, [d.date(start), d.date(end), *wanted])
            return [str(d.values(r)[0]) for r in c.fetchall()]

    def bounded_starts(self, start: date, end: date, las: Iterable[str] = ()) -> list[bounded.BoundedStart]:
        wanted = list(las)
        d = self.dialect
        sql = f"{bounded.LAYOUT.select_sql(d)} WHERE adoption_order BETWEEN {d.placeholder} AND {d.placeholder}"
        if wanted:
            sql += f" AND la IN ({d.marks(len(wanted))})"
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, [d.date(start), d.date(end), *wanted])
            return [bounded.from_record(d.values(r)) for r in c.fetchall()]

    def caseload_facts(self, las: Iterable[str] = ()) -> list[CaseloadFacts]:
        wanted = list(las)
        d = self.dialect
        sql = caseload_table.LAYOUT.select_sql(d)
        if wanted:
            sql += f" WHERE la IN ({d.marks(len(wanted))})"
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, wanted)
            return [caseload_table.from_record(d.values(r)) for r in c.fetchall()]

    def unreadable_streams(self) -> list[UnreadableStream]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(unreadable.LAYOUT.select_sql(self.dialect))
            return [unreadable.from_record(self.dialect.values(r)) for r in c.fetchall()]

    # -- writing --------------------------------------------------------------------------

    def write(self, streams: Sequence[str], rows: ViewRows, position: int, *, after: int) -> None:
        records = rows.records(self.dialect, with_months=False)

        def replace(c: Any) -> None:
            self._check_position(c, after)
            old = self._adopted_rows(c, streams)
            keys = [(s,) for s in streams]
            for table in _STREAM_TABLES:
                c.executemany(
                    f"DELETE FROM {self.dialect.qualified(table.name)} WHERE stream_id = {self.dialect.placeholder}",
                    keys,
                )
            self._insert_records(c, records)
            self._apply_months(c, old, rows.rows)
            self._record_position(c, position)

        self._write(replace)

    def insert(self, rows: ViewRows, position: int, *, after: int) -> None:
        self.insert_records(rows.records(self.dialect), position, after=after)

    def insert_records(self, records: TableRecords, position: int, *, after: int) -> None:
        def add(c: Any) -> None:
            self._check_position(c, after)
            self._insert_records(c, records)
            if records.month_changes:
                c.executemany(months.upsert_sql(self.dialect), records.month_changes)
            self._record_position(c, position)

        self._write(add)

    def _check_position(self, c: Any, after: int) -> None:
        """Refuse a write whose rows were derived after a position that is no longer the
        tracked one (in the caller's write transaction, so no other writer moves it meanwhile)."""
        found = self._check_present(c)
        if found != after:
            raise IntegrityError(f"the read model is at event {found}, not {after}: another process wrote first")

    def _check_present(self, c: Any) -> int:
        """The tracked position (0 when none); for the rebuild's tables, RebuildTablesGone when
        they have been swapped in (they have a position from their creation to their swap)."""
        found = self._tracked(c)
        if found is None and self.dialect.prefix:
            raise RebuildTablesGone(f"the tables {self.dialect.named('*')} are gone")
        return found or 0

    def _insert_records(self, c: Any, records: TableRecords) -> None:
        for table, rows in (
            (summary.LAYOUT, records.summaries),
            (changes_table.LAYOUT, records.plan_changes),
            (finding_table.LAYOUT, records.family_finding),
            (unreadable.LAYOUT, records.unreadable),
            (bounded.LAYOUT, records.bounded_starts),
            (caseload_table.LAYOUT, records.caseload),
        ):
            if rows:
                c.executemany(table.insert_sql(self.dialect), rows)

    def _apply_months(self, c: Any, old: Sequence[PeriodSummary], new: Sequence[PeriodSummary]) -> None:
        changes = months.changes(old, new)
        if changes:
            c.executemany(months.upsert_sql(self.dialect), changes)

    def _adopted_rows(self, c: Any, streams: Sequence[str]) -> list[PeriodSummary]:
        """The stored rows of ``streams`` with an adoption order (what they add to the months)."""
        found: list[PeriodSummary] = []
        step = 500
        for i in range(0, len(streams), step):
            chunk = list(streams[i : i + step])
            where = f"stream_id IN ({self.dialect.marks(len(chunk))}) AND adoption_order IS NOT NULL"
            found.extend(self._summaries(c, months.SOURCE_COLUMNS, where, chunk))
        return found

    def reset(self) -> None:
        self._write(self._forget_all)

    def forget_position(self) -> None:
        self._write(self._forget_position)

    def _forget_all(self, c: Any) -> None:
        """Every row of every table gone and the position forgotten (in the caller's transaction)."""
        for layout in LAYOUTS:
            c.execute(f"DELETE FROM {self.dialect.qualified(layout.name)}")
        self._forget_position(c)

    # -- rebuilding -----------------------------------------------------------------------

    def rebuilding(self) -> SQLJourneysViews:
        rebuilt = copy.copy(self)  # the same connection and tracking table, other names
        rebuilt.dialect = self.dialect.rebuilding()
        rebuilt.tracking_name = REBUILD_NAME
        rebuilt.owns_connection = False
        rebuilt._write(rebuilt._create_afresh)
        return rebuilt

    def _create_afresh(self, c: Any) -> None:
        """The tables dropped if they are there and created empty, without secondary indexes,
        at position 0 (in the caller's write transaction)."""
        for layout in LAYOUTS:
            c.execute(f"DROP TABLE IF EXISTS {self.dialect.qualified(layout.name)}")
            c.execute(layout.create_sql(self.dialect))
        self._forget_position(c)
        self._record_position(c, 0)

    def swap_in(self, rebuilt: JourneysViews, position: int) -> bool:
        assert isinstance(rebuilt, SQLJourneysViews) and rebuilt.dialect.prefix and not self.dialect.prefix
        swapped = False

        def swap(c: Any) -> None:
            nonlocal swapped
            if rebuilt._check_present(c) != position:
                return  # another rebuild wrote to them: the caller catches them up again
            self._swap_tables(c, rebuilt)
            rebuilt._forget_position(c)
            self._forget_position(c)  # the position may go back: a write after the old one is refused
            self._record_position(c, position)
            swapped = True

        self._write(swap)
        return swapped

    def close(self) -> None:
        if self.owns_connection:
            self.datastore.close()
