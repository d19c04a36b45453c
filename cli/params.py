"""Click parameter types for dates and recording times."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from pathlib import Path
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


DATE = DateType()
KNOWN_AT = KnownAtType()
CHILD_REFERENCE = TextType("the child reference")
LA_CODE = TextType("the local authority code")
REASON = TextType("the reason")
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
