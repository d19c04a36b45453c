"""How long a child's record is kept: the retention rule that applies, from the child's own events.

The rules are data (``journeys/rules/retention.toml``, or a file of the authority's own), each
with its source: the clock starts at the adoption order, the death of a child before 18, or the
date of birth, and runs a number of years. The first rule of the table that applies counts. A
legal hold (a ``legal-hold`` event, :class:`journeys.domain.journey.Journey.LegalHold`) stops
the clock: while one is in force the record is never due, and the days held after the clock
started are added to its date. Holds are dated by the Europe/London day they were recorded.
Nothing here reads a clock: the date the report is for is an argument.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

from journeys.domain.errors import ProtectionError
from journeys.domain.localday import london_date
from journeys.domain.timeline import LEGAL_HOLD, Entry, decisions_at

DEFAULT_RETENTION_RULES: Final = Path(__file__).resolve().parent.parent / "rules" / "retention.toml"
STARTS: Final = ("adoption-order", "death-before-18", "date-of-birth")
DIED: Final = "E2"  # SSDA903 REC: died

DUE, HELD, KEPT, UNKNOWN = "due", "held", "kept", "no-rule"


@dataclass(frozen=True)
class RetentionRule:
    id: str
    name: str
    starts: str  # one of STARTS
    years: int
    source: str


@dataclass(frozen=True)
class Retention:
    """What the rules say of one child's record on a day."""

    rule: RetentionRule | None  # None: no rule applies (no adoption order, no date of birth)
    start: date | None  # when the clock started
    held_days: int  # days under a legal hold after the clock started, added to the date
    review_from: date | None  # the day the record is due for review (None under a hold, or no rule)
    hold_in_force: bool
    status: str  # DUE, HELD, KEPT (not yet due) or UNKNOWN


def load_retention_rules(path: Path | str | None = None) -> tuple[RetentionRule, ...]:
    """Read and check a retention rules file (the shipped table when ``path`` is None)."""
    path = Path(path) if path is not None else DEFAULT_RETENTION_RULES
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise _invalid(path, None, f"cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise _invalid(path, None, f"is not valid TOML ({error})") from None
    return parse_retention_rules(data, str(path))


def parse_retention_rules(data: Mapping[str, Any], where: str) -> tuple[RetentionRule, ...]:
    if set(data) - {"rule"}:
        raise _invalid(where, None, f"unknown top-level key(s) {', '.join(sorted(set(data) - {'rule'}))}")
    tables = data.get("rule")
    if not isinstance(tables, list) or not tables:
        raise _invalid(where, None, "no [[rule]] tables")
    rules: list[RetentionRule] = []
    for number, table in enumerate(tables, start=1):
        name = str(table.get("id", f"#{number}")) if isinstance(table, dict) else f"#{number}"
        if not isinstance(table, dict):
            raise _invalid(where, name, "each [[rule]] must be a table")
        extra = set(table) - {"id", "name", "from", "years", "source"}
        if extra:
            raise _invalid(where, name, f"unknown key(s) {', '.join(sorted(extra))}")
        for key in ("id", "name", "source"):
            if not isinstance(table.get(key), str) or not table[key].strip():
                raise _invalid(where, name, f"{key} must be non-empty text")
        if table.get("from") not in STARTS:
            raise _invalid(where, name, f"from must be one of {', '.join(STARTS)}")
        years = table.get("years")
        if type(years) is not int or not 1 <= years <= 200:
            raise _invalid(where, name, "years must be a whole number from 1 to 200")
        if any(r.id == table["id"] for r in rules):
            raise _invalid(where, name, "the id is used twice")
        rules.append(RetentionRule(table["id"], table["name"], table["from"], years, " ".join(table["source"].split())))
    return tuple(rules)


def _invalid(where: Path | str, rule: str | None, reason: str) -> ProtectionError:
    at = f"retention rules file {where}" + (f", rule {rule!r}" if rule else "")
    return ProtectionError(
        f"{at}: {reason}", "fix the file (format in docs/data-protection.md), or leave out --rules for the defaults"
    )


def retention_of(entries: Sequence[Entry], as_at: date, rules: Iterable[RetentionRule]) -> Retention:
    """The retention of a child's record on ``as_at``: its decisions in effect by then and the
    legal holds recorded by then."""
    starts = _starts(entries, as_at)
    holds = _holds(entries, as_at)
    in_force = bool(holds) and holds[-1][1] is None
    for rule in rules:
        start = starts.get(rule.starts)
        if start is None:
            continue
        held = sum(((end or as_at) - max(begin, start)).days for begin, end in holds if (end or as_at) > start)
        review = add_years(start, rule.years) + timedelta(days=held)
        if in_force:  # no date while the clock is stopped
            return Retention(rule, start, held, None, True, HELD)
        return Retention(rule, start, held, review, False, DUE if review <= as_at else KEPT)
    return Retention(None, None, 0, None, in_force, HELD if in_force else UNKNOWN)


def add_years(day: date, years: int) -> date:
    """The anniversary ``years`` after ``day``; of 29 February, 1 March in a year without one
    (the later day: a record is never due early)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _starts(entries: Sequence[Entry], as_at: date) -> dict[str, date]:
    """The dates each kind of clock would start from."""
    found: dict[str, date] = {}
    birth: date | None = None
    death: date | None = None
    for d in decisions_at(entries, as_at=as_at):
        if d.kind == "adoption-order":
            found["adoption-order"] = d.on
        elif d.kind == "child-details" and d.fields.get("date_of_birth"):
            birth = d.fields["date_of_birth"]
        elif d.kind == "left-care" and d.fields.get("reason_code") == DIED:
            death = d.on
    if birth is not None:
        found["date-of-birth"] = birth
        if death is not None and death < add_years(birth, 18):
            found["death-before-18"] = death
    return found


def _holds(entries: Sequence[Entry], as_at: date) -> list[tuple[date, date | None]]:
    """The legal holds recorded on or before ``as_at``: (placed, lifted or None), by London day."""
    holds: list[tuple[date, date | None]] = []
    for e in entries:
        if e.kind != LEGAL_HOLD:
            continue
        day = london_date(e.recorded_at)
        if day > as_at:
            break
        if e.fields["lifted"]:
            if holds and holds[-1][1] is None:
                holds[-1] = (holds[-1][0], day)
        else:
            holds.append((day, None))
    return holds
