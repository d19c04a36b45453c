"""From one child's 903 facts to the decisions of its journey (see docs/ssda903.md).

Episodes are walked in date order: RNE = S opens a period of care; the first E1 (or D1)
legal status is the placement order; an A3-A6 placement starts a placement for adoption,
which ends in an adoption order (REC E11/E12), in leaving care, or - when the child stays
in care - in a disruption (inferred: 903 does not code it). PlacedAdoption rows give the
adoption decisions and their reversals (RD1-RD4), AD1 the match, Header the birth date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from journeys.domain import vocabulary
from journeys.domain.timeline import CARERS_SEEN
from journeys.ssda903 import codes
from journeys.ssda903.facts import Ad1, AdoptionDecision, Birth, Checked, Episode, Fact
from journeys.ssda903.route_exits import add_route_orders
from journeys.ssda903.tables import Row
from journeys.ssda903.wanted import StoredJourney, Wanted

# Foster placements (U1-U6): the carers a child may later be placed with for adoption (A3/A5).
_FOSTER = "U"

# Decisions that show the child looked after when they were made.
_IN_CARE = frozenset({"adoption-decision", "placement-order", "match", "placed"})


@dataclass
class _Period:
    entered: Wanted | None  # None when the period is already in the store
    start: date
    po: Wanted | None = None
    placed: Wanted | None = None  # the current placement for adoption, when it starts in these rows
    placing: bool = False  # the child is placed for adoption now
    episodes: list[Episode] = field(default_factory=list)


def _carers_since(e: Episode, earlier: list[Episode], seen: dict[date, date]) -> date | None:
    """When the child started living with the carers it is placed with: the start of the run of
    same-carer episodes the rows show, or, where the run goes back beyond them, what an older
    return showed of it (``seen``: the episode's start -> the carers'). None when neither tells."""
    current = e
    for before in reversed(earlier):
        if current.rne not in codes.SAME_CARER:
            break
        if before.dec != current.decom:
            return None
        current = before
    return current.decom if current.rne not in codes.SAME_CARER else seen.get(current.decom)


class _EpisodeWalk:
    def __init__(self, checked: Checked, store: StoredJourney) -> None:
        self.checked = checked
        self.store = store
        self.out: list[Wanted] = []
        self.period: _Period | None = None
        self.ended: Episode | None = None  # the episode that ended the last period

    def want(self, kind: str, key: date | str, on: date, row: Row, column: str, **kw: object) -> Wanted:
        fields = kw.pop("fields", {})
        assert isinstance(fields, dict)
        wanted = Wanted(kind, str(key), on, fields, row, column, **kw)  # type: ignore[arg-type]
        self.out.append(wanted)
        return wanted

    def episodes(self, episodes: list[Episode]) -> None:
        ordered = sorted(episodes, key=lambda e: e.decom)
        for e in [e for e, after in pairwise(ordered) if self._end_missing(e, after)]:
            ordered.remove(e)
        for e in ordered:
            if self._open(e):
                self._within(e)
        self._bound_open_end()
        self._close_spans(None)

    def note_carers(self) -> None:
        """A period on an adoption track the rows show open, the child with foster carers: what they
        show of those carers is kept (``carers-seen``, not a decision), for a later return's placement
        with them (A3/A5), whose own rows may not reach back to when the child came to them."""
        p = self.period
        if p is None or not p.episodes:
            return
        last = p.episodes[-1]
        if last.dec is not None or not last.place.startswith(_FOSTER):
            return
        deciding = any(w.kind == "adoption-decision" for w in self.out) or any(
            k.decision.kind == "adoption-decision" for k in self.store.known.values()
        )
        since = _carers_since(last, p.episodes[:-1], self.store.carers) if deciding else None
        if since is not None:
            self.want(CARERS_SEEN, f"{last.decom}:{since}", last.decom, last.row, "PLACE", fields={"since": since})

    def _bound_open_end(self) -> None:
        """A period the rows show open at their end, while the store holds a later start of care
        known exactly: it ended on or before the day before that start (the return with its end
        has not been imported). Recorded as a bounded ``left-care`` that the real end corrects."""
        p = self.period
        if p is None or not p.episodes:
            return
        later = self.store.later_exact_start(p.start)
        last = p.episodes[-1]
        if later is None or last.decom >= later:
            return
        held = self.store.period_containing(last.decom)
        if held is not None and held.ended is not None and self.store.bounded_end(last.decom) is None:
            return  # the store holds the real end
        self._bounded_left_care(p.start, later, last.row, "DEC")

    def _bounded_left_care(self, start: date, later: date, row: Row, column: str) -> None:
        fields = {"reason_code": None, "on_or_before": True}
        self.want("left-care", f"bounded:{start}", later - timedelta(days=1), row, column, fields=fields, inferred=True)

    def _end_stored_open_period(self, e: Episode) -> None:
        """A start of care (RNE = S) inside a stored period that is open and holds nothing from
        that day on: an older return showed that period open at its year end, and its end is in a
        return not imported yet. It ended on or before the day before this start (bounded)."""
        stored = self.store.period_containing(e.decom)
        if stored is None or stored.ended is not None or stored.entered_care is None:
            return
        if stored.entered_care >= e.decom or any(d.on >= e.decom for d in stored.decisions):
            return
        self._bounded_left_care(stored.entered_care, e.decom, e.row, "RNE")

    def _end_missing(self, e: Episode, after: Episode) -> bool:
        """An episode left open (DEC and REC blank) though the next episode of the same period
        starts after it: its missing DEC is its own row's fault, the next episode stands."""
        if e.dec is not None or after.rne == codes.STARTED or after.decom <= e.decom:
            return False
        self.checked.reject(
            e.row,
            "DEC",
            f"DEC is blank (the episode still open), but the next episode starts on {after.decom} "
            f"({after.row.where}): an episode ends (DEC, REC X1) the day the next one begins",
        )
        return True

    def _open(self, e: Episode) -> bool:
        p = self.period
        if p is not None:
            last = p.episodes[-1]
            if e.rne == codes.STARTED:
                self.checked.reject(
                    e.row,
                    "RNE",
                    f"RNE = S (started to be looked after), but the child is looked after since {p.start} "
                    f"(episode {last.row.where} {'is still open' if last.dec is None else 'ended X1'})",
                )
                return False
            if last.dec is None or e.decom < last.dec:
                self.checked.reject(
                    e.row,
                    "DECOM",
                    f"the episode starts on {e.decom} while the episode from {last.decom} ({last.row.where}) "
                    f"{'is still open' if last.dec is None else f'lasts until {last.dec}'}",
                )
                return False
            return True
        if e.rne == codes.STARTED:
            end = self.ended
            if end is not None and end.dec is not None and e.decom < end.dec:
                self.checked.reject(
                    e.row,
                    "DECOM",
                    f"the child starts to be looked after on {e.decom}, before the previous period of care "
                    f"ended on {end.dec} ({end.row.where})",
                )
                return False
            if end is None:
                self._end_stored_open_period(e)
            fields: dict[str, object] = {"legal_status": e.ls, "on_or_before": None}  # the start itself
            wanted = self.want("entered-care", e.decom, e.decom, e.row, "DECOM", fields=fields)
            self.period = _Period(wanted, e.decom)
            return True
        if self.ended is not None:
            end = self.ended
            self.checked.reject(
                e.row,
                "RNE",
                f"RNE = {e.rne}, but the child left care on {end.dec} ({end.rec}, {end.row.where}): "
                "a new period of care starts with RNE = S",
            )
            return False
        stored = self.store.period_containing(e.decom)
        if stored is not None and stored.entered_care is not None:
            self.period = _Period(None, stored.entered_care)
            self.period.placing = self.store.placed_on(e.decom, stored)
            return True
        # The start of care is not in these rows: on or before what they show (partial knowledge)
        fields = {"legal_status": e.ls, "on_or_before": True}
        wanted = self.want("entered-care", e.decom, e.decom, e.row, "RNE", fields=fields, inferred=True)
        self.period = _Period(wanted, e.decom)
        return True

    def _within(self, e: Episode) -> None:
        p = self.period
        assert p is not None
        earlier = p.episodes
        if p.entered is not None and e.row is not p.entered.row:
            p.entered.supporters.append(e.row)
        if p.po is None and e.ls in codes.PLACEMENT_AUTHORITY:
            p.po = self.want("placement-order", e.decom, e.decom, e.row, "LS", fields={"authority": "placement-order"})
        adoptive = e.place in vocabulary.ADOPTION_PLACEMENTS
        prev = earlier[-1] if earlier else None
        if prev is None:  # the first episode these rows hold of a period the store already has
            continues = p.placing and adoptive and (e.rne in codes.SAME_CARER or self._stored_placement(e.decom))
        else:
            continues = (
                p.placing and adoptive and e.rne in codes.SAME_CARER and prev.place in vocabulary.ADOPTION_PLACEMENTS
            )
        if p.placing and not continues:
            # The placement for adoption ended and the child stayed in care: a disruption.
            self.want("disruption", e.decom, e.decom, prev.row if prev else e.row, "PLACE")
            if p.placed is not None:
                p.placed.span = (p.placed.on, e.decom)
            p.placed, p.placing = None, False
        if adoptive and not continues:
            with_carers = e.place in codes.WITH_FOSTER_CARERS
            since = _carers_since(e, earlier, self.store.carers) if with_carers else None
            unknown = frozenset({"carers_since"}) if with_carers and since is None else frozenset()
            fields = {"with_foster_carers": with_carers, "carers_since": since}
            p.placed = self.want("placed", e.decom, e.decom, e.row, "PLACE", fields=fields, unknown=unknown)
            p.placing = True
        elif continues and p.placed is not None:
            p.placed.supporters.append(e.row)
        p.episodes.append(e)
        if e.dec is not None and e.rec is not None and e.rec != codes.CONTINUES:
            if e.rec in vocabulary.ADOPTED_REASONS:
                self.want("adoption-order", e.decom, e.dec, e.row, "REC")
            else:
                end: dict[str, object] = {"reason_code": e.rec, "on_or_before": None}  # the end itself
                self.want("left-care", e.decom, e.dec, e.row, "REC", fields=end)
            self._close_spans(e.dec)
            self.period, self.ended = None, e

    def _close_spans(self, end: date | None) -> None:
        p = self.period
        if p is None:
            return
        self._complete_carers(p, end)
        for wanted in (p.entered, p.po):
            if wanted is not None:
                wanted.span = (p.start, end)
        if p.placed is not None:
            p.placed.span = (p.placed.on, end)

    def _stored_placement(self, day: date) -> bool:
        return any(k.decision.kind == "placed" and k.decision.on == day for k in self.store.known.values())

    def _complete_carers(self, p: _Period, end: date | None) -> None:
        """A stored placement with the current foster carers whose carers' start a later return could not
        see: these rows may show when the child began living with those carers. A start an older
        return gave gives way to these rows' when they are newer (closer to the placement: a return
        between may show a change of carer the older one could not), as the newest return wins."""
        for known in self.store.known.values():
            d = known.decision
            if not (known.from_903 and d.kind == "placed" and d.fields.get("with_foster_carers")):
                continue
            if d.on < p.start or (end is not None and d.on > end):
                continue
            if any(e.decom >= d.on for e in p.episodes):
                continue  # the rows hold the placement itself
            before = [e for e in p.episodes if e.dec is None or e.dec == d.on]
            if not before:
                continue
            last = before[-1]
            if d.fields.get("carers_since") is not None and (known.year is None or known.year >= last.row.year):
                continue  # told by the placement's own return, or by one newer than these rows
            if last.rne not in codes.SAME_CARER:
                since: date | None = last.decom
            else:
                since = _carers_since(last, p.episodes[: p.episodes.index(last)], self.store.carers)
            if since is not None:
                fields = {"with_foster_carers": True, "carers_since": since}
                self.want("placed", d.on, d.on, last.row, "PLACE", fields=fields)


