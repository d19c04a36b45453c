"""Steps the benchmark runs in a fresh process, so each one's peak memory is its own.

``python -m bench.worker rebuild STORE [WORKERS]`` drops and rebuilds the read models (with
the default number of processes, or WORKERS) and prints ``{"events": N, "seconds": S,
"peak_rss_mb": M, "workers_peak_rss_mb": W}``: the time inside the process, without
interpreter start-up; this process's own peak resident memory; and the largest peak of the
processes that derived windows for it (0 when there were none).

``python -m bench.worker load STORE FILE OUT ERR [--json]`` runs ``journeys --store STORE load
FILE --workers 1 [--json]`` in this process, its standard output and error written to OUT and
ERR, and prints ``{"exit": E, "seconds": S, "peak_rss_mb": M}``.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from contextlib import redirect_stderr, redirect_stdout

from journeys import JourneysApp


def rebuild(store: str, workers: int | None = None) -> dict[str, float]:
    from projections.read_model import projection_rebuild

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


def load(store: str, jsonl: str, out: str, err: str, *options: str) -> dict[str, float]:
    """`journeys load` in this process (one loading process), as a user runs it."""
    from cli.main import cli

    args = ["--store", store, "load", jsonl, "--workers", "1", *options]
    code: object = 0
    with (
        open(out, "w", encoding="utf-8") as stdout,
        open(err, "w", encoding="utf-8") as stderr,
        redirect_stdout(stdout),
        redirect_stderr(stderr),
    ):
        started = time.perf_counter()
        try:
            cli.main(args, prog_name="journeys")
        except SystemExit as done:
            code = done.code
        seconds = time.perf_counter() - started
    return {"exit": code if isinstance(code, int) else 1, "seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def main(argv: list[str]) -> None:
    if argv[:1] == ["load"] and len(argv) in (5, 6):
        print(json.dumps(load(*argv[1:])))
        return
    if len(argv) not in (2, 3) or argv[0] != "rebuild":
        raise SystemExit("usage: python -m bench.worker rebuild STORE [WORKERS] | load STORE FILE OUT ERR [--json]")
    print(json.dumps(rebuild(argv[1], int(argv[2]) if len(argv) == 3 else None)))


if __name__ == "__main__":
    main(sys.argv[1:])
