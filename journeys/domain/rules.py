"""Replaying a child's decisions: the state they lead to, and the rules they must keep.

One walk over the timeline, in effective-date order, serves both purposes: with
``strict=True`` it raises :class:`RuleBroken` at the first decision that breaks a rule
(rule numbers are the SSDA903 validator's where there is one); otherwise it only derives
the state. Missing steps (a placement order with no adoption decision recorded) are not
errors: real histories are keyed late; the reports flag them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from journeys.domain.errors import DuplicateEvent, JourneyError, RuleBroken
from journeys.domain.route_rules import ROUTE_KINDS, route_step
from journeys.domain.timeline import Decision
from journeys.domain.vocabulary import ADOPTION, KIND_RANK, PREGNANCY_ENDED

# Decisions that need an open period of care.
_NEEDS_CARE = {
    "adoption-decision": "adoption decision",
    "placement-order": "placement order",
    "match": "match",
    "placed": "placement",
    "disruption": "disruption",
    "adoption-order": "adoption order",
    "left-care": "leaving care",
    **ROUTE_KINDS,
}
# Decisions that may come before the first period of care (e.g. for an unborn child).
_BEFORE_CARE = {
    "child-details",
    "proceedings-issued",
    "proceedings-concluded",
    "family-finding",
    "plan-change",
    "review",
}


@dataclass
class Period:
    """One period of care: from entering care to the adoption order or leaving care."""

    entered_care: date | None = None
    ended: date | None = None
    end_kind: str | None = None
    decisions: list[Decision] = field(default_factory=list)

    def first(self, kind: str) -> Decision | None:
        return next((d for d in self.decisions if d.kind == kind), None)

    def last(self, kind: str) -> Decision | None:
        return next((d for d in reversed(self.decisions) if d.kind == kind), None)


@dataclass
class ChildState:
    """Where a child's journey stands after a run of decisions."""

    plan: str | None = None
    plan_since: date | None = None
    stage: str = "not-in-care"
    date_of_birth: date | None = None
    expected_date: date | None = None
    sibling_group: str | None = None
    harder_to_place: tuple[str, ...] = ()
    periods: list[Period] = field(default_factory=list)
    decisions: int = 0

    @property
    def current_period(self) -> Period | None:
        return self.periods[-1] if self.periods else None

    def milestones(self) -> dict[str, date | None]:
        """Milestone dates of the latest period of care (first occurrence; the match and
        placement in force or last made)."""
        period = self.current_period or Period()

        def first(kind: str) -> date | None:
            found = period.first(kind)
            return found.on if found else None

        def last(kind: str) -> date | None:
            found = period.last(kind)
            return found.on if found else None

        return {
            "entered_care": period.entered_care,
            "proceedings_issued": first("proceedings-issued"),
            "adoption_decision": last("adoption-decision"),
            "placement_order": first("placement-order"),
            "family_finding": first("family-finding"),
            "matched": last("match"),
            "placed": last("placed"),
            "disrupted": last("disruption"),
            "adoption_order": first("adoption-order"),
            "left_care": first("left-care"),
        }


