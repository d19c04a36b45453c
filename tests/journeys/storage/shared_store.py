"""A shared PostgreSQL store for the access tests: a schema owned by a role of its own (not a
superuser, which would pass row-level security), and the roles the tests grant, all made on
the real server with unique names and dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.helpers import POSTGRES_URL

# The three local authorities the generated journeys are spread over (journeys.synthetic).
LAS = ("825", "928", "909")


@dataclass
class SharedStore:
    schema: str
    owner: str
    made: list[str] = field(default_factory=list)  # the roles made for the test, owner first

    def url(self, role: str) -> str:
        assert POSTGRES_URL
        parts = urlparse(POSTGRES_URL)
        return f"postgresql://{role}@{parts.hostname}:{parts.port or 5432}{parts.path}?schema={self.schema}"

    @property
    def owner_url(self) -> str:
        return self.url(self.owner)

    def role(self, name: str) -> str:
        """A new login role (no privilege of its own), dropped with the store."""
        role = f"{self.schema}_{name}"
        with admin() as conn:
            conn.execute(f'CREATE ROLE "{role}" LOGIN')
        self.made.append(role)
        return role

    def connect(self, role: str) -> Any:
        """A raw connection as ``role``, its search path the store's schema."""
        import psycopg

        conn = psycopg.connect(self.url(role).split("?")[0], autocommit=True)
        conn.execute(f'SET search_path TO "{self.schema}"')
        return conn


def admin() -> Any:
    import psycopg

    assert POSTGRES_URL
    return psycopg.connect(POSTGRES_URL, autocommit=True)


def shared_store() -> Iterator[SharedStore]:
    """A fresh schema owned by a new role (a generator: ``yield from shared_store()``)."""
    if not POSTGRES_URL:
        pytest.skip("JOURNEYS_TEST_POSTGRES is not set")
    schema = f"acc_{uuid.uuid4().hex[:10]}"
    owner = f"{schema}_owner"
    with admin() as conn:
        conn.execute(f'CREATE ROLE "{owner}" LOGIN')
        conn.execute(f'CREATE SCHEMA "{schema}" AUTHORIZATION "{owner}"')
    store = SharedStore(schema, owner, [owner])
    try:
        yield store
    finally:
        with admin() as conn:
            # end the sessions still open as the test's roles, then drop what they own
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY(%s)", [store.made])
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            for role in reversed(store.made):
                conn.execute(f'DROP OWNED BY "{role}"')
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def tables(conn: Any, schema: str) -> dict[str, dict[str, Any]]:
    """Every table of ``schema``, from the catalog: its row-level security and whether it has an ``la`` column."""
    rows = conn.execute(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
        "EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'la' AND NOT a.attisdropped) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
        [schema],
    ).fetchall()
    return {name: {"rls": rls, "forced": forced, "la": has_la} for name, rls, forced, has_la in rows}


def first_column(conn: Any, schema: str, table: str) -> str:
    found = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
        "ORDER BY ordinal_position LIMIT 1",
        [schema, table],
    ).fetchone()
    return str(found[0])
