"""Several people at once on one store, as real processes: reports after a load all answer
with the same figures, reports and a reader of the tables during a rebuild see the old read
model or the rebuilt one and never a part-rebuilt one, and concurrent writers to one child or
to many each get their decision recorded once or one `Error:` line."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.cli.processes import Done, SteppedRebuild, at_once, finish, generated, loaded, run, start
from tests.cli.read_model import Observation, Watch, observe, rebuild_tables_left, tables, watching

SCORECARD = ["scorecard", "--period", "2012-15", "--json"]


def _clean(done: Done) -> None:
    assert "Traceback" not in done.err, done.err


def test_six_reports_at_once_after_a_load_all_answer_alike(store: str, tmp_path: Path) -> None:
    loaded(store, generated(tmp_path, 300))
    reports = at_once(store, [SCORECARD] * 6)
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
        reports = at_once(store, [SCORECARD, ["plan-changes", "--json"]])
        assert [done.code for done in reports] == [0, 0], [done.err for done in reports]


def _only_complete(watch: Watch, complete: Observation) -> None:
    """Every read the watching reader made saw the complete read model (old or rebuilt)."""
    assert watch.failure is None, watch.failure
    assert watch.seen
    partial = [o for o in watch.seen if (o.figures, o.position) != (complete.figures, complete.position)]
    assert not partial, f"{len(partial)} of {len(watch.seen)} reads saw a part-rebuilt read model: {partial[:3]}"


def test_reports_during_a_rebuild_answer_with_the_rebuilt_figures(store: str, tmp_path: Path) -> None:
    loaded(store, generated(tmp_path, 300))
    expected = run(store, *SCORECARD)  # the read model caught up: what every report must answer
    assert expected.code == 0, expected.err
    complete = observe(store)
    assert complete.figures[1] > 0, "no adoption in the generated history"

    # A rebuild in small windows, let go on one window at a time while three reports run, and
    # never to its end before they have ended; a reader reads the tables throughout.
    window = 100
    for _ in range(3):
        with watching(store) as watch:
            rebuild = SteppedRebuild(store, window)
            last = window * (-(-rebuild.total // window) - 1)  # where the last window but one ends
            assert last >= 3 * window, rebuild.total
            running = [start(store, *SCORECARD) for _ in range(3)]
            assert rebuild.reached is not None and 0 < rebuild.reached < rebuild.total  # part way
            while any(process.poll() is None for process in running):
                if rebuild.reached is not None and rebuild.reached < last:
                    rebuild.step()  # a window written while the reports run
                time.sleep(0.02)
            reports = [finish(process) for process in running]
            assert rebuild.reached is not None and rebuild.reached < rebuild.total  # still part way
            rebuilt = rebuild.finish()
        _only_complete(watch, complete)
        assert watch.during_rebuild(), "the reader never saw the rebuild under way"
        assert rebuilt.code == 0, rebuilt.err
        assert rebuild.ended_at == complete.position
        for done in reports:
            _clean(done)
            assert done.code == 0, done.err
            assert done.out == expected.out

    # The command itself, with reports started at the same moment, twice (how much of it the
    # reports and the reader overlap depends on the machine; the rounds above are the proof).
    for _ in range(2):
        with watching(store) as watch:
            results = at_once(store, [["projections", "rebuild", "--workers", "1", "--json"], *[SCORECARD] * 3])
        _only_complete(watch, complete)
        for done in results:
            _clean(done)
            assert done.code == 0, done.err
        assert json.loads(results[0].out)["position"] == complete.position
        assert [done.out for done in results[1:]] == [expected.out] * 3
    assert run(store, *SCORECARD).out == expected.out


@pytest.mark.parametrize("ending_first", ["first", "second"], ids=["first-begun-ends-first", "second-begun-ends-first"])
def test_two_rebuilds_at_once_both_end_with_the_tables_of_one(store: str, tmp_path: Path, ending_first: str) -> None:
    loaded(store, generated(tmp_path, 300))
    assert run(store, "projections", "rebuild", "--json").code == 0
    alone = tables(store)
    head = observe(store).position

    first = SteppedRebuild(store, 100)
    first.step()
    first.step()  # three windows of its tables written
    second = SteppedRebuild(store, 100)  # makes those tables afresh and writes its first window
    for rebuild in [first, second] if ending_first == "first" else [second, first]:
        done = rebuild.finish()
        assert done.code == 0, done.err
        assert rebuild.ended_at == head
    assert tables(store) == alone
    assert not rebuild_tables_left(store)


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
    results = at_once(store, commands)
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
