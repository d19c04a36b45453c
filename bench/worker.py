"""Steps the benchmark runs in a fresh process, so each one's peak memory is its own.

``python -m bench.worker rebuild STORE [WORKERS]`` drops and rebuilds the read models (with
the default number of processes, or WORKERS) and prints ``{"events": N, "seconds": S,
"peak_rss_mb": M, "workers_peak_rss_mb": W}``: the time inside the process, without
interpreter start-up; this process's own peak resident memory; and the largest peak of the
processes that derived windows for it (0 when there were none).
"""

from __future__ import annotations

import json
import resource
import sys
import time

from journeys import JourneysApp
from projections.reports import projection_rebuild


def rebuild(store: str, workers: int | None = None) -> dict[str, float]:
    app = JourneysApp(store)
    try:
        started = time.perf_counter()
        done = projection_rebuild(app, workers=workers)
        seconds = time.perf_counter() - started
    finally:
        app.close()
    return {
        "events": done.events,
        "children": done.children,
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        # the deriving processes have ended and been waited for: the largest one's peak
        "workers_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). Unlike ru_maxrss, which a child
    inherits from the process that forked it, VmHWM starts afresh at exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> None:
    if len(argv) not in (2, 3) or argv[0] != "rebuild":
        raise SystemExit("usage: python -m bench.worker rebuild STORE [WORKERS]")
    print(json.dumps(rebuild(argv[1], int(argv[2]) if len(argv) == 3 else None)))


if __name__ == "__main__":
    main(sys.argv[1:])
