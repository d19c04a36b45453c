"""Steps the benchmark runs in a fresh process, so each one's peak memory is its own.

``python -m bench.worker rebuild STORE`` drops and rebuilds the read models and prints
``{"events": N, "seconds": S, "peak_rss_mb": M}`` (the time inside the process, without
interpreter start-up, and the process's own peak resident memory).
"""

from __future__ import annotations

import json
import resource
import sys
import time

from journeys import JourneysApp
from projections.reports import projection_rebuild


def rebuild(store: str) -> dict[str, float]:
    app = JourneysApp(store)
    try:
        started = time.perf_counter()
        done = projection_rebuild(app)
        seconds = time.perf_counter() - started
    finally:
        app.close()
    return {"events": done.events, "children": done.children, "seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). Unlike ru_maxrss, which a child
    inherits from the process that forked it, VmHWM starts afresh at exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> None:
    step, store = argv
    if step != "rebuild":
        raise SystemExit(f"unknown step {step!r}")
    print(json.dumps(rebuild(store)))


if __name__ == "__main__":
    main(sys.argv[1:])
