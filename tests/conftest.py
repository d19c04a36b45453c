"""Shared fixtures: an in-memory app, a SQLite app, a PostgreSQL app when the server is there,
and a CLI runner bound to a store in tmp_path. What the tests import lives in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from journeys import JourneysApp
from tests.helpers import Cli, postgres_schema_url


@pytest.fixture
def memory_app() -> Iterator[JourneysApp]:
    app = JourneysApp(":memory:")
    yield app
    app.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> str:
    return str(tmp_path / "journeys.db")


@pytest.fixture
def sqlite_app(sqlite_store: str) -> Iterator[JourneysApp]:
    app = JourneysApp(sqlite_store)
    yield app
    app.close()


@pytest.fixture
def postgres_store() -> Iterator[str]:
    yield from postgres_schema_url()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store URL for each real backend: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        yield str(tmp_path / "journeys.db")
    else:
        yield from postgres_schema_url()


@pytest.fixture
def app(store: str) -> Iterator[JourneysApp]:
    application = JourneysApp(store)
    yield application
    application.close()


@pytest.fixture
def run(sqlite_store: str) -> Cli:
    """A CLI on an empty SQLite store (created, holding no journey)."""
    JourneysApp(sqlite_store).close()
    return Cli(sqlite_store)
