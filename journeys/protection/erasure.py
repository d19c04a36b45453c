"""Erasure by crypto-shredding: a child's identifying values made unreadable for good, while the
hash chains verify and every report counts the child as before (docs/data-protection.md).

On an erasable store (sealing format 2) each child's protected values are tokens under its own
key (:mod:`journeys.storage.child_keys`). :func:`erase` appends an ``erased`` event (why, by
whom, when, and the retention override if any; no protected value) and destroys the key in the
same transaction; the events then read with the pseudonym ``erased-<8 hex of the stream id>``
in place of the reference, no date of birth (its year stays, kept in clear) and ``[erased]``
for free text. The read model is re-derived from them by its next catch-up, and
:func:`compact_after_erasure` leaves no copy of the key in the store's files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from journeys.domain.errors import ProtectionError
from journeys.domain.identity import content_id, fresh_event_id, journey_id
from journeys.domain.inputs import child_reference
from journeys.domain.protected import pseudonym
from journeys.domain.retention import HELD, KEPT, RetentionRule, retention_of
from journeys.domain.timeline import ERASED, Entry

if TYPE_CHECKING:
    from journeys.application import JourneysApp
    from journeys.domain.journey import Journey


@dataclass(frozen=True)
class Erasure:
    """A child erased: its LA, the reference it was erased under, the pseudonym it is shown
    by from now on, and the ``erased`` event."""

    la: str
    child: str
    pseudonym: str
    entry: Entry


def erase(
    app: JourneysApp,
    la: str,
    child: str,
    *,
    reason: str,
    override_retention: str | None,
    recorded_by: str,
    as_at: date,
    rules: tuple[RetentionRule, ...],
    source: str = "cli",
) -> Erasure:
    """Erase ``child`` of ``la``: refused, changing nothing, on a store of sealing format 1,
    for a child already erased, and for a record not yet due on ``as_at`` (``kept`` or
    ``held`` under ``rules``) unless ``override_retention`` says why."""
    keys = app.recorder.child_keys
    if keys is None:
        raise ProtectionError(
            "the store is of sealing format 1: its children's values are not kept under keys of their own, "
            "so no child can be erased from it",
            "make an erasable store (JOURNEYS_ERASABLE=1 when it is made) and load `journeys export` of this one "
            "into it (see docs/data-protection.md)",
        )
    if app.visible_las() is not None:
        raise ProtectionError(
            "only the store's owner can erase a child: this role sees only the local authorities granted to it",
            "connect as the role that owns the store's tables (--store postgresql://OWNER@…)",
        )
    child = child_reference(child)
    entries = app.entries(la, child)  # an unknown child is refused here
    erased = next((e for e in entries if e.kind == ERASED), None)
    if erased is not None:
        raise ProtectionError(
            f"child {child} ({la}) was already erased on {erased.recorded_at:%Y-%m-%d}",
            "see `journeys show` of the child for its residue",
        )
    retention = retention_of(entries, as_at, rules)
    if retention.status in (KEPT, HELD) and override_retention is None:
        why = (
            "under a legal hold"
            if retention.status == HELD
            else f"kept until {retention.review_from} ({retention.rule.id if retention.rule else 'no rule'})"
        )
        raise ProtectionError(
            f"the record of child {child} ({la}) is {why}, so it is not due for erasure",
            "erase it once it is due (`journeys retention`), or give --override-retention REASON",
        )
    stream = journey_id(la, child)

    def make(journey: Journey, now: datetime) -> Entry:
        base = content_id(la, child, ERASED, None, {"at": now.isoformat()})
        entry = journey.erase(
            reason=reason,
            retention_override=override_retention,
            recorded_at=now,
            recorded_by=recorded_by,
            source=source,
            event_id=fresh_event_id(journey.event_ids, base),
        )
        keys.erasing[stream] = reason  # the key is destroyed in the transaction that stores the event
        return entry

    try:
        entry = app.change(la, child, make)
    finally:
        keys.erasing.pop(stream, None)
    return Erasure(la, child, pseudonym(stream), entry)


def compact_after_erasure(app: JourneysApp) -> None:
    """No copy of a destroyed key left in the store's files: on SQLite freed pages zeroed, the
    write-ahead log emptied and the file rebuilt; on PostgreSQL the key table vacuumed."""
    app.recorder.erasure_compact()
