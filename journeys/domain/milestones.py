"""Milestone rules (data, from a TOML file) and their evaluation for one child on a date.

A rule names the event that starts its clock, the events that meet it, the allowed time and
where the deadline comes from. For a child's decisions and a date D, :func:`evaluate` gives
every milestone that applies: its start, due date, met date and status. It is a pure function
of the decisions and D: no clock read, no store.

Statuses: ``met`` (met on or before the due date), ``met-late``, ``overdue`` (unmet after the
due date; from the day after it), ``due-soon`` (unmet, inside the amber window, due day
included), ``on-track``; ``overtaken`` (never met, but a later step it leads to has happened,
so it can no longer be done: a placed child is not late for family-finding); and for a
``possible-from`` rule, ``open`` from its date until met, and ``overdue`` once its
``overdue_after`` window has passed too.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from journeys.domain.calendar import (
    ENGLAND,
    BankHolidays,
    CalendarError,
    Duration,
    InvalidDuration,
    bank_holidays,
)
from journeys.domain.errors import JourneyError
from journeys.domain.payloads import FIELDS_BY_KIND
from journeys.domain.rules import ChildState, Period, replay
from journeys.domain.timeline import Decision
from journeys.domain.vocabulary import ADOPTION, EVENT_KINDS, PLANS

RULES_DIR: Final = Path(__file__).resolve().parent.parent / "rules"
DEFAULT_RULES: Final = RULES_DIR / "milestones.toml"

MET, MET_LATE, OVERDUE, DUE_SOON, OPEN, ON_TRACK = "met", "met-late", "overdue", "due-soon", "open", "on-track"
OVERTAKEN: Final = "overtaken"
# Most urgent first: the order of the surgery agenda.
STATUS_ORDER: Final[tuple[str, ...]] = (OVERDUE, DUE_SOON, OPEN, ON_TRACK, OVERTAKEN, MET_LATE, MET)
STATUS_RANK: Final[dict[str, int]] = {status: rank for rank, status in enumerate(STATUS_ORDER)}
UNMET: Final[frozenset[str]] = frozenset({OVERDUE, DUE_SOON, OPEN, ON_TRACK})

DEADLINE, POSSIBLE_FROM = "deadline", "possible-from"
_KEYS: Final = {
    "id",
    "name",
    "starts",
    "met_by",
    "within",
    "amber",
    "kind",
    "adoption",
    "plan",
    "unless",
    "met_before_start",
    "overtaken_by",
    "overdue_after",
    "source",
}
_REQUIRED: Final = ("id", "name", "starts", "met_by", "within", "source")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class InvalidRules(JourneyError):
    """A milestone rules file cannot be used: which file, which rule, and why."""

    remedy = "fix the rules file (format in docs/surgery.md), or leave out --rules to use the defaults"

    def __init__(self, path: str, rule: str | None, reason: str) -> None:
        where = f"rules file {path}" + (f", rule {rule!r}" if rule else "")
        super().__init__(f"{where}: {reason}")
        self.path, self.rule, self.reason = path, rule, reason


@dataclass(frozen=True)
class EventSpec:
    """An event kind, optionally with field values it must have."""

    kind: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def matches(self, decision: Decision) -> bool:
        if decision.kind != self.kind:
            return False
        model = FIELDS_BY_KIND[self.kind].model_fields
        return all(decision.fields.get(k, model[k].get_default()) == v for k, v in self.fields.items())

    def __str__(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.fields.items())
        return f"{self.kind} ({extra})" if extra else self.kind


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    starts: tuple[EventSpec, ...]
    met_by: tuple[EventSpec, ...]
    within: Duration
    source: str
    amber: Duration | None = None
    kind: str = DEADLINE
    adoption: bool = False
    plan: str | None = None  # a route's rule: it stops applying when the plan leaves this one
    unless: tuple[EventSpec, ...] = ()
    met_before_start: bool = False
    overtaken_by: tuple[EventSpec, ...] = ()
    overdue_after: Duration | None = None  # possible-from rules: overdue this long after the due date


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    path: str
    holidays: BankHolidays


@dataclass(frozen=True)
class Milestone:
    """One rule applied to one child on one date."""

    rule: Rule
    start: date
    due: date
    met: date | None
    status: str
    amber_from: date | None = None
    days_overdue: int | None = None
    days_late: int | None = None
    late_from: date | None = None  # a possible-from rule with overdue_after: overdue from the day after

    @property
    def deadline(self) -> date:
        """The date the milestone is overdue after: its due date, or for a possible-from rule
        its ``late_from`` (a possible-from rule without one is never overdue: its due date)."""
        return self.late_from or self.due


# -- loading ------------------------------------------------------------------------------


def load_rules(path: Path | str | None = None) -> RuleSet:
    """Read and validate a rules file (the shipped defaults when ``path`` is None)."""
    path = Path(path) if path is not None else DEFAULT_RULES
    where = str(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise InvalidRules(where, None, f"cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidRules(where, None, f"is not valid TOML ({error})") from None
    # a rules file that names no calendar uses England's, as the shipped rules do
    holidays_name = data.get("bank_holidays", ENGLAND)
    if not isinstance(holidays_name, str):
        raise InvalidRules(where, None, f'bank_holidays must be a calendar name ("{ENGLAND}")')
    try:
        holidays = bank_holidays(holidays_name)
    except CalendarError as error:
        raise InvalidRules(where, None, str(error)) from None
    return parse_rules(data, where, holidays)


def parse_rules(data: Mapping[str, Any], where: str, holidays: BankHolidays) -> RuleSet:
    unknown = set(data) - {"milestone", "bank_holidays"}
    if unknown:
        raise InvalidRules(where, None, f"unknown top-level key(s) {', '.join(sorted(unknown))}")
    tables = data.get("milestone")
    if not isinstance(tables, list) or not tables:
        raise InvalidRules(where, None, "no [[milestone]] rules")
    rules: list[Rule] = []
    for number, table in enumerate(tables, start=1):
        rule = _parse_rule(table, where, number)
        if any(r.id == rule.id for r in rules):
            raise InvalidRules(where, rule.id, "the id is used by an earlier rule")
        rules.append(rule)
    return RuleSet(tuple(rules), where, holidays)


def _parse_rule(table: Any, where: str, number: int) -> Rule:
    label = f"#{number}"
    if not isinstance(table, dict):
        raise InvalidRules(where, label, "a rule must be a table")
    label = str(table.get("id") or label)

    def bad(reason: str) -> InvalidRules:
        return InvalidRules(where, label, reason)

    unknown = set(table) - _KEYS
    if unknown:
        raise bad(f"unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(_KEYS))})")
    for key in _REQUIRED:
        if key not in table:
            raise bad(f"{key} is missing")
    for key in ("id", "name", "source", "within"):
        if not isinstance(table[key], str) or not table[key].strip():
            raise bad(f"{key} must be non-empty text")
    if not _ID.match(table["id"]):
        raise bad("id must be lower-case letters, digits and hyphens")
    for key in ("adoption", "met_before_start"):
        if not isinstance(table.get(key, False), bool):
            raise bad(f"{key} must be true or false")
    kind = table.get("kind", DEADLINE)
    if kind not in (DEADLINE, POSSIBLE_FROM):
        raise bad(f"kind {kind!r} is not {DEADLINE!r} or {POSSIBLE_FROM!r}")
    try:
        within = Duration.parse(table["within"])
        amber = Duration.parse(table["amber"]) if "amber" in table else None
        overdue_after = Duration.parse(table["overdue_after"]) if "overdue_after" in table else None
    except InvalidDuration as error:
        raise bad(str(error)) from None
    plan = table.get("plan")
    if plan is not None and plan not in PLANS:
        raise bad(f"plan {plan!r} is not one of {', '.join(PLANS)}")
    if overdue_after is not None and kind != POSSIBLE_FROM:
        raise bad(f"overdue_after is for {POSSIBLE_FROM!r} rules (a deadline is overdue after its due date)")
    return Rule(
        id=table["id"],
        name=table["name"].strip(),
        starts=_specs(table["starts"], "starts", bad, required=True),
        met_by=_specs(table["met_by"], "met_by", bad, required=True),
        within=within,
        source=table["source"].strip(),
        amber=amber,
        kind=kind,
        adoption=table.get("adoption", False),
        plan=plan,
        unless=_specs(table.get("unless", []), "unless", bad, required=False),
        met_before_start=table.get("met_before_start", False),
        overtaken_by=_specs(table.get("overtaken_by", []), "overtaken_by", bad, required=False),
        overdue_after=overdue_after,
    )


def _specs(value: Any, key: str, bad: Any, *, required: bool) -> tuple[EventSpec, ...]:
    items = value if isinstance(value, list) else [value]
    if required and not items:
        raise bad(f"{key} names no event")
    specs = []
    for item in items:
        if isinstance(item, str):
            item = {"event": item}
        if not isinstance(item, dict) or not isinstance(item.get("event"), str):
            raise bad(f"{key}: {item!r} is not an event kind or {{ event = ..., field = value }}")
        kind, conditions = item["event"], {k: v for k, v in item.items() if k != "event"}
        if kind not in EVENT_KINDS:
            raise bad(f"{key}: {kind!r} is not an event (one of {', '.join(EVENT_KINDS)})")
        model = FIELDS_BY_KIND[kind]
        for name in conditions:
            if name not in model.model_fields:
                raise bad(f"{key}: {kind} has no field {name!r}")
        try:
            model.model_validate(conditions)
        except ValidationError as error:
            for problem in error.errors():
                if problem["loc"] and problem["loc"][0] in conditions:
                    message = str(problem["msg"]).removeprefix("Value error, ")
                    raise bad(f"{key}: {kind} {problem['loc'][0]}: {message}") from None
        specs.append(EventSpec(kind, conditions))
    return tuple(specs)


# -- evaluation ---------------------------------------------------------------------------


def evaluate(decisions: Sequence[Decision], as_at: date, rules: RuleSet) -> list[Milestone]:
    """Every milestone that applies to the child on ``as_at``, in the rules' order.

    ``decisions`` are the child's decisions in effect on ``as_at`` (as :func:`decisions_at`
    gives them); later ones are ignored. Rules look at the latest period of care (including
    decisions made before the child entered care, e.g. early family-finding).
    """
    state = replay([d for d in decisions if d.on <= as_at])
    return [on_date(m, as_at) for m in frames(state, rules)]


def frames(state: ChildState, rules: RuleSet) -> list[Milestone]:
    """Every milestone that applies to the child whose decisions left ``state``, as far as the
    date does not matter: start, due date, met date; ``met``, ``met-late`` and ``overtaken``
    are settled, and an unmet milestone is ``on-track`` until :func:`on_date` gives its status
    on a date (the same for any date on or after the child's latest decision)."""
    period = state.current_period
    if period is None:
        return []
    left_adoption = state.plan_since if state.plan != ADOPTION else None
    results = []
    for rule in rules.rules:
        if rule.adoption and state.plan is None:
            continue  # adoption has never been the plan in this period
        left_plan = state.plan_since if rule.plan is not None and state.plan != rule.plan else None
        stop = _earliest(period.ended, left_adoption if rule.adoption else None, left_plan)
        milestone = _frame(rule, period, stop, rules.holidays)
        if milestone is not None:
            results.append(milestone)
    return results


def _earliest(*days: date | None) -> date | None:
    present = [d for d in days if d is not None]
    return min(present) if present else None


def _first(period: Period, specs: Iterable[EventSpec], since: date | None) -> Decision | None:
    specs = tuple(specs)
    return next(
        (d for d in period.decisions if any(s.matches(d) for s in specs) and (since is None or d.on >= since)),
        None,
    )


def _frame(rule: Rule, period: Period, stop: date | None, holidays: BankHolidays) -> Milestone | None:
    starts = [d for d in period.decisions if any(s.matches(d) for s in rule.starts)]
    if not starts:
        return None
    start = starts[-1].on
    met_event = _first(period, rule.met_by, None if rule.met_before_start else start)
    unless = _first(period, rule.unless, start) if rule.unless else None
    stop = _earliest(stop, unless.on if unless else None)
    met = met_event.on if met_event else None
    if met is not None and stop is not None and met > stop:
        met = None
    if met is None and stop is not None:
        return None  # the rule stopped applying before it was met
    due = rule.within.after(start, holidays)
    amber_from = rule.amber.before(due, holidays) if rule.amber else None
    late_from = rule.overdue_after.after(due, holidays) if rule.overdue_after else None
    base = Milestone(rule, start, due, met, ON_TRACK, amber_from, late_from=late_from)
    if met is not None:
        if rule.kind == DEADLINE and met > due:
            return _with(base, status=MET_LATE, days_late=(met - due).days)
        return _with(base, status=MET)
    if rule.overtaken_by and _first(period, rule.overtaken_by, None) is not None:
        return _with(base, status=OVERTAKEN)
    return base


def pending(milestone: Milestone) -> bool:
    """Whether the milestone's status depends on the date: not met, not overtaken."""
    return milestone.met is None and milestone.status != OVERTAKEN


def on_date(milestone: Milestone, as_at: date) -> Milestone:
    """A milestone of :func:`frames` with its status on ``as_at`` (a settled one as it is)."""
    if not pending(milestone):
        return milestone
    status, days = _status_on(milestone, as_at)
    if status == milestone.status and days == milestone.days_overdue:
        return milestone
    return _with(milestone, status=status, days_overdue=days)


def _status_on(milestone: Milestone, as_at: date) -> tuple[str, int | None]:
    """A pending milestone's status on ``as_at``, and its days overdue."""
    due, late_from, amber_from = milestone.due, milestone.late_from, milestone.amber_from
    if milestone.rule.kind == POSSIBLE_FROM:
        if late_from is not None and as_at > late_from:
            return OVERDUE, (as_at - late_from).days
        if as_at >= due:
            return OPEN, None
    elif as_at > due:
        return OVERDUE, (as_at - due).days
    if amber_from is not None and as_at >= amber_from:
        return DUE_SOON, None
    return ON_TRACK, None


def _with(milestone: Milestone, **changes: Any) -> Milestone:
    return replace(milestone, **changes)


def most_urgent(milestones: Iterable[Milestone]) -> Milestone | None:
    """The unmet milestone to talk about first: worst status, then the earliest due date."""
    unmet = [m for m in milestones if m.status in UNMET]
    if not unmet:
        return None
    return min(unmet, key=lambda m: (STATUS_RANK[m.status], m.deadline, m.rule.id))
