"""Figure 8: the peak memory of a load that rejects most of its lines.

    python -m bench.rejects VALID.jsonl [--rejected N] [--workdir DIR]

The valid lines of VALID.jsonl (the 10k set's) with N bad lines spread among them, six kinds
in turn: a line that is not JSON, a date that is not one, an unknown kind of event, an
unknown local authority, a date in the future, and a disruption in 2000 for the child of the
next valid line (its rules refuse it; that child's later lines make it worth trying again,
so the load tries it once more after the file, and it is refused again). `journeys load FILE
--json` and `journeys load FILE`, each in a fresh process of its own (bench.worker) and in
one loading process (`--workers 1`, so that the figures compare one process with one): their
peak resident memory (VmHWM) against the load of the valid lines alone. A load writes its
rejects to disk as they come, so its memory must not grow with them.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import orjson

from bench.measure import run_process
from bench.startup import Report

GOAL = 1.5  # peak memory with the rejects against without them


def write_with_rejects(valid: Path, out: Path, rejected: int) -> None:
    """``out``: the lines of ``valid`` with ``rejected`` bad lines spread evenly among them."""
    lines = valid.read_bytes().splitlines()
    per_line, extra = divmod(rejected, len(lines))
    bad = 0
    with out.open("wb") as handle:
        for index, line in enumerate(lines):
            head = orjson.loads(line)
            for _ in range(per_line + (index < extra)):
                handle.write(_bad(bad, head["la"], head["child"]) + b"\n")
                bad += 1
            handle.write(line + b"\n")


def _bad(number: int, la: str, child: str) -> bytes:
    """The ``number``-th bad line, near a line of ``child`` (each of six kinds in turn)."""
    kind = number % 6
    line: dict[str, object] = {
        "la": la,
        "child": child,
        "event": "review",
        "on": "2015-06-01",
        "review_type": "adoption",
    }
    if kind == 0:
        return orjson.dumps(line)[:-9]  # cut short: not JSON
    if kind == 1:
        line["on"] = "31/13/2015"
    elif kind == 2:
        line["event"] = "moon-landing"
    elif kind == 3:
        line["la"] = "999"
    elif kind == 4:
        line["on"] = "2099-01-01"
    else:  # refused by the child's rules whatever its later lines: tried again, and refused again
        line.update(event="disruption", on="2000-01-03", reason="keyed against the wrong child")
        del line["review_type"]
    return orjson.dumps(line)


@dataclass(frozen=True)
class Load:
    loaded: int
    rejected: int
    seconds: float
    peak_rss_mb: float


_COUNTS = re.compile(rb'"loaded": (\d+),\s+"skipped": \d+,\s+"rejected": (\d+)|loaded (\d+), .* rejected (\d+)')


def load(store: Path, jsonl: Path, *, as_json: bool) -> Load:
    """`journeys load JSONL` into a new store, in a fresh process of its own (bench.worker), its
    output written to files (a million rejects are hundreds of megabytes of it)."""
    for leftover in (store, store.with_name(store.name + "-wal"), store.with_name(store.name + "-shm")):
        leftover.unlink(missing_ok=True)
    out, err = store.with_suffix(".out"), store.with_suffix(".err")
    args = [sys.executable, "-m", "bench.worker", "load", str(store), str(jsonl), str(out), str(err)]
    done = run_process([*args, *(["--json"] if as_json else [])])
    figures = json.loads(done.stdout)
    if figures["exit"] not in (0, 2):  # 2: lines were rejected
        raise RuntimeError(f"journeys load {jsonl} failed: {err.read_text(encoding='utf-8')[-2000:]}")
    with out.open("rb") as handle:
        found = _COUNTS.search(handle.read(400) if as_json else handle.read())
    out.unlink()
    err.unlink()
    if found is None:
        raise RuntimeError(f"journeys load {jsonl} printed no summary")
    loaded, rejected = (int(value) for value in found.groups() if value is not None)
    return Load(loaded, rejected, float(figures["seconds"]), float(figures["peak_rss_mb"]))


def report(res: Report, work: Path, valid: Path, rejected: int) -> None:
    """Figure 8 and its goal: the load of ``valid`` alone, then with ``rejected`` bad lines."""
    mixed = work / "rejects.jsonl"
    write_with_rejects(valid, mixed, rejected)
    alone = load(work / "rejects.db", valid, as_json=True)
    with_json = load(work / "rejects.db", mixed, as_json=True)
    plain = load(work / "rejects.db", mixed, as_json=False)
    for done in (with_json, plain):
        if (done.loaded, done.rejected) != (alone.loaded, rejected):
            raise RuntimeError(f"the load of {mixed} loaded {done.loaded} and rejected {done.rejected} lines")
    res.row(
        f"12. load peak RSS, {alone.loaded:,} lines alone / with {rejected:,} rejected, --json / without (MB)",
        f"{alone.peak_rss_mb:.0f} / {with_json.peak_rss_mb:.0f} / {plain.peak_rss_mb:.0f}",
    )
    res.row(
        f"12. load with {rejected:,} rejected lines, --json / without (s, one process)",
        f"{with_json.seconds:.1f} / {plain.seconds:.1f}",
    )
    ratio = max(with_json.peak_rss_mb, plain.peak_rss_mb) / alone.peak_rss_mb
    res.goal(
        f"load memory with {rejected:,} rejected lines < {GOAL} × without", ratio, f"< {GOAL}", ratio < GOAL,
        "the larger of --json and without", always=True,
    )  # fmt: skip


class _Printed:
    def row(self, figure: str, value: str) -> None:
        print(f"{figure:<58} {value}", flush=True)

    def goal(
        self, name: str, ratio: float | None, target: str, met: bool | None, note: str = "", always: bool = False
    ) -> None:
        print(f"goal: {name}: {ratio:.3f} (target {target}, {'met' if met else 'NOT met'})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.rejects", description=__doc__.splitlines()[0])
    parser.add_argument("valid", type=Path, help="A JSONL file whose every line loads.")
    parser.add_argument("--rejected", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="journeys-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        report(_Printed(), work, args.valid, args.rejected)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
