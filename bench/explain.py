"""Figure 8: what `--explain` costs a scorecard.

`journeys scorecard --period P --json` with and without `--explain`, as processes on the same
store, the two alternating run by run (so that a drift in the machine's speed weighs on both
alike), after one untimed run of each; and the same two reports called in one process. The
plain report reads the monthly sums of `adoption_months`; explained, it reads the adopted
children's summary rows and their streams, and prints every child of every figure.

    python -m bench.explain STORE [--period 2015-18] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Protocol

from bench.measure import run_process
from journeys import JourneysApp
from projections import reports

GOAL = 2.0  # the explained scorecard no slower than twice the plain one


@dataclass(frozen=True)
class Overhead:
    """Medians (s) of the plain and explained scorecard, as processes and in one process."""

    plain: float
    explained: float
    plain_call: float
    explained_call: float
    runs: int
    figures: int
    rows: int

    @property
    def ratio(self) -> float:
        return self.explained / self.plain

    @property
    def call_ratio(self) -> float:
        return self.explained_call / self.plain_call


def measure(journeys: Sequence[str], store: Path, period: str, runs: int) -> Overhead:
    plain = [*journeys, "--store", str(store), "scorecard", "--period", period, "--json"]
    explained = [*plain, "--explain"]
    out = json.loads(run_process(explained).stdout)
    run_process(plain)
    figures = [f for report in out["by_la"].values() for f in report["explain"].values()]
    own, theirs = [], []
    for _ in range(runs):
        own.append(run_process(plain).seconds)
        theirs.append(run_process(explained).seconds)
    calls: dict[bool, list[float]] = {False: [], True: []}
    app = JourneysApp(str(store))
    try:
        for _ in range(runs):
            for explain in (False, True):
                started = time.perf_counter()
                reports.scorecard(app, period=period, explain=explain)
                calls[explain].append(time.perf_counter() - started)
    finally:
        app.close()
    rows = sum(len(f["children"]) for f in figures)
    return Overhead(median(own), median(theirs), median(calls[False]), median(calls[True]), runs, len(figures), rows)


class Report(Protocol):
    """Where the figures go (bench.run's Results)."""

    def row(self, figure: str, value: str) -> None: ...

    def goal(
        self, name: str, ratio: float | None, target: str, met: bool | None, note: str = "", always: bool = False
    ) -> None: ...


def report(res: Report, journeys: Sequence[str], store: Path, period: str, runs: int) -> None:
    """Figure 8: the two process medians, the ratio and its goal; the in-process figures beside them."""
    found = measure(journeys, store, period, runs)
    res.row(
        f"8. scorecard --json / with --explain, process medians of {found.runs} (ms)",
        f"{1000 * found.plain:.0f} / {1000 * found.explained:.0f} (ratio {found.ratio:.2f})",
    )
    res.row(
        "8. the same two reports called in one process, medians (ms)",
        f"{1000 * found.plain_call:.1f} / {1000 * found.explained_call:.0f} (ratio {found.call_ratio:.0f})",
    )
    res.row("8. figures explained / child rows listed", f"{found.figures} / {found.rows}")
    res.goal(
        "scorecard --explain ≤ 2 × the plain scorecard", found.ratio, "≤ 2 (time ratio)", found.ratio <= GOAL,
        f"processes, runs alternating; in one process {found.call_ratio:.0f}× (the plain report reads monthly sums)",
        always=True,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> Overhead:
    parser = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--period", default="2015-18")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    found = measure([shutil.which("journeys") or "journeys"], args.store, args.period, args.runs)
    print(
        f"scorecard --json {1000 * found.plain:.0f} ms, with --explain {1000 * found.explained:.0f} ms "
        f"(ratio {found.ratio:.2f}); in one process {1000 * found.plain_call:.1f} / "
        f"{1000 * found.explained_call:.0f} ms; {found.figures} figures, {found.rows} rows"
    )
    return found


if __name__ == "__main__":
    main()
