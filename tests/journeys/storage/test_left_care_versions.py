"""left-care payload versions: version 1 (reason code) is read as version 2 (with
``on_or_before``); an end of care only bounded is written as version 2, an end known exactly
still as version 1, and a correction to the real end clears the marker."""

from __future__ import annotations

from datetime import date

from freezegun import freeze_time

from journeys import JourneysApp
from journeys.domain.entries import entries_of
from journeys.domain.identity import journey_id
from journeys.storage.decoding import entries_from_stored


def _stored_topics(app: JourneysApp, child: str) -> list[str]:
    return [s.topic for s in app.recorder.select_events(journey_id("825", child))]  # type: ignore[attr-defined]


def test_an_end_known_exactly_is_version_1_a_bounded_one_version_2_and_its_correction_clears_the_bound(
    app: JourneysApp,
) -> None:
    with freeze_time("2024-05-01 10:00:00"):
        app.record("825", "L1", "entered-care", date(2019, 1, 1), {"legal_status": "C1"}, recorded_by="sw")
        app.record("825", "L1", "left-care", date(2019, 6, 1), {"reason_code": "E4A"}, recorded_by="sw")
        app.record("825", "L1", "entered-care", date(2020, 1, 1), {"legal_status": "C1"}, recorded_by="sw")
        bounded = app.record("825", "L1", "left-care", date(2021, 2, 1), {"on_or_before": True}, recorded_by="sw")
        assert _stored_topics(app, "L1")[2] == "journeys.left_care.v1"
        assert _stored_topics(app, "L1")[-1] == "journeys.left_care.v2"
        assert dict(bounded.fields) == {"reason_code": None, "on_or_before": True}
        app.correct(
            "825", "L1", bounded.seq, on=date(2020, 8, 1), fields={"reason_code": "E13", "on_or_before": False},
            reason="end found", recorded_by="sw",
        )  # fmt: skip
    stream = journey_id("825", "L1")
    fast = entries_from_stored(app.recorder.select_events(stream), app.mapper.to_domain_event)  # type: ignore[arg-type]
    slow = entries_of([app.mapper.to_domain_event(s) for s in app.recorder.select_events(stream)])  # type: ignore[arg-type, misc]
    assert fast == slow
    ended = [dict(e.fields) for e in fast if e.kind == "left-care"]
    assert ended[0] == {"reason_code": "E4A", "on_or_before": None}  # version 1, read through the upcast
    assert dict(fast[-1].fields) == {"reason_code": "E13", "on_or_before": None}  # false is written as unset
    assert not app.verify().tampered
