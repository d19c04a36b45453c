"""Click parameter types for dates and recording times."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import click


class DateType(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """A calendar date: YYYY-MM-DD (or dd/mm/yyyy as in SSDA903 files)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            if "/" in text:
                return datetime.strptime(text, "%d/%m/%Y").date()
            return date.fromisoformat(text)
        except ValueError:
            self.fail(f"{text!r} is not a real calendar date (use YYYY-MM-DD)", param, ctx)


class KnownAtType(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """A recording time: an ISO datetime (UTC unless it says otherwise), or a date meaning
    the end of that day in UTC."""

    name = "time"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            if len(text) == 10:
                return datetime.combine(date.fromisoformat(text), time.max, tzinfo=UTC)
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail(f"{text!r} is not a date or time (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)", param, ctx)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


DATE = DateType()
KNOWN_AT = KnownAtType()

as_at_option = click.option(
    "--as-at",
    "as_at",
    type=DATE,
    default=None,
    metavar="DATE",
    help="Count only decisions that took effect on or before DATE (default: today).",
)
known_at_option = click.option(
    "--known-at",
    "known_at",
    type=KNOWN_AT,
    default=None,
    metavar="TIME",
    help="Count only events recorded at or before TIME (a date means the end of that day, UTC; default: now).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
