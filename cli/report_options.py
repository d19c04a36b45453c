"""Options, progress and rounding shared by the report commands (scorecard, cohort, ...)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import click

from cli.context import default_la
from cli.params import LA_CODE
from journeys import JourneysApp, Progress
from projections import projection_status

las_option = click.option(
    "--la",
    "las",
    type=LA_CODE,
    metavar="CODE",
    multiple=True,
    help="Local authority code; repeat for a side-by-side comparison (default: JOURNEYS_LA, else every LA).",
)
PROGRESS_FROM = 1000
csv_option = click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")


def chosen_las(las: tuple[str, ...]) -> list[str]:
    if las:
        return list(dict.fromkeys(las))
    default = default_la(None)
    return [default] if default else []


def rounded(value: float | None, places: int = 0) -> float | int | None:
    """Half-up rounding for display (never for JSON)."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    result = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return int(result) if places == 0 else float(result)


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[Callable[[int], Any] | None]:
    """A callback told each step's units, drawing a bar on stderr for a long run on a
    terminal (else None)."""
    if not sys.stderr.isatty() or length < PROGRESS_FROM:
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        update: Callable[[int], Any] = bar.update
        yield update


@contextmanager
def events_bar(length: int, label: str) -> Iterator[Progress | None]:
    """A ``progress(done, total)`` callback drawing a bar of ``length`` on stderr for a long
    run on a terminal (else None)."""
    with progress_bar(length, label) as update:
        if update is None:
            yield None
            return
        step = update
        seen = 0

        def progress(done: int, total: int) -> None:
            nonlocal seen
            step(done - seen)
            seen = done

        yield progress


@contextmanager
def catch_up_progress(app: JourneysApp, label: str = "catching up") -> Iterator[Progress | None]:
    """A progress bar for the catch-up a report does first (only on a terminal)."""
    if not sys.stderr.isatty():
        yield None
        return
    with events_bar(projection_status(app).behind, label) as progress:
        yield progress


def json_of(by_la: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One LA (or all together): the report itself; several: ``{"by_la": {code: report}}``."""
    if len(by_la) == 1:
        return next(iter(by_la.values()))
    return {"by_la": by_la}
