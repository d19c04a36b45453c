"""Tamper evidence: an event edited directly in the database is named by `journeys verify`."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from journeys import JourneysApp
from journeys.loading import export_lines, load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate
from tests.helpers import Cli


def _history(app: JourneysApp) -> None:
    for child in ("T1", "T2"):
        app.record("825", child, "entered-care", date(2014, 6, 2), {}, recorded_by="sw")
        app.record("825", child, "adoption-decision", date(2014, 11, 20), {}, recorded_by="sw")


def test_an_untouched_store_verifies(run: Cli, sqlite_store: str) -> None:
    app = JourneysApp(sqlite_store)
    _history(app)
    app.close()
    result = run("verify")
    assert result.exit_code == 0
    assert result.output.strip() == "verified 6 events in 2 journeys: all hashes match"


def test_a_date_edited_in_sqlite_makes_verify_fail_naming_the_child(run: Cli, sqlite_store: str) -> None:
    app = JourneysApp(sqlite_store)
    _history(app)
    app.close()
    with sqlite3.connect(sqlite_store) as db:
        rows = [r for r in db.execute("SELECT rowid, state FROM stored_events ORDER BY rowid") if b"2014-11-20" in r[1]]
        rowid, state = rows[1]
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?", (state.replace(b"2014-11-20", b"2014-10-20"), rowid)
        )
    result = run("verify")
    assert result.exit_code == 1
    assert "child T2 (825) event 3: content does not match its hash" in result.output
    assert "T1" not in result.output


@pytest.mark.postgres
def test_a_date_edited_in_postgres_makes_verify_fail(postgres_store: str) -> None:
    import psycopg

    app = JourneysApp(postgres_store)
    _history(app)
    schema = postgres_store.rsplit("schema=", 1)[1]
    with psycopg.connect(postgres_store.split("?")[0], autocommit=True) as conn:
        conn.execute(
            f'UPDATE "{schema}".journeys_events '
            "SET state = convert_to(replace(convert_from(state, 'UTF8'), '2014-11-20', '2014-10-20'), 'UTF8') "
            "WHERE originator_version = 3 AND notification_id = (SELECT max(notification_id) FROM "
            f'"{schema}".journeys_events)'
        )
    report = app.verify()
    app.close()
    assert [(t.child, t.seq) for t in report.tampered] == [("T2", 3)]


def test_verify_and_export_tell_their_progress_in_stored_events(sqlite_app: JourneysApp) -> None:
    lines = [json.dumps(line) for line in generate(60, 3)]
    load_lines(sqlite_app, read_lines(lines, None), recorded_by="t", source_name="s")
    head = sqlite_app.head()
    checked: list[tuple[int, int]] = []
    report = sqlite_app.verify(lambda done, total: checked.append((done, total)))
    assert report.events == head > len(lines)
    assert checked[-1] == (head, head)
    assert all(total == head for _, total in checked)
    exported: list[tuple[int, int]] = []
    assert len(list(export_lines(sqlite_app, lambda done, total: exported.append((done, total))))) == head
    assert exported[-1] == (head, head)
    assert [done for done, _ in exported] == sorted(done for done, _ in exported)
    assert all(total == head for _, total in exported)
