"""As-at (effective time) and known-at (recording time) give different, correct answers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from freezegun import freeze_time

from journeys import JourneysApp

LA = "825"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_back_dated_entry_is_in_effect_early_but_only_known_late(app: JourneysApp) -> None:
    with freeze_time("2015-01-10 09:00:00"):
        app.record(LA, "C1", "entered-care", date(2014, 6, 2), {}, recorded_by="sw1")
    with freeze_time("2015-03-02 16:30:00"):
        # keyed late: the decision was made on 1 December 2014
        app.record(LA, "C1", "adoption-decision", date(2014, 12, 1), {}, recorded_by="sw2")

    as_known_in_february = app.show(LA, "C1", as_at=date(2015, 2, 1), known_at=utc("2015-02-01T00:00:00"))
    as_known_now = app.show(LA, "C1", as_at=date(2015, 2, 1))
    before_decision = app.show(LA, "C1", as_at=date(2014, 11, 30))

    assert as_known_in_february.state.stage == "in-care"
    assert as_known_now.state.stage == "adoption-decision"
    assert before_decision.state.stage == "in-care"
    assert as_known_now.state.milestones()["adoption_decision"] == date(2014, 12, 1)


def test_a_correction_changes_the_answer_only_from_when_it_was_recorded(app: JourneysApp) -> None:
    with freeze_time("2015-01-10 09:00:00"):
        app.record(LA, "C1", "entered-care", date(2014, 6, 2), {}, recorded_by="sw1")
        app.record(LA, "C1", "adoption-decision", date(2014, 11, 20), {}, recorded_by="sw1")
    with freeze_time("2015-05-04 10:00:00"):
        po = app.record(LA, "C1", "placement-order", date(2015, 5, 1), {}, recorded_by="sw1")
    with freeze_time("2015-06-15 11:00:00"):
        app.correct(LA, "C1", po.seq, on=date(2015, 2, 10), fields={}, reason="keyed wrongly", recorded_by="mgr")

    before = app.show(LA, "C1", known_at=utc("2015-06-01T00:00:00"))
    after = app.show(LA, "C1")
    assert before.state.milestones()["placement_order"] == date(2015, 5, 1)
    assert after.state.milestones()["placement_order"] == date(2015, 2, 10)
    # as at March 2015, only the corrected history has a placement order in force
    assert (
        app.show(LA, "C1", as_at=date(2015, 3, 1), known_at=utc("2015-06-01T00:00:00")).state.stage
        == "adoption-decision"
    )
    assert app.show(LA, "C1", as_at=date(2015, 3, 1)).state.stage == "placement-order"


def test_recorded_at_comes_from_the_clock_and_is_stored_in_utc(memory_app: JourneysApp) -> None:
    with freeze_time("2016-02-29 23:59:59"):
        entry = memory_app.record(LA, "C1", "entered-care", date(2016, 2, 1), {}, recorded_by="sw")
    assert entry.recorded_at == utc("2016-02-29T23:59:59")
    stored = memory_app.history(LA, "C1")[-1].entry
    assert stored.recorded_at == entry.recorded_at


def test_a_retraction_is_visible_in_history_and_hidden_from_the_state(memory_app: JourneysApp) -> None:
    memory_app.record(LA, "C1", "entered-care", date(2014, 6, 2), {}, recorded_by="sw")
    wrong = memory_app.record(LA, "C1", "adoption-decision", date(2014, 7, 1), {}, recorded_by="sw")
    memory_app.retract(LA, "C1", wrong.seq, reason="recorded against the wrong child", recorded_by="mgr")
    rows = memory_app.history(LA, "C1")
    assert [(r.entry.kind, r.superseded) for r in rows][-2:] == [("adoption-decision", True), ("retract", False)]
    assert memory_app.show(LA, "C1").state.stage == "in-care"
