"""What a page is asked for: the two dates every view is defined by, and its filters, read
from the URL and written back into every link, so that a view can be shared and re-opened."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any

from journeys import JourneyError, parse_date, today

# The caseload's filters and sort orders (those of projections.caseload).
STATUSES = ("overdue", "due-soon", "on-track", "open", "closed")
SORTS = ("status", "child", "stage", "due", "days-in-stage", "actions")
PAGE_SIZE = 100  # caseload rows a page, unless the address says otherwise (size=N)
MAX_PAGE_SIZE = 1000


class BadQuery(JourneyError):
    """A page was asked for with a value it cannot read (a date, a status, a sort)."""

    remedy = "correct the address, or pick the value again in the form on the page"


def known_at_of(text: str) -> datetime:
    """A recording time as the CLI reads ``--known-at``: a date is the end of that day (UTC)."""
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time.max, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadQuery(f"known at {text!r} is not a date or time (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _number(name: str, value: str, default: int, most: int) -> int:
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise BadQuery(f"{name} {value!r} is not a whole number from 1 to {most}")
    return int(value)


def _choice(name: str, value: str | None, choices: tuple[str, ...]) -> str | None:
    if not value:
        return None
    if value not in choices:
        raise BadQuery(f"{name} {value!r} is not one of {', '.join(choices)}")
    return value


@dataclass(frozen=True)
class Query:
    """The dates and filters of one page (absent values are the defaults: today, now, all)."""

    as_at: date | None = None
    known_at: datetime | None = None
    known_at_text: str = ""
    la: str | None = None
    stage: str | None = None
    status: str | None = None
    find: str = ""
    sort: str = "status"
    descending: bool = False
    page: int = 1  # the caseload's page (of ``size`` rows)
    size: int = PAGE_SIZE
    allowed: tuple[str, ...] = ()  # a shared deployment's user: the only LAs shown (none: every LA)

    @property
    def day(self) -> date:
        return self.as_at or today()

    @classmethod
    def of(cls, params: Any) -> Query:
        """From a mapping of URL parameters (blank means not given)."""

        def get(name: str) -> str:
            return str(params.get(name) or "").strip()

        as_at = parse_date(get("as_at"), "as at") if get("as_at") else None
        known = get("known_at")
        la = get("la") or None
        if la is not None:
            from journeys import check_la

            la = check_la(la, allow_unknown=True)
        return cls(
            as_at=as_at,
            known_at=known_at_of(known) if known else None,
            known_at_text=known,
            la=la,
            stage=get("stage") or None,
            status=_choice("status", get("status"), STATUSES),
            find=get("find"),
            sort=_choice("sort", get("sort"), SORTS) or "status",
            descending=get("order") == "desc",
            page=_number("page", get("page"), 1, 10**6),
            size=_number("size", get("size"), PAGE_SIZE, MAX_PAGE_SIZE),
        )

    def dates(self) -> dict[str, str]:
        """The URL parameters of the two dates, as given."""
        found = {}
        if self.as_at is not None:
            found["as_at"] = self.as_at.isoformat()
        if self.known_at_text:
            found["known_at"] = self.known_at_text
        return found

    def params(self, **changes: Any) -> dict[str, str]:
        """Every URL parameter of this query, with ``changes`` (None drops one)."""
        found = self.dates()
        for name, value in (("la", self.la), ("stage", self.stage), ("status", self.status), ("find", self.find)):
            if value:
                found[name] = value
        if self.sort != "status":
            found["sort"] = self.sort
        if self.descending:
            found["order"] = "desc"
        if self.page != 1:
            found["page"] = str(self.page)
        if self.size != PAGE_SIZE:
            found["size"] = str(self.size)
        for name, value in changes.items():
            if value is None or value == "":
                found.pop(name, None)
            else:
                found[name] = str(value)
        return found

    def with_dates_only(self) -> Query:
        return replace(
            Query(), as_at=self.as_at, known_at=self.known_at, known_at_text=self.known_at_text, allowed=self.allowed
        )

    def las(self) -> list[str]:
        """The local authorities to show: the one asked for, else the user's (none: every one)."""
        return [self.la] if self.la else list(self.allowed)
