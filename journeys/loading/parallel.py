"""Loading a JSONL file, in several processes when it is large.

The children are split between the processes (:func:`journeys.loading.jsonl.part_of`): every line
of one child goes to the same process, which applies that child's lines in file order
exactly as a single-process load does, so every rule, the idempotency of a repeated load,
the reject accounting and each stream's hash chain are unchanged. Each process reads the
whole file (parsing in full only its own children's lines) and saves its own batches in
its own transactions; the store serialises the writers (SQLite's write lock, PostgreSQL's
lock on the events table while a batch is inserted). Lines keep their numbers in the file,
and the processes' reports are merged into one: each process writes its rejects into a
folder this one made, and the merged report reads them all, in line order.

Interrupted, a parallel load leaves whole batches of some children stored, as an
interrupted single-process load does; running it again skips what is already stored.
"""

from __future__ import annotations

import os
import queue
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from heapq import merge
from pathlib import Path
from typing import Any

from journeys.application import JourneysApp
from journeys.domain.errors import JourneyError, StoreError
from journeys.loading.batch import LoadReport, load_lines
from journeys.loading.jsonl import LoadLine, Rejected, read_lines
from journeys.loading.rejects import Rejects
from journeys.loading.sizes import LOAD_BATCH
from journeys.progress import Progress  # (lines read, lines in the file)
from journeys.workers import MAX_WORKERS, cpus, die_with_parent, process_context

# A file this many lines long or longer is loaded by several processes when workers is not
# given: starting a process costs a few tenths of a second, about 10,000 lines' work.
PARALLEL_FROM_LINES = 20_000
_POLL_SECONDS = 0.2
# A loading process whose line has not moved for this long is stuck (waiting for a lock another
# session holds, or a connection that no longer answers): the load stops with an error. A batch
# of LOAD_BATCH lines takes seconds to apply and store even on a busy machine, and waiting its
# turn for the events table behind the other processes' batches a few times that.
STALL_SECONDS = 600.0


def default_workers(app: JourneysApp, lines: int) -> int:
    """How many processes load a file of ``lines`` lines into ``app``'s store by default:
    :func:`workers_for`, or one for a store other processes cannot open."""
    return workers_for(lines) if app.is_shared_store() else 1


def workers_for(lines: int) -> int:
    """One process per available CPU (at most four) for a large file; one otherwise."""
    return 1 if lines < PARALLEL_FROM_LINES else max(1, min(MAX_WORKERS, cpus()))


def load_file(
    app: JourneysApp,
    path: Path,
    *,
    default_la: str | None,
    recorded_by: str,
    batch_size: int = LOAD_BATCH,
    workers: int | None = None,
    progress: Progress | None = None,
    stall_seconds: float = STALL_SECONDS,
) -> LoadReport:
    """Load one JSONL file into ``app``'s store; ``workers`` processes (default: see
    :func:`default_workers`) each take a part of the children. A process that reads no line
    for ``stall_seconds`` stops the load (:class:`StoreError`); the processes end with this one."""
    total = count_lines(path)
    parts = default_workers(app, total) if workers is None else workers
    if parts > 1 and not app.is_shared_store():
        raise StoreError(
            "an in-memory store cannot be loaded by several processes", "load with one worker (--workers 1)"
        )
    if parts <= 1:
        with path.open("rb") as handle:
            return load_lines(
                app,
                _ticking(read_lines(handle, default_la), progress, total),
                recorded_by=recorded_by,
                source_name=path.name,
                batch_size=batch_size,
            )
    # the tables exist (this process's app made them): the processes do not make them again,
    # which PostgreSQL can refuse when several try at once
    env = {**app.env, "CREATE_TABLE": "no"}
    rejects = Rejects.in_new_folder()
    spool = str(rejects.folder())
    job = _Job(app.store, env, str(path), default_la, recorded_by, path.name, batch_size, parts, os.getpid(), spool)
    try:
        return _run(job, total, progress, stall_seconds, rejects)
    except BaseException:
        rejects.close()
        raise


def count_lines(path: Path) -> int:
    """The number of lines in a file (a last line without a newline counts)."""
    count, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


@dataclass(frozen=True)
class _Job:
    store: str
    env: dict[str, str]
    path: str
    default_la: str | None
    recorded_by: str
    source_name: str
    batch_size: int
    parts: int
    parent: int  # the pid of the process that runs the load
    spool: str  # the folder the processes write their rejects into


