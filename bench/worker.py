"""Steps the benchmark runs in a fresh process, so each one's peak memory is its own.

``python -m bench.worker rebuild STORE`` drops and rebuilds the read models and prints
``{"events": N, "seconds": S}`` (the time inside the process, without interpreter start-up).
"""

from __future__ import annotations

import json
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
    return {"events": done.events, "children": done.children, "seconds": seconds}


def main(argv: list[str]) -> None:
    step, store = argv
    if step != "rebuild":
        raise SystemExit(f"unknown step {step!r}")
    print(json.dumps(rebuild(store)))


if __name__ == "__main__":
    main(sys.argv[1:])
