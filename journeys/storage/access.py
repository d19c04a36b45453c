"""Access per local authority on a PostgreSQL store, enforced by the server: every table the
project makes in the store's schema has row-level security enabled and forced, with policies
that read one grants table, ``journeys_access(role, la, read_only)``.

- The store's **owner** (the role that owns the tables, or any role with its privileges) sees
  and writes everything: a policy of its own, since FORCE makes the policies bind the owner too.
  Superusers and ``BYPASSRLS`` roles pass row-level security anyway.
- A **granted role** sees the rows whose ``la`` is one it is granted (directly or through a role
  it is a member of), and inserts events only for the local authorities it may write; it cannot
  update or delete anything, and writes no read-model table (the owner keeps the read model
  current, see docs/data-protection.md).
- Tables that carry no child data (the library's tracking table, the grants table itself) have
  row-level security too: a granted role reads the positions, and its own grants only.

Why one grants table rather than a role per local authority: roles are the server's, shared
by every database and schema on it, so a role per LA and store would need a naming scheme and
CREATEROLE for every grant; a table in the store's own schema is made with the store, is
dropped with it and is itself protected by the same policies. A group role can still stand for
a team: grant it, and make the users its members.

Imported only with :mod:`journeys.storage.postgres`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from psycopg import sql

from journeys.storage.access_log import ACCESS_LOG_TABLE
from journeys.storage.child_keys import CHILD_KEYS_TABLE
from journeys.storage.recorders import Grant
from journeys.storage.returns_log import RETURNS_LOG_TABLE

GRANTS_TABLE = "journeys_access"
# The project's tables that carry no child data, and so no `la` column (every other table the
# project makes in the store's schema has one). tests/journeys/storage/test_la_access.py holds
# the catalog to this list.
WITHOUT_LA = frozenset({GRANTS_TABLE, "journeys_views_tracking"})

# The roles whose privileges the current role has (itself included).
_MY_ROLES = "SELECT r.rolname FROM pg_catalog.pg_roles r WHERE pg_catalog.pg_has_role(r.oid, 'USAGE')"


def grants_table_sql(schema: str) -> sql.Composed:
    return sql.SQL(
        "CREATE TABLE IF NOT EXISTS {table} ("
        "role text NOT NULL, la text NOT NULL, read_only boolean NOT NULL DEFAULT false, "
        "PRIMARY KEY (role, la))"
    ).format(table=sql.Identifier(schema, GRANTS_TABLE))


def _granted(schema: str, *, writing: bool) -> sql.Composed:
    """The local authorities granted to the current role (to write, if ``writing``): an
    uncorrelated subquery, so PostgreSQL reads the grants once per query, not once per row."""
    writable = sql.SQL(" AND NOT g.read_only") if writing else sql.SQL("")
    return sql.SQL("SELECT g.la FROM {grants} g WHERE g.role IN (" + _MY_ROLES + "){writable}").format(
        grants=sql.Identifier(schema, GRANTS_TABLE), writable=writable
    )


def _is_owner(schema: str, table: str) -> sql.Composed:
    """Whether the current role has the privileges of the table's owner (evaluated once per query)."""
    return sql.SQL(
        "(SELECT pg_catalog.pg_has_role(c.relowner, 'USAGE') FROM pg_catalog.pg_class c WHERE c.oid = {name}::regclass)"
    ).format(name=sql.Literal(f'"{schema}"."{table}"'))


