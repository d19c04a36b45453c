"""How long records are kept: the children due for review, and legal holds that stop the clock."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import journeys
from cli.context import friendly, resolve_la, settings, with_la
from cli.output import csv_option, echo_csv, echo_json, echo_table, entry_json
from cli.params import LA_CODE, REASON, as_at_option, child_argument, json_option
from cli.progress import events_bar

if TYPE_CHECKING:
    from journeys import RetentionRow, RetentionRule

RETENTION_KEYS = ["la", "child", "status", "rule", "start", "years", "held_days", "review_from", "hold_in_force"]


def rule_json(rule: RetentionRule) -> dict[str, Any]:
    return {"id": rule.id, "name": rule.name, "from": rule.starts, "years": rule.years, "source": rule.source}


def row_json(row: RetentionRow) -> dict[str, Any]:
    r = row.retention
    return {
        "la": row.la,
        "child": row.child,
        "status": r.status,
        "rule": r.rule.id if r.rule else None,
        "start": r.start,
        "years": r.rule.years if r.rule else None,
        "held_days": r.held_days,
        "review_from": r.review_from,
        "hold_in_force": r.hold_in_force,
    }


@click.command()
@as_at_option
@click.option("--la", "las", type=LA_CODE, multiple=True, metavar="CODE", help="Only this local authority (repeat it).")
@click.option("--all", "every", is_flag=True, help="List every child, those not yet due (kept) too.")
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Retention rules (TOML; default: journeys/rules/retention.toml, see docs/data-protection.md).",
)
@json_option
@csv_option()
@friendly
def retention(
    as_at: date | None, las: tuple[str, ...], every: bool, rules_file: Path | None, as_json: bool, as_csv: str | None
) -> None:
    """Children whose records are due for review on a date, each with the retention rule that applies.

    Each child's date comes from its own events, by the first rule of the table that applies:
    100 years from the adoption order; 15 years from the death of a child who died before 18;
    else the 75th birthday (the table, with each rule's source, is data). A legal hold
    (`journeys legal-hold`) stops the clock. Listed: `due` (the date has come), `held` (a hold
    in force), `no-rule` (no adoption order and no date of birth recorded: review by hand);
    with --all also `kept` (not yet due).

    \b
    Example:
      journeys retention --as-at 2090-01-01
      journeys retention --as-at 2090-01-01 --la 825 --all --csv
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    day = as_at or journeys.today()
    rules = journeys.load_retention_rules(rules_file)
    app = settings().app()
    with events_bar("reading", app.head()) as progress:
        report = journeys.retention_report(app, day, rules, las=las or None, every=every, progress=progress)
    rows = [row_json(r) for r in report.rows]
    if as_json:
        echo_json(
            {
                "as_at": day,
                "las": list(las) or "all",
                "rules": [rule_json(r) for r in rules],
                "counts": report.counts,
                "children": rows,
            }
        )
        return
    if as_csv:
        echo_csv(RETENTION_KEYS, [[r[k] for k in RETENTION_KEYS] for r in rows])
        return
    click.echo(f"Retention as at {day}" + (f", local authority {', '.join(las)}" if las else ""))
    echo_table(
        ["la", "child", "status", "rule", "clock from", "years", "days held", "review from"],
        [
            (r["la"], r["child"], r["status"], r["rule"], r["start"], r["years"], r["held_days"], r["review_from"])
            for r in rows
        ],
    )
    counts = report.counts
    click.echo(
        f"{counts['due']} due, {counts['held']} held, {counts['no-rule']} under no rule, {counts['kept']} kept"
        " (not yet due)"
    )
    for rule in rules:
        click.echo(f"  {rule.id}: {rule.name} — {rule.source}")


@click.command("legal-hold")
@child_argument
@with_la
@click.option("--reason", type=REASON, required=True, help="Why the record is held (or why the hold ends).")
@click.option("--lift", is_flag=True, help="Lift the legal hold in force: the retention clock runs again.")
@json_option
@friendly
def legal_hold(child: str, la: str | None, reason: str, lift: bool, as_json: bool) -> None:
    """Place a legal hold on CHILD's record, stopping its retention clock (or lift it, --lift).

    The hold is an event in the child's history (`legal-hold`), dated when it is recorded;
    no report counts it. While a hold is in force the record is never due for review, and the
    days it was held are added to the retention date (`journeys retention`).

    \b
    Example:
      journeys legal-hold C001 --la 825 --reason "inquiry: records to be preserved"
      journeys legal-hold C001 --la 825 --lift --reason "inquiry closed"
    """
    code = resolve_la(la)
    s = settings()
    entry = journeys.legal_hold(s.app(), code, child, reason=reason, lifted=lift, recorded_by=s.recorded_by)
    if as_json:
        echo_json(entry_json(code, child, entry))
        return
    what = "lifted the legal hold on" if lift else "placed a legal hold on"
    click.echo(f"{what} the record of child {child} ({code}) as event {entry.seq}")


COMMANDS = [retention, legal_hold]
