"""Running `journeys` as real processes at once, for the concurrency and corruption tests."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

JOURNEYS = str(Path(sys.executable).with_name("journeys"))
TIMEOUT = 300  # seconds: a hung process fails the test rather than the run
ROOT = Path(__file__).resolve().parent.parent.parent

# `journeys projections rebuild` as its library function runs it, in small windows of the log:
# after each window it writes it says so on stdout ("DONE TOTAL", as its progress is told) and
# waits for a line on stdin before it goes on, so that a test can act while it is part way; or
# it kills itself there (SIGKILL: no clean-up). "rebuilt POSITION" is its last line.
_REBUILD = textwrap.dedent(
    """
    import os, signal, sys
    from journeys import JourneysApp
    from projections.views import open_views, rebuild

    store, window, kill_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    app = JourneysApp(store)
    views = open_views(store)

    def progress(done, total):
        if kill_at and done >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        print(done, total, flush=True)
        sys.stdin.readline()

    done = rebuild(app, views, window=window, workers=1, progress=progress)
    print("rebuilt", done.position, flush=True)
    """
)


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


class SteppedRebuild:
    """A rebuild of a store in windows of ``window`` notification ids, in a process of its own
    that writes one window at each :meth:`step` (and the first when it starts); with
    ``kill_at``, killed by SIGKILL when it has written the window that reaches that
    notification id, before it says so."""

    def __init__(self, store: str, window: int, *, kill_at: int = 0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _REBUILD, store, str(window), str(kill_at)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "JOURNEYS_USER": "tester", "JOURNEYS_LA": "825"},
        )
        self.total = 0
        self.reached: int | None = None  # the notification id the windows written reach; None once it has ended
        self.ended_at: int | None = None  # the position it said it rebuilt to
        self.said: list[str] = []  # every line it wrote
        self._read()

    def _read(self) -> None:
        assert self.process.stdout is not None
        # one line is written at each step at most, so none waits in the reader's buffer
        if not select.select([self.process.stdout], [], [], TIMEOUT)[0]:
            self.process.kill()
            raise AssertionError(f"the rebuild said nothing for {TIMEOUT} s: hung")
        line = self.process.stdout.readline()
        self.said.append(line.strip())
        words = line.split()
        if len(words) == 2 and words[0] == "rebuilt":
            self.reached, self.ended_at = None, int(words[1])
        elif len(words) == 2:
            self.reached, self.total = int(words[0]), int(words[1])
        else:  # it ended without a word (killed, or failed: see finish)
            self.reached = None

    def step(self) -> None:
        """Let it write its next window (or what follows the last), and wait until it has."""
        assert self.process.stdin is not None and self.reached is not None
        try:
            self.process.stdin.write("\n")
            self.process.stdin.flush()
        except BrokenPipeError:  # it has ended meanwhile
            self.reached = None
            return
        self._read()

    def finish(self) -> Done:
        """Let it run to its end, and how it ended."""
        while self.reached is not None:
            self.step()
        out, err = self.process.communicate(timeout=TIMEOUT)
        return Done(self.process.returncode, out, err)
