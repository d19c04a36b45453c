"""Faults and load, counted (not timed): real processes on SQLite, and on PostgreSQL when a server
is named (BENCH_POSTGRES, else JOURNEYS_TEST_POSTGRES; each scenario in a schema of its own).

    python -m bench.faults                  # the default scale
    python -m bench.faults --scale smoke --markdown

On each store:

- writers to different children: N processes at once, each recording R decisions for children
  of its own (an entry into care, then reviews);
- writers to one child: N processes at once, each recording R reviews (each on a date of its
  own) for the same child; the loser of a race is tried once more, then refused with an error;
- two loads of one generated file at once;
- a load while report processes run, one after another, for as long as it does;
- a load killed (SIGKILL) at several points, each in a re-run of the killed load, then run once more.

Each row counts: events written (acknowledged by the writer, or, for a load, stored), lost (a
write acknowledged but not stored; for a load, a line of the file not stored once every load has
finished or been run again as its error said), duplicated (stored more than once), refused with
an error (a `JourneyError`, or one `Error:` line and exit 1), other failures (anything else: a
traceback, a report that did not answer), and whether every hash chain verifies.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

from bench.measure import journeys_command
from journeys import JourneyError, JourneysApp, export_lines, generate_journeys

LA = "825"
SEED = 19
REPORT = ["scorecard", "--period", "2015-18", "--json"]
IN_CARE = date(2000, 1, 3)  # when the children of the writers entered care; reviews follow day by day


@dataclass(frozen=True)
class Size:
    writers: int  # processes writing at once
    own_records: int  # decisions each writer records for children of its own
    one_child_records: int  # reviews each writer records for the one child
    children: int  # children of the generated file the load scenarios use
    batch: int  # lines per transaction in the load scenarios
    kills: tuple[float, ...]  # where a load is killed: the share of the whole run's events stored
    readers: int  # report processes at once while a load runs
    postgres: bool = True  # on PostgreSQL too, when a server is named


SIZES = {
    "smoke": Size(2, 5, 3, 40, 20, (0.5,), 1, postgres=False),  # that the code runs: SQLite only
    "default": Size(8, 300, 100, 2000, 100, (0.1, 0.3, 0.5, 0.7, 0.9), 4),
}
SIZES["national"] = SIZES["default"]  # counted, not timed: a larger store adds nothing to the counts


@dataclass(frozen=True)
class Outcome:
    store: str
    scenario: str
    processes: int
    written: int
    lost: int
    duplicated: int
    refused: int
    failed: int
    verified: bool
    note: str = ""

    @property
    def held(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and self.failed == 0 and self.verified


# -- stores ---------------------------------------------------------------------------


def postgres_url() -> str | None:
    return os.environ.get("BENCH_POSTGRES") or os.environ.get("JOURNEYS_TEST_POSTGRES") or None


@contextmanager
def fresh_store(kind: str, work: Path) -> Iterator[str]:
    """A store that does not exist yet: a SQLite path, or a new PostgreSQL schema (dropped after)."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="faults-", dir=work))
        try:
            yield str(folder / "journeys.db")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    import psycopg

    url = postgres_url()
    assert url, "no PostgreSQL server named"
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{url}{'&' if '?' in url else '?'}schema={schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _opened(store: str) -> JourneysApp:
    return JourneysApp(store)


def exported(store: str) -> Counter[bytes]:
    """Every exported line of the store, counted (a line twice is an event stored twice)."""
    app = _opened(store)
    try:
        return Counter(orjson.dumps(line, option=orjson.OPT_SORT_KEYS) for line in export_lines(app, plain=True))
    finally:
        app.close()


def verified(store: str) -> bool:
    app = _opened(store)
    try:
        return app.verify().tampered == []
    finally:
        app.close()


# -- writers, each a process running `python -m bench.faults write ...` ------------------


def decision(mode: str, writer: int, index: int, records: int) -> tuple[str, str, date, dict[str, str]]:
    """The ``index``-th decision of ``writer``: (child, kind, date, fields)."""
    if mode == "one":
        return "ONE", "review", IN_CARE + timedelta(days=1 + writer * records + index), {"review_type": "looked-after"}
    child = f"W{writer}-{index // 5:04}"
    if index % 5 == 0:
        return child, "entered-care", IN_CARE, {}
    return child, "review", IN_CARE + timedelta(days=30 * (index % 5)), {"review_type": "looked-after"}


def write(store: str, mode: str, writer: int, records: int) -> dict[str, Any]:
    """One writer: opens the store, says it is ready, waits for a line on stdin, then records."""
    app = _opened(store)
    print("ready", flush=True)
    sys.stdin.readline()
    recorded, refused, failed = [], [], []
    try:
        for index in range(records):
            child, kind, on, fields = decision(mode, writer, index, records)
            key = [child, kind, on.isoformat()]
            try:
                app.record(LA, child, kind, on, fields, recorded_by=f"writer-{writer}", source="bench")
                recorded.append(key)
            except JourneyError as error:
                refused.append([*key, error.full_message()])
            except Exception as error:  # what the engine should never let out
                failed.append([*key, repr(error)])
    finally:
        app.close()
    return {"recorded": recorded, "refused": refused, "failed": failed}


def writers(store: str, mode: str, size: Size) -> Outcome:
    records = size.own_records if mode == "own" else size.one_child_records
    app = _opened(store)
    try:
        if mode == "one":
            app.record(LA, "ONE", "entered-care", IN_CARE, {}, recorded_by="bench", source="bench")
    finally:
        app.close()
    command = [sys.executable, "-m", "bench.faults", "write", store, mode]
    started = [
        subprocess.Popen(
            [*command, str(writer), str(records)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for writer in range(size.writers)
    ]
    for process in started:  # every writer has opened the store before any writes
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"a writer did not start: {process.communicate()[1][-2000:]}")
    for process in started:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results, failed = [], 0
    for process in started:
        out, err = process.communicate()
        if process.returncode != 0:
            failed += 1
            print(f"a writer failed ({process.returncode}): {err[-2000:]}", file=sys.stderr)
        else:
            results.append(json.loads(out))
    return _writers_outcome(store, mode, size.writers, results, failed)


def _writers_outcome(store: str, mode: str, processes: int, results: list[dict[str, Any]], failed: int) -> Outcome:
    recorded = [tuple(key) for result in results for key in result["recorded"]]
    refused = [tuple(key[:3]) for result in results for key in result["refused"]]
    failed += sum(len(result["failed"]) for result in results)
    stored: Counter[tuple[str, str, str]] = Counter()
    app = _opened(store)
    try:
        for child in {key[0] for key in recorded + refused}:
            for entry in app.entries(LA, child):
                if entry.on is not None and entry.kind in ("entered-care", "review"):
                    stored[(child, entry.kind, entry.on.isoformat())] += 1
    finally:
        app.close()
    if mode == "one":
        stored[("ONE", "entered-care", IN_CARE.isoformat())] -= 1  # the parent's, before the writers
    lost = sum(1 for key in recorded if not stored[key])
    duplicated = sum(n - 1 for n in stored.values() if n > 1)
    stored_though_refused = sum(1 for key in refused if stored[key])
    reasons = Counter(_reason(message) for result in results for *_, message in result["refused"])
    note = "; ".join(f"{n} × {reason}" for reason, n in reasons.most_common())
    if stored_though_refused:
        note = f"{stored_though_refused} refused yet stored; {note}"
    return Outcome(
        _kind(store),
        f"{processes} writers, {'one child' if mode == 'one' else 'different children'}",
        processes,
        len(recorded),
        lost,
        duplicated + stored_though_refused,
        len(refused),
        failed,
        verified(store),
        note,
    )


def _reason(message: str) -> str:
    """A refusal's message without the child and the store's own words, to count alike ones together."""
    return re.sub(r"child '[^']*'", "child X", message.split(" (")[0].split(" — ")[0])


def _kind(store: str) -> str:
    return "PostgreSQL" if store.startswith("postgres") else "SQLite"


# -- loads, as `journeys load` processes ------------------------------------------------


def _start(store: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "JOURNEYS_USER": "bench", "JOURNEYS_LA": LA}
    return subprocess.Popen(
        [*journeys_command(), "--store", store, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@dataclass(frozen=True)
class Ended:
    code: int
    out: str
    err: str

    @property
    def refused(self) -> bool:
        """Exit 1 with one `Error:` line, as every refusal must be."""
        lines = self.err.strip().splitlines()
        return self.code == 1 and len(lines) == 1 and lines[0].startswith("Error: ")


def _ended(process: subprocess.Popen[str]) -> Ended:
    out, err = process.communicate()
    return Ended(process.returncode, out, err)


def _load(store: str, jsonl: Path, batch: int) -> subprocess.Popen[str]:
    return _start(store, "load", str(jsonl), "--batch-size", str(batch), "--json")


@dataclass(frozen=True)
class Whole:
    """An uninterrupted load: its exported lines (counted) and the notification ids it used."""

    lines: Counter[bytes]
    head: int


def whole_load(store: str, jsonl: Path) -> Whole:
    done = _ended(_load(store, jsonl, 10_000))
    if done.code != 0:
        raise RuntimeError(f"the uninterrupted load failed: {done.err[-2000:]}")
    app = _opened(store)
    try:
        head = app.head()
    finally:
        app.close()
    return Whole(exported(store), head)


def _load_outcome(
    store: str, scenario: str, processes: int, whole: Whole, refused: int, failed: int, note: str
) -> Outcome:
    found = exported(store)
    lost = sum((whole.lines - found).values())
    duplicated = sum((found - whole.lines).values())
    return Outcome(
        _kind(store), scenario, processes, sum(found.values()), lost, duplicated, refused, failed, verified(store), note
    )


def two_loads(store: str, jsonl: Path, whole: Whole, size: Size) -> Outcome:
    ends = [_ended(process) for process in [_load(store, jsonl, size.batch), _load(store, jsonl, size.batch)]]
    finished = [json.loads(end.out) for end in ends if end.code == 0]
    refused = sum(1 for end in ends if end.refused)
    failed = len(ends) - len(finished) - refused
    note = f"{len(finished)} finished ({' + '.join(str(s['loaded']) for s in finished)} loaded), {refused} refused"
    if not finished and refused:  # run again, as the error says
        again = _ended(_load(store, jsonl, size.batch))
        failed += again.code != 0
        note += "; run again"
    return _load_outcome(store, "two loads of one file at once", 2, whole, refused, failed, note)


def load_while_reporting(store: str, jsonl: Path, whole: Whole, size: Size) -> Outcome:
    _opened(store).close()  # the store exists: the reports meet the load on it
    load = _load(store, jsonl, size.batch)
    watcher = _opened(store)
    try:
        while load.poll() is None and not watcher.head():  # a store holding nothing yet says so (exit 1)
            time.sleep(0.01)
    finally:
        watcher.close()
    answered = failures = 0
    readers = [_start(store, *REPORT) for _ in range(size.readers)]
    while readers:
        still = []
        for reader in readers:
            if reader.poll() is None:
                still.append(reader)
                continue
            end = _ended(reader)
            if end.code == 0 and "Traceback" not in end.err:
                answered += 1
            else:
                failures += 1
                print(f"a report failed ({end.code}): {end.err[-2000:]}", file=sys.stderr)
            if load.poll() is None:
                still.append(_start(store, *REPORT))
        readers = still
        time.sleep(0.01)
    loaded = _ended(load)
    refused = int(loaded.refused)
    failed = failures + int(loaded.code != 0 and not loaded.refused)
    note = f"{answered} reports answered, {failures} failed"
    return _load_outcome(
        store, f"a load while reports run, {size.readers} at a time", 1 + size.readers, whole, refused, failed, note
    )


def killed_load(store: str, jsonl: Path, whole: Whole, size: Size) -> Outcome:
    _opened(store).close()
    watcher = _opened(store)
    kills, failed = [], 0
    try:
        for share in size.kills:
            process = _load(store, jsonl, size.batch)
            while process.poll() is None and watcher.head() < share * whole.head:
                time.sleep(0.002)
            process.send_signal(signal.SIGKILL)
            end = _ended(process)
            if end.code != -signal.SIGKILL:
                failed += end.code != 0  # it finished before the kill: counted, not failed
            kills.append(f"{100 * watcher.head() / whole.head:.0f}%" if end.code == -signal.SIGKILL else "finished")
    finally:
        watcher.close()
    again = _ended(_load(store, jsonl, size.batch))
    failed += again.code != 0
    note = f"killed at {', '.join(kills)} of the events, then run again"
    return _load_outcome(
        store,
        f"a load killed -9 at {len(size.kills)} point{'s' if len(size.kills) > 1 else ''}",
        1,
        whole,
        0,
        failed,
        note,
    )


# -- the run ----------------------------------------------------------------------------


def measure(size: Size, work: Path) -> list[Outcome]:
    jsonl = work / "faults.jsonl"
    with jsonl.open("wb") as handle:
        for line in generate_journeys(size.children, SEED):
            handle.write(orjson.dumps(line) + b"\n")
    outcomes = []
    for kind in ["sqlite"] + (["postgres"] if postgres_url() and size.postgres else []):
        for mode in ("own", "one"):
            with fresh_store(kind, work) as store:
                outcomes.append(show(writers(store, mode, size)))
        with fresh_store(kind, work) as store:
            whole = whole_load(store, jsonl)
        for scenario in (two_loads, load_while_reporting, killed_load):
            with fresh_store(kind, work) as store:
                outcomes.append(show(scenario(store, jsonl, whole, size)))
    return outcomes


COLUMNS = [
    "store",
    "scenario",
    "processes",
    "events written",
    "lost",
    "duplicated",
    "refused with an error",
    "other failures",
    "verify",
    "notes",
]


def cells(o: Outcome) -> list[str]:
    return [
        o.store,
        o.scenario,
        str(o.processes),
        f"{o.written:,}",
        str(o.lost),
        str(o.duplicated),
        str(o.refused),
        str(o.failed),
        "ok" if o.verified else "**FAILED**",
        o.note,
    ]


def show(outcome: Outcome) -> Outcome:
    print("  ".join(cells(outcome)), flush=True)
    return outcome


def markdown(outcomes: list[Outcome]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cells(o)) + " |" for o in outcomes]
    return "\n".join(lines)


def report(res: Any, scale: str, work: Path) -> None:
    """bench.run's figure 11: the scenarios at the scale's size, one figure row each."""
    outcomes = measure(SIZES[scale], work)
    for o in outcomes:
        res.row(
            f"11. faults, {o.store}: {o.scenario}",
            f"{o.written:,} written, lost {o.lost}, duplicated {o.duplicated}, refused {o.refused}, "
            f"other failures {o.failed}, verify {'ok' if o.verified else 'FAILED'}",
        )
    res.facts["faults"] = [asdict(o) for o in outcomes]
    res.goal(
        "faults: nothing lost, nothing twice, chains verify",
        None,
        "lost 0, duplicated 0",
        all(o.held for o in outcomes),
        f"{len(outcomes)} scenarios on {', '.join(sorted({o.store for o in outcomes}))}",
        always=True,
    )


def main(argv: list[str]) -> None:
    if argv[:1] == ["write"]:
        store, mode, writer, records = argv[1:]
        print(json.dumps(write(store, mode, int(writer), int(records))))
        return
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SIZES), default=os.environ.get("BENCH_SCALE", "default"))
    parser.add_argument("--markdown", action="store_true", help="Print the table as Markdown at the end.")
    args = parser.parse_args(argv)
    size = SIZES[args.scale]
    print("  ".join(COLUMNS))
    with tempfile.TemporaryDirectory(prefix="journeys-faults-") as work:
        outcomes = measure(size, Path(work))
    if args.markdown:
        print(markdown(outcomes))
    if not all(o.held for o in outcomes):
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
