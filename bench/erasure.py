"""Figure 16: what an erasable store (sealing format 2: each child's identifying values stored
as tokens under its own key) costs a load and a rebuild, as its rate over a plain store's of the
same file, the two loaded and rebuilt in turn, each in one process.

``python -m bench.erasure [--scale smoke|default] [--rounds N] [--children N]`` runs it alone on
the scale's 10k file (or a file of N children), made afresh, and prints its rows.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from statistics import median
from typing import Any

from bench.encryption import GOAL, ROUNDS, _load_and_rebuild, _without_keys


def erasure_report(res: Any, work: Path, jsonl: Path, rounds: int = ROUNDS) -> None:
    """Rows and goals of figure 16, on ``jsonl``: a plain store and an erasable store loaded and
    rebuilt in turn, ``rounds`` times (so that neither always runs second, on warm caches)."""
    plain_env = {**_without_keys(), "JOURNEYS_ERASABLE": ""}
    erasable_env = {**plain_env, "JOURNEYS_ERASABLE": "1"}
    runs: dict[str, list[tuple[float, float]]] = {"plain": [], "erasable": []}
    for _ in range(rounds):
        runs["plain"].append(_load_and_rebuild(work / "format1.db", jsonl, plain_env))
        runs["erasable"].append(_load_and_rebuild(work / "format2.db", jsonl, erasable_env))
    plain = [median(r[i] for r in runs["plain"]) for i in (0, 1)]
    erasable = [median(r[i] for r in runs["erasable"]) for i in (0, 1)]
    load_ratio, rebuild_ratio = erasable[0] / plain[0], erasable[1] / plain[1]
    each = f"median of {rounds}, one process"
    res.row(f"16. load, plain / erasable store (events/s, {each})", f"{plain[0]:,.0f} / {erasable[0]:,.0f}")
    res.row(f"16. rebuild, plain / erasable store (events/s, {each})", f"{plain[1]:,.0f} / {erasable[1]:,.0f}")
    res.goal(
        f"load on an erasable store ≥ {GOAL} × plain", load_ratio, f"≥ {GOAL}", load_ratio >= GOAL,
        "protected values encrypted under each child's key", always=True,
    )  # fmt: skip
    res.goal(
        f"rebuild on an erasable store ≥ {GOAL} × plain", rebuild_ratio, f"≥ {GOAL}", rebuild_ratio >= GOAL,
        "tokens read back through the keys, read once", always=True,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    from bench.run import SCALES, SEED, Results, write_jsonl

    parser = argparse.ArgumentParser(prog="python -m bench.erasure", description="Figure 16 alone.")
    parser.add_argument("--scale", choices=["smoke", "default"], default=os.environ.get("BENCH_SCALE", "default"))
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument(
        "--children", type=int, default=None, help="Children of the file (default: the scale's 10k file)."
    )
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    children = args.children or scale.small_children
    res = Results(scale)
    with tempfile.TemporaryDirectory(prefix="journeys-bench-") as folder:
        work = Path(folder)
        jsonl = work / "children.jsonl"
        events = write_jsonl(jsonl, children)
        res.row("scale", f"{scale.name}: {events} events ({children} children), seed {SEED}")
        erasure_report(res, work, jsonl, args.rounds)


if __name__ == "__main__":
    main()
