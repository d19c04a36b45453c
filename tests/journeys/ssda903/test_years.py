"""Several returns: combined or one by one, in any order, re-imported: the same journeys."""

from __future__ import annotations

from datetime import date

from journeys import JourneysApp
from tests.helpers import RETURNS, event_count, run_import, timelines


def test_reimporting_the_same_returns_appends_nothing(app: JourneysApp) -> None:
    run_import(app, RETURNS)
    before = event_count(app)
    again = run_import(app, RETURNS)
    assert event_count(app) == before
    assert (again.appended, again.corrected, again.rows_rejected) == (0, 0, 0)
    for table in again.tables.values():
        assert table.read == table.present


def test_newest_return_first_then_the_older_gives_the_same_journeys(app: JourneysApp, memory_app: JourneysApp) -> None:
    run_import(memory_app, RETURNS)
    run_import(app, RETURNS / "2016")
    run_import(app, RETURNS / "2015")
    assert timelines(app) == timelines(memory_app)


def test_older_return_then_newer_gives_the_same_journeys_carers_start_included(
    memory_app: JourneysApp, sqlite_app: JourneysApp
) -> None:
    run_import(memory_app, RETURNS)
    older = run_import(sqlite_app, RETURNS / "2015")
    # S001's foster placement began in the 2015 return, the A5 placement is in the 2016 one: the
    # 2015 import keeps what its episodes show of the carers (not a decision) ...
    seen = [e for e in sqlite_app.entries("825", "S001") if e.kind == "carers-seen"]
    assert [(e.on, dict(e.fields)) for e in seen] == [(date(2015, 1, 15), {"since": date(2014, 5, 10)})]
    assert older.rows_rejected == 0
    later = run_import(sqlite_app, RETURNS / "2016")
    # ... and the 2016 placement reads its carers_since from it
    placed = next(d for d in timelines(sqlite_app)["S001"] if d[0] == "placed")
    assert placed[2] == {"with_foster_carers": True, "carers_since": date(2014, 5, 10)}
    assert timelines(sqlite_app) == timelines(memory_app)
    assert later.corrected == 2  # S004's birth date and legal status, as corrections
    before = event_count(sqlite_app)
    run_import(sqlite_app, RETURNS)  # all together again: nothing new
    assert event_count(sqlite_app) == before


def test_a_later_return_that_changes_a_fact_records_a_correction_not_a_second_decision(
    sqlite_app: JourneysApp,
) -> None:
    run_import(sqlite_app, RETURNS / "2015")
    run_import(sqlite_app, RETURNS / "2016")
    entries = sqlite_app.entries("825", "S004")
    assert sum(1 for e in entries if e.kind == "child-details") == 1
    corrections = [e for e in entries if e.kind == "correct"]
    assert {(e.on, e.source) for e in corrections} == {
        (date(2011, 4, 14), "903:2016/header.csv:5"),
        (date(2014, 9, 1), "903:2016/episodes.csv:7"),
    }


def test_an_older_return_imported_after_a_newer_one_does_not_undo_its_corrections(sqlite_app: JourneysApp) -> None:
    run_import(sqlite_app, RETURNS / "2016")
    older = run_import(sqlite_app, RETURNS / "2015")
    details = [e for e in sqlite_app.entries("825", "S004") if e.kind in ("child-details", "correct")]
    assert [(e.kind, e.on) for e in details] == [("child-details", date(2011, 4, 14))]
    assert older.tables["header"].rejected == 0
