"""The fast read path gives exactly the entries the pydantic mapper gives, for every kind of
event a stream can hold (decisions with every field type, corrections, retractions, actions)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from eventsourcing.persistence import StoredEvent
from freezegun import freeze_time
from pydantic import ValidationError

from journeys import JourneysApp
from journeys.domain.entries import entries_of
from journeys.domain.identity import journey_id
from journeys.domain.journey import COMMON_FIELDS, EVENT_CLASSES, OLDER_VERSIONS, Journey
from journeys.domain.shapes import BY_KIND, DECISIONS, Shape, shapes_of
from journeys.domain.vocabulary import EVENT_KINDS
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
        details = app.record("825", "X1", "child-details", date(2020, 1, 1),
                   {"date_of_birth": date(2019, 12, 1), "harder_to_place": ["disability", "age-5-plus"]},
                   recorded_by="sw")  # fmt: skip
        app.record("825", "X1", "entered-care", date(2020, 1, 1), {"legal_status": "C1"}, recorded_by="sw")
        adm = app.record("825", "X1", "adoption-decision", date(2020, 3, 1), {}, recorded_by="sw")
        app.record("825", "X1", "match", date(2020, 9, 1), {"adopters": "AD7"}, recorded_by="sw")
        placed = app.record("825", "X1", "placed", date(2020, 10, 1),
                   {"with_foster_carers": True, "carers_since": date(2020, 2, 1)}, recorded_by="sw")  # fmt: skip
        app.correct("825", "X1", adm.seq, on=date(2020, 3, 2), fields={}, reason="typo", recorded_by="sw")
        app.correct("825", "X1", details.seq, on=None, reason="new flags", recorded_by="sw",
                    fields={"harder_to_place": ["sibling-group"], "expected_date": date(2019, 11, 30)})  # fmt: skip
        app.correct("825", "X1", placed.seq, on=None, fields={"carers_since": date(2020, 3, 1)}, reason="typo",
                    recorded_by="sw")  # fmt: skip
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
    corrected = [e for e in app.stream_entries(journey_id("825", "X1")) if e.kind == "correct"]
    assert [dict(e.fields) for e in corrected][1:] == [
        {"date_of_birth": date(2019, 12, 1), "expected_date": date(2019, 11, 30), "sibling_group": None,
         "harder_to_place": ("sibling-group",)},
        {"with_foster_carers": True, "carers_since": date(2020, 3, 1)},
    ]  # fmt: skip


def test_the_read_table_is_the_event_models() -> None:
    # What the fast path reads a stored decision by, derived from the pydantic models: every
    # decision kind is in the table, current and older payload versions, with its fields, dates,
    # tuples and (an older version) its upcast.
    older = [c for classes in OLDER_VERSIONS.values() for c in classes]
    assert shapes_of([*EVENT_CLASSES.values(), *older], COMMON_FIELDS) == DECISIONS
    assert DECISIONS["journeys.entered_care.v1"].upcast == (("on_or_before", None),)
    assert set(BY_KIND) == set(EVENT_KINDS)
    assert BY_KIND["child-details"].dates == {"date_of_birth", "expected_date"}
    assert BY_KIND["child-details"].tuples == {"harder_to_place"}


def test_a_table_that_drifted_from_the_models_is_caught() -> None:
    drifted = {**DECISIONS, Journey.Placed.TOPIC: Shape("placed", ("with_foster_carers", "carers_since"))}
    assert shapes_of(EVENT_CLASSES.values(), COMMON_FIELDS) != drifted  # carers_since is a date


def test_a_correction_whose_fields_are_not_its_target_s_goes_through_the_mapper(app: JourneysApp) -> None:
    # A correction's stored fields that the table does not describe (here a field the payload
    # has not) are not read by the table: the mapper's path reads them, and refuses them.
    with freeze_time("2024-05-01 10:00:00"):
        app.record("825", "X2", "entered-care", date(2020, 1, 1), {}, recorded_by="sw")
        adm = app.record("825", "X2", "adoption-decision", date(2020, 3, 1), {}, recorded_by="sw")
        app.correct("825", "X2", adm.seq, on=date(2020, 3, 2), fields={}, reason="typo", recorded_by="sw")
    stored = list(app.recorder.select_events(journey_id("825", "X2")))
    state = json.loads(stored[-1].state)
    state["fields"] = {"unknown": 1}
    stored[-1] = StoredEvent(stored[-1].originator_id, stored[-1].originator_version, stored[-1].topic,
                             json.dumps(state).encode())  # fmt: skip

    with pytest.raises(ValidationError):
        entries_from_stored(stored, app.mapper.to_domain_event)  # type: ignore[arg-type]
