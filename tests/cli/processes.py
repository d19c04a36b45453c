"""Running `journeys` as real processes at once, for the concurrency and corruption tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

JOURNEYS = str(Path(sys.executable).with_name("journeys"))
TIMEOUT = 300  # seconds: a hung process fails the test rather than the run


@dataclass(frozen=True)
class Done:
    code: int
    out: str
    err: str


def start(store: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """``journeys --store STORE ARGS...`` started (not waited for), as user tester in LA 825."""
    settings = {**os.environ, "JOURNEYS_USER": "tester", "JOURNEYS_LA": "825", **(env or {})}
    return subprocess.Popen(
        [JOURNEYS, "--store", store, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=settings,
    )


def finish(process: subprocess.Popen[str]) -> Done:
    out, err = process.communicate(timeout=TIMEOUT)
    return Done(process.returncode, out, err)


def run(store: str, *args: str, env: dict[str, str] | None = None) -> Done:
    return finish(start(store, *args, env=env))


def at_once(store: str, commands: list[list[str]], env: dict[str, str] | None = None) -> list[Done]:
    """Every command started before any is waited for."""
    started = [start(store, *command, env=env) for command in commands]
    return [finish(process) for process in started]


def generated(folder: Path, children: int, seed: int = 1) -> Path:
    """A generated JSONL file of ``children`` journeys."""
    path = folder / f"generated-{children}-{seed}.jsonl"
    if not path.exists():
        done = subprocess.run(
            [JOURNEYS, "generate", "--children", str(children), "--seed", str(seed), "--out", str(path)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert done.returncode == 0, done.stderr
    return path


def loaded(store: str, path: Path) -> None:
    done = run(store, "load", str(path))
    assert done.code == 0, done.err
