"""Figures 8 and 9: tamper evidence. `journeys verify`, `journeys checkpoint` and `journeys verify
--against` on the full store as processes; and the mutation test at its full count: single
mutations of a checkpointed store (tests/mutations.py), every one to be found, naming its child.

    python -m bench.evidence STORE [--mutations N]

Nothing here is a test: the times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import orjson

from bench.measure import run_process
from journeys import JourneysApp, generate_key, load_signing_key, save_checkpoint
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate
from tests.mutations import KINDS, table_of, undetected

# The goal: `verify --against` of a national store (about 1.4M events) within a minute.
GOAL_SECONDS = 60.0
# The store the mutations are made in: small, so that each check is quick, with corrections
# and retractions among its journeys (generated, seed 11).
MUTATION_CHILDREN = 30
MUTATIONS = 10_000


class Report(Protocol):
    def row(self, figure: str, value: str) -> None: ...
    def goal(
        self, name: str, ratio: float | None, target: str, met: bool | None, note: str = "", always: bool = False
    ) -> None: ...


def verify_figures(res: Report, journeys: Sequence[str], store: Path, work: Path, *, national: bool) -> None:
    """Figure 8: `verify`, `checkpoint` and `verify --against` on ``store``, each as a process."""
    key, checkpoint = work / "bench-key.pem", work / "bench-checkpoint.json"
    for leftover in (key, checkpoint):
        leftover.unlink(missing_ok=True)
    run_process([*journeys, "checkpoint", "keygen", "--out", str(key)])
    base = [*journeys, "--store", str(store)]
    plain = run_process([*base, "verify", "--json"])
    events = int(json.loads(plain.stdout)["events"])
    made = run_process([*base, "checkpoint", "--out", str(checkpoint), "--key", str(key), "--json"])
    against = run_process([*base, "verify", "--against", str(checkpoint), "--json"])
    if not json.loads(against.stdout)["ok"]:
        raise RuntimeError("the untouched store failed its own checkpoint")
    streams = int(json.loads(made.stdout)["streams"])
    for name, done in (("verify", plain), ("checkpoint", made), ("verify --against", against)):
        res.row(
            f"9. {name} of {events:,} events (s; events/s; CPU s)",
            f"{done.seconds:.1f}; {events / done.seconds:,.0f}; {done.cpu_seconds:.1f}",
        )
    size = checkpoint.stat().st_size
    res.row("9. checkpoint file (bytes; per journey)", f"{size:,}; {size / max(streams, 1):.0f}")
    res.row("9. verify --against / verify (time ratio)", f"{against.seconds / plain.seconds:.2f}")
    res.goal(
        "verify --against of the national store (1.4M events) ≤ 60 s",
        against.seconds if national else None, "≤ 60 s",
        against.seconds <= GOAL_SECONDS if national else None,
        f"{events:,} events in {against.seconds:.1f} s" + ("" if national else " at this scale"), always=True,
    )  # fmt: skip


def mutation_figures(res: Report, work: Path, count: int) -> None:
    """Figure 9: ``count`` single mutations of a checkpointed store, each checked and undone."""
    folder = work / "mutations"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    store = str(folder / "journeys.db")
    app = JourneysApp(store)
    table = table_of(store)
    try:
        lines = [orjson.dumps(line).decode() for line in generate(MUTATION_CHILDREN, 11, las=2)]
        load_lines(app, read_lines(lines, None), recorded_by="bench", source_name="mutations")
        generate_key(folder / "key.pem")
        save_checkpoint(app, load_signing_key(folder / "key.pem"), folder / "checkpoint.json")
        before = table.fingerprint()
        started = time.perf_counter()
        missed, kinds = undetected(app, table, folder / "checkpoint.json", count, seed=2017)
        seconds = time.perf_counter() - started
        restored = table.fingerprint() == before
        events = app.head()
    finally:
        table.close()
        app.close()
    found = count - len(missed)
    res.row(
        f"10. single mutations of a checkpointed store ({MUTATION_CHILDREN} journeys, {events} events)",
        f"{count:,} made, {found:,} found naming their child"
        f" ({len(KINDS)} kinds, {min(kinds.values()):,} or more each)",
    )
    res.row("10. mutation test time (s; ms per mutation)", f"{seconds:.0f}; {1000 * seconds / count:.1f}")
    if missed or not restored:
        res.row("10. NOT FOUND", "; ".join(missed[:5]) or "the store was not restored")
    res.goal(
        f"every one of {count:,} mutations found, naming its child", found / count, "= 1",
        not missed and restored, f"{found:,} of {count:,}", always=True,
    )  # fmt: skip


class Printed:
    def row(self, figure: str, value: str) -> None:
        print(f"{figure:<58} {value}", flush=True)

    def goal(
        self, name: str, ratio: float | None, target: str, met: bool | None, note: str = "", always: bool = False
    ) -> None:
        print(f"goal: {name}: {note} ({'met' if met else 'not met' if met is False else 'not measured'})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.evidence", description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--mutations", type=int, default=MUTATIONS)
    parser.add_argument("--national", action="store_true", help="Hold verify --against to the national goal.")
    args = parser.parse_args(argv)
    found = shutil.which("journeys")
    journeys = [found] if found else [sys.executable, "-c", "from cli.main import main; main()"]
    with tempfile.TemporaryDirectory(prefix="journeys-evidence-") as work:
        verify_figures(Printed(), journeys, args.store, Path(work), national=args.national)
        if args.mutations:
            mutation_figures(Printed(), Path(work), args.mutations)


if __name__ == "__main__":
    main()