def _decisions(walk: _EpisodeWalk, decisions: list[AdoptionDecision], good: set[Row]) -> None:
    previous: AdoptionDecision | None = None
    for d in sorted(decisions, key=lambda d: (d.placed, d.row.year, d.row.line)):
        if previous is not None and d.placed == previous.placed:
            if d.row not in good:
                continue  # the same decision read again; its own row says what is wrong with it
        elif previous is not None and (previous.ceased is None or previous.ceased > d.placed):
            still = "had not ceased" if previous.ceased is None else f"ceased only on {previous.ceased}"
            walk.checked.reject(
                d.row,
                "DATE_PLACED",
                f"overlapping decisions: the decision of {d.placed} starts while the decision of "
                f"{previous.placed} ({previous.row.where}) {still} (rule 579)",
            )
            continue
        previous = d
        if d.row not in good:
            continue
        walk.want("adoption-decision", d.placed, d.placed, d.row, "DATE_PLACED")
        if d.ceased is not None and d.reason is not None:
            fields = {"to": "other", "reason": d.reason, "decided_by": "court" if d.reason == "RD2" else "agency"}
            walk.want("plan-change", d.placed, d.ceased, d.row, "DATE_PLACED_CEASED", fields=fields)


def wanted_decisions(
    facts: list[Fact], decisions: list[AdoptionDecision], checked: Checked, store: StoredJourney
) -> list[Wanted]:
    """The decisions one child's facts call for, each with the rows it comes from."""
    walk = _EpisodeWalk(checked, store)
    for fact in facts:
        if isinstance(fact, Birth):
            walk.want("child-details", "child", fact.dob, fact.row, "DOB", fields={"date_of_birth": fact.dob})
    walk.episodes([f for f in facts if isinstance(f, Episode)])
    good = {f.row for f in facts if isinstance(f, AdoptionDecision)}
    _decisions(walk, [d for d in decisions if d.row in good or d.row in checked.problems], good)
    for fact in facts:
        if isinstance(fact, Ad1):
            decided = [w.on for w in walk.out if w.kind == "adoption-decision"] + [fact.date_int]
            decided += [k.decision.on for k in store.known.values() if k.decision.kind == "adoption-decision"]
            if not any(day <= fact.date_match for day in decided):
                # the match is the row at fault, not the decision it should follow
                walk.checked.reject(
                    fact.row,
                    "DATE_MATCH",
                    f"DATE_MATCH {fact.date_match} is before the decision that the child should be placed for "
                    f"adoption ({min(decided)}): a match follows that decision (rule 333)",
                )
                continue
            walk.want("match", "ad1", fact.date_match, fact.row, "DATE_MATCH")
            same_day = next((w for w in walk.out if w.kind == "adoption-decision" and w.on == fact.date_int), None)
            if same_day is not None:
                same_day.supporters.append(fact.row)
            elif not any(w.kind == "adoption-decision" for w in walk.out) and not any(
                k.decision.kind == "adoption-decision" for k in store.known.values()
            ):
                walk.want("adoption-decision", fact.date_int, fact.date_int, fact.row, "DATE_INT")
    add_route_orders(walk.out, store)  # an SGO or CAO exit records the order too
    walk.note_carers()
    _start_on_or_before(walk.out)
    return walk.out


def _start_on_or_before(out: list[Wanted]) -> None:
    """A start of care the rows do not hold (the first episode given is not RNE = S) is on or before
    the earliest date the rows show the child looked after: an adoption decision or a match made
    before that first episode is part of the same period, not a decision before care."""
    entered = next((w for w in out if w.kind == "entered-care"), None)  # (the first period's)
    if entered is None or not entered.inferred:
        return
    earlier = [w.on for w in out if w.kind in _IN_CARE and w.on < entered.on]
    if earlier:
        entered.on = min(earlier)
        if entered.span is not None:
            entered.span = (entered.on, entered.span[1])
