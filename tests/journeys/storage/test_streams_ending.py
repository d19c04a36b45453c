"""``streams_ending``: every stream in exactly one window (the one holding its latest event),
with the same entries ``stream_entries`` reads, however the log is cut into windows."""

from __future__ import annotations

import json
from uuid import UUID

import pytest

from journeys.application import JourneysApp
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate


@pytest.mark.parametrize("window", [1, 7, 250, 100_000])
def test_each_stream_comes_whole_in_the_window_of_its_latest_event(app: JourneysApp, window: int) -> None:
    _check_windows(app, window)


@pytest.mark.parametrize("window", [1, 7, 100_000])
def test_an_in_memory_store_answers_by_walking_its_events(memory_app: JourneysApp, window: int) -> None:
    _check_windows(memory_app, window)


def _check_windows(app: JourneysApp, window: int) -> None:
    # small load batches interleave the children's events in the log; corrections come late
    lines = [json.dumps(line) for line in generate(40, 11, las=2)]
    assert not load_lines(app, read_lines(lines, None), recorded_by="t", source_name="t", batch_size=5).rejected
    latest: dict[UUID, int] = {}
    began: dict[UUID, int] = {}
    for note in app.notifications():
        stream = UUID(str(note.originator_id))
        began.setdefault(stream, note.id)
        latest[stream] = note.id
    last = max(latest.values())
    seen: dict[UUID, int] = {}
    for first in range(1, last + 1, window):
        upto = min(first + window - 1, last)
        found = app.streams_ending(first, upto)
        for stream, entries in found.items():
            assert stream not in seen, f"{stream} read in two windows"
            assert first <= latest[stream] <= upto
            assert entries == app.stream_entries(stream)
            seen[stream] = first
    assert set(seen) == set(latest)
    # some streams began in an earlier window than the one that read them whole
    assert any(began[s] < seen[s] for s in seen) == (window < last)
