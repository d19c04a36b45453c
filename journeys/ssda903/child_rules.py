"""The public validator's rules across a child's rows that the import applies (docs/ssda903.md).

Run on what :func:`journeys.ssda903.facts.check` made of a chunk of whole children. Errors
reject the row the validator flags (its fact leaves the merge; the child's other rows are
still imported); warnings are listed in the import's summary and the row is imported.

- 437 (error): REC E2 (died) or E15 (aged 18 or over) ends an episode, but a later one follows.
- 386 (error): REC E11/E12 (adopted) on a DEC on or after the child's 18th birthday.
- 352 (error): RNE S (started to be looked after) on or after the child's 18th birthday.
- 199 (warning): an episode after the child was adopted from care (REC E11/E12).
- 523 (warning): PlacedAdoption DATE_PLACED differs from AD1 DATE_INT (the same return).
- INT11, INT12 (warning): AD1's or PlacedAdoption's DOB differs from Header's (the same return).

Rules on episodes see the child's episodes of every return given, merged (an episode repeated
in two returns is one); the rules comparing two tables compare those of one return, as the
validator does. The age rules use the date of birth the import records (the newest Header).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Final

from journeys.domain import vocabulary
from journeys.ssda903.facts import Ad1, AdoptionDecision, Birth, Checked, Episode, Fact
from journeys.ssda903.read import parse_903_date
from journeys.ssda903.row_rules import RuleWarning
from journeys.ssda903.tables import Row

ENDS_CARE_FOR_GOOD: Final[dict[str, str]] = {"E2": "the child died", "E15": "the child is aged 18 or over"}
STARTED: Final = "S"

_Error = tuple[Row, str, str]  # (row, column, reason)
_Warning = tuple[Row, RuleWarning]


def eighteenth_birthday(dob: date) -> date:
    """The day a child born on ``dob`` is 18 (29 February -> 28 February, as the validator counts)."""
    try:
        return dob.replace(year=dob.year + 18)
    except ValueError:
        return date(dob.year + 18, 2, 28)


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _episode_rules(episodes: list[Episode], birth: Birth | None) -> tuple[list[_Error], list[_Warning]]:
    errors: list[_Error] = []
    warnings: list[_Warning] = []
    ordered = sorted(episodes, key=lambda e: e.decom)
    for i, e in enumerate(ordered):
        if e.rec in ENDS_CARE_FOR_GOOD and i + 1 < len(ordered):
            later = ordered[i + 1]
            errors.append(
                (
                    e.row,
                    "REC",
                    f"REC {e.rec} ({ENDS_CARE_FOR_GOOD[e.rec]}) ends this episode, but a later episode follows, "
                    f"from {_day(later.decom)} ({later.row.where}) (rule 437)",
                )
            )
    adopted = next((e for e in ordered if e.rec in vocabulary.ADOPTED_REASONS), None)
    if adopted is not None:
        for e in ordered[ordered.index(adopted) + 1 :]:
            reason = (
                f"episode information shows the child was adopted from care before: REC {adopted.rec} "
                f"ended the episode from {_day(adopted.decom)} ({adopted.row.where}) (rule 199)"
            )
            warnings.append((e.row, RuleWarning("CHILD", "199", reason)))
    if birth is not None:
        adult = eighteenth_birthday(birth.dob)
        born = f"date of birth {_day(birth.dob)}, {birth.row.where}"
        for e in ordered:
            if e.rec in vocabulary.ADOPTED_REASONS and e.dec is not None and e.dec >= adult:
                errors.append(
                    (
                        e.row,
                        "REC",
                        f"REC {e.rec} says the child was adopted on {_day(e.dec)}, but the child was 18 on "
                        f"{_day(adult)} ({born}) (rule 386)",
                    )
                )
            if e.rne == STARTED and e.decom >= adult:
                errors.append(
                    (
                        e.row,
                        "DECOM",
                        f"the child starts to be looked after (RNE S) on {_day(e.decom)}, aged 18 or over "
                        f"(18 on {_day(adult)}; {born}) (rule 352)",
                    )
                )
    return errors, warnings


def _dob_cell(row: Row) -> date | None:
    try:
        return parse_903_date(row.values.get("DOB", ""))
    except ValueError:
        return None  # blank or unreadable: the validator compares readable dates only


def _one_return_rules(facts: list[Fact], decisions: list[AdoptionDecision]) -> list[_Warning]:
    """523, INT11 and INT12 on the rows of one return of one child."""
    warnings: list[_Warning] = []
    headers = [f for f in facts if isinstance(f, Birth)]
    ad1s = [f for f in facts if isinstance(f, Ad1)]
    for rule, rows, table in (
        ("INT11", [a.row for a in ad1s], "AD1"),
        ("INT12", [d.row for d in decisions], "PlacedAdoption"),
    ):
        for row in rows:
            dob = _dob_cell(row)
            header = next((h for h in headers if dob is not None and h.dob != dob), None)
            if dob is not None and header is not None:
                reason = (
                    f"DOB {_day(dob)} in {table} differs from the DOB {_day(header.dob)} in Header "
                    f"({header.row.where}); the import records Header's (rule {rule})"
                )
                warnings.append((row, RuleWarning("DOB", rule, reason)))
    for decision in decisions:
        for ad1 in ad1s:
            if decision.placed != ad1.date_int:
                why = (
                    f"the decision that the child should be placed for adoption (DATE_PLACED {_day(decision.placed)}, "
                    f"{decision.row.where}) should be the date adoption was found in the child's best interests "
                    f"(AD1 DATE_INT {_day(ad1.date_int)}, {ad1.row.where}) (rule 523)"
                )
                warnings.append((decision.row, RuleWarning("DATE_PLACED", "523", why)))
                warnings.append((ad1.row, RuleWarning("DATE_INT", "523", why)))
    return warnings


def apply_child_rules(checked: Checked) -> None:
    """Apply the rules of the module doc to every child of ``checked``, in place."""
    kept = {id(f) for f in checked.facts}
    read: dict[str, list[Fact]] = defaultdict(list)
    for fact in checked.read:
        read[fact.row.child].append(fact)
    decisions: dict[tuple[str, int], list[AdoptionDecision]] = defaultdict(list)
    for decision in checked.decisions:
        decisions[(decision.row.child, decision.row.year)].append(decision)
    years: dict[str, set[int]] = defaultdict(set)
    for child, year in decisions:
        years[child].add(year)
    refused: set[Row] = set()
    for child in sorted(set(read) | set(years)):
        facts = read.get(child, [])
        winners = [f for f in facts if id(f) in kept]
        birth = next((f for f in winners if isinstance(f, Birth)), None)
        errors, warnings = _episode_rules([f for f in winners if isinstance(f, Episode)], birth)
        by_year: dict[int, list[Fact]] = defaultdict(list)
        for fact in facts:
            by_year[fact.row.year].append(fact)
        for year in sorted(set(by_year) | years[child]):
            warnings.extend(_one_return_rules(by_year.get(year, []), decisions.get((child, year), [])))
        for row, column, reason in errors:
            checked.reject(row, column, reason)
            refused.add(row)
        for row, warning in warnings:
            checked.warnings.setdefault(row, []).append(warning)
    if refused:
        checked.facts = [f for f in checked.facts if f.row not in refused]
