"""The aggregate checks a decision that comes last in a child's timeline by one more step of
the rules' walk it kept (the load path); its verdicts must be those of the whole walk."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys.domain.errors import JourneyError
from journeys.domain.journey import Journey
from journeys.domain.payloads import parse_fields
from journeys.domain.rules import check_timeline
from journeys.domain.timeline import Decision, effective_decisions

START = date(2013, 1, 1)
FIELDS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "child-details": st.fixed_dictionaries(
        {}, optional={"date_of_birth": st.sampled_from(["2012-06-01", "2013-03-01"])}
    ),
    "entered-care": st.fixed_dictionaries({}, optional={"legal_status": st.sampled_from(["C1", "C2", "V2"])}),
    "adoption-decision": st.just({}),
    "placement-order": st.just({}),
    "family-finding": st.just({}),
    "plan-change": st.fixed_dictionaries(
        {"to": st.sampled_from(["adoption", "reunification", "special-guardianship"])},
        optional={"reason": st.just("RD1"), "decided_by": st.just("court")},
    ),
    "match": st.just({}),
    "placed": st.just({}),
    "disruption": st.just({}),
    "adoption-order": st.just({}),
    "left-care": st.just({"reason_code": "E13"}),
}
record = st.tuples(
    st.just("record"), st.sampled_from(sorted(FIELDS)), st.integers(0, 900), st.integers(0, 1000)
).flatmap(lambda t: st.tuples(*map(st.just, t), FIELDS[t[1]]))
# a correction or retraction of the n-th decision in force: the kept walk no longer holds
amend = st.tuples(
    st.sampled_from(["correct", "retract"]), st.integers(0, 10), st.integers(0, 900), st.integers(0, 1000)
)
amend = amend.map(lambda t: (*t, {}))
# mostly in date order (the fast path), sometimes not; recording days move back and forth
commands = st.lists(st.one_of(record, record, record, amend), max_size=30).flatmap(
    lambda cmds: st.sampled_from([cmds, sorted(cmds, key=lambda c: c[2])])
)


def _verdict(decisions: list[Decision], candidate: Decision, today: date) -> str:
    try:
        check_timeline(sorted([*decisions, candidate], key=Decision.sort_key), today)
    except JourneyError as error:
        return str(error)
    return "accepted"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands)
def test_a_kept_check_gives_the_verdicts_of_the_whole_walk(cmds: list[tuple[Any, ...]]) -> None:
    journey = Journey.open("825", "F1", recorded_at=datetime(2013, 1, 1, tzinfo=UTC), recorded_by="t", source="t")
    for number, (verb, what, offset, recorded_day, fields) in enumerate(cmds):
        on = START + timedelta(days=offset)
        at = datetime(2013, 1, 1, tzinfo=UTC) + timedelta(days=recorded_day)
        in_force = effective_decisions(journey.entries)  # from the entries, not the aggregate's cache
        before = len(journey.entries)
        if verb == "record":
            values = parse_fields(what, fields)
            expected = _verdict(in_force, Decision(journey.version + 1, what, on, values), at.date())
            try:
                journey.record(what, on, values, recorded_at=at, recorded_by="t", source="t", event_id=f"e{number}")
                verdict = "accepted"
            except JourneyError as error:
                verdict = str(error)
            assert verdict == expected
            assert len(journey.entries) == before + (verdict == "accepted")
        elif in_force:
            target = in_force[what % len(in_force)].seq
            try:
                if verb == "correct":
                    journey.correct(
                        target,
                        on=on,
                        fields={},
                        reason="t",
                        recorded_at=at,
                        recorded_by="t",
                        source="t",
                        event_id=f"e{number}",
                    )
                else:
                    journey.retract(
                        target, reason="t", recorded_at=at, recorded_by="t", source="t", event_id=f"e{number}"
                    )
            except JourneyError:
                assert len(journey.entries) == before
        assert journey.decisions() == effective_decisions(journey.entries)


def test_decisions_in_date_order_keep_the_check() -> None:
    at = datetime(2020, 1, 1, tzinfo=UTC)
    journey = Journey.open("825", "F2", recorded_at=at, recorded_by="t", source="t")
    for number, (kind, on) in enumerate(
        [("entered-care", date(2015, 1, 1)), ("adoption-decision", date(2015, 3, 1)), ("match", date(2015, 9, 1))]
    ):
        journey.record(
            kind, on, parse_fields(kind, {}), recorded_at=at, recorded_by="t", source="t", event_id=str(number)
        )
        assert journey.keeps_rules_walk  # the next decision in date order takes the one-step check
    assert [d.kind for d in journey.decisions()] == ["entered-care", "adoption-decision", "match"]
    assert journey.decisions() == effective_decisions(journey.entries)
