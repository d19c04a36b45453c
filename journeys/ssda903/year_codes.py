"""SSDA903 code lists by collection year, read from ``journeys/rules/ssda903_codes.toml``.

A return is checked against the lists of its own collection year (the return of the folder
``2025`` is the collection year 2024/25, 1 April 2024 to 31 March 2025), as the public
validator checks it with that year's rule set. The file says where each change comes from.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

CODES_FILE: Final = Path(__file__).resolve().parent.parent / "rules" / "ssda903_codes.toml"
COLUMNS: Final = ("RNE", "LS", "PLACE", "REC", "REASON_PLACED_CEASED")


def collection_year(year: int) -> str:
    """The collection year of the return of ``year`` (the year it ends): 2025 -> "2024/25"."""
    return f"{year - 1}/{year % 100:02d}"


def return_year(label: str) -> int:
    """The year a collection year ends: "2024/25" -> 2025."""
    first, _, second = label.partition("/")
    if not (first.isdigit() and len(first) == 4 and second == f"{(int(first) + 1) % 100:02d}"):
        raise ValueError(f"{label!r} is not a collection year such as 2024/25")
    return int(first) + 1


def collection_end(year: int) -> date:
    """The last day of the collection year of the return of ``year`` (31 March)."""
    return date(year, 3, 31)


@dataclass(frozen=True)
class Change:
    year: int  # the return year it applies from
    column: str
    added: frozenset[str]
    removed: frozenset[str]
    source: str


@dataclass(frozen=True)
class Withdrawal:
    """A code refused part way through a year: on an episode open after ``after``."""

    first: int
    last: int  # the return years the withdrawal applies in
    column: str
    code: str
    after: date
    rule: str
    source: str


@dataclass(frozen=True)
class CodeLists:
    base: dict[str, frozenset[str]]
    changes: tuple[Change, ...]  # oldest first
    withdrawals: tuple[Withdrawal, ...]

    def allowed(self, column: str, year: int) -> frozenset[str]:
        """The codes ``column`` may hold in the return of ``year``."""
        codes = set(self.base[column])
        for change in self.changes:
            if change.column == column and change.year <= year:
                codes = (codes - change.removed) | change.added
        return frozenset(codes)

    def why_not(self, column: str, code: str, year: int) -> str:
        """Why ``code`` is not in the list of ``year``, when another year has it ("" when none does)."""
        for change in self.changes:
            if change.column != column:
                continue
            if code in change.added and year < change.year:
                return f"{code} is valid from {collection_year(change.year)}, not in a {collection_year(year)} return"
            if code in change.removed and year >= change.year:
                return f"{code} was withdrawn in {collection_year(change.year)}"
        return ""

    def withdrawn(self, column: str, code: str, year: int) -> Withdrawal | None:
        return next(
            (w for w in self.withdrawals if w.column == column and w.code == code and w.first <= year <= w.last),
            None,
        )


def _codes(raw: Any, what: str) -> frozenset[str]:
    if not isinstance(raw, list) or not all(isinstance(c, str) and c == c.strip().upper() for c in raw):
        raise ValueError(f"{CODES_FILE.name}: {what} must be a list of upper-case codes")
    return frozenset(raw)


def parse_code_lists(data: dict[str, Any]) -> CodeLists:
    """The code lists of a parsed ``ssda903_codes.toml``; ValueError naming what is wrong."""
    base = data["base"]
    lists = {column: _codes(base[column], f"[base] {column}") for column in COLUMNS}
    changes = []
    for raw in data.get("change", []):
        column = raw["column"]
        if column not in COLUMNS:
            raise ValueError(f"{CODES_FILE.name}: a change of an unknown column {column!r}")
        changes.append(
            Change(
                return_year(raw["collection_year"]),
                column,
                _codes(raw.get("added", []), "added"),
                _codes(raw.get("removed", []), "removed"),
                raw["source"],
            )
        )
    withdrawals = tuple(
        Withdrawal(
            return_year(raw["collection_year"]),
            return_year(raw["until"]) if "until" in raw else 9999,
            raw["column"],
            raw["code"],
            date.fromisoformat(str(raw["after"])),
            str(raw["rule"]),
            raw["source"],
        )
        for raw in data.get("withdrawn", [])
    )
    ordered = tuple(sorted(changes, key=lambda c: c.year))
    return CodeLists(lists, ordered, withdrawals)


@cache
def code_lists() -> CodeLists:
    """The code lists of :data:`CODES_FILE` (read once)."""
    with CODES_FILE.open("rb") as handle:
        return parse_code_lists(tomllib.load(handle))
