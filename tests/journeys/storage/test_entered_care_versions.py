"""entered-care payload versions: version 1 (legal status) is read as version 2 (with
``on_or_before``), by the fast path and the mapper alike; a start only bounded is written as
version 2, a start known exactly still as version 1; both verify, and a correction moves one
to the other."""

from __future__ import annotations

from datetime import date

from freezegun import freeze_time

from journeys import JourneysApp
from journeys.domain.entries import entries_of
from journeys.domain.identity import journey_id
from journeys.domain.journey import Journey
from journeys.storage.decoding import entries_from_stored


def _stored_topics(app: JourneysApp, child: str) -> list[str]:
    return [s.topic for s in app.recorder.select_events(journey_id("825", child))]  # type: ignore[attr-defined]


def test_a_start_known_exactly_is_stored_as_version_1_and_read_as_version_2(app: JourneysApp) -> None:
    with freeze_time("2024-05-01 10:00:00"):
        app.record("825", "V1", "entered-care", date(2020, 1, 1), {"legal_status": "C1"}, recorded_by="sw")
    assert _stored_topics(app, "V1")[-1] == "journeys.entered_care.v1"
    (stored,) = [
        s for s in app.recorder.select_events(journey_id("825", "V1")) if s.topic == "journeys.entered_care.v1"
    ]  # type: ignore[attr-defined]
    assert b"on_or_before" not in app.mapper.plain_state(stored.state)  # type: ignore[attr-defined]
    event = app.mapper.to_domain_event(stored)  # type: ignore[arg-type]
    assert isinstance(event, Journey.EnteredCareV1)
    (entry,) = [e for e in app.stream_entries(journey_id("825", "V1")) if e.kind == "entered-care"]
    assert dict(entry.fields) == {"legal_status": "C1", "on_or_before": None}  # the upcast


def test_a_bounded_start_is_version_2_and_its_correction_to_the_real_start_clears_the_marker(app: JourneysApp) -> None:
    with freeze_time("2024-05-01 10:00:00"):
        bounded = app.record(
            "825",
            "V2",
            "entered-care",
            date(2020, 6, 1),
            {"legal_status": "C2", "on_or_before": True},
            recorded_by="sw",
        )
        assert _stored_topics(app, "V2")[-1] == "journeys.entered_care.v2"
        assert dict(bounded.fields) == {"legal_status": "C2", "on_or_before": True}
        app.correct(
            "825", "V2", bounded.seq, on=date(2019, 3, 1), fields={"on_or_before": False}, reason="start found",
            recorded_by="sw",
        )  # fmt: skip
    stream = journey_id("825", "V2")
    fast = entries_from_stored(app.recorder.select_events(stream), app.mapper.to_domain_event)  # type: ignore[arg-type]
    slow = entries_of([app.mapper.to_domain_event(s) for s in app.recorder.select_events(stream)])  # type: ignore[arg-type, misc]
    assert fast == slow
    assert dict(fast[-1].fields) == {"legal_status": "C2", "on_or_before": None}  # false is written as unset
    assert not app.verify().tampered
