"""Reading many streams at once gives exactly the entries of reading them one by one."""

from __future__ import annotations

import json
from uuid import uuid4

from journeys import JourneysApp
from journeys.domain.identity import journey_id
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate


def test_many_streams_read_together_match_each_read_alone(app: JourneysApp) -> None:
    lines = [json.dumps(line) for line in generate(120, 13, las=2)]
    load_lines(app, read_lines(lines, None), recorded_by="bench", source_name="s.jsonl")
    streams = list(dict.fromkeys(journey_id(line["la"], line["child"]) for line in map(json.loads, lines)))
    unknown = uuid4()

    together = app.streams_entries([*streams, unknown, streams[0]])

    assert list(together) == streams  # in the order asked, each once; a stream with no events left out
    assert all(together[s] == app.stream_entries(s) for s in streams)


def test_the_in_memory_store_reads_stream_by_stream(memory_app: JourneysApp) -> None:
    lines = [json.dumps(line) for line in generate(20, 3)]
    load_lines(memory_app, read_lines(lines, None), recorded_by="bench", source_name="s.jsonl")
    streams = list(dict.fromkeys(journey_id(line["la"], line["child"]) for line in map(json.loads, lines)))
    together = memory_app.streams_entries(streams)
    assert list(together) == streams
    assert all(together[s] == memory_app.stream_entries(s) for s in streams)
