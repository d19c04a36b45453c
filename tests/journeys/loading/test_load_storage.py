"""The load path stores each event as the JSON content it was sealed with, keeps journeys
between batches, and must give the store that one batch per line would give."""

from __future__ import annotations

import gc
import json

from journeys import JourneysApp
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate


def _lines() -> list[str]:
    return [json.dumps(line) for line in generate(120, 11, las=2)]


def _load(app: JourneysApp, lines: list[str], batch_size: int) -> None:
    report = load_lines(app, read_lines(lines, None), recorded_by="t", source_name="s", batch_size=batch_size)
    assert report.rejected == []


def _content(app: JourneysApp) -> dict[tuple[str, str], list[tuple[object, ...]]]:
    return {
        (la, child): [(e.seq, e.kind, e.on, dict(e.fields), e.event_id, e.source, e.target) for e in entries]
        for la, child, entries in app.streams()
    }


def test_stored_events_are_what_the_mapper_writes_and_verify(app: JourneysApp) -> None:
    _load(app, _lines(), batch_size=7)  # small batches: children span several, kept between them
    notes = list(app.notifications())
    assert len(notes) > 500
    for note in notes:
        again = app.mapper.to_stored_event(app.mapper.to_domain_event(note))
        assert (again.topic, again.state) == (note.topic, note.state)
    assert app.verify().tampered == []


def test_batches_and_kept_journeys_give_the_store_of_one_line_at_a_time(app: JourneysApp) -> None:
    lines = _lines()
    _load(app, lines, batch_size=13)
    one_by_one = JourneysApp(":memory:")
    try:
        _load(one_by_one, lines, batch_size=1)
        assert _content(app) == _content(one_by_one)
    finally:
        one_by_one.close()
    again = load_lines(app, read_lines(lines, None), recorded_by="t", source_name="s", batch_size=13)
    assert (again.loaded, again.skipped, again.rejected) == (0, len(lines), [])


def test_a_load_leaves_the_garbage_collector_as_it_found_it(sqlite_app: JourneysApp) -> None:
    lines = _lines()[:50]
    assert gc.isenabled()
    _load(sqlite_app, lines[:25], batch_size=10)
    assert gc.isenabled()
    gc.disable()
    try:
        _load(sqlite_app, lines[25:], batch_size=10)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_child_written_by_another_process_during_a_load_stops_it_with_a_remedy(sqlite_store: str) -> None:
    from collections.abc import Iterator
    from datetime import date

    import pytest

    from journeys import JourneysApp, StoreError
    from journeys.loading.jsonl import LoadLine, Rejected, read_lines

    loader, other = JourneysApp(sqlite_store), JourneysApp(sqlite_store)
    lines = [
        '{"la": "825", "child": "W1", "event": "entered-care", "on": "2015-01-05"}',
        '{"la": "825", "child": "W1", "event": "adoption-decision", "on": "2015-04-01"}',
    ]

    def interleaved() -> Iterator[LoadLine | Rejected]:
        parsed = list(read_lines(lines, None))
        yield parsed[0]
        # the first batch is saved by now; another process writes to the same child
        other.record("825", "W1", "proceedings-issued", date(2015, 1, 9), {}, recorded_by="other")
        yield parsed[1]

    with pytest.raises(StoreError, match="another process recorded events") as refused:
        load_lines(loader, interleaved(), recorded_by="loader", source_name="test", batch_size=1)
    assert "run the same command again" in refused.value.remedy
    report = load_lines(loader, read_lines(lines, None), recorded_by="loader", source_name="test", batch_size=1)
    assert (report.loaded, report.skipped) == (1, 1)
    loader.close()
    other.close()


def test_a_load_leaves_sqlite_settings_as_it_found_them(sqlite_app: JourneysApp) -> None:
    lines = [json.dumps({"child": f"C{n}", "event": "entered-care", "on": "2015-01-01"}) for n in range(30)]
    report = load_lines(sqlite_app, read_lines(lines, "825"), recorded_by="t", source_name="s", batch_size=7)
    assert report.loaded == 30
    recorder = sqlite_app.recorder
    with recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -2000
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 1000
    assert len(list(sqlite_app.notifications())) == 60
