"""The rows of a return's tables sorted by child, kept on disk: memory bounded by a run's size.

An import needs all the rows of one child, of every table and every return, together. Rows
are taken in the order they are read, sorted in runs of :data:`RUN_ROWS` rows by child (a
shorter reference first, as the importer orders children) and, within a child, in the order
they were read; each full run is written to a temporary file. :meth:`RowsByChild.children`
merges the runs and hands over one child's rows at a time.
"""

from __future__ import annotations

import heapq
import itertools
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

import orjson

from journeys.ssda903.codes import READ_COLUMNS, TABLES
from journeys.ssda903.tables import ReturnError, Row

# Rows sorted in memory before a run is written to disk.
RUN_ROWS: Final = 20_000

# Reference length, reference, order read, the row as JSON (text in memory: a short bytes object
# from orjson keeps the 1 KB and more of its buffer; bytes once read back from disk).
_Record = tuple[int, str, int, str | bytes]


def child_order(child: str) -> tuple[int, str]:
    """The order in which an import takes children: shorter references first, then by text."""
    return (len(child), child)


class RowsByChild:
    """Rows added one by one, then given back child by child (see the module doc)."""

    def __init__(self, run_rows: int = RUN_ROWS) -> None:
        self.run_rows = run_rows
        self.count = 0
        self._run: list[_Record] = []
        self._folder: Path | None = None
        self._runs: list[Path] = []
        self._files: dict[str, int] = {}

    def add(self, row: Row) -> None:
        file = self._files.setdefault(row.file, len(self._files))
        cells = [row.values.get(column, "") for column in READ_COLUMNS[row.table]]
        body = orjson.dumps([TABLES.index(row.table), row.year, file, row.line, cells, row.child, row.problem]).decode()
        self._run.append((len(row.child), row.child, self.count, body))
        self.count += 1
        if len(self._run) >= self.run_rows:
            self._write_run()

    def children(self) -> Iterator[list[Row]]:
        """Each child's rows in the order they were read; children in :func:`child_order`."""
        self._run.sort()
        runs: list[Iterable[_Record]] = [self._read_run(path) for path in self._runs]
        runs.append(iter(self._run))
        files = list(self._files)
        merged = heapq.merge(*runs)
        for _, group in itertools.groupby(merged, key=lambda record: record[1]):
            yield [_row(orjson.loads(record[3]), files) for record in group]

    def close(self) -> None:
        self._run = []
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def _write_run(self) -> None:
        self._run.sort()
        try:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="journeys-903-"))
            path = self._folder / f"run-{len(self._runs)}.jsonl"
            with path.open("wb") as handle:
                for length, child, order, body in self._run:
                    handle.write(orjson.dumps([length, child, order]) + b"\t" + str(body).encode() + b"\n")
        except OSError as error:
            where = self._folder or tempfile.gettempdir()
            self.close()
            raise ReturnError(
                f"cannot keep the rows read in the temporary folder {where}: {error.strerror or error}",
                "free some space there, or set TMPDIR to a folder with room; nothing was imported",
            ) from None
        self._runs.append(path)
        self._run = []

    @staticmethod
    def _read_run(path: Path) -> Iterator[_Record]:
        with path.open("rb") as handle:
            for line in handle:
                key, _, body = line.rstrip(b"\n").partition(b"\t")
                length, child, order = orjson.loads(key)
                yield length, child, order, body


def _row(data: list[Any], files: list[str]) -> Row:
    table_index, year, file, line, cells, child, problem = data
    table = TABLES[table_index]
    return Row(table, year, files[file], line, dict(zip(READ_COLUMNS[table], cells, strict=True)), child, problem)
