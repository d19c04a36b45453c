"""How :func:`load_lines` appends parsed JSONL lines to an app's store: in batches, each saved
in one transaction, every line loaded, skipped (already stored) or rejected with its reason.

Each line goes through its journey's rules as :meth:`JourneysApp.record` would; a journey of
an earlier batch of the same load is kept rather than read back, and a decision (or a
correction) is sealed in bulk as its stored JSON (see :class:`SealedJourney`). The recording
time is read once per batch.

A line its child's rules refuse is tried again once the whole file is read, if a later line
of the same child loaded (see :mod:`journeys.loading.refusals`): what a load stores depends
on the file and the store only, and loading the same file again loads nothing. The rejects
are written to disk as they come (:class:`Rejects`).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, ProgrammingError

from journeys.clock import recording_time
from journeys.domain.errors import EventNotFound, JourneyError, RestoreMismatch, RuleBroken, StoreError, TamperedEvent
from journeys.domain.identity import journey_id
from journeys.domain.inputs import case_clash, case_key, case_variants, check_la
from journeys.domain.journey import Journey
from journeys.domain.timeline import (
    ACTION_ADDED,
    ACTION_CANCELLED,
    ACTION_DONE,
    ACTION_EDITED,
    CARERS_SEEN,
    CORRECT,
    LEGAL_HOLD,
    RETRACT,
)
from journeys.loading.jsonl import LoadLine, Rejected
from journeys.loading.lossless import KEY, OPENED
from journeys.loading.present import clash_with_stored
from journeys.loading.refusals import Outcome, Refusals
from journeys.loading.rejects import Rejects
from journeys.loading.sealed import SealedJourney
from journeys.loading.sizes import LOAD_BATCH
from journeys.storage.conflicts import refused_write
from journeys.workers import collection_paused

if TYPE_CHECKING:
    from journeys.application import JourneysApp

# Lines between two collections of the young objects while the cycle collector is paused.
COLLECT_EVERY = 100_000

# How many journeys a load keeps between batches (a child's lines often span two batches).
KEPT_JOURNEYS = 1000

Row = tuple[UUID, int, str, bytes]  # stream, version, stored topic, stored state


@dataclass
class LoadReport:
    """What a load did with each line: ``loaded + skipped + len(rejected)`` is the number of
    lines read (blank lines aside). ``rejected`` is read from disk, in line order."""

    loaded: int = 0
    skipped: int = 0
    rejected: Rejects = field(default_factory=Rejects)
    skipped_lines: list[int] = field(default_factory=list)


def load_lines(
    app: JourneysApp,
    items: Iterable[LoadLine | Rejected],
    *,
    recorded_by: str,
    source_name: str,
    batch_size: int = LOAD_BATCH,
    bulk: bool = True,
    spool: Path | None = None,
    retrying: Callable[[int], None] | None = None,
) -> LoadReport:
    """Append parsed JSONL lines to ``app``'s store in batches; each line is loaded, skipped
    or rejected.

    A line whose id is already in its child's stream is skipped; a line its child's rules
    refused is tried again once the child has taken a later line (see the module's doc), so
    loading a file twice appends nothing. Each batch is saved in one transaction.

    A decision is sealed in bulk (its stored JSON built from the fields validated when
    the line was read, without a pydantic event object; see ``Journey.record``). With
    ``bulk=False`` every line goes through its event object, as :meth:`JourneysApp.record`
    does: the store is byte-for-byte the same, only slower (a property test holds the two equal).

    The rejects are written to files in ``spool`` (a folder the caller made and removes) or
    in a temporary folder of the report's own. ``retrying`` is told, after each batch of lines
    tried again, how many have been.
    """
    return BatchLoad(app, recorded_by, source_name, bulk, spool, retrying).run(items, batch_size)


class BatchLoad:
    """One load into ``app``'s store."""

    def __init__(
        self,
        app: JourneysApp,
        recorded_by: str,
        source_name: str,
        bulk: bool,
        spool: Path | None = None,
        retrying: Callable[[int], None] | None = None,
    ) -> None:
        self.app = app
        self.recorded_by = recorded_by
        self.source_name = source_name
        self.bulk = bulk
        self.retrying = retrying
        self.report = LoadReport(rejected=Rejects(spool))
        self.kept: dict[UUID, Journey] = {}  # the journeys of recent batches, as saved
        self.refusals = Refusals(self.report.rejected, self._name)

    def run(self, items: Iterable[LoadLine | Rejected], batch_size: int) -> LoadReport:
        report, refusals = self.report, self.refusals
        unread = report.rejected.writer(self._name("unread"))
        batch: list[LoadLine] = []
        uncollected = 0  # lines since the last collection
        with collection_paused():
            for item in items:
                uncollected += 1
                if uncollected >= COLLECT_EVERY:
                    gc.collect(1)  # the young objects only: any cycles made since the last time
                    uncollected = 0
                if isinstance(item, Rejected):
                    unread.write(item.line_no, item.reason)
                    continue
                batch.append(item)
                if len(batch) >= batch_size:
                    refusals.write(batch, self._load_batch(batch))
                    batch = []
            if batch:
                refusals.write(batch, self._load_batch(batch))
            report.rejected.add(unread)
            refusals.retry(self._load_batch, batch_size, self.retrying or _nobody)
        self._end_load()
        report.skipped_lines.sort()
        return report

    def _name(self, run: str) -> str:
        """A run's file name, unique among the processes of one load that share a folder."""
        return f"{os.getpid()}-{run}"

    # -- one batch ------------------------------------------------------------------------

    def _load_batch(self, batch: list[LoadLine]) -> list[Outcome]:
        """Apply a batch's lines to their journeys and save them in one transaction: for each
        line, why it did not load (None when it loaded or was already present). A journey
        saved by an earlier batch of the same load is taken from ``kept`` rather than read back."""
        app, report, kept, bulk, refusals = self.app, self.report, self.kept, self.bulk, self.refusals
        recorded_by = self.recorded_by
        now = recording_time()
        journeys: dict[UUID, Journey] = {}
        outcomes: list[Outcome] = []
        keys = _journey_ids(batch)
        stored = app.recorder.stored_streams({key for key in keys if key not in kept})
        clashes = self._case_clashes(batch, keys, stored)
        opened: dict[tuple[str, str], str] = {}  # the children this batch opens, by LA and case-folded reference
        for key, line in zip(keys, batch, strict=True):
            refusals.tick += 1
            tick = refusals.tick
            journey: Journey | None = journeys.get(key)
            source = line.source or f"load:{self.source_name}:{line.line_no}"
            if journey is None:
                journey = kept.pop(key, None)
                if journey is None and key in stored:
                    journey = app.find(line.la, line.child)
                if journey is None:
                    try:
                        journey = self._open(line, clashes.get(key), opened, now, source)
                    except JourneyError as error:
                        outcomes.append((error.full_message(), tick, False))
                        continue
                    journeys[key] = journey
                    if line.kind == OPENED:  # a lossless line: the journey's opening event it restores
                        report.loaded += 1
                        outcomes.append(None)
                        refusals.loaded(key)
                        continue
                elif bulk:
                    journey = SealedJourney.of(journey)  # read from the store: what it records now is sealed too
                journeys[key] = journey
            if line.event_id in journey.event_ids:
                clash = clash_with_stored(journey, line)
                if clash is None:
                    report.skipped += 1
                    report.skipped_lines.append(line.line_no)
                    outcomes.append(None)
                else:
                    outcomes.append((clash, tick, False))
                continue
            recorded = line.recorded
            try:
                if recorded is None:
                    _apply_line(journey, line, now, recorded_by, source)
                else:
                    _restore_line(journey, line)
            except JourneyError as error:
                # a restored line is refused for good: its place in the stream is fixed
                for_good = recorded is not None or _refused_whatever_the_child_holds(line, error)
                outcomes.append((error.full_message(), tick, not for_good))
                if not for_good:
                    refusals.refused(key)
            else:
                report.loaded += 1
                outcomes.append(None)
                refusals.loaded(key)
        # What save() does for an application without snapshots, cache or followers: insert the
        # batch's new events in one transaction, stored as the JSON content they were sealed with.
        encode = app.mapper.state_of  # its JSON, compressed and encrypted as the store's settings ask
        self._insert(
            [
                (key, version, topic, encode(content, topic))
                for journey in journeys.values()
                for key, version, topic, content in journey.collect_sealed()
            ],
            {journey.id: journey.la for journey in journeys.values()},
        )
        kept.update(journeys)
        if len(kept) > KEPT_JOURNEYS:  # keep the most recent; rebuilt, as deleting from the front slows a dict
            recent = list(kept.items())[-KEPT_JOURNEYS:]
            kept.clear()
            kept.update(recent)
        return outcomes

    def _case_clashes(self, batch: list[LoadLine], keys: list[UUID], stored: set[UUID]) -> dict[UUID, str]:
        """For each child the batch would open, a stored reference of its LA that differs from
        it only by case: every spelling of every new child looked up in one query."""
        spellings: dict[UUID, tuple[UUID, str]] = {}  # a spelling's stream: the new child's, and the spelling
        seen: set[UUID] = set()
        for key, line in zip(keys, batch, strict=True):
            if key in stored or key in self.kept or key in seen:
                continue
            seen.add(key)
            for other in case_variants(line.child):
                spellings[journey_id(line.la, other)] = (key, other)
        if not spellings:
            return {}
        return {spellings[s][0]: spellings[s][1] for s in self.app.recorder.stored_streams(set(spellings))}

    def _open(
        self, line: LoadLine, clash: str | None, opened: dict[tuple[str, str], str], now: datetime, source: str
    ) -> Journey:
        """A new journey for a line's child, refused when its LA code is not a DfE one (unless
        the app allows unknown codes) or its reference differs only by case from a stored one
        or from one this batch opens."""
        la = check_la(line.la, allow_unknown=self.app.allow_unknown_la)
        folded = (la, case_key(line.child))
        other = clash or opened.get(folded)
        if other is not None and other != line.child:
            raise case_clash(la, line.child, other)
        opening = SealedJourney if self.bulk else Journey
        recorded = line.recorded
        protection = self.app.new_protection(la, line.child, line.fields.get(KEY) if line.kind == OPENED else None)
        if recorded is None:
            journey = opening.open(
                la, line.child, recorded_at=now, recorded_by=self.recorded_by, source=source, protection=protection
            )
        elif line.kind != OPENED:
            raise RestoreMismatch(
                f"event {recorded.seq} of child {line.child} does not fit: the store holds no journey for "
                "the child, and a restored journey begins with its 'opened' line (event 1)"
            )
        else:
            journey = opening.open(
                la, line.child, recorded_at=recorded.at, recorded_by=recorded.by, source=source, protection=protection
            )
            if journey.head_hash != recorded.hash:
                raise TamperedEvent(
                    f"event 1 of child {line.child} does not seal to the hash it was recorded with: "
                    "the line is not as it was stored"
                )
        opened[folded] = line.child  # only once it is open: a child that could not be opened clashes with none
        return journey

    def _insert(self, rows: list[Row], las: dict[UUID, str]) -> None:
        """Insert a load batch's events (stream, version, topic, state) in one transaction,
        through the recorder's bulk insert, with each stream's local authority."""
        try:
            self.app.recorder.insert_bulk(rows, las)
        except ProgrammingError as error:
            refused = refused_write(las.values(), error)
            if refused is None:
                raise
            raise refused from None
        except IntegrityError:
            raise StoreError(
                # a load's or an import's batch (import-903 saves its events through this load)
                "another process recorded events for a child of this batch at the same time; "
                "nothing of this batch was stored",
                "run the same command again: what is already stored is skipped",
            ) from None

    def _end_load(self) -> None:
        """After a load: what the store settled for its batches put back."""
        self.app.recorder.end_bulk()


def _nobody(count: int) -> None:
    pass


def _apply_line(journey: Journey, line: LoadLine, now: datetime, recorded_by: str, source: str) -> None:
    meta: dict[str, Any] = {"recorded_at": now, "recorded_by": recorded_by, "source": source}
    if line.kind in (CORRECT, RETRACT):
        target = next((e.seq for e in journey.entries if e.event_id == line.target_id), None)
        if target is None:
            raise EventNotFound(f"no event with id {line.target_id!r} for child {line.child}")
        if line.kind == CORRECT:
            journey.correct(
                target,
                on=line.on,
                fields=line.fields,
                reason=line.reason or "",
                event_id=line.event_id,
                **meta,
            )
        else:
            journey.retract(target, reason=line.reason or "", event_id=line.event_id, **meta)
    elif line.kind == ACTION_ADDED:
        f = line.fields
        journey.add_action(
            f["action_id"], text=f["text"], owner=f["owner"], due=f["due"], event_id=line.event_id, **meta
        )
    elif line.kind == ACTION_DONE:
        journey.complete_action(line.fields["action_id"], note=line.fields.get("note"), event_id=line.event_id, **meta)
    elif line.kind == LEGAL_HOLD:
        journey.legal_hold(reason=line.reason or "", lifted=line.fields["lifted"], event_id=line.event_id, **meta)
    elif line.kind == ACTION_EDITED:
        f = line.fields
        journey.edit_action(
            f["action_id"], owner=f.get("owner"), due=f.get("due"), text=f.get("text"), event_id=line.event_id, **meta
        )
    elif line.kind == CARERS_SEEN:
        assert line.on is not None
        journey.note_carers(on=line.on, since=line.fields["since"], event_id=line.event_id, **meta)
    elif line.kind == ACTION_CANCELLED:
        journey.cancel_action(line.fields["action_id"], reason=line.fields["reason"], event_id=line.event_id, **meta)
    else:
        assert line.on is not None
        journey.record(line.kind, line.on, line.fields, event_id=line.event_id, **meta)


def _restore_line(journey: Journey, line: LoadLine) -> None:
    """Append a lossless line's event as it was recorded (its time, user and source), refused
    unless it is the next event of the child's stream and seals to its recorded hash."""
    recorded = line.recorded
    assert recorded is not None
    if recorded.seq != journey.version + 1:
        raise RestoreMismatch(
            f"event {recorded.seq} of child {line.child} does not fit: the child's stream here holds "
            f"{journey.version} event(s), not the export's first {recorded.seq - 1}"
        )
    journey.restoring(recorded.hash)
    try:
        _apply_line(journey, line, recorded.at, recorded.by, recorded.source)
    finally:
        journey.restoring(None)  # spent by the event sealed, or left by a refused command


def _refused_whatever_the_child_holds(line: LoadLine, error: JourneyError) -> bool:
    """Whether ``line`` is refused, for the same reason, whatever its child's timeline holds,
    so that trying it again is no use: a decision dated in the future (the decisions before it
    in effective order passed when they were recorded, so the rules' walk reaches it, and refuses
    it first for its date)."""
    return isinstance(error, RuleBroken) and error.rule == "future" and line.kind not in NOT_DECISIONS


NOT_DECISIONS = frozenset(
    {CORRECT, RETRACT, ACTION_ADDED, ACTION_EDITED, ACTION_DONE, ACTION_CANCELLED, LEGAL_HOLD, CARERS_SEEN}
)


def _journey_ids(batch: list[LoadLine]) -> list[UUID]:
    """Each line's stream id (a child's lines mostly come together: its id is looked up once
    for a run of them)."""
    keys: list[UUID] = []
    last: tuple[str, str, UUID] | None = None
    for line in batch:
        if last is None or line.child != last[1] or line.la != last[0]:
            last = (line.la, line.child, journey_id(line.la, line.child))
        keys.append(last[2])
    return keys
