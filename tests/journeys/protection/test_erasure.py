"""Erasure by crypto-shredding on an erasable store (sealing format 2), on SQLite and PostgreSQL:
after 50 children of a generated store are erased, `verify` (and `verify --against` a checkpoint
taken before) passes, the JSON of scorecard, cohort, counts and waiting is what it was, and no
byte of the store (its file and -wal, the read model's, the access log, the key table) nor of an
export holds an erased child's reference or date of birth; show says erased, when and why; a
record not yet due is refused unless overridden, changing nothing; a store of format 1 refuses."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli.main import cli
from journeys import JourneysApp
from tests.helpers import POSTGRES_URL

LA = "825"
REPORTS = [
    ["scorecard", "--period", "2012-15", "--json"],
    ["cohort", "--census", "2016-09-30", "--json"],
    ["counts", "--by", "year", "--json"],
    ["waiting", "--as-at", "2016-03-31", "--json"],
]
ERASED = 50


def run(store: str, *args: str, erasable: bool = True) -> Result:
    env = {"JOURNEYS_USER": "dpo", "JOURNEYS_LA": LA, "JOURNEYS_ERASABLE": "1" if erasable else ""}
    return CliRunner().invoke(cli, ["--store", store, *args], env=env)


def ok(store: str, *args: str, erasable: bool = True) -> str:
    result = run(store, *args, erasable=erasable)
    assert result.exit_code == 0, (args, result.output)
    return result.output


def generated(folder: Path) -> list[dict[str, Any]]:
    path = folder / "children.jsonl"
    ok(str(folder / "gen.db"), "generate", "--children", "300", "--seed", "11", "--out", str(path))
    return [json.loads(line) for line in path.read_text().splitlines()]


def store_bytes(store: str) -> bytes:
    """Every byte the store holds: its files on SQLite; every row of every table of its schema,
    as text, on PostgreSQL."""
    if store.startswith("postgresql"):
        import psycopg

        schema = store.rsplit("schema=", 1)[1]
        with psycopg.connect(POSTGRES_URL or "", autocommit=True) as conn:
            tables = [
                row[0]
                for row in conn.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = %s", [schema])
            ]
            rows = [
                str(row[0]).encode()
                for table in tables
                for row in conn.execute(f'SELECT t::text FROM "{schema}"."{table}" t')
            ]
            states = [bytes(row[0]) for row in conn.execute(f'SELECT state FROM "{schema}".journeys_events')]
        return b"\n".join(rows + states)
    path = Path(store)
    files = [path, *(path.with_name(path.name + tail) for tail in ("-wal", ".views.db", ".views.db-wal"))]
    return b"\n".join(f.read_bytes() for f in files if f.exists())


@pytest.fixture
def loaded(store: str, tmp_path: Path) -> tuple[str, list[dict[str, Any]]]:
    lines = generated(tmp_path)
    ok(store, "load", "--quiet", str(tmp_path / "children.jsonl"))
    return store, lines


def test_erasing_50_children_keeps_the_chain_and_the_statistics_and_leaves_none_of_their_values(
    loaded: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    store, lines = loaded
    ok(store, "checkpoint", "keygen", "--out", str(tmp_path / "signing.pem"))
    ok(store, "checkpoint", "--out", str(tmp_path / "before.json"), "--key", str(tmp_path / "signing.pem"))
    before = {args[0]: ok(store, *args) for args in REPORTS}
    waiting = {c["child"] for by in json.loads(before["waiting"])["by_la"].values() for c in by["children"]}
    children = list(dict.fromkeys(line["child"] for line in lines))
    chosen = [child for child in children if child not in waiting][:ERASED]
    assert len(chosen) == ERASED
    ok(store, "show", chosen[0], "--purpose", "before erasure")  # an access record about the child
    for child in chosen:
        ok(store, "erase", child, "--reason", "retention review 2026", "--override-retention", "test of erasure")

    verified = json.loads(ok(store, "verify", "--json"))
    assert verified["ok"] and verified["access_log"]["ok"] and verified["events"] > 0
    assert verified["sealing_format"] == 2
    ok(store, "verify", "--against", str(tmp_path / "before.json"))
    assert {args[0]: ok(store, *args) for args in REPORTS} == before

    shown = json.loads(ok(store, "show", chosen[0], "--json"))
    assert shown["erased"]["reason"] == "retention review 2026"
    assert shown["erased"]["retention_override"] == "test of erasure"
    assert shown["erased"]["by"] == "dpo" and shown["erased"]["at"]
    assert shown["child"] == shown["erased"]["shown_as"] and shown["child"].startswith("erased-")
    assert shown["date_of_birth"] is None
    text = ok(store, "show", chosen[0])
    assert "ERASED on" in text and "retention review 2026" in text and chosen[0] not in text
    history = ok(store, "history", chosen[0])
    assert "ERASED on" in history and chosen[0] not in history

    export = tmp_path / "after.jsonl"
    ok(store, "export", "--out", str(export))
    erased = set(chosen)
    kept_values = {str(v) for line in lines if line["child"] not in erased for v in line.values()}
    kept_values |= {str(line.get("on")) for line in lines}  # the dates of decisions stay in clear
    births = {str(line["date_of_birth"]) for line in lines if line["child"] in erased and line.get("date_of_birth")}
    births -= kept_values  # a date that is also a decision's or another child's birth stays, in clear
    assert births, "the scan must have dates of birth to look for"
    for where, blob in (("store", store_bytes(store)), ("export", export.read_bytes())):
        found = [value for value in sorted(erased | births) if value.encode() in blob]
        assert found == [], where
    # the same scan finds a child not erased: it can fail
    other = next(child for child in children if child not in erased)
    assert other.encode() in export.read_bytes()
    listed = json.loads(ok(store, "retention", "--all", "--json"))["children"]
    assert listed and not any(row["child"].startswith("erased-") for row in listed)
    log = ok(store, "access-log", "--json")
    assert chosen[0] not in log and shown["child"] in log


def test_a_record_not_yet_due_is_refused_unless_overridden_and_nothing_changes(
    loaded: tuple[str, list[dict[str, Any]]],
) -> None:
    store, lines = loaded
    child = next(line["child"] for line in lines if line.get("date_of_birth"))
    app = JourneysApp(store)
    try:
        head = app.head()
    finally:
        app.close()
    refused = run(store, "erase", child, "--reason", "asked to")
    assert refused.exit_code == 1
    assert refused.output.startswith("Error: the record of child") and refused.output.count("\n") == 1
    assert "--override-retention" in refused.output
    app = JourneysApp(store)
    try:
        assert app.head() == head
        assert app.show(LA, child).erased is None
        assert app.recorder.child_keys is not None
        assert app.recorder.child_keys.protection(app.find(LA, child).id) is not None  # type: ignore[union-attr]
    finally:
        app.close()
    ok(store, "erase", child, "--reason", "asked to", "--override-retention", "court order")
    again = run(store, "erase", child, "--reason", "asked to", "--override-retention", "court order")
    assert again.exit_code == 1 and "already erased" in again.output
    after = run(store, "legal-hold", child, "--reason", "inquiry")
    assert after.exit_code == 1 and after.output.startswith("Error:") and "erased" in after.output


def test_a_store_of_sealing_format_1_refuses_erasure_and_keeps_its_format(tmp_path: Path) -> None:
    store = str(tmp_path / "old.db")
    lines = generated(tmp_path)
    ok(store, "load", "--quiet", str(tmp_path / "children.jsonl"), erasable=False)
    refused = run(store, "erase", lines[0]["child"], "--reason", "x", "--override-retention", "y")
    assert refused.exit_code == 1 and "sealing format 1" in refused.output
    assert json.loads(ok(store, "verify", "--json"))["sealing_format"] == 1
    app = JourneysApp(store, {"JOURNEYS_ERASABLE": "1"})  # a store that holds events keeps its format
    try:
        assert app.sealing_format == 1
    finally:
        app.close()
    assert lines[0]["child"].encode() in Path(store).read_bytes()  # format 1 keeps values in clear


def test_a_tampered_token_fails_verify(loaded: tuple[str, list[dict[str, Any]]]) -> None:
    store, _ = loaded
    if store.startswith("postgresql"):
        pytest.skip("the token's bytes are edited in the SQLite file")
    import sqlite3

    with sqlite3.connect(store) as conn:
        state = conn.execute("SELECT rowid, state FROM stored_events WHERE topic = 'journeys.opened.v1' LIMIT 1")
        rowid, raw = state.fetchone()
        data = json.loads(raw)
        token = data["child"]
        data["child"] = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", [json.dumps(data).encode(), rowid])
    result = run(store, "verify", "--json")
    assert result.exit_code == 1
    assert not json.loads(result.output)["ok"]


def test_a_lossless_export_of_an_erasable_store_restores_the_same_chain_in_a_new_erasable_store(
    loaded: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    store, lines = loaded
    child = lines[0]["child"]
    export = tmp_path / "all.jsonl"
    ok(store, "export", "--out", str(export))
    opened = [json.loads(line) for line in export.read_text().splitlines() if '"event": "opened"' in line]
    assert opened and all(len(base64.urlsafe_b64decode(line["key"])) == 32 for line in opened)  # the child's key
    copy = str(tmp_path / "copy.db")
    ok(copy, "load", "--quiet", str(export))
    assert json.loads(ok(copy, "history", child, "--json")) == json.loads(ok(store, "history", child, "--json"))
    assert json.loads(ok(copy, "verify", "--json"))["ok"]
    plain = str(tmp_path / "plain.db")
    refused = run(plain, "load", "--quiet", str(export), erasable=False)
    assert refused.exit_code == 2 and "erasable store" in refused.output
