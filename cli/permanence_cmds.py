"""`journeys permanence`: time to permanence by route, adoption beside the other routes."""

from __future__ import annotations

from datetime import datetime

import click

import projections
from cli.context import default_la, friendly, settings, with_la
from cli.output import csv_option, echo_csv, echo_json, echo_table, known_phrase
from cli.params import json_option, known_at_option
from cli.report_options import echo_las_visible, with_las_visible

ROUTE_COLUMNS = [
    "route",
    "children",
    "with_start_of_care",
    "median_days",
    "mean_days",
    "breakdowns",
    "returned_to_care",
]


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


@click.command()
@click.option(
    "--period", metavar="YYYY-YY", required=True, help="Financial years, e.g. 2015-18 (1 Apr 2015-31 Mar 2018)."
)
@with_la
@known_at_option
@json_option
@csv_option("Print one row per route as CSV.")
@friendly
def permanence(period: str, la: str | None, known_at: datetime | None, as_json: bool, as_csv: str | None) -> None:
    """Time to permanence by route: adoption, special guardianship, child arrangements order,
    long-term fostering and return home, side by side.

    For the periods of care that reached permanence by a route in the period: how many, the
    median and mean days from entering care to the order (the adoption order, the special
    guardianship or child arrangements order, the long-term fostering match, the return home),
    the long-term fostering matches that broke down, and the children who came back into care
    after leaving by the route. Without --la (or JOURNEYS_LA) every local authority is counted.

    \b
    Example:
      journeys permanence --period 2015-18 --la 825
      journeys permanence --period 2015-18 --la 825 --known-at 2018-06-30 --csv
    """
    code = default_la(la)
    report = projections.permanence_report(settings().app(), period=period, la=code, known_at=known_at)
    data = with_las_visible(report.as_json())
    routes = data["routes"].values()
    if as_json:
        echo_json(data)
        return
    if as_csv:
        echo_csv(ROUTE_COLUMNS, [[r[c] for c in ROUTE_COLUMNS] for r in routes], exact_floats=True)
        return
    echo_las_visible()
    where = f"local authority {code}" if code else "all local authorities"
    click.echo(f"Time to permanence by route, {report.start} to {report.end} ({where}, {known_phrase(known_at)})")
    echo_table(
        ["route", "children", "median days", "mean days", "breakdowns", "returned to care"],
        [
            (
                r["route"],
                r["children"],
                _days(r["median_days"]),
                _days(r["mean_days"]),
                r["breakdowns"],
                r["returned_to_care"],
            )
            for r in routes
        ],
    )
    click.echo("days: from entering care to the order, match or return home (periods with a recorded start of care)")


COMMANDS = [permanence]
