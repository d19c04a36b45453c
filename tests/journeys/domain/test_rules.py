"""Each rule of the journey refuses with a message naming the rule and the dates, and
a refused command appends nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from journeys import DuplicateEvent, InvalidEvent, JourneysApp, RuleBroken
from tests.helpers import LA, record


def events_in(app: JourneysApp) -> int:
    return len(list(app.notifications()))


@pytest.fixture
def in_care(memory_app: JourneysApp) -> JourneysApp:
    record(memory_app, "C1", "child-details", "2013-01-05", date_of_birth="2013-01-05")
    record(memory_app, "C1", "entered-care", "2014-01-10")
    return memory_app


def refused(app: JourneysApp, kind: str, on: str, match: str, **fields: Any) -> None:
    before = events_in(app)
    with pytest.raises((RuleBroken, InvalidEvent), match=match):
        record(app, "C1", kind, on, **fields)
    assert events_in(app) == before


def test_adoption_decision_before_entering_care_is_refused_rule_1003(memory_app: JourneysApp) -> None:
    record(memory_app, "C1", "entered-care", "2014-01-10")
    refused(memory_app, "adoption-decision", "2013-12-01", r"before the child entered care \(rule 1003\)")


def test_adoption_decision_before_birth_is_refused(memory_app: JourneysApp) -> None:
    record(memory_app, "C1", "entered-care", "2014-01-10")
    record(memory_app, "C1", "adoption-decision", "2014-03-01")
    refused(
        memory_app,
        "child-details",
        "2014-05-01",
        r"date of birth 2014-05-01 is after the child entered care",
        date_of_birth="2014-05-01",
    )


def test_placement_order_before_the_adoption_decision_is_refused_rule_554(in_care: JourneysApp) -> None:
    record(in_care, "C1", "adoption-decision", "2014-06-01")
    refused(
        in_care,
        "placement-order",
        "2014-05-01",
        r"placement order on 2014-05-01 is before the adoption decision on 2014-06-01 \(rule 554\)",
    )


def test_placement_order_without_any_adoption_decision_is_allowed(in_care: JourneysApp) -> None:
    record(in_care, "C1", "placement-order", "2014-05-01")
    assert in_care.show(LA, "C1").state.stage == "placement-order"


def test_match_before_the_adoption_decision_is_refused_rule_333(in_care: JourneysApp) -> None:
    record(in_care, "C1", "adoption-decision", "2014-06-01")
    refused(
        in_care,
        "match",
        "2014-05-20",
        r"match on 2014-05-20 is before the adoption decision on 2014-06-01 \(rule 333\)",
    )


def test_match_while_the_plan_is_not_adoption_is_refused(in_care: JourneysApp) -> None:
    record(in_care, "C1", "adoption-decision", "2014-06-01")
    record(in_care, "C1", "plan-change", "2014-07-01", to="reunification", reason="RD1", decided_by="agency")
    refused(in_care, "match", "2014-08-01", r"match on 2014-08-01 while the plan is reunification \(since 2014-07-01\)")


def test_placed_before_the_match_is_refused_rule_331(in_care: JourneysApp) -> None:
    record(in_care, "C1", "adoption-decision", "2014-06-01")
    record(in_care, "C1", "placed", "2014-09-01")
    refused(in_care, "match", "2014-09-10", r"match on 2014-09-10 is after the placement on 2014-09-01 \(rule 331")


def test_placed_before_the_adoption_decision_is_refused(in_care: JourneysApp) -> None:
    record(in_care, "C1", "placed", "2014-05-01")
    refused(
        in_care,
        "adoption-decision",
        "2014-06-01",
        r"placement on 2014-05-01 is before the adoption decision on 2014-06-01 \(rule 552\)",
    )


def test_adoption_order_after_a_disruption_with_no_new_placement_is_refused(in_care: JourneysApp) -> None:
    for kind, on in (
        ("adoption-decision", "2014-06-01"),
        ("match", "2014-08-01"),
        ("placed", "2014-09-01"),
        ("disruption", "2014-12-01"),
    ):
        record(in_care, "C1", kind, on)
    refused(
        in_care, "adoption-order", "2015-03-01", r"the placement disrupted on 2014-12-01 and no new placement followed"
    )


def test_disruption_when_not_placed_is_refused(in_care: JourneysApp) -> None:
    record(in_care, "C1", "adoption-decision", "2014-06-01")
    refused(in_care, "disruption", "2014-07-01", r"disruption on 2014-07-01, but the child is not placed for adoption")


def test_leaving_adoption_needs_a_reason_and_a_decider(in_care: JourneysApp) -> None:
    record(in_care, "C1", "adoption-decision", "2014-06-01")
    refused(in_care, "plan-change", "2014-07-01", r"needs a reason \(RD1-RD4\) and decided_by", to="reunification")
    refused(in_care, "plan-change", "2014-07-01", r"needs a reason", to="reunification", reason="RD1")


def test_nothing_follows_an_adoption_order_except_a_new_period_of_care(in_care: JourneysApp) -> None:
    for kind, on in (
        ("adoption-decision", "2014-06-01"),
        ("match", "2014-08-01"),
        ("placed", "2014-09-01"),
        ("adoption-order", "2015-03-01"),
    ):
        record(in_care, "C1", kind, on)
    refused(in_care, "match", "2015-04-01", r"comes after the adoption-order on 2015-03-01")
    record(in_care, "C1", "entered-care", "2016-02-01")
    assert in_care.show(LA, "C1").state.stage == "in-care"


def test_nothing_follows_leaving_care(in_care: JourneysApp) -> None:
    record(in_care, "C1", "left-care", "2014-04-01", reason_code="E4A")
    refused(in_care, "adoption-decision", "2014-05-01", r"comes after the left-care on 2014-04-01")


def test_entering_care_twice_without_leaving_is_refused(in_care: JourneysApp) -> None:
    refused(in_care, "entered-care", "2014-03-01", r"in care since 2014-01-10")


def test_a_date_in_the_future_is_refused(in_care: JourneysApp) -> None:
    refused(in_care, "adoption-decision", "2999-01-01", r"is in the future")


def test_an_exact_duplicate_is_refused(in_care: JourneysApp) -> None:
    record(in_care, "C1", "adoption-decision", "2014-06-01")
    before = events_in(in_care)
    with pytest.raises(DuplicateEvent):
        record(in_care, "C1", "adoption-decision", "2014-06-01")
    assert events_in(in_care) == before


def test_unknown_codes_are_refused_with_the_choices(in_care: JourneysApp) -> None:
    refused(
        in_care, "plan-change", "2014-03-01", r"reason 'XXX' is not one of RD1, RD2, RD3, RD4", to="other", reason="XXX"
    )
    refused(in_care, "left-care", "2014-03-01", r"means adopted: record an adoption-order", reason_code="E11")
    refused(in_care, "match", "2014-03-01", r"match has no field 'to'", to="adoption")


def test_a_back_dated_event_that_fits_the_timeline_is_accepted(in_care: JourneysApp) -> None:
    record(in_care, "C1", "placement-order", "2014-08-01")
    record(in_care, "C1", "adoption-decision", "2014-06-01")
    assert in_care.show(LA, "C1").state.milestones()["adoption_decision"] == date(2014, 6, 1)


def test_a_back_dated_event_that_breaks_the_timeline_is_refused(in_care: JourneysApp) -> None:
    record(in_care, "C1", "placement-order", "2014-08-01")
    refused(
        in_care, "adoption-decision", "2014-09-01", r"placement order on 2014-08-01 is before the adoption decision"
    )


def test_a_correction_that_breaks_the_timeline_is_refused_and_changes_nothing(in_care: JourneysApp) -> None:
    adm = record(in_care, "C1", "adoption-decision", "2014-06-01").seq
    record(in_care, "C1", "placement-order", "2014-08-01")
    before = events_in(in_care)
    with pytest.raises(RuleBroken, match=r"rule 554"):
        in_care.correct(LA, "C1", adm, on=date(2014, 9, 1), fields={}, reason="typo", recorded_by="t")
    assert events_in(in_care) == before


def test_retracting_entering_care_under_later_decisions_is_refused(in_care: JourneysApp) -> None:
    record(in_care, "C1", "adoption-decision", "2014-06-01")
    with pytest.raises(RuleBroken, match=r"before the child entered care"):
        in_care.retract(LA, "C1", 3, reason="wrong child", recorded_by="t")


def test_an_unborn_child_can_be_tracked_before_entering_care(memory_app: JourneysApp) -> None:
    record(memory_app, "C1", "child-details", "2015-10-01", expected_date="2016-01-15")
    record(memory_app, "C1", "family-finding", "2015-10-20")
    record(
        memory_app,
        "C1",
        "plan-change",
        "2015-12-01",
        to="other",
        reason="RD4",
        decided_by="agency",
        outcome="pregnancy-ended",
    )
    state = memory_app.show(LA, "C1").state
    assert (state.stage, state.plan) == ("not-in-care", "other")


def test_a_retracted_decision_can_be_recorded_again(in_care: JourneysApp) -> None:
    seq = record(in_care, "C1", "adoption-decision", "2014-06-01").seq
    in_care.retract(LA, "C1", seq, reason="entered before the panel minutes were signed", recorded_by="t")
    record(in_care, "C1", "adoption-decision", "2014-06-01")
    assert in_care.show(LA, "C1").state.milestones()["adoption_decision"] == date(2014, 6, 1)


def test_nothing_follows_a_pregnancy_that_ended(memory_app: JourneysApp) -> None:
    record(memory_app, "C1", "child-details", "2015-10-01", expected_date="2016-01-15")
    record(memory_app, "C1", "family-finding", "2015-10-20")
    record(
        memory_app,
        "C1",
        "plan-change",
        "2015-12-01",
        to="other",
        reason="RD4",
        decided_by="agency",
        outcome="pregnancy-ended",
    )
    refused(memory_app, "family-finding", "2015-12-10", r"comes after the plan-change on 2015-12-01")
    assert memory_app.show(LA, "C1").state.stage == "not-in-care"
