"""The view store: the ``child_summary`` table, the ``adoption_months`` table that adds up its
adopted rows (:mod:`projections.views.adoption_months`), the ``plan_change`` and ``family_finding``
tables (:mod:`projections.views.plan_change_table`, :mod:`projections.views.family_finding_table`) and
their tracking position, in SQL.

For a SQLite event store ``journeys.db`` the view store is the file ``journeys.views.db``
beside it (the library's SQLite tracking table is not prefixed, so each view store gets its
own file); for PostgreSQL the tables live in the same database and schema as the events
(``child_summary``, ``adoption_months``, ``plan_change``, ``family_finding`` and
``journeys_views_tracking``). Rows, their sums and the tracking position are written in one
transaction with the library's tracking recorder, so each notification is applied exactly once
and a restart resumes from the recorded position.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from eventsourcing.persistence import InfrastructureFactory, PersistenceError, Tracking, TrackingRecorder
from eventsourcing.utils import Environment

from journeys.domain.errors import StoreError
from journeys.storage.location import is_postgres, store_env
from projections.metrics.plan_changes import PlanChange
from projections.metrics.scorecard import Totals
from projections.metrics.summary import PeriodSummary
from projections.views import adoption_months as months
from projections.views import family_finding_table as finding_table
from projections.views import plan_change_table as changes_table
from projections.views.columns import column_date, iso, same
from projections.views.derivation import Derived

VIEWS_NAME = "journeys_views"
TABLE = "child_summary"

# (column, SQLite type, PostgreSQL type, meaning) -- docs/read-models.md documents the same.
DATE_COLUMNS = (
    "entered_care",
    "ended",
    "adoption_decision",
    "placement_order",
    "consent",
    "family_finding",
    "po_match",
    "matched",
    "placed",
    "carers_since",
    "adoption_order",
    "date_of_birth",
)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("la", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("child", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("period", "INTEGER NOT NULL", "INTEGER NOT NULL"),
    ("stream_id", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("entered_care", "TEXT", "DATE"),
    ("ended", "TEXT", "DATE"),
    ("end_kind", "TEXT", "TEXT"),
    ("left_care_reason", "TEXT", "TEXT"),
    ("adoption_decision", "TEXT", "DATE"),
    ("placement_order", "TEXT", "DATE"),
    ("consent", "TEXT", "DATE"),
    ("family_finding", "TEXT", "DATE"),
    ("po_match", "TEXT", "DATE"),
    ("matched", "TEXT", "DATE"),
    ("placed", "TEXT", "DATE"),
    ("with_foster_carers", "INTEGER NOT NULL", "BOOLEAN NOT NULL"),
    ("carers_since", "TEXT", "DATE"),
    ("adoption_order", "TEXT", "DATE"),
    ("disruptions", "INTEGER NOT NULL", "INTEGER NOT NULL"),
    ("disruption_dates", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("plan", "TEXT", "TEXT"),
    ("stage", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("po_without_adm", "INTEGER NOT NULL", "BOOLEAN NOT NULL"),
    ("harder_to_place", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("sibling_group", "TEXT", "TEXT"),
    ("date_of_birth", "TEXT", "DATE"),
    ("plan_events", "TEXT NOT NULL", "TEXT NOT NULL"),
    ("timeline", "TEXT NOT NULL", "TEXT NOT NULL"),
)
COLUMN_NAMES = tuple(name for name, _, _ in COLUMNS)
# Secondary indexes (each named child_summary_<column>): the catch-up's delete by stream, the
# scorecard's window and the PO cohorts' census.
INDEXED = ("stream_id", "adoption_order", "placement_order")


def views_location(store: str) -> str:
    """Where the view store of an event store lives (a file path, ':memory:' or the URL)."""
    if is_postgres(store):
        return store
    if store == ":memory:":
        return ":memory:"
    path = Path(store)
    return str(path.with_name(path.stem + ".views" + (path.suffix or ".db")))


def to_record(row: PeriodSummary, postgres: bool) -> tuple[Any, ...]:
    """A summary row as the table's column values (in the order of COLUMN_NAMES)."""
    day = same if postgres else iso
    flag: Any = bool if postgres else int
    return (
        row.la,
        row.child,
        row.period,
        row.stream_id,
        day(row.entered_care),
        day(row.ended),
        row.end_kind,
        row.left_care_reason,
        day(row.adoption_decision),
        day(row.placement_order),
        day(row.consent),
        day(row.family_finding),
        day(row.po_match),
        day(row.matched),
        day(row.placed),
        flag(row.with_foster_carers),
        day(row.carers_since),
        day(row.adoption_order),
        len(row.disruption_dates),
        _json(row.disruption_dates),
        row.plan,
        row.stage,
        flag(row.po_without_adm),
        ",".join(row.harder_to_place),
        row.sibling_group,
        day(row.date_of_birth),
        _json(row.plan_events),
        _json(row.timeline),
    )


