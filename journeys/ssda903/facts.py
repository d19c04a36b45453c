"""Checking 903 rows and merging returns: each row becomes a typed fact or a list of problems.

Rows of several returns are merged on each table's natural key (a child; a child's episode
by its start date; a child's adoption decision by its date). Where two returns disagree
the newest wins; an identical repeat (an episode open at a year end appears again in the
next return) is one fact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from journeys.domain.errors import InvalidEvent
from journeys.domain.inputs import child_reference
from journeys.ssda903 import codes
from journeys.ssda903.read import parse_903_date
from journeys.ssda903.row_rules import CODE_RULES, Problem, RuleWarning, episode_problems
from journeys.ssda903.tables import Row
from journeys.ssda903.year_codes import code_lists


@dataclass(frozen=True)
class Birth:
    row: Row
    dob: date


@dataclass(frozen=True)
class Episode:
    row: Row
    decom: date
    rne: str
    ls: str
    place: str
    dec: date | None
    rec: str | None


@dataclass(frozen=True)
class Ad1:
    row: Row
    date_int: date
    date_match: date


@dataclass(frozen=True)
class AdoptionDecision:
    """A PlacedAdoption row: the decision that the child should be placed for adoption."""

    row: Row
    placed: date
    ceased: date | None
    reason: str | None


Fact = Birth | Episode | Ad1 | AdoptionDecision


@dataclass
class Checked:
    """The outcome of checking and merging every row read."""

    facts: list[Fact] = field(default_factory=list)  # the winning fact of each natural key
    # Every decision with readable dates, flawed rows included: overlaps are found among all of them.
    decisions: list[AdoptionDecision] = field(default_factory=list)
    problems: dict[Row, list[Problem]] = field(default_factory=dict)
    same_as: dict[Row, Row] = field(default_factory=dict)  # an identical repeat -> the row kept
    superseded: dict[Row, Row] = field(default_factory=dict)  # an older row -> the newer row that won
    warnings: dict[Row, list[RuleWarning]] = field(default_factory=dict)  # listed, not rejected
    read: list[Fact] = field(default_factory=list)  # every fact whose row passed its own checks

    def reject(self, row: Row, column: str, reason: str) -> None:
        self.problems.setdefault(row, []).append((column, reason))


class _Reader:
    """Reads typed values out of one row, collecting problems instead of stopping at the first."""

    def __init__(self, row: Row) -> None:
        self.row = row
        self.problems: list[Problem] = []

    def text(self, column: str, required: bool = True) -> str | None:
        value = self.row.values.get(column, "").strip()
        if not value:
            if required:
                self.problems.append((column, f"{column} is missing"))
            return None
        return value

    def date(self, column: str, required: bool = True) -> date | None:
        value = self.text(column, required)
        if value is None:
            return None
        try:
            return parse_903_date(value)
        except ValueError as error:
            self.problems.append((column, f"impossible date: {error}"))
            return None

    def code(self, column: str, required: bool = True) -> str | None:
        """The code in ``column``, checked against the list of the row's collection year."""
        value = self.text(column, required)
        if value is None:
            return None
        lists = code_lists()
        allowed_list = sorted(lists.allowed(column, self.row.year))
        if value.upper() not in allowed_list:
            shown = ", ".join(allowed_list) if len(allowed_list) <= 8 else ", ".join(allowed_list[:8]) + ", ..."
            why = lists.why_not(column, value.upper(), self.row.year)
            self.problems.append(
                (
                    column,
                    f"invalid code {value!r}: {why + '; ' if why else ''}{column} must be one of {shown} "
                    f"(rule {CODE_RULES[column]})",
                )
            )
            return None
        return value.upper()


def _birth(r: _Reader) -> Birth | None:
    dob = r.date("DOB")
    return Birth(r.row, dob) if dob else None


def _episode(r: _Reader) -> Episode | None:
    decom, dec = r.date("DECOM"), r.date("DEC", required=False)
    rne = r.code("RNE")
    ls = r.code("LS")
    place = r.code("PLACE")
    rec = r.code("REC", required=False)
    if rec is not None and dec is None and not any(col == "DEC" for col, _ in r.problems):
        r.problems.append(("REC", f"REC {rec} says the episode ended, but DEC (the date it ended) is blank"))
    if dec is not None and rec is None and not any(col == "REC" for col, _ in r.problems):
        r.problems.append(("REC", "DEC gives the date the episode ended, but REC (why) is blank"))
    if decom and dec and dec < decom:
        r.problems.append(("DEC", f"impossible date: the episode ends on {dec} before it starts on {decom}"))
    r.problems.extend(episode_problems(r.row.year, decom, ls, place, dec, rec))
    if decom is None or rne is None or ls is None or place is None:
        return None
    return Episode(r.row, decom, rne, ls, place, dec, rec)


