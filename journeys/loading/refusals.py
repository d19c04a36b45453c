"""The lines a load did not take, written as they come, and those its rules refused tried again.

A line its child's rules refuse (a disruption dated while the child is not yet placed, a
correction of an event further down the file) may be let in by a later line of the same child. So once
the whole file has been read, the refused lines of each child that loaded a line after
them are tried again, in file order and in batches as the file's lines were; round after
round, until a round loads nothing. Whether a line is tried again, and what it meets when
it is, depends on its own child's lines only: a load's outcome does not depend on where lines
fall between batches or processes, and loading the same file again loads nothing (every line
loaded is then present, and every line rejected meets the state it was last refused in).

Every try of a line is a tick. A refused line is worth trying again once its child has loaded
a line at a later tick; which children have is kept per child (never per line), and the
refused lines themselves are on disk, in the run of rejects (:mod:`journeys.loading.rejects`)
rewritten by each round.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from journeys.domain.identity import journey_id
from journeys.loading.jsonl import LoadLine
from journeys.loading.rejects import Record, Rejects, read_run, spooled_line

# Why a line of a batch did not load: its reason, its tick, and whether its child's rules
# refused it (then a later line of the child may let it in); None when it loaded or was
# already present.
Outcome = tuple[str, int, bool] | None


class Refusals:
    """The rejects of a load's batches (one run of ``rejects``, named by ``name``), and what
    is known of the children whose rules refused lines."""

    def __init__(self, rejects: Rejects, name: Callable[[str], str]) -> None:
        self.rejects = rejects
        self.name = name
        self.tick = 0  # lines tried so far
        self.refusing: set[UUID] = set()  # children with lines their rules refused
        self.changed: dict[UUID, int] = {}  # the latest tick at which such a child loaded a line
        self.earliest: dict[UUID, int] = {}  # the tick of such a child's earliest refused line in `out`
        self.out = rejects.writer(name("refused-1"))

    def refused(self, child: UUID) -> None:
        """The line of the current tick was refused by ``child``'s rules."""
        self.refusing.add(child)

    def loaded(self, child: UUID) -> None:
        """The line of the current tick loaded for ``child``."""
        if child in self.refusing:
            self.changed[child] = self.tick

    def write(self, batch: list[LoadLine], outcomes: list[Outcome]) -> None:
        """A batch's rejects written, in line order."""
        for line, outcome in zip(batch, outcomes, strict=True):
            if outcome is not None:
                self._write(line, outcome)

    def retry(
        self, load_batch: Callable[[list[LoadLine]], list[Outcome]], batch_size: int, retrying: Callable[[int], None]
    ) -> None:
        """Round after round, the refused lines worth trying again given to ``load_batch`` in
        file order, in batches of at most ``batch_size`` (``retrying`` told of each), until a
        round loads nothing; then the run added to the rejects."""
        rounds = 1
        while any(self.changed.get(child, -1) > tick for child, tick in self.earliest.items()):
            rounds += 1
            before, self.out, self.earliest = self.out, self.rejects.writer(self.name(f"refused-{rounds}")), {}
            before.close()
            waiting: list[tuple[Record, bool]] = []  # the records from the first line to try on, and which to try
            lines: list[LoadLine] = []
            for record in read_run(before.path):
                line = record[3]
                again = line is not None and self.changed.get(journey_id(line.la, line.child), -1) > record[2]
                if line is not None and again:
                    lines.append(line)
                if again or waiting:
                    waiting.append((record, again))
                else:
                    self._copy(record)
                if lines and len(waiting) >= batch_size:
                    self._retry_batch(load_batch, waiting, lines, retrying)
                    waiting, lines = [], []
            if lines:
                self._retry_batch(load_batch, waiting, lines, retrying)
            before.remove()
        self.rejects.add(self.out)
        self.refusing, self.changed = set(), {}

    def _retry_batch(
        self,
        load_batch: Callable[[list[LoadLine]], list[Outcome]],
        waiting: list[tuple[Record, bool]],
        lines: list[LoadLine],
        retrying: Callable[[int], None],
    ) -> None:
        """``lines`` tried again as one batch; ``waiting``'s records written in line order, each
        line tried again as it now stands."""
        outcomes = iter(load_batch(lines))
        for record, again in waiting:
            if not again:
                self._copy(record)
                continue
            outcome = next(outcomes)
            line = record[3]
            if outcome is not None and line is not None:
                self._write(line, outcome)
        retrying(len(lines))

    def _write(self, line: LoadLine, outcome: tuple[str, int, bool]) -> None:
        reason, tick, by_rules = outcome
        if by_rules:
            self.out.write(line.line_no, reason, tick, spooled_line(line))
            self._note(journey_id(line.la, line.child), tick)
        else:
            self.out.write(line.line_no, reason)

    def _copy(self, record: Record) -> None:
        self.out.write_record(record)
        line = record[3]
        if line is not None:
            self._note(journey_id(line.la, line.child), record[2])

    def _note(self, child: UUID, tick: int) -> None:
        if tick < self.earliest.get(child, tick + 1):
            self.earliest[child] = tick
