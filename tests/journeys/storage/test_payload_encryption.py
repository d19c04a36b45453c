"""Event payloads encrypted with the library's AES cipher (CIPHER_KEY): what the events table
holds names no child and no date, every report and `verify` answer as on a plain store, and a
wrong, missing or unwanted key is one refusal."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from journeys import JourneysApp, StoreError

REPORTS = [
    ["scorecard", "--period", "2015-18", "--json"],
    ["counts", "--by", "year", "--json"],
    ["cohort", "--by", "po-year", "--census", "2023-09-30", "--json"],
    ["waiting", "--as-at", "2020-06-30", "--json"],
]


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def journeys(store: str, *args: str, key: str | None = None) -> tuple[int, str]:
    env = {"CIPHER_KEY": key} if key else {}
    result = CliRunner().invoke(cli, ["--store", store, *args], env=env)
    return result.exit_code, result.output


def stored_states(store: str) -> list[bytes]:
    """Every event's state as the events table holds it, read with plain SQL."""
    if store.startswith("postgresql://"):
        import psycopg

        base, _, schema = store.partition("?schema=")
        with psycopg.connect(base) as conn:
            return [bytes(row[0]) for row in conn.execute(f'SELECT state FROM "{schema}".journeys_events')]
    with sqlite3.connect(store) as conn:
        return [bytes(row[0]) for row in conn.execute("SELECT state FROM stored_events")]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "children.jsonl"
    code, output = journeys(
        str(path.with_suffix(".db")), "generate", "--children", "150", "--seed", "7", "--out", str(path)
    )
    assert code == 0, output
    return path


def test_encrypted_payloads_name_no_child_and_every_report_is_the_plain_stores(
    store: str, generated: Path, tmp_path: Path
) -> None:
    key = new_key()
    plain = str(tmp_path / "plain.db")
    for where, with_key in ((store, key), (plain, None)):
        code, output = journeys(where, "load", str(generated), "--quiet", key=with_key)
        assert code == 0, output
        code, output = journeys(where, "projections", "catch-up", key=with_key)
        assert code == 0, output
    lines = [json.loads(line) for line in generated.read_text().splitlines()]
    children = {line["child"] for line in lines}
    dates = {line["on"] for line in lines if line.get("on")}
    states = stored_states(store)
    assert len(states) == len(stored_states(plain))
    blob = b"\n".join(states)
    assert not [child for child in children if child.encode() in blob]
    assert not [day for day in dates if day.encode() in blob]
    assert all(state.startswith(b"{") for state in stored_states(plain))  # the scan can fail
    for report in REPORTS:
        assert journeys(store, *report, key=key) == journeys(plain, *report), report
    code, output = journeys(store, "verify", key=key)
    assert code == 0 and "all hashes match" in output
    assert output == journeys(plain, "verify")[1].replace(plain, store)
    child = sorted(children)[0]
    la = next(line["la"] for line in lines if line["child"] == child)
    code, output = journeys(store, "history", "--la", la, child, key=key)  # through the full decoding
    assert code == 0 and f"child={child}" in output


def test_a_wrong_missing_or_unwanted_key_is_one_error_line(sqlite_store: str, tmp_path: Path) -> None:
    key = new_key()
    app = JourneysApp(sqlite_store, env={"CIPHER_KEY": key})
    app.record("825", "C1", "entered-care", date(2020, 1, 2), {"legal_status": "C2"}, recorded_by="t")
    app.close()
    before = Path(sqlite_store).read_bytes()
    for env, words in (
        ({}, "are encrypted, and no CIPHER_KEY is set"),
        ({"CIPHER_KEY": new_key()}, "CIPHER_KEY does not decrypt the events"),
        ({"CIPHER_KEY": "not-a-key"}, "the setting CIPHER_KEY is not a usable key"),
    ):
        result = CliRunner().invoke(cli, ["--store", sqlite_store, "show", "--la", "825", "C1"], env=env)
        assert result.exit_code == 1
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and words in errors[0] and " — " in errors[0], result.output
        assert "Traceback" not in result.output
    assert Path(sqlite_store).read_bytes() == before
    plain = str(tmp_path / "plain.db")
    app = JourneysApp(plain)
    app.record("825", "C1", "entered-care", date(2020, 1, 2), {"legal_status": "C2"}, recorded_by="t")
    app.close()
    with pytest.raises(StoreError, match="stored as plain JSON, but CIPHER_KEY is set"):
        JourneysApp(plain, env={"CIPHER_KEY": key})


def test_a_compressed_and_encrypted_store_reads_back() -> None:
    env = {"CIPHER_KEY": new_key(), "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor"}
    app = JourneysApp(":memory:", env=env)
    entry = app.record("825", "C1", "entered-care", date(2020, 1, 2), {"legal_status": "C2"}, recorded_by="t")
    assert app.entries("825", "C1")[-1] == entry
    assert not app.verify().tampered
