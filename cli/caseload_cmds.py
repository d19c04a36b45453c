"""The caseload: every child of a local authority, its stage, next milestone and actions."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import journeys
import projections
from cli.context import default_la, friendly, settings
from cli.output import csv_option, echo_csv, echo_json, echo_table, known_phrase
from cli.params import LA_CODE, as_at_option, json_option, known_at_option
from cli.report_options import catch_up_progress
from cli.surgery_cmds import rules_option
from journeys import today

if TYPE_CHECKING:
    from projections import CaseloadRow

CASELOAD_HEADERS = [
    "la",
    "child",
    "stage",
    "days in stage",
    "next milestone",
    "due",
    "milestone status",
    "days overdue",
    "open actions",
    "action status",
    "owners",
]


def _cells(row: CaseloadRow) -> list[Any]:
    nxt = row.next_milestone
    return [
        row.la,
        row.child,
        row.stage,
        row.days_in_stage,
        nxt.rule.id if nxt else None,
        row.due,
        row.status,
        row.days_overdue,
        len(row.actions) or None,
        row.action_status,
        "; ".join(row.owners) or None,
    ]


@click.command("children")
@click.option(
    "--la",
    type=LA_CODE,
    metavar="CODE",
    default=None,
    help="Only this local authority (default: JOURNEYS_LA, else every one).",
)
@click.option("--stage", type=click.Choice(journeys.CHILD_STAGES), default=None, help="Only children at this stage.")
@click.option(
    "--status",
    type=click.Choice(projections.CASELOAD_STATUSES),
    default=None,
    help="Only children whose next milestone has this status (on-track includes open; closed: adopted or left care).",
)
@click.option(
    "--find",
    metavar="TEXT",
    default=None,
    help="Only children whose reference, sibling group or action owner has TEXT.",
)
@click.option(
    "--sort",
    type=click.Choice(projections.CASELOAD_SORT_NAMES),
    default="status",
    show_default=True,
    help="Order: status (most urgent first), child, stage, due, days-in-stage (longest first), actions.",
)
@as_at_option
@known_at_option
@rules_option
@json_option
@csv_option()
@friendly
def children(
    la: str | None,
    stage: str | None,
    status: str | None,
    find: str | None,
    sort: str,
    as_at: date | None,
    known_at: datetime | None,
    rules_file: Path | None,
    as_json: bool,
    as_csv: str | None,
) -> None:
    """The caseload: every child of a local authority with its stage, its next milestone and
    that milestone's status and due date, and its open actions (their status apart).

    Unlike `journeys surgery`, which lists the children with an adoption plan, this lists
    every child, whatever the plan, including those adopted or gone home ("closed").

    \b
    Example:
      journeys children --la 825
      journeys children --la 825 --status overdue --sort due
      journeys children --la 825 --find B01 --as-at 2016-03-31 --known-at 2016-03-31 --json
    """
    day = as_at or today()
    la = default_la(la)
    app = settings().app()
    with catch_up_progress(app) as progress:
        rows = projections.caseload(
            app,
            la=la,
            stage=stage,
            status=status,
            find=find,
            as_at=day,
            known_at=known_at,
            rules=journeys.load_rules(rules_file),
            sort=sort,
            progress=progress,
        )
    if as_json:
        filters = {"stage": stage, "status": status, "find": find, "sort": sort}
        echo_json({"la": la, "as_at": day, "known_at": known_at, **filters, "children": [r.as_json() for r in rows]})
        return
    cells = [_cells(r) for r in rows]
    if as_csv:
        echo_csv([h.replace(" ", "_") for h in CASELOAD_HEADERS], cells)
        return
    click.echo(f"Caseload as at {day}, {known_phrase(known_at)}" + (f", local authority {la}" if la else ""))
    echo_table(CASELOAD_HEADERS, cells)
    by_status = {s: sum(1 for r in rows if r.status == s) for s in projections.CASELOAD_STATUSES}
    shown = ", ".join(f"{n} {s}" for s, n in by_status.items() if n)
    late_actions = sum(1 for r in rows if r.action_status == journeys.OVERDUE)
    click.echo(f"{len(rows)} children" + (f": {shown}" if shown else "") + f"; {late_actions} with an overdue action")


COMMANDS = [children]
