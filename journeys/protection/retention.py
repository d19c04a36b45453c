"""Retention used: a legal hold placed on (or lifted from) a child's record, and the children
whose records are due for review on a day, each with the rule that applies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from journeys.domain.identity import content_id, fresh_event_id
from journeys.domain.inputs import child_reference
from journeys.domain.retention import DUE, HELD, KEPT, UNKNOWN, Retention, RetentionRule, retention_of
from journeys.domain.timeline import ERASED, LEGAL_HOLD, Entry
from journeys.progress import Progress

if TYPE_CHECKING:
    from journeys.application import JourneysApp
    from journeys.domain.journey import Journey

STATUSES = (DUE, HELD, UNKNOWN, KEPT)  # in the order a report lists them


@dataclass(frozen=True)
class RetentionRow:
    la: str
    child: str
    retention: Retention


@dataclass
class RetentionReport:
    """Every child's retention on ``as_at`` that the report lists, and how many of each status
    the store holds (of the LA asked for)."""

    as_at: date
    rules: tuple[RetentionRule, ...]
    rows: list[RetentionRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))


def legal_hold(
    app: JourneysApp, la: str, child: str, *, reason: str, lifted: bool = False, recorded_by: str, source: str = "cli"
) -> Entry:
    """Place a legal hold on ``child``'s record (``lifted``: lift the one in force), appended
    to the child's stream as a ``legal-hold`` event, which no report counts."""
    child = child_reference(child)

    def make(journey: Journey, now: datetime) -> Entry:
        base = content_id(la, child, LEGAL_HOLD, None, {"lifted": lifted, "at": now.isoformat()})
        return journey.legal_hold(
            reason=reason,
            lifted=lifted,
            recorded_at=now,
            recorded_by=recorded_by,
            source=source,
            event_id=fresh_event_id(journey.event_ids, base),
        )

    return app.change(la, child, make)


def retention_report(
    app: JourneysApp,
    as_at: date,
    rules: tuple[RetentionRule, ...],
    *,
    las: Iterable[str] | None = None,
    every: bool = False,
    progress: Progress | None = None,
) -> RetentionReport:
    """The children (of ``las``, else every LA) whose records are due for review on ``as_at``,
    under a legal hold, or under no rule (no adoption order and no date of birth recorded); with
    ``every``, the children not yet due too; an erased child is left out. Ordered by status,
    then review date, LA, child."""
    wanted = None if las is None else set(las)
    report = RetentionReport(as_at, rules)
    total = app.head() if progress is not None else 0
    done = 0
    for la, child, entries in app.streams():
        if progress is not None:
            done += len(entries)
            progress(min(done, total), total)
        if (wanted is not None and la not in wanted) or any(e.kind == ERASED for e in entries):
            continue  # (an erased child's record has nothing left to review: see `journeys erase`)
        retention = retention_of(entries, as_at, rules)
        report.counts[retention.status] += 1
        if every or retention.status != KEPT:
            report.rows.append(RetentionRow(la, child, retention))
    report.rows.sort(key=_order)
    if progress is not None:
        progress(total, total)
    return report


def _order(row: RetentionRow) -> tuple[int, date, str, str]:
    r = row.retention
    return (STATUSES.index(r.status), r.review_from or date.min, row.la, row.child)
