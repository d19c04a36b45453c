"""Delay reports: scorecard, PO cohorts, children waiting, counts and stages.

Each command calls one function of :mod:`projections.reports` (which catches the read model
up, or replays as known at --known-at) and formats what it returns.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

import projections
from cli import outcome_output
from cli.context import friendly, settings
from cli.explain_output import echo_explained, echo_whole_report, explain_option
from cli.output import ascii_label, echo_table
from cli.output import echo_csv as _echo_csv
from cli.params import DATE, json_option, known_at_option
from cli.report_options import (
    catch_up_progress,
    chosen_las,
    csv_option,
    echo_las_visible,
    las_option,
    publish_options,
    published,
    rounded,
)
from journeys import today

period_option = click.option(
    "--period", metavar="YYYY-YY", help="Financial years, e.g. 2012-15 (1 Apr 2012-31 Mar 2015)."
)
from_option = click.option("--from", "start", type=DATE, metavar="DATE", help="Window start (inclusive).")
to_option = click.option("--to", "end", type=DATE, metavar="DATE", help="Window end (inclusive).")


def echo_csv(headers: list[str], rows: list[list[Any]]) -> None:
    """CSV keeps full precision: floats are written as they are, not rounded for display."""
    _echo_csv(headers, rows, exact_floats=True)


def _side_by_side(by_la: dict[str, dict[str, Any]], lines: list[tuple[str, Any]], as_csv: str | None) -> None:
    """Rows of (measure, getter) with one column per local authority."""
    headers = ["measure", *by_la]
    rows = [[ascii_label(label) if as_csv else label, *(get(r) for r in by_la.values())] for label, get in lines]
    (echo_csv if as_csv else echo_table)(headers, rows)


@click.command()
@period_option
@from_option
@to_option
@click.option(
    "--a3-months", type=click.IntRange(1, 60), default=None, help="A3 month count (default: by period, else 14)."
)
@click.option(
    "--thresholds",
    "thresholds_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A thresholds TOML file instead of the shipped one.",
)
@las_option
@known_at_option
@json_option
@csv_option
@explain_option
@publish_options
@friendly
def scorecard(
    period: str | None,
    start: date | None,
    end: date | None,
    a3_months: int | None,
    thresholds_file: Path | None,
    las: tuple[str, ...],
    known_at: datetime | None,
    as_json: bool,
    as_csv: str | None,
    explain: bool,
    suppress: bool,
    round_base: int | None,
) -> None:
    """The adoption scorecard (A1, A2, A3, A10) for children adopted in a window.

    A1: mean days entered care → placed for adoption; A2: mean days court placement order →
    match (0 when matched first); A3: children placed within N months of entering care;
    A10: as A1, ending when the child moved in with the foster carers who adopted it.

    \b
    Example:
      journeys scorecard --period 2012-15 --la 825 --la 928
      journeys scorecard --from 2015-04-01 --to 2015-09-30 --a3-months 16 --json
      journeys scorecard --period 2012-15 --la 825 --explain
      journeys scorecard --period 2012-15 --la 825 --la 928 --suppress --round 5
    """
    app = settings().app()
    with catch_up_progress(app) as progress:
        by_la = projections.scorecard(
            app,
            period=period,
            start=start,
            end=end,
            a3_months=a3_months,
            thresholds_file=thresholds_file,
            known_at=known_at,
            las=chosen_las(las),
            progress=progress,
            explain=explain,
        )
    by_la = published(by_la, projections.published_scorecard, suppress, round_base, explain=explain)
    if echo_whole_report(by_la, as_json, as_csv, explain):
        return
    echo_las_visible(as_json, as_csv)
    first = next(iter(by_la.values()))
    if not as_csv:
        click.echo(f"Children adopted {first['from']} to {first['to']}")
    _side_by_side(
        by_la,
        [
            ("adopted", lambda r: r["adopted"]),
            ("A1 mean days care → placed", lambda r: rounded(r["A1"]["mean_days"])),
            ("A1 threshold", lambda r: r["A1"]["threshold"]),
            ("A1 distance", lambda r: rounded(r["A1"]["distance"])),
            ("A2 children with a court PO", lambda r: r["A2"]["children"]),
            ("A2 mean days PO → match", lambda r: rounded(r["A2"]["mean_days"])),
            ("A2 threshold", lambda r: r["A2"]["threshold"]),
            ("A2 distance", lambda r: rounded(r["A2"]["distance"])),
            (f"A3 placed within {first['A3']['months']} months", lambda r: r["A3"]["count"]),
            ("A3 percent", lambda r: rounded(r["A3"]["percent"])),
            ("A10 mean days", lambda r: rounded(r["A10"]["mean_days"])),
        ],
        as_csv,
    )
    if not as_csv:
        click.echo(f"Thresholds: {first['thresholds_source']}")
        for la, card in by_la.items():
            bounded = card["A1"].get("start_not_known", 0)
            if bounded and isinstance(bounded, int) and la != "total":
                whose = f" of {la}" if la else ""
                click.echo(
                    f"Note: start of care not yet known for {bounded} of the {card['A1']['children']} children{whose} "
                    "that A1, A3 and A10 count (on or before the date used; their days are at least those "
                    "counted): import the earlier 903 returns"
                )
    echo_explained(by_la, explain)


COHORT_HEADERS = [
    "la",
    "year",
    "POs",
    "matched",
    "mean days PO→match",
    "waiting",
    "exited",
    "KM median",
    "mean incl. waiting",
    "disrupted",
    "harder to place",
]

# CSV is for machines: its header names the JSON keys (one row per cohort, with the LA first).
COHORT_KEYS = [
    "la",
    "year",
    "placement_orders",
    "matched",
    "mean_days_po_to_match",
    "waiting",
    "exited",
    "km_median_days",
    "mean_days_with_waiting",
    "disrupted",
    "harder_to_place",
]


@click.command()
@click.option("--by", type=click.Choice(["po-year"]), default="po-year", show_default=True, help="How to form cohorts.")
@click.option("--census", type=DATE, required=True, metavar="DATE", help="Date of observation (e.g. 2016-09-30).")
@from_option
@to_option
@las_option
@known_at_option
@json_option
@csv_option
@explain_option
@publish_options
@click.option(
    "--outcomes",
    is_flag=True,
    help="Also each way the waits ended (matched, plan changed, left care): Aalen–Johansen cumulative "
    'incidence at 3, 6, 12 and 18 months with 95% intervals (JSON: "outcomes" in each cohort row).',
)
@friendly
def cohort(
    by: str,
    census: date,
    start: date | None,
    end: date | None,
    las: tuple[str, ...],
    known_at: datetime | None,
    as_json: bool,
    as_csv: str | None,
    explain: bool,
    suppress: bool,
    round_base: int | None,
    outcomes: bool,
) -> None:
    """Prospective placement-order cohorts: POs per financial year (or in a window), how many
    were matched by the census and how fast, and how many are still waiting.

    Waiting children are not left out: "mean incl. waiting" counts their days so far (a
    lower bound) and the Kaplan–Meier median treats them as censored. With --outcomes, each
    way a wait can end is counted as a competing risk (docs/read-models.md).

    \b
    Example:
      journeys cohort --by po-year --census 2016-09-30 --la 825 --la 928
      journeys cohort --census 2016-09-30 --from 2015-10-01 --to 2016-03-31 --json
      journeys cohort --census 2016-09-30 --la 825 --outcomes
      journeys cohort --census 2016-09-30 --la 825 --la 928 --suppress --round 5 --csv
    """
    app = settings().app()
    with catch_up_progress(app) as progress:
        by_la = projections.cohort(
            app,
            census=census,
            start=start,
            end=end,
            known_at=known_at,
            las=chosen_las(las),
            progress=progress,
            explain=explain,
            outcomes=outcomes,
        )
    by_la = published(by_la, projections.published_cohort, suppress, round_base, explain=explain, outcomes=outcomes)
    if echo_whole_report(by_la, as_json, as_csv, explain):
        return
    echo_las_visible(as_json, as_csv)
    means = {"mean_days_po_to_match", "mean_days_with_waiting"}  # rounded for display, full precision in CSV
    rows = [
        [la, *(rounded(r[k], 2) if k in means and not as_csv else r[k] for k in COHORT_KEYS[1:])]
        + (outcome_output.csv_values(r) if outcomes and as_csv else [])
        for la, report in by_la.items()
        for r in report["rows"]
    ]
    if as_csv:
        echo_csv(COHORT_KEYS + (outcome_output.csv_keys() if outcomes else []), rows)
        return
    click.echo(f"Placement-order cohorts observed at {census}")
    echo_table(COHORT_HEADERS, rows)
    if outcomes:
        outcome_output.echo_outcomes(by_la)
    echo_explained(by_la, explain)


WAITING_KEYS = [
    "la",
    "child",
    "entered_care",
    "adoption_decision",
    "placement_order",
    "matched",
    "days_since_adm",
    "days_since_po",
    "days_in_care",
    "over_90_days",
    "over_18_months_in_care",
]


@click.command()
@click.option("--as-at", "as_at", type=DATE, default=None, metavar="DATE", help="Snapshot date (default: today).")
@las_option
@known_at_option
@json_option
@csv_option
@explain_option
@friendly
def waiting(
    as_at: date | None,
    las: tuple[str, ...],
    known_at: datetime | None,
    as_json: bool,
    as_csv: str | None,
    explain: bool,
) -> None:
    """Children waiting at a date: an adoption decision or placement order, not yet placed,
    adoption still the plan; flags over 90 days waiting and 18+ months in care.

    \b
    Example:
      journeys waiting --as-at 2016-03-31 --la 825
      journeys waiting --as-at 2016-03-31 --csv
    """
    app = settings().app()
    day = as_at or today()
    with catch_up_progress(app) as progress:
        by_la = projections.waiting(
            app, as_at=day, known_at=known_at, las=chosen_las(las), progress=progress, explain=explain
        )
    if echo_whole_report(by_la, as_json, as_csv, explain):
        return
    echo_las_visible(as_json, as_csv)
    headers = [
        "la",
        "child",
        "entered care",
        "ADM",
        "PO",
        "matched",
        "days since ADM",
        "days since PO",
        "days in care",
        "over 90 days",
        "18+ months in care",
    ]
    rows = [[c[key] for key in WAITING_KEYS] for report in by_la.values() for c in report["children"]]
    if as_csv:
        echo_csv(WAITING_KEYS, rows)
        return
    for la, report in by_la.items():
        click.echo(
            f"{la}: {report['waiting']} waiting at {day}; {report['over_90_days']} over 90 days; "
            f"{report['over_18_months_in_care']} 18+ months in care"
        )
    echo_table(headers, rows)
    echo_explained(by_la, explain)


COUNT_HEADERS = [
    "adoption_decisions",
    "placement_orders",
    "consents",
    "matches",
    "placements",
    "adoption_orders",
    "reversals",
]


@click.command()
@click.option(
    "--by",
    type=click.Choice(["quarter", "year"]),
    default="quarter",
    show_default=True,
    help="Financial quarters (2015-16 Q1 = Apr-Jun 2015) or years.",
)
@las_option
@known_at_option
@json_option
@csv_option
@explain_option
@publish_options
@friendly
def counts(
    by: str,
    las: tuple[str, ...],
    known_at: datetime | None,
    as_json: bool,
    as_csv: str | None,
    explain: bool,
    suppress: bool,
    round_base: int | None,
) -> None:
    """Decisions per financial quarter or year: adoption decisions, court placement orders
    (consents apart), matches, placements, adoption orders and decisions reversed.

    \b
    Example:
      journeys counts --by year --la 825 --la 928
      journeys counts --by quarter --json
      journeys counts --by year --la 825 --la 928 --suppress --round 5
    """
    app = settings().app()
    with catch_up_progress(app) as progress:
        by_la = projections.counts(
            app, by=by, known_at=known_at, las=chosen_las(las), progress=progress, explain=explain
        )
    by_la = published(by_la, projections.published_counts, suppress, round_base, explain=explain)
    if echo_whole_report(by_la, as_json, as_csv, explain):
        return
    echo_las_visible(as_json, as_csv)
    headers = ["la", "period", *COUNT_HEADERS]
    rows = [[la, r["period"], *(r[k] for k in COUNT_HEADERS)] for la, report in by_la.items() for r in report["rows"]]
    (echo_csv if as_csv else echo_table)([h.replace("_", " ") for h in headers] if not as_csv else headers, rows)
    if not as_csv:
        echo_explained(by_la, explain)


@click.command()
@period_option
@from_option
@to_option
@las_option
@known_at_option
@json_option
@csv_option
@explain_option
@publish_options
@friendly
def stages(
    period: str | None,
    start: date | None,
    end: date | None,
    las: tuple[str, ...],
    known_at: datetime | None,
    as_json: bool,
    as_csv: str | None,
    explain: bool,
    suppress: bool,
    round_base: int | None,
) -> None:
    """Mean and median days in each stage (care → ADM → PO → match → placed → AO), with the
    slowest stage named. With a window, the cohort is the children adopted in it.

    A stage slow across many children is systemic; one slow child is isolated: compare the
    median with the mean and the maximum.

    \b
    Example:
      journeys stages --period 2012-15 --la 825 --la 928
      journeys stages --json
      journeys stages --period 2012-15 --la 825 --la 928 --suppress
    """
    app = settings().app()
    with catch_up_progress(app) as progress:
        by_la = projections.stages(
            app,
            period=period,
            start=start,
            end=end,
            known_at=known_at,
            las=chosen_las(las),
            progress=progress,
            explain=explain,
        )
    by_la = published(by_la, projections.published_stages, suppress, round_base, explain=explain)
    if echo_whole_report(by_la, as_json, as_csv, explain):
        return
    echo_las_visible(as_json, as_csv)
    headers = ["la", "stage", "children", "mean days", "median days", "max days"]
    rows = [
        [
            la,
            s["label"] if not as_csv else s["stage"],
            s["children"],
            s["mean_days"] if as_csv else rounded(s["mean_days"], 1),
            s["median_days"],
            s["max_days"],
        ]
        for la, report in by_la.items()
        for s in report["stages"]
    ]
    if as_csv:
        echo_csv(["la", "stage", "children", "mean_days", "median_days", "max_days"], rows)
        return
    echo_table(headers, rows)
    for la, report in by_la.items():
        if la == "total":  # a published report's total (--suppress, --round) has no slowest stage
            continue
        label = next((s["label"] for s in report["stages"] if s["stage"] == report["slowest"]), None)
        if label is None:
            click.echo(f"{la}: no period of care in the cohort, so no slowest stage")
        else:
            click.echo(f"{la}: slowest stage {label} ({report['cohort']} periods of care)")
    echo_explained(by_la, explain)


COMMANDS = [scorecard, cohort, waiting, counts, stages]