class TimelineRules:
    """The rules engine: one walk over decisions in effective order, deriving the state
    they lead to and (``strict``) refusing the first that breaks a rule."""

    def __init__(self, strict: bool, today: date | None) -> None:
        self.strict = strict
        self.today = today
        self.state = ChildState()
        self.in_care = False
        self.closed_by: Decision | None = None
        self.adm: Decision | None = None
        self.adm_seen = False
        self.match: Decision | None = None
        self.placed: Decision | None = None
        self.disrupted: Decision | None = None
        self.ltf: Decision | None = None  # the long-term fostering match in force
        self.pending = Period()

    def refuse(self, rule: str, message: str) -> None:
        if self.strict:
            raise RuleBroken(rule, message)

    def apply(self, d: Decision) -> None:
        if self.today is not None and d.on > self.today:
            self.refuse("future", f"{d.kind} on {d.on} is in the future (today is {self.today})")
        kind = d.kind
        if kind != "entered-care" and kind != "child-details":
            self._check_care(d)
        handler = _HANDLERS.get(kind)
        if handler is None:
            getattr(self, "_" + kind.replace("-", "_"), self._note)(d)
        else:
            handler(self, d)
        if kind != "entered-care":
            self._period().decisions.append(d)
        self.state.decisions += 1

    def _period(self) -> Period:
        return self.state.periods[-1] if self.state.periods and (self.in_care or self.closed_by) else self.pending

    def _check_care(self, d: Decision) -> None:
        if self.closed_by is not None:
            ended = self.closed_by
            self.refuse(
                "after-end",
                f"{d.kind} on {d.on} comes after the {ended.kind} on {ended.on}: "
                "nothing follows the end of a period of care except a new entered-care",
            )
        elif not self.in_care and d.kind in _NEEDS_CARE:
            rule = " (rule 1003)" if d.kind == "adoption-decision" else ""
            self.refuse(
                "not-in-care",
                f"{_NEEDS_CARE[d.kind]} on {d.on} is before the child entered care{rule}",
            )

    def _set_plan(self, plan: str | None, on: date) -> None:
        if plan != self.state.plan:
            self.state.plan, self.state.plan_since = plan, on

    def _note(self, d: Decision) -> None:
        pass

    def _child_details(self, d: Decision) -> None:
        s = self.state
        s.date_of_birth = d.fields.get("date_of_birth") or s.date_of_birth
        s.expected_date = d.fields.get("expected_date") or s.expected_date
        s.sibling_group = d.fields.get("sibling_group") or s.sibling_group
        s.harder_to_place = tuple(d.fields.get("harder_to_place") or s.harder_to_place)
        birth = s.date_of_birth
        period = self.state.current_period
        if birth and period and period.entered_care and period.entered_care < birth:
            self.refuse("birth", f"date of birth {birth} is after the child entered care on {period.entered_care}")

    def _entered_care(self, d: Decision) -> None:
        if self.in_care:
            since = self.state.periods[-1].entered_care
            self.refuse("in-care", f"entered-care on {d.on}, but the child has been in care since {since}")
            return
        birth = self.state.date_of_birth
        if birth and d.on < birth:
            self.refuse("birth", f"entered-care on {d.on} is before the date of birth {birth}")
        period = Period(entered_care=d.on, decisions=[*self.pending.decisions, d] if not self.state.periods else [d])
        self.pending = Period()
        self.state.periods.append(period)
        self.in_care, self.closed_by = True, None
        self.adm = self.match = self.placed = self.disrupted = self.ltf = None
        self.adm_seen = False
        if len(self.state.periods) > 1:
            self._set_plan(None, d.on)

    def _family_finding(self, d: Decision) -> None:
        if self.state.plan is None:
            self._set_plan(ADOPTION, d.on)

    def _adoption_decision(self, d: Decision) -> None:
        birth = self.state.date_of_birth
        if birth and d.on < birth:
            self.refuse("184", f"adoption decision on {d.on} is before the date of birth {birth} (rule 184)")
        if not self.adm_seen:
            period = self._period()
            for kind, label, rule in (
                ("placement-order", "placement order", "554"),
                ("match", "match", "333"),
                ("placed", "placement", "552"),
            ):
                earlier = period.first(kind)
                if earlier is not None:
                    self.refuse(
                        rule, f"{label} on {earlier.on} is before the adoption decision on {d.on} (rule {rule})"
                    )
        self.adm_seen = True
        if self.adm is None or self.state.plan != ADOPTION:
            self.adm = d
        self._set_plan(ADOPTION, d.on)

    def _placement_order(self, d: Decision) -> None:
        if self.state.plan is None:
            self._set_plan(ADOPTION, d.on)

    def _plan_change(self, d: Decision) -> None:
        to = d.fields["to"]
        if to != ADOPTION and self.state.plan == ADOPTION:
            if not d.fields.get("reason") or not d.fields.get("decided_by"):
                self.refuse(
                    "leaving-adoption",
                    f"plan-change on {d.on} leaves adoption: "
                    "it needs a reason (RD1-RD4) and decided_by (court or agency)",
                )
            if self.placed is not None:
                self.refuse(
                    "leaving-adoption",
                    f"plan-change on {d.on} leaves adoption while the child is placed for adoption "
                    f"(since {self.placed.on}): record the disruption first",
                )
            self.adm = self.match = None
        self._set_plan(to, d.on)
        if d.fields.get("outcome") == PREGNANCY_ENDED and not self.state.periods:
            # the journey of an unborn child closes here: nothing may follow
            self.closed_by = d

    def _require_adoption_plan(self, d: Decision, label: str) -> bool:
        plan = self.state.plan
        if plan is not None and plan != ADOPTION:
            self.refuse(
                "plan", f"{label} on {d.on} while the plan is {plan} (since {self.state.plan_since}), not adoption"
            )
            return False
        return True

    def _match(self, d: Decision) -> None:
        if not self._require_adoption_plan(d, "match"):
            return
        if self.placed is not None:
            self.refuse(
                "331",
                f"match on {d.on} is after the placement on {self.placed.on} (rule 331: placed not before the match)",
            )
        self._set_plan(ADOPTION, d.on)
        self.match = d

    def _placed(self, d: Decision) -> None:
        if not self._require_adoption_plan(d, "placement for adoption"):
            return
        self._set_plan(ADOPTION, d.on)
        since = d.fields.get("carers_since")
        period = self._period()
        if since is not None and period.entered_care and since > d.on:
            self.refuse("carers-since", f"carers_since {since} is after the placement on {d.on}")
        self.placed, self.disrupted = d, None

    def _disruption(self, d: Decision) -> None:
        if self.placed is None:
            self.refuse("disruption", f"disruption on {d.on}, but the child is not placed for adoption then")
            return
        self.placed = self.match = None
        self.disrupted = d

    def _adoption_order(self, d: Decision) -> None:
        if self.placed is None and self.disrupted is not None:
            self.refuse(
                "adoption-order",
                f"adoption order on {d.on}, but the placement disrupted on {self.disrupted.on} "
                "and no new placement followed",
            )
        elif self.placed is None:  # the README's rule (foster carers' `placed` counts too)
            self.refuse(
                "adoption-order-placement",
                f"adoption order on {d.on}, but no placement for adoption is in force then: "
                "record the placement (`placed`) first",
            )
        self._end(d)

    def _route(self, d: Decision) -> None:
        """A decision of a permanence route beyond adoption (journeys.domain.route_rules)."""
        s = self.state
        plan, self.ltf = route_step(
            d, plan=s.plan, plan_since=s.plan_since, placed=self.placed, ltf=self.ltf, refuse=self.refuse
        )
        if plan is not None and s.plan == ADOPTION:  # an order leaving adoption, as a plan-change does
            self.adm = self.match = None
        if plan is not None:
            self._set_plan(plan, d.on)

    def _left_care(self, d: Decision) -> None:
        self._end(d)

    def _end(self, d: Decision) -> None:
        if not self.in_care:
            return
        period = self.state.periods[-1]
        period.ended, period.end_kind = d.on, d.kind
        self.in_care, self.closed_by = False, d

    def finish(self) -> ChildState:
        s = self.state
        if not s.periods:
            if self.pending.decisions:
                s.periods.append(self.pending)
            s.stage = "not-in-care"
        elif self.closed_by is not None:
            s.stage = "adopted" if self.closed_by.kind == "adoption-order" else "left-care"
        elif self.placed is not None:
            s.stage = "placed"
        elif self.match is not None:
            s.stage = "matched"
        elif s.plan == ADOPTION and self._period().first("placement-order") is not None:
            s.stage = "placement-order"
        elif s.plan == ADOPTION and self.adm is not None:
            s.stage = "adoption-decision"
        else:
            s.stage = "in-care"
        return s


