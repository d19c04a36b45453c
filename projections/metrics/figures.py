"""Figures that explain themselves: a report's figure is an aggregate over the parts that
children contribute to it, and the report computes the figure from those parts.

A :class:`Measure` says, for the items a report works on (an adopted child's delays, a child
in a placement-order cohort, a plan change...), what each item adds to the figure (None: it
does not count) and which dates that is made of. :meth:`Measure.over` counts the items once;
the :class:`Figure` it gives holds the counted items, so the figure's value and its list of
children (:meth:`Figure.parts`) come out of the same counting. Nothing here reads a store:
the dates of a part (:class:`Fact`) name the kinds of decision that gave them, and the read
side finds those decisions' event numbers and hashes in the children's streams.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cached_property
from statistics import fmean, median
from typing import Any, Generic, TypeVar, cast

from projections.metrics.km import median as km_median

T = TypeVar("T")
Number = int | float | Fraction  # a Fraction: money and days kept exact (journeys cost)

COUNT, SUM, MEAN, MEDIAN, MAX, PERCENT, KM_MEDIAN = "count", "sum", "mean", "median", "max", "percent", "km-median"
# How the rows' values make the figure (as `--explain` and docs/explain.md say it).
AGGREGATES: dict[str, str] = {
    COUNT: "count: the sum of the values",
    SUM: "the sum of the values",
    MEAN: "the mean of the values",
    MEDIAN: "the median of the values",
    MAX: "the largest value",
    PERCENT: "the percent of values that are 1",
    KM_MEDIAN: "the Kaplan-Meier median of the values, unobserved ones censored",
}
_ADDED_UP = frozenset({COUNT, SUM})  # a child's several items make one row, their values added


@dataclass(frozen=True, slots=True)
class Fact:
    """A date a child's part is made of, and the decisions that can have given it: those of
    ``kinds`` taking effect ``on`` that date (every one of ``kinds`` when ``on`` is None; only
    those that set ``field``, when given), or the event numbered ``seq`` when the report knows it."""

    name: str
    on: date | None
    kinds: tuple[str, ...]
    seq: int | None = None
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Part:
    """One child's row in a figure: what it adds (``value``) and the dates that is made of."""

    la: str
    child: str
    period: int | None
    value: Number
    facts: tuple[Fact, ...]
    observed: bool | None = None  # Kaplan-Meier figures: False when the child's time is censored


def aggregate(kind: str, values: Sequence[Number], observed: Sequence[bool] = ()) -> Number | None:
    """The figure made of ``values`` (None where a mean, median or maximum has no value)."""
    if kind in _ADDED_UP:
        return sum(values)
    if not values:
        return None
    if kind == MEAN:
        return fmean(values)
    if kind == MEDIAN:
        return float(median(cast("Sequence[float]", values)))
    if kind == MAX:
        return max(values)
    if kind == PERCENT:
        return 100.0 * sum(values) / len(values)
    if kind == KM_MEDIAN:
        return km_median(cast("Sequence[float]", values), observed)  # whole days, as they came
    raise ValueError(f"no aggregate {kind!r}")


@dataclass(frozen=True)
class Measure(Generic[T]):
    """One figure of a report, as a rule over the report's items."""

    label: str  # as the report's table names it
    aggregate: str
    value: Callable[[T], Number | None]  # what an item adds; None: it does not count
    facts: Callable[[T], Iterable[Fact]]  # the dates its value is made of
    who: Callable[[T], tuple[str, str, int | None]]  # (la, child, period of care or None)
    observed: Callable[[T], bool] | None = None  # Kaplan-Meier: whether the item's event was seen

    def over(self, key: str, items: Iterable[T], label: str | None = None) -> Figure[T]:
        """The figure ``key`` of ``items`` (named ``label`` rather than the measure's): each
        item counted once, kept with what it adds."""
        counted = [(item, v) for item in items if (v := self.value(item)) is not None]
        return Figure(key, self, counted, label)


@dataclass(frozen=True)
class Figure(Generic[T]):
    """A figure with the items it counted: its value and its rows come from the same list."""

    key: str  # the figure within its report, e.g. "A1.mean_days" or "2015-16.matched"
    measure: Measure[T]
    counted: list[tuple[T, Number]] = field(repr=False)
    named: str | None = None  # the figure's own label, where the measure's is general

    @property
    def label(self) -> str:
        return self.named or self.measure.label

    @property
    def aggregate(self) -> str:
        return self.measure.aggregate

    @cached_property
    def value(self) -> Number | None:
        seen = self.measure.observed
        observed = [seen(item) for item, _ in self.counted] if seen is not None else []
        return aggregate(self.measure.aggregate, [v for _, v in self.counted], observed)

    def parts(self) -> list[Part]:
        """One row per child (per period of care) that counts in the figure, in the report's
        order; where the figure adds up, a child's several items make one row."""
        m = self.measure
        rows: dict[tuple[str, str, int | None], Part] = {}
        listed: list[Part] = []
        for item, value in self.counted:
            who = m.who(item)
            facts = tuple(m.facts(item))
            observed = m.observed(item) if m.observed is not None else None
            if m.aggregate in _ADDED_UP:
                before = rows.get(who)
                if before is not None:
                    rows[who] = Part(*who, before.value + value, before.facts + facts)
                    continue
                rows[who] = Part(*who, value, facts)
                continue
            listed.append(Part(*who, value, facts, observed))
        return list(rows.values()) if m.aggregate in _ADDED_UP else listed


def one(_item: Any) -> int:
    """What an item adds to a count."""
    return 1


def fact(name: str, on: date | None, *kinds: str, seq: int | None = None) -> list[Fact]:
    """A one-fact list (none when there is no date and no event number)."""
    return [] if on is None and seq is None else [Fact(name, on, kinds, seq)]
