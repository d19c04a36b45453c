"""Why rows were rejected, grouped: each kind of reason with what the analyst can do about it.

Every reason an import gives is a sentence naming the values it refuses. :data:`KINDS` knows
the sentences by their shape: each :class:`ReasonKind` has a name, a pattern its reasons match
and the remedy (what to do in the case management system, or which return to import). A new
reason is taught to the summary by one more entry here, its remedy kept beside its pattern; a
reason no entry knows is still counted, under "other".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, Protocol

# Said after every remedy: a return is corrected at its origin, then imported again (what was
# imported already is recognised).
AGAIN: Final = "then import the return again"

# What to do about a row the journey store's rules refuse, said in the reject's reason: the
# store's own remedy speaks of correcting recorded events (`journeys correct`), but a 903 row is
# fixed where it comes from.
STORE_REFUSAL_REMEDY: Final = (
    "correct the row in the return (in the case management system) and import the return again; "
    "what was imported already is recognised, nothing is recorded twice"
)


class Rejected(Protocol):
    """A rejected row's problem, as the import reports it (:class:`journeys.ssda903.Reject`)."""

    @property
    def table(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def row(self) -> int: ...
    @property
    def column(self) -> str: ...
    @property
    def reason(self) -> str: ...


Remedy = str | Callable[[re.Match[str], Rejected], str]


@dataclass(frozen=True)
class ReasonKind:
    """A kind of reason: its name, the pattern its reasons match (searched), and its remedy (a text
    that may name ``{column}`` and ``{table}``, or a function of the match and the reject)."""

    name: str
    pattern: re.Pattern[str]
    remedy: Remedy

    def remedy_for(self, match: re.Match[str], reject: Rejected) -> str:
        if isinstance(self.remedy, str):
            return self.remedy.format(column=reject.column, table=reject.table)
        return self.remedy(match, reject)


def _start_of_care(_match: re.Match[str], reject: Rejected) -> str:
    """Import the return the reason names (``... the 2015 return ...``), or the earlier one."""
    year = re.search(r"\b((?:19|20)\d\d) return", reject.reason)
    which = f"the {year.group(1)} return" if year else "the earlier return that holds it"
    return f"import {which} first, or with this one (returns can be given in any order)"


def _validator_rule(match: re.Match[str], _reject: Rejected) -> str:
    return (
        f"correct the row as the DfE 903 validator's rule {match.group('rule')} asks (the reason says what it "
        f"found) in the case management system, {AGAIN}"
    )


def _store_rule(match: re.Match[str], _reject: Rejected) -> str:
    return (
        f"the store refuses this {match.group('kind')} (a rule every journey keeps): check its date against the "
        f"child's other rows, correct it in the case management system, {AGAIN}"
    )


KINDS: Final[tuple[ReasonKind, ...]] = (
    ReasonKind(
        "invalid code", re.compile(r"^invalid code"), "correct {column} to a DfE code of the return's year, " + AGAIN
    ),
    ReasonKind(
        "impossible date",
        re.compile(r"^impossible date"),
        "correct {column} (a real date, dd/mm/yyyy, an end not before its start), " + AGAIN,
    ),
    ReasonKind(
        "an end without its date",
        re.compile(r"^REC \S+ says the episode ended, but DEC"),
        "fill in DEC (the day the episode ended), or leave REC blank while the episode is open, " + AGAIN,
    ),
    ReasonKind(
        "an episode left open",
        re.compile(r"^DEC is blank \(the episode still open\), but the next episode starts"),
        "fill in DEC (the day the next episode starts) and REC (X1 when the child stays in care), " + AGAIN,
    ),
    ReasonKind(
        "an end without its reason",
        re.compile(r"^DEC gives the date the episode ended, but REC"),
        "fill in REC (why the episode ended), or leave DEC blank while the episode is open, " + AGAIN,
    ),
    ReasonKind(
        "a decision ceased without its date",
        re.compile(r"^REASON_PLACED_CEASED \S+ is given but DATE_PLACED_CEASED is blank"),
        "fill in DATE_PLACED_CEASED, or leave REASON_PLACED_CEASED blank while the decision stands, " + AGAIN,
    ),
    ReasonKind(
        "not a child reference",
        re.compile(r"child reference|^CHILD \(the child's reference\) is missing"),
        "give every row the child's reference (CHILD) as the case management system holds it, " + AGAIN,
    ),
    ReasonKind("missing value", re.compile(r"^\S+ is missing$"), "fill in {column}, " + AGAIN),
    ReasonKind(
        "overlapping decisions",
        re.compile(r"^overlapping decisions"),
        "check the child's PlacedAdoption rows: each decision ceases (DATE_PLACED_CEASED) before the next is "
        "made, " + AGAIN,
    ),
    ReasonKind(
        "start of care missing",
        re.compile(r"start of care"),
        _start_of_care,
    ),
    ReasonKind(
        "episodes that do not fit",
        re.compile(r"^(?:RNE = |the episode starts on |the child starts to be looked after on )"),
        "check the child's episodes in date order: one open at a time, a new period of care starting with "
        "RNE = S after the previous one ended, " + AGAIN,
    ),
    ReasonKind(
        "conflicting rows in one return",
        re.compile(r"conflicts with \S+ of the same return"),
        "keep one row of the child for that date: the two rows named give different values, " + AGAIN,
    ),
    ReasonKind(
        "a row that does not fit the columns",
        re.compile(r"^the row has \d+ cells but"),
        "quote the cells that hold commas (or remove the comma too many), " + AGAIN,
    ),
    ReasonKind(
        "a value given twice in an XML element",
        re.compile(r"element holds \S+ twice"),
        "keep one value of each in the element: export the return again from the case management system",
    ),
    ReasonKind(
        "part of a decision not recorded",
        re.compile(r"^\S+ of \S+ was not recorded: "),
        "fix the row named (its own problem is listed too): this row is imported with it",
    ),
    ReasonKind(
        "repeats a rejected row",
        re.compile(r"^repeats \S+, rejected$"),
        "fix the row named (another return's, listed too): this row repeats it",
    ),
    ReasonKind("a validator rule", re.compile(r"\(rule (?P<rule>\w+)\)$"), _validator_rule),
    ReasonKind(
        "a rule of the journey store", re.compile(r"^(?P<kind>[a-z][a-z -]*?) (?:on )?\d{4}-\d\d-\d\d\b"), _store_rule
    ),
)
OTHER: Final = ReasonKind("other", re.compile(""), "check the row against the DfE 903 guidance for its year, " + AGAIN)


def kind_of(reject: Rejected) -> tuple[ReasonKind, re.Match[str]]:
    """The first kind whose pattern the reason matches (:data:`OTHER` when none does)."""
    for kind in KINDS:
        found = kind.pattern.search(reject.reason)
        if found is not None:
            return kind, found
    match = OTHER.pattern.search(reject.reason)
    assert match is not None
    return OTHER, match


@dataclass(frozen=True)
class ReasonGroup:
    """The problems of one kind in one column of one table: how many, an example, what to do."""

    kind: str
    table: str
    column: str
    count: int  # problems of this kind (a row may have several)
    example: Rejected  # the first, in the order of the files and rows
    remedy: str


def group_reasons(rejects: Iterable[Rejected]) -> list[ReasonGroup]:
    """The problems grouped by kind, table and column (a store rule also by the event it is
    about: "a rule of the journey store (match)"), the largest group first; each group's example
    is its first problem, and its remedy that example's."""
    groups: dict[tuple[str, str, str], list[Rejected]] = {}
    remedies: dict[tuple[str, str, str], str] = {}
    for reject in rejects:
        kind, match = kind_of(reject)
        about = match.groupdict().get("kind")
        key = (f"{kind.name} ({about})" if about else kind.name, reject.table, reject.column)
        groups.setdefault(key, []).append(reject)
        remedies.setdefault(key, kind.remedy_for(match, reject))
    ordered = sorted(groups.items(), key=lambda item: -len(item[1]))  # stable: ties keep the file order
    return [ReasonGroup(*key, len(found), found[0], remedies[key]) for key, found in ordered]
