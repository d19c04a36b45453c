"""Opening a store: journeys' own recorder for each backend, the PostgreSQL driver imported only
for a PostgreSQL store, and a cipher or compressor setting that cannot be used refused (see
test_payload_encryption.py for the settings at work)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from journeys import JourneysApp, StoreError
from journeys.storage import JourneysRecorder


def test_each_backend_opens_with_a_journeys_recorder(store: str) -> None:
    app = JourneysApp(store)
    try:
        assert isinstance(app.recorder, JourneysRecorder)
        assert app.is_shared_store()
    finally:
        app.close()
    memory = JourneysApp(":memory:")
    assert isinstance(memory.recorder, JourneysRecorder)
    assert not memory.is_shared_store()


def test_a_sqlite_store_does_not_import_the_postgresql_driver(sqlite_store: str) -> None:
    code = (
        "import sys\n"
        "from cli.main import cli\n"
        "from journeys import JourneysApp\n"
        f"app = JourneysApp({sqlite_store!r})\n"
        "app.head()\n"
        "app.close()\n"
        "loaded = sorted(m for m in ('psycopg', 'eventsourcing.postgres', 'journeys.storage.postgres') "
        "if m in sys.modules)\n"
        "print(loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        ("CIPHER_TOPIC", "no_such_module:Cipher", "the setting CIPHER_TOPIC names a cipher that cannot be used"),
        ("CIPHER_KEY", "a-key", "the setting CIPHER_KEY is not a usable key"),
        (
            "COMPRESSOR_TOPIC",
            "no_such_module:Zip",
            "the setting COMPRESSOR_TOPIC names a compressor that cannot be used",
        ),
    ],
)
def test_a_cipher_or_compressor_that_cannot_be_used_is_refused(
    sqlite_store: str, setting: str, value: str, words: str
) -> None:
    with pytest.raises(StoreError) as refused:
        JourneysApp(sqlite_store, env={setting: value})
    assert str(refused.value).startswith(words)
    assert refused.value.remedy
    assert not Path(sqlite_store).exists()  # refused before the store is opened


def test_the_cli_refuses_a_bad_cipher_key_in_one_error_line(sqlite_store: str) -> None:
    JourneysApp(sqlite_store).close()
    result = CliRunner().invoke(cli, ["--store", sqlite_store, "verify"], env={"CIPHER_KEY": "short"})
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and errors[0].startswith("Error: the setting CIPHER_KEY is not a usable key")
    assert "Traceback" not in result.output