# Each decision kind's step of the walk (``_note`` for a kind with no step of its own),
# looked up once here rather than by name for every decision.
_HANDLERS: dict[str, Callable[[TimelineRules, Decision], None]] = {
    kind: TimelineRules._route
    if kind in ROUTE_KINDS
    else getattr(TimelineRules, "_" + kind.replace("-", "_"), TimelineRules._note)
    for kind in KIND_RANK
}


def replay(decisions: Iterable[Decision]) -> ChildState:
    """The state a run of decisions (in effective order) leads to. Never raises."""
    walk = TimelineRules(strict=False, today=None)
    for decision in decisions:
        walk.apply(decision)
    return walk.finish()


def check_timeline(decisions: Iterable[Decision], today: date) -> None:
    """Raise RuleBroken at the first decision that breaks a rule of the journey."""
    TimelineCheck(decisions, today)


class TimelineCheck:
    """The rules' walk over a timeline (in effective order) that passed, kept so that a
    decision sorting after every one of them is checked by one more step rather than a
    walk from the start. The constructor is :func:`check_timeline`: it raises at the first
    decision that breaks a rule.
    """

    def __init__(self, decisions: Iterable[Decision], today: date) -> None:
        self._walk = TimelineRules(strict=True, today=today)
        self._seen: dict[tuple[object, ...], Decision] = {}
        self._last: tuple[date, int, int] | None = None
        for decision in decisions:
            self._step(decision)

    def _step(self, decision: Decision) -> None:
        key = (decision.kind, decision.on, frozenset(decision.fields.items()))
        other = self._seen.setdefault(key, decision)
        if other is not decision:
            raise DuplicateEvent(f"{decision.kind} on {decision.on} is already recorded as event {other.seq}")
        self._walk.apply(decision)
        self._last = decision.sort_key()

    def comes_last(self, decision: Decision) -> bool:
        """True when ``decision`` sorts after every decision walked so far."""
        return self._last is None or decision.sort_key() > self._last

    def append(self, decision: Decision, today: date) -> None:
        """Check ``decision`` as the last of the timeline (``comes_last`` must hold).

        Passing here means the whole timeline with ``decision`` passes :func:`check_timeline`
        at ``today``: the walk is the same up to it, and the decisions before it are no later
        than it, so none is in the future if it is not. When it raises, the message may name
        a different decision than the whole walk would, and the check is spent: walk the whole
        timeline for the verdict to report.
        """
        assert self.comes_last(decision)
        self._walk.today = today
        self._step(decision)

    @classmethod
    def with_decision(
        cls, check: TimelineCheck | None, decisions: Sequence[Decision], decision: Decision, today: date
    ) -> tuple[list[Decision], TimelineCheck]:
        """The timeline ``decisions`` (in effective order, passed by ``check`` if there is
        one) with ``decision`` in its place, and the check of it: one more step of ``check``
        when the decision comes last and passes there, else a walk of the whole timeline,
        which raises at the first decision that breaks a rule. ``check`` is spent either way.
        """
        if check is not None and check.comes_last(decision):
            try:
                check.append(decision, today)
            except JourneyError:
                pass  # walk the whole timeline below for the error to report
            else:
                return [*decisions, decision], check
        timeline = sorted([*decisions, decision], key=Decision.sort_key)
        return timeline, cls(timeline, today)
