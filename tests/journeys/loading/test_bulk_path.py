"""The bulk path of a load (a decision sealed as its stored JSON, without a pydantic event
object) against the normal path (every line through its event object, as ``record`` does):
for random generated histories, with damaged lines among them, both give the same journeys,
the same stored bytes, the same load reports and the same verify results."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys import JourneysApp
from journeys.domain.errors import JourneyError
from journeys.domain.journey import Journey
from journeys.loading import load_lines
from journeys.loading.jsonl import LoadLine, read_lines
from journeys.loading.sealed import SealedJourney
from journeys.synthetic.generator import generate
from tests.helpers import postgres_schema_url

NOW = datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=UTC)


def _damaged(lines: list[dict[str, Any]], damage: list[tuple[int, str]]) -> list[str]:
    """The lines, with some repeated (skipped), moved into the future or before birth
    (refused by the rules), or given an unknown field (refused when read)."""
    out = [dict(line) for line in lines]
    for where, how in damage:
        line = dict(out[where % len(out)])
        line.pop("id", None)
        if how == "repeat":
            out.append(dict(out[where % len(out)]))
            continue
        if how == "future" and "on" in line:
            line["on"] = "2031-01-01"
        elif how == "early" and "on" in line:
            line["on"] = "1990-01-01"
        elif how == "unknown-field":
            line["colour"] = "blue"
        out.insert(where % len(out), line)
    return [json.dumps(line) for line in out]


histories = st.tuples(
    st.integers(2, 25),  # children
    st.integers(0, 10_000),  # seed
    st.integers(1, 3),  # authorities
    st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(["repeat", "future", "early", "unknown-field"])), max_size=8
    ),
    st.integers(1, 40),  # batch size
)


@contextmanager
def _fresh(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield str(Path(folder) / "journeys.db")
    else:
        yield from postgres_schema_url()


def _everything(app: JourneysApp) -> tuple[Any, ...]:
    notes = [(n.originator_id, n.originator_version, n.topic, bytes(n.state)) for n in app.notifications()]
    streams = [(la, child, entries) for la, child, entries in app.streams()]
    return notes, streams, app.verify()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories)
def test_the_bulk_and_the_normal_path_store_the_same_bytes(
    backend: str, history: tuple[int, int, int, list[tuple[int, str]], int]
) -> None:
    children, seed, las, damage, batch_size = history
    lines = _damaged(list(generate(children, seed, las=las)), damage)
    results = []
    for bulk in (True, False):
        with _fresh(backend) as store:
            app = JourneysApp(store)
            try:
                with freeze_time(NOW):
                    first = load_lines(
                        app, read_lines(lines, None), recorded_by="t", source_name="f", batch_size=batch_size, bulk=bulk
                    )
                    again = load_lines(
                        app, read_lines(lines, None), recorded_by="t", source_name="f", batch_size=batch_size, bulk=bulk
                    )
                    results.append((first, again, *_everything(app)))
            finally:
                app.close()  # in real time: the PostgreSQL pool's threads time their own ending
    (first, again, notes, streams, verified), normal = results
    assert (first, again, notes, streams, verified) == normal
    assert again.loaded == 0 and again.skipped == first.loaded + first.skipped  # idempotent
    assert verified.tampered == [] and verified.events == len(notes) > 0
    if any(how in ("future", "unknown-field") for _, how in damage):
        assert first.rejected  # the damage was seen, the same way by both paths


def _journey_state(journey: Journey) -> tuple[Any, ...]:
    return (
        journey.id,
        journey.la,
        journey.child,
        journey.created_on,
        journey.version,
        journey.modified_on,
        journey.entries,
        journey.event_ids,
        journey.head_hash,
        journey.decisions(),
    )


@settings(max_examples=25, deadline=None)
@given(history=histories)
def test_a_decision_recorded_in_bulk_leaves_the_journey_as_the_event_object_does(
    history: tuple[int, int, int, list[tuple[int, str]], int],
) -> None:
    children, seed, las, damage, _ = history
    lines = [line for line in read_lines(_damaged(list(generate(children, seed, las=las)), damage), None)]
    decisions = [
        line for line in lines if isinstance(line, LoadLine) and line.on is not None and line.target_id is None
    ]
    journeys: dict[tuple[str, str], tuple[Journey, Journey]] = {}
    mapper = JourneysApp(":memory:").mapper
    for i, line in enumerate(decisions):
        at = NOW + timedelta(seconds=i, microseconds=i)  # each event recorded at its own time
        if line.kind.startswith("action"):
            continue
        pair = journeys.get((line.la, line.child))
        if pair is None:
            pair = tuple(
                opening.open(line.la, line.child, recorded_at=NOW, recorded_by="t", source="s")
                for opening in (Journey, SealedJourney)
            )  # type: ignore[assignment]
            journeys[(line.la, line.child)] = pair
        normal, bulk = pair
        outcomes = []
        for journey in (normal, bulk):
            try:
                entry = journey.record(
                    line.kind, line.on, line.fields, recorded_at=at, recorded_by="t", source="s",
                    event_id=line.event_id,
                )  # fmt: skip
                outcomes.append(entry)
            except JourneyError as error:
                outcomes.append(error.full_message())
        assert outcomes[0] == outcomes[1]
        assert _journey_state(normal) == _journey_state(bulk)
    for normal, bulk in journeys.values():
        events = normal.collect_events()  # the normal path's event objects, as the library would store them
        by_library = [mapper.to_stored_event(event) for event in events]
        sealed = bulk.collect_sealed()
        assert [(s.originator_id, s.originator_version, s.topic) for s in by_library] == [
            (key, version, topic) for key, version, topic, _ in sealed
        ]
        assert [s.state for s in by_library] == [mapper.transcoder.encode(content) for *_, content in sealed]


def test_a_journey_with_events_recorded_in_bulk_is_not_saved_one_event_at_a_time() -> None:
    journey = SealedJourney.of(Journey.open("825", "C1", recorded_at=NOW, recorded_by="t", source="s"))
    journey.record("entered-care", NOW.date(), {}, recorded_at=NOW, recorded_by="t", source="s", event_id="e1")
    with pytest.raises(RuntimeError, match="collect_sealed"):
        journey.collect_events()
    assert [version for _, version, _, _ in journey.collect_sealed()] == [1, 2]
    assert journey.collect_events() == []
