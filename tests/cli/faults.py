"""What the fault tests share (tests/cli/test_faults.py and its neighbours): kill -9 of a real
`journeys` process at a point chosen by its progress, what an uninterrupted run leaves, and the
check that a store holds exactly that.

The point of a kill is chosen by watching the store from this process (how many events it
holds), so the kill lands wherever the command happens to be then: between batches, inside one,
or in a commit.
"""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from journeys import JourneysApp, export_lines
from tests.cli.processes import JOURNEYS, TIMEOUT, start
from tests.helpers import POSTGRES_URL, Cli, store_schema

_POLL_SECONDS = 0.002

# Reports whose answers an interrupted and an uninterrupted store must share (dates fixed, not today).
REPORTS = [
    ["scorecard", "--period", "2015-18", "--json"],
    ["counts", "--by", "year", "--json"],
    ["cohort", "--by", "po-year", "--census", "2023-09-30", "--json"],
]


# -- kill -9 at a point ---------------------------------------------------------------


@dataclass(frozen=True)
class Killed:
    """A command killed (SIGKILL) part-way: ``stored`` events were in the store when it was."""

    stored: int
    err: str


def kill_when(process: subprocess.Popen[str], ready: Callable[[], bool]) -> str:
    """SIGKILL ``process`` as soon as ``ready()`` holds; its stderr. Fails (AssertionError) if the
    process ended before it could be killed, so a test always knows the kill came part-way."""
    deadline = time.monotonic() + TIMEOUT
    try:
        while process.poll() is None and not ready():
            assert time.monotonic() < deadline, "the command never reached the point to kill it at"
            time.sleep(_POLL_SECONDS)
        process.send_signal(signal.SIGKILL)
        _, err = process.communicate(timeout=TIMEOUT)
        err = err or ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL, f"it ended by itself ({process.returncode}) before the kill: {err}"
    return err


def kill_at_stored(store: str, events: int, *args: str, env: dict[str, str] | None = None) -> Killed:
    """``journeys --store STORE ARGS...`` killed once the store holds ``events`` events or more
    (this process opens the store to watch it, so it exists before the command starts)."""
    watcher = JourneysApp(store)
    try:
        err = kill_when(start(store, *args, env=env), lambda: watcher.head() >= events)
        return Killed(stored_events(watcher), err)
    finally:
        watcher.close()


class OnTerminal:
    """``journeys --store STORE ARGS...`` started with its standard error on a pseudo-terminal, so
    that it draws its progress bar there, as for a person at the keyboard; :meth:`percent` is the
    most the bar has shown so far."""

    def __init__(self, store: str, *args: str) -> None:
        self._terminal, their_end = pty.openpty()
        settings = {**os.environ, "JOURNEYS_USER": "tester", "JOURNEYS_LA": "825"}
        self.process = subprocess.Popen(
            [JOURNEYS, "--store", store, *args], stdout=subprocess.PIPE, stderr=their_end, text=True, env=settings
        )
        os.close(their_end)
        os.set_blocking(self._terminal, False)
        self.shown = b""

    def percent(self) -> int:
        try:
            while chunk := os.read(self._terminal, 4096):
                self.shown += chunk
        except (BlockingIOError, OSError):  # nothing more yet, or (EIO) the process has closed its end
            pass
        return max((int(p) for p in re.findall(rb"(\d+)%", self.shown)), default=0)

    def close(self) -> None:
        os.close(self._terminal)


def store_begun(store: str) -> Callable[[], bool]:
    """Whether a new store has begun to exist: its file (SQLite) or its events table (PostgreSQL)."""
    if not store.startswith("postgresql"):
        return Path(store).exists
    import psycopg

    assert POSTGRES_URL
    table = f'"{store_schema(store)}".journeys_events'

    def begun() -> bool:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()
        return bool(row and row[0])

    return begun


# -- what a store holds -----------------------------------------------------------------


def stored_events(app: JourneysApp) -> int:
    """The events a store holds (counted: on PostgreSQL a killed transaction leaves a gap in the ids)."""
    return sum(1 for _ in app.notifications())


def journeys_in(store: str) -> dict[tuple[str, str], list[str]]:
    """Each child's events as `journeys export` writes them, in order, by (la, child): equal for two
    stores that hold the same journeys, whatever order their children were stored in."""
    app = JourneysApp(store)
    try:
        found: dict[tuple[str, str], list[str]] = {}
        for line in export_lines(app, plain=True):
            found.setdefault((str(line["la"]), str(line["child"])), []).append(json.dumps(line, sort_keys=True))
        return found
    finally:
        app.close()


def reports(store: str) -> list[str]:
    """The answers of REPORTS (each must answer)."""
    run = Cli(store)
    outputs = []
    for report in REPORTS:
        done = run(*report)
        assert done.exit_code == 0, done.output
        outputs.append(done.output)
    return outputs


def verified(store: str) -> None:
    app = JourneysApp(store)
    try:
        assert app.verify().tampered == []
    finally:
        app.close()


@dataclass(frozen=True)
class Whole:
    """What an uninterrupted run leaves: the journeys, the number of stored events, the reports."""

    journeys: dict[tuple[str, str], list[str]]
    events: int
    reports: list[str]


def whole_run(store: str, *command: str) -> Whole:
    """``journeys --store STORE COMMAND...`` run uninterrupted (in this process), and what it leaves."""
    done = Cli(store)(*command)
    assert done.exit_code == 0, done.output
    app = JourneysApp(store)
    try:
        events = stored_events(app)
    finally:
        app.close()
    return Whole(journeys_in(store), events, reports(store))


def same_as_whole(store: str, whole: Whole) -> None:
    """The store holds what the uninterrupted run left: the same journeys, no event twice, every
    chain verified, the same report answers."""
    assert journeys_in(store) == whole.journeys
    app = JourneysApp(store)
    try:
        assert stored_events(app) == whole.events  # none twice
    finally:
        app.close()
    verified(store)
    assert reports(store) == whole.reports


def generated_returns(folder: Path, children: int) -> Path:
    """A generated SSDA903 return of one local authority (825), for `journeys import-903 PATH --la 825`."""
    out = folder / "903"
    done = Cli(str(folder / "unused.db"))(
        "generate", "--children", str(children), "--seed", "1", "--format", "903", "--out", str(out)
    )
    assert done.exit_code == 0, done.output
    return out / "825"
