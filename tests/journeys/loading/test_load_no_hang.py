"""A parallel load on PostgreSQL neither hangs nor leaves orphans: a loading process that cannot
progress stops the load with an error, the processes end with the process that started them, and
loads in a row with the batch size that used to hang all finish.

Waits here are bounded only so that a regression fails instead of hanging the suite; no test
asserts how long anything takes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeys import JourneysApp, StoreError
from journeys.loading.parallel import load_file
from journeys.synthetic.generator import generate
from tests.helpers import HANG_GUARD, POSTGRES_URL, ROOT, events_locked, store_schema

pytestmark = pytest.mark.postgres

JOURNEYS = str(Path(sys.executable).parent / "journeys")


def _generated(tmp_path: Path, children: int) -> Path:
    path = tmp_path / "journeys.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in generate(children, 1, las=3)))
    return path


def _stored(store: str) -> int:
    app = JourneysApp(store)
    try:
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()


def test_a_loading_process_that_cannot_progress_stops_the_load_with_an_error(
    postgres_store: str, tmp_path: Path
) -> None:
    path = _generated(tmp_path, 200)
    app = JourneysApp(postgres_store)
    try:
        with events_locked(postgres_store), pytest.raises(StoreError) as stopped:
            load_file(app, path, default_la=None, recorded_by="test", batch_size=50, workers=2, stall_seconds=5)
        assert "made no progress for 5 seconds" in str(stopped.value)
        assert "run the same load again" in stopped.value.remedy
        assert _stored(postgres_store) == 0
        again = load_file(app, path, default_la=None, recorded_by="test", batch_size=50, workers=2)
        assert again.loaded == len(path.read_text().splitlines())
        assert app.verify().tampered == []
    finally:
        app.close()


def _children_of(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting to be reaped is not)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _waiting_for_locks(store: str) -> int:
    """How many sessions wait for a lock on ``store``'s tables (read on a connection of its own: within a transaction
    pg_stat_activity keeps the view of its first read)."""
    import psycopg

    assert POSTGRES_URL
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s",
            (f'%"{store_schema(store)}"%',),
        ).fetchone()
    return int(row[0]) if row else 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads processes from /proc")
def test_the_loading_processes_end_when_the_load_is_killed(postgres_store: str, tmp_path: Path) -> None:
    path = _generated(tmp_path, 200)
    _stored(postgres_store)  # the tables, made before the lock is taken
    workers: list[int] = []
    with events_locked(postgres_store):  # the workers wait for it: alone they would never end
        load = subprocess.Popen(
            [JOURNEYS, "--store", postgres_store, "load", str(path), "--workers", "2", "--batch-size", "50"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + HANG_GUARD
            while not _waiting_for_locks(postgres_store) and time.monotonic() < deadline:
                time.sleep(0.1)
            # the two loading processes, and on spawn multiprocessing's resource tracker
            workers = [pid for pid in _children_of(load.pid) if _running(pid)]
            assert len(workers) >= 2, "the load did not start its two processes"
            load.send_signal(signal.SIGKILL)
            load.wait()
            deadline = time.monotonic() + HANG_GUARD
            while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not any(_running(pid) for pid in workers), "loading processes outlived the load"
        finally:
            for pid in workers:  # only after a failure: the processes this test started
                if _running(pid):
                    os.kill(pid, signal.SIGKILL)
            if load.poll() is None:
                load.kill()
                load.wait()
    assert _stored(postgres_store) == 0


# Loads in a row of each series. A small file: each of the processes gets one batch, and the
# batch that waited for the events table's lock and hung is held by tests/journeys/storage/test_postgres_locks.py.
LOADS_IN_A_ROW = 20


@pytest.mark.slow
@pytest.mark.parametrize("workers", [2, 4])
def test_parallel_loads_in_a_row_all_finish(tmp_path: Path, workers: int) -> None:
    path = _generated(tmp_path, 150)
    lines = len(path.read_text().splitlines())
    for _ in range(LOADS_IN_A_ROW):
        for store in _fresh_store():
            done = subprocess.run(
                [JOURNEYS, "--store", store, "load", str(path), "--workers", str(workers), "--json"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=HANG_GUARD,
                check=False,
            )
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)["loaded"] == lines
            app = JourneysApp(store)
            try:
                assert app.verify().tampered == []
            finally:
                app.close()


def _fresh_store() -> Iterator[str]:
    from tests.helpers import postgres_schema_url

    yield from postgres_schema_url()
