"""Options, the catch-up's progress and rounding shared by the report commands (scorecard, cohort, ...)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import click

import projections
from cli.context import default_la, settings
from cli.output import csv_option as output_csv_option
from cli.params import LA_CODE
from cli.progress import events_bar
from journeys import Progress

if TYPE_CHECKING:
    from journeys import JourneysApp

F = TypeVar("F", bound=Callable[..., Any])

las_option = click.option(
    "--la",
    "las",
    type=LA_CODE,
    metavar="CODE",
    multiple=True,
    help="Local authority code; repeat for a side-by-side comparison (default: JOURNEYS_LA, else every LA).",
)
csv_option = output_csv_option()


def chosen_las(las: tuple[str, ...]) -> list[str]:
    if las:
        return list(dict.fromkeys(las))
    default = default_la(None)
    return [default] if default else []


def rounded(value: float | str | None, places: int = 0) -> float | int | str | None:
    """Half-up rounding for display (never for JSON); a suppressed figure (``"c"``) as it is."""
    if value is None or isinstance(value, str):
        return value
    quantum = Decimal(1).scaleb(-places)
    result = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return int(result) if places == 0 else float(result)


suppress_option = click.option(
    "--suppress",
    is_flag=True,
    help='Publishable: counts from 1 to 9 shown as "c", with as many others as it takes that none can be '
    "worked out from the totals (which are added); see docs/extracts.md.",
)
round_option = click.option(
    "--round",
    "round_base",
    type=click.IntRange(min=2),
    default=None,
    metavar="N",
    help="Round every count (and the totals, which are added) to the nearest N, e.g. 5.",
)


def published(
    by_la: dict[str, dict[str, Any]],
    publish: Callable[[dict[str, dict[str, Any]], int | None, int | None], dict[str, dict[str, Any]]],
    suppress: bool,
    round_base: int | None,
    *,
    explain: bool = False,
    outcomes: bool = False,
) -> dict[str, dict[str, Any]]:
    """``by_la`` as ``publish`` publishes it under --suppress and --round (as it is without them)."""
    if not suppress and round_base is None:
        return by_la
    if explain or outcomes:
        raise click.UsageError(
            f"--{'explain' if explain else 'outcomes'} cannot be combined with --suppress or --round"
        )
    return publish(by_la, projections.SUPPRESSION_THRESHOLD if suppress else None, round_base)


def publish_options(command: F) -> F:
    """``--suppress`` and ``--round N`` of a cross-LA report."""
    return suppress_option(round_option(command))


@contextmanager
def catch_up_progress(app: JourneysApp, label: str = "catching up") -> Iterator[Progress | None]:
    """A progress bar for the catch-up a report does first (only on a terminal)."""
    if not sys.stderr.isatty():
        yield None
        return
    with events_bar(label, projections.projection_status(app).behind) as progress:
        yield progress


def json_of(by_la: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A report's JSON, one shape for one LA or many: ``{"las": [code, ...], "by_la": {code:
    report}}``, the codes in the order asked (``"all"`` when no LA was named); and, for a
    database role that sees only some local authorities, ``"las_visible"`` (see
    :func:`with_las_visible`)."""
    return with_las_visible({"las": list(by_la), "by_la": by_la})


def with_las_visible(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with ``"las_visible": [code, ...]`` when the store shows this user only those
    local authorities (a role granted them on a shared PostgreSQL store): what the report
    counts, ``"all"`` included. Left out when every one is visible."""
    visible = settings().visible_las()
    return data if visible is None else {**data, "las_visible": visible}


def echo_las_visible(as_json: bool = False, as_csv: str | None = None) -> None:
    """A table's header line, for a user who sees only some local authorities: which."""
    visible = settings().visible_las()
    if visible is not None and not as_json and not as_csv:
        shown = ", ".join(visible) or "none"
        click.echo(f"Local authorities visible to this database role: {shown} (the figures count only their children)")
