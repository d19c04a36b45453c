"""One summary row per child and period of care: the milestone dates the delay metrics need.

:func:`summarise` is a pure function of a child's recorded entries. The incremental read
model (:mod:`projections.views.store`) stores its rows; the ``--known-at`` path calls it on
entries filtered by recording time. Nothing here reads a clock or touches a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from journeys.domain.rules import ChildState, Period, replay
from journeys.domain.timeline import Decision, Entry, decisions_at
from journeys.domain.vocabulary import ADOPTION

# Kinds of the per-period timeline the counts report reads. "reversal" is a plan change
# away from adoption while adoption was the plan; "consent" is a placement order whose
# authority is parental consent (not a court order).
TIMELINE_KINDS = (
    "adoption-decision",
    "placement-order",
    "consent",
    "match",
    "placed",
    "disruption",
    "adoption-order",
    "reversal",
)


@dataclass(frozen=True)
class PeriodSummary:
    """What the reports need to know about one period of care of one child."""

    la: str
    child: str
    period: int
    stream_id: str = ""
    entered_care: date | None = None
    ended: date | None = None
    end_kind: str | None = None
    left_care_reason: str | None = None
    adoption_decision: date | None = None
    placement_order: date | None = None
    consent: date | None = None
    family_finding: date | None = None
    po_match: date | None = None
    matched: date | None = None
    placed: date | None = None
    with_foster_carers: bool = False
    carers_since: date | None = None
    adoption_order: date | None = None
    disruption_dates: tuple[date, ...] = ()
    plan: str | None = None
    stage: str = "not-in-care"
    po_without_adm: bool = False
    harder_to_place: tuple[str, ...] = ()
    sibling_group: str | None = None
    date_of_birth: date | None = None
    # (date, plan) each time the plan was set in this period, in effective order.
    plan_events: tuple[tuple[date, str], ...] = ()
    # (date, kind) for every counted decision of the period (kinds in TIMELINE_KINDS).
    timeline: tuple[tuple[date, str], ...] = field(default=())
    # The start of care is only bounded: on or before ``entered_care`` (an entered-care marked
    # ``on_or_before``, from a 903 return that does not hold the start). Kept in its own table
    # (projections.views.bounded_starts_table), not a column of child_summary.
    start_bounded: bool = False

    @property
    def disruptions(self) -> int:
        return len(self.disruption_dates)

    @property
    def authority(self) -> date | None:
        """The first authority to place: the court placement order or parental consent."""
        dates = [d for d in (self.placement_order, self.consent) if d is not None]
        return min(dates) if dates else None

    def plan_on(self, day: date) -> str | None:
        """The plan in force on ``day`` according to this period's plan events."""
        plan: str | None = None
        for on, to in self.plan_events:
            if on > day:
                break
            plan = to
        return plan

    def left_adoption_on(self, since: date) -> date | None:
        """The first date on or after ``since`` when adoption stopped being the plan or the
        period ended other than by an adoption order."""
        plan_exit = next((on for on, to in self.plan_events if on >= since and to != ADOPTION), None)
        ended = self.ended if self.ended is not None and self.end_kind != "adoption-order" else None
        exits = [d for d in (plan_exit, ended) if d is not None and d >= since]
        return min(exits) if exits else None

    def placed_on(self, day: date) -> bool:
        """Whether the child was placed for adoption (and not since disrupted) on ``day``."""
        last_placed = max((on for on, kind in self.timeline if kind == "placed" and on <= day), default=None)
        if last_placed is None:
            return False
        return not any(last_placed <= d <= day for d in self.disruption_dates)


@dataclass
class _PeriodFacts:
    """What one pass over a period's decisions finds: the first decision of each kind (a
    placement order under parental consent filed as "consent"), the match and disruption
    dates, the last placement, the plan events and the counted timeline."""

    first: dict[str, Decision]
    matches: list[date]
    disruptions: list[date]
    placed: Decision | None
    plans: list[tuple[date, str]]
    timeline: list[tuple[date, str]]


_SETS_ADOPTION = frozenset({"adoption-decision", "match", "placed"})
_SETS_ADOPTION_IF_NONE = frozenset({"placement-order", "family-finding"})
_COUNTED = frozenset(TIMELINE_KINDS)


