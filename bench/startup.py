"""Start-up: `journeys --help`, `journeys --version` and `journeys show CHILD` as processes, each
against `sqlite-utils tables STORE` on the same store, the two alternating run by run.

    python -m bench.startup STORE CHILD LA [--runs N]

What a manager's loop over children pays per call before any work: the interpreter, the imports
and the parsing of the options. sqlite-utils (a click command line over SQLite) is the yardstick.
The project's bytecode is written first, as an install writes it (see :func:`compile_sources`).
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Protocol

from bench.measure import Process, run_process


@dataclass(frozen=True)
class Start:
    """One command's start: the medians (s) of its runs and of the yardstick's runs beside them,
    in wall time and in CPU time (user + system, which another process's load disturbs less)."""

    command: str
    seconds: float
    yardstick_seconds: float
    runs: int
    cpu_seconds: float = 0.0
    yardstick_cpu_seconds: float = 0.0

    @property
    def ratio(self) -> float:
        return self.seconds / self.yardstick_seconds

    @property
    def cpu_ratio(self) -> float:
        return self.cpu_seconds / self.yardstick_cpu_seconds if self.yardstick_cpu_seconds else float("nan")


# The packages whose bytecode a start reads.
PACKAGES = ("journeys", "projections", "cli")


def compile_sources() -> None:
    """Write the bytecode of the project's packages, as `pip install` does for an installed
    package (sqlite-utils's was written when it was installed) and as a first run does unless
    PYTHONDONTWRITEBYTECODE is set: without it, an editable install under that setting would
    compile every module it imports from source at every start, which no user's start pays."""
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec is not None else []:
            compileall.compile_dir(folder, quiet=1)


# sqlite-utils imports pandas and numpy whenever it finds them, and the benchmark's own pandas
# would add most of a second to its start; this runs it as its console script does where it is
# installed on its own (pipx, or a plain venv), so the yardstick is sqlite-utils, not pandas.
YARDSTICK = (
    "import sys; sys.modules['pandas'] = sys.modules['numpy'] = None; "
    "from sqlite_utils.cli import cli; sys.argv[0] = 'sqlite-utils'; sys.exit(cli())"
)


def sqlite_utils_command() -> list[str] | None:
    """`sqlite-utils` in this interpreter, without pandas and numpy; None if it is not installed."""
    if importlib.util.find_spec("sqlite_utils") is None:
        return None
    return [sys.executable, "-c", YARDSTICK]


def journeys_commands(journeys: Sequence[str], store: Path, child: str, la: str) -> dict[str, list[str]]:
    """The commands measured, by the name their figures are given."""
    return {
        "journeys --help": [*journeys, "--help"],
        "journeys --version": [*journeys, "--version"],
        "journeys show CHILD": [*journeys, "--store", str(store), "show", child, "--la", la],
    }


def starts(commands: dict[str, list[str]], yardstick: list[str], runs: int) -> list[Start]:
    """Each command run `runs` times, a run of the yardstick after each (so that a drift in the
    machine's speed weighs on both alike), after one untimed run of each to warm the caches."""
    for command in [*commands.values(), yardstick]:
        run_process(command)
    found = []
    for name, command in commands.items():
        own: list[Process] = []
        theirs: list[Process] = []
        for _ in range(runs):
            own.append(run_process(command))
            theirs.append(run_process(yardstick))
        found.append(
            Start(
                name,
                median(p.seconds for p in own),
                median(p.seconds for p in theirs),
                runs,
                median(p.cpu_seconds for p in own),
                median(p.cpu_seconds for p in theirs),
            )
        )
    return found


class Report(Protocol):
    """Where the figures go (bench.run's Results)."""

    def row(self, figure: str, value: str) -> None: ...

    def goal(
        self, name: str, ratio: float | None, target: str, met: bool | None, note: str = "", always: bool = False
    ) -> None: ...


GOAL = 1.0  # each start no slower than sqlite-utils's


def report(res: Report, journeys: Sequence[str], store: Path, child: str, la: str, runs: int) -> None:
    """Figure 7: each start's median beside the yardstick's, the ratios, and their goals."""
    yardstick = sqlite_utils_command()
    commands = journeys_commands(journeys, store, child, la)
    if yardstick is None:
        res.row("7. start-up against sqlite-utils tables", "not measured: sqlite-utils is not installed")
        for name in commands:
            res.goal(f"{name} start ≤ 1.0 × sqlite-utils tables", None, "≤ 1.0", None, "sqlite-utils not installed")
        return
    compile_sources()
    for start in starts(commands, [*yardstick, "tables", str(store)], runs):
        res.row(
            f"7. {start.command} / sqlite-utils tables, process medians of {start.runs} (ms)",
            f"{1000 * start.seconds:.0f} / {1000 * start.yardstick_seconds:.0f} (ratio {start.ratio:.2f}); "
            f"CPU {1000 * start.cpu_seconds:.0f} / {1000 * start.yardstick_cpu_seconds:.0f} "
            f"(ratio {start.cpu_ratio:.2f})",
        )
        res.goal(
            f"{start.command} start ≤ 1.0 × sqlite-utils tables", start.ratio, "≤ 1.0 (time ratio)",
            start.ratio <= GOAL, "same store, runs alternating", always=True,
        )  # fmt: skip


def main(argv: list[str] | None = None) -> list[Start]:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("child")
    parser.add_argument("la")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args(argv)
    yardstick = sqlite_utils_command()
    if yardstick is None:
        raise SystemExit("sqlite-utils is not installed (pip install -e '.[bench]')")
    journeys = [shutil.which("journeys") or "journeys"]
    commands = journeys_commands(journeys, args.store, args.child, args.la)
    compile_sources()
    found = starts(commands, [*yardstick, "tables", str(args.store)], args.runs)
    for start in found:
        verdict = "met" if start.ratio <= GOAL else "NOT met"
        print(
            f"{start.command:<22} {1000 * start.seconds:6.0f} ms   sqlite-utils tables "
            f"{1000 * start.yardstick_seconds:6.0f} ms   ratio {start.ratio:.2f} (goal ≤ {GOAL}: {verdict})   "
            f"CPU ratio {start.cpu_ratio:.2f}"
        )
    return found


if __name__ == "__main__":
    main()
