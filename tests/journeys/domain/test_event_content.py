"""``content_of``, the one definition of an event's stored JSON, writes what pydantic's
``model_dump(mode="json")`` writes, for every kind of event and value the engine stores
(which is what ``verify`` re-derives each hash from)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

from freezegun import freeze_time

from journeys import JourneysApp
from journeys.domain.journey import Journey
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate


def test_content_of_matches_pydantic_for_every_stored_event(sqlite_app: JourneysApp) -> None:
    lines = [json.dumps(line) for line in generate(120, 5, las=2)]
    assert not load_lines(sqlite_app, read_lines(lines, None), recorded_by="t", source_name="s").rejected
    kinds = set()
    for notification in sqlite_app.notifications():
        event = sqlite_app.mapper.to_domain_event(notification)
        assert isinstance(event, Journey.Event)
        assert type(event).content_of(event.__dict__) == event.model_dump(mode="json")
        kinds.add(type(event).KIND)
    assert len(kinds) >= 8


def test_content_of_writes_times_and_ids_as_pydantic_does() -> None:
    stream = uuid4()
    for moment in (
        datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
        datetime(2024, 3, 1, 9, 30, 0, 5, tzinfo=timezone(timedelta(hours=1))),
        datetime(2024, 3, 1, 9, 30, tzinfo=UTC),  # equal to the first, another object
    ):
        values = {
            "originator_id": stream,
            "originator_version": 1,
            "timestamp": moment,
            "la": "825",
            "child": "C1",
            "recorded_by": "t",
            "source": "s",
            "event_id": "e",
            "hash": "",
            "originator_topic": "journeys.domain.journey:Journey",
        }
        event = Journey.Opened(**values)
        assert Journey.Opened.content_of(values) == event.model_dump(mode="json")
    with freeze_time("2024-05-06 07:08:09"):
        frozen = datetime.now(tz=UTC)  # freezegun's FakeDatetime
        event = Journey.Opened(**{**values, "timestamp": frozen})
        assert Journey.Opened.content_of({**values, "timestamp": frozen})["timestamp"] == "2024-05-06T07:08:09Z"
        assert Journey.Opened.content_of({**values, "timestamp": frozen}) == event.model_dump(mode="json")
