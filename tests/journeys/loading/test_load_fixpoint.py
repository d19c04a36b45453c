"""Load twice = load once, whatever the file holds: a line its child's rules refuse is tried
again after the file when a later line of the child loaded, until nothing more loads; so a
second load of the same file appends nothing and rejects the same lines for the same reasons.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from journeys import JourneysApp
from journeys.loading import export_lines, load_lines, read_lines
from journeys.loading.batch import LoadReport
from journeys.loading.jsonl import part_of
from journeys.loading.parallel import load_file
from journeys.synthetic.generator import generate
from tests.helpers import LA, OUT_OF_ORDER, event_count

C1 = {"la": LA, "child": "C1"}


def _load(app: JourneysApp, lines: list[Any], batch_size: int = 10_000) -> LoadReport:
    raw = [line if isinstance(line, str) else json.dumps(line) for line in lines]
    return load_lines(app, read_lines(raw, None), recorded_by="t", source_name="t.jsonl", batch_size=batch_size)


def _stored(app: JourneysApp) -> list[dict[str, Any]]:
    return sorted(
        export_lines(app, plain=True), key=lambda line: (str(line["la"]), str(line["child"]), str(line["id"]))
    )


def test_a_line_refused_before_the_line_that_lets_it_in_loads_in_the_same_load(app: JourneysApp) -> None:
    first = _load(app, OUT_OF_ORDER, batch_size=3)
    assert (first.loaded, first.skipped, list(first.rejected)) == (len(OUT_OF_ORDER), 0, [])
    history = [(row.entry.kind, row.superseded) for row in app.history(LA, "C1")]
    assert ("disruption", True) in history and ("correct", False) in history
    events = event_count(app)
    again = _load(app, OUT_OF_ORDER, batch_size=3)
    assert (again.loaded, again.skipped, list(again.rejected)) == (0, len(OUT_OF_ORDER), [])
    assert event_count(app) == events
    assert app.verify().tampered == []


def test_a_line_refused_for_good_is_rejected_with_its_final_reason_by_both_loads(memory_app: JourneysApp) -> None:
    lines = [
        *OUT_OF_ORDER,
        {**C1, "event": "disruption", "on": "2014-07-15"},  # before the placement: never in force
        {**C1, "event": "correct", "corrects": "nowhere", "reason": "r", "on": "2014-01-01"},
        {**C1, "event": "entered-care", "on": "2099-01-01"},  # in the future
    ]
    first = _load(memory_app, lines, batch_size=2)
    again = _load(memory_app, lines, batch_size=5)
    assert first.loaded == len(OUT_OF_ORDER) and again.loaded == 0
    assert [r.line_no for r in first.rejected] == [9, 10, 11]
    assert list(again.rejected) == list(first.rejected)  # the same lines, for the same reasons
    assert "not placed for adoption" in next(iter(first.rejected)).reason
    assert again.skipped == first.loaded


def test_a_line_tried_again_can_turn_out_already_present(memory_app: JourneysApp) -> None:
    """A refused line whose twin, further down, loaded once the child allowed it."""
    disruption = {**C1, "event": "disruption", "on": "2014-09-01"}
    lines = [OUT_OF_ORDER[0], disruption, *OUT_OF_ORDER[3:6], disruption]
    first = _load(memory_app, lines)
    assert (first.loaded, first.skipped, len(first.rejected)) == (5, 1, 0)
    assert first.skipped_lines == [2]


def test_the_outcome_does_not_depend_on_batches_or_processes(store: str, tmp_path: Path) -> None:
    """Generated journeys, with each tenth child's last line moved to the front of the file
    (refused there, let in later) and some lines refused for good."""
    lines = [json.dumps(line) for line in generate(120, 5, las=2)]
    by_child: dict[str, list[int]] = {}
    for number, text in enumerate(lines):
        by_child.setdefault(json.loads(text)["child"], []).append(number)
    moved = [numbers[-1] for index, numbers in enumerate(by_child.values()) if index % 10 == 0 and len(numbers) > 2]
    front = [lines[number] for number in moved]
    rest = [text for number, text in enumerate(lines) if number not in set(moved)]
    first = json.loads(lines[0])
    refused = json.dumps({"la": first["la"], "child": first["child"], "event": "adoption-order", "on": "1990-01-01"})
    path = tmp_path / "shuffled.jsonl"
    path.write_text("\n".join([refused, *front, *rest, "not json"]) + "\n")

    def loaded(target: str, workers: int, batch_size: int) -> tuple[LoadReport, LoadReport, list[dict[str, Any]]]:
        app = JourneysApp(target)
        try:
            one = load_file(app, path, default_la=None, recorded_by="t", batch_size=batch_size, workers=workers)
            two = load_file(app, path, default_la=None, recorded_by="t", batch_size=batch_size, workers=workers)
            assert app.verify().tampered == []
            return one, two, _stored(app)
        finally:
            app.close()

    one, two, stored = loaded(str(tmp_path / "one.db"), 1, 10_000)
    assert one.loaded == len(lines) and len(one.rejected) == 2
    assert (two.loaded, two.skipped, list(two.rejected)) == (0, one.loaded, list(one.rejected))
    for target, workers, batch_size in ((store, 2, 7), (str(tmp_path / "three.db"), 3, 50)):
        other, again, other_stored = loaded(target, workers, batch_size)
        assert (other.loaded, other.skipped, list(other.rejected)) == (one.loaded, 0, list(one.rejected))
        assert (again.loaded, again.skipped, list(again.rejected)) == (0, one.loaded, list(one.rejected))
        assert other_stored == stored


def test_an_action_line_loaded_twice_is_already_present(memory_app: JourneysApp) -> None:
    """(An action's event took the id ``action:A1`` whatever the line's own, so the second
    load refused the line as a second action A1.)"""
    lines = [OUT_OF_ORDER[0], OUT_OF_ORDER[7], {**OUT_OF_ORDER[6], "note": "listed", "id": "done-1"}]
    assert _load(memory_app, lines).loaded == 3
    again = _load(memory_app, lines)
    assert (again.loaded, again.skipped, list(again.rejected)) == (0, 3, [])
    other = _load(memory_app, [{**OUT_OF_ORDER[7], "text": "Another text"}])
    assert "action A1 is already recorded" in next(iter(other.rejected)).reason


@pytest.mark.parametrize("spelling", ["c001", "Ｃ００１", " C001 ", "C001"])
def test_every_spelling_of_a_child_is_loaded_by_one_process(spelling: str) -> None:
    """(The fullwidth spelling is the same child, a case variant one that clashes with it:
    each process must see them all, in file order.)"""
    for parts in (2, 3, 4, 7):
        assert part_of({"la": LA, "child": spelling}, None, parts) == part_of({"la": LA, "child": "C001"}, None, parts)


def test_a_decision_dated_in_the_future_is_rejected_alike_by_both_loads(memory_app: JourneysApp) -> None:
    """(Refused whatever its child holds, for the same reason, it is not kept to be tried again.)"""
    future = {**C1, "event": "review", "on": "2099-01-01", "review_type": "adoption"}
    lines = [future, *OUT_OF_ORDER]
    first = _load(memory_app, lines)
    again = _load(memory_app, lines)
    assert [r.line_no for r in first.rejected] == [1] and "is in the future" in next(iter(first.rejected)).reason
    assert list(again.rejected) == list(first.rejected) and again.loaded == 0
