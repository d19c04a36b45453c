"""kill -9 of `journeys load` and `journeys import-903` at several points, on SQLite and PostgreSQL,
then the same command again: the store then holds what an uninterrupted run gives (every journey
event for event, none twice), every chain verifies, and the reports give the same figures.

The points are chosen by progress (the events the store holds, watched from this process): just
after the first batch is saved, then half-way through the run again, then near the end of the next
(each kill in a re-run of the killed command); a load in two processes half-way; and a load while
it creates the store. The uninterrupted run is made once, on
a SQLite store: a journey's export is the same from either store.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.faults import (
    REPORTS,
    Whole,
    generated_returns,
    kill_at_stored,
    kill_when,
    same_as_whole,
    store_begun,
    verified,
    whole_run,
)
from tests.cli.processes import generated, start
from tests.helpers import Cli

CHILDREN = 300
BATCH = "10"  # small batches: many commits for a kill to fall between or inside


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(tmp_path_factory.mktemp("faults-load"), CHILDREN)


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_returns(tmp_path_factory.mktemp("faults-903"), CHILDREN)


@pytest.fixture(scope="module")
def whole_load(jsonl: Path, tmp_path_factory: pytest.TempPathFactory) -> Whole:
    return whole_run(str(tmp_path_factory.mktemp("whole-load") / "whole.db"), "load", str(jsonl), "--quiet")


@pytest.fixture(scope="module")
def whole_import(returns: Path, tmp_path_factory: pytest.TempPathFactory) -> Whole:
    store = str(tmp_path_factory.mktemp("whole-import") / "whole.db")
    return whole_run(store, "import-903", str(returns), "--la", "825", "--quiet")


# Where to kill: the number of stored events to wait for, of the whole run's.
POINTS: dict[str, Callable[[int], int]] = {
    "just after the first batch is saved": lambda whole: 1,
    "half-way": lambda whole: whole // 2,
    "near the end": lambda whole: whole * 17 // 20,
}


def _killed_part_way(store: str, at: int, whole: Whole, *command: str) -> None:
    killed = kill_at_stored(store, at, *command)
    assert "Traceback" not in killed.err
    assert 0 < killed.stored < whole.events, "the kill did not come part-way"
    verified(store)  # what was saved is whole batches, chained
    assert Cli(store)(*REPORTS[0]).exit_code == 0  # and a report answers meanwhile


def _killed_at_every_point(store: str, whole: Whole, *command: str) -> None:
    """``command`` killed at each of POINTS in turn, each time in a run of the same command again."""
    for point in POINTS.values():
        _killed_part_way(store, point(whole.events), whole, *command)


def test_a_load_killed_at_several_points_then_run_again_equals_an_uninterrupted_load(
    store: str, jsonl: Path, whole_load: Whole
) -> None:
    _killed_at_every_point(store, whole_load, "load", str(jsonl), "--batch-size", BATCH)

    again = Cli(store)("load", str(jsonl), "--json")

    assert again.exit_code == 0, again.output
    same_as_whole(store, whole_load)


def test_a_load_in_two_processes_killed_half_way_and_run_again_equals_an_uninterrupted_load(
    store: str, jsonl: Path, whole_load: Whole
) -> None:
    command = ("load", str(jsonl), "--batch-size", BATCH, "--workers", "2")
    _killed_part_way(store, whole_load.events // 2, whole_load, *command)

    again = Cli(store)("load", str(jsonl), "--workers", "2", "--json")

    assert again.exit_code == 0, again.output
    same_as_whole(store, whole_load)


def test_a_load_killed_while_it_creates_the_store_and_run_again_equals_an_uninterrupted_load(
    store: str, jsonl: Path, whole_load: Whole
) -> None:
    err = kill_when(start(store, "load", str(jsonl), "--batch-size", BATCH), store_begun(store))
    assert "Traceback" not in err

    again = Cli(store)("load", str(jsonl), "--json")

    assert again.exit_code == 0, again.output
    same_as_whole(store, whole_load)


def test_an_import_killed_at_several_points_then_run_again_equals_an_uninterrupted_import(
    store: str, returns: Path, whole_import: Whole
) -> None:
    _killed_at_every_point(store, whole_import, "import-903", str(returns), "--la", "825", "--batch-size", "5")

    again = Cli(store)("import-903", str(returns), "--la", "825", "--json")

    assert again.exit_code == 0, again.output
    same_as_whole(store, whole_import)
    assert '"events_appended": 0' in Cli(store)("import-903", str(returns), "--la", "825", "--json").output
