"""A load's rejected lines, kept on disk as the load goes rather than in memory.

A load can reject millions of lines (a file in the wrong format, a whole year refused by the
rules). Each reject is written to a file in a temporary folder as soon as it is known, so a
load's memory does not grow with their number; :class:`Rejects` reads them back, in line
order, each time it is iterated. The files are runs, each in line order (the lines a load
could not read, the lines its batches refused, each loading process's own), merged as they
are read.

A record of a run is ``(line number, reason, tick, line)``: ``line`` is the parsed line when
its child's rules refused it (a later line of the same child may let it in: see
:class:`journeys.loading.batch.BatchLoad`), None otherwise.
"""

from __future__ import annotations

import heapq
import os
import pickle
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from journeys.domain.errors import StoreError
from journeys.loading.jsonl import LoadLine, Rejected

Record = tuple[int, str, int, LoadLine | None]  # line number, reason, tick, the line when it may be tried again


class Rejects:
    """The rejected lines of one load, read back in line order (a ``Rejected`` each).

    Made with no folder, it makes a temporary one when the first reject is written and
    removes it when closed or collected; given a folder (one another process shares), it
    leaves the folder to whoever made it.
    """

    __hash__ = None  # type: ignore[assignment]  # compared by content

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._runs: list[tuple[Path, int]] = []  # each run's file and how many rejects it holds
        self._finalizer: weakref.finalize[Any, Any] | None = None

    @classmethod
    def in_new_folder(cls) -> Rejects:
        """Rejects with a temporary folder of their own, made now, which processes started
        from here can write their runs into (see :meth:`adopt`)."""
        rejects = cls()
        rejects.folder()
        return rejects

    def folder(self) -> Path:
        """The folder the runs are written to (a new temporary one the first time, if none was given)."""
        if self._folder is None:
            try:
                _remove_abandoned(Path(tempfile.gettempdir()))
                self._folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
            except OSError as error:
                raise _spool_error(Path(tempfile.gettempdir()), error) from None
            self._finalizer = weakref.finalize(self, _remove, self._folder, os.getpid())
        return self._folder

    def writer(self, name: str) -> RunWriter:
        """A new run named ``name`` (unique within the load), to be written in line order and
        then added with :meth:`add`; its file is made at its first reject."""
        return RunWriter(self, f"{name}.rejects")

    def add(self, run: RunWriter) -> None:
        """A finished run's rejects, counted in."""
        run.close()
        if run.count:
            self._runs.append((run.path, run.count))

    def adopt(self, other: Rejects) -> None:
        """The runs of ``other`` (another process's, written into this folder) counted in too."""
        self._runs.extend(other._runs)

    def records(self) -> Iterator[Record]:
        """Every record of every run, in line order."""
        runs = [read_run(path) for path, _ in self._runs]
        if len(runs) == 1:
            return runs[0]
        return heapq.merge(*runs, key=itemgetter(0))

    def __iter__(self) -> Iterator[Rejected]:
        for line_no, reason, _, _ in self.records():
            yield Rejected(line_no, reason)

    def __len__(self) -> int:
        return sum(count for _, count in self._runs)

    def __bool__(self) -> bool:
        return bool(self._runs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rejects | list | tuple):
            return NotImplemented
        if len(self) != len(other):
            return False
        return all(mine == theirs for mine, theirs in zip(self, other, strict=True))

    def __repr__(self) -> str:
        shown = list(islice(self, 3))
        more = f", … {len(self) - len(shown)} more" if len(self) > len(shown) else ""
        return f"Rejects({', '.join(map(repr, shown))}{more})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Sent to another process, the same runs, left to this one to remove."""
        return (_shared, (self._folder, self._runs))

    def close(self) -> None:
        """Remove the rejects' folder, if they made it; they read as none after."""
        self._runs = []
        if self._finalizer is not None:
            self._finalizer()


def _shared(folder: Path | None, runs: list[tuple[Path, int]]) -> Rejects:
    rejects = Rejects(folder)
    rejects._runs = list(runs)
    return rejects


# A rejects folder is named for the process that made it: ``journeys-rejects-<pid>-<random>``.
FOLDER_PREFIX = "journeys-rejects-"


def _remove_abandoned(parent: Path) -> None:
    """Remove the rejects folders in ``parent`` left by loads that were killed (their process
    is gone, so nothing else will remove them); a folder of a live process is left alone."""
    for folder in parent.glob(f"{FOLDER_PREFIX}*-*"):
        pid = folder.name.removeprefix(FOLDER_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and folder.is_dir() and folder.stat().st_uid == os.getuid():
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _remove(folder: Path, owner: int) -> None:
    if os.getpid() == owner:  # never by a process forked from the one that made it
        shutil.rmtree(folder, ignore_errors=True)


class RunWriter:
    """One run of rejects being written, in line order."""

    def __init__(self, rejects: Rejects, name: str) -> None:
        self._rejects = rejects
        self.name = name
        self.count = 0
        self._handle: IO[bytes] | None = None

    @property
    def path(self) -> Path:
        return self._rejects.folder() / self.name

    def write(self, line_no: int, reason: str, tick: int = 0, line: LoadLine | None = None) -> None:
        self.write_record((line_no, reason, tick, line))

    def write_record(self, record: Record) -> None:
        try:
            if self._handle is None:
                self._handle = self.path.open("xb")
            self._handle.write(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as error:
            raise _spool_error(self._rejects.folder(), error) from None
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            try:
                self._handle.close()
            except OSError as error:
                raise _spool_error(self._rejects.folder(), error) from None
            self._handle = None

    def remove(self) -> None:
        """The run's file removed (once it has been read)."""
        self.close()
        if self.count:
            self.path.unlink(missing_ok=True)


def read_run(path: Path) -> Iterator[Record]:
    """The records of a run, in the order written."""
    with path.open("rb") as handle:
        while True:
            try:
                record: Record = pickle.load(handle)
            except EOFError:
                return
            yield record


def spooled_line(line: LoadLine) -> LoadLine:
    """``line`` as a run keeps it (its fields a plain dict)."""
    return line if type(line.fields) is dict else line._replace(fields=dict(line.fields))


def _spool_error(folder: Path, error: OSError) -> StoreError:
    return StoreError(
        f"cannot keep the rejected lines in the temporary folder {folder}: {error.strerror or error}",
        "free some space there, or point TMPDIR at a folder with room, and load again",
    )
