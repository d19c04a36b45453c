"""A PostgreSQL store that cannot be opened says the server's own reason, in one line, and no
output ever shows the URL's password."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from journeys import JourneysApp
from journeys.storage.location import shown_store
from tests.helpers import POSTGRES_URL, Cli, postgres_schema_url

REMEDY = " — check --store (or JOURNEYS_STORE): the server, port, database and user of the postgresql:// URL\n"


def _server() -> tuple[str, int, str]:
    if not POSTGRES_URL:
        pytest.skip("JOURNEYS_TEST_POSTGRES is not set")
    url = urlparse(POSTGRES_URL)
    return url.hostname or "127.0.0.1", url.port or 5432, url.username or "postgres"


@pytest.fixture
def password_store() -> Iterator[str]:
    """The test server's schema URL with a password in it (the server trusts, and ignores it)."""
    for url in postgres_schema_url():
        user = _server()[2]
        yield url.replace(f"{user}@", f"{user}:s3cret@", 1)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql://{user}@{host}:{port}/nosuchdb", 'FATAL: database "nosuchdb" does not exist'),
        ("postgresql://nosuchrole@{host}:{port}/test", 'FATAL: role "nosuchrole" does not exist'),
        ("postgresql://{user}@127.0.0.1:1/test", "port 1 failed: Connection refused"),
        ("postgresql://{user}:s3cret@{host}:{port}/nosuchdb", 'FATAL: database "nosuchdb" does not exist'),
    ],
)
def test_a_postgres_store_that_cannot_be_opened_gives_the_servers_reason(url: str, reason: str) -> None:
    host, port, user = _server()
    store = url.format(host=host, port=port, user=user)
    result = Cli(store)("show", "C1")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot open the PostgreSQL store ")
    assert result.output.count("\n") == 1
    assert reason in result.output
    assert result.output.endswith(REMEDY)
    assert "s3cret" not in result.output


@pytest.mark.postgres
def test_projections_status_shows_the_url_without_its_password(password_store: str) -> None:
    run = Cli(password_store)
    assert run("record", "entered-care", "C1", "--on", "2014-01-10").exit_code == 0
    for args in (["projections", "status"], ["projections", "status", "--json"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "s3cret" not in result.output
        assert shown_store(password_store) in result.output


@pytest.mark.postgres
def test_an_app_on_a_password_url_works_and_its_errors_hide_the_password(password_store: str) -> None:
    JourneysApp(password_store).close()
    result = Cli(password_store.replace("?schema=", "?x=", 1).rsplit("/", 1)[0] + "/")("show", "C1")
    assert result.exit_code == 1
    assert "s3cret" not in result.output
    assert ":***@" in result.output


def test_shown_store_hides_only_the_password() -> None:
    assert shown_store("postgresql://u:s3cret@h:5432/db?schema=s") == "postgresql://u:***@h:5432/db?schema=s"
    assert shown_store("postgres://u@h/db") == "postgres://u@h/db"
    assert shown_store("postgresql://:p%40ss@h/db") == "postgresql://:***@h/db"
    assert shown_store("journeys.db") == "journeys.db"
