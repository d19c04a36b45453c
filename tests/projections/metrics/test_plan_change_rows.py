"""The plan-change read model: each change with the plan it left, the stage reached and the time on that plan."""

from __future__ import annotations

import pytest

from journeys import JourneysApp
from projections.metrics.plan_changes import InvalidWindow, plan_changes
from tests.helpers import LA, away, d, in_care_with_family_finding, record


def test_a_change_before_any_adoption_decision_counts_days_from_family_finding(memory_app: JourneysApp) -> None:
    in_care_with_family_finding(memory_app, "P1", "2015-09-01", "2015-10-01")
    away(memory_app, "P1", "2015-12-30", outcome="home-with-father", to="child-arrangements")

    [change] = plan_changes(memory_app.streams()).changes

    assert (change.plan_before, change.plan_after) == ("adoption", "child-arrangements")
    assert change.stage == "before-adm"
    assert change.plan_since == d("2015-10-01")
    assert change.days_on_plan == (d("2015-12-30") - d("2015-10-01")).days
    assert change.adoption_decision is None and change.days_since_adoption_decision is None
    assert (change.reason, change.decided_by, change.outcome) == ("RD4", "agency", "home-with-father")


def test_the_stage_is_how_far_the_adoption_plan_had_got(memory_app: JourneysApp) -> None:
    record(memory_app, "ADM", "entered-care", "2015-01-05")
    record(memory_app, "ADM", "adoption-decision", "2015-03-01")
    away(memory_app, "ADM", "2015-05-01", reason="RD2", decided_by="court")
    record(memory_app, "PO", "entered-care", "2015-01-05")
    record(memory_app, "PO", "adoption-decision", "2015-03-01")
    record(memory_app, "PO", "placement-order", "2015-04-01")
    away(memory_app, "PO", "2015-06-01", reason="RD1", outcome="long-term-fostering", to="long-term-fostering")
    record(memory_app, "MATCH", "entered-care", "2015-01-05")
    record(memory_app, "MATCH", "adoption-decision", "2015-03-01")
    record(memory_app, "MATCH", "placement-order", "2015-04-01")
    record(memory_app, "MATCH", "match", "2015-05-01")
    away(memory_app, "MATCH", "2015-07-01", reason="RD3", outcome=None, to="long-term-fostering")

    stages = {c.child: c.stage for c in plan_changes(memory_app.streams()).changes}

    assert stages == {"ADM": "after-adm", "PO": "after-po", "MATCH": "after-match"}


def test_days_since_the_adoption_decision_behind_the_abandoned_plan(memory_app: JourneysApp) -> None:
    record(memory_app, "C1", "entered-care", "2015-01-05")
    record(memory_app, "C1", "adoption-decision", "2015-03-01")
    away(memory_app, "C1", "2015-05-01")

    [change] = plan_changes(memory_app.streams()).changes

    assert change.plan_since == change.adoption_decision == d("2015-03-01")
    assert change.days_since_adoption_decision == (d("2015-05-01") - d("2015-03-01")).days


def test_a_plan_changed_away_and_back_is_one_change_away_from_adoption(memory_app: JourneysApp) -> None:
    record(memory_app, "C1", "entered-care", "2015-01-05")
    record(memory_app, "C1", "adoption-decision", "2015-03-01")
    away(memory_app, "C1", "2015-04-15")
    record(memory_app, "C1", "plan-change", "2015-06-01", to="adoption", decided_by="agency")
    record(memory_app, "C1", "adoption-decision", "2015-06-20")

    report = plan_changes(memory_app.streams())
    everything = plan_changes(memory_app.streams(), everything=True)

    assert report.total == 1 and report.other_plan_changes == 1
    assert [(c.plan_before, c.plan_after) for c in everything.changes] == [
        ("adoption", "reunification"),
        ("reunification", "adoption"),
    ]
    assert everything.other_plan_changes == 0


def test_totals_list_every_rd_reason_decider_and_stage_even_when_zero(memory_app: JourneysApp) -> None:
    record(memory_app, "C1", "entered-care", "2015-01-05")
    record(memory_app, "C1", "adoption-decision", "2015-03-01")
    away(memory_app, "C1", "2015-05-01", reason="RD2", decided_by="court", outcome=None)

    data = plan_changes(memory_app.streams()).as_json()

    assert data["by_reason"] == {"RD1": 0, "RD2": 1, "RD3": 0, "RD4": 0}
    assert data["by_decider"] == {"court": 1, "agency": 0}
    assert data["by_stage"] == {"before-adm": 0, "after-adm": 1, "after-po": 0, "after-match": 0, "after-placement": 0}
    assert data["by_outcome"] == {"unrecorded": 1}


def test_the_window_includes_both_ends_and_the_la_filter_keeps_one_authority(memory_app: JourneysApp) -> None:
    for child, on in (("EARLY", "2015-03-31"), ("FIRST", "2015-04-01"), ("LAST", "2016-03-31"), ("LATE", "2016-04-01")):
        in_care_with_family_finding(memory_app, child, "2015-01-05", "2015-02-01")
        away(memory_app, child, on)
    in_care_with_family_finding(memory_app, "ELSEWHERE", "2015-01-05", "2015-02-01", la="928")
    away(memory_app, "ELSEWHERE", "2015-06-01", la="928")

    in_window = plan_changes(memory_app.streams(), start=d("2015-04-01"), end=d("2016-03-31"), la=LA)
    open_ended = plan_changes(memory_app.streams(), start=d("2016-01-01"))

    assert [c.child for c in in_window.changes] == ["FIRST", "LAST"]
    assert [c.child for c in open_ended.changes] == ["LAST", "LATE"]


def test_a_window_that_ends_before_it_starts_is_refused(memory_app: JourneysApp) -> None:
    with pytest.raises(InvalidWindow, match="starts on 2016-01-01, after it ends on 2015-12-31"):
        plan_changes(memory_app.streams(), start=d("2016-01-01"), end=d("2015-12-31"))
