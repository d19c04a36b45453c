"""Importing 903 returns into the journey store, accounting for every row read.

Every row ends as *accepted* (it gave or supports a decision now recorded), *already
present* (everything it says is in the store already, or a newer return says it) or
*rejected* (with file, row, column and reason). Decisions are appended through
:func:`journeys.loading.load_lines` in batches, each one transaction, with deterministic ids: an
interrupted import is completed by running it again, and nothing is recorded twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from journeys.application import JourneysApp
from journeys.domain.identity import journey_id
from journeys.domain.timeline import CORRECT
from journeys.loading.batch import load_lines
from journeys.loading.jsonl import LoadLine
from journeys.progress import Progress
from journeys.ssda903.codes import TABLES
from journeys.ssda903.facts import AdoptionDecision, Checked, Fact, check
from journeys.ssda903.mapping import wanted_decisions
from journeys.ssda903.read import Row, read_returns
from journeys.ssda903.reconcile import ImportStep, Reconciled, reconcile
from journeys.ssda903.wanted import StoredJourney, Wanted

ACCEPTED, REJECTED = "accepted", "rejected"


@dataclass
class TableCount:
    read: int = 0
    accepted: int = 0
    present: int = 0
    rejected: int = 0

    @property
    def adds_up(self) -> bool:
        return self.read == self.accepted + self.present + self.rejected


@dataclass(frozen=True)
class Reject:
    table: str
    file: str
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    tables: dict[str, TableCount] = field(default_factory=lambda: {t: TableCount() for t in TABLES})
    rejects: list[Reject] = field(default_factory=list)  # one per problem; a row may have several
    appended: int = 0
    corrected: int = 0
    inferred_starts: int = 0
    children: int = 0
    files: list[tuple[str, str, int]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return sum(t.rejected for t in self.tables.values())


@dataclass
class _Outcome:
    status: str  # a Reconciled status, or REJECTED
    reason: str = ""


def _lines(la: str, plans: list[tuple[str, list[ImportStep]]]) -> tuple[list[LoadLine], dict[int, ImportStep]]:
    lines: list[LoadLine] = []
    by_line: dict[int, ImportStep] = {}
    for child, steps in plans:
        for step in steps:
            if step.status == Reconciled.PRESENT:
                continue
            w = step.wanted
            number = len(lines) + 1
            by_line[number] = step
            if step.status == Reconciled.APPEND:
                lines.append(LoadLine(number, la, child, w.kind, step.event_id, w.on, w.fields, source=w.source))
            else:
                lines.append(
                    LoadLine(
                        number,
                        la,
                        child,
                        CORRECT,
                        step.event_id,
                        w.on,
                        step.fields or {},
                        target_id=step.target_id,
                        reason=step.reason,
                        source=w.source,
                    )
                )
    return lines, by_line


def _ticking(lines: list[LoadLine], progress: Progress | None) -> Iterator[LoadLine]:
    for done, line in enumerate(lines, start=1):
        yield line
        if progress is not None:
            progress(done, len(lines))


def _row_status(row: Row, events: list[tuple[Wanted, _Outcome]], existed: bool) -> tuple[str, list[tuple[str, str]]]:
    problems = [
        (w.column if w.row is row else "CHILD",
         o.reason if w.row is row else f"{w.kind} of {w.row.where} was not recorded: {o.reason}")
        for w, o in events if o.status == REJECTED
    ]  # fmt: skip
    if problems:
        return REJECTED, problems
    if any(o.status in (Reconciled.APPEND, Reconciled.CORRECT) for _, o in events):
        return ACCEPTED, []
    return (Reconciled.PRESENT if events or existed else ACCEPTED), []


def _account(
    report: ImportReport,
    rows: list[Row],
    checked: Checked,
    outcomes: dict[int, _Outcome],
    wanted: list[Wanted],
    existed: set[str],
) -> None:
    events: dict[Row, list[tuple[Wanted, _Outcome]]] = defaultdict(list)
    for w in wanted:
        outcome = outcomes[id(w)]
        for row in (w.row, *w.supporters):
            events[row].append((w, outcome))
    status: dict[Row, str] = {}
    for row in rows:
        if row in checked.problems:
            status[row] = REJECTED
            report.rejects.extend(Reject(row.table, row.file, row.line, col, why) for col, why in checked.problems[row])
        elif row not in checked.same_as and row not in checked.superseded:
            status[row], problems = _row_status(row, events.get(row, []), row.child in existed)
            report.rejects.extend(Reject(row.table, row.file, row.line, col, why) for col, why in problems)
    for row in rows:
        if row in status:
            continue
        if row in checked.superseded:
            status[row] = Reconciled.PRESENT
            continue
        kept = checked.same_as[row]
        status[row] = status[kept]
        if status[kept] == REJECTED:
            report.rejects.append(Reject(row.table, row.file, row.line, "CHILD", f"repeats {kept.where}, rejected"))
    for row in rows:
        count = report.tables[row.table]
        count.read += 1
        if status[row] == REJECTED:
            count.rejected += 1
        elif status[row] == ACCEPTED:
            count.accepted += 1
        else:
            count.present += 1


def import_903(
    app: JourneysApp,
    paths: Iterable[Path],
    *,
    la: str,
    recorded_by: str,
    year: int | None = None,
    batch_size: int = 500,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the 903 returns under ``paths`` for local authority ``la``; see the module doc."""
    returns = read_returns(paths, year)
    checked = check(returns.rows)
    facts: dict[str, list[Fact]] = defaultdict(list)
    decisions: dict[str, list[AdoptionDecision]] = defaultdict(list)
    for fact in checked.facts:
        facts[fact.row.child].append(fact)
    for decision in checked.decisions:
        decisions[decision.row.child].append(decision)
    plans: list[tuple[str, list[ImportStep]]] = []
    wanted: list[Wanted] = []
    existed: set[str] = set()
    for child in sorted(facts, key=lambda c: (len(c), c)):
        store = StoredJourney(app.stream_entries(journey_id(la, child)))
        if store.exists:
            existed.add(child)
        child_wanted = wanted_decisions(facts[child], decisions[child], checked, store)
        wanted.extend(child_wanted)
        plans.append((child, reconcile(la, child, child_wanted, store)))
    lines, by_line = _lines(la, plans)
    loaded = load_lines(
        app, _ticking(lines, progress), recorded_by=recorded_by, source_name="903", batch_size=batch_size
    )
    outcomes: dict[int, _Outcome] = {}
    for _, steps in plans:
        for step in steps:
            outcomes[id(step.wanted)] = _Outcome(step.status)
    for number in loaded.skipped_lines:
        outcomes[id(by_line[number].wanted)] = _Outcome(Reconciled.PRESENT)
    for bad in loaded.rejected:
        outcomes[id(by_line[bad.line_no].wanted)] = _Outcome(REJECTED, bad.reason)
    report = ImportReport(files=returns.files, ignored=returns.ignored, children=len(facts))
    for step in by_line.values():
        status = outcomes[id(step.wanted)].status
        report.appended += status == Reconciled.APPEND
        report.corrected += status == Reconciled.CORRECT
        report.inferred_starts += status == Reconciled.APPEND and step.wanted.inferred
    _account(report, returns.rows, checked, outcomes, wanted, existed)
    report.rejects.sort(key=lambda r: (r.file, r.row))
    return report