def protect_sql(schema: str, table: str, *, writable: bool = False, logged: bool = False) -> list[sql.Composed]:
    """Row-level security on ``table``, enabled and forced, and its policies (made again):
    the owner's, a granted role's reading and, for a ``writable`` table, a granted role's
    inserts for the LAs it may write; for the ``logged`` access log, inserts for the LAs it
    may read (reading a child is what is logged). Tables in :data:`WITHOUT_LA` get what suits them."""
    name = sql.Identifier(schema, table)
    owner = _is_owner(schema, table)
    statements = [
        sql.SQL("ALTER TABLE {t} ENABLE ROW LEVEL SECURITY").format(t=name),
        sql.SQL("ALTER TABLE {t} FORCE ROW LEVEL SECURITY").format(t=name),
    ]
    for policy in ("journeys_owner", "journeys_read", "journeys_write"):
        statements.append(sql.SQL("DROP POLICY IF EXISTS {p} ON {t}").format(p=sql.Identifier(policy), t=name))
    statements.append(
        sql.SQL("CREATE POLICY journeys_owner ON {t} USING ({o}) WITH CHECK ({o})").format(t=name, o=owner)
    )
    if table == GRANTS_TABLE:
        reading: sql.Composable = sql.SQL("role IN (" + _MY_ROLES + ")")
    elif table in WITHOUT_LA:
        reading = sql.SQL("EXISTS ({granted})").format(granted=_granted(schema, writing=False))
    else:
        reading = sql.SQL("la IN ({granted})").format(granted=_granted(schema, writing=False))
    statements.append(sql.SQL("CREATE POLICY journeys_read ON {t} FOR SELECT USING ({r})").format(t=name, r=reading))
    if writable or logged:
        statements.append(
            sql.SQL("CREATE POLICY journeys_write ON {t} FOR INSERT WITH CHECK (la IN ({granted}))").format(
                t=name, granted=_granted(schema, writing=not logged)
            )
        )
    return statements


def protect(cursor: Any, schema: str, tables: Iterable[str]) -> None:
    """Protect read-only ``tables`` (the read model's, the tracking table) in the caller's
    transaction, and let every role granted access read them."""
    names = list(tables)
    for table in names:
        for statement in protect_sql(schema, table):
            cursor.execute(statement)
    for role in grantees(cursor, schema):
        for table in names:
            cursor.execute(
                sql.SQL("GRANT SELECT ON {t} TO {r}").format(t=sql.Identifier(schema, table), r=sql.Identifier(role))
            )


def grantees(cursor: Any, schema: str) -> list[str]:
    """The roles with a grant in the store (those that still exist), none if there is no grants table."""
    cursor.execute("SELECT to_regclass(%s) AS found", [f'"{schema}"."{GRANTS_TABLE}"'])
    found = cursor.fetchone()
    if _first(found) is None:
        return []
    cursor.execute(
        sql.SQL(
            "SELECT DISTINCT g.role FROM {grants} g JOIN pg_catalog.pg_roles r ON r.rolname = g.role ORDER BY g.role"
        ).format(grants=sql.Identifier(schema, GRANTS_TABLE))
    )
    return [str(_first(row)) for row in cursor.fetchall()]


def project_tables(cursor: Any, schema: str, events_table: str) -> list[str]:
    """The tables of the store's schema that journeys made: the events, the grants and the
    read model's (every table there with a row-level-security policy of journeys', and those
    two)."""
    cursor.execute(
        "SELECT DISTINCT c.relname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_policy p ON p.polrelid = c.oid "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') "
        "AND (p.polname LIKE 'journeys%%' OR c.relname IN (%s, %s)) ORDER BY c.relname",
        [schema, events_table, GRANTS_TABLE],
    )
    return [str(_first(row)) for row in cursor.fetchall()]


def sync_privileges(cursor: Any, schema: str, events_table: str, sequence: str | None, role: str) -> None:
    """Give ``role`` the table privileges its grants need, and no others: reading every
    project table when it has any grant; inserting events (with the notification ids'
    sequence) when it may write one. Also UPDATE on the events table, which PostgreSQL 15 asks
    of a role that takes the EXCLUSIVE lock every insert of events takes: with no UPDATE
    policy, an update by such a role finds no row."""
    who = sql.Identifier(role)
    tables = project_tables(cursor, schema, events_table)
    for table in tables:
        cursor.execute(sql.SQL("REVOKE ALL ON {t} FROM {r}").format(t=sql.Identifier(schema, table), r=who))
    if sequence:
        cursor.execute(sql.SQL("REVOKE ALL ON SEQUENCE {s} FROM {r}").format(s=sql.SQL(sequence), r=who))
    cursor.execute(
        sql.SQL("SELECT bool_or(NOT read_only) AS writes, count(*) AS n FROM {g} WHERE role = %s").format(
            g=sql.Identifier(schema, GRANTS_TABLE)
        ),
        [role],
    )
    found = cursor.fetchone()
    writes, count = _values(found)
    if not count:
        cursor.execute(sql.SQL("REVOKE USAGE ON SCHEMA {s} FROM {r}").format(s=sql.Identifier(schema), r=who))
        return
    cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA {s} TO {r}").format(s=sql.Identifier(schema), r=who))
    for table in tables:
        cursor.execute(sql.SQL("GRANT SELECT ON {t} TO {r}").format(t=sql.Identifier(schema, table), r=who))
    for log in (ACCESS_LOG_TABLE, RETURNS_LOG_TABLE):  # every granted role logs what it looks at or returns
        if log in tables:
            cursor.execute(sql.SQL("GRANT INSERT ON {t} TO {r}").format(t=sql.Identifier(schema, log), r=who))
    if writes:
        events = sql.Identifier(schema, events_table)
        cursor.execute(sql.SQL("GRANT INSERT, UPDATE ON {t} TO {r}").format(t=events, r=who))
        if CHILD_KEYS_TABLE in tables:  # an erasable store: a new journey's key goes in with it
            keys = sql.Identifier(schema, CHILD_KEYS_TABLE)
            cursor.execute(sql.SQL("GRANT INSERT ON {t} TO {r}").format(t=keys, r=who))
        if sequence:
            cursor.execute(sql.SQL("GRANT USAGE ON SEQUENCE {s} TO {r}").format(s=sql.SQL(sequence), r=who))


