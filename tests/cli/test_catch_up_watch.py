"""`journeys projections catch-up --watch` keeps the read model fresh for BI readers: it
catches up, sleeps, and again; --times bounds it; Ctrl-C stops it cleanly (exit 0, one line)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers import Cli

JOURNEYS = Path(sys.executable).parent / "journeys"


def test_watch_catches_up_every_time_and_stops_after_times(run: Cli) -> None:
    assert run("record", "entered-care", "C1", "--on", "2015-01-05").exit_code == 0

    result = run("projections", "catch-up", "--watch", "--every", "0", "--times", "3", "--json")

    assert result.exit_code == 0, result.output
    rounds = [json.loads(line) for line in result.output.splitlines()]
    assert rounds[0]["events"] > 0 and [r["events"] for r in rounds[1:]] == [0, 0]
    assert all(r["position"] == r["head"] for r in rounds)
    status = json.loads(run("projections", "status", "--json").output)
    assert (status["behind"], status["rows"]) == (0, 1)


def test_times_without_watch_is_a_usage_error(run: Cli) -> None:
    result = run("projections", "catch-up", "--times", "2")
    assert result.exit_code == 2
    assert "--times needs --watch" in result.output


def test_a_running_watch_applies_new_events_and_stops_cleanly_on_ctrl_c(run: Cli) -> None:
    env = {**os.environ, "JOURNEYS_LA": "825", "JOURNEYS_USER": "tester"}
    watch = subprocess.Popen(
        [str(JOURNEYS), "--store", run.store, "projections", "catch-up", "--watch", "--every", "0.2", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert watch.stdout is not None
        assert json.loads(watch.stdout.readline())["events"] == 0
        recorded = subprocess.run(
            [str(JOURNEYS), "--store", run.store, "record", "entered-care", "C1", "--on", "2015-01-05"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert recorded.returncode == 0, recorded.stderr
        while json.loads(watch.stdout.readline())["events"] == 0:
            pass  # the round after the record applies it
        watch.send_signal(signal.SIGINT)
        _, err = watch.communicate(timeout=30)
    finally:
        if watch.poll() is None:
            watch.kill()
    assert watch.returncode == 0, err
    assert err.strip().startswith("Stopped after ") and "Traceback" not in err
    assert json.loads(run("projections", "status", "--json").output)["behind"] == 0
