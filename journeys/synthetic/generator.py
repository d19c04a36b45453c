"""Synthetic journeys for benchmarks and demonstrations: no real child, every rule kept.

:func:`generate` yields JSONL objects in the load format (:mod:`journeys.loading.jsonl`), seeded and
deterministic. The mix follows the national picture the evaluation sits in (PRIMER §4, §6):
most children who enter care never get an adoption decision; they go home, to special
guardians or to relatives, or stay in care; a minority are adopted. Among children with an
adoption decision some plans are reversed (RD1-RD4, by the court or the agency), some
placements disrupt. Intervals are drawn from log-normal distributions centred on the
evaluation's figures (entering care to placement about 593 days, England's A1; placement
order to match about 223 days, England's A2).

Recording practice is imitated too: about one line in thirty is keyed late (written further
down the file than the child's later decisions, though it took effect earlier), and about
one in forty is a ``correct`` line fixing a decision keyed earlier with a wrong date. Every child's
events, in every order the file presents them, keep the journey's rules, so loading a
generated file rejects nothing.

With ``routes`` the permanence routes beyond adoption are recorded as their own decisions
(docs/permanence.md): the decision to pursue special guardianship, a child arrangements order,
long-term fostering or a return home (``plan-decision``), the order made (``sgo-made``,
``cao-made``), the long-term fostering match and its breakdown, and some returns to care after an
order. Those extra decisions are drawn from a second random source, seeded by the seed and the
child's reference; without ``routes`` the file is what it always was.

Dates are handled as day ordinals (``date.toordinal()``) for speed; nothing reads a clock.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from journeys.domain.inputs import la_codes as known_la_codes

# Local authority codes (public DfE codes) used in turn; more LAs get the other DfE codes, in order.
LA_CODES: tuple[str, ...] = (
    "825", "928", "909", "213", "305", "340", "886", "380", "350", "873",
    "893", "841", "926", "940", "352", "866", "330", "855", "916", "856",
)  # fmt: skip

DEFAULT_START = date(2010, 4, 1)
DEFAULT_END = date(2024, 3, 31)
LATE_SHARE = 0.15  # of proceedings, family-finding, reviews and adoption decisions: keyed late
CORRECTION_SHARE = 0.10  # of the decisions a correction may move: keyed with a wrong date
ROUTE_SHARE = 0.4  # with routes: of the children, those whose route beyond adoption is recorded as its own
LATE_DELAY_CHILDREN = 200  # how far down the file a late line or a correction lands
_DEFERRABLE = frozenset({"proceedings-issued", "family-finding", "review", "adoption-decision"})
_ROUTE_KINDS = frozenset({"plan-decision", "sgo-made", "cao-made", "ltf-match", "ltf-breakdown"})
_CORRECTABLE = frozenset({"adoption-decision", "placement-order", "match", "adoption-order", "left-care"})


@dataclass
class _Child:
    la: str
    ref: str
    events: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    last: int = 0
    routes: random.Random | None = None  # the child's own random source for the permanence routes
    routes_drawn: bool = False

    def add(self, on: int, kind: str, **fields: Any) -> int:
        """Add a decision; one that ends a period of care moves after everything before it."""
        if kind in ("left-care", "adoption-order"):
            on = max(on, self.last + 1)
        self.events.append((on, kind, fields))
        self.last = max(self.last, on)
        return on


def la_codes(count: int) -> list[str]:
    """``count`` local authority codes: the listed ones first, then the other DfE codes (so
    that every generated line loads into a store that accepts only DfE codes)."""
    if count < 1:
        raise ValueError("at least one local authority is needed")
    extra = [code for code in sorted(known_la_codes()) if code not in LA_CODES]
    codes = [*LA_CODES, *extra]
    if count > len(codes):
        raise ValueError(f"at most {len(codes)} local authorities (the DfE's codes)")
    return codes[:count]


class _Journeys:
    """Draws one child's journey at a time from one seeded random source."""

    def __init__(self, rng: random.Random, start: date, end: date, routes: bool = False, seed: int = 0) -> None:
        self.rng = rng
        self.start = start.toordinal()
        self.end = end.toordinal()
        self.routes = routes
        self.seed = seed

    def route_rng(self, c: _Child) -> random.Random | None:
        """The child's own random source for the permanence routes' decisions: None without routes,
        and for the children (all but ROUTE_SHARE of them) whose route is not recorded as its own."""
        if self.routes and not c.routes_drawn:
            own = random.Random(f"routes:{self.seed}:{c.la}:{c.ref}")
            c.routes, c.routes_drawn = (own if own.random() < ROUTE_SHARE else None), True
        return c.routes

    def days(self, mean: float, sigma: float = 0.5, low: int = 1) -> int:
        """A log-normal number of days with the given mean (at least ``low``)."""
        mu = math.log(mean) - sigma * sigma / 2
        return max(low, round(self.rng.lognormvariate(mu, sigma)))

    def child(self, la: str, ref: str) -> _Child:
        rng = self.rng
        c = _Child(la, ref)
        entered = rng.randint(self.start, self.end - 30)
        age_years = rng.choices((0, 2, 7, 12, 16), weights=(20, 18, 17, 37, 8))[0]
        born = entered - (age_years * 365 + rng.randint(0, 364)) if age_years else entered - rng.randint(0, 364)
        flags = []
        if (entered - born) >= 5 * 365:
            flags.append("age-5-plus")
        if rng.random() < 0.25:
            flags.append("minority-ethnic")
        if rng.random() < 0.08:
            flags.append("disability")
        details: dict[str, Any] = {"date_of_birth": date.fromordinal(born).isoformat()}
        if rng.random() < 0.3:
            flags.append("sibling-group")
            details["sibling_group"] = f"G{ref}"
        if flags:
            details["harder_to_place"] = sorted(flags)
        c.add(entered, "child-details", **details)
        self.period(c, entered, born, first=True)
        return c

    def period(self, c: _Child, entered: int, born: int, first: bool) -> None:
        """One period of care from ``entered``; may end in a return home and a second period."""
        rng = self.rng
        c.add(entered, "entered-care", legal_status=rng.choices(("C1", "V2", "L2", "C2"), weights=(5, 3, 1, 1))[0])
        young = entered - born < 5 * 365
        issued = None
        if rng.random() < (0.85 if young else 0.45):
            issued = entered + rng.randint(0, 45)
            c.add(issued, "proceedings-issued")
        track = rng.random()
        # An adoption order is made before 18 (validator rule 386): no adoption track from 16 on.
        if track < (0.40 if young else 0.03) and entered - born < 16 * 365:
            self.adoption(c, entered, issued)
            return
        routes = self.route_rng(c)
        if track < (0.52 if young else 0.15):
            plan = self.days(480, 0.4)
            if routes is None:
                c.add(entered + plan, "plan-change", to="special-guardianship")
            else:
                c.add(entered + plan, "plan-decision", route="special-guardianship")
            code = rng.choice(("E45", "E46", "E47", "E48"))
            left = entered + plan + self.days(150, 0.4)
            # A special guardianship order is made before 18 (rule 407): a child who turns 18 first
            # leaves care at 18 for another reason (E8).
            left = c.add(left, "left-care", reason_code=code if left < _birthday(born, 18) else "E8")
            if routes is not None and left < _birthday(born, 18):
                c.add(left, "sgo-made", carers=f"SG-{c.ref}")
                self.return_to_care(c, routes, left, born)
            return
        if track < 0.85:
            code = rng.choices(("E4A", "E13", "E4B", "E41"), weights=(6, 2, 1, 1))[0]
            left = c.add(entered + self.days(260, 0.8), "left-care", reason_code=code)
            if routes is not None and code in ("E4A", "E41"):
                route = "reunification" if code == "E4A" else "child-arrangements"
                c.add(entered + (left - entered) // 2, "plan-decision", route=route)
                if code == "E41":
                    c.add(left, "cao-made", carers=f"CA-{c.ref}")
            again = left + self.days(300, 0.6, low=14)
            if first and again < born + 16 * 365 and rng.random() < 0.08:
                self.period(c, again, born, first=False)
            return
        # Long-term care: leaves a few days after the 18th birthday (rule 460: staying put, E17, is
        # from 18), or is still in care at the end of the history.
        leaves = _birthday(born, 18) + 4
        if routes is not None and routes.random() < 0.6:
            self.long_term_fostering(c, routes, entered + routes.randint(90, 540), leaves)
        c.add(leaves, "left-care", reason_code=rng.choice(("E17", "E5", "E6", "E8")))

    def long_term_fostering(self, c: _Child, routes: random.Random, decided: int, before: int) -> None:
        """Long-term fostering decided on ``decided``: a match, which breaks down for about one child in
        eight (and a new match may follow), every decision before the day ``before`` the child leaves care."""
        match = decided + routes.randint(30, 300)
        if match >= before:
            return
        c.add(decided, "plan-decision", route="long-term-fostering")
        c.add(match, "ltf-match", carer=f"LTF-{c.ref}-1")
        if routes.random() < 0.125:
            ended = match + routes.randint(60, 900)
            again = ended + routes.randint(30, 240)
            if ended < before:
                c.add(ended, "ltf-breakdown", reason="the long-term foster placement ended")
            if ended < before and again < before and routes.random() < 0.7:
                c.add(again, "ltf-match", carer=f"LTF-{c.ref}-2")

    def return_to_care(self, c: _Child, routes: random.Random, left: int, born: int) -> None:
        """About one child in twelve comes back into care after its order (a new period, home again later)."""
        again = left + routes.randint(60, 900)
        if routes.random() < 1 / 12 and again < born + 16 * 365:
            c.add(again, "entered-care", legal_status="C1")
            c.add(again + routes.randint(90, 400), "left-care", reason_code="E4A")

    def adoption(self, c: _Child, entered: int, issued: int | None) -> None:
        rng = self.rng
        adm = max(entered + 7, (issued or entered) + self.days(150, 0.5))
        c.add(adm, "adoption-decision")
        po = adm + self.days(110, 0.5, low=14)
        if rng.random() < 0.55:
            c.add(adm + rng.randint(3, min(60, po - adm)), "family-finding")
        consent = rng.random() < 0.06
        reverse = rng.random()
        if reverse < 0.08:  # the court makes no placement order (RD2)
            self.reversal(c, po, "RD2", "court")
            return
        c.add(po, "placement-order", authority="consent" if consent else "placement-order")
        review = po + 90 + rng.randint(0, 20)
        c.add(review, "review", review_type="adoption")
        if reverse < 0.16:
            on = max(review + 1, po + self.days(200, 0.5))
            self.reversal(c, on, rng.choice(("RD1", "RD3", "RD4")), "agency")
            return
        match = po + self.days(220, 0.6)
        placed = self.placement(c, entered, match)
        if rng.random() < 0.04:
            disrupted = placed + self.days(90, 0.6)
            c.add(disrupted, "disruption", reason="placement ended before the adoption order")
            placed = self.placement(c, entered, disrupted + self.days(150, 0.5))
        c.add(placed + self.days(220, 0.4, low=70), "adoption-order")

    def placement(self, c: _Child, entered: int, match: int) -> int:
        rng = self.rng
        c.add(match, "match")
        placed = match + self.days(25, 0.5)
        if rng.random() < 0.15:
            since = rng.randint(entered, match)
            c.add(placed, "placed", with_foster_carers=True, carers_since=date.fromordinal(since).isoformat())
        else:
            c.add(placed, "placed")
        return placed

    def reversal(self, c: _Child, on: int, reason: str, decided_by: str) -> None:
        rng = self.rng
        to, code = rng.choice(
            (("reunification", "E4A"), ("special-guardianship", "E45"), ("special-guardianship", "E46"),
             ("long-term-fostering", None), ("child-arrangements", "E41"))
        )  # fmt: skip
        outcome = {"E4A": "home-with-mother", "E45": "sgo-relatives", "E46": "sgo-foster-carers",
                   "E41": "child-arrangements-order", None: "long-term-fostering"}[code]  # fmt: skip
        c.add(on, "plan-change", to=to, reason=reason, decided_by=decided_by, outcome=outcome)
        routes = self.route_rng(c)
        if code is not None:
            left = c.add(on + self.days(120, 0.5, low=14), "left-care", reason_code=code)
            order = {"special-guardianship": "sgo-made", "child-arrangements": "cao-made"}.get(to)
            if routes is not None and order is not None:
                c.add(left, order, carers=f"{order[:2].upper()}-{c.ref}")
        elif routes is not None:
            c.add(on + routes.randint(30, 300), "ltf-match", carer=f"LTF-{c.ref}-1")


_ORDER = {
    kind: rank
    for rank, kind in enumerate(
        ("child-details", "entered-care", "proceedings-issued", "family-finding", "plan-change",
         "plan-decision", "adoption-decision", "placement-order", "review", "match", "placed", "disruption",
         "adoption-order", "ltf-breakdown", "ltf-match", "sgo-made", "cao-made", "left-care")
    )
}  # fmt: skip


def generate(
    children: int,
    seed: int,
    *,
    las: int = 1,
    start: date = DEFAULT_START,
    end: date = DEFAULT_END,
    routes: bool = False,
) -> Iterator[dict[str, Any]]:
    """JSONL objects for ``children`` synthetic journeys across ``las`` local authorities.

    Decisions that would take effect after ``end`` are left out (those journeys are still
    open). The same arguments always give the same lines in the same order. With ``routes``
    the permanence routes beyond adoption are recorded as their own decisions too.
    """
    if children < 0:
        raise ValueError("the number of children cannot be negative")
    if end.toordinal() - start.toordinal() < 400:
        raise ValueError("the history must span more than a year")
    rng = random.Random(seed)
    draw = _Journeys(rng, start, end, routes, seed)
    codes = la_codes(las)
    last = end.toordinal()
    order = itertools.count()
    pending: list[tuple[int, int, dict[str, Any]]] = []  # (release after child, order, line)
    for index in range(children):
        child = draw.child(codes[index % len(codes)], f"S{index + 1:07d}")
        events = sorted((e for e in child.events if e[0] <= last), key=lambda e: (e[0], _ORDER[e[1]]))
        head = {"la": child.la, "child": child.ref}
        now_lines: list[dict[str, Any]] = []
        for position, (on, kind, fields) in enumerate(events):
            line = {**head, "event": kind, "on": date.fromordinal(on).isoformat(), **fields}
            roll = rng.random() if kind not in _ROUTE_KINDS else 1.0  # (not deferred, not corrected)
            if kind in _DEFERRABLE and roll < LATE_SHARE:
                heapq.heappush(pending, (index + rng.randint(1, LATE_DELAY_CHILDREN), next(order), line))
                continue
            if kind in _CORRECTABLE and roll < CORRECTION_SHARE:
                wrong = _wrong_date(rng, events, position, last)
                if wrong is not None:
                    line["id"] = f"{child.la}-{child.ref}-{position}"
                    line["on"] = date.fromordinal(wrong).isoformat()
                    fix = {**head, "event": "correct", "corrects": line["id"], "on": date.fromordinal(on).isoformat(),
                           "reason": "date keyed wrongly"}  # fmt: skip
                    heapq.heappush(pending, (index + rng.randint(1, LATE_DELAY_CHILDREN), next(order), fix))
            now_lines.append(line)
        yield from now_lines
        while pending and pending[0][0] <= index:
            yield heapq.heappop(pending)[2]
    while pending:
        yield heapq.heappop(pending)[2]


def _birthday(born: int, years: int) -> int:
    """The day (ordinal) of the birthday at ``years`` (29 February: 1 March in other years)."""
    day = date.fromordinal(born)
    try:
        return day.replace(year=day.year + years).toordinal()
    except ValueError:
        return date(day.year + years, 3, 1).toordinal()


def _wrong_date(rng: random.Random, events: list[tuple[int, str, dict[str, Any]]], i: int, last: int) -> int | None:
    """A date a few days off the true one that keeps the decision between its neighbours."""
    on = events[i][0]
    low = events[i - 1][0] + 1 if i > 0 else on - 20
    high = events[i + 1][0] - 1 if i + 1 < len(events) else min(on + 20, last)
    choices = [d for d in range(max(low, on - 20), min(high, on + 20) + 1) if d != on]
    return rng.choice(choices) if choices else None