def list_grants(cursor: Any, schema: str) -> list[Grant]:
    cursor.execute(
        sql.SQL("SELECT role, la, read_only FROM {g} ORDER BY role, la").format(g=sql.Identifier(schema, GRANTS_TABLE))
    )
    return [Grant(str(role), str(la), bool(read_only)) for role, la, read_only in map(_values, cursor.fetchall())]


def add_grants(cursor: Any, schema: str, role: str, las: Sequence[str], *, read_only: bool) -> None:
    cursor.executemany(
        sql.SQL(
            "INSERT INTO {g} (role, la, read_only) VALUES (%s, %s, %s) "
            "ON CONFLICT (role, la) DO UPDATE SET read_only = EXCLUDED.read_only"
        ).format(g=sql.Identifier(schema, GRANTS_TABLE)),
        [(role, la, read_only) for la in las],
    )


def remove_grants(cursor: Any, schema: str, role: str, las: Sequence[str]) -> int:
    """Remove ``role``'s grants of ``las`` (every one of its grants when ``las`` is empty)."""
    table = sql.Identifier(schema, GRANTS_TABLE)
    if las:
        cursor.execute(sql.SQL("DELETE FROM {g} WHERE role = %s AND la = ANY(%s)").format(g=table), [role, list(las)])
    else:
        cursor.execute(sql.SQL("DELETE FROM {g} WHERE role = %s").format(g=table), [role])
    return int(cursor.rowcount or 0)


def visible_las_sql(schema: str, events_table: str) -> tuple[sql.Composed, sql.Composed]:
    """Two queries: whether the current role sees every row (the owner's privileges,
    superuser or BYPASSRLS), and the local authorities granted to it."""
    every = sql.SQL(
        "SELECT pg_catalog.pg_has_role(c.relowner, 'USAGE') OR r.rolsuper OR r.rolbypassrls AS every "
        "FROM pg_catalog.pg_class c, pg_catalog.pg_roles r WHERE c.oid = {t}::regclass AND r.rolname = current_user"
    ).format(t=sql.Literal(f'"{schema}"."{events_table}"'))
    granted = sql.SQL("SELECT DISTINCT la FROM {g} WHERE role IN (" + _MY_ROLES + ") ORDER BY la").format(
        g=sql.Identifier(schema, GRANTS_TABLE)
    )
    return every, granted


def _values(row: Any) -> tuple[Any, ...]:
    return tuple(row.values()) if isinstance(row, dict) else tuple(row)


def _first(row: Any) -> Any:
    return None if row is None else _values(row)[0]


def unprotected(cursor: Any, schema: str, tables: Iterable[str]) -> list[str]:
    """Which of ``tables`` (those that exist) lack row-level security, forced, with journeys' policies."""
    cursor.execute(
        "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relname = ANY(%s) AND NOT (c.relrowsecurity AND c.relforcerowsecurity "
        "AND EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'journeys_read')) "
        "ORDER BY c.relname",
        [schema, list(tables)],
    )
    return [str(_first(row)) for row in cursor.fetchall()]
