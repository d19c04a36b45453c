"""The fast read path gives exactly the entries the pydantic mapper gives, for every kind of
event a stream can hold (decisions with every field type, corrections, retractions, actions)."""

from __future__ import annotations

import json
from datetime import date

from freezegun import freeze_time

from journeys import JourneysApp
from journeys.domain.entries import entries_of
from journeys.domain.identity import journey_id
from journeys.domain.journey import Journey
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.storage.decoding import entries_from_stored
from journeys.synthetic.generator import generate


def _slow(app: JourneysApp, stream: object) -> list[object]:
    events = [app.mapper.to_domain_event(s) for s in app.recorder.select_events(stream)]  # type: ignore[arg-type]
    assert all(isinstance(e, Journey.Event) for e in events)
    return entries_of(events)  # type: ignore[arg-type]


def test_fast_entries_equal_the_mappers_for_every_kind_of_event(app: JourneysApp) -> None:
    lines = [json.dumps(line) for line in generate(200, 17, las=2)]
    load_lines(app, read_lines(lines, None), recorded_by="bench", source_name="s.jsonl")
    with freeze_time("2024-05-01 10:00:00"):
        app.record("825", "X1", "child-details", date(2020, 1, 1),
                   {"date_of_birth": date(2019, 12, 1), "harder_to_place": ["disability", "age-5-plus"]},
                   recorded_by="sw")  # fmt: skip
        app.record("825", "X1", "entered-care", date(2020, 1, 1), {"legal_status": "C1"}, recorded_by="sw")
        adm = app.record("825", "X1", "adoption-decision", date(2020, 3, 1), {}, recorded_by="sw")
        app.record("825", "X1", "match", date(2020, 9, 1), {"adopters": "AD7"}, recorded_by="sw")
        app.record("825", "X1", "placed", date(2020, 10, 1),
                   {"with_foster_carers": True, "carers_since": date(2020, 2, 1)}, recorded_by="sw")  # fmt: skip
        app.correct("825", "X1", adm.seq, on=date(2020, 3, 2), fields={}, reason="typo", recorded_by="sw")
        review = app.record("825", "X1", "review", date(2020, 11, 1), {"review_type": "adoption"}, recorded_by="sw")
        app.retract("825", "X1", review.seq, reason="keyed twice", recorded_by="sw")
        app.add_action("825", "X1", text="chase panel", owner="sw", due=date(2024, 6, 1), recorded_by="sw")
        app.complete_action("825", "X1", "A1", note="done", recorded_by="sw")

    streams = {journey_id(line["la"], line["child"]) for line in map(json.loads, lines)} | {journey_id("825", "X1")}
    kinds = set()
    for stream in streams:
        fast = entries_from_stored(app.recorder.select_events(stream), app.mapper.to_domain_event)  # type: ignore[arg-type]
        assert fast == _slow(app, stream)
        assert app.stream_entries(stream) == fast
        kinds |= {e.kind for e in fast}
    assert {"opened", "child-details", "placed", "correct", "retract", "action-added", "action-done"} <= kinds
