"""What every entry point (the CLI, a JSONL load, a 903 import, a web form) accepts, checked
once here: local authority codes, child references, free text and dates.

Each check returns the value as it is to be stored (normalised) or raises
:class:`InvalidEvent` with a remedy.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from journeys.domain.errors import InvalidEvent, RuleBroken
from journeys.domain.timeline import Decision

LA_CODES_FILE: Final = Path(__file__).resolve().parent.parent / "rules" / "la_codes.toml"

# The environment variable that lets a store take LA codes outside the DfE list (test stores).
ALLOW_UNKNOWN_LA_ENV: Final = "JOURNEYS_ALLOW_UNKNOWN_LA"

# The longest child reference accepted (903 CHILD fields are at most 10; local systems' ids
# are longer, but a reference is never a paragraph).
MAX_REFERENCE: Final = 64
MAX_USER: Final = 64  # who records: a name or login, never a paragraph

# The one documented set of date forms, said the same way by every entry point.
DATE_FORMS: Final = "YYYY-MM-DD or dd/mm/yyyy"
DATE_REMEDY: Final = f"write dates as {DATE_FORMS} (e.g. 2014-06-02 or 02/06/2014)"

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)


@lru_cache(maxsize=1)
def la_codes() -> dict[str, str]:
    """Every accepted LA code (current and historic) with the authority's name."""
    with LA_CODES_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return {**data["current"], **data["historic"]}


def is_truthy(value: str | None) -> bool:
    """Whether an environment flag such as JOURNEYS_ALLOW_UNKNOWN_LA is set on."""
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def check_la(code: Any, *, allow_unknown: bool = False) -> str:
    """An LA code as stored: a DfE three-digit code of an English local authority (any
    printable code with ``allow_unknown``)."""
    if not isinstance(code, str | int) or isinstance(code, bool):
        raise InvalidEvent(f"the local authority code {code!r} is not text", _LA_REMEDY)
    text = str(code).strip()
    if text in la_codes():
        return text
    if allow_unknown and text and len(text) <= MAX_REFERENCE and text.isprintable():
        return text
    raise InvalidEvent(f"{text!r} is not the DfE code of an English local authority", _LA_REMEDY)


_LA_REMEDY = (
    "give the DfE three-digit LA code (e.g. 825 for Buckinghamshire; the list is journeys/rules/la_codes.toml), "
    f"or --allow-unknown-la ({ALLOW_UNKNOWN_LA_ENV}=1) for a test store"
)


