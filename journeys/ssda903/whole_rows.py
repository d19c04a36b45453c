"""A row is imported whole or not at all (docs/ssda903.md, "Rows rejected").

One 903 row can give several decisions: a PlacedAdoption row its adoption decision and the plan
change that ends it, an episode its placement and the adoption order that ends it. When the
journey store would refuse one of them, the others must not be recorded from that row. Before a
child's decisions go to the loader, its plan is tried here in memory with the store's own rules
(:func:`journeys.domain.rules.check_timeline`), as the loader will apply it: each new decision
in turn, those refused tried once more after the rest and then all together. A row whose
decision is refused while another of its decisions would stand has all of them taken out of the
plan, and the plan is tried again. The common case costs one walk of the child's timeline: a plan
whose whole timeline passes is loaded as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from journeys.domain.errors import JourneyError
from journeys.domain.rules import check_timeline
from journeys.domain.timeline import Decision
from journeys.domain.vocabulary import KIND_RANK
from journeys.ssda903.reconcile import ImportStep, Reconciled
from journeys.ssda903.tables import Row
from journeys.ssda903.wanted import StoredJourney, Wanted


@dataclass(frozen=True)
class Refused:
    """A step taken out of a plan, and why (the store's message, or the row's refused part)."""

    step: ImportStep
    reason: str
    by_store: bool  # the store's rules refuse it (else: another part of its row was refused)


class _Trial:
    """A child's stored decisions, against which steps of its plan are tried."""

    def __init__(self, store: StoredJourney, writing: list[ImportStep], today: date) -> None:
        self.base = {k.decision.seq: k.decision for k in store.known.values()}
        self.targets = {k.event_id: k.decision.seq for k in store.known.values()}
        first = max(self.base, default=1) + 1
        self.seqs = {id(s): first + i for i, s in enumerate(writing)}
        self.today = today

    def timeline(self, steps: list[ImportStep]) -> list[Decision]:
        decisions = dict(self.base)
        for step in steps:
            w = step.wanted
            if step.status == Reconciled.APPEND:
                if w.kind not in KIND_RANK:
                    continue  # not a decision (carers-seen): no rule of the timeline applies
                seq = self.seqs[id(step)]
                decisions[seq] = Decision(seq, w.kind, w.on, w.fields)
                continue
            target = decisions.get(self.targets.get(step.target_id or "", 0))
            if target is None:
                continue
            if step.status == Reconciled.CORRECT:
                merged = {**target.fields, **(step.fields or {})}
                decisions[target.seq] = Decision(target.seq, target.kind, w.on, merged)
            elif step.status == Reconciled.RETRACT:
                del decisions[target.seq]
        return sorted(decisions.values(), key=Decision.sort_key)

    def refusal(self, steps: list[ImportStep]) -> str | None:
        """The store's message when the timeline with ``steps`` breaks a rule (None when it passes)."""
        try:
            check_timeline(self.timeline(steps), self.today)
        except JourneyError as error:
            return error.full_message()
        return None

    def refused(self, steps: list[ImportStep]) -> dict[int, str]:
        """The steps the loader will refuse (by ``id``), with the store's message: each in turn,
        those refused once more after the rest, then all still refused together."""
        taken: list[ImportStep] = []
        refused: list[tuple[ImportStep, str]] = []
        for step in steps:
            why = self.refusal([*taken, step])
            if why is None:
                taken.append(step)
            else:
                refused.append((step, why))
        still: list[tuple[ImportStep, str]] = []
        for step, why in refused:
            if self.refusal([*taken, step]) is None:
                taken.append(step)
            else:
                still.append((step, why))
        if still and self.refusal([*taken, *(s for s, _ in still)]) is None:
            return {}
        return {id(step): why for step, why in still}


def whole_rows(steps: list[ImportStep], store: StoredJourney, today: date) -> tuple[list[ImportStep], list[Refused]]:
    """The steps of a child's plan to load, and those taken out so that no row half-applies."""
    writing = [s for s in steps if s.status != Reconciled.PRESENT]
    if not writing:
        return steps, []
    trial = _Trial(store, writing, today)
    if trial.refusal(writing) is None:
        return steps, []  # the whole timeline passes: nothing will be refused
    out: list[Refused] = []
    while True:
        refused = trial.refused(writing)
        if not refused:
            break
        refused_rows = {row: s for s in writing if id(s) in refused for row in _rows(s.wanted)}
        split = [s for s in writing if id(s) not in refused and s.wanted.row in refused_rows]
        if not split:
            break  # no row half-applies: the loader refuses these steps, as it would
        for step in split:
            part = refused_rows[step.wanted.row].wanted
            what = f"{part.column}" if part.row == step.wanted.row else f"{part.kind} ({part.row.where})"
            why = f"not recorded: the row's {what} was refused (a row is imported whole or not at all)"
            out.append(Refused(step, why, by_store=False))
        for step in writing:
            if id(step) in refused and any(s.wanted.row in _rows(step.wanted) for s in split):
                out.append(Refused(step, refused[id(step)], by_store=True))
        gone = {id(r.step) for r in out}
        writing = [s for s in writing if id(s) not in gone]
    gone = {id(r.step) for r in out}
    return [s for s in steps if id(s) not in gone], out


def _rows(w: Wanted) -> tuple[Row, ...]:
    """The rows that stand or fall with ``w``."""
    return (w.row, *w.supporters)
