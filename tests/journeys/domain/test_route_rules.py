"""The rules of the permanence routes beyond adoption: what may follow what, a refusal per rule
(and a refused decision appends nothing), and the plan each decision sets."""

from __future__ import annotations

import pytest

from journeys import InvalidEvent, JourneysApp, RuleBroken
from tests.helpers import record

LTF = {"route": "long-term-fostering"}


def _in_care(app: JourneysApp, child: str) -> None:
    record(app, child, "entered-care", "2015-01-05", legal_status="C2")


def _refused(app: JourneysApp, child: str, kind: str, on: str, match: str, **fields: object) -> None:
    before = len(app.entries("825", child))
    with pytest.raises((RuleBroken, InvalidEvent), match=match):
        record(app, child, kind, on, **fields)
    assert len(app.entries("825", child)) == before  # nothing appended


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("plan-decision", LTF),
        ("sgo-made", {}),
        ("cao-made", {}),
        ("ltf-match", {"carer": "LTF-1"}),
        ("ltf-breakdown", {}),
    ],
)
def test_a_route_decision_before_entering_care_is_refused(memory_app: JourneysApp, kind: str, fields: dict) -> None:
    record(memory_app, "R1", "entered-care", "2015-06-01")
    _refused(memory_app, "R1", kind, "2015-03-01", "before the child entered care", **fields)


def test_a_route_decision_after_leaving_care_is_refused(memory_app: JourneysApp) -> None:
    _in_care(memory_app, "R2")
    record(memory_app, "R2", "left-care", "2015-06-01", reason_code="E4A")
    _refused(memory_app, "R2", "sgo-made", "2015-07-01", "nothing follows the end of a period of care")


def test_a_plan_decision_or_match_while_adoption_is_the_plan_is_refused(memory_app: JourneysApp) -> None:
    _in_care(memory_app, "R3")
    record(memory_app, "R3", "adoption-decision", "2015-03-01")
    _refused(memory_app, "R3", "plan-decision", "2015-04-01", "while the plan is adoption", **LTF)
    _refused(memory_app, "R3", "ltf-match", "2015-04-01", "record the plan-change away from adoption", carer="F1")
    # leaving adoption as the 903 return records it: then the route may be decided
    record(memory_app, "R3", "plan-change", "2015-04-01", to="long-term-fostering", reason="RD1", decided_by="agency")
    record(memory_app, "R3", "ltf-match", "2015-05-01", carer="F1")
    assert memory_app.show("825", "R3").state.plan == "long-term-fostering"


def test_an_order_ends_adoption_as_the_plan_but_not_while_placed_for_adoption(memory_app: JourneysApp) -> None:
    _in_care(memory_app, "R4")
    record(memory_app, "R4", "adoption-decision", "2015-03-01")
    record(memory_app, "R4", "match", "2015-05-01")
    record(memory_app, "R4", "sgo-made", "2015-06-01", carers="SG-1")  # the court's order instead
    state = memory_app.show("825", "R4").state
    assert (state.plan, state.stage) == ("special-guardianship", "in-care")  # no longer matched for adoption
    _in_care(memory_app, "R5")
    record(memory_app, "R5", "adoption-decision", "2015-03-01")
    record(memory_app, "R5", "match", "2015-04-01")
    record(memory_app, "R5", "placed", "2015-05-01")
    _refused(memory_app, "R5", "cao-made", "2015-06-01", "while the child is placed for adoption.*disruption")
    record(memory_app, "R5", "disruption", "2015-06-01")
    record(memory_app, "R5", "cao-made", "2015-06-01")


def test_a_breakdown_needs_a_long_term_fostering_match_in_force(memory_app: JourneysApp) -> None:
    _in_care(memory_app, "R6")
    record(memory_app, "R6", "plan-decision", "2015-02-01", **LTF)
    _refused(memory_app, "R6", "ltf-breakdown", "2015-03-01", "no long-term fostering match is in force")
    record(memory_app, "R6", "ltf-match", "2015-04-01", carer="F1")
    record(memory_app, "R6", "ltf-breakdown", "2015-09-01", reason="ended")
    _refused(memory_app, "R6", "ltf-breakdown", "2015-10-01", "no long-term fostering match is in force")
    record(memory_app, "R6", "ltf-match", "2015-11-01", carer="F2")  # a new match after it


def test_a_route_and_a_matched_carer_are_required(memory_app: JourneysApp) -> None:
    _in_care(memory_app, "R7")
    _refused(memory_app, "R7", "plan-decision", "2015-02-01", "route")
    _refused(memory_app, "R7", "plan-decision", "2015-02-01", "route 'kinship' is not one of", route="kinship")
    _refused(memory_app, "R7", "ltf-match", "2015-02-01", "carer")


def test_a_plan_decision_sets_the_plan_and_a_later_one_changes_it(memory_app: JourneysApp) -> None:
    _in_care(memory_app, "R8")
    record(memory_app, "R8", "plan-decision", "2015-02-01", route="reunification")
    assert memory_app.show("825", "R8").state.plan == "reunification"
    record(memory_app, "R8", "plan-decision", "2015-05-01", route="special-guardianship")
    view = memory_app.show("825", "R8")
    assert (view.state.plan, str(view.state.plan_since)) == ("special-guardianship", "2015-05-01")
