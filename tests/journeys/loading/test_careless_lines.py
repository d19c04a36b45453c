"""Careless lines in a JSONL load: each is one reject with its reason, never a traceback, and
nothing of it is written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from journeys import JourneysApp, load_lines, read_lines
from tests.helpers import LA

OPENING = [
    {"la": LA, "child": "C001", "event": "entered-care", "on": "2014-01-10", "id": "x1"},
    {"la": LA, "child": "C001", "event": "placement-order", "on": "2014-05-01"},
]
BAD_DATES: list[Any] = ["", " ", "None", "1", "-1", "1.5", {}, [], "20140602", "2014-02-30", "31/13/2014"]


def _load(app: JourneysApp, *lines: dict[str, Any] | str) -> Any:
    raw = [line if isinstance(line, str) else json.dumps(line) for line in lines]
    return load_lines(app, read_lines(raw, default_la=None), recorded_by="t", source_name="test.jsonl")


def _events(app: JourneysApp) -> int:
    return app.head()


@pytest.mark.parametrize(
    "line",
    [
        {"la": LA, "child": "C001", "event": "action", "action_id": "A1", "owner": "TM", "due": "2015-01-01"},
        {
            "la": LA,
            "child": "C001",
            "event": "action",
            "action_id": "A1",
            "text": 5,
            "owner": "TM",
            "due": "2015-01-01",
        },
        {
            "la": LA,
            "child": "C001",
            "event": "action",
            "action_id": "A1",
            "text": "x\x00",
            "owner": "TM",
            "due": "2015-01-01",
        },
        {
            "la": LA,
            "child": "C001",
            "event": "action",
            "action_id": "A1",
            "text": "t",
            "owner": "TM",
            "due": "2015-01-01",
            "x": 1,
        },
        {"la": LA, "child": "C001", "event": "action-done"},
        {"la": LA, "child": "C001", "event": "action-done", "action_id": "A1", "note": {}},
        *(
            {"la": LA, "child": "C001", "event": "action", "action_id": "A1", "text": "t", "owner": "TM", "due": bad}
            for bad in BAD_DATES
        ),
        *(
            {"la": LA, "child": "C001", "event": "correct", "corrects": "x1", "reason": "r", "on": bad}
            for bad in BAD_DATES
        ),
        *(
            {"la": LA, "child": "C001", "event": "review", "review_type": "looked-after", "on": bad}
            for bad in BAD_DATES
        ),
        {"la": LA, "child": "C001", "event": "retract", "retracts": "x1", "reason": "a\nb"},
        {"la": LA, "child": "C\x00001", "event": "entered-care", "on": "2014-01-10"},
        {"la": LA, "child": "C" * 65, "event": "entered-care", "on": "2014-01-10"},
        {"la": LA, "child": "C9\u202e", "event": "entered-care", "on": "2014-01-10"},
        {"la": LA, "child": "C001", "event": "match", "on": "2014-06-01", "adopters": "A\x00"},
        {"la": "999", "child": "C9", "event": "entered-care", "on": "2014-01-10"},
        {"la": "ABC", "child": "C9", "event": "entered-care", "on": "2014-01-10"},
        {"la": "8250", "child": "C9", "event": "entered-care", "on": "2014-01-10"},
        {"la": LA, "child": "c001", "event": "entered-care", "on": "2014-01-10"},
        {"la": LA, "child": "C001", "event": "adoption-order", "on": "2015-01-01"},
        {"la": LA, "child": "C001", "event": "review", "on": "2014-06-01", "review_type": "looked-after", "id": "x1"},
    ],
)
def test_a_careless_line_is_one_reject_and_writes_nothing(memory_app: JourneysApp, line: dict[str, Any]) -> None:
    _load(memory_app, *OPENING)
    before = _events(memory_app)
    report = _load(memory_app, line)
    assert (report.loaded, report.skipped, len(report.rejected)) == (0, 0, 1), report
    assert next(iter(report.rejected)).reason
    assert _events(memory_app) == before


def test_a_reused_id_for_the_same_content_is_already_present(memory_app: JourneysApp) -> None:
    _load(memory_app, *OPENING)
    report = _load(memory_app, *OPENING)
    assert (report.loaded, report.skipped, report.rejected) == (0, 2, [])


def test_a_reused_id_for_different_content_names_the_event_it_clashes_with(memory_app: JourneysApp) -> None:
    _load(memory_app, *OPENING)
    clash = {**OPENING[0], "on": "2014-01-11"}
    report = _load(memory_app, clash)
    assert "already used for child C001 by a different event (event 2, entered-care on 2014-01-10)" in (
        next(iter(report.rejected)).reason
    )


def test_two_spellings_of_one_reference_in_one_file_are_one_child_and_a_reject(memory_app: JourneysApp) -> None:
    report = _load(
        memory_app,
        {"la": LA, "child": "B7", "event": "entered-care", "on": "2014-01-10"},
        {"la": LA, "child": "b7", "event": "entered-care", "on": "2014-01-10"},
        {"la": LA, "child": "Ｂ７", "event": "placement-order", "on": "2014-05-01"},
    )
    assert report.loaded == 2 and [r.line_no for r in report.rejected] == [2]
    assert "differs only by case" in next(iter(report.rejected)).reason


def test_dd_mm_yyyy_dates_load_as_the_cli_reads_them(memory_app: JourneysApp) -> None:
    report = _load(
        memory_app,
        {"la": LA, "child": "C5", "event": "entered-care", "on": "10/01/2014"},
        {
            "la": LA,
            "child": "C5",
            "event": "action",
            "action_id": "A1",
            "text": "t",
            "owner": "TM",
            "due": "31/12/2015",
        },
    )
    assert (report.loaded, report.rejected) == (2, [])


def test_an_unknown_la_loads_into_a_test_store(tmp_path: Any) -> None:
    app = JourneysApp(f"{tmp_path}/t.db", allow_unknown_la=True)
    try:
        report = _load(app, {"la": "999", "child": "C9", "event": "entered-care", "on": "2014-01-10"})
        assert report.loaded == 1
    finally:
        app.close()
