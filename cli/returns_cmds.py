"""Statutory returns: the ASGLB quarterly adoption return (`journeys asglb`).

The command calls :func:`projections.asglb_return` (which catches the read model up, or
replays as known at --known-at) and formats what it returns. Definitions: docs/returns.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

import projections
from cli.context import friendly, settings
from cli.output import echo_csv, echo_json, echo_table
from cli.params import json_option, known_at_option
from cli.report_options import catch_up_progress, chosen_las, csv_option, las_option

# The return's lines: (label, section, key); a section None is a top-level key.
LINES: list[tuple[str, str | None, str]] = [
    ("ADM decisions", "in_quarter", "adoption_decisions"),
    ("placement orders", "in_quarter", "placement_orders"),
    ("placement consents", "in_quarter", "consents"),
    ("matches", "in_quarter", "matches"),
    ("placements", "in_quarter", "placements"),
    ("adoption orders", "in_quarter", "adoption_orders"),
    ("decisions reversed", "in_quarter", "decisions_reversed"),
    ("waiting at quarter end", "waiting_at_quarter_end", "waiting"),
    ("  over 90 days since ADM, not matched", "waiting_at_quarter_end", "over_90_days_since_adm_not_matched"),
    ("  18+ months since entering care", "waiting_at_quarter_end", "over_18_months_in_care"),
    ("  12+ months since the PO", "waiting_at_quarter_end", "over_12_months_since_po"),
    ("  18+ months since the PO", "waiting_at_quarter_end", "over_18_months_since_po"),
    ("fostering for adoption", None, "fostering_for_adoption"),
    ("concurrent planning", None, "concurrent_planning"),
]


def _value(report: dict[str, Any], section: str | None, key: str) -> Any:
    return report[key] if section is None else report[section][key]


@click.command()
@click.option(
    "--quarter",
    required=True,
    metavar="YYYY-Qn",
    help="Quarter of the financial year starting April YYYY: 2016-Q1 is April-June 2016, "
    "2016-Q4 January-March 2017 (2016-17-Q1 also accepted).",
)
@las_option
@known_at_option
@json_option
@csv_option
@friendly
def asglb(quarter: str, las: tuple[str, ...], known_at: datetime | None, as_json: bool, as_csv: str | None) -> None:
    """The ASGLB quarterly adoption return: decisions in the quarter and the children waiting
    at its end, per local authority. Data the engine does not hold (fostering for adoption,
    concurrent planning) is printed as "not recorded", never as 0 (docs/returns.md).

    \b
    Example:
      journeys asglb --quarter 2016-Q1 --la 825
      journeys asglb --quarter 2016-17-Q4 --la 825 --la 928 --csv
      journeys asglb --quarter 2016-Q1 --la 825 --known-at 2016-07-31T00:00:00Z --json
    """
    app = settings().app()
    with catch_up_progress(app) as progress:
        by_la = projections.asglb_return(
            app, quarter=quarter, known_at=known_at, las=chosen_las(las), progress=progress
        )
    if as_json:
        echo_json(by_la)
        return
    if as_csv:
        headers = ["la", *(key for _, _, key in LINES)]
        echo_csv(headers, [[la, *(_value(r, s, k) for _, s, k in LINES)] for la, r in by_la.items()])
        return
    first = next(iter(by_la.values()))
    click.echo(f"ASGLB {first['quarter']} ({first['from']} to {first['to']})")
    echo_table(["measure", *by_la], [[label, *(_value(r, s, k) for r in by_la.values())] for label, s, k in LINES])


COMMANDS = [asglb]