def _run(job: _Job, total: int, progress: Progress | None, stall_seconds: float, rejects: Rejects) -> LoadReport:
    context = process_context()
    reached = context.Array("q", job.parts, lock=False)  # the line each process has read to
    results = context.Queue()
    processes = [
        context.Process(target=_work, args=(job, index, reached, results), name=f"journeys-load-{index}", daemon=True)
        for index in range(job.parts)
    ]
    for process in processes:
        process.start()
    reports: dict[int, LoadReport] = {}
    failures: list[tuple[int, str, str | None]] = []
    silent: dict[int, int] = {}  # polls since a process ended without a word
    watch = _Watch(job.parts, stall_seconds)
    stuck = False
    try:
        while len(reports) + len(failures) < job.parts:
            try:
                index, report, failure = results.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                _check_ended(processes, reports, failures, silent)
                stuck = watch.stuck(reached, set(reports) | {index for index, *_ in failures}, failures)
                if stuck:
                    break
            else:
                if failure is None:
                    reports[index] = report
                else:
                    failures.append((index, *failure))
            if progress is not None:
                progress(min(total, min(reached)), total)
    finally:
        for process in processes:
            if not stuck:  # a stuck process never ends by itself; the others are not waited for
                process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
    if failures:
        _, message, remedy = failures[0]
        raise StoreError(
            f"the load stopped: {message}",
            remedy or "run the same load again: what is already stored is skipped",
        )
    if progress is not None:
        progress(total, total)
    return _merged(reports.values(), rejects)


def _check_ended(
    processes: list[Any], reports: dict[int, LoadReport], failures: list[Any], silent: dict[int, int]
) -> None:
    """A process that ended without a result (killed, out of memory) is a failure, once the
    queue has had time to deliver anything it put just before it ended."""
    said = set(reports) | {index for index, *_ in failures}
    for index, process in enumerate(processes):
        if index not in said and process.exitcode is not None:
            silent[index] = silent.get(index, 0) + 1
            if silent[index] >= 5:
                failures.append((index, f"loading process {index} ended with exit code {process.exitcode}", None))


class _Watch:
    """When each process's line last moved; a process whose line has not moved for
    ``stall_seconds`` is stuck."""

    def __init__(self, parts: int, stall_seconds: float) -> None:
        self.stall_seconds = stall_seconds
        now = time.monotonic()
        self.seen: list[tuple[int, float]] = [(0, now)] * parts  # (line reached, when it was seen to move)

    def stuck(self, reached: Any, said: set[int], failures: list[Any]) -> bool:
        """Whether a process that has not yet said how it ended is stuck (its failure added)."""
        now = time.monotonic()
        for index, (line, since) in enumerate(self.seen):
            if index in said:
                continue
            if reached[index] != line:
                self.seen[index] = (reached[index], now)
            elif now - since >= self.stall_seconds:
                failures.append((index, _stalled(index, line, self.stall_seconds), _STALLED_REMEDY))
                return True
        return False


def _stalled(index: int, line: int, seconds: float) -> str:
    if line >= _RETRYING:
        where = "while trying refused lines again"
    else:
        where = f"after line {line}" if line else "before its first line"
    return (
        f"loading process {index} made no progress for {seconds:g} seconds ({where}): "
        "it is waiting for the store, most likely for a lock another session holds"
    )


_STALLED_REMEDY = (
    "look for another load or a long transaction on the store and let it finish (on PostgreSQL, "
    "pg_stat_activity shows it), then run the same load again: what is already stored is skipped"
)


def _work(job: _Job, index: int, reached: Any, results: Any) -> None:
    """One process's share of a load: the children of part ``index``."""
    die_with_parent(job.parent)
    try:
        app = JourneysApp(job.store, env=job.env)
        try:
            with open(job.path, "rb") as handle:
                lines = read_lines(handle, job.default_la, part=(index, job.parts))
                retried = 0

                def retrying(count: int) -> None:  # past the file's last line: the watch sees it move
                    nonlocal retried
                    retried += count
                    reached[index] = _RETRYING + retried

                report = load_lines(
                    app,
                    _reaching(lines, reached, index),
                    recorded_by=job.recorded_by,
                    source_name=job.source_name,
                    batch_size=job.batch_size,
                    spool=Path(job.spool),
                    retrying=retrying,
                )
        finally:
            app.close()
        reached[index] = 1 << 62
        results.put((index, report, None))
    except JourneyError as error:
        results.put((index, None, (str(error), error.remedy or None)))
    except BaseException as error:  # a bug: say where, for the report
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        results.put((index, None, (f"{detail} (in loading process {index})", "report this as a bug")))


# Where a process's line stands while it tries refused lines again, after the whole file: past
# any line, and moving with each batch tried.
_RETRYING = 1 << 48


def _reaching(items: Iterable[LoadLine | Rejected], reached: Any, index: int) -> Iterator[LoadLine | Rejected]:
    for item in items:
        reached[index] = item.line_no
        yield item


def _ticking(items: Iterable[LoadLine | Rejected], progress: Progress | None, total: int) -> Iterator[Any]:
    if progress is None:
        yield from items
        return
    for count, item in enumerate(items):
        yield item
        if count % 1000 == 0:
            progress(item.line_no, total)
    progress(total, total)


def _merged(reports: Iterable[LoadReport], rejects: Rejects) -> LoadReport:
    """One report of the processes' reports; ``rejects`` (whose folder they wrote theirs into)
    takes in all their rejects."""
    parts = list(reports)
    for part in parts:
        rejects.adopt(part.rejected)
    return LoadReport(
        loaded=sum(r.loaded for r in parts),
        skipped=sum(r.skipped for r in parts),
        rejected=rejects,
        skipped_lines=list(merge(*(r.skipped_lines for r in parts))),
    )
