"""The PostgreSQL journey store: the library's PostgreSQL application recorder with the port's
queries (``PERSISTENCE_MODULE=journeys.storage.postgres``).

Only a PostgreSQL store imports this module, and with it psycopg: the CLI starts quickly on
SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing import postgres
from eventsourcing.persistence import ApplicationRecorder, PersistenceError, StoredEvent
from psycopg import sql
from psycopg.rows import tuple_row

from journeys.domain.errors import StoreError
from journeys.storage import access
from journeys.storage.access_log import ACCESS_LOG_TABLE, AccessLogStore, PostgresAccessLog
from journeys.storage.child_keys import CHILD_KEYS_TABLE, ChildKeys
from journeys.storage.recorders import Grant, NewRow, SQLJourneysRecorder
from journeys.storage.returns_log import RETURNS_LOG_TABLE, PostgresReturnsLog, ReturnsLogStore

# Whether the store's schema already holds what the library's DDL makes: the events table, its
# notification index, the composite type and the insert function. A catalog read takes no lock
# on the events table, where CREATE INDEX IF NOT EXISTS takes a SHARE lock before it looks, and so
# waits behind any load's EXCLUSIVE lock.
_MADE = """
SELECT
  (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND c.relname IN (%s, %s)) AS relations,
  (SELECT count(*) FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid AND t.typname = %s) AS types,
  (SELECT count(*) FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid AND p.proname = %s) AS functions