def _json(value: Any) -> str:
    # dates as ISO text, (date, word) pairs as two-element lists
    return orjson.dumps(value, default=_date_subclass).decode()


def _date_subclass(value: Any) -> str:
    """A date of a subclass orjson does not know (freezegun's, in tests) as ISO text."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _pairs(text: str) -> tuple[tuple[date, str], ...]:
    return tuple((date.fromisoformat(on), what) for on, what in json.loads(text))


# How each stored column becomes a PeriodSummary field (dates are handled apart).
_DECODE: dict[str, Any] = {
    "period": int,
    "with_foster_carers": bool,
    "po_without_adm": bool,
    "disruption_dates": lambda text: tuple(date.fromisoformat(d) for d in json.loads(text)),
    "harder_to_place": lambda text: tuple(f for f in str(text).split(",") if f),
    "plan_events": _pairs,
    "timeline": _pairs,
}


def from_columns(names: Sequence[str], record: Sequence[Any]) -> PeriodSummary:
    """A summary row from some of the table's columns (the others keep their defaults);
    only the JSON columns named are decoded."""
    values: dict[str, Any] = {}
    for name, value in zip(names, record, strict=True):
        if name == "disruptions":
            continue  # a property of the summary (the number of disruption dates)
        if name in DATE_COLUMNS:
            values[name] = column_date(value)
        else:
            decode = _DECODE.get(name)
            values[name] = decode(value) if decode is not None else value
    return PeriodSummary(**values)


def from_record(record: Sequence[Any]) -> PeriodSummary:
    """A table row back as a summary row."""
    return from_columns(COLUMN_NAMES, record)


def _values(record: Any) -> tuple[Any, ...]:
    return tuple(record.values()) if isinstance(record, dict) else tuple(record)


@dataclass(frozen=True)
class TableRecords:
    """Some children's rows as the view store's tables' column values, ready to insert."""

    summaries: list[tuple[Any, ...]]
    month_changes: list[tuple[Any, ...]]  # what the summaries add to adoption_months
    plan_changes: list[tuple[Any, ...]]
    family_finding: list[tuple[Any, ...]]


def records_of(derived: Derived, postgres: bool, *, with_months: bool = True) -> TableRecords:
    """``derived`` as column values (and, ``with_months``, what its rows add to the sums)."""
    return TableRecords(
        [to_record(row, postgres) for row in derived.rows],
        months.changes([], derived.rows) if with_months else [],
        [changes_table.to_record(change, postgres) for change in derived.changes],
        [finding_table.to_record(found, postgres) for found in derived.family_finding],
    )


