"""A rebuild killed part way (SIGKILL: no clean-up), as real processes on SQLite and PostgreSQL:
the tables the reports read are left as they were, reports answer with complete figures, and a
rebuild run again gives the tables an uninterrupted one gives."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from tests.cli.processes import SteppedRebuild, generated, loaded, run
from tests.cli.read_model import observe, rebuild_tables_left, tables

SCORECARD = ["scorecard", "--period", "2012-15", "--json"]
WINDOW = 100


def _rebuilt(store: str) -> None:
    done = run(store, "projections", "rebuild", "--json")
    assert done.code == 0, done.err
    assert json.loads(done.out)["position"] == json.loads(done.out)["head"]


@pytest.mark.parametrize("point", ["filling", "filled"], ids=["windows-written-3", "last-window-written"])
def test_a_killed_rebuild_leaves_the_read_model_whole_and_a_rerun_gives_the_uninterrupted_tables(
    store: str, tmp_path: Path, point: str
) -> None:
    loaded(store, generated(tmp_path, 300))
    _rebuilt(store)
    uninterrupted = tables(store)
    expected = run(store, *SCORECARD)
    assert expected.code == 0, expected.err
    head = observe(store).position

    # killed when it has written three windows of its tables, or all of them (not yet swapped in)
    kill_at = 3 * WINDOW if point == "filling" else head
    killed = SteppedRebuild(store, WINDOW, kill_at=kill_at).finish()
    assert killed.code == -signal.SIGKILL, killed.err
    assert tables(store) == uninterrupted  # the tables the reports read, as they were
    assert rebuild_tables_left(store), "the rebuild was killed before it began"  # it was part way
    report = run(store, *SCORECARD)
    assert report.code == 0, report.err
    assert report.out == expected.out

    # what is recorded after it: reports catch the old tables up, as ever
    recorded = run(store, "record", "entered-care", "K001", "--on", "2014-01-06", "--legal-status", "C2")
    assert recorded.code == 0, recorded.err
    assert run(store, *SCORECARD).code == 0
    status = json.loads(run(store, "projections", "status", "--json").out)
    assert status["position"] == status["head"] > head

    _rebuilt(store)  # run again: it starts afresh
    rerun = tables(store)
    assert not rebuild_tables_left(store)
    _rebuilt(store)  # and an uninterrupted one on the same log
    assert rerun == tables(store)
    assert rerun["child_summary"] != uninterrupted["child_summary"]  # the child recorded since is there
    assert run(store, *SCORECARD).out == expected.out
