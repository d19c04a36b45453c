"""The memory of `import-903`: a generated return of one LA imported into a new store in a fresh
process, whose own peak resident memory (VmHWM) is what is measured.

    python -m bench.import_903 FOLDER STORE     # prints {"rows": R, "events": E, "seconds": S, "peak_rss_mb": M}

The return is the history `journeys generate --format 903` writes for that many children, as one
return of one LA holding the whole history (`write_903(..., whole_history=True)`; the generator
itself writes one return per collection year). The import reads every table to its end first, keeping the rows
on disk sorted by child, then imports the children a chunk at a time: its memory should not
grow with the size of the return.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import run_process
from bench.startup import Report
from bench.worker import peak_rss_mb
from journeys import DEFAULT_END, JourneysApp, generate_journeys, import_903, read_903, write_903

# Children of the smaller and the larger return, by BENCH_SCALE.
IMPORT_CHILDREN = {"smoke": (50, 300), "default": (600, 6_000), "national": (6_000, 60_000)}
SEED = 2017
LA = "825"
GOAL = 2.0  # the larger return's peak memory below twice the smaller one's


def write_return(out: Path, children: int) -> Path:
    """A generated return of ``children`` children of one LA; the folder to import."""
    write_903(generate_journeys(children, SEED, las=1), out, DEFAULT_END.year, whole_history=True)
    return out / LA


def import_once(folder: Path, store: Path) -> dict[str, float]:
    """Import the return into a new store, in this process: rows, events, seconds, peak RSS (MB)."""
    app = JourneysApp(str(store))
    try:
        started = time.perf_counter()
        with read_903([folder]) as returns:
            done = import_903(app, returns, la=LA, recorded_by="bench")
        seconds = time.perf_counter() - started
    finally:
        app.close()
    if done.rows_rejected:
        raise RuntimeError(f"the generated return had {done.rows_rejected} rejected rows: {done.rejects[:3]}")
    return {
        "rows": sum(t.read for t in done.tables.values()),
        "events": done.appended,
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
    }


def measured(work: Path, children: int) -> dict[str, float]:
    """A return of ``children`` children written under ``work`` and imported by a fresh process."""
    folder = write_return(work / f"903-{children}", children)
    store = work / f"903-{children}.db"
    done = run_process([sys.executable, "-m", "bench.import_903", str(folder), str(store)])
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def report(res: Report, work: Path, scale: str) -> None:
    """Figure 6 (memory) for import-903: the peak at both sizes, its ratio and goal, and the speed."""
    small_children, full_children = IMPORT_CHILDREN[scale]
    small, full = measured(work, small_children), measured(work, full_children)
    ratio = full["peak_rss_mb"] / small["peak_rss_mb"]
    res.row(
        f"6. import-903 peak RSS at {small_children:,} / {full_children:,} children, one LA (MB)",
        f"{small['peak_rss_mb']:.0f} / {full['peak_rss_mb']:.0f}",
    )
    res.row(
        f"6. import-903 of {full_children:,} children: rows, events, rows/s",
        f"{full['rows']:,.0f}, {full['events']:,.0f}, {full['rows'] / full['seconds']:,.0f}",
    )
    res.goal(
        f"import-903 memory at {full_children:,} children < 2 × at {small_children:,}", ratio, "< 2", ratio < GOAL,
        "rows kept on disk sorted by child, imported a chunk of children at a time", always=True,
    )  # fmt: skip


def main(argv: list[str]) -> None:
    if len(argv) == 2:
        print(json.dumps(import_once(Path(argv[0]), Path(argv[1]))))
    elif len(argv) == 1 and argv[0] in IMPORT_CHILDREN:  # both sizes of a scale, printed
        with tempfile.TemporaryDirectory(prefix="journeys-bench-903-") as work:
            for children in IMPORT_CHILDREN[argv[0]]:
                print(children, json.dumps(measured(Path(work), children)))
    else:
        raise SystemExit("usage: python -m bench.import_903 FOLDER STORE | python -m bench.import_903 SCALE")


if __name__ == "__main__":
    main(sys.argv[1:])
