"""Every default milestone rule, with a child for each status the rule can give.

A rule can be ``met`` and ``on-track`` and (a deadline) ``met-late`` and ``overdue``; with an
amber window ``due-soon``; with ``overtaken_by`` events ``overtaken``; a ``possible-from`` rule
``open``, and ``overdue`` once its ``overdue_after`` window has passed. The last test checks
that the cases below cover every rule in journeys/rules/milestones.toml and every status each
can reach, so a rule added to the file without a case here fails.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from journeys.domain.milestones import DEADLINE, POSSIBLE_FROM, Rule, evaluate, load_rules, most_urgent
from journeys.domain.rules import check_timeline
from journeys.domain.timeline import Decision

RULES = load_rules()

Event = tuple[str, str] | tuple[str, str, dict[str, Any]]
IN_CARE: list[Event] = [("entered-care", "2015-01-05"), ("adoption-decision", "2015-03-02")]
WITH_PO: list[Event] = [*IN_CARE, ("placement-order", "2015-06-01")]
PLACED: list[Event] = [*WITH_PO, ("match", "2015-08-01"), ("placed", "2015-10-01")]
ISSUED: list[Event] = [("entered-care", "2015-01-05"), ("proceedings-issued", "2015-01-05")]
ADOPTION_REVIEW = {"review_type": "adoption"}
CONCLUDED = {"order": "care-order"}
LEFT_ADOPTION = {"to": "long-term-fostering", "reason": "RD1", "decided_by": "agency"}


def route(plan: str) -> list[Event]:
    """In care, then the decision (Monday 2 March 2015) to pursue ``plan``."""
    return [("entered-care", "2015-01-05"), ("plan-decision", "2015-03-02", {"route": plan})]


SGO, CAO, LTF, HOME = (
    route(p) for p in ("special-guardianship", "child-arrangements", "long-term-fostering", "reunification")
)
LTF_MATCH = {"carer": "LTF-825-07"}
HOME_E4A = {"reason_code": "E4A"}

# (rule, expected status, the child's decisions, the date looked at); None: the rule does not apply.
CASES: list[tuple[str, str | None, list[Event], str]] = [
    # entered care Monday 5 January 2015 + 20 working days + 3 months = 2 May 2015; amber from 18 April
    ("permanence-plan", "met", IN_CARE, "2015-06-01"),
    ("permanence-plan", "met-late", [IN_CARE[0], ("adoption-decision", "2015-05-05")], "2015-06-01"),
    ("permanence-plan", "met", [IN_CARE[0], ("plan-decision", "2015-04-01", {"route": "reunification"})], "2015-06-01"),
    ("permanence-plan", "overdue", IN_CARE[:1], "2015-05-03"),
    ("permanence-plan", "due-soon", IN_CARE[:1], "2015-04-18"),
    ("permanence-plan", "on-track", IN_CARE[:1], "2015-04-17"),
    # a placement order with no adoption decision keyed: the plan was made, the record is missing
    ("permanence-plan", "overtaken", [IN_CARE[0], ("placement-order", "2015-04-01")], "2015-06-01"),
    # issued 5 January 2015 + 26 weeks = 6 July 2015; amber from 8 June
    ("care-proceedings", "met", [*ISSUED, ("proceedings-concluded", "2015-05-01", CONCLUDED)], "2015-08-01"),
    ("care-proceedings", "met-late", [*ISSUED, ("proceedings-concluded", "2015-07-10", CONCLUDED)], "2015-08-01"),
    ("care-proceedings", "overdue", ISSUED, "2015-07-07"),
    ("care-proceedings", "due-soon", ISSUED, "2015-06-08"),
    ("care-proceedings", "on-track", ISSUED, "2015-06-07"),
    # placement order 1 June 2015 + 14 days = 15 June; amber from 8 June
    ("family-finding", "met", [*WITH_PO, ("family-finding", "2015-06-10")], "2015-07-01"),
    ("family-finding", "met-late", [*WITH_PO, ("family-finding", "2015-06-20")], "2015-07-01"),
    ("family-finding", "overdue", WITH_PO, "2015-06-16"),
    ("family-finding", "due-soon", WITH_PO, "2015-06-08"),
    ("family-finding", "on-track", WITH_PO, "2015-06-07"),
    # placed, family-finding never keyed: not "overdue 806 days", it can no longer be started
    ("family-finding", "overtaken", PLACED, "2017-08-24"),
    ("family-finding", "overtaken", [*WITH_PO, ("match", "2015-07-01")], "2015-08-01"),
    ("family-finding", None, [*WITH_PO, ("plan-change", "2015-06-05", LEFT_ADOPTION)], "2015-07-01"),
    # placement order 1 June 2015 + 121 days = 30 September; amber from 2 September
    ("match", "met", [*WITH_PO, ("match", "2015-08-01")], "2015-11-01"),
    ("match", "met-late", [*WITH_PO, ("match", "2015-10-05")], "2015-11-01"),
    ("match", "overdue", WITH_PO, "2015-10-01"),
    ("match", "due-soon", WITH_PO, "2015-09-02"),
    ("match", "on-track", WITH_PO, "2015-09-01"),
    ("match", "overtaken", [*WITH_PO, ("placed", "2015-09-01")], "2015-11-01"),
    # entered care 5 January 2015 + 14 months = 5 March 2016; amber from 5 January
    ("placed", "met", PLACED, "2016-06-01"),
    ("placed", "met-late", [*WITH_PO, ("match", "2016-03-01"), ("placed", "2016-04-01")], "2016-06-01"),
    ("placed", "overdue", WITH_PO, "2016-03-06"),
    ("placed", "due-soon", WITH_PO, "2016-01-05"),
    ("placed", "on-track", WITH_PO, "2016-01-04"),
    # placement order 1 June 2015 + 3 months = 1 September; amber from 18 August
    ("adoption-review", "met", [*WITH_PO, ("review", "2015-08-01", ADOPTION_REVIEW)], "2015-10-01"),
    ("adoption-review", "met-late", [*WITH_PO, ("review", "2015-09-10", ADOPTION_REVIEW)], "2015-10-01"),
    ("adoption-review", "overdue", WITH_PO, "2015-09-02"),
    ("adoption-review", "due-soon", WITH_PO, "2015-08-18"),
    ("adoption-review", "on-track", WITH_PO, "2015-08-17"),
    ("adoption-review", None, PLACED, "2015-10-01"),  # placed before it was due: no longer applies
    # placed 1 October 2015 + 10 weeks = 10 December, possible from then; amber from 26 November;
    # overdue after 10 June 2016 (6 months later)
    ("adoption-order-application", "met", [*PLACED, ("adoption-order", "2016-02-01")], "2016-03-01"),
    ("adoption-order-application", "on-track", PLACED, "2015-11-25"),
    ("adoption-order-application", "due-soon", PLACED, "2015-11-26"),
    ("adoption-order-application", "open", PLACED, "2015-12-10"),
    ("adoption-order-application", "open", PLACED, "2016-06-10"),
    ("adoption-order-application", "overdue", PLACED, "2016-06-11"),
    ("adoption-order-application", "overdue", PLACED, "2016-08-15"),  # placed 319 days, no order
    ("adoption-order-application", None, [*PLACED, ("disruption", "2016-01-10")], "2016-08-15"),
    # the permanence routes: decided 2 March 2015 + 26 weeks = 31 August 2015; amber from 3 August
    ("sgo-order", "met", [*SGO, ("sgo-made", "2015-07-01")], "2015-10-01"),
    ("sgo-order", "met-late", [*SGO, ("sgo-made", "2015-09-15")], "2015-10-01"),
    ("sgo-order", "met", [*SGO, ("left-care", "2015-07-01", {"reason_code": "E47"})], "2015-10-01"),
    ("sgo-order", "overdue", SGO, "2015-09-01"),
    ("sgo-order", "due-soon", SGO, "2015-08-03"),
    ("sgo-order", "on-track", SGO, "2015-08-02"),
    ("sgo-order", None, [*SGO, ("plan-change", "2015-05-01", {"to": "adoption"})], "2015-10-01"),
    ("sgo-order", None, [*SGO, ("left-care", "2015-05-01", HOME_E4A)], "2015-10-01"),  # left care another way
    ("cao-order", "met", [*CAO, ("cao-made", "2015-07-01")], "2015-10-01"),
    ("cao-order", "met-late", [*CAO, ("left-care", "2015-09-15", {"reason_code": "E41"})], "2015-10-01"),
    ("cao-order", "overdue", CAO, "2015-09-01"),
    ("cao-order", "due-soon", CAO, "2015-08-03"),
    ("cao-order", "on-track", CAO, "2015-08-02"),
    ("cao-order", None, [*CAO, ("plan-decision", "2015-04-01", {"route": "long-term-fostering"})], "2015-10-01"),
    # decided 2 March 2015 + 6 months = 2 September 2015; amber from 5 August
    ("ltf-match", "met", [*LTF, ("ltf-match", "2015-06-01", LTF_MATCH)], "2015-10-01"),
    ("ltf-match", "met-late", [*LTF, ("ltf-match", "2015-09-10", LTF_MATCH)], "2015-10-01"),
    ("ltf-match", "overdue", LTF, "2015-09-03"),
    ("ltf-match", "due-soon", LTF, "2015-08-05"),
    ("ltf-match", "on-track", LTF, "2015-08-04"),
    ("return-home", "met", [*HOME, ("left-care", "2015-06-01", HOME_E4A)], "2015-10-01"),
    ("return-home", "met-late", [*HOME, ("left-care", "2015-09-10", {"reason_code": "E4B"})], "2015-10-01"),
    ("return-home", "overdue", HOME, "2015-09-03"),
    ("return-home", "due-soon", HOME, "2015-08-05"),
    ("return-home", "on-track", HOME, "2015-08-04"),
    ("return-home", None, [*HOME, ("left-care", "2015-06-01", {"reason_code": "E13"})], "2015-10-01"),  # to relatives
]


def timeline(events: list[Event]) -> list[Decision]:
    decisions = []
    for seq, event in enumerate(events, start=1):
        fields = event[2] if len(event) == 3 else {}  # type: ignore[misc]
        decisions.append(Decision(seq, event[0], date.fromisoformat(event[1]), fields))
    return sorted(decisions, key=Decision.sort_key)


@pytest.mark.parametrize(
    ("rule_id", "expected", "events", "on"), CASES, ids=[f"{c[0]}-{c[1] or 'not-applying'}-{c[3]}" for c in CASES]
)
def test_each_rule_gives_each_of_its_statuses(rule_id: str, expected: str | None, events: list[Event], on: str) -> None:
    decisions = timeline(events)
    check_timeline(decisions, today=date(2030, 1, 1))  # a history the engine would have accepted
    found = [m for m in evaluate(decisions, date.fromisoformat(on), RULES) if m.rule.id == rule_id]
    assert (found[0].status if found else None) == expected


def _reachable(rule: Rule) -> set[str]:
    statuses = {"met", "on-track"}
    if rule.kind == DEADLINE:
        statuses |= {"met-late", "overdue"}
    if rule.kind == POSSIBLE_FROM:
        statuses.add("open")
        if rule.overdue_after is not None:
            statuses.add("overdue")
    if rule.amber is not None:
        statuses.add("due-soon")
    if rule.overtaken_by:
        statuses.add("overtaken")
    return statuses


def test_the_cases_cover_every_rule_in_the_file_and_every_status_it_can_give() -> None:
    covered: dict[str, set[str]] = {}
    for rule_id, expected, _events, _on in CASES:
        covered.setdefault(rule_id, set()).add(expected or "")
    assert set(covered) == {r.id for r in RULES.rules}
    for rule in RULES.rules:
        assert _reachable(rule) <= covered[rule.id], rule.id


def test_an_overtaken_milestone_is_never_the_next_one() -> None:
    # placed 319 days, family-finding never keyed: the child's next milestone is the adoption
    # order application (overdue), not family-finding
    nxt = most_urgent(evaluate(timeline(PLACED), date(2016, 8, 15), RULES))
    assert nxt is not None
    assert (nxt.rule.id, nxt.status, nxt.deadline) == ("adoption-order-application", "overdue", date(2016, 6, 10))
    assert nxt.days_overdue == (date(2016, 8, 15) - date(2016, 6, 10)).days