def _period_facts(period: Period) -> _PeriodFacts:
    first: dict[str, Decision] = {}
    matches: list[date] = []
    disruptions: list[date] = []
    placed: Decision | None = None
    plan: str | None = None
    plans: list[tuple[date, str]] = []
    timeline: list[tuple[date, str]] = []
    for d in period.decisions:
        kind = d.kind
        on = d.on
        # the plan events
        if kind == "plan-change":
            to = str(d.fields["to"])
            if plan == ADOPTION and to != ADOPTION:
                timeline.append((on, "reversal"))
            if to != plan:
                plan = to
                plans.append((on, to))
        elif (kind in _SETS_ADOPTION or (kind in _SETS_ADOPTION_IF_NONE and plan is None)) and plan != ADOPTION:
            plan = ADOPTION
            plans.append((on, ADOPTION))
        # the firsts, dates and counted timeline
        if kind == "match":
            matches.append(on)
        elif kind == "disruption":
            disruptions.append(on)
        elif kind == "placed":
            placed = d
        elif kind == "placement-order" and d.fields.get("authority", "placement-order") == "consent":
            kind = "consent"
        if kind not in first:
            first[kind] = d
        if kind in _COUNTED:
            timeline.append((on, kind))
    return _PeriodFacts(first, matches, disruptions, placed, plans, timeline)


def summarise_state(la: str, child: str, state: ChildState, stream_id: str = "") -> list[PeriodSummary]:
    """Summary rows for every period of a replayed child state."""
    rows: list[PeriodSummary] = []
    last_index = len(state.periods)
    for index, period in enumerate(state.periods, start=1):
        found = _period_facts(period)
        first, matches, disruptions, placed = found.first, found.matches, found.disruptions, found.placed
        adm = first.get("adoption-decision")
        po = first.get("placement-order")
        consent = first.get("consent")
        ff = first.get("family-finding")
        ao = first.get("adoption-order")
        left = first.get("left-care")
        po_match: date | None = None
        if po is not None and matches:
            after = [m for m in matches if m >= po.on]
            po_match = after[0] if after else matches[-1]
        plans, timeline = found.plans, found.timeline
        if index == last_index:
            plan, stage = state.plan, state.stage
        else:
            plan = plans[-1][1] if plans else None
            stage = "adopted" if period.end_kind == "adoption-order" else "left-care"
        authority = [d.on for d in (po, consent) if d is not None]
        rows.append(
            PeriodSummary(
                la=la,
                child=child,
                period=index,
                stream_id=stream_id,
                entered_care=period.entered_care,
                ended=period.ended,
                end_kind=period.end_kind,
                left_care_reason=(left.fields.get("reason_code") or None) if left else None,
                adoption_decision=adm.on if adm else None,
                placement_order=po.on if po else None,
                consent=consent.on if consent else None,
                family_finding=ff.on if ff else None,
                po_match=po_match,
                matched=matches[-1] if matches else None,
                placed=placed.on if placed else None,
                with_foster_carers=bool(placed.fields.get("with_foster_carers")) if placed else False,
                carers_since=placed.fields.get("carers_since") if placed else None,
                adoption_order=ao.on if ao else None,
                disruption_dates=tuple(disruptions),
                plan=plan,
                stage=stage,
                po_without_adm=bool(authority) and (adm is None or adm.on > min(authority)),
                harder_to_place=tuple(state.harder_to_place),
                sibling_group=state.sibling_group,
                date_of_birth=state.date_of_birth,
                plan_events=tuple(plans),
                timeline=tuple(timeline),
                start_bounded=_start_bounded(period),
            )
        )
    return rows


def _start_bounded(period: Period) -> bool:
    """Whether the period's start of care is only known to be on or before its date."""
    entered = period.first("entered-care")
    return entered is not None and entered.fields.get("on_or_before") is True


def child_ids(entries: Sequence[Entry]) -> tuple[str, str]:
    """(la, child) from the stream's first entry (``opened``)."""
    opened = entries[0].fields
    return str(opened["la"]), str(opened["child"])


def summarise(
    entries: Sequence[Entry], *, known_at: datetime | None = None, stream_id: str = ""
) -> list[PeriodSummary]:
    """Summary rows of one child's stream, as known at ``known_at`` (everything when None)."""
    if not entries:
        return []
    la, child = child_ids(entries)
    return summarise_state(la, child, replay(decisions_at(entries, known_at=known_at)), stream_id)
