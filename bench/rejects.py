"""Figure 8: the peak memory of a load that rejects most of its lines.

    python -m bench.rejects VALID.jsonl [--rejected N] [--workdir DIR]

The valid lines of VALID.jsonl (the 10k set's) with N bad lines spread among them, six kinds
in turn: a line that is not JSON, a date that is not one, an unknown kind of event, an
unknown local authority, a date in the future, and a disruption in 2000 for the child of the
next valid line (its rules refuse it; that child's later lines make it worth trying again,
so the load tries it once more after the file, and it is refused again). `journeys load FILE
--json` and `journeys load FILE` run as processes, in one loading process (`--workers 1`, so
that the figures compare one process with one); their peak resident memory (wait4's
ru_maxrss) against the load of the valid lines alone. A load writes its rejects to disk as
they come, so its memory must not grow with them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from bench.measure import journeys_command
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


def load(journeys: Sequence[str], store: Path, jsonl: Path, *, as_json: bool) -> Load:
    """`journeys load JSONL` into a new store as a process, its output written to files (a
    million rejects are hundreds of megabytes of it)."""
    for leftover in (store, store.with_name(store.name + "-wal"), store.with_name(store.name + "-shm")):
        leftover.unlink(missing_ok=True)
    args = [*journeys, "--store", str(store), "load", str(jsonl), "--workers", "1", *(["--json"] if as_json else [])]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(args, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) not in (0, 2):  # 2: lines were rejected
            err.seek(0)
            raise RuntimeError(f"{' '.join(args)} failed: {err.read()[-2000:].decode()}")
        out.seek(0)
        found = _COUNTS.search(out.read(400) if as_json else out.read())
    if found is None:
        raise RuntimeError(f"{' '.join(args)} printed no summary")
    loaded, rejected = (int(value) for value in found.groups() if value is not None)
    return Load(loaded, rejected, seconds, usage.ru_maxrss / 1024)


def report(res: Report, journeys: Sequence[str], work: Path, valid: Path, rejected: int) -> None:
    """Figure 8 and its goal: the load of ``valid`` alone, then with ``rejected`` bad lines."""
    mixed = work / "rejects.jsonl"
    write_with_rejects(valid, mixed, rejected)
    alone = load(journeys, work / "rejects.db", valid, as_json=True)
    with_json = load(journeys, work / "rejects.db", mixed, as_json=True)
    plain = load(journeys, work / "rejects.db", mixed, as_json=False)
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
        report(_Printed(), journeys_command(), work, args.valid, args.rejected)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
