"""Comparing what the 903 rows call for with what a child's journey already holds.

Each wanted decision is either already present (same id, same date and fields), new (to be
appended), or a changed fact (to be corrected - never recorded twice). Where two returns
disagree the newest wins, whichever was imported first; a first-of decision (entering
care, the placement order, a placement for adoption) seen earlier in an older return moves
to the earlier date; a start of care that had to be inferred gives way to the real one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import uuid5

import orjson

from journeys.domain.identity import JOURNEYS_NAMESPACE
from journeys.domain.timeline import CARERS_SEEN
from journeys.domain.vocabulary import KIND_RANK
from journeys.ssda903.wanted import Known, StoredJourney, Wanted


class Reconciled(StrEnum):
    """What a wanted decision needs, against what the journey already holds."""

    APPEND = "append"  # new: appended as a decision
    CORRECT = "correct"  # a changed fact: the stored decision is corrected
    PRESENT = "present"  # already held: nothing is written
    RETRACT = "retract"  # a bounded end of care that the real end (an adoption order) replaces


@dataclass(frozen=True)
class ImportStep:
    """One thing an import does (or, when present, need not do) about one wanted decision."""

    wanted: Wanted
    status: Reconciled
    event_id: str  # of the new event (the decision, or the correction)
    target_id: str | None = None  # the decision a correction supersedes
    fields: dict[str, Any] | None = None
    reason: str = ""
    sort_on: date | None = None

    def sort_key(self) -> tuple[date, int]:
        # the old end goes first; a fact that is not a decision (carers-seen) last
        rank = -1 if self.status == Reconciled.RETRACT else KIND_RANK.get(self.wanted.kind, len(KIND_RANK))
        return (self.sort_on or self.wanted.on, rank)


def _merged_fields(w: Wanted, known: Known) -> dict[str, Any]:
    return {k: (known.decision.fields.get(k) if k in w.unknown else val) for k, val in w.fields.items()}


def _verdict(w: Wanted, known: Known, spanning: bool) -> str | None:
    """Why ``known`` should be corrected to ``w`` (None when it stands)."""
    stored = known.decision
    fields = _merged_fields(w, known)
    if w.on == stored.on and all(stored.fields.get(k) == val for k, val in fields.items()):
        return None
    if w.on == stored.on and all(stored.fields.get(k) in (None, val) for k, val in fields.items()):
        return f"the 903 return {w.row.where} fills in what was not known"
    if known.inferred and not w.inferred:
        return f"the {'start' if w.kind == 'entered-care' else 'end'} of care is in the 903 return {w.row.where}"
    if spanning or w.span is not None:
        if w.on < stored.on:
            return f"the 903 return {w.row.where} shows this {w.kind} earlier, on {w.on}"
        if w.on > stored.on:
            return None  # the earlier view stands: a first-of decision only moves earlier
    if known.year is not None and known.year > w.row.year:
        return None  # a newer return already said otherwise
    return f"changed by the 903 return {w.row.where}"


def _may_move(w: Wanted, found: Known) -> bool:
    """Whether ``found``, a decision of ``w``'s kind in ``w``'s span, can be the same fact seen
    earlier. A start of care the store knows exactly (RNE = S, not marked ``on_or_before``) is the
    start of its own period: an older return's start of an earlier period (open at that return's
    year end) is another period, never a correction of it; the same start read again is that start."""
    return w.kind != "entered-care" or found.inferred or found.decision.on == w.on


_ENDS = frozenset({"left-care", "adoption-order"})


def _retraction(la: str, child: str, w: Wanted, bound: Known) -> ImportStep:
    """The step that retracts a bounded end of care, ``bound``, which ``w`` (the real end) replaces."""
    gone = Wanted("left-care", "retracted", bound.decision.on, {}, w.row, w.column)
    event_id = str(uuid5(JOURNEYS_NAMESPACE, f"903-retract:{la}:{child}:{bound.event_id}"))
    reason = f"the end of care is in the 903 return {w.row.where}: {w.kind} on {w.on}"
    return ImportStep(gone, Reconciled.RETRACT, event_id, bound.event_id, reason=reason, sort_on=w.on)


def reconcile(la: str, child: str, wanted: Iterable[Wanted], store: StoredJourney) -> list[ImportStep]:
    """What to do about each wanted decision of one child, in the order to do it."""
    steps: list[ImportStep] = []
    claimed: set[str] = set()
    for w in sorted(wanted, key=lambda w: (w.on, KIND_RANK.get(w.kind, len(KIND_RANK)))):
        wid = w.event_id(la, child)
        if w.kind == CARERS_SEEN:  # not a decision: recorded once, never corrected
            steps.append(ImportStep(w, Reconciled.PRESENT if wid in store.seen_ids else Reconciled.APPEND, wid))
            continue
        known = store.known.get(wid)
        spanning = False
        if known is None and w.span is not None:
            found = store.first_of_kind_in(w.kind, w.span, exclude=wid)
            if found is not None and found.event_id not in claimed and _may_move(w, found):
                known, spanning = found, True
        if known is None and w.kind in _ENDS:
            bound = store.bounded_end(w.on)
            if bound is not None and bound.event_id not in claimed:
                claimed.add(bound.event_id)
                if w.kind == "left-care":
                    known, spanning = bound, True
                else:  # the end is an adoption order: the bounded left-care gives way to it
                    steps.append(_retraction(la, child, w, bound))
        if known is None:
            steps.append(ImportStep(w, Reconciled.APPEND, wid, fields=w.fields))
            continue
        claimed.add(known.event_id)
        why = _verdict(w, known, spanning)
        if why is None:
            steps.append(ImportStep(w, Reconciled.PRESENT, known.event_id))
            continue
        fields = _merged_fields(w, known)
        body = orjson.dumps(
            [known.event_id, len(known.decision.corrected_by), w.on, fields], option=orjson.OPT_SORT_KEYS, default=str
        )
        correction_id = str(uuid5(JOURNEYS_NAMESPACE, f"903-correct:{la}:{child}:{body.decode()}"))
        steps.append(
            ImportStep(w, Reconciled.CORRECT, correction_id, known.event_id, fields, why, min(w.on, known.decision.on))
        )
    return sorted(steps, key=ImportStep.sort_key)
