"""`journeys explain FIGURE-ID`: one figure of a report, with the children that count in it."""

from __future__ import annotations

import click

import projections
from cli.context import friendly, note_looked, settings
from cli.explain_output import echo_figures, echo_figures_csv
from cli.output import csv_option, echo_json
from cli.params import json_option, purpose_option


@click.command()
@click.argument("figure_id", metavar="FIGURE-ID")
@purpose_option
@json_option
@csv_option("Print one CSV row per child.")
@friendly
def explain(figure_id: str, purpose: str | None, as_json: bool, as_csv: str | None) -> None:
    """The children that count in one figure of a report, and for each child what it adds to
    the figure and the events (numbers and hashes) that gave its dates.

    FIGURE-ID is an id a report prints with each figure under --explain: the report, the
    local authority, the figure and the report's options (docs/explain.md). The report is
    run again on the store as it is now, so the same id gives the same figure while the
    store is unchanged (or, with known=... in the id, whatever is recorded later). Each child
    listed is kept in the access log (who, when, why: --purpose), see `journeys access-log`.

    \b
    Example:
      journeys scorecard --period 2012-15 --la 825 --explain
      journeys explain scorecard:825:A2.mean_days@from=2012-04-01,to=2015-03-31,a3=16
      journeys explain cohort:825:2015-16.matched@census=2016-09-30 --json
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    try:
        found = projections.explain_figure(settings().app(), figure_id)
    except projections.MalformedFigureId as error:
        raise click.BadParameter(error.full_message(), param_hint="FIGURE-ID") from None
    note_looked([(str(c["la"]), str(c["child"])) for c in found.figure["children"]], "explain", purpose)
    if as_json:
        echo_json(found.figure)
        return
    if as_csv:
        echo_figures_csv([found.figure])
        return
    where = "every local authority" if found.la == "all" else f"local authority {found.la}"
    click.echo(f"{found.report}, {where}")
    echo_figures([found.figure])


COMMANDS = [explain]
