"""kill -9 of `journeys projections rebuild` part-way, on SQLite and PostgreSQL: after each
kill the reports answer with the figures they gave before the rebuild, and a rebuild run again
finishes with the same figures and the same number of rows.

Only what the command line shows is held here (exit codes, report answers, `projections status`),
not how a rebuild keeps its work in progress. The points are chosen by the rebuild's own progress
bar, read from a pseudo-terminal as a person would see it: once the bar has moved (the first part
of the log is written, the rest not), in one process and in two.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.faults import OnTerminal, kill_when, reports
from tests.cli.processes import generated, loaded, run

# Enough children for the rebuild to write the log in several parts, so that a kill can come between them.
CHILDREN = 3000


def _status(store: str) -> dict[str, int]:
    done = run(store, "projections", "status", "--json")
    assert done.code == 0, done.err
    found = json.loads(done.out)
    return {key: found[key] for key in ("behind", "rows")}


@pytest.mark.slow
def test_a_rebuild_killed_part_way_leaves_the_reports_answering_and_a_re_run_finishes(
    store: str, tmp_path: Path
) -> None:
    loaded(store, generated(tmp_path, CHILDREN))
    expected = reports(store)
    settled = _status(store)
    assert settled["behind"] == 0 and settled["rows"] >= CHILDREN  # a row per period of care

    for workers in ("1", "2"):
        rebuild = OnTerminal(store, "projections", "rebuild", "--workers", workers)
        try:
            kill_when(rebuild.process, lambda: rebuild.percent() > 0)  # noqa: B023 (called at once)
            assert b"Traceback" not in rebuild.shown
        finally:
            rebuild.close()
        assert reports(store) == expected
        assert _status(store) == settled

    again = run(store, "projections", "rebuild", "--json")

    assert again.code == 0, again.err
    assert json.loads(again.out)["position"] == json.loads(again.out)["head"]
    assert _status(store) == settled
    assert reports(store) == expected
