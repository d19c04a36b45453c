"""Click parameter types for dates and recording times."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import click


class DateType(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """A calendar date in the documented forms, YYYY-MM-DD or dd/mm/yyyy: the parser a load
    and every other entry point use (``journeys.parse_date``)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from journeys import JourneyError, parse_date  # when a date is given: the face is heavy to import

        try:
            return parse_date(str(value), "the date")
        except JourneyError as error:
            self.fail(error.full_message(), param, ctx)


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


class TextType(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """Text that must say something: surrounding spaces are dropped and a blank value is refused
    (a child reference, a local authority code, the reason for a correction)."""

    name = "text"

    def __init__(self, what: str) -> None:
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if not text:
            self.fail(f"{self.what} must not be blank", param, ctx)
        return text


class OutputFileType(click.Path):
    """A file the command writes: refused up front when its folder does not exist, so that
    nothing is done (an import, an export) before the output fails."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, writable=True, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(os.fsdecode(super().convert(value, param, ctx)))
        folder = path.parent
        if not folder.is_dir():
            self.fail(f"the folder {str(folder)!r} does not exist (create it first)", param, ctx)
        return path


class ChildReferenceType(TextType):
    """A child reference, normalised and checked as every entry point checks one."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from journeys import JourneyError, child_reference

        text = super().convert(value, param, ctx)
        try:
            return child_reference(text)
        except JourneyError as error:
            self.fail(error.full_message(), param, ctx)


class UserType(TextType):
    """Who records (``--user``, JOURNEYS_USER): printable text of at most ``journeys.MAX_USER``
    characters, checked as the engine checks every event's ``recorded_by``."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from journeys import JourneyError, check_user

        text = super().convert(value, param, ctx)
        try:
            return check_user(text)
        except JourneyError as error:
            self.fail(error.full_message(), param, ctx)


class LaCodeType(TextType):
    """A DfE LA code (any printable code with --allow-unknown-la or JOURNEYS_ALLOW_UNKNOWN_LA)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from journeys import ALLOW_UNKNOWN_LA_ENV, JourneyError, check_la, is_truthy

        text = super().convert(value, param, ctx)
        allow = is_truthy(os.environ.get(ALLOW_UNKNOWN_LA_ENV)) or bool(ctx and ctx.meta.get(ALLOW_UNKNOWN_LA_META))
        try:
            return check_la(text, allow_unknown=allow)
        except JourneyError as error:
            self.fail(error.full_message(), param, ctx)


# Where --allow-unknown-la leaves its word for the --la option and the store (ctx.meta).
ALLOW_UNKNOWN_LA_META = "journeys.allow_unknown_la"

DATE = DateType()
KNOWN_AT = KnownAtType()
CHILD_REFERENCE = ChildReferenceType("the child reference")
LA_CODE = LaCodeType("the local authority code")
REASON = TextType("the reason")
USER = UserType("the user")
OUTPUT_FILE = OutputFileType()

child_argument = click.argument("child", type=CHILD_REFERENCE)

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

purpose_option = click.option(
    "--purpose",
    metavar="TEXT",
    default=None,
    help="Why you are looking at the child (say why without naming anyone), kept in the access log.",
)