FROM pg_catalog.pg_namespace n WHERE n.nspname = %s
"""


class PostgresJourneysRecorder(SQLJourneysRecorder, postgres.PostgresApplicationRecorder):
    """Tables live in the store's schema; the log is numbered by ``notification_id``."""

    _mark = "%s"
    _number = "notification_id"

    def __init__(self, datastore: postgres.PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        # The events table also carries each event's local authority (``la``), which its
        # row-level security reads (:mod:`journeys.storage.access`): the insert takes the LAs
        # beside the events; an event without one takes its stream's (that of its event 1).
        table = sql.Identifier(self.datastore.schema, self.events_table_name)
        self.insert_located_statement = sql.SQL(
            "INSERT INTO {table} AS t (originator_id, originator_version, topic, state, la) "
            "SELECT u.originator_id, u.originator_version, u.topic, u.state, COALESCE(u.la, "
            "(SELECT f.la FROM {table} f WHERE f.originator_id = u.originator_id AND f.originator_version = 1)) "
            "FROM unnest(%s::{type}[], %s::text[]) AS u(originator_id, originator_version, topic, state, la) "
            "RETURNING notification_id"
        ).format(table=table, type=sql.Identifier(self.datastore.schema, self.stored_event_type_name))

    def create_table(self) -> None:
        """The library's DDL, then the store's access control (:meth:`_secure`), run only when
        the store does not hold them yet: opening an existing store (``show``, a report) never
        waits on a running load's lock. Commands that open a new store at once make its tables
        one after the other: made at the same moment, the catalog refuses all but one
        ("duplicate key value violates unique constraint pg_type_typname_nsp_index", "tuple
        concurrently updated")."""
        if not (self.tables_made() and self.secured()):
            with self._one_at_a_time():
                if not self.tables_made():  # not made by another while this one waited
                    super().create_table()
                if not self.secured():
                    self._secure()
        self.datastore.register_type_adapters()

    def secured(self) -> bool:
        """Whether the events table has its ``la`` column and row-level security, the grants
        table is there, and the access log has row-level security (read from the catalog)."""
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                _SECURED,
                {
                    "s": self.datastore.schema,
                    "e": self.events_table_name,
                    "g": access.GRANTS_TABLE,
                    "a": ACCESS_LOG_TABLE,
                    "r": RETURNS_LOG_TABLE,
                },
            )
            row = cursor.fetchone()
        return row is not None and tuple(row.values()) == (1, 1, 1, 1)

    def _secure(self) -> None:
        """Give the events table its ``la`` column (filled, in a store made before it, from
        each stream's event 1 where that is stored as plain JSON), make the grants table, and
        enable and force row-level security on both, in one transaction."""
        table = sql.Identifier(self.datastore.schema, self.events_table_name)
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(sql.SQL("ALTER TABLE {t} ADD COLUMN IF NOT EXISTS la text").format(t=table))
            cursor.execute(sql.SQL(_FILL_LA).format(t=table))
            cursor.execute(sql.SQL("SELECT count(*) AS n FROM {t} WHERE la IS NULL").format(t=table))
            row = cursor.fetchone()
            if row is not None and not row["n"]:
                cursor.execute(sql.SQL("ALTER TABLE {t} ALTER COLUMN la SET NOT NULL").format(t=table))
            cursor.execute(access.grants_table_sql(self.datastore.schema))
            for statement in access.protect_sql(self.datastore.schema, self.events_table_name, writable=True):
                cursor.execute(statement)
            for statement in access.protect_sql(self.datastore.schema, access.GRANTS_TABLE):
                cursor.execute(statement)
            # the access log, made by the owner with the store (a reader's `show` logs to it)
            for ddl in PostgresAccessLog(self.datastore).statements():
                cursor.execute(ddl)
            for statement in access.protect_sql(self.datastore.schema, ACCESS_LOG_TABLE, logged=True):
                cursor.execute(statement)
            # the returns log likewise: a granted role records the returns it makes of its LAs
            for ddl in PostgresReturnsLog(self.datastore).statements():
                cursor.execute(ddl)
            for statement in access.protect_sql(self.datastore.schema, RETURNS_LOG_TABLE, logged=True):
                cursor.execute(statement)
            for role in access.grantees(cursor, self.datastore.schema):  # a store granted before the log was
                access.sync_privileges(
                    cursor, self.datastore.schema, self.events_table_name, self._sequence(cursor), role
                )

    @contextmanager
    def _one_at_a_time(self) -> Iterator[None]:
        """An advisory lock on the store's schema, held by a connection of its own (outside any
        transaction, so that no idle-in-transaction timeout ends it) while the DDL runs on another."""
        key = f"journeys tables of {self.datastore.schema}"
        with self.datastore.get_connection() as conn:
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
            conn.commit()
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
                conn.commit()

    def tables_made(self) -> bool:
        """Whether the schema holds everything the library's DDL makes, read from the catalog."""
        names = (
            self.events_table_name,
            self.notification_id_index_name,
            self.stored_event_type_name,
            self.pg_function_name_insert_events,
            self.datastore.schema,
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(_MADE, names)
            row = cursor.fetchone()
        return row is not None and tuple(row.values()) == (2, 1, 1)

    @property
    def _table(self) -> str:
        return f'"{self.datastore.schema}"."{self.events_table_name}"'

    def _ids(self, streams: Iterable[UUID]) -> list[Any]:
        return [str(stream) for stream in streams]

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=False) as cursor:
            reading: Any = cursor
            reading.row_factory = tuple_row  # plain tuples, as SQLite gives them: no dict per event
            yield reading

    def _insert_stored_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], *, las: Mapping[UUID, str] | None = None, **_: Any
    ) -> None:
        """The library's insert (lock the table, notify, insert), each event with its local
        authority from ``las`` (by stream), which :meth:`journeys.application.JourneysApp.save`
        and a load's :meth:`insert_bulk` pass."""
        self._lock_table(curs)
        self._notify_channel(curs)
        keys = self.child_keys
        # before the events (the library reads their notification ids from this cursor after)
        wrote = [] if keys is None else keys.write(curs, (_uuid(e.originator_id) for e in stored_events))
        events = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        found = las or {}
        located = [found.get(_uuid(e.originator_id)) for e in stored_events]
        curs.execute(self.insert_located_statement, (events, located))
        if keys is not None:
            keys.written(wrote)

    def open_child_keys(self, make: bool) -> None:
        """The key table, under the same row-level security as the events (made, with its
        policies, when ``make`` and the store holds no event yet)."""
        schema = self.datastore.schema
        table = sql.Identifier(schema, CHILD_KEYS_TABLE)
        found = self._child_keys_made()
        if not found and make:
            with self._one_at_a_time(), self.datastore.transaction(commit=True) as cursor:
                cursor.execute(
                    sql.SQL("SELECT 1 AS one FROM {t} LIMIT 1").format(t=sql.Identifier(schema, self.events_table_name))
                )
                if cursor.fetchone() is None:  # a new store: made erasable
                    cursor.execute(
                        sql.SQL(
                            "CREATE TABLE IF NOT EXISTS {t} (stream uuid PRIMARY KEY, la text NOT NULL, key bytea, "
                            "created_at text NOT NULL, erased_at text, reason text)"
                        ).format(t=table)
                    )
                    for statement in access.protect_sql(schema, CHILD_KEYS_TABLE, writable=True):
                        cursor.execute(statement)
            found = self._child_keys_made()
        if found:
            self.child_keys = ChildKeys(f'"{schema}"."{CHILD_KEYS_TABLE}"', "%s", self._reading, _same)

    def _child_keys_made(self) -> bool:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT to_regclass(%s) AS found", [f'"{self.datastore.schema}"."{CHILD_KEYS_TABLE}"'])
            row = cursor.fetchone()
        return row is not None and row["found"] is not None

    def erasure_compact(self) -> None:
        """The key table vacuumed at once, so the row versions that held the destroyed key
        are gone from its pages (backups taken before still hold it: see docs)."""
        with self.datastore.get_connection() as conn:
            conn.autocommit = True
            conn.execute(sql.SQL("VACUUM {t}").format(t=sql.Identifier(self.datastore.schema, CHILD_KEYS_TABLE)))

    def insert_bulk(self, rows: Sequence[NewRow], las: Mapping[UUID, str] | None = None) -> None:
        """The library's insert (lock the table, notify, insert the rows), in one transaction
        of plain round trips rather than the library's pipeline.

        Why not the library's ``insert_events``: it sends the statements in psycopg's pipeline
        mode, and psycopg (3.3.9) stops sending a pipeline's last command once the socket is not
        writable, then waits only to read. A batch of several megabytes sent while another
        process holds the table's lock fills the socket; once the lock is released the server
        waits for the rest of the INSERT (``ClientRead``) and the client for its results, for
        ever, holding the table's lock (psycopg issue #685 is the same shape). A plain execute
        flushes everything before it waits for a result.
        """
        events = [StoredEvent(originator_id=k, originator_version=v, topic=t, state=s) for k, v, t, s in rows]
        if not events:
            return
        with self.datastore.transaction(commit=True) as cursor:
            self._insert_stored_events(cursor, events, las=las)

    def end_bulk(self) -> None:
        """Nothing: a load changes no setting of PostgreSQL's."""

    def make_access_log(self) -> AccessLogStore:
        return PostgresAccessLog(self.datastore)

    def make_returns_log(self) -> ReturnsLogStore:
        return PostgresReturnsLog(self.datastore)

    # -- access per local authority (journeys.storage.access) ---------------------------

    def visible_las(self) -> list[str] | None:
        every, granted = access.visible_las_sql(self.datastore.schema, self.events_table_name)
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(every)
            row = cursor.fetchone()
            if row is None or row["every"]:
                return None
            cursor.execute(granted)
            return [str(found["la"]) for found in cursor.fetchall()]

    def access_grants(self) -> list[Grant]:
        """The grants this role may see: every one for the owner, its own for a granted role."""
        try:
            with self.datastore.transaction(commit=False) as cursor:
                return access.list_grants(cursor, self.datastore.schema)
        except PersistenceError as error:
            raise StoreError(
                f"cannot list the grants: {' '.join(str(error).split())}",
                "connect as the role that owns the store's tables (--store postgresql://OWNER@…)",
            ) from None

    def grant_access(self, role: str, las: Sequence[str], *, read_only: bool) -> None:
        schema, table = self.datastore.schema, self.events_table_name
        with self._owning("grant access") as cursor:
            cursor.execute("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise StoreError(
                    f"there is no role {role!r} on the server",
                    f"create it first (CREATE ROLE {sql.Identifier(role).as_string(cursor)} LOGIN PASSWORD '…'): "
                    "journeys grants roles access, it does not make them",
                )
            cursor.execute(
                sql.SQL("SELECT count(*) AS n FROM {t} WHERE la IS NULL").format(t=sql.Identifier(schema, table))
            )
            unplaced = cursor.fetchone()
            if unplaced is not None and unplaced["n"]:
                raise StoreError(
                    f"{unplaced['n']} events of the store were recorded, encrypted, before it kept each event's "
                    "local authority, so no policy can place them",
                    "export the store and load the file into a new store (see docs/data-protection.md)",
                )
            access.add_grants(cursor, schema, role, las, read_only=read_only)
            access.sync_privileges(cursor, schema, table, self._sequence(cursor), role)

    def revoke_access(self, role: str, las: Sequence[str]) -> int:
        with self._owning("revoke access") as cursor:
            removed = access.remove_grants(cursor, self.datastore.schema, role, las)
            cursor.execute("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is not None:
                access.sync_privileges(
                    cursor, self.datastore.schema, self.events_table_name, self._sequence(cursor), role
                )
            return removed

    def _sequence(self, cursor: Any) -> str | None:
        cursor.execute(
            "SELECT pg_catalog.pg_get_serial_sequence(%s, 'notification_id') AS seq",
            [f'"{self.datastore.schema}"."{self.events_table_name}"'],
        )
        row = cursor.fetchone()
        return None if row is None or row["seq"] is None else str(row["seq"])

    @contextmanager
    def _owning(self, doing: str) -> Iterator[Any]:
        """A transaction of the store's owner: another role is refused, changing nothing."""
        if self.visible_las() is not None:
            raise StoreError(
                f"only the store's owner can {doing}: this role sees only the local authorities granted to it",
                "connect as the role that owns the store's tables (--store postgresql://OWNER@…)",
            )
        try:
            with self.datastore.transaction(commit=True) as cursor:
                yield cursor
        except PersistenceError as error:
            raise StoreError(
                f"cannot {doing}: {' '.join(str(error).split())}",
                "connect as the role that owns the store's tables (--store postgresql://OWNER@…)",
            ) from None


def _same(stream: UUID) -> UUID:
    return stream


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


# Whether the events table has its `la` column and row-level security, the grants table is there,
# and the access log and the returns log have row-level security.
_SECURED = """
SELECT
  (SELECT count(*) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = %(s)s AND c.relname = %(e)s AND a.attname = 'la' AND NOT a.attisdropped
       AND c.relrowsecurity AND c.relforcerowsecurity) AS la,
  (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = %(s)s AND c.relname = %(g)s) AS grants,
  (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = %(s)s AND c.relname = %(a)s AND c.relrowsecurity AND c.relforcerowsecurity) AS access_log,
  (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = %(s)s AND c.relname = %(r)s AND c.relrowsecurity AND c.relforcerowsecurity) AS returns_log
"""

# A store made before events carried their LA: each stream's event 1 stored as plain JSON
# (an encrypted or compressed one is left alone) gives its LA to the stream's events.
_FILL_LA = """
DO $fill$
DECLARE r record;
BEGIN
  FOR r IN SELECT originator_id, state FROM {t} WHERE originator_version = 1 AND la IS NULL
             AND get_byte(state, 0) = 123 LOOP
    BEGIN
      UPDATE {t} SET la = convert_from(r.state, 'UTF8')::jsonb ->> 'la'
        WHERE originator_id = r.originator_id AND la IS NULL;
    EXCEPTION WHEN others THEN NULL;
    END;
  END LOOP;
END
$fill$
"""


class PostgresJourneysFactory(postgres.PostgresFactory):
    application_recorder_class = PostgresJourneysRecorder

    def application_recorder(self) -> ApplicationRecorder:
        """The recorder, its table made ready; when the pool cannot connect, the server's own
        reason (the pool says only that it waited), found by one direct connection."""
        try:
            return super().application_recorder()
        except PersistenceError as error:
            raise self._connection_error(error) from None

    def _connection_error(self, error: Exception) -> StoreError:
        get = self.env.get
        dbname, host = get(self.POSTGRES_DBNAME) or "", get(self.POSTGRES_HOST) or ""
        port, user = get(self.POSTGRES_PORT) or "5432", get(self.POSTGRES_USER) or ""
        password = get(self.POSTGRES_PASSWORD) or ""
        where = f"the PostgreSQL store {dbname!r} on {host}:{port} as {user!r}"
        try:
            psycopg.connect(
                dbname=dbname,
                host=host,
                port=port,
                user=user,
                password=password or None,
                connect_timeout=int(get(self.POSTGRES_CONNECT_TIMEOUT) or "5"),
            ).close()
        except psycopg.Error as direct:
            reason = " ".join(str(direct).split())
        else:
            reason = " ".join(str(error).split())
        if password:
            reason = reason.replace(password, "***")
        return StoreError(
            f"cannot open {where}: {reason}",
            "check --store (or JOURNEYS_STORE): the server, port, database and user of the postgresql:// URL",
        )
