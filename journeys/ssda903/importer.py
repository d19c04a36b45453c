"""Importing 903 returns into the journey store, accounting for every row read.

Every row ends as *accepted* (it gave or supports a decision now recorded), *already
present* (everything it says is in the store already, or a newer return says it) or
*rejected* (with file, row, column and reason). Decisions are appended through
:func:`journeys.loading.load_lines` in batches, each one transaction, with deterministic ids: an
interrupted import is completed by running it again, and nothing is recorded twice.

The returns are read to their end first (:mod:`journeys.ssda903.read`: a file that cannot be
read refuses the import before anything is written), their rows kept on disk sorted by child.
Children are then imported a chunk at a time, in the order of their references: what the
import holds in memory is one chunk's rows, facts and decisions, whatever the return's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from journeys.application import JourneysApp
from journeys.clock import recording_time
from journeys.domain.errors import JourneyError
from journeys.domain.identity import journey_id
from journeys.domain.localday import london_date
from journeys.domain.timeline import CORRECT, RETRACT
from journeys.loading.batch import load_lines
from journeys.loading.jsonl import LoadLine
from journeys.progress import Progress
from journeys.ssda903.child_rules import apply_child_rules
from journeys.ssda903.codes import TABLES
from journeys.ssda903.facts import AdoptionDecision, Checked, Fact, check
from journeys.ssda903.mapping import wanted_decisions
from journeys.ssda903.read import Returns, read_returns
from journeys.ssda903.reasons import STORE_REFUSAL_REMEDY, ReasonGroup, group_reasons
from journeys.ssda903.reconcile import ImportStep, Reconciled, reconcile
from journeys.ssda903.tables import Row
from journeys.ssda903.wanted import StoredJourney, Wanted
from journeys.ssda903.whole_rows import Refused, whole_rows

ACCEPTED, REJECTED = "accepted", "rejected"


# Rows of whole children checked, reconciled and loaded at a time: what an import holds in memory.
CHUNK_ROWS = 2_000


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


@dataclass(frozen=True)
class ImportWarning:
    """A validator rule a row breaks that did not stop it being imported (docs/ssda903.md)."""

    table: str
    file: str
    row: int
    column: str
    rule: str
    reason: str


@dataclass
class ImportReport:
    tables: dict[str, TableCount] = field(default_factory=lambda: {t: TableCount() for t in TABLES})
    rejects: list[Reject] = field(default_factory=list)  # one per problem; a row may have several
    warnings: list[ImportWarning] = field(default_factory=list)  # listed; the rows are not rejected
    appended: int = 0
    corrected: int = 0
    inferred_starts: int = 0
    bounded_ends: int = 0  # periods recorded as ended on or before a later start (docs/ssda903.md)
    children: int = 0
    files: list[tuple[str, str, int]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return sum(t.rejected for t in self.tables.values())

    def reasons(self) -> list[ReasonGroup]:
        """The problems of the rows rejected, grouped by kind with what to do (largest first)."""
        return group_reasons(self.rejects)


def store_refusal(reason: str) -> str:
    """A reason the journey store gave for refusing an import's line (``message — remedy``),
    with the remedy that fits a 903 row (:data:`STORE_REFUSAL_REMEDY`)."""
    message, dash, _ = reason.rpartition(" — ")
    return f"{message if dash else reason} — {STORE_REFUSAL_REMEDY}"


@dataclass
class _Outcome:
    status: str  # a Reconciled status, or REJECTED
    reason: str = ""


def _lines(
    la: str, plans: list[tuple[str, list[ImportStep]]]
) -> tuple[list[LoadLine], dict[int, ImportStep], dict[int, int]]:
    """The lines to load (numbered from 1), the step of each, and the last line of each plan
    that has any (plan index -> line number)."""
    lines: list[LoadLine] = []
    by_line: dict[int, ImportStep] = {}
    last_lines: dict[int, int] = {}
    for index, (child, steps) in enumerate(plans):
        for step in steps:
            if step.status == Reconciled.PRESENT:
                continue
            w = step.wanted
            number = len(lines) + 1
            by_line[number] = step
            if step.status == Reconciled.APPEND:
                lines.append(LoadLine(number, la, child, w.kind, step.event_id, w.on, w.fields, source=w.source))
            elif step.status == Reconciled.RETRACT:
                target, why = step.target_id, step.reason
                lines.append(
                    LoadLine(number, la, child, RETRACT, step.event_id, target_id=target, reason=why, source=w.source)
                )
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
            last_lines[index] = number
    return lines, by_line, last_lines


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
        for found in checked.warnings.get(row, []):
            report.warnings.append(ImportWarning(row.table, row.file, row.line, found.column, found.rule, found.reason))
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
    source: Iterable[Path] | Returns,
    *,
    la: str,
    recorded_by: str,
    year: int | None = None,
    batch_size: int = 500,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> ImportReport:
    """Import the 903 returns under the paths ``source`` (their year from ``year`` or their
    folders' names), or those already read with :func:`journeys.ssda903.read.read_returns`,
    for local authority ``la``; see the module doc.

    Children are taken a chunk at a time (whole children, about ``chunk_rows`` rows), each
    chunk checked, reconciled with the store and loaded before the next is read from disk.
    ``progress(done, total)`` counts rows.
    """
    if not isinstance(source, Returns):
        with read_returns(source, year) as returns:
            return import_903(
                app, returns, la=la, recorded_by=recorded_by, batch_size=batch_size, progress=progress,
                chunk_rows=chunk_rows,
            )  # fmt: skip
    report = ImportReport(files=source.files, ignored=source.ignored)
    total = source.rows_read
    chunk: list[list[Row]] = []
    size = done = 0
    for rows in source.children():
        chunk.append(rows)
        size += len(rows)
        if size >= chunk_rows:
            done = _import_chunk(app, chunk, la, recorded_by, batch_size, report, _Ticks(progress, done, total))
            chunk, size = [], 0
    if chunk:
        _import_chunk(app, chunk, la, recorded_by, batch_size, report, _Ticks(progress, done, total))
    report.rejects.sort(key=lambda r: (r.file, r.row))
    report.warnings.sort(key=lambda w: (w.file, w.row))
    return report


def _record_together(
    app: JourneysApp,
    la: str,
    recorded_by: str,
    lines: list[LoadLine],
    by_line: dict[int, ImportStep],
    outcomes: dict[int, _Outcome],
) -> None:
    """A child's new decisions refused one at a time, tried once more all together. An older
    return imported after a newer one can hold a whole earlier period of care (its start and its
    end), or a placement and its disruption before a later match: each alone breaks a rule against
    what the store holds, together they do not. All or none: when they still break a rule, each
    keeps the reason it was refused for."""
    refused: dict[str, list[LoadLine]] = defaultdict(list)
    for line in lines:
        step = by_line[line.line_no]
        if step.status in _TOGETHER and outcomes[id(step.wanted)].status == REJECTED:
            refused[line.child].append(line)
    for child, group in refused.items():
        decisions = [
            (ln.kind, ln.on, ln.fields, ln.event_id, ln.source or "903")
            for ln in group
            if ln.on is not None and ln.kind != RETRACT
        ]
        retracting = [
            (ln.target_id or "", ln.reason or "", ln.event_id, ln.source or "903") for ln in group if ln.kind == RETRACT
        ]
        try:
            app.record_together(la, child, decisions, recorded_by=recorded_by, retracting=retracting)
        except JourneyError:
            continue
        for ln in group:
            outcomes[id(by_line[ln.line_no].wanted)] = _Outcome(by_line[ln.line_no].status)


# What a child's refused new lines tried again all together may hold.
_TOGETHER = frozenset({Reconciled.APPEND, Reconciled.RETRACT})


@dataclass
class _Ticks:
    """Progress in rows: those of each child once its decisions are with the loader."""

    progress: Progress | None
    done: int
    total: int
    at_line: dict[int, int] = field(default_factory=dict)  # the last line of a child -> rows done after it

    def ticking(self, lines: list[LoadLine]) -> Iterator[LoadLine]:
        for line in lines:
            yield line
            if self.progress is not None and line.line_no in self.at_line:
                self.progress(self.at_line[line.line_no], self.total)


def _import_chunk(
    app: JourneysApp,
    chunk: list[list[Row]],
    la: str,
    recorded_by: str,
    batch_size: int,
    report: ImportReport,
    ticks: _Ticks,
) -> int:
    """Import the rows of a chunk of whole children (in the order they are imported) into
    ``report``; the rows done so far."""
    rows = [row for child_rows in chunk for row in child_rows]
    checked = check(rows)
    apply_child_rules(checked)
    facts: dict[str, list[Fact]] = defaultdict(list)
    decisions: dict[str, list[AdoptionDecision]] = defaultdict(list)
    for fact in checked.facts:
        facts[fact.row.child].append(fact)
    for decision in checked.decisions:
        decisions[decision.row.child].append(decision)
    plans: list[tuple[str, list[ImportStep]]] = []
    done_after: list[int] = []  # rows done once each child of ``plans`` is with the loader
    wanted: list[Wanted] = []
    existed: set[str] = set()
    taken_out: list[Refused] = []  # steps that would half-apply their row
    today = london_date(recording_time())
    done = ticks.done
    for child_rows in chunk:
        child = child_rows[0].child
        done += len(child_rows)
        if child not in facts:
            continue
        store = StoredJourney(app.stream_entries(journey_id(la, child)))
        if store.exists:
            existed.add(child)
        child_wanted = wanted_decisions(facts[child], decisions[child], checked, store)
        wanted.extend(child_wanted)
        steps, refused = whole_rows(reconcile(la, child, child_wanted, store), store, today)
        taken_out.extend(refused)
        plans.append((child, steps))
        done_after.append(done)
    lines, by_line, last_lines = _lines(la, plans)
    ticks.at_line = {line: done_after[i] for i, line in last_lines.items()}
    loaded = load_lines(app, ticks.ticking(lines), recorded_by=recorded_by, source_name="903", batch_size=batch_size)
    if ticks.progress is not None:
        ticks.progress(done, ticks.total)
    outcomes: dict[int, _Outcome] = {}
    for _, steps in plans:
        for step in steps:
            outcomes[id(step.wanted)] = _Outcome(step.status)
    for out in taken_out:
        outcomes[id(out.step.wanted)] = _Outcome(REJECTED, store_refusal(out.reason) if out.by_store else out.reason)
    for number in loaded.skipped_lines:
        outcomes[id(by_line[number].wanted)] = _Outcome(Reconciled.PRESENT)
    for bad in loaded.rejected:
        outcomes[id(by_line[bad.line_no].wanted)] = _Outcome(REJECTED, store_refusal(bad.reason))
    _record_together(app, la, recorded_by, lines, by_line, outcomes)
    report.children += len(facts)
    for step in by_line.values():
        status = outcomes[id(step.wanted)].status
        report.appended += status == Reconciled.APPEND
        report.corrected += status == Reconciled.CORRECT
        bounded = status == Reconciled.APPEND and step.wanted.inferred
        report.inferred_starts += bounded and step.wanted.kind == "entered-care"
        report.bounded_ends += bounded and step.wanted.kind == "left-care"
    _account(report, rows, checked, outcomes, wanted, existed)
    return done
