"""Loads that meet other work on one store, as real processes, on SQLite and PostgreSQL: two loads
of the same file at once store every event once (a load that finds the other's events under its
batch says so in one `Error:` line, and running it again adds nothing to what the other stored),
and so do two imports of one 903 return; reports run while a load is under way all answer, and
answer alike once it is done."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from journeys import JourneysApp
from tests.cli.faults import REPORTS, Whole, generated_returns, same_as_whole, whole_run
from tests.cli.processes import TIMEOUT, Done, at_once, generated, run, start
from tests.helpers import Cli

CHILDREN = 300
ROUNDS = 2  # of reports at most, two at once, while the load runs


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(tmp_path_factory.mktemp("two-loads"), CHILDREN)


@pytest.fixture(scope="module")
def whole_load(jsonl: Path, tmp_path_factory: pytest.TempPathFactory) -> Whole:
    return whole_run(str(tmp_path_factory.mktemp("whole-load") / "whole.db"), "load", str(jsonl), "--quiet")


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_returns(tmp_path_factory.mktemp("two-imports"), CHILDREN)


@pytest.fixture(scope="module")
def whole_import(returns: Path, tmp_path_factory: pytest.TempPathFactory) -> Whole:
    store = str(tmp_path_factory.mktemp("whole-import") / "whole.db")
    return whole_run(store, "import-903", str(returns), "--la", "825", "--quiet")


def _answered_or_refused_in_one_line(done: Done) -> bool:
    """Whether a command succeeded; if not, it must have said why in one `Error:` line."""
    assert "Traceback" not in done.err, done.err
    if done.code == 0:
        return True
    lines = done.err.strip().splitlines()
    assert done.code == 1 and len(lines) == 1 and lines[0].startswith("Error: "), done.err
    return False


def test_two_loads_of_one_file_at_once_store_every_event_once(store: str, jsonl: Path, whole_load: Whole) -> None:
    lines = len(jsonl.read_text().splitlines())

    both = at_once(store, [["load", str(jsonl), "--batch-size", "20", "--json"]] * 2)

    finished = [json.loads(done.out) for done in both if _answered_or_refused_in_one_line(done)]
    assert finished, [done.err for done in both]
    for summary in finished:  # a load that finished accounts for every line: stored by it or by the other
        assert summary["loaded"] + summary["skipped"] == lines and summary["rejected"] == 0
    if len(finished) == 2:
        assert sum(summary["loaded"] for summary in finished) == lines
    same_as_whole(store, whole_load)
    again = Cli(store)("load", str(jsonl), "--json")
    assert again.exit_code == 0 and json.loads(again.output)["loaded"] == 0, again.output


def test_two_imports_of_one_return_at_once_store_every_event_once(
    store: str, returns: Path, whole_import: Whole
) -> None:
    command = ["import-903", str(returns), "--la", "825", "--batch-size", "20", "--json"]

    both = at_once(store, [command] * 2)

    finished = [done for done in both if _answered_or_refused_in_one_line(done)]
    assert finished, [done.err for done in both]
    for done in both:
        if done.code:  # the refusal names the command that was run, not another
            assert "run the same command again" in done.err and "load" not in done.err, done.err
    same_as_whole(store, whole_import)
    again = Cli(store)(*command)
    assert again.exit_code == 0 and json.loads(again.output)["events_appended"] == 0, again.output


def test_reports_run_while_a_load_is_under_way_all_answer(store: str, jsonl: Path, whole_load: Whole) -> None:
    watcher = JourneysApp(store)  # the store exists before the load, and the reports meet on it
    load = start(store, "load", str(jsonl), "--batch-size", "20", "--json")
    try:
        while load.poll() is None and not watcher.head():
            time.sleep(0.01)  # a report on a store that holds nothing yet says so (exit 1)
        rounds = 0
        while (load.poll() is None and rounds < ROUNDS) or rounds == 0:
            for done in at_once(store, REPORTS[:2]):
                assert done.code == 0 and "Traceback" not in done.err, done.err
                assert json.loads(done.out)["las"]
            rounds += 1
        out, err = load.communicate(timeout=TIMEOUT)
    finally:
        watcher.close()
        if load.poll() is None:
            load.kill()
            load.wait()
    assert load.returncode == 0, err
    assert json.loads(out)["loaded"] == len(jsonl.read_text().splitlines())
    same_as_whole(store, whole_load)
    assert run(store, *REPORTS[0]).out == whole_load.reports[0]
