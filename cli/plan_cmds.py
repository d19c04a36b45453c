"""Reports on plan changes: why adoption plans stop, and the early family-finding tracking cohort."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import click

import projections
from cli.context import default_la, friendly, settings, with_la
from cli.explain_output import echo_figures, echo_figures_csv, explain_option
from cli.output import csv_option as output_csv_option
from cli.output import echo_csv, echo_json, echo_table, known_phrase
from cli.params import DATE, json_option, known_at_option
from cli.report_options import catch_up_progress, echo_las_visible, with_las_visible
from journeys import OUTCOMES, RD_REASONS

csv_option = output_csv_option("Print the list as CSV.")


def _scope(la: str | None, known_at: datetime | None) -> str:
    where = f"local authority {la}" if la else "all local authorities"
    return f"{where}, {known_phrase(known_at)}"


def _changes(count: int, adjective: str = "") -> str:
    return f"{count} {adjective}plan change{'' if count == 1 else 's'}"


def _totals(title: str, column: str, totals: dict[str, int], labels: dict[str, str] | None = None) -> None:
    click.echo(f"\n{title}")
    if not totals:
        click.echo("  none")
    elif labels is None:
        echo_table([column, "changes"], list(totals.items()))
    else:
        echo_table([column, "changes", "meaning"], [(k, n, labels.get(k)) for k, n in totals.items()])


CHANGE_COLUMNS = [
    "la",
    "child",
    "date",
    "plan_before",
    "plan_after",
    "stage",
    "reason",
    "decided_by",
    "outcome",
    "plan_since",
    "days_on_plan",
    "adoption_decision",
    "days_since_adoption_decision",
]


@click.command("plan-changes")
@click.option(
    "--from", "start", type=DATE, default=None, metavar="DATE", help="First day of the window (default: open)."
)
@click.option("--to", "end", type=DATE, default=None, metavar="DATE", help="Last day of the window (default: open).")
@with_la
@known_at_option
@click.option("--all", "everything", is_flag=True, help="List every plan change, not only those away from adoption.")
@json_option
@csv_option
@explain_option
@friendly
def plan_changes(
    start: date | None,
    end: date | None,
    la: str | None,
    known_at: datetime | None,
    everything: bool,
    as_json: bool,
    as_csv: str | None,
    explain: bool,
) -> None:
    """Why adoption plans changed: totals by RD reason, decider, stage and outcome, and the list.

    Counts the plan changes away from adoption (the scorecard's A5) that took effect in the
    window; --all lists every plan change. The stage is how far the journey had got when
    the plan changed: before-adm, after-adm, after-po, after-match or after-placement.
    Without --la (or JOURNEYS_LA) every local authority is counted.

    \b
    Example:
      journeys plan-changes --from 2015-04-01 --to 2016-03-31 --la 825
      journeys plan-changes --known-at 2016-10-01 --json
    """
    code = default_la(la)
    app = settings().app()
    with catch_up_progress(app) as progress:
        report = projections.plan_change_report(
            app,
            start=start,
            end=end,
            la=code,
            known_at=known_at,
            everything=everything,
            progress=progress,
            explain=explain,
        )
    data = with_las_visible(report.as_json())
    if as_json:
        echo_json(data)
        return
    if as_csv and explain:
        echo_figures_csv(data["explain"].values())
        return
    if as_csv:
        echo_csv(CHANGE_COLUMNS, [[row[c] for c in CHANGE_COLUMNS] for row in data["changes"]])
        return
    echo_las_visible()
    what = _changes(data["total"]) + ("" if everything else " away from adoption")
    window = f"{start or 'the beginning'} to {end or 'now'}"
    click.echo(f"{what}, {window} ({_scope(code, known_at)})")
    if not everything:
        click.echo(f"({_changes(data['other_plan_changes'], 'other ')} not counted: use --all to list them)")
    _totals("By reason", "reason", data["by_reason"], RD_REASONS)
    _totals("By decider", "decided by", data["by_decider"])
    _totals("By stage reached", "stage", data["by_stage"], projections.STAGE_AT_CHANGE)
    _totals("By outcome", "outcome", data["by_outcome"], OUTCOMES)
    click.echo("")
    echo_table(
        ["date", "la", "child", "from plan", "to plan", "stage", "reason", "decided by", "outcome", "days on plan"],
        [
            (
                r["date"],
                r["la"],
                r["child"],
                r["plan_before"],
                r["plan_after"],
                r["stage"],
                r["reason"],
                r["decided_by"],
                r["outcome"],
                r["days_on_plan"],
            )
            for r in data["changes"]
        ],
    )
    if explain:
        echo_figures(data["explain"].values())


CHILD_COLUMNS = [
    "la",
    "child",
    "tracked_from",
    "class",
    "plan",
    "stage",
    "adoption_decision",
    "placement_order",
    "matched_on",
    "with_po",
    "matched",
    "ceased_on",
    "decided_by",
    "by_court",
    "outcome",
    "reason",
]


def _breakdown(data: dict[str, Any]) -> list[str]:
    other = sum(data["other"].values())
    outcomes = ", ".join(f"{k} {n}" for k, n in data["outcomes"].items()) or "none"
    reasons = ", ".join(f"{k} {n}" for k, n in data["other"].items()) or "none"
    parts = [data["proceeded"], data["under_consideration"], data["ceased"], other]
    total = sum(parts)
    return [
        f"  proceeded            {data['proceeded']:>4}  (with a PO {data['with_po']}, matched {data['matched']})",
        f"  under consideration  {data['under_consideration']:>4}",
        f"  ceased               {data['ceased']:>4}  (by the court {data['ceased_by_court']}; outcomes: {outcomes})",
        f"  other                {other:>4}  ({reasons})",
        f"  {' + '.join(str(n) for n in parts)} = {total}: "
        + (
            f"the classes add up to the {data['tracked']} children tracked (each child is in exactly one)"
            if total == data["tracked"]
            else f"the classes do NOT add up to the {data['tracked']} children tracked"
        ),
    ]


@click.command("tracking-cohort")
@click.option("--from", "start", type=DATE, required=True, metavar="DATE", help="First day of the tracking window.")
@click.option("--to", "end", type=DATE, required=True, metavar="DATE", help="Last day of the tracking window.")
@click.option("--census", type=DATE, required=True, metavar="DATE", help="The date the children are counted at.")
@with_la
@known_at_option
@json_option
@csv_option
@explain_option
@friendly
def tracking_cohort(
    start: date,
    end: date,
    census: date,
    la: str | None,
    known_at: datetime | None,
    as_json: bool,
    as_csv: str | None,
    explain: bool,
) -> None:
    """Children tracked from early family-finding, and where each stood at the census.

    A child is tracked when its family-finding began in the window before any placement
    order (early family-finding; possibly before birth). At the census each is in exactly one class:
    proceeded (adoption still the plan, with an adoption decision or placement order),
    under consideration (no adoption decision yet), ceased (plan changed away from adoption;
    by the court or the agency, and the outcome) or other (permanence abroad, pregnancy
    ended, ...). Decisions after the census do not count.

    \b
    Example:
      journeys tracking-cohort --from 2015-10-01 --to 2016-03-31 --census 2016-09-30 --la 825
      journeys tracking-cohort --from 2015-10-01 --to 2016-03-31 --census 2016-09-30 --json
    """
    code = default_la(la)
    app = settings().app()
    with catch_up_progress(app) as progress:
        report = projections.tracking_cohort_report(
            app, start=start, end=end, census=census, la=code, known_at=known_at, progress=progress, explain=explain
        )
    data = with_las_visible(report.as_json())
    if as_json:
        echo_json(data)
        return
    if as_csv and explain:
        echo_figures_csv(data["explain"].values())
        return
    if as_csv:
        echo_csv(CHILD_COLUMNS, [[row[c] for c in CHILD_COLUMNS] for row in data["children"]])
        return
    echo_las_visible()
    click.echo(
        f"{data['tracked']} children tracked from family-finding {start} to {end}, "
        f"at the census on {census} ({_scope(code, known_at)}):"
    )
    for line in _breakdown(data):
        click.echo(line)
    if data["children"]:
        click.echo("")
        echo_table(
            [
                "la",
                "child",
                "tracked from",
                "class",
                "plan",
                "stage",
                "PO",
                "matched",
                "decided by",
                "outcome / reason",
            ],
            [
                (
                    r["la"],
                    r["child"],
                    r["tracked_from"],
                    r["class"].replace("_", " "),
                    r["plan"],
                    r["stage"],
                    r["placement_order"],
                    r["matched_on"],
                    r["decided_by"],
                    r["outcome"] or r["reason"],
                )
                for r in data["children"]
            ],
        )
    if explain:
        echo_figures(data["explain"].values())


COMMANDS = [plan_changes, tracking_cohort]
