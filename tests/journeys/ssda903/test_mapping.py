"""Exact events from the hand-written two-year 903 fixtures (fixtures/ssda903/2015 and 2016)."""

from __future__ import annotations

from datetime import date

from journeys import JourneysApp
from tests.helpers import RETURNS, run_import, timelines


def test_two_returns_map_to_the_exact_decisions_of_each_child(memory_app: JourneysApp) -> None:
    report = run_import(memory_app, RETURNS)
    assert report.rows_rejected == 0
    got = timelines(memory_app)
    assert got["S001"] == [  # adopted by its foster carers (A5), ADM from PlacedAdoption, match from AD1
        ("child-details", "2013-02-03", {"date_of_birth": date(2013, 2, 3)}),
        ("entered-care", "2014-05-10", {"legal_status": "C1"}),
        ("adoption-decision", "2014-12-01", {}),
        ("placement-order", "2015-01-15", {"authority": "placement-order"}),
        ("match", "2015-05-20", {}),
        ("placed", "2015-06-10", {"with_foster_carers": True, "carers_since": date(2014, 5, 10)}),
        ("adoption-order", "2016-01-20", {}),
    ]
    assert got["S002"] == [  # the court did not make a placement order (RD2); home to parents (E4A)
        ("child-details", "2012-06-01", {"date_of_birth": date(2012, 6, 1)}),
        ("entered-care", "2014-06-02", {"legal_status": "C1"}),
        ("adoption-decision", "2014-10-15", {}),
        ("plan-change", "2015-07-20", {"to": "other", "reason": "RD2", "decided_by": "court"}),
        ("left-care", "2015-09-05", {"reason_code": "E4A"}),
    ]
    assert got["S003"] == [  # an A6 placement ends (X1) and the child stays in foster care: a disruption
        ("child-details", "2010-09-09", {"date_of_birth": date(2010, 9, 9)}),
        ("entered-care", "2014-03-12", {"legal_status": "V2"}),
        ("adoption-decision", "2014-05-20", {}),
        ("placement-order", "2014-07-10", {"authority": "placement-order"}),
        ("placed", "2015-02-02", {"with_foster_carers": False}),
        ("disruption", "2015-06-30", {}),
    ]
    assert got["S004"] == [  # the 2016 return corrects the birth date and the legal status: newest wins
        ("child-details", "2011-04-14", {"date_of_birth": date(2011, 4, 14)}),
        ("entered-care", "2014-09-01", {"legal_status": "C1"}),
        ("cao-made", "2015-12-31", {}),  # REC E41: a child arrangements order made
        ("left-care", "2015-12-31", {"reason_code": "E41"}),
    ]
    assert got["S005"] == [  # the first episode given is RNE = P: the start of care is inferred
        ("child-details", "2008-11-20", {"date_of_birth": date(2008, 11, 20)}),
        ("entered-care", "2014-03-03", {"legal_status": "C2", "on_or_before": True}),  # on or before that day
    ]
    assert report.inferred_starts == 1


def test_every_event_names_the_file_and_row_it_came_from(memory_app: JourneysApp) -> None:
    run_import(memory_app, RETURNS)
    entries = memory_app.entries("825", "S003")
    sources = {e.kind: e.source for e in entries if e.is_decision}
    assert sources["placement-order"] == "903:2015/episodes.csv:7"
    assert sources["disruption"] == "903:2016/episodes.csv:5"
    assert sources["adoption-decision"] == "903:2016/placed_for_adoption.csv:4"
    inferred = next(e for e in memory_app.entries("825", "S005") if e.kind == "entered-care")
    assert inferred.source.startswith("903:2015/episodes.csv:10 (start of care inferred")


def test_an_episode_repeated_in_two_returns_is_one_episode(memory_app: JourneysApp) -> None:
    report = run_import(memory_app, RETURNS)
    episodes = report.tables["episodes"]
    # S001 15/01/2015, S002, S003 02/02/2015 and S004 appear in both returns.
    assert episodes.read == 15
    assert episodes.present == 4
    placed = [e for e in memory_app.entries("825", "S003") if e.kind == "placed"]
    assert len(placed) == 1
