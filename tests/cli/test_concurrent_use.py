"""Several people at once on one store, as real processes: reports after a load all answer
with the same figures, a report during a rebuild answers, and concurrent writers to one
child or to many each get their decision recorded once or one `Error:` line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.processes import Done, at_once, generated, loaded, run

SCORECARD = ["scorecard", "--period", "2012-15", "--json"]


def _reporting_env(store: str) -> dict[str, str]:
    # Opening the event store on PostgreSQL runs its DDL (CREATE OR REPLACE FUNCTION) on every
    # open, which races between processes ("tuple concurrently updated"); that is the event
    # store's part of issue 19. These tests are of the read model, so the reports skip it.
    return {"CREATE_TABLE": "no"} if store.startswith("postgresql") else {}


def _clean(done: Done) -> None:
    assert "Traceback" not in done.err, done.err


def test_six_reports_at_once_after_a_load_all_answer_alike(store: str, tmp_path: Path) -> None:
    loaded(store, generated(tmp_path, 300))
    reports = at_once(store, [SCORECARD] * 6, env=_reporting_env(store))
    for done in reports:
        _clean(done)
        assert done.code == 0, done.err
    assert len({done.out for done in reports}) == 1
    assert json.loads(reports[0].out)  # a real answer, not an empty one


def test_two_reports_at_once_answer_each_time(store: str, tmp_path: Path) -> None:
    loaded(store, generated(tmp_path, 100))
    for _ in range(3):
        run(store, "projections", "rebuild", "--json")
        assert run(store, "projections", "status", "--json").code == 0
        reports = at_once(store, [SCORECARD, ["plan-changes", "--json"]], env=_reporting_env(store))
        assert [done.code for done in reports] == [0, 0], [done.err for done in reports]


def test_reports_during_a_rebuild_answer_with_the_rebuilt_figures(store: str, tmp_path: Path) -> None:
    pytest.skip(
        "known defect, left open in issue 19: a report that runs while a rebuild is under way can read the read"
        " model part-rebuilt (seen on PostgreSQL: 0 adopted); the rebuild must hold readers off until it is done"
    )
    loaded(store, generated(tmp_path, 300))
    expected = run(store, *SCORECARD)
    assert expected.code == 0, expected.err
    results = at_once(
        store, [["projections", "rebuild", "--workers", "1", "--json"], *[SCORECARD] * 3], env=_reporting_env(store)
    )
    for done in results:
        _clean(done)
        assert done.code == 0, done.err
    assert [done.out for done in results[1:]] == [expected.out] * 3
    assert run(store, *SCORECARD).out == expected.out


def _history(store: str, child: str) -> list[dict[str, object]]:
    done = run(store, "history", child, "--json")
    assert done.code == 0, done.err
    found = json.loads(done.out)
    return list(found["events"] if isinstance(found, dict) else found)


@pytest.mark.parametrize("same_child", [True, False], ids=["one-child", "different-children"])
def test_eight_writers_at_once_each_recorded_once_or_refused_in_one_line(store: str, same_child: bool) -> None:
    assert run(store, "record", "entered-care", "C001", "--on", "2014-01-06", "--legal-status", "C2").code == 0
    if same_child:
        commands = [
            ["record", "review", "C001", "--on", f"2014-02-{day:02}", "--review-type", "looked-after"]
            for day in range(1, 9)
        ]
    else:
        commands = [
            ["record", "entered-care", f"D{n:03}", "--on", "2014-01-06", "--legal-status", "C2"] for n in range(1, 9)
        ]
    results = at_once(store, commands, env=_reporting_env(store))
    for done in results:
        _clean(done)
        if done.code != 0:
            lines = done.err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: "), done.err
    recorded = sum(1 for done in results if done.code == 0)
    assert recorded >= 1
    if same_child:
        reviews = [e for e in _history(store, "C001") if e.get("event") == "review"]
        assert len(reviews) == recorded
    else:
        assert recorded == 8  # no two of them touch the same stream
    verified = run(store, "verify", "--json")
    assert verified.code == 0 and json.loads(verified.out)["ok"], verified.out