class ViewStore:
    """The read model's tables and their tracking position."""

    def __init__(self, store: str) -> None:
        self.location = views_location(store)
        self.postgres = is_postgres(store)
        if self.postgres:
            env = store_env(store)
        else:
            env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": self.location}
        try:
            factory = InfrastructureFactory[TrackingRecorder].construct(Environment(VIEWS_NAME, env))
            self.recorder = factory.tracking_recorder()
            self._factory = factory
        except PersistenceError as error:
            raise StoreError(f"cannot open the view store {self.location!r}: {error}") from None
        self._ph = "%s" if self.postgres else "?"
        self._table = self._qualified(TABLE)
        self._months = self._qualified(months.TABLE)
        self._changes = self._qualified(changes_table.TABLE)
        self._finding = self._qualified(finding_table.TABLE)
        self._create()

    # -- SQL helpers ------------------------------------------------------------------

    def _qualified(self, name: str) -> str:
        if self.postgres:
            return f'"{self._datastore.schema}"."{name}"'
        return name

    def _tracking_table(self) -> str:
        if self.postgres:
            recorder: Any = self.recorder
            return self._qualified(recorder.tracking_table_name)
        return "tracking"

    @property
    def _datastore(self) -> Any:
        # both the SQLite and the PostgreSQL tracking recorders have one (postgres is imported
        # only when a PostgreSQL store is opened, to keep the CLI quick to start)
        recorder: Any = self.recorder
        return recorder.datastore

    def _create(self) -> None:
        columns = ", ".join(f"{n} {pg if self.postgres else lite}" for n, lite, pg in COLUMNS)
        statements = [
            f"CREATE TABLE IF NOT EXISTS {self._table} ({columns}, PRIMARY KEY (la, child, period))",
            *self._index_statements(),
        ]
        with self._datastore.transaction(commit=True) as c:
            for statement in statements:
                c.execute(statement)
            if not self._exists(c, months.TABLE):
                # A view store made before the table existed: add up the rows it holds.
                c.execute(months.create_sql(self._months, self.postgres))
                c.execute(self._select(months.SOURCE_COLUMNS, "adoption_order IS NOT NULL"))
                old = [from_columns(months.SOURCE_COLUMNS, _values(r)) for r in c.fetchall()]
                self._apply_months(c, [], old)
            added = [name for name in (changes_table.TABLE, finding_table.TABLE) if not self._exists(c, name)]
            c.execute(changes_table.create_sql(self._changes, self.postgres))
            for statement in finding_table.create_sql(self._finding, self.postgres):
                c.execute(statement)
            if added:
                # A view store made before these tables existed: their rows cannot be made
                # from the other tables, so everything is derived again by the next catch-up.
                self._forget_all(c)

    def _index_statements(self) -> list[str]:
        return [f"CREATE INDEX IF NOT EXISTS {TABLE}_{name} ON {self._table} ({name})" for name in INDEXED]

    def create_indexes(self) -> None:
        """Create the secondary indexes (after a rebuild that dropped them)."""
        with self._datastore.transaction(commit=True) as c:
            for statement in self._index_statements():
                c.execute(statement)

    def _exists(self, c: Any, name: str) -> bool:
        if self.postgres:
            c.execute("SELECT to_regclass(%s) AS found", [self._qualified(name)])
            found = c.fetchone()
            return (found["found"] if isinstance(found, dict) else found[0]) is not None
        c.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
        return int(_values(c.fetchone())[0]) > 0

    def _select(self, columns: Sequence[str], where: str) -> str:
        return f"SELECT {', '.join(columns)} FROM {self._table} WHERE {where}"

    def _apply_months(self, c: Any, old: Sequence[PeriodSummary], new: Sequence[PeriodSummary]) -> None:
        changes = months.changes(old, new)
        if changes:
            c.executemany(months.upsert_sql(self._months, self._ph, self.postgres), changes)

    # -- reading ----------------------------------------------------------------------

    def position(self) -> int:
        """The last notification id applied (0 when none)."""
        return self.recorder.max_tracking_id(VIEWS_NAME) or 0

    def rows(self, las: Iterable[str] | None = None) -> list[PeriodSummary]:
        """Every summary row (of the given local authorities), ordered by la, child, period."""
        wanted = list(las or [])
        sql = f"SELECT {', '.join(COLUMN_NAMES)} FROM {self._table}"
        if wanted:
            sql += f" WHERE la IN ({', '.join([self._ph] * len(wanted))})"
        sql += " ORDER BY la, child, period"
        with self._datastore.transaction(commit=False) as c:
            c.execute(sql, wanted)
            records = c.fetchall()
        return [from_record(_values(r)) for r in records]

    def select(
        self, columns: Sequence[str], where: str = "1 = 1", params: Sequence[Any] = (), las: Iterable[str] = ()
    ) -> list[PeriodSummary]:
        """Summary rows with only ``columns`` read (and decoded), filtered by ``where`` (with
        ``params``; write dates with :meth:`param`) and the local authorities, if named."""
        wanted = list(las)
        sql = self._select(columns, where)
        if wanted:
            sql += f" AND la IN ({', '.join([self._ph] * len(wanted))})"
        with self._datastore.transaction(commit=False) as c:
            c.execute(sql, [*params, *wanted])
            records = c.fetchall()
        return [from_columns(columns, _values(r)) for r in records]

    def param(self, day: date) -> Any:
        """A date as this store compares it in SQL."""
        return day if self.postgres else day.isoformat()

    @property
    def ph(self) -> str:
        """The placeholder of this store's SQL."""
        return self._ph

    def held(self, las: Iterable[str]) -> set[str]:
        """Which of ``las`` the table holds any row for (one indexed look-up each)."""
        found = set()
        with self._datastore.transaction(commit=False) as c:
            for la in las:
                c.execute(f"SELECT 1 FROM {self._table} WHERE la = {self._ph} LIMIT 1", [la])
                if c.fetchone() is not None:
                    found.add(la)
        return found

    def las(self) -> set[str]:
        with self._datastore.transaction(commit=False) as c:
            c.execute(f"SELECT DISTINCT la FROM {self._table}")
            return {str(_values(r)[0]) for r in c.fetchall()}

    def adoption_totals(self, la: str, first: int, last: int, a3_months: int) -> Totals:
        """The scorecard's totals for orders made in months ``first`` to ``last`` (month
        indexes, see :mod:`projections.views.adoption_months`), of one local authority or, with
        ``la=''``, of all."""
        with self._datastore.transaction(commit=False) as c:
            c.execute(months.totals_sql(self._months, self._ph), [a3_months, la, first, last])
            return months.to_totals(_values(c.fetchone()))

    def count(self) -> int:
        with self._datastore.transaction(commit=False) as c:
            c.execute(f"SELECT COUNT(*) AS n FROM {self._table}")
            found = c.fetchone()
        return int(found["n"] if isinstance(found, dict) else found[0])

    # -- writing ----------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """A transaction writing rows and the position. A SQLite view store commits without
        waiting for the disk (``synchronous=NORMAL``; the library opens it in WAL mode): each
        commit is still atomic with its position, so after a power cut the read model is at an
        earlier position, consistent, and catches up again. It is derived data."""
        if self.postgres:
            with self._datastore.transaction(commit=True) as c:
                yield c
            return
        with self._datastore.get_connection(commit=True) as connection:
            setting = connection.cursor()
            setting.execute("PRAGMA synchronous=NORMAL")  # not allowed inside a transaction
            setting.sqlite_cursor.close()
            with connection.transaction(commit=True) as c:
                yield c

    def write(self, streams: Sequence[str], derived: Derived, position: int) -> None:
        """Replace everything the tables hold of ``streams`` with ``derived`` (their rows as
        derived again) and record ``position``, atomically.

        Raises the library's IntegrityError if another process recorded this position first
        (the transaction is then rolled back and nothing changes).
        """
        records = records_of(derived, self.postgres, with_months=False)
        with self._writing() as c:
            old = self._adopted_rows(c, streams)
            keys = [(s,) for s in streams]
            for table in (self._table, self._changes, self._finding):
                c.executemany(f"DELETE FROM {table} WHERE stream_id = {self._ph}", keys)
            self._insert_records(c, records)
            self._apply_months(c, old, derived.rows)
            self.recorder._insert_tracking(c, Tracking(VIEWS_NAME, position))  # type: ignore[attr-defined]

    def insert(self, derived: Derived, position: int) -> None:
        """Add the rows of streams the tables hold nothing of (a rebuild from empty) and
        record ``position``, atomically: no deletes, nothing to take away from the sums.

        Raises the library's IntegrityError if a row or the position is already there (another
        process is catching up); the transaction is then rolled back and nothing changes.
        """
        self.insert_records(records_of(derived, self.postgres), position)

    def insert_records(self, records: TableRecords, position: int) -> None:
        """:meth:`insert` of rows already made column values (:func:`records_of`)."""
        with self._writing() as c:
            self._insert_records(c, records)
            if records.month_changes:
                c.executemany(months.upsert_sql(self._months, self._ph, self.postgres), records.month_changes)
            self.recorder._insert_tracking(c, Tracking(VIEWS_NAME, position))  # type: ignore[attr-defined]

    def _insert_records(self, c: Any, records: TableRecords) -> None:
        marks = ", ".join([self._ph] * len(COLUMN_NAMES))
        for sql, rows in (
            (f"INSERT INTO {self._table} ({', '.join(COLUMN_NAMES)}) VALUES ({marks})", records.summaries),
            (changes_table.insert_sql(self._changes, self._ph), records.plan_changes),
            (finding_table.insert_sql(self._finding, self._ph), records.family_finding),
        ):
            if rows:
                c.executemany(sql, rows)

    def family_finding_streams(self, start: date, end: date, las: Iterable[str] = ()) -> list[str]:
        """The stream ids of the children with a family-finding decision in force dated from
        ``start`` to ``end`` (of the given local authorities)."""
        wanted = list(las)
        sql = f"SELECT DISTINCT stream_id FROM {self._finding} WHERE began BETWEEN {self._ph} AND {self._ph}"
        if wanted:
            sql += f" AND la IN ({', '.join([self._ph] * len(wanted))})"
        with self._datastore.transaction(commit=False) as c:
            c.execute(sql, [self.param(start), self.param(end), *wanted])
            return [str(_values(r)[0]) for r in c.fetchall()]

    def plan_changes(self, las: Iterable[str] = ()) -> list[PlanChange]:
        """Every plan change held (of the given local authorities)."""
        wanted = list(las)
        sql = changes_table.select_sql(self._changes)
        if wanted:
            sql += f" WHERE la IN ({', '.join([self._ph] * len(wanted))})"
        with self._datastore.transaction(commit=False) as c:
            c.execute(sql, wanted)
            return [changes_table.from_record(_values(r)) for r in c.fetchall()]

    def _adopted_rows(self, c: Any, streams: Sequence[str]) -> list[PeriodSummary]:
        """The stored rows of ``streams`` with an adoption order (what they add to the months)."""
        found: list[PeriodSummary] = []
        step = 500
        for i in range(0, len(streams), step):
            chunk = list(streams[i : i + step])
            where = f"stream_id IN ({', '.join([self._ph] * len(chunk))}) AND adoption_order IS NOT NULL"
            c.execute(self._select(months.SOURCE_COLUMNS, where), chunk)
            found.extend(from_columns(months.SOURCE_COLUMNS, _values(r)) for r in c.fetchall())
        return found

    def reset(self, *, drop_indexes: bool = False) -> None:
        """Drop every row and forget the position (for a rebuild), in one transaction; with
        ``drop_indexes`` also the secondary indexes (a rebuild inserts faster without them and
        then calls :meth:`create_indexes`; opening the view store creates any that are missing)."""
        with self._datastore.transaction(commit=True) as c:
            if drop_indexes:
                for name in INDEXED:
                    c.execute(f"DROP INDEX IF EXISTS {self._qualified(f'{TABLE}_{name}')}")
            self._forget_all(c)
        if not self.postgres:
            # Emptying a big table writes all its pages to the write-ahead log; fold the log
            # back into the file now, or every write after it pays for it (a national rebuild
            # took about a third longer).
            with self._datastore.get_connection(commit=True) as connection:
                checkpoint = connection.cursor()
                checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                checkpoint.sqlite_cursor.close()

    def _forget_all(self, c: Any) -> None:
        """Every row of every table gone and the position forgotten (in the caller's transaction)."""
        c.execute(f"DELETE FROM {self._table}")
        c.execute(f"DELETE FROM {self._months}")
        c.execute(f"DELETE FROM {self._changes}")
        c.execute(f"DELETE FROM {self._finding}")
        c.execute(f"DELETE FROM {self._tracking_table()} WHERE application_name = {self._ph}", [VIEWS_NAME])

    def close(self) -> None:
        self._factory.close()

    def __iter__(self) -> Iterator[PeriodSummary]:
        return iter(self.rows())