def _ad1(r: _Reader) -> Ad1 | None:
    date_int, date_match = r.date("DATE_INT"), r.date("DATE_MATCH")
    if date_int is None or date_match is None:
        return None
    return Ad1(r.row, date_int, date_match)


def _decision(r: _Reader) -> AdoptionDecision | None:
    placed, ceased = r.date("DATE_PLACED"), r.date("DATE_PLACED_CEASED", required=False)
    reason = r.code("REASON_PLACED_CEASED", required=ceased is not None)
    if ceased is None and reason is not None:
        r.problems.append(
            ("DATE_PLACED_CEASED", f"REASON_PLACED_CEASED {reason} is given but DATE_PLACED_CEASED is blank")
        )
    if placed and ceased and ceased < placed:
        r.problems.append(
            ("DATE_PLACED_CEASED", f"impossible date: the decision ceased on {ceased} before it was made on {placed}")
        )
    if placed is None:
        return None
    # Kept even when the reason is invalid, so that overlapping decisions are still found.
    return AdoptionDecision(r.row, placed, ceased, reason)


_BUILD: dict[str, Callable[[_Reader], Fact | None]] = {
    codes.HEADER: _birth,
    codes.EPISODES: _episode,
    codes.AD1: _ad1,
    codes.PLACED_FOR_ADOPTION: _decision,
}


def natural_key(fact: Fact) -> tuple[Any, ...]:
    child = fact.row.child
    if isinstance(fact, Episode):
        return (codes.EPISODES, child, fact.decom)
    if isinstance(fact, AdoptionDecision):
        return (codes.PLACED_FOR_ADOPTION, child, fact.placed)
    return (fact.row.table, child)


def _content(fact: Fact) -> tuple[Any, ...]:
    if isinstance(fact, Birth):
        return (fact.dob,)
    if isinstance(fact, Episode):
        return (fact.rne, fact.ls, fact.place, fact.dec, fact.rec)
    if isinstance(fact, Ad1):
        return (fact.date_int, fact.date_match)
    return (fact.ceased, fact.reason)


def _refused_reference(child: str) -> str | None:
    """Why a CHILD cell is not a child reference (None when it is one)."""
    try:
        child_reference(child)
    except InvalidEvent as error:
        return error.full_message()
    return None


def _zero_length(fact: Fact) -> bool:
    return isinstance(fact, Episode) and fact.dec == fact.decom


def _zero_length_reason(zero: Fact, other: Fact) -> str:
    assert isinstance(zero, Episode)
    return (
        f"a zero-length episode: it starts and ends on {zero.decom}, the day the episode of "
        f"{other.row.where} starts; that episode is kept"
    )


def check(rows: Iterable[Row]) -> Checked:
    """Check every row; merge the returns (newest wins); keep one fact per natural key."""
    out = Checked()
    candidates: list[Fact] = []
    for row in rows:
        reader = _Reader(row)
        fact = None
        if row.problem:
            reader.problems.append(("CHILD", row.problem))
        elif not row.child:
            reader.problems.append(("CHILD", "CHILD (the child's reference) is missing"))
        elif (refused := _refused_reference(row.child)) is not None:
            reader.problems.append(("CHILD", refused))
        else:
            fact = _BUILD[row.table](reader)
        for column, reason in reader.problems:
            out.reject(row, column, reason)
        if isinstance(fact, AdoptionDecision):
            out.decisions.append(fact)
        if fact is not None and not reader.problems:
            candidates.append(fact)
    # Newest return first; within a return, file order.
    candidates.sort(key=lambda f: (-f.row.year, f.row.file, f.row.line))
    kept: dict[tuple[Any, ...], Fact] = {}
    for fact in candidates:
        key = natural_key(fact)
        winner = kept.get(key)
        if winner is None:
            kept[key] = fact
        elif _content(winner) == _content(fact):
            out.same_as[fact.row] = winner.row
        elif winner.row.year > fact.row.year:
            out.superseded[fact.row] = winner.row
        elif _zero_length(winner) and not _zero_length(fact):
            # an episode that ends the day it starts, and the episode that starts that day: the
            # zero-length one is the row at fault, the other stands
            out.reject(winner.row, "DEC", _zero_length_reason(winner, fact))
            kept[key] = fact
        elif _zero_length(fact) and not _zero_length(winner):
            out.reject(fact.row, "DEC", _zero_length_reason(fact, winner))
        else:
            out.reject(
                fact.row,
                "CHILD",
                f"conflicts with {winner.row.where} of the same return (same child and natural key, different values)",
            )
    out.facts = list(kept.values())
    out.read = candidates
    return out
