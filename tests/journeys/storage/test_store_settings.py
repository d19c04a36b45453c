"""Opening a store: journeys' own recorder for each backend, the PostgreSQL driver imported only
for a PostgreSQL store, and the library's encryption and compression settings refused (journeys
stores plain JSON, so either would be silently ignored)."""

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
    ("setting", "value", "what"),
    [
        ("CIPHER_TOPIC", "eventsourcing.cipher:AESCipher", "encryption"),
        ("CIPHER_KEY", "a-key", "encryption"),
        ("COMPRESSOR_TOPIC", "eventsourcing.compressor:ZlibCompressor", "compression"),
    ],
)
def test_a_store_asked_to_encrypt_or_compress_is_refused(
    sqlite_store: str, setting: str, value: str, what: str
) -> None:
    with pytest.raises(StoreError) as refused:
        JourneysApp(sqlite_store, env={setting: value})
    assert str(refused.value) == (
        f"the setting {setting} asks for {what} of the stored events, which journeys does not support yet"
    )
    assert refused.value.remedy == f"unset {setting} (and JOURNEYS_{setting}): events are stored as plain JSON"
    assert not Path(sqlite_store).exists()  # refused before the store is opened


def test_the_cli_refuses_a_cipher_in_one_error_line(sqlite_store: str) -> None:
    JourneysApp(sqlite_store).close()
    result = CliRunner().invoke(
        cli, ["--store", sqlite_store, "verify"], env={"CIPHER_TOPIC": "eventsourcing.cipher:AESCipher"}
    )
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: the setting CIPHER_TOPIC asks for encryption of the stored events, which journeys does not "
        "support yet — unset CIPHER_TOPIC (and JOURNEYS_CIPHER_TOPIC): events are stored as plain JSON"
    ]
    assert "Traceback" not in result.output
