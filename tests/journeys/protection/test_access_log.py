"""Who looked: the access log kept beside the journeys, on SQLite and PostgreSQL, its chain per
local authority, and what breaks it when a row is changed in the store with raw SQL."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from journeys import (
    InvalidEvent,
    JourneysApp,
    access_records,
    check_access_log,
    note_access,
    write_subject_access,
)
from journeys.domain.access_log import Access, check_chains, sealed
from tests.helpers import record


def _sql(store: str, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Run one statement on the store behind the engine's back (as someone with the database would)."""
    if store.startswith("postgresql://"):
        import psycopg

        url, _, query = store.partition("?")
        schema = query.partition("schema=")[2]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{schema}"')
            conn.execute(statement.replace("?", "%s"), params)
    else:
        with sqlite3.connect(store) as conn:
            conn.execute(statement, params)


def _two_children(app: JourneysApp) -> None:
    record(app, "C001", "entered-care", "2014-06-02", legal_status="C1")
    record(app, "C002", "entered-care", "2014-07-01", legal_status="C1", la="928")


def test_looks_are_kept_in_order_with_user_time_and_purpose(app: JourneysApp) -> None:
    _two_children(app)
    with freeze_time("2026-04-01 09:00:00"):
        note_access(app, [("825", "C001")], command="show", user="jsmith", purpose="panel on 14 April")
    with freeze_time("2026-04-02 10:30:00"):
        note_access(app, [("825", "C001"), ("928", "C002")], command="explain", user="aauditor")
    looks = access_records(app)
    assert [(r.la, r.seq, r.child, r.command, r.user, r.purpose) for r in looks] == [
        ("825", 1, "C001", "show", "jsmith", "panel on 14 April"),
        ("825", 2, "C001", "explain", "aauditor", None),
        ("928", 1, "C002", "explain", "aauditor", None),
    ]
    assert looks[0].at == "2026-04-01T09:00:00.000000Z"
    assert check_access_log(app).ok and check_access_log(app).records == 3


def test_days_are_london_days_and_both_ends_count(app: JourneysApp) -> None:
    _two_children(app)
    # 23:30 UTC on 31 March 2026 is already 1 April in London (BST began on 29 March)
    for moment in ("2026-03-31 22:30:00", "2026-03-31 23:30:00", "2026-04-30 22:59:00", "2026-04-30 23:01:00"):
        with freeze_time(moment):
            note_access(app, [("825", "C001")], command="show", user="jsmith")
    april = access_records(app, la="825", child="C001", first=date(2026, 4, 1), last=date(2026, 4, 30))
    assert [r.seq for r in april] == [2, 3]
    assert access_records(app, la="928") == []


def test_an_edited_row_breaks_the_chain_of_its_la(app: JourneysApp) -> None:
    _two_children(app)
    for user in ("a", "b", "c"):
        note_access(app, [("825", "C001"), ("928", "C002")], command="history", user=user)
    _sql(app.store, "UPDATE journeys_access_log SET user_name = ? WHERE la = ? AND seq = ?", ("nobody", "825", 2))
    check = check_access_log(app)
    assert [(p.la, p.seq, p.problem) for p in check.problems] == [("825", 2, "content does not match its hash")]


def test_a_deleted_row_is_found_by_the_record_after_it(app: JourneysApp) -> None:
    _two_children(app)
    for user in ("a", "b", "c"):
        note_access(app, [("825", "C001")], command="show", user=user)
    _sql(app.store, "DELETE FROM journeys_access_log WHERE la = ? AND seq = ?", ("825", 2))
    problems = check_access_log(app).problems
    assert ("825", 3, "follows record 1") in [(p.la, p.seq, p.problem) for p in problems]


def test_a_bad_purpose_is_refused_and_nothing_is_kept(app: JourneysApp) -> None:
    _two_children(app)
    with pytest.raises(InvalidEvent, match="control character"):
        note_access(app, [("825", "C001")], command="show", user="jsmith", purpose="line\nbreak")
    assert access_records(app) == []


def test_the_access_log_is_not_in_any_stream(app: JourneysApp) -> None:
    _two_children(app)
    before = app.head(), [e.hash for e in app.entries("825", "C001")]
    note_access(app, [("825", "C001")], command="show", user="jsmith")
    assert (app.head(), [e.hash for e in app.entries("825", "C001")]) == before


def test_writers_of_one_store_take_turns(app: JourneysApp) -> None:
    """Two apps on one store append one after the other, and the chain holds."""
    _two_children(app)
    other = JourneysApp(app.store)
    try:
        for i in range(5):
            note_access(app, [("825", "C001")], command="show", user=f"a{i}")
            note_access(other, [("825", "C001")], command="show", user=f"b{i}")
    finally:
        other.close()
    assert [r.seq for r in access_records(app)] == list(range(1, 11))
    assert check_access_log(app).ok


def test_writers_at_the_same_moment_still_number_one_after_another(app: JourneysApp) -> None:
    """Two apps on one store appending at once, from two threads: no number is used twice."""
    import threading

    _two_children(app)
    other = JourneysApp(app.store)
    errors: list[BaseException] = []

    def looks(on: JourneysApp, who: str) -> None:
        try:
            for i in range(15):
                note_access(on, [("825", "C001")], command="show", user=f"{who}{i}")
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=looks, args=(a, w)) for a, w in ((app, "a"), (other, "b"))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        other.close()
    assert errors == []
    assert [r.seq for r in access_records(app)] == list(range(1, 31))
    assert check_access_log(app).ok


def test_subject_access_holds_every_event_and_every_look(app: JourneysApp, tmp_path: Path) -> None:
    import json

    _two_children(app)
    record(app, "C001", "adoption-decision", "2014-11-20")
    note_access(app, [("825", "C001")], command="show", user="jsmith", purpose="review")
    note_access(app, [("928", "C002")], command="show", user="jsmith")
    out = tmp_path / "sar.json"
    written = write_subject_access(app, "825", "C001", out, user="dpo")
    data = json.loads(out.read_text())
    assert [e["event"] for e in data["events"]] == ["opened", "entered-care", "adoption-decision"]
    assert [e["recorded"]["hash"] for e in data["events"]] == [e.hash for e in app.entries("825", "C001")]
    assert [(r["command"], r["user"]) for r in data["access_log"]] == [("show", "jsmith"), ("subject-access", "dpo")]
    assert (written.events, written.accesses) == (3, 2)
    assert out.stat().st_mode & 0o777 == 0o600


def test_chain_check_of_records_made_by_hand() -> None:
    at = datetime(2026, 4, 1, tzinfo=UTC)
    first = sealed(None, Access("825", "C001", "show", "a", at))
    second = sealed(first, Access("825", "C001", "show", "b", at))
    assert check_chains([first, second]) == (2, [])
    assert [p.seq for p in check_chains([second])[1]] == [2, 2]  # its predecessor is missing