def child_reference(value: Any) -> str:
    """A child reference as stored: Unicode NFKC (fullwidth ``Ｃ００１`` is ``C001``), no
    surrounding spaces, printable (no control, zero-width or bidi characters), at most
    :data:`MAX_REFERENCE` characters."""
    if isinstance(value, str):
        return _reference_of_text(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidEvent(f"the child reference {value!r} is not text", _REFERENCE_REMEDY)
    return _reference_of_text(str(value))


@lru_cache(maxsize=1 << 16)  # a load asks for the same child's reference once per line
def _reference_of_text(text: str) -> str:
    if not (text.isascii() and text.isprintable()):  # most references: plain ASCII, nothing to normalise
        text = unicodedata.normalize("NFKC", text)
    text = text.strip()
    if not text:
        raise InvalidEvent("the child reference is blank", _REFERENCE_REMEDY)
    if len(text) > MAX_REFERENCE:
        raise InvalidEvent(
            f"the child reference {text[:20]!r}… is {len(text)} characters long (at most {MAX_REFERENCE})",
            _REFERENCE_REMEDY,
        )
    if not text.isprintable():
        bad = next(ch for ch in text if not ch.isprintable())
        raise InvalidEvent(
            f"the child reference {text!r} holds the unprintable character U+{ord(bad):04X}", _REFERENCE_REMEDY
        )
    return text


_REFERENCE_REMEDY = (
    f"give the child's reference as printable text of at most {MAX_REFERENCE} characters "
    "(letters, digits, punctuation; no control, zero-width or bidi characters)"
)


def check_opening(la: str, child: str, recorded_by: str) -> None:
    """Refuse a new journey whose reference is not given as :func:`child_reference` makes it
    (a caller that skipped it), or whose LA code or user holds a control character."""
    if child_reference(child) != child:
        raise InvalidEvent(
            f"the child reference {child!r} is not in its normal form",
            "give it without surrounding spaces, in Unicode NFKC form",
        )
    free_text(la, "the local authority code")
    check_user(recorded_by)


def check_user(value: Any) -> str:
    """Who records an event (the command line's ``--user``, ``JOURNEYS_USER`` or the OS user;
    an API caller's ``recorded_by``), kept as given: text that is not blank, printable (no
    control, zero-width or bidi characters) and at most :data:`MAX_USER` characters."""
    if type(value) is str and len(value) <= MAX_USER and value.isprintable() and value.strip():
        return value
    if not isinstance(value, str):
        raise InvalidEvent(f"the user {value!r} is not text", _USER_REMEDY)
    if not value.strip():
        raise InvalidEvent("the user is blank", _USER_REMEDY)
    if len(value) > MAX_USER:
        raise InvalidEvent(
            f"the user {value[:20]!r}… is {len(value)} characters long (at most {MAX_USER})", _USER_REMEDY
        )
    bad = next(ch for ch in value if not ch.isprintable())
    raise InvalidEvent(f"the user {value!r} holds the unprintable character U+{ord(bad):04X}", _USER_REMEDY)


_USER_REMEDY = (
    f"give who records as a name of at most {MAX_USER} printable characters (no control, zero-width or bidi characters)"
)


def case_key(reference: str) -> str:
    """What two references that differ only by case have in common."""
    return reference.casefold()


def free_text(value: Any, what: str) -> str:
    """Free text (a reason, a note, an action's text, an owner, adopters) as given, refused
    when it holds a control character (NUL, a newline, a tab...), which no store or report
    table can be trusted to keep."""
    if not isinstance(value, str):
        raise InvalidEvent(f"{what} {value!r} is not text", f"give {what} as text")
    if not value.isprintable():
        bad = next((ch for ch in value if unicodedata.category(ch) == "Cc"), None)
        if bad is not None:
            raise InvalidEvent(
                f"{what} holds the control character U+{ord(bad):04X}",
                f"give {what} on one line, without control characters",
            )
    return value


def parse_date(value: Any, what: str = "date") -> date:
    """A calendar date from one of the documented forms (:data:`DATE_FORMS`), or a date.

    ``20140602``, ``2014-6-2``, ``2014-06-02T00:00``, numbers and blanks are refused with the
    same message wherever they come from.
    """
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date(*_date_parts(value, what))
    raise InvalidEvent(f"{what} {value!r} is not a date in the form {DATE_FORMS}", DATE_REMEDY)


# A load's lines share their dates. The parts are kept, not the date: under a test's frozen clock
# ``date`` is another class, whose objects must not outlive it. (A refusal raises, and is not kept.)
@lru_cache(maxsize=1 << 14)
def _date_parts(value: str, what: str) -> tuple[int, int, int]:
    text = value.strip()
    if (found := _ISO.fullmatch(text)) is not None:
        year, month, day = found.groups()
    elif (found := _UK.fullmatch(text)) is not None:
        day, month, year = found.groups()
    else:
        raise InvalidEvent(f"{what} {value!r} is not a date in the form {DATE_FORMS}", DATE_REMEDY)
    parts = int(year), int(month), int(day)
    try:
        date(*parts)
    except ValueError:
        raise InvalidEvent(f"{what} {value!r} is not a real calendar date", DATE_REMEDY) from None
    return parts


# How many cased letters of a reference have every one of their spellings looked up; a longer
# reference has its usual spellings looked up (as given, upper, lower, title, swapped).
_ALL_SPELLINGS_UP_TO = 8


def case_variants(reference: str) -> set[str]:
    """The spellings of ``reference`` that differ from it only by case (itself left out), so
    that a store can be asked whether it holds one (a stream id is made from the reference as
    spelt, so a different case is a different stream)."""
    cased = [i for i, ch in enumerate(reference) if ch.lower() != ch.upper()]
    if len(cased) <= _ALL_SPELLINGS_UP_TO:
        spellings = {""}
        for ch in reference:
            if ch.lower() != ch.upper():
                spellings = {s + c for s in spellings for c in (ch.lower(), ch.upper())}
            else:
                spellings = {s + ch for s in spellings}
    else:
        spellings = {reference.upper(), reference.lower(), reference.title(), reference.swapcase()}
    spellings.discard(reference)
    return spellings


def case_clash(la: str, reference: str, other: str) -> InvalidEvent:
    """The refusal of a new reference that differs only by case from one already recorded."""
    return InvalidEvent(
        f"child {reference!r} differs only by case from child {other!r} already recorded in local authority {la}",
        f"use the reference as recorded ({other!r}); references are told apart by case, so a new "
        "child needs a reference that differs by more than case",
    )


def check_action(action_id: str, text: str, owner: str, due: date, decisions: list[Decision]) -> date:
    """A surgery action's due date, its id, text and owner checked as free text. The due date
    is refused when it is before the child's first decision in force: an action is for a
    journey under way, and one due in 1999 for a child in care since 2014 is a typing error,
    overdue at once. (Not "before today": a load carries actions recorded earlier, and the
    README's walkthrough is dated 2016.)"""
    for value, what in ((action_id, "the action id"), (text, "the action's text"), (owner, "the action's owner")):
        free_text(value, what)
    if decisions and due < decisions[0].on:
        first = decisions[0]
        raise RuleBroken(
            "action-due",
            f"the action's due date {due} is before the child's first decision ({first.kind} on {first.on})",
            "check the due date",
        )
    return due
