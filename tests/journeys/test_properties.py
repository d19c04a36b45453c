"""Properties that must hold for any order of commands: an accepted stream always replays to
the same state, and a refused command never changes the store."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from journeys import JourneyError, JourneysApp
from journeys.domain.rules import replay
from journeys.domain.timeline import effective_decisions
from journeys.loading import export_lines, load_lines
from journeys.loading.jsonl import read_lines

START = date(2013, 1, 1)
FIELDS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "entered-care": st.fixed_dictionaries({}, optional={"legal_status": st.sampled_from(["C1", "C2", "V2"])}),
    "adoption-decision": st.just({}),
    "placement-order": st.fixed_dictionaries({"authority": st.sampled_from(["placement-order", "consent"])}),
    "family-finding": st.just({}),
    "plan-change": st.fixed_dictionaries(
        {"to": st.sampled_from(["adoption", "reunification", "special-guardianship"])},
        optional={"reason": st.sampled_from(["RD1", "RD2", "RD4"]), "decided_by": st.sampled_from(["court", "agency"])},
    ),
    "match": st.just({}),
    "placed": st.just({}),
    "disruption": st.just({}),
    "adoption-order": st.just({}),
    "left-care": st.just({"reason_code": "E13"}),
}
record_cmd = st.tuples(st.just("record"), st.sampled_from(sorted(FIELDS)), st.integers(0, 1400)).flatmap(
    lambda t: st.tuples(st.just(t[0]), st.just(t[1]), st.just(t[2]), FIELDS[t[1]])
)
correct_cmd = st.tuples(st.just("correct"), st.integers(2, 30), st.integers(0, 1400), st.just({}))
retract_cmd = st.tuples(st.just("retract"), st.integers(2, 30), st.just(0), st.just({}))


def _journey(draw_ordered: bool, cmds: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Start in care; half the time keep the records in date order so that long journeys
    are accepted, not only refused."""
    opening = ("record", "entered-care", 0, {})
    return [opening, *(sorted(cmds, key=lambda c: c[2]) if draw_ordered else cmds)]


commands = st.builds(
    _journey,
    st.booleans(),
    st.lists(st.one_of(record_cmd, record_cmd, record_cmd, correct_cmd, retract_cmd), max_size=25),
)


def _apply(app: JourneysApp, command: tuple[Any, ...]) -> None:
    verb, what, offset, fields = command
    on = START + timedelta(days=offset)
    if verb == "record":
        app.record("825", "P1", what, on, fields, recorded_by="prop")
    elif verb == "correct":
        app.correct("825", "P1", what, on=on, fields={}, reason="prop", recorded_by="prop")
    else:
        app.retract("825", "P1", what, reason="prop", recorded_by="prop")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands)
def test_accepted_streams_replay_to_the_same_state_and_refusals_change_nothing(cmds: list[tuple[Any, ...]]) -> None:
    app = JourneysApp(":memory:")
    try:
        for command in cmds:
            before = [n.id for n in app.notifications()]
            try:
                _apply(app, command)
            except JourneyError:
                assert [n.id for n in app.notifications()] == before
        try:
            entries = app.entries("825", "P1")
        except JourneyError:
            event("nothing accepted")
            return
        event(f"{len(entries) // 5 * 5}+ entries accepted")
        journey = app.find("825", "P1")
        assert journey is not None
        # the aggregate's view, a replay of the stored events and a reload elsewhere agree
        assert journey.decisions() == effective_decisions(entries)
        state = replay(effective_decisions(entries))
        assert app.show("825", "P1").state == state
        other = JourneysApp(":memory:")
        exported = [json.dumps(line) for line in export_lines(app)]
        report = load_lines(other, read_lines(exported, None), recorded_by="prop", source_name="export")
        assert report.rejected == []
        assert other.show("825", "P1").state.milestones() == state.milestones()
        assert other.show("825", "P1").state.stage == state.stage
        assert app.verify().tampered == []
    finally:
        app.close()
