"""How a report prints its figures' children under --explain: a table per figure, or one CSV
row per child per figure. The figures come as :mod:`projections.explanation` writes them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click

import projections
from cli.output import cell, echo_csv, echo_json, echo_table
from cli.report_options import json_of

explain_option = click.option(
    "--explain",
    is_flag=True,
    help="List, for each figure, its id and the children that count in it, with the events that gave their "
    'dates (with --json: under "explain"; with --csv: one row per child per figure).',
)

CSV_HEADERS = [
    "figure_id",
    "figure",
    "aggregate",
    "figure_value",
    "la",
    "child",
    "period",
    "value",
    "observed",
    "dates",
    "seqs",
    "hashes",
]
SHORT_HASH = 12  # characters of a hash a table shows (JSON and CSV give it whole)


def _event_text(event: dict[str, Any]) -> str:
    where = f"{event['as']} {cell(event['on'])}"
    if event["seq"] is None:
        return f"{where} (no event found)"
    return f"{where} #{event['seq']} {str(event['hash'])[:SHORT_HASH]}"


DAYS = frozenset({"mean", "median", "max", "km-median"})  # figures whose rows' values are days


def figure_heading(figure: dict[str, Any]) -> list[str]:
    """What a figure's table is headed with: its label, value and aggregate, and its id."""
    aggregate = figure["aggregate"]
    how = projections.AGGREGATES.get(aggregate, aggregate)
    count = len(figure["children"])
    rows = f"{count} row{'' if count == 1 else 's'}"
    return [f"{figure['label']} = {cell(figure['value'])}  ({how}, {rows})", f"  id {figure['id']}"]


def figure_table(figure: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One figure's children as a table: one row per child (per period of care)."""
    children = figure["children"]
    km = figure["aggregate"] == "km-median"
    by_period = any(c["period"] is not None for c in children)  # not for plan changes, tracking, surgery
    value = "days" if figure["aggregate"] in DAYS else "value"
    headers = [
        "la",
        "child",
        *(["period"] if by_period else []),
        value,
        *(["observed"] if km else []),
        "events (as, date, #seq, hash)",
    ]
    rows = [
        [
            c["la"],
            c["child"],
            *([c["period"]] if by_period else []),
            c["value"],
            *([c.get("observed")] if km else []),
            "; ".join(_event_text(e) for e in c["events"]) or "-",
        ]
        for c in children
    ]
    return headers, rows


def echo_figures(figures: Iterable[dict[str, Any]]) -> None:
    """Each figure's heading and table, one after another."""
    for figure in figures:
        click.echo("")
        for line in figure_heading(figure):
            click.echo(line)
        if figure["children"]:
            echo_table(*figure_table(figure))
        else:
            click.echo("  no child counts in it")


def csv_rows(figures: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """One row per child per figure (a figure no child counts in has none)."""
    rows = []
    for f in figures:
        for c in f["children"]:
            events = c["events"]
            rows.append(
                [
                    f["id"],
                    f["label"],
                    f["aggregate"],
                    f["value"],
                    c["la"],
                    c["child"],
                    c["period"],
                    c["value"],
                    c.get("observed"),
                    "; ".join(f"{e['as']} {cell(e['on'])}" for e in events),
                    "; ".join("" if e["seq"] is None else str(e["seq"]) for e in events),
                    "; ".join(e["hash"] or "" for e in events),
                ]
            )
    return rows


def echo_figures_csv(figures: Iterable[dict[str, Any]]) -> None:
    echo_csv(CSV_HEADERS, csv_rows(figures), exact_floats=True)


def explained_figures(by_la: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The figures of every local authority's report, in the order asked."""
    return [figure for report in by_la.values() for figure in report.get("explain", {}).values()]


def echo_whole_report(by_la: dict[str, dict[str, Any]], as_json: bool, as_csv: str | None, explain: bool) -> bool:
    """A report printed whole when asked: its JSON, or (explained) its figures' CSV; True when done."""
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if as_json:
        echo_json(json_of(by_la))
        return True
    if explain and as_csv:
        echo_figures_csv(explained_figures(by_la))
        return True
    return False


def echo_explained(by_la: dict[str, dict[str, Any]], explain: bool) -> None:
    """After the report's table, each figure's children (under --explain)."""
    if explain:
        echo_figures(explained_figures(by_la))
