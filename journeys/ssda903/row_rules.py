"""The public validator's rules on one Episodes row that the import applies (docs/ssda903.md).

Rule numbers and their sense follow Data to Insight's validator (csc-validator-be-903), in
the rule set of the return's collection year: a rule the validator drops from a year on is
not applied to the returns of that year and later. A broken rule here rejects the row, with
the rule number in the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from journeys.domain import vocabulary
from journeys.ssda903.year_codes import code_lists, collection_end, collection_year

Problem = tuple[str, str]  # (column, reason)

# The validator's rule for a code that is not in its column's list.
CODE_RULES: Final[dict[str, str]] = {
    "RNE": "143", "LS": "144", "PLACE": "146", "REC": "149", "REASON_PLACED_CEASED": "120",
}  # fmt: skip

# The last return year whose rule set has the rule (the validator's lac2024_25 deletes 445).
LAST_YEAR: Final[dict[str, int]] = {"445": 2024}

FREEING_ORDER: Final = "D1"
PLACEMENT_ORDER: Final = "E1"
FREEING_ORDERS_ENDED: Final = date(2005, 12, 31)  # the Adoption and Children Act 2002 in force
WITH_PLACEMENT_ORDER: Final[frozenset[str]] = frozenset({"A5", "A6"})


@dataclass(frozen=True)
class RuleWarning:
    """A validator rule a row breaks that does not stop it being imported: listed, not rejected."""

    column: str
    rule: str
    reason: str


def in_force(rule: str, year: int) -> bool:
    """Whether the rule set of the return of ``year`` has ``rule``."""
    return year <= LAST_YEAR.get(rule, 9999)


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def episode_problems(
    year: int, decom: date | None, ls: str | None, place: str | None, dec: date | None, rec: str | None
) -> list[Problem]:
    """The rules an Episodes row of the return of ``year`` breaks, given the values read from it
    (None where a cell is blank or was refused)."""
    problems: list[Problem] = []
    withdrawn = code_lists().withdrawn("PLACE", place, year) if place is not None else None
    if withdrawn is not None and (dec is None or dec > withdrawn.after):
        still = "is still open" if dec is None else f"ends on {_day(dec)}"
        problems.append(
            (
                "PLACE",
                f"placement type {place} is not valid after {_day(withdrawn.after)}, but the episode {still} "
                f"(rule {withdrawn.rule})",
            )
        )
    if ls == FREEING_ORDER and decom is not None and decom > FREEING_ORDERS_ENDED and in_force("445", year):
        problems.append(
            (
                "LS",
                f"LS D1 (freeing order) is not valid for an episode starting after December 2005; this one "
                f"starts on {_day(decom)} (rule 445)",
            )
        )
    if place in WITH_PLACEMENT_ORDER and ls is not None and ls != PLACEMENT_ORDER:
        problems.append(
            (
                "LS",
                f"PLACE {place} is a placement for adoption with a placement order, but LS is {ls}, "
                f"not E1 (placement order granted) (rule 408)",
            )
        )
    if rec in vocabulary.ADOPTED_REASONS and place is not None and place not in vocabulary.ADOPTION_PLACEMENTS:
        problems.append(
            (
                "REC",
                f"REC {rec} says the child was adopted, but PLACE {place} is not a placement for adoption "
                f"(A3-A6) (rule 390)",
            )
        )
    if dec is not None and dec > collection_end(year):
        problems.append(
            (
                "DEC",
                f"DEC {_day(dec)} is after the end of the {collection_year(year)} collection year "
                f"({_day(collection_end(year))}), the year of this return (rule 385)",
            )
        )
    return problems
