"""Each default rule across its boundary: the day before the due date, the due date and the
day after, with the status changing exactly there; and when a rule stops applying.

These call the pure evaluation with ``as_at`` given explicitly; tests/cli/test_cli_surgery.py moves
the clock itself."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from journeys.domain.milestones import RuleSet, evaluate, load_rules, most_urgent
from journeys.domain.timeline import Decision

RULES = load_rules()
DAY = timedelta(days=1)


def timeline(*events: tuple[str, str] | tuple[str, str, dict[str, Any]]) -> list[Decision]:
    decisions = []
    for seq, event in enumerate(events, start=1):
        kind, on = event[0], date.fromisoformat(event[1])
        fields = event[2] if len(event) == 3 else {}  # type: ignore[misc]
        decisions.append(Decision(seq, kind, on, fields))
    return sorted(decisions, key=Decision.sort_key)


def status(decisions: list[Decision], rule_id: str, on: date, rules: RuleSet = RULES) -> str | None:
    found = [m for m in evaluate(decisions, on, rules) if m.rule.id == rule_id]
    return found[0].status if found else None


IN_CARE = [("entered-care", "2015-01-05"), ("adoption-decision", "2015-03-02")]
WITH_PO = [*IN_CARE, ("placement-order", "2015-06-01")]

# (rule, timeline, due date worked out by hand from the rule's source)
CASES = [
    # Monday 14 December 2015 + 20 working days (25, 28 Dec and 1 Jan are bank holidays) = 14 January,
    # + 3 months = 14 April 2016. Counting weekends only it would be 11 April.
    ("permanence-plan", [("entered-care", "2015-12-14")], date(2016, 4, 14)),
    ("care-proceedings", [("proceedings-issued", "2015-01-05")], date(2015, 7, 6)),  # 26 weeks
    ("family-finding", WITH_PO, date(2015, 6, 15)),  # 14 days
    ("match", WITH_PO, date(2015, 9, 30)),  # 121 days
    ("placed", IN_CARE, date(2016, 3, 5)),  # 14 months
    ("adoption-review", WITH_PO, date(2015, 9, 1)),  # 3 months
]


@pytest.mark.parametrize(("rule_id", "events", "due"), CASES, ids=[c[0] for c in CASES])
def test_a_deadline_is_due_soon_up_to_its_due_day_and_overdue_from_the_next(
    rule_id: str, events: list[tuple[str, str]], due: date
) -> None:
    decisions = timeline(*events)
    [milestone] = [m for m in evaluate(decisions, due, RULES) if m.rule.id == rule_id]
    assert milestone.due == due
    assert milestone.amber_from is not None
    assert status(decisions, rule_id, milestone.amber_from - DAY) == "on-track"
    assert status(decisions, rule_id, milestone.amber_from) == "due-soon"
    assert status(decisions, rule_id, due - DAY) == "due-soon"
    assert status(decisions, rule_id, due) == "due-soon"
    assert status(decisions, rule_id, due + DAY) == "overdue"
    [late] = [m for m in evaluate(decisions, due + 10 * DAY, RULES) if m.rule.id == rule_id]
    assert late.days_overdue == 10


def test_a_bank_holiday_inside_the_working_day_window_moves_the_due_date() -> None:
    decisions = timeline(("entered-care", "2015-12-14"))
    # Overdue on 12 April if bank holidays were ignored; still within time here.
    assert status(decisions, "permanence-plan", date(2016, 4, 12)) == "due-soon"
    assert status(decisions, "permanence-plan", date(2016, 4, 14)) == "due-soon"
    assert status(decisions, "permanence-plan", date(2016, 4, 15)) == "overdue"
    # The same window over weeks without a bank holiday: 20 working days are exactly 4 weeks.
    plain = timeline(("entered-care", "2015-02-02"))
    [milestone] = [m for m in evaluate(plain, date(2015, 3, 1), RULES) if m.rule.id == "permanence-plan"]
    assert milestone.due == date(2015, 6, 2)


MET_BY = {
    "permanence-plan": ("adoption-decision", {}),
    "care-proceedings": ("proceedings-concluded", {"order": "care-order"}),
    "family-finding": ("family-finding", {}),
    "match": ("match", {}),
    "placed": ("placed", {}),
    "adoption-review": ("review", {"review_type": "adoption"}),
}


@pytest.mark.parametrize(("rule_id", "events", "due"), CASES, ids=[c[0] for c in CASES])
def test_met_on_the_due_day_is_met_and_the_day_after_is_met_late(
    rule_id: str, events: list[tuple[str, str]], due: date
) -> None:
    kind, fields = MET_BY[rule_id]
    on_time = timeline(*events, (kind, due.isoformat(), fields))
    late = timeline(*events, (kind, (due + DAY).isoformat(), fields))
    assert status(on_time, rule_id, due + 30 * DAY) == "met"
    [milestone] = [m for m in evaluate(late, due + 30 * DAY, RULES) if m.rule.id == rule_id]
    assert (milestone.status, milestone.met, milestone.days_late) == ("met-late", due + DAY, 1)


def test_the_adoption_order_application_becomes_possible_ten_weeks_after_placement() -> None:
    decisions = timeline(*WITH_PO, ("match", "2015-08-01"), ("placed", "2015-10-01"))
    due = date(2015, 12, 10)
    [milestone] = [m for m in evaluate(decisions, due, RULES) if m.rule.id == "adoption-order-application"]
    assert milestone.due == due
    assert milestone.late_from == milestone.deadline == date(2016, 6, 10)  # 6 months later
    assert status(decisions, "adoption-order-application", due - DAY) == "due-soon"
    assert status(decisions, "adoption-order-application", due) == "open"
    assert status(decisions, "adoption-order-application", due + 100 * DAY) == "open"
    assert status(decisions, "adoption-order-application", date(2016, 6, 10)) == "open"
    assert status(decisions, "adoption-order-application", date(2016, 6, 11)) == "overdue"
    adopted = timeline(*WITH_PO, ("match", "2015-08-01"), ("placed", "2015-10-01"), ("adoption-order", "2016-02-01"))
    assert status(adopted, "adoption-order-application", date(2016, 3, 1)) == "met"


def test_a_court_placement_order_concludes_proceedings_but_parental_consent_does_not() -> None:
    issued = [("entered-care", "2015-01-05"), ("proceedings-issued", "2015-01-05"), ("adoption-decision", "2015-03-02")]
    court = timeline(*issued, ("placement-order", "2015-05-01"))
    consent = timeline(*issued, ("placement-order", "2015-05-01", {"authority": "consent"}))
    assert status(court, "care-proceedings", date(2015, 8, 1)) == "met"
    assert status(consent, "care-proceedings", date(2015, 8, 1)) == "overdue"


def test_early_family_finding_before_the_placement_order_meets_the_rule() -> None:
    decisions = timeline(
        ("entered-care", "2015-01-05"),
        ("family-finding", "2015-02-01"),
        ("adoption-decision", "2015-03-02"),
        ("placement-order", "2015-06-01"),
    )
    assert status(decisions, "family-finding", date(2015, 7, 1)) == "met"


def test_adoption_rules_stop_applying_when_the_plan_leaves_adoption() -> None:
    decisions = timeline(
        *WITH_PO, ("plan-change", "2015-07-01", {"to": "reunification", "reason": "RD1", "decided_by": "court"})
    )
    ids = {m.rule.id for m in evaluate(decisions, date(2015, 12, 1), RULES)}
    assert ids == {"permanence-plan"}


def test_no_rule_is_left_unmet_once_the_child_leaves_care() -> None:
    decisions = timeline(
        *WITH_PO, ("family-finding", "2015-06-05"), ("left-care", "2015-07-01", {"reason_code": "E13"})
    )
    milestones = evaluate(decisions, date(2016, 6, 1), RULES)
    assert {m.rule.id: m.status for m in milestones} == {"permanence-plan": "met", "family-finding": "met"}


def test_the_first_adoption_review_stops_applying_once_the_child_is_placed() -> None:
    decisions = timeline(*WITH_PO, ("match", "2015-07-01"), ("placed", "2015-08-01"))
    assert status(decisions, "adoption-review", date(2015, 8, 15)) is None
    assert status(timeline(*WITH_PO), "adoption-review", date(2015, 8, 15)) == "on-track"


def test_a_child_never_on_an_adoption_plan_has_no_adoption_milestones() -> None:
    decisions = timeline(("entered-care", "2015-01-05"))
    assert {m.rule.id for m in evaluate(decisions, date(2016, 6, 1), RULES)} == {"permanence-plan"}


def test_decisions_after_the_date_are_not_counted() -> None:
    decisions = timeline(*WITH_PO, ("match", "2015-07-01"))
    assert status(decisions, "match", date(2015, 6, 30)) == "on-track"
    assert status(decisions, "match", date(2015, 7, 1)) == "met"


def test_the_most_urgent_milestone_is_the_worst_status_then_the_earliest_due() -> None:
    decisions = timeline(*WITH_PO)
    milestones = evaluate(decisions, date(2015, 9, 20), RULES)
    urgent = most_urgent(milestones)
    assert urgent is not None
    assert (urgent.rule.id, urgent.status) == ("family-finding", "overdue")
    overdue = [m for m in milestones if m.status == "overdue"]
    assert {m.rule.id for m in overdue} == {"family-finding", "adoption-review"}
