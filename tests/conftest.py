"""Shared fixtures: an in-memory app, a SQLite app, a PostgreSQL app when the server is there,
and a CLI runner bound to a store in tmp_path."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli.main import cli
from journeys import JourneysApp

POSTGRES_URL = os.environ.get("JOURNEYS_TEST_POSTGRES")
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


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


def _postgres_schema_url() -> Iterator[str]:
    """A fresh schema per test, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("JOURNEYS_TEST_POSTGRES is not set")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}schema={schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def postgres_store() -> Iterator[str]:
    yield from _postgres_schema_url()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store URL for each real backend: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        yield str(tmp_path / "journeys.db")
    else:
        yield from _postgres_schema_url()


def load_generated(app: JourneysApp, children: int, seed: int, *, las: int, batch_size: int) -> JourneysApp:
    """``app`` with generated journeys loaded (late keying, corrections, plan changes), in
    batches of ``batch_size`` lines; every line must load."""
    import json

    from journeys.loading import load_lines
    from journeys.loading.jsonl import read_lines
    from journeys.synthetic.generator import generate

    lines = [json.dumps(line) for line in generate(children, seed, las=las)]
    report = load_lines(app, read_lines(lines, None), recorded_by="test", source_name="test", batch_size=batch_size)
    assert not report.rejected
    return app


@pytest.fixture
def app(store: str) -> Iterator[JourneysApp]:
    application = JourneysApp(store)
    yield application
    application.close()


class Cli:
    """Runs `journeys` against one store, as a user would."""

    def __init__(self, store: str) -> None:
        self.store = store
        self.runner = CliRunner()

    def __call__(self, *args: str, user: str = "tester", la: str | None = "825") -> Result:
        env = {"JOURNEYS_USER": user}
        if la:
            env["JOURNEYS_LA"] = la
        return self.runner.invoke(cli, ["--store", self.store, *args], env=env, catch_exceptions=False)


@pytest.fixture
def run(sqlite_store: str) -> Cli:
    """A CLI on an empty SQLite store (created, holding no journey)."""
    JourneysApp(sqlite_store).close()
    return Cli(sqlite_store)
